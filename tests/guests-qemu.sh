#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# QEMU as the oracle: every guest must print exactly its expected output
# and end the way it is meant to under qemu-system-x86_64 -kernel, the
# same way it must under shadowvmm (tests/e2e). If QEMU and a guest
# disagree, the guest is wrong, not the VMM.
#
# Guests that exit are listed in guests/cases, shared with the e2e suite,
# and the hostile ones in guests/hostile-cases (e2e 57-hostile-guests).
# The ones that never write an exit status are listed below instead.
#
# Environment: QEMU_TIMEOUT (s, default 60) bounds each run; SPIN_SETTLE
# (s, default 2) is how long a "runs" guest must outlive its output;
# LINUX_GUEST, scripts/build-guest-linux's directory, adds the Linux
# guest's cases (guests/linux/cases); STOCK_LINUX, a distribution's stock
# vmlinux (scripts/stock-vmlinux), adds its cases (guests/linux/stock-cases)
# with the Linux guest's initramfs.
set -u

repo=$(cd "$(dirname "$0")/.." && pwd)
guests=$repo/guests
timeout_s=${QEMU_TIMEOUT:-60}
settle_s=${SPIN_SETTLE:-2}
failed=0

# case     image       how it ends  [arguments...]
# "runs": prints, then must still be running; "reset": a triple fault,
# which -no-reboot turns into QEMU exiting 0 (no debug-exit write).
# apic-idle: sti; hlt for ever, woken by its timer at 100 Hz.
noexit_cases='
spin       spin.elf    runs
halt       halt.elf    runs
triple     triple.elf  reset
apic-idle  apic.elf    runs   idle
'

result() {
	if [ -z "$2" ]; then
		echo "PASS guests-qemu/$1"
	else
		echo "FAIL guests-qemu/$1: $2"
		failed=1
	fi
}

if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "SKIP guests-qemu: qemu-system-x86_64 not installed"
	exit 0
fi
if ! err=$(make -s -C "$guests" 2>&1 >/dev/null); then
	result build "make -C guests failed: $(echo "$err" | tail -n 3)"
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# An Intel CPU with what Bochs' broadwell_ult gives the e2e suite and the
# MMU guests test: PSE, PAE, PGE, NX, long mode, 1 GiB pages, SMEP, SMAP.
# The features TCG cannot emulate are turned off, or QEMU warns about each
# on every run and the warnings crowd out its real complaints.
cpu=Broadwell-noTSX,pdpe1gb=on,pcid=off,x2apic=off,tsc-deadline=off
cpu+=,invpcid=off,rdseed=off,3dnowprefetch=off

# qemu_cmd IMAGE [ARGS...]: sets cmd to the command line the guests are
# written against, under timeout. Callers run the array themselves, not a
# function, so that "${cmd[@]}" & leaves $! naming timeout: killing it
# stops QEMU, where killing a function's subshell would leave it running.
# Never -accel kvm: the host's KVM cannot boot them (ENVIRONMENT.md).
# stdin is /dev/null and -display none, so TERM does not matter.
# ARGS are a case's argument words: loader options among them
# (loader_args) become -initrd, the others the command line.
qemu_cmd() {
	local image=$1

	shift
	loader_args "$@"
	# shellcheck disable=SC2054 # the commas belong to -device
	cmd=(timeout "$timeout_s" qemu-system-x86_64 -kernel "$guests/$image"
	     ${initrd:+-initrd "$initrd"}
	     ${guest_args[0]+-append "${guest_args[*]}"} -m 32M -cpu "$cpu"
	     -device isa-debug-exit,iobase=0xf4,iosize=4
	     -serial stdio -display none -nodefaults -no-reboot)
}

