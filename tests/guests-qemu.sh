#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# QEMU as the oracle: every guest in guests/cases must print its expected
# output and exit with its status under qemu-system-x86_64 -kernel, the
# same way it must under shadowvmm. QEMU exits with (status << 1) | 1.
set -u

repo=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$repo/guests" >/dev/null || { echo "FAIL guests-qemu/build: make -C guests failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

qemu() {
	local image=$1; shift
	timeout "${QEMU_TIMEOUT:-60}" qemu-system-x86_64 -kernel "$repo/guests/$image" \
		${1:+-append "$*"} -m 32M -display none -nodefaults -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -serial stdio </dev/null
}

result() {
	if [ -z "$2" ]; then
		echo "PASS guests-qemu/$1"
	else
		echo "FAIL guests-qemu/$1: $2"
		failed=1
	fi
}

while read -r name image status expected args; do
	case $name in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2086 # the arguments are words
	qemu "$image" $args >"$tmp/$name.out" 2>"$tmp/$name.err"
	got=$?
	why=
	if [ "$got" -ne $(((status << 1 | 1) & 255)) ]; then
		why="QEMU exit status $got, want $(((status << 1 | 1) & 255)): $(head -c 200 "$tmp/$name.err")"
	elif ! cmp -s "$tmp/$name.out" "$repo/guests/expected/$expected"; then
		why="output differs from guests/expected/$expected: $(head -c 200 "$tmp/$name.out" | tr '\n' '|')"
	fi
	result "$name" "$why"
done <"$repo/guests/cases"

# spin never exits: it must print its line and still be running.
QEMU_TIMEOUT=5 qemu spin.elf >"$tmp/spin.out" 2>/dev/null
got=$?
why=
if [ "$got" -ne 124 ]; then
	why="exited with $got instead of spinning"
elif ! cmp -s "$tmp/spin.out" "$repo/guests/expected/spin.out"; then
	why="output differs from guests/expected/spin.out"
fi
result spin "$why"
exit $failed
