# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# The local APIC beyond what guests/cases compares with QEMU: TSC-deadline
# mode (QEMU's TCG lacks it); the APIC tracepoints agreeing with the
# counters; and a guest idling in HLT with a 100 Hz timer, which must
# leave the host CPU idle: its vCPU thread sleeps between ticks, against
# a spinning guest measured the same way.
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

# The apic guest with the APIC events on, in a tracefs instance of its
# own: one shadowvmm_inject per irq_injections and nmi_injections (the
# guest sends itself 4 NMIs), one shadowvmm_apic per
# mmio_exits (the guest makes only accesses the APIC takes), and timer
# expiries for its one-shot and periodic counts.
T=/sys/kernel/tracing
[ -d "$T/events" ] || T=/sys/kernel/debug/tracing
I=$T/instances/apic-e2e
why=
if [ ! -d "$T/events/shadowvmm" ]; then
	skip apic-tracepoints "no shadowvmm events in $T"
elif ! mkdir "$I" 2>/dev/null; then
	fail apic-tracepoints "cannot make the tracefs instance $I"
else
	for e in shadowvmm_inject shadowvmm_apic shadowvmm_apic_timer; do
		echo 1 >"$I/events/shadowvmm/$e/enable"
	done
	if ! id=$(new_vm "$G/apic.elf"); then
		why="create/load: $id"
	elif ! err=$(shadowvmm start "$id" 2>&1); then
		why="start: $err"
	elif ! wait_state "$id" 'state.*stopped' 300; then
		why="the apic guest did not stop: $(vm_show "$id")"
	fi
	echo 0 >"$I/tracing_on"
	if [ -z "$why" ]; then
		shadowvmm stats "$id" >/tmp/as 2>&1
		inject=$(grep -c "shadowvmm_inject: vm $id " "$I/trace")
		apic=$(grep -c "shadowvmm_apic: vm $id " "$I/trace")
		timer=$(grep -c "shadowvmm_apic_timer: vm $id " "$I/trace")
		lost=$(cat "$I"/per_cpu/cpu*/stats | awk '/^overrun:/ { n += $2 } END { print n + 0 }')
		echo "apic guest: $inject injections, $apic APIC accesses, $timer timer expiries traced"
		if [ "$lost" -ne 0 ]; then
			why="$lost events overran the buffer"
		elif [ "$inject" -ne $(($(stat_of /tmp/as irq_injections) + $(stat_of /tmp/as nmi_injections))) ] ||
			[ "$(stat_of /tmp/as nmi_injections)" -lt 4 ]; then
			why="$inject shadowvmm_inject events, irq_injections $(stat_of /tmp/as irq_injections), nmi_injections $(stat_of /tmp/as nmi_injections)"
		elif [ "$apic" -ne "$(stat_of /tmp/as mmio_exits)" ] ||
			[ "$apic" -lt 100 ]; then
			why="$apic shadowvmm_apic events, mmio_exits $(stat_of /tmp/as mmio_exits)"
		elif [ "$timer" -lt 4 ]; then
			why="$timer shadowvmm_apic_timer events: one-shot and periodic make at least 4"
		fi
	fi
	shadowvmm destroy "$id" >/dev/null 2>&1
	rmdir "$I" 2>/dev/null
	check apic-tracepoints "$why"
fi

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
