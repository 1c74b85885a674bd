# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# The module loads on a CPU with VMX and the kernel does not complain.
. /test/lib.sh

dmesg_mark
if ! out=$(insmod "$KO" 2>&1); then
	fail insmod "insmod failed: $out; dmesg: $(dmesg_new | tail -n 5)"
	exit 0
fi
why=
module_loaded || why="not in /proc/modules after insmod"
bad=$(dmesg_new | dmesg_bad)
[ -z "$bad" ] || why="kernel complained: $bad"
dmesg_new | grep -qi shadowvmm || echo "note: no shadowvmm line in dmesg at load"
check insmod "$why"