# loader_args WORD...: a case's argument words into guest_args (an
# array: the command line's words) and initrd (QEMU's -initrd value, or
# empty). Loader options, as tests/e2e/cases/10-guests.sh turns them into
# shadowvmm run's: --initrd=FILE, the first module (the last one given
# wins), and --module=FILE[,STRING], the next ones in order, each FILE
# relative to guests/. QEMU takes them all in one -initrd: "FILE STRING"
# for each, comma-separated, which a multiboot guest sees as its modules;
# a PVH guest can have only the initrd, alone.
loader_args() {
	local w f first= mods=

	guest_args=()
	for w in "$@"; do
		case $w in
		--initrd=*)
			first=$guests/${w#--initrd=}
			;;
		--module=*)
			f=${w#--module=}
			case $f in
			*,*) f="$guests/${f%%,*} ${f#*,}" ;;
			*) f=$guests/$f ;;
			esac
			mods+=${mods:+,}$f
			;;
		*)
			guest_args+=("$w")
			;;
		esac
	done
	initrd=$first${first:+${mods:+,}}$mods
}

# check_output NAME EXPECTED: byte for byte, nothing stripped.
check_output() {
	cmp -s "$tmp/$1.out" "$guests/expected/$2" && return 0
	echo "output differs from guests/expected/$2: got '$(head -c 200 \
		"$tmp/$1.out" | tr '\n' '|')'$(stderr_of "$1")"
	return 1
}

# stderr_of NAME: QEMU's complaints, if any, for a failure message.
stderr_of() {
	[ -s "$tmp/$1.err" ] || return 0
	echo "; QEMU: $(head -c 200 "$tmp/$1.err" | tr '\n' ' ')"
}

# QEMU's status is one byte: (status << 1) | 1, truncated. The hostile
# guests' list (guests/hostile-cases) has the same columns, and a status
# of "reset" for a triple fault, which -no-reboot turns into exit 0, or
# "0|N" where a VMM may stop instead: QEMU must give the 0.
while read -r name image status expected args; do
	case $name in '' | '#'*) continue ;; esac
	status=${status%%|*}
	# shellcheck disable=SC2086 # the arguments are words
	qemu_cmd "$image" $args
	"${cmd[@]}" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
	got=$?
	if [ "$status" = reset ]; then
		want=0
	else
		want=$(((status << 1 | 1) & 255))
	fi
	if [ "$got" -eq 124 ]; then
		why="still running after ${timeout_s}s"
	elif [ "$got" -ne "$want" ] && [ "$status" = reset ]; then
		why="QEMU exit status $got, want 0 (a reset)$(stderr_of "$name")"
	elif [ "$got" -ne "$want" ]; then
		why="QEMU exit status $got (guest $((got >> 1))), want $want"
		why+=" (guest $status)$(stderr_of "$name")"
	else
		why=$(check_output "$name" "$expected")
	fi
	result "$name" "$why"
done < <(cat "$guests/cases" "$guests/hostile-cases")

# run_forever NAME IMAGE [ARGS...]: the guest prints its line, then must
# not stop. Wait for the output rather than a fixed time, so a loaded
# machine that is slow to boot QEMU does not fail the case.
run_forever() {
	local name=$1 image=$2 deadline=$((SECONDS + timeout_s))
	# QEMU outlives the wait, so a wrong line is reported as such.
	local timeout_s=$((timeout_s + settle_s + 5))

	shift 2
	qemu_cmd "$image" "$@"
	"${cmd[@]}" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null &
	# Not local: the trap runs after return. Called in $(...), a subshell,
	# so neither pid nor the trap touches the main shell's.
	pid=$!
	trap 'kill "$pid" 2>/dev/null' EXIT
	while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ] &&
	      ! cmp -s "$tmp/$name.out" "$guests/expected/$name.out"; do
		sleep 0.2
	done
	sleep "$settle_s"
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid"
		local st=$? err
		err=$(stderr_of "$name")
		echo "stopped on its own (QEMU exit status $st)$err"
		return
	fi
	kill "$pid"
	wait "$pid" 2>/dev/null
	# QEMU's "terminating on signal" is ours, not the guest's doing.
	: >"$tmp/$name.err"
	check_output "$name" "$name.out"
}

