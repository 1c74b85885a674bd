# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Several VMs one after another.
. /test/lib.sh

why=
for i in 1 2 3 4 5; do
	shadowvmm run "$G/hello.elf" --mem 32M >/tmp/s.out 2>/tmp/s.err
	st=$?
	if [ $st -ne 0 ]; then
		why="run $i exited $st: $(head -c 200 /tmp/s.err)"
		break
	fi
	if ! cmp -s /tmp/s.out "$G/expected/hello.out"; then
		why="run $i output differs: $(head -c 200 /tmp/s.out)"
		break
	fi
done
check sequential-5 "$why"
