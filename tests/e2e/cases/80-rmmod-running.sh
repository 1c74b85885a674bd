# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# rmmod while a VM runs: it succeeds, and VMX is off again on every CPU
# (KVM can take it: CR4.VMXE is clear).
. /test/lib.sh

dmesg_mark
id=$(new_vm "$G/spin.elf") || { fail rmmod-running "create/load: $id"; exit 0; }
shadowvmm start "$id" >/dev/null 2>&1
sleep 1
why=
vm_show "$id" | grep -qi running || echo "note: VM $id not running before rmmod: $(vm_show "$id")"
# the unload tells listeners: stopped by the host, then destroyed
shadowvmm monitor "$id" >/tmp/rm.mon 2>&1 &
mon=$!
sleep 2
if ! err=$(rmmod "$MOD" 2>&1); then
	why="rmmod failed: $err"
elif module_loaded; then
	why="still in /proc/modules after rmmod"
fi
bad=$(dmesg_new | dmesg_bad)
[ -z "$bad" ] || why="$why kernel complained: $bad"
check rmmod-running "$why"
kill -TERM "$mon" 2>/dev/null
wait "$mon"
ev=$(awk '{ print $5 }' /tmp/rm.mon | tr '\n' ' ')
check rmmod-events "$([ "$ev" = "stopped destroyed " ] && grep -q 'stopped by the host' /tmp/rm.mon ||
	echo "monitor saw '$(tr '\n' '|' </tmp/rm.mon)'")"

if module_loaded; then
	skip vmx-off-after-rmmod "module still loaded"
	exit 0
fi
p=$(kvm-probe 2>&1)
case $? in
0) pass vmx-off-after-rmmod ;;
1) fail vmx-off-after-rmmod "KVM cannot enable VMX after rmmod ($p): CR4.VMXE left set" ;;
*) skip vmx-off-after-rmmod "no usable KVM to probe with: $p" ;;
esac
