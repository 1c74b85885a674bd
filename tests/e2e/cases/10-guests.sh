# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Every guest in guests/cases prints its expected output and exits with its
# status under "shadowvmm run", as it does under QEMU (tests/guests-qemu.sh
# uses the same list and the same 32 MiB of RAM).
. /test/lib.sh

while read -r name image status expected args; do
	case $name in '' | '#'*) continue ;; esac
	if [ -n "$args" ]; then
		shadowvmm run "$G/$image" --mem 32M --cmdline "$args" >/tmp/g.out 2>/tmp/g.err
	else
		shadowvmm run "$G/$image" --mem 32M >/tmp/g.out 2>/tmp/g.err
	fi
	got=$?
	why=
	if [ "$got" -ne "$status" ]; then
		why="exit status $got, want $status; stderr: $(head -c 200 /tmp/g.err); first failures: $(grep -m 4 -e '^not ok' -e '^Bail out' /tmp/g.out)"
	elif ! cmp -s /tmp/g.out "$G/expected/$expected"; then
		why="output differs from guests/expected/$expected: got '$(head -c 200 /tmp/g.out)'"
	fi
	check "guest-$name" "$why"
done <"$G/cases"
