# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# e2e-timeout: 600
# The targets of tests/bench/ops, from the counters: each benchmark
# operation runs n1 and n2 times under shadowvmm, then (shadowvmm
# unloaded: one hypervisor owns VMX at a time) under KVM's shadow MMU
# (this boot has kvm_intel.ept=0), and a counter's cost per operation is
# (counter(n2) - counter(n1)) / (n2 - n1), exactly.
#   exit-target-OP  exits per operation within the target, and the other
#                   counters named there within theirs
#   versus-kvm-OP   no more exits than KVM, and no more guest TSC cycles
#                   (which under Bochs count emulated instructions, the
#                   hypervisor's included, to within some 15% between
#                   runs: shadowvmm takes half of KVM's or less, so this
#                   fails on a regression, not on noise)
# Exits the host's timer causes are left out (bench_finish in lib.sh).
# Integers throughout: a test of the counts, never of time. "make bench"
# prints the same numbers as a table.
. /test/lib.sh

if ! require_module; then
	fail exit-targets "insmod failed: $(dmesg | grep -i shadowvmm | tail -n 2)"
	exit 0
fi
ops=$(grep -v '^#' /test/bench/ops)
# runs VMM: every operation n1 and n2 times, counters in /tmp/targets.*
runs() {
	echo "$ops" | while read -r op n1 n2 _; do
		[ -n "$op" ] || continue
		for n in $n1 $n2; do
			f=/tmp/targets.$1.$op.$n
			rm -f "$f"
			why=$(bench_"$1" "$op" "$n" "$f") || echo "$1 $op $n: $why" >"$f.failed"
		done
	done
}
runs shadowvmm
rmmod "$MOD" || fail versus-kvm "rmmod shadowvmm failed: KVM cannot have VMX"
ept=$(cat /sys/module/kvm_intel/parameters/ept 2>/dev/null || echo none)
[ "$ept" = N ] || fail versus-kvm "kvm_intel.ept is $ept, not N: KVM would not use its shadow MMU"
runs kvm
require_module || fail exit-targets "insmod after the KVM runs failed"

# failed OP: why a run of OP gave no counters, or nothing
failed() { cat /tmp/targets.*."$1".*.failed 2>/dev/null | head -n 2; }

echo "$ops" | while read -r op n1 n2 target extra; do
	[ -n "$op" ] || continue
	a=/tmp/targets.shadowvmm.$op.$n1
	b=/tmp/targets.shadowvmm.$op.$n2
	ka=/tmp/targets.kvm.$op.$n1
	kb=/tmp/targets.kvm.$op.$n2
	n=$((n2 - n1))
	why=$(failed "$op")
	if [ -n "$why" ]; then
		fail "exit-target-$op" "$why"
		fail "versus-kvm-$op" "$why"
		continue
	fi
	d=$(($(stat_of "$b" exits_guest) - $(stat_of "$a" exits_guest)))
	[ "$d" -le $((target * n)) ] ||
		why="$(per_op "$a" "$b" "$n1" "$n2" exits_guest) exits per $op, target <= $target ($d exits in $n more iterations)"
	for t in $extra; do
		name=${t%%<=*}
		max=${t#*<=}
		d=$(($(stat_of "$b" "$name") - $(stat_of "$a" "$name")))
		[ "$d" -le $((max * n)) ] ||
			why="$why; $(per_op "$a" "$b" "$n1" "$n2" "$name") $name per $op, target <= $max"
	done
	# what each iteration cost, to say where the exits went
	where=
	for s in exits_exception_nmi exits_cr_access exits_invlpg pf_fixed pf_guest pf_emulated mmu_pte_write mmu_flooded mmu_shadow_zapped mmu_cache_miss root_cache_miss; do
		where="$where; $s $(per_op "$a" "$b" "$n1" "$n2" "$s")"
	done
	check "exit-target-$op" "${why:+$why$where}"

	sv=$(per_op "$a" "$b" "$n1" "$n2" exits_guest)
	kv=$(per_op "$ka" "$kb" "$n1" "$n2" exits_guest)
	st=$(per_op "$a" "$b" "$n1" "$n2" tsc)
	kt=$(per_op "$ka" "$kb" "$n1" "$n2" tsc)
	echo "versus KVM: $op: exits $sv (KVM $kv), TSC cycles $st (KVM $kt)"
	why=
	[ $(($(stat_of "$b" exits_guest) - $(stat_of "$a" exits_guest))) -le \
		$(($(stat_of "$kb" exits_guest) - $(stat_of "$ka" exits_guest))) ] ||
		why="$sv exits per $op, KVM $kv"
	[ $(($(stat_of "$b" tsc) - $(stat_of "$a" tsc))) -le \
		$(($(stat_of "$kb" tsc) - $(stat_of "$ka" tsc))) ] ||
		why="${why:+$why; }$st TSC cycles per $op, KVM $kt"
	check "versus-kvm-$op" "${why:+$why$where}"
done
