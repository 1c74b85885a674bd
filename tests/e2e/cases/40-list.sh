# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# list shows the VMs that exist, and not destroyed ones.
. /test/lib.sh

a=$(shadowvmm create 2>&1 | tail -n 1)
b=$(shadowvmm create 2>&1 | tail -n 1)
why=
case "$a$b" in '' | *[!0-9]*) why="create printed '$a' and '$b', want ids" ;; esac
if [ -z "$why" ]; then
	[ "$a" != "$b" ] || why="two creates returned the same id $a"
	list=$(shadowvmm list 2>&1) || why="list failed: $list"
	for id in $a $b; do
		echo "$list" | grep -qE "(^|[^0-9])$id([^0-9]|\$)" || why="$why list lacks VM $id: $list;"
	done
	shadowvmm destroy "$a" >/dev/null 2>&1
	list=$(shadowvmm list 2>&1)
	echo "$list" | grep -qE "^[[:space:]]*$a([^0-9]|\$)" && why="$why VM $a listed after destroy: $list;"
fi
for id in $a $b; do shadowvmm destroy "$id" >/dev/null 2>&1; done
check list "$why"
