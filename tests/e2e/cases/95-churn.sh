# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# e2e-timeout: 600
# Lifecycle churn: 50 rounds of insmod, 3 running VMs, rmmod; then 1000
# VMs created, loaded and destroyed (tests/tools/nlrace --churn). The
# kernel's slab and free pages afterwards are where they were, within the
# noise of a quiet busybox system (measured after dropping the caches and
# after one warm-up round, so that caches the first use grows for good do
# not count): a leak of one page per VM, or of anything per round that
# grows with guest RAM, exceeds the bounds.
. /test/lib.sh

mem_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
free_pages() { awk '$1 == "nr_free_pages" { print $2 }' /proc/vmstat; }
settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 2
	echo 3 >/proc/sys/vm/drop_caches
}
# Bounds: slab in KiB, free memory in 4 KiB pages. Without a leak, in
# Bochs on 1 and 2 CPUs, the module rounds moved by up to 192 KiB and 104
# pages (per-CPU caches, module loading), the VM rounds by up to 4 KiB
# and 40 pages. A page lost per VM in the VM rounds (1000), or two per VM
# torn down by rmmod (300), or 256 bytes of slab per VM, crosses them.
MOD_SLAB_MAX=512
MOD_PAGES_MAX=256
VM_SLAB_MAX=256
VM_PAGES_MAX=128
# judge NAME SLAB0 SLAB1 FREE0 FREE1 SLAB_MAX PAGES_MAX WHAT
judge() {
	ds=$(($3 - $2))
	dp=$(($4 - $5))
	echo "churn: $8: slab $2 -> $3 KiB (delta $ds KiB, bound $6), free pages $4 -> $5 (lost $dp, bound $7)"
	if debug_kernel; then
		# KASAN holds freed objects in its quarantine, so the totals
		# grow without a leak; kmemleak, in the dmesg case, finds
		# each object lost instead.
		echo "churn: $1: bounds not applied on the debug kernel (KASAN quarantine)"
		pass "$1"
		return
	fi
	why=
	[ "$ds" -le "$6" ] || why="slab grew by $ds KiB (bound $6)"
	[ "$dp" -le "$7" ] || why="$why free pages fell by $dp (bound $7)"
	check "$1" "$why"
}

# one round: insmod, three spinning VMs, rmmod while they run
module_round() {
	insmod "$KO" || { echo "insmod failed"; return 1; }
	for k in 1 2 3; do
		id=$(new_vm "$G/spin.elf") || { echo "create/load: $id"; return 1; }
		shadowvmm start "$id" >/dev/null 2>&1 || { echo "start $id failed"; return 1; }
	done
	rmmod "$MOD" || { echo "rmmod failed"; return 1; }
	! module_loaded || { echo "still loaded after rmmod"; return 1; }
}

dmesg_mark
# Above the vCPU threads (kernel threads at nice 0): three spinning VMs on
# two CPUs would leave the next start and the rmmod only what the
# scheduler's tick takes back from them.
renice -n -10 -p $$ >/dev/null
rounds=${CHURN_MODULE_ROUNDS:-50}
! module_loaded || rmmod "$MOD" || { fail churn-module "rmmod failed"; exit 0; }
t0=$(date +%s)
why=$(module_round)
settle
s0=$(mem_kb Slab)
f0=$(free_pages)
i=0
while [ -z "$why" ] && [ "$i" -lt "$rounds" ]; do
	why=$(module_round) || why="round $i: ${why:-failed}"
	i=$((i + 1))
	[ $((i % 10)) -ne 0 ] || echo "churn: $i module rounds, $(($(date +%s) - t0)) s"
done
settle
s1=$(mem_kb Slab)
f1=$(free_pages)
echo "churn: $i module rounds (insmod, 3 running VMs, rmmod) in $(($(date +%s) - t0)) s"
if [ -n "$why" ]; then
	fail churn-module "$why"
else
	judge churn-module "$s0" "$s1" "$f0" "$f1" "$MOD_SLAB_MAX" "$MOD_PAGES_MAX" \
		"$i rounds of insmod, 3 running VMs, rmmod"
fi

require_module || { fail churn-vms "insmod failed"; exit 0; }
t0=$(date +%s)
n=${CHURN_VM_ROUNDS:-1000}
if ! out=$(nlrace --churn 20 2>&1); then
	fail churn-vms "warm-up: $out"
	exit 0
fi
settle
s0=$(mem_kb Slab)
f0=$(free_pages)
if ! out=$(nlrace --churn "$n" 2>&1); then
	fail churn-vms "$out"
else
	settle
	s1=$(mem_kb Slab)
	f1=$(free_pages)
	echo "$out"
	echo "churn: $n VM rounds in $(($(date +%s) - t0)) s"
	judge churn-vms "$s0" "$s1" "$f0" "$f1" "$VM_SLAB_MAX" "$VM_PAGES_MAX" \
		"$n VMs created, loaded and destroyed"
fi
bad=$(dmesg_new | dmesg_bad)
check churn-dmesg-clean "$bad"
