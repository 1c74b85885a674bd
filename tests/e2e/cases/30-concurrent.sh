# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Several VMs at the same time: three runs in the background.
. /test/lib.sh

for i in 1 2 3; do
	(
		shadowvmm run "$G/exitcode.elf" --mem 32M --cmdline "$i" >/tmp/c$i.out 2>/tmp/c$i.err
		echo $? >/tmp/c$i.rc
	) &
done
wait
why=
for i in 1 2 3; do
	st=$(cat /tmp/c$i.rc)
	if [ "$st" != "$i" ]; then
		why="$why run $i exited $st, want $i ($(head -c 100 /tmp/c$i.err));"
	elif [ "$(cat /tmp/c$i.out)" != "exitcode: exiting with $i" ]; then
		why="$why run $i printed '$(head -c 100 /tmp/c$i.out)';"
	fi
done
check concurrent-3 "$why"
