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

pass() { echo "PASS e2e/$1"; }
# fail NAME WHY...: one line, newlines flattened
fail() {
	n=$1
	shift
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

# dmesg_mark; ...; dmesg_new: the kernel log lines since the mark
dmesg_mark() { dmesg | wc -l >/tmp/dmesg.mark; }
dmesg_new() { dmesg | tail -n +$(($(cat /tmp/dmesg.mark 2>/dev/null || echo 0) + 1)); }
# the kernel's complaints: WARN/BUG/oops lines
dmesg_bad() { grep -E 'BUG:|WARNING:|Oops|general protection|Call Trace|kernel BUG|RIP: ' || true; }

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
