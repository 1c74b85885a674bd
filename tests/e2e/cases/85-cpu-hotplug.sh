# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# CPUs that go offline leave VMX root operation and those that come back
# re-enter it: a guest then runs on the returning CPU.
. /test/lib.sh

cpu1=/sys/devices/system/cpu/cpu1/online
if [ ! -f "$cpu1" ]; then
	skip cpu-hotplug "one CPU in this boot (E2E_CPUS=1)"
	exit 0
fi
module_loaded || insmod "$KO"
dmesg_mark
why=
echo 0 >"$cpu1" || why="cannot take CPU 1 offline"
if [ -z "$why" ]; then
	out=$(shadowvmm run "$G/hello.elf" 2>&1) || why="run with CPU 1 offline: $out"
fi
echo 1 >"$cpu1" || why="${why:-cannot bring CPU 1 back}"
if [ -z "$why" ]; then
	# Pinned to the CPU that just came back, which must have VMX on again.
	out=$(taskset 2 shadowvmm run "$G/exitcode.elf" --cmdline 5 2>&1)
	st=$?
	[ "$st" -eq 5 ] || why="run on CPU 1 after it came back: status $st: $out"
fi
bad=$(dmesg_new | dmesg_bad)
[ -z "$bad" ] || why="${why:-kernel complained: $bad}"
check cpu-hotplug "$why"
