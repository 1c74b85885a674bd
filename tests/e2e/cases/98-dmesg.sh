# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# e2e-timeout: 900
# At the end the kernel log holds no BUG, WARNING, oops, lockdep, KASAN or
# hung-task report, and kmemleak finds no object the module allocated and
# lost (the debug test kernel scans only when asked: here).
. /test/lib.sh

bad=$(dmesg | dmesg_bad)
check dmesg-clean "$bad"

kml=/sys/kernel/debug/kmemleak
if [ ! -w "$kml" ]; then
	skip kmemleak "no $kml: not the debug test kernel"
	exit 0
fi
# An object is reported once two scans, some seconds apart, found nothing
# pointing at it. Each scan visits every object: drop the caches first.
echo 3 >/proc/sys/vm/drop_caches
t0=$(cut -d. -f1 /proc/uptime)
echo scan >"$kml"
sleep 6
echo scan >"$kml"
cat "$kml" >/tmp/kmemleak.txt
total=$(grep -c '^unreferenced object' /tmp/kmemleak.txt)
ours=$(awk '/^unreferenced object/ { obj = $0 } /shadowvmm/ && obj != "" { print obj; obj = "" }' /tmp/kmemleak.txt)
echo "kmemleak: two scans in $(($(cut -d. -f1 /proc/uptime) - t0)) s: $total unreferenced object(s), $(echo "$ours" | grep -c . ) from shadowvmm"
check kmemleak "$([ -z "$ours" ] || { echo "$ours" | head -n 3; grep -A 12 -m 1 shadowvmm /tmp/kmemleak.txt; })"
