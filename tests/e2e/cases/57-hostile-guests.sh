# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Hostile guests (issue 9): PTEs naming every kind of frame up to
# MAXPHYADDR and reserved bits above it, a page-table storm over 64
# address spaces, tables that map themselves, the VMX and privileged
# instructions, random MSRs, garbage descriptor tables and every
# exception vector with no IDT. Each must end in the architectural
# exception (the guest checks it and exits with its status) or stop the
# VM with a reason, and leave nothing in the host's kernel log.
#
# guests/hostile-cases lists the runs QEMU judges too (tests/guests-qemu.sh):
# the same output and status here. The ones below it QEMU's TCG cannot
# judge (it raises no #AC or #XM, no #GP for unknown MSRs, and checks
# none of the MSR values CPUID decides about), and random port I/O,
# which would reset a PC.
. /test/lib.sh

# host_bad: what the kernel said since dmesg_mark that it should not have
host_bad() {
	dmesg_new >/tmp/h.dmesg
	dmesg_bad </tmp/h.dmesg
	grep -E 'unchecked MSR access|blocked for more than|KASAN|kmemleak|lockdep|shadowvmm:.*(error|failed)' /tmp/h.dmesg || true
}

# run_case NAME IMAGE STATUS EXPECTED [ARGS...]: as in guests/hostile-cases
run_case() {
	n=$1 image=$2 status=$3 expected=$4
	shift 4
	dmesg_mark
	if [ $# -gt 0 ]; then
		shadowvmm run "$G/$image" --mem 32M --cmdline "$*" >/tmp/h.out 2>/tmp/h.err </dev/null
	else
		shadowvmm run "$G/$image" --mem 32M >/tmp/h.out 2>/tmp/h.err </dev/null
	fi
	st=$?
	why=
	stop=
	case $status in
	*'|'*)
		# A CPU gives the status; a VMM may stop on exit reason N.
		stop=${status#*|}
		status=${status%%|*}
		if [ "$st" -ne "$status" ] && [ "$st" -eq 1 ] &&
		   grep -q "^shadowvmm: VM [0-9]* .*unhandled exit reason $stop " /tmp/h.err; then
			status=stopped
		fi
		;;
	esac
	if [ "$status" = stopped ]; then
		echo "$n: stopped: $(head -n 1 /tmp/h.err)"
	elif [ "$status" = reset ]; then
		if [ "$st" -ne 1 ] || ! grep -q '^shadowvmm: VM [0-9]* .*triple fault at rip 0x' /tmp/h.err; then
			why="exited $st, want 1 and a triple fault; stderr: $(head -c 200 /tmp/h.err); stdout: $(tail -c 200 /tmp/h.out)"
		fi
	elif [ "$st" -ne "$status" ]; then
		why="exit status $st, want $status; stderr: $(head -c 200 /tmp/h.err); first failures: $(grep -m 4 -e '^not ok' -e '^Bail out' -e '^# ' /tmp/h.out)"
	fi
	if [ -z "$why" ] && [ "$status" != stopped ] &&
	   ! cmp -s /tmp/h.out "$G/expected/$expected"; then
		why="output differs from guests/expected/$expected: got '$(head -c 300 /tmp/h.out)'"
	fi
	bad=$(host_bad)
	[ -z "$bad" ] || why="${why:+$why; }host log: $bad"
	check "hostile-$n" "$why"
}

while read -r name image status expected args; do
	case $name in '' | '#'*) continue ;; esac
	# shellcheck disable=SC2086 # the arguments are words
	run_case "$name" "$image" "$status" "$expected" $args
done <"$G/hostile-cases"

# Only here: QEMU raises neither #AC nor #XM, nor #GP for an unknown MSR,
# and a PC has ports that reset it.
run_case privileged-ports privileged.elf 0 privileged-ports.out ports
# Past RAM, shadowvmm reads all ones (QEMU zeros): the same lines, stricter.
run_case maxphys-ones maxphys.elf 0 maxphys.out ones
run_case noidt-17 noidt.elf reset noidt-17.out 17
run_case noidt-19 noidt.elf reset noidt-19.out 19
run_case noidt-13-wrmsr noidt.elf reset noidt-13-wrmsr.out 13 wrmsr

# What CPUID decides about. Each check is its own result line, so that
# the defects issue 9 already names (MSR values that reach host state
# unchecked, or are lost) show as such until they are fixed.
dmesg_mark
shadowvmm run "$G/privileged.elf" --mem 32M --cmdline arch >/tmp/h.out 2>/tmp/h.err </dev/null
st=$?
if ! grep -q '^1\.\.[0-9]' /tmp/h.out; then
	fail hostile-privileged-arch "exited $st without a plan line; stderr: $(head -c 200 /tmp/h.err); stdout: $(tail -c 300 /tmp/h.out)"
fi
grep -E '^(not )?ok [0-9]+ - ' /tmp/h.out | while IFS= read -r line; do
	num=$(echo "$line" | sed 's/^\(not \)\{0,1\}ok \([0-9]*\) - .*/\2/')
	case $line in
	ok*) pass "hostile-privileged-arch-$num" ;;
	*) fail "hostile-privileged-arch-$num" "$line" ;;
	esac
done
# The guest's own notes on what went wrong, for the log.
grep '^# ' /tmp/h.out | tail -n +2
check hostile-privileged-arch-host-log "$(host_bad)"

# After all that the host is fine and the next guest runs.
out=$(shadowvmm run "$G/hello.elf" 2>&1)
check hostile-after "$(echo "$out" | grep -q 'Hello, world' || echo "hello after the hostile guests: $out")"
