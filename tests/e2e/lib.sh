# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers for the e2e cases (busybox sh, inside the Bochs guest).
# A case prints PASS/FAIL/SKIP lines through pass/fail/skip.

# shellcheck disable=SC2034 # used by the cases
G=/test/guests
KO=/test/shadowvmm.ko
MOD=shadowvmm
export PATH="/test:$PATH"

# since_last NAME: how long the check took, when that was a while: what
# tells where a slow boot (the debug kernel's) spends its time
since_last() {
	now=$(cut -d. -f1 /proc/uptime)
	[ $((now - ${last_result:-now})) -lt 5 ] || echo "$1: $((now - last_result)) s"
	last_result=$now
}
last_result=$(cut -d. -f1 /proc/uptime)
pass() {
	since_last "$1"
	echo "PASS e2e/$1"
}
# fail NAME WHY...: one line, newlines flattened
fail() {
	n=$1
	shift
	since_last "$n"
	echo "FAIL e2e/$n: $(echo "$*" | tr '\n' '|' | cut -c1-400)"
}
skip() {
	n=$1
	shift
	echo "SKIP e2e/$n: $*"
}
# check NAME WHY: pass if WHY is empty, else fail with WHY
check() {
	if [ -z "$2" ]; then pass "$1"; else fail "$1" "$2"; fi
}

module_loaded() { grep -q "^$MOD " /proc/modules; }
# the debug test kernel (KASAN, kmemleak), as opposed to the plain one
debug_kernel() { [ -w /sys/kernel/debug/kmemleak ]; }

# dmesg_mark; ...; dmesg_new: the kernel log lines since the mark
dmesg_mark() { dmesg | wc -l >/tmp/dmesg.mark; }
dmesg_new() { dmesg | tail -n +$(($(cat /tmp/dmesg.mark 2>/dev/null || echo 0) + 1)); }
# the kernel's complaints: WARN/BUG/oops lines, and what the debug test
# kernel adds: lockdep, KASAN, sleeping in atomic context, hung
# tasks, and MSR accesses that faulted
dmesg_bad() {
	grep -E 'BUG:|WARNING:|Oops|general protection|Call Trace|kernel BUG|RIP: |KASAN|possible (recursive|circular) locking|inconsistent lock state|lock held when returning|unchecked MSR access|blocked for more than|soft lockup|hard LOCKUP|scheduling while atomic|sleeping function called' || true
}

# expect_error NAME WANT CMD...: CMD must exit WANT and print exactly one
# line on stderr, starting "shadowvmm: " (usage errors may print more).
expect_error() {
	n=$1
	want=$2
	shift 2
	"$@" >/tmp/ee.out 2>/tmp/ee.err
	st=$?
	lines=$(wc -l </tmp/ee.err)
	if [ "$st" -ne "$want" ]; then
		fail "$n" "'$*' exited $st, want $want; stderr: $(head -c 200 /tmp/ee.err)"
	elif [ "$want" -eq 2 ]; then
		# usage errors: the status is the contract; the text may be long
		if [ "$lines" -ge 1 ]; then pass "$n"; else fail "$n" "'$*' printed nothing on stderr"; fi
	elif [ "$lines" -ne 1 ]; then
		fail "$n" "'$*' printed $lines lines on stderr, want 1: $(head -c 200 /tmp/ee.err)"
	elif ! head -n 1 /tmp/ee.err | grep -q '^shadowvmm: '; then
		fail "$n" "'$*' stderr does not start with 'shadowvmm: ': $(head -c 200 /tmp/ee.err)"
	else
		pass "$n"
	fi
}

# vm_state ID: the state word "shadowvmm show ID" reports
vm_show() { shadowvmm show "$1" 2>&1; }

# new_vm GUEST [load options...]: create + load, print the id
new_vm() {
	img=$1
	shift
	id=$(shadowvmm create 2>/tmp/nv.err | tail -n 1) || { cat /tmp/nv.err; return 1; }
	case $id in '' | *[!0-9]*) echo "create printed '$id'"; cat /tmp/nv.err; return 1 ;; esac
	shadowvmm load "$id" "$img" "$@" >/dev/null 2>/tmp/nv.err || { cat /tmp/nv.err; return 1; }
	echo "$id"
}

# wait_state ID REGEX SECS: poll show until it matches
wait_state() {
	i=0
	while [ "$i" -lt "$3" ]; do
		vm_show "$1" | grep -qiE "$2" && return 0
		sleep 1
		i=$((i + 1))
	done
	return 1
}

require_module() {
	module_loaded && return 0
	insmod "$KO" 2>/dev/null
	module_loaded
}

# --- benchmarks (tests/bench/ops; make bench and the exit-target case) ---

# stat_of FILE NAME: a counter from a "name value" file, 0 if absent
stat_of() { awk -v n="$2" '$1 == n { v = $2 } END { print v + 0 }' "$1"; }

