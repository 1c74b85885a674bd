# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# create + load + start a guest that never exits; show says running; stop
# it; show says stopped (by the user); destroy it.
. /test/lib.sh

id=$(new_vm "$G/spin.elf") || { fail spin "create/load: $id"; exit 0; }
if ! err=$(shadowvmm start "$id" 2>&1); then
	fail spin "start $id: $err"
	shadowvmm destroy "$id" 2>/dev/null
	exit 0
fi
sleep 2
why=
vm_show "$id" | grep -qiE 'state.*running' || why="show after start: $(vm_show "$id")"
if [ -z "$why" ]; then
	if ! err=$(shadowvmm stop "$id" 2>&1); then
		why="stop $id: $err"
	elif ! wait_state "$id" 'state.*stopped' 10; then
		why="show after stop: $(vm_show "$id")"
	elif ! vm_show "$id" | grep -qi user; then
		why="show does not say the user stopped it: $(vm_show "$id")"
	elif ! err=$(shadowvmm destroy "$id" 2>&1); then
		why="destroy $id: $err"
	elif shadowvmm list 2>/dev/null | grep -qE "^[[:space:]]*$id([^0-9]|\$)"; then
		why="VM $id still listed after destroy"
	fi
fi
shadowvmm destroy "$id" >/dev/null 2>&1
check spin "$why"
