# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Destroying a running VM is clean.
. /test/lib.sh

dmesg_mark
id=$(new_vm "$G/spin.elf") || { fail destroy-running "create/load: $id"; exit 0; }
why=
if ! err=$(shadowvmm start "$id" 2>&1); then
	why="start: $err"
else
	sleep 1
	err=$(shadowvmm destroy "$id" 2>&1) || why="destroy: $err"
	shadowvmm list 2>/dev/null | grep -qE "^[[:space:]]*$id([^0-9]|\$)" && why="$why VM $id still listed"
	bad=$(dmesg_new | dmesg_bad)
	[ -z "$bad" ] || why="$why kernel complained: $bad"
fi
shadowvmm destroy "$id" >/dev/null 2>&1
check destroy-running "$why"