# bench_shadowvmm OP N OUT: "bench OP N tsc" in a VM of its own, run to
# its end (as "shadowvmm run" would, but that destroys the counters with
# the VM); the counters go to OUT as "name value" lines, with "tsc" (what
# the guest measured) and "exits_guest" added. On failure: why, on stdout.
bench_shadowvmm() {
	id=$(new_vm "$G/bench.elf" --cmdline "$1 $2 tsc") || { echo "create/load: $id"; return 1; }
	if ! err=$(shadowvmm start "$id" 2>&1); then
		shadowvmm destroy "$id" >/dev/null 2>&1
		echo "start: $err"
		return 1
	fi
	# not from stdin: "console --follow" types it into the guest, and
	# would eat the rest of a "while read" loop's input
	shadowvmm console "$id" --follow </dev/null >"$3.console" 2>&1
	show=$(vm_show "$id")
	shadowvmm stats "$id" 2>&1 | awk '$2 ~ /^[0-9]+$/ { print $1, $2 }' >"$3"
	shadowvmm destroy "$id" >/dev/null 2>&1
	if ! echo "$show" | grep -q '^exit_status: *0$'; then
		echo "$1 $2 did not exit 0: $(echo "$show" | grep -E '^(stop_reason|exit_status):' | tr -s ' ' | tr '\n' ' ')$(head -c 200 "$3.console")"
		return 1
	fi
	bench_finish "$3"
}

# bench_kvm OP N OUT: the same under KVM (tests/tools/kvm-run), whose
# counters (KVM's debugfs stats of the VM) go to OUT likewise. shadowvmm
# must not be loaded: one hypervisor owns VMX at a time.
bench_kvm() {
	if ! kvm-run --cmdline "$1 $2 tsc" --stats "$3" "$G/bench.elf" >"$3.console" 2>&1; then
		echo "kvm-run: $(head -c 300 "$3.console" | tr '\n' ' ')"
		return 1
	fi
	bench_finish "$3"
}

# bench_finish OUT: add the guest's "tsc" and "exits_guest" to OUT: the
# exits the guest caused, without the host's timer interrupts and
# preemption-timer slices, which come with time, not with the work.
bench_finish() {
	tsc=$(sed -n 's/^bench: [a-z0-9-]*: tsc \([0-9a-f]*\)$/\1/p' "$1.console")
	[ -n "$tsc" ] || { echo "no tsc line in the output: $(head -c 200 "$1.console")"; return 1; }
	echo "tsc $((0x$tsc))" >>"$1"
	bench_exits_guest "$1"
}

# bench_exits_guest OUT: add "exits_guest" to OUT (see bench_finish)
bench_exits_guest() {
	g=$(($(stat_of "$1" exits) - $(stat_of "$1" exits_external_interrupt) - $(stat_of "$1" exits_preemption_timer) - $(stat_of "$1" irq_exits)))
	echo "exits_guest $g" >>"$1"
}

# The Linux guest (guests/linux) for the benchmarks: 128 MiB, its
# workloads timed (WORKLOAD_TSC=1), the kernel quiet.
LINUX_BENCH_BASE="console=ttyS0 quiet tsc=reliable WORKLOAD_TSC=1"
# a run that takes longer has hung: ended well before Bochs' idle timeout
LINUX_BENCH_TIMEOUT=280

# bench_linux_shadowvmm WORKLOADS OUT: the Linux guest booted with
# "workload=WORKLOADS" in a VM of its own, as "shadowvmm run" would (but
# that destroys the counters with the VM); its counters to OUT as
# bench_shadowvmm writes them, with "tsc_<workload>" (the guest's TSC
# cycles per operation) and "exits_guest" added. On failure: why.
bench_linux_shadowvmm() {
	L=$G/linux
	id=$(shadowvmm create --mem 128M 2>&1 | tail -n 1)
	case $id in '' | *[!0-9]*) echo "create: $id"; return 1 ;; esac
	if ! err=$(shadowvmm load "$id" "$L/vmlinux" --initrd "$L/initramfs.cpio.gz" \
		--cmdline "$LINUX_BENCH_BASE workload=$1" 2>&1) ||
		! err=$(shadowvmm start "$id" 2>&1); then
		shadowvmm destroy "$id" >/dev/null 2>&1
		echo "load/start: $err"
		return 1
	fi
	timeout "$LINUX_BENCH_TIMEOUT" shadowvmm console "$id" --follow </dev/null >"$2.console" 2>&1
	show=$(vm_show "$id")
	# CSV: every counter, the handlers' cycles by exit reason too
	shadowvmm stats "$id" --csv 2>&1 | awk -F, '$5 ~ /^[0-9]+$/ { print $3, $5 }' >"$2"
	shadowvmm destroy "$id" >/dev/null 2>&1
	if ! echo "$show" | grep -q '^exit_status: *0$'; then
		echo "workload=$1 did not exit 0: $(echo "$show" | grep -E '^(state|stop_reason|exit_status):' | tr -s ' ' | tr '\n' ' ')$(tr -d '\r' <"$2.console" | tail -n 5 | tr '\n' '|' | tail -c 400)"
		return 1
	fi
	bench_linux_finish "$2"
}

