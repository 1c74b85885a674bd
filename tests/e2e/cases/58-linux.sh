# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# e2e-timeout: 900
# The Linux guest (guests/linux): a 6.1 kernel booted through its PVH note
# with an initramfs, on shadow page tables.
# - Every case of guests/linux/cases prints what it prints under QEMU
#   (less the kernel's own lines) and exits with the same status.
# - Commands piped into "shadowvmm run" reach the guest's shell through
#   COM1's receive side and IRQ 4, and its exit status comes back.
# - Two Linux guests run at once.
# - An idle Linux guest (its shell waiting for input, the kernel in HLT)
#   leaves its vCPU thread nearly idle; "shadowvmm console --follow" on a
#   terminal types into its shell and Ctrl-] detaches, leaving it
#   running; "shadowvmm stop" ends it.
. /test/lib.sh

L=$G/linux
BASE="console=ttyS0 quiet tsc=reliable"

# linux ARGS...: "shadowvmm run" of the Linux guest, 128 MiB
linux() {
	shadowvmm run "$L/vmlinux" --initrd "$L/initramfs.cpio.gz" --mem 128M "$@"
}

# console_of OUT: the guest's lines, less the kernel's and the CRs
console_of() { tr -d '\r' <"$1" | grep -v '^\['; }

while read -r name status expected cmdline; do
	case $name in '' | '#'*) continue ;; esac
	linux --cmdline "$cmdline" >/tmp/l.out 2>/tmp/l.err </dev/null
	got=$?
	console_of /tmp/l.out >/tmp/l.cmp
	why=
	if [ "$got" -ne "$status" ]; then
		why="exit status $got, want $status; stderr: $(head -c 300 /tmp/l.err); output: $(tail -c 300 /tmp/l.out)"
	elif ! cmp -s /tmp/l.cmp "$G/linux/expected/$expected"; then
		why="output differs from guests/linux/expected/$expected: got '$(head -c 300 /tmp/l.cmp)'"
	fi
	echo "linux-$name: $(tail -n 1 /tmp/l.err)"
	check "linux-$name" "$why"
done <"$G/linux/cases"

# The shell on COM1: commands typed (piped) in, their output and the
# shell's exit status out.
printf 'echo typed $((6 * 7))\nexit 3\n' |
	linux --cmdline "$BASE" >/tmp/l.out 2>/tmp/l.err
got=$?
why=
if [ "$got" -ne 3 ]; then
	why="exit status $got, want 3 (the shell's); stderr: $(head -c 300 /tmp/l.err); output: $(tail -c 300 /tmp/l.out)"
elif ! console_of /tmp/l.out | grep -qx 'typed 42'; then
	why="no 'typed 42' from the guest's shell: $(tail -c 300 /tmp/l.out)"
fi
check linux-shell-input "$why"

# Two at once: the same workloads, each as under QEMU.
cmdline=$(awk '$1 == "workloads" { $1 = $2 = $3 = ""; sub(/^ +/, ""); print }' "$G/linux/cases")
linux --cmdline "$cmdline" >/tmp/l1.out 2>/tmp/l1.err </dev/null &
p1=$!
linux --cmdline "$cmdline" >/tmp/l2.out 2>/tmp/l2.err </dev/null &
p2=$!
wait "$p1"
s1=$?
wait "$p2"
s2=$?
why=
for i in 1 2; do
	console_of "/tmp/l$i.out" >"/tmp/l$i.cmp"
	cmp -s "/tmp/l$i.cmp" "$G/linux/expected/workloads.out" ||
		why="$why guest $i: '$(head -c 200 "/tmp/l$i.cmp")' $(tail -n 1 "/tmp/l$i.err");"
done
[ "$s1" -eq 0 ] && [ "$s2" -eq 0 ] || why="$why exit statuses $s1 and $s2, want 0;"
check linux-two-at-once "$why"

# Idle: the shell waits for input that never comes (a FIFO held open),
# the kernel idles in HLT. Over 5 s its vCPU thread may use a few ticks;
# a spinning guest uses all of them. Then "shadowvmm stop" ends it.
rm -f /tmp/l.fifo
mkfifo /tmp/l.fifo
sleep 600 >/tmp/l.fifo &
holder=$!
linux --cmdline "$BASE" </tmp/l.fifo >/tmp/l.out 2>/tmp/l.err &
runner=$!
id=
i=0
while [ "$i" -lt 120 ]; do
	id=$(shadowvmm list 2>/dev/null | awk '$2 == "running" { print $1; exit }')
	[ -n "$id" ] && console_of /tmp/l.out | grep -q '^linux-guest: ' && break
	i=$((i + 1))
	sleep 1
done
why=
if [ -z "$id" ]; then
	why="the Linux guest never came up: $(tail -c 300 /tmp/l.out)"
else
	sleep 5	# the shell is up once its prompt is out; let the boot settle
	pid=$(vcpu_pid "$id")
	t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	shadowvmm stats "$id" >/tmp/l.s0
	sleep 5
	t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	shadowvmm stats "$id" >/tmp/l.s1
	ticks=$((t1 - t0))
	cycles=$(($(stat_of /tmp/l.s1 guest_cycles) - $(stat_of /tmp/l.s0 guest_cycles)))
	wakeups=$(($(stat_of /tmp/l.s1 halt_wakeup) - $(stat_of /tmp/l.s0 halt_wakeup)))
	echo "idle Linux guest over 5 s: $ticks CPU ticks, $cycles guest cycles, $wakeups wake-ups"
	# USER_HZ ticks: 5 s of a busy thread is 500.
	[ "$ticks" -le 100 ] || why="the idle guest's vCPU thread used $ticks of 500 ticks in 5 s"
	[ "$wakeups" -gt 0 ] || why="$why; no HLT wake-ups: the guest is not idling in HLT"
fi
check linux-idle "$why"

why=
if [ -z "$id" ]; then
	why="no Linux guest to type into"
elif ! command -v ptyrun >/dev/null; then
	why="no ptyrun (ctl/tests/ptyrun) for a terminal"
else
	pty_setup
	printf 'echo via-$((2 + 3))-console\n\035' >/tmp/l.in
	ptyrun -i /tmp/l.in /tmp/l.tty shadowvmm console "$id" --follow
	st=$?
	i=0
	until shadowvmm console "$id" | tr -d '\r' | grep -qx 'via-5-console'; do
		i=$((i + 1))
		[ "$i" -lt 20 ] || break
		sleep 1
	done
	state=$(shadowvmm list | awk -v id="$id" '$1 == id { print $2 }')
	if [ "$st" -ne 0 ]; then
		why="console --follow exited $st after Ctrl-]: $(tail -c 200 /tmp/l.tty)"
	elif [ "$state" != running ]; then
		why="the VM is $state after detaching, want running"
	elif [ "$i" -ge 20 ]; then
		why="the guest's shell never printed via-5-console: $(shadowvmm console "$id" | tail -c 300)"
	fi
fi
check linux-console-detach "$why"
[ -z "$id" ] || shadowvmm stop "$id" >/dev/null 2>&1
wait "$runner"
got=$?
why=
if [ -n "$id" ] && { [ "$got" -ne 1 ] || ! grep -q "VM $id stopped: stopped by user" /tmp/l.err; }; then
	why="after stop: exit status $got, want 1; stderr: $(head -c 300 /tmp/l.err)"
fi
check linux-stop "$why"
kill "$holder" 2>/dev/null
rm -f /tmp/l.fifo
