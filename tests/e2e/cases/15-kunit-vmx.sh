# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# The KUnit suites on an emulated Intel CPU with VMX: nothing may fail,
# and the cases that need VMX, which SKIP under QEMU, must run here.
. /test/lib.sh

ko=/test/shadowvmm_kunit.ko
if [ ! -f "$ko" ]; then
	fail kunit-vmx "the KUnit module was not built"
	exit 0
fi
insmod "$ko" 2>/tmp/kunit.err || { fail kunit-vmx "insmod: $(cat /tmp/kunit.err)"; exit 0; }
cat /sys/kernel/debug/kunit/*/results >/tmp/kunit.ktap 2>/dev/null
rmmod shadowvmm_kunit 2>/dev/null
why=
if ! grep -q '^ok ' /tmp/kunit.ktap; then
	why="no KTAP results in debugfs"
elif grep -q 'not ok' /tmp/kunit.ktap; then
	why="failed: $(grep 'not ok' /tmp/kunit.ktap | head -n 5)"
elif grep -q '# SKIP' /tmp/kunit.ktap; then
	why="skipped on VMX: $(grep '# SKIP' /tmp/kunit.ktap | head -n 3)"
fi
check kunit-vmx "$why"
