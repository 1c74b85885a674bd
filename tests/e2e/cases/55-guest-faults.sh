# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Guests that crash or hang stop only themselves: run says how, status 1.
. /test/lib.sh

guest_stops() {
	n=$1 guest=$2 words=$3
	shadowvmm run "$G/$guest.elf" >/tmp/gf.out 2>/tmp/gf.err
	st=$?
	why=
	if [ "$st" -ne 1 ]; then
		why="exited $st, want 1: $(head -c 200 /tmp/gf.err)"
	elif ! grep -q "^shadowvmm: VM [0-9]* .*$words" /tmp/gf.err; then
		why="stderr lacks '$words': $(head -c 200 /tmp/gf.err)"
	elif ! grep -q "^$guest: " /tmp/gf.out; then
		why="the guest's output is missing: $(head -c 200 /tmp/gf.out)"
	fi
	check "$n" "$why"
}

guest_stops triple-fault triple "triple fault at rip 0x"
guest_stops halt-without-status halt "halted without writing an exit status"
# The host is fine and the next guest runs.
out=$(shadowvmm run "$G/hello.elf" 2>&1)
check after-faults "$(echo "$out" | grep -q 'Hello, world' || echo "hello after the faults: $out")"
