# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# 300 VMs of the smallest size: list shows them all although the dump
# takes several messages, and create says why when max_vms is reached.
. /test/lib.sh

N=300
P=/sys/module/$MOD/parameters/max_vms
old=$(cat "$P")
echo "$N" >"$P"
before=$(shadowvmm list 2>/dev/null | tail -n +2 | wc -l)
ids=
i=0
why=
while [ "$i" -lt $((N - before)) ]; do
	id=$(shadowvmm create --mem 2M 2>&1) || { why="create $i: $id"; break; }
	ids="$ids $id"
	i=$((i + 1))
done
if [ -z "$why" ]; then
	n=$(shadowvmm list 2>/tmp/l.err | tail -n +2 | wc -l)
	[ "$n" -eq "$N" ] || why="list shows $n VMs, want $N: $(head -c 200 /tmp/l.err)"
	nj=$(shadowvmm -j list 2>&1 | grep -o '"vm_id":' | wc -l)
	[ "$nj" -eq "$N" ] || why="$why list -j shows $nj VMs, want $N;"
	d=$(nlreq --dump VM_GET 2>&1)
	echo "$d"
	case $d in
	"dump: $N messages in "*) ;;
	*) why="$why dump: '$d', want $N messages;" ;;
	esac
	dg=$(echo "$d" | sed -n 's/.* in \([0-9]*\) datagrams.*/\1/p')
	[ "${dg:-0}" -ge 2 ] || why="$why the dump fit in one datagram: '$d';"
fi
check list-300 "$why"

expect_error max-vms-reached 1 shadowvmm create --mem 2M
grep -q 'max_vms VMs exist already' /tmp/ee.err || fail max-vms-reached-text "$(cat /tmp/ee.err)"

for id in $ids; do shadowvmm destroy "$id" >/dev/null 2>&1; done
echo "$old" >"$P"
n=$(shadowvmm list 2>/dev/null | tail -n +2 | wc -l)
check list-300-destroyed "$([ "$n" -eq "$before" ] || echo "$n VMs left, want $before")"
