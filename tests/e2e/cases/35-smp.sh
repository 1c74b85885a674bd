# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Two CPUs: VMs pinned to each run side by side; a VM moved between them
# takes its VMCS along; running VMs are stopped
# and destroyed from the other CPU a thousand times (and from their own
# CPU, with the requester at real-time priority); a CPU goes offline and
# comes back under a running VM; rmmod stops VMs running on both CPUs.
# e2e-timeout: 900
. /test/lib.sh

cpu1=/sys/devices/system/cpu/cpu1/online
if [ ! -f "$cpu1" ]; then
	skip smp "one CPU in this boot (E2E_CPUS=1)"
	exit 0
fi
require_module || { fail smp "insmod failed"; exit 0; }
dmesg_mark

# VMs pinned to different CPUs both run.
why=
a=$(start_spin 0) || why=$a
b=
[ -n "$why" ] || b=$(start_spin 1) || why=$b
[ -n "$why" ] || why=$(runs_on "$a" 0 2)
[ -n "$why" ] || why=$(runs_on "$b" 1 2)
shadowvmm destroy "$a" >/dev/null 2>&1
shadowvmm destroy "$b" >/dev/null 2>&1
check smp-pinned-concurrent "$why"

# The VMCS follows its vCPU: moved between the CPUs four times, the VM
# runs on each, and the counters show each move (the VMCS cleared on the
# CPU it left, loaded and launched on the new one) while the bursts on
# one CPU resume it without a VMLAUNCH.
why=
a=$(start_spin 0) || why=$a
[ -n "$why" ] || why=$(runs_on "$a" 0 1)
for cpu in 1 0 1 0; do
	[ -z "$why" ] || break
	pid=$(vcpu_pid "$a") && taskset -p "$((1 << cpu))" "$pid" >/dev/null 2>&1 ||
		why="cannot move VM $a to CPU $cpu"
	[ -n "$why" ] || why=$(runs_on "$a" "$cpu" 1)
done
if [ -z "$why" ]; then
	st=$(shadowvmm stats "$a" 2>&1)
	moves=$(echo "$st" | awk '$1 == "vmcs_moves" { print $2 }')
	launches=$(echo "$st" | awk '$1 == "vmlaunches" { print $2 }')
	bursts=$(echo "$st" | awk '$1 == "bursts" { print $2 }')
	echo "vmcs: $moves moves, $launches VMLAUNCHes, $bursts bursts"
	[ "${moves:-0}" -ge 5 ] || why="vmcs_moves ${moves:-none} after 4 moves, want 5 or more"
	[ "${launches:-0}" -ge 5 ] && [ "$launches" -le "${moves:-0}" ] ||
		why="${why:+$why; }vmlaunches ${launches:-none} with $moves moves"
	[ "${bursts:-0}" -gt $((10 * ${launches:-0})) ] ||
		why="${why:+$why; }$bursts bursts for $launches VMLAUNCHes: bursts on one CPU should resume"
fi
shadowvmm destroy "$a" >/dev/null 2>&1
check smp-vmcs-follows-vcpu "$why"

# Stop and destroy from the other CPU.
n=${SMP_ROUNDS:-1000}
out=$(vmloop "$G/spin.elf" "$n" 1 0 2>&1)
check smp-stop-destroy-other-cpu "$(echo "$out" | grep -q "^vmloop: $n rounds" || echo "$out")"
echo "$out"

# CPU 1 goes offline under a VM pinned to it, which moves to CPU 0 and
# goes on. While CPU 1 is away (one CPU offline and back is what costs
# the debug kernel most), a real-time requester on the one CPU left
# destroys VMs before their vCPU threads ever run. Back online, the VM
# pinned to CPU 1 again runs there.
why=
a=$(start_spin 1) || why=$a
[ -n "$why" ] || why=$(runs_on "$a" 1 1)
if [ -z "$why" ]; then
	echo 0 >"$cpu1" || why="cannot take CPU 1 offline"
	[ -n "$why" ] || why=$(runs_on "$a" 0 2)
	if [ -z "$why" ]; then
		n=${SMP_ONE_CPU_ROUNDS:-300}
		out=$(vmloop "$G/spin.elf" "$n" 0 0 2>&1)
		check smp-stop-destroy-one-cpu "$(echo "$out" | grep -q "^vmloop: $n rounds" || echo "$out")"
		echo "$out"
	else
		fail smp-stop-destroy-one-cpu "CPU 1 did not go offline under a VM: $why"
	fi
	echo 1 >"$cpu1" || why="${why:-cannot bring CPU 1 back}"
	pid=$(vcpu_pid "$a") && taskset -p 2 "$pid" >/dev/null 2>&1
	[ -n "$why" ] || why=$(runs_on "$a" 1 2)
else
	fail smp-stop-destroy-one-cpu "no VM on CPU 1 to take it offline under: $why"
fi
shadowvmm destroy "$a" >/dev/null 2>&1
check smp-offline-under-vm "$why"

# rmmod with VMs running on both CPUs.
why=
a=$(start_spin 0) || why=$a
[ -n "$why" ] || b=$(start_spin 1) || why=$b
if [ -z "$why" ]; then
	err=$(rmmod "$MOD" 2>&1) || why="rmmod: $err"
	! module_loaded || why="${why:-still loaded after rmmod}"
fi
check smp-rmmod-running "$why"

bad=$(dmesg_new | dmesg_bad)
check smp-dmesg-clean "$bad"
require_module >/dev/null 2>&1
