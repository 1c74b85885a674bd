# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Leave VMs running (one pinned to each CPU) for the power-off that ends
# the run: the module's reboot notifier must stop them and turn VMX off on
# every CPU. tests/check reads the outcome from the console after
# SHADOWVMM-INIT-DONE, so kernel messages go to the console from here on.
# The last case, after 98-dmesg: spinning VMs would slow kmemleak's scans
# there, and they can hold no leak a scan could see before the power-off.
. /test/lib.sh

require_module || { fail poweroff-running "insmod failed"; exit 0; }
dmesg_mark
why=
a=$(start_spin 0) || why=$a
if [ -z "$why" ] && [ -f /sys/devices/system/cpu/cpu1/online ]; then
	b=$(start_spin 1) || why=$b
fi
[ -n "$why" ] || why=$(dmesg_new | dmesg_bad)
check poweroff-running-started "$why"
echo 7 >/proc/sys/kernel/printk
