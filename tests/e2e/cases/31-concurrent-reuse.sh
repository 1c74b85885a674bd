# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Concurrent runs while VM ids are reused: four workers run six guests
# each, one after another and each worker in its own order, so VMs come and
# go all the time and a new VM often gets the id of one that has just
# ended, whose stop event is still queued for every run listening then.
# Each run must print its own guest's output and exit with its own status
# (a run that took an earlier VM's stop for its own printed that VM's
# status and little or none of its own output).
. /test/lib.sh

# image status expected-output [arguments]: quick guests of guests/cases
cat >/tmp/reuse.list <<'LIST'
hello.elf 0 hello.out
exitcode.elf 7 exitcode-7.out 7
exitcode.elf 0 exitcode-0.out 0
exitcode.elf 255 exitcode-255.out 255
exitcode.elf 1 exitcode-none.out
flood.elf 0 flood-100.out 100
LIST
workers="1 2 3 4"
rounds="0 1 2 3 4 5"

# worker W: run the list from line W on, wrapping around
worker() {
	w=$1
	for r in $rounds; do
		# shellcheck disable=SC2046 # the fields of one line
		set -- $(sed -n "$(((w + r) % 6 + 1))p" /tmp/reuse.list)
		f=/tmp/reuse-$w-$r
		echo "$*" >"$f.what"
		if [ -n "$4" ]; then
			shadowvmm run "$G/$1" --mem 32M --cmdline "$4" >"$f.out" 2>"$f.err"
		else
			shadowvmm run "$G/$1" --mem 32M >"$f.out" 2>"$f.err"
		fi
		echo $? >"$f.rc"
	done
}

for w in $workers; do
	worker "$w" &
done
wait

why=
n=0
for w in $workers; do
	for r in $rounds; do
		f=/tmp/reuse-$w-$r
		# shellcheck disable=SC2046
		set -- $(cat "$f.what")
		st=$(cat "$f.rc" 2>/dev/null)
		if [ "$st" != "$2" ]; then
			why="$why run $w.$r ($1 $4) exited $st, want $2: $(tail -n 1 "$f.err" | head -c 120);"
		elif ! cmp -s "$f.out" "$G/expected/$3"; then
			why="$why run $w.$r ($1 $4) printed '$(head -c 60 "$f.out")', not $3;"
		else
			n=$((n + 1))
		fi
	done
done
echo "concurrent-reuse: $n of 24 runs right"
check concurrent-reuse "$why"
