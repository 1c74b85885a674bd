# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# The local APIC beyond what guests/cases compares with QEMU: TSC-deadline
# mode (QEMU's TCG lacks it), and a guest idling in HLT with a 100 Hz
# timer, which must leave the host CPU idle: its vCPU thread sleeps
# between ticks, against a spinning guest measured the same way.
. /test/lib.sh

shadowvmm run "$G/apic.elf" --mem 32M --cmdline deadline >/tmp/a.out 2>/tmp/a.err
got=$?
why=
if [ "$got" -ne 0 ]; then
	why="exit status $got; $(grep -m 4 '^not ok' /tmp/a.out) $(head -c 200 /tmp/a.err)"
elif grep -q '^not ok' /tmp/a.out || ! grep -q '^1\.\.' /tmp/a.out; then
	why="output: $(head -c 300 /tmp/a.out)"
fi
check apic-deadline "$why"

# measure ID: "ticks cycles injections wakeups" over 5 s: the vCPU
# thread's CPU time (utime + stime, in clock ticks) and counter deltas
measure() {
	pid=$(vcpu_pid "$1") || return 1
	shadowvmm stats "$1" >/tmp/s0 2>&1 || return 1
	t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	sleep 5
	t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	shadowvmm stats "$1" >/tmp/s1 2>&1 || return 1
	for n in guest_cycles irq_injections halt_wakeup; do
		echo $(($(stat_of /tmp/s1 $n) - $(stat_of /tmp/s0 $n)))
	done | { read -r c; read -r i; read -r w; echo "$((t1 - t0)) $c $i $w"; }
}

# run_measured GUEST ARGS WAIT_FOR: start, wait for a line, measure, stop
run_measured() {
	id=$(new_vm "$G/$1" --cmdline "$2") || { echo "create/load: $id"; return 1; }
	if ! err=$(shadowvmm start "$id" 2>&1); then
		shadowvmm destroy "$id" >/dev/null 2>&1
		echo "start: $err"
		return 1
	fi
	i=0
	until shadowvmm console "$id" 2>/dev/null | grep -q "$3"; do
		i=$((i + 1))
		[ "$i" -lt 30 ] || break
		sleep 1
	done
	m=$(measure "$id") || m="no measurement"
	shadowvmm stop "$id" >/dev/null 2>&1
	if ! wait_state "$id" 'state.*stopped' 10; then
		m="did not stop: $(vm_show "$id")"
	fi
	shadowvmm destroy "$id" >/dev/null 2>&1
	echo "$m"
}

why=
idle=$(run_measured apic.elf idle 'apic: idle')
spin=$(run_measured spin.elf '' 'spinning')
echo "idle guest over 5 s: $idle (CPU ticks, guest cycles, interrupts, wake-ups); spinning: $spin"
# shellcheck disable=SC2086 # split into the four numbers
set -- $idle
if [ $# -ne 4 ]; then
	why="idle guest: $idle"
else
	idle_ticks=$1 idle_cycles=$2 injections=$3 wakeups=$4
	# shellcheck disable=SC2086
	set -- $spin
	if [ $# -ne 4 ]; then
		why="spinning guest: $spin"
	elif [ "$injections" -lt 10 ] || [ "$wakeups" -lt 10 ]; then
		why="idle guest took $injections timer interrupts and woke $wakeups times in 5 s"
	elif [ $((idle_ticks * 4)) -ge "$1" ] || [ $((idle_cycles * 4)) -ge "$2" ]; then
		why="idle guest used $idle_ticks ticks and $idle_cycles guest cycles, a spinning one $1 and $2"
	fi
fi
check apic-idle-sleeps "$why"
