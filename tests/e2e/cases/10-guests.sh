# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Every guest in guests/cases prints its expected output and exits with its
# status under "shadowvmm run", as it does under QEMU (tests/guests-qemu.sh
# uses the same list and the same 32 MiB of RAM). Among a case's argument
# words, --initrd=FILE and --module=FILE[,STRING] are loader options (FILE
# relative to guests/), given to shadowvmm run as --initrd and --module;
# the other words, joined by single spaces, are the command line.
. /test/lib.sh

while read -r name image status expected args; do
	case $name in '' | '#'*) continue ;; esac
	cmdline=
	set -- "$G/$image" --mem 32M
	# No globbing: a word is the guest's, whatever characters it holds.
	set -f
	for w in $args; do
		case $w in
		--initrd=*) set -- "$@" --initrd "$G/${w#--initrd=}" ;;
		--module=*) set -- "$@" --module "$G/${w#--module=}" ;;
		*) cmdline=${cmdline:+$cmdline }$w ;;
		esac
	done
	set +f
	[ -z "$cmdline" ] || set -- "$@" --cmdline "$cmdline"
	# -n: the rest of the cases file is the loop's, not the guest's
	shadowvmm run -n "$@" >/tmp/g.out 2>/tmp/g.err
	got=$?
	why=
	if [ "$got" -ne "$status" ]; then
		why="exit status $got, want $status; stderr: $(head -c 200 /tmp/g.err); first failures: $(grep -m 4 -e '^not ok' -e '^Bail out' /tmp/g.out)"
	elif ! cmp -s /tmp/g.out "$G/expected/$expected"; then
		why="output differs from guests/expected/$expected: got '$(head -c 200 /tmp/g.out)'"
	fi
	check "guest-$name" "$why"
done <"$G/cases"
