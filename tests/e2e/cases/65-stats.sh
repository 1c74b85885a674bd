# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# stats of a VM that ran counts its exits.
. /test/lib.sh

id=$(new_vm "$G/spin.elf") || { fail stats "create/load: $id"; exit 0; }
why=
if ! err=$(shadowvmm start "$id" 2>&1); then
	why="start: $err"
else
	sleep 2
	shadowvmm stop "$id" >/dev/null 2>&1
	wait_state "$id" 'state.*stopped' 10
	st=$(shadowvmm stats "$id" 2>&1) || why="stats failed: $st"
	# a line naming exits with a nonzero count
	echo "$st" | grep -iE '(^|[^a-z_])exits([^a-z_]|$)' | grep -qE '(^|[^0-9])[1-9][0-9]*' ||
		why="$why no nonzero 'exits' in stats: $st"
fi
shadowvmm destroy "$id" >/dev/null 2>&1
check stats "$why"
