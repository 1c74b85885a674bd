# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# e2e-timeout: 600
# tests/tools/nlfuzz: 100000 random and malformed requests from three
# threads, on live VMs too; every one answered as Documentation/netlink.rst
# promises (an errno, and an extack message on every refusal of the
# family's). Then the module still runs a guest, uid 65534 is refused
# everything (and the events group), and the kernel log is clean. Late in
# the suite, as the race case: a request that never returns (nlfuzz says
# which, with its kernel stack) wedges the module for the cases after it.
. /test/lib.sh

# run_bg OUT LIMIT CMD...: run CMD with its output in OUT, showing its
# progress lines; not waited on directly, since a request blocked in the
# kernel keeps a process from ever exiting. Return: CMD's status, or 124
# when it did not finish in LIMIT seconds or reported a blocked request.
run_bg() {
	out=$1
	limit=$2
	shift 2
	"$@" </dev/null >"$out" 2>&1 &
	pid=$!
	start=$(date +%s)
	seen=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 2
		n=$(wc -l <"$out")
		if [ "$n" -gt "$seen" ]; then
			sed -n "$((seen + 1)),${n}p" "$out" | grep 'progress'
			seen=$n
		fi
		grep -q 'blocked in the kernel' "$out" && { sleep 1; return 124; }
		[ $(($(date +%s) - start)) -lt "$limit" ] || return 124
	done
	wait "$pid"
}

dmesg_mark
require_module || { fail fuzz "module not loaded"; exit 0; }
t0=$(date +%s)
run_bg /tmp/fuzz.out 480 nlfuzz --seed 1 --count "${FUZZ_COUNT:-100000}" --threads 3 ${FUZZ_ARGS:-}
st=$?
echo "fuzz: $(($(date +%s) - t0)) s"
grep '^nlfuzz:' /tmp/fuzz.out | grep -v progress
if [ "$st" -ne 0 ]; then
	grep -A 14 -E '^(VIOLATION|FAILED)' /tmp/fuzz.out | head -n 30
	grep -A 14 'blocked in the kernel' /tmp/fuzz.out
	first=$(grep -m 1 'blocked in the kernel' /tmp/fuzz.out || grep -m 1 -E '^(VIOLATION|FAILED)' /tmp/fuzz.out)
	fail fuzz "nlfuzz exited $st: $first"
elif ! grep -q '^nlfuzz: violations 0$' /tmp/fuzz.out; then
	fail fuzz "no summary: $(tail -n 3 /tmp/fuzz.out)"
else
	pass fuzz
fi
if [ "$st" -eq 124 ]; then
	# a request is stuck in the module: what follows would only hang;
	# show where the vCPU threads are
	for d in /proc/[0-9]*; do
		case $(cat "$d/comm" 2>/dev/null) in
		shadowvmm*) echo "$(cat "$d/comm") $(cat "$d/stat" | cut -d' ' -f3):" && cat "$d/stack" ;;
		esac
	done 2>/dev/null | head -n 60
	bad=$(dmesg_new | dmesg_bad)
	check fuzz-dmesg-clean "$bad"
	exit 0
fi

# the CLI runs a guest as before
shadowvmm run "$G/hello.elf" --mem 32M >/tmp/fz.out 2>/tmp/fz.err
got=$?
why=
if [ "$got" -ne 0 ]; then
	why="hello.elf exited $got after fuzzing: $(head -c 200 /tmp/fz.err)"
elif ! cmp -s /tmp/fz.out "$G/expected/hello.out"; then
	why="hello.elf printed '$(head -c 200 /tmp/fz.out)' after fuzzing"
fi
check fuzz-then-guest "$why"
left=$(shadowvmm list -j 2>&1)
check fuzz-no-vms-left "$([ "$left" = "[]" ] || echo "VMs left after fuzzing: $left")"

t0=$(date +%s)
run_bg /tmp/fuzz-nr.out 120 nlfuzz --nonroot --seed 1 --count "${FUZZ_NONROOT_COUNT:-5000}"
st=$?
echo "fuzz-nonroot: $(($(date +%s) - t0)) s"
grep '^nlfuzz:' /tmp/fuzz-nr.out
if [ "$st" -ne 0 ]; then
	fail fuzz-nonroot "nlfuzz --nonroot exited $st: $(grep -E '^(VIOLATION|FAILED)' /tmp/fuzz-nr.out | head -n 4)"
else
	pass fuzz-nonroot
fi

bad=$(dmesg_new | dmesg_bad)
check fuzz-dmesg-clean "$bad"
