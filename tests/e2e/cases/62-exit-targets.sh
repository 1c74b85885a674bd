# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# The exit-count targets of tests/bench/ops, from the counters: each
# benchmark operation runs n1 and n2 times under shadowvmm, and its
# exits per operation, (exits(n2) - exits(n1)) / (n2 - n1), must not pass
# the target; nor may the other counters named there. Exits the host's
# timer causes are left out (bench_finish in lib.sh). Exact integers:
# a test of the counts, never of time. "make bench" prints the table.
. /test/lib.sh

if ! require_module; then
	fail exit-targets "insmod failed: $(dmesg | grep -i shadowvmm | tail -n 2)"
	exit 0
fi
grep -v '^#' /test/bench/ops | while read -r op n1 n2 target extra; do
	[ -n "$op" ] || continue
	a=/tmp/targets.$op.$n1
	b=/tmp/targets.$op.$n2
	if ! why=$(bench_shadowvmm "$op" "$n1" "$a") ||
	   ! why=$(bench_shadowvmm "$op" "$n2" "$b"); then
		fail "exit-target-$op" "$why"
		continue
	fi
	n=$((n2 - n1))
	why=
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
	if [ -n "$why" ]; then
		# what each iteration cost, to say where the exits went
		for s in exits_exception_nmi exits_cr_access exits_invlpg pf_fixed pf_guest pf_emulated mmu_pte_write mmu_flooded mmu_shadow_zapped mmu_cache_miss root_cache_miss; do
			why="$why; $s $(per_op "$a" "$b" "$n1" "$n2" "$s")"
		done
	fi
	check "exit-target-$op" "$why"
done