while read -r name image how args; do
	[ -n "$name" ] || continue
	case $how in
	runs)
		# shellcheck disable=SC2086 # the arguments are words
		why=$(run_forever "$name" "$image" $args)
		;;
	reset)
		# shellcheck disable=SC2086 # the arguments are words
		qemu_cmd "$image" $args
		"${cmd[@]}" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
		got=$?
		if [ "$got" -ne 0 ]; then
			why="QEMU exit status $got, want 0 (a reset)"
		else
			why=$(check_output "$name" "$name.out")
		fi
		;;
	esac
	result "$name" "$why"
done <<<"$noexit_cases"

# linux_output [any-release]: the serial output on stdin as the Linux
# guests' cases compare it: less the kernel's own lines and init's list of
# slow initcalls; with "any-release", the kernel's release replaced, so
# that a stock kernel's output is the project's kernel's
linux_output() {
	local release='s/^linux-guest: Linux [^,]*,/linux-guest: Linux RELEASE,/'

	[ "${1:-}" = any-release ] || release=
	tr -d '\r' | grep -v -e '^\[' -e '^slow initcall: ' | sed "$release"
}

# linux_cases PREFIX VMLINUX CASES [any-release]: each case of CASES
# (guests/linux/cases' columns) with VMLINUX and the Linux guest's
# initramfs, reported as PREFIX-<case>
linux_cases() {
	local prefix=$1 vmlinux=$2 cases=$3 how=${4:-} name status expected cmdline got want why
	while read -r name status expected cmdline; do
		case $name in '' | '#'*) continue ;; esac
		# shellcheck disable=SC2054 # the commas belong to -device
		timeout "$timeout_s" qemu-system-x86_64 -kernel "$vmlinux" \
			-initrd "$linux/initramfs.cpio.gz" -append "$cmdline" -m 128M \
			-cpu "$cpu" -device isa-debug-exit,iobase=0xf4,iosize=4 \
			-serial stdio -display none -nodefaults -no-reboot \
			</dev/null 2>"$tmp/$prefix-$name.err" |
			linux_output "$how" >"$tmp/$prefix-$name.out"
		got=${PIPESTATUS[0]}
		want=$(((status << 1 | 1) & 255))
		if [ "$got" -eq 124 ]; then
			why="still running after ${timeout_s}s"
		elif [ "$got" -ne "$want" ]; then
			why="QEMU exit status $got (guest $((got >> 1))), want $want (guest $status)$(stderr_of "$prefix-$name")"
		elif ! linux_output "$how" <"$guests/linux/expected/$expected" |
			cmp -s "$tmp/$prefix-$name.out" -; then
			why="output differs from guests/linux/expected/$expected: got '$(head -c 300 "$tmp/$prefix-$name.out" | tr '\n' '|')'"
		else
			why=
		fi
		result "$prefix-$name" "$why"
	done <"$cases"
}

# The Linux guest (guests/linux/cases), with the vmlinux and initramfs in
# LINUX_GUEST (scripts/build-guest-linux's output directory).
linux=${LINUX_GUEST:-}
if [ -z "$linux" ] || [ ! -f "$linux/vmlinux" ]; then
	echo "SKIP guests-qemu/linux: no Linux guest (set LINUX_GUEST to scripts/build-guest-linux's directory)"
	exit $failed
fi
linux_cases linux "$linux/vmlinux" "$guests/linux/cases"

# A distribution's stock kernel (guests/linux/stock-cases).
if [ -z "${STOCK_LINUX:-}" ] || [ ! -f "$STOCK_LINUX" ]; then
	echo "SKIP guests-qemu/linux-stock: no stock kernel (set STOCK_LINUX to scripts/stock-vmlinux's output)"
	exit $failed
fi
linux_cases linux-stock "$STOCK_LINUX" "$guests/linux/stock-cases" any-release

exit $failed
