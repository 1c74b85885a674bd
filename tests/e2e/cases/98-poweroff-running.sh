# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Leave VMs running (one pinned to each CPU) for the power-off that ends
# the run: the module's reboot notifier must stop them and turn VMX off on
# every CPU. tests/check reads the outcome from the console after
# SHADOWVMM-INIT-DONE, so kernel messages go to the console from here on.
. /test/lib.sh

require_module || { fail poweroff-running "insmod failed"; exit 0; }
why=
a=$(start_spin 0) || why=$a
if [ -z "$why" ] && [ -f /sys/devices/system/cpu/cpu1/online ]; then
	b=$(start_spin 1) || why=$b
fi
check poweroff-running-started "$why"
# Spinning at the lowest priority, they leave the CPUs to the last case
# (kmemleak's scans take minutes on the debug kernel).
for id in $a $b; do
	pid=$(vcpu_pid "$id") && renice -n 19 -p "$pid" >/dev/null 2>&1
done
echo 7 >/proc/sys/kernel/printk