# bench_linux_kvm WORKLOADS OUT: the same under KVM (kvm-run, which boots
# it through its PVH note as shadowvmm does). shadowvmm must not be loaded.
bench_linux_kvm() {
	L=$G/linux
	if ! timeout "$LINUX_BENCH_TIMEOUT" kvm-run --mem 128 --initrd "$L/initramfs.cpio.gz" \
		--cmdline "$LINUX_BENCH_BASE workload=$1" --stats "$2" "$L/vmlinux" >"$2.console" 2>&1; then
		echo "kvm-run workload=$1 failed: $(tr -d '\r' <"$2.console" | tail -n 5 | tr '\n' '|' | tail -c 400)"
		return 1
	fi
	bench_linux_finish "$2"
}

# bench_linux_finish OUT: "tsc_<workload> C" for each "tsc: <workload> C
# cycles per operation" the guest printed, and "exits_guest"
bench_linux_finish() {
	tr -d '\r' <"$1.console" |
		sed -n 's/^tsc: \([a-z-]*\) \([0-9]*\) cycles per operation$/tsc_\1 \2/p' >>"$1"
	grep -q '^tsc_' "$1" || { echo "no tsc line in the output: $(tr -d '\r' <"$1.console" | tail -n 5 | tr '\n' '|' | tail -c 300)"; return 1; }
	bench_exits_guest "$1"
}

# per_op A B N1 N2 NAME: (NAME in B - NAME in A) / (N2 - N1), two decimals
per_op() {
	d=$(($(stat_of "$2" "$5") - $(stat_of "$1" "$5")))
	n=$(($4 - $3))
	s=
	[ "$d" -ge 0 ] || { s=-; d=$((-d)); }
	printf '%s%d.%02d' "$s" $((d / n)) $((d * 100 / n % 100))
}

# pty_setup: pseudo-terminals for ptyrun, which the initramfs does not
# set up
pty_setup() {
	grep -q ' /dev/pts ' /proc/mounts ||
		{ mkdir -p /dev/pts && mount -t devpts -o ptmxmode=0666 devpts /dev/pts; }
	[ -e /dev/ptmx ] || ln -s pts/ptmx /dev/ptmx
}

# --- two CPUs ---------------------------------------------------------------

# vcpu_pid ID: the pid of VM ID's vCPU thread ("shadowvmm/ID"), or
# nothing. With the shell's own read: a process per /proc entry costs the
# debug kernel a minute a call.
vcpu_pid() {
	for c in /proc/[0-9]*/comm; do
		{ read -r comm <"$c"; } 2>/dev/null || continue
		[ "$comm" = "shadowvmm/$1" ] || continue
		p=${c#/proc/}
		echo "${p%/comm}"
		return 0
	done
	return 1
}

# last_cpu PID: the CPU the task last ran on (field 39 of /proc/PID/stat;
# the comm field before it holds no spaces here)
last_cpu() { awk '{ print $39 }' "/proc/$1/stat" 2>/dev/null; }

# start_spin CPU: a running spin VM whose vCPU thread is pinned to CPU,
# at the lowest priority; prints the VM's id, or why not (status 1). Two
# of them at nice 0 would leave the test's own commands only what the
# scheduler's tick takes back: in Bochs, seconds for each one.
start_spin() {
	id=$(new_vm "$G/spin.elf") || { echo "create/load: $id"; return 1; }
	err=$(shadowvmm start "$id" 2>&1) || { echo "start: $err"; return 1; }
	pid=$(vcpu_pid "$id") || { echo "VM $id: no vCPU thread"; return 1; }
	taskset -p "$((1 << $1))" "$pid" >/dev/null 2>&1 || { echo "VM $id: cannot pin to CPU $1"; return 1; }
	renice -n 19 -p "$pid" >/dev/null 2>&1 || { echo "VM $id: cannot renice"; return 1; }
	echo "$id"
}

# exits_of ID: the VM's exit count
exits_of() { shadowvmm stats "$1" 2>/dev/null | awk '$1 == "exits" { print $2 }'; }

# runs_on ID CPU SECS: the VM makes exits and its thread runs on CPU
runs_on() {
	pid=$(vcpu_pid "$1") || { echo "VM $1: no vCPU thread"; return 1; }
	a=$(exits_of "$1")
	sleep "$3"
	b=$(exits_of "$1")
	c=$(last_cpu "$pid")
	[ "${b:-0}" -gt "${a:-0}" ] || { echo "VM $1 made no exits in $3 s ($a, then $b)"; return 1; }
	[ "$c" = "$2" ] || { echo "VM $1 ran on CPU $c, pinned to $2"; return 1; }
}
