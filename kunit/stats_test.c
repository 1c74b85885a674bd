// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>
#include <linux/shadowvmm.h>
#include <asm/vmx.h>
#include "stats.h"

#define MAX_SEEN	(SHADOWVMM_NR_STATS + 2 * SHADOWVMM_EXIT_REASONS)

struct seen {
	unsigned int nr;
	char name[MAX_SEEN][SHADOWVMM_STAT_NAME_MAX];
	u64 value[MAX_SEEN];
	u32 kind[MAX_SEEN];
	u32 unit[MAX_SEEN];
};

static int record(void *ctx, const char *name, u64 value, u32 kind, u32 unit)
{
	struct seen *s = ctx;

	if (s->nr == MAX_SEEN)
		return -ENOSPC;
	strscpy(s->name[s->nr], name, SHADOWVMM_STAT_NAME_MAX);
	s->value[s->nr] = value;
	s->kind[s->nr] = kind;
	s->unit[s->nr] = unit;
	s->nr++;
	return 0;
}

/* Each reason seen: its count, then the cycles spent on it, both summed. */
static void exit_cycles_follow_exits(struct kunit *test)
{
	struct shadowvmm_stats *stats = kunit_kzalloc(test, sizeof(*stats),
						      GFP_KERNEL);
	struct seen *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	unsigned int i = SHADOWVMM_NR_STATS;

	KUNIT_ASSERT_NOT_NULL(test, stats);
	KUNIT_ASSERT_NOT_NULL(test, s);
	shadowvmm_stat_count_exit(stats, EXIT_REASON_CPUID);
	shadowvmm_stat_exit_cycles(stats, EXIT_REASON_CPUID, 100);
	shadowvmm_stat_count_exit(stats, EXIT_REASON_CPUID);
	shadowvmm_stat_exit_cycles(stats, EXIT_REASON_CPUID, 50);
	shadowvmm_stat_count_exit(stats, EXIT_REASON_HLT);
	shadowvmm_stat_exit_cycles(stats, EXIT_REASON_HLT, 7);
	KUNIT_ASSERT_EQ(test, shadowvmm_stats_for_each(stats, record, s), 0);

	KUNIT_ASSERT_EQ(test, s->nr, SHADOWVMM_NR_STATS + 4);
	KUNIT_EXPECT_STREQ(test, s->name[0], "exits");
	KUNIT_EXPECT_EQ(test, s->value[0], 3);
	KUNIT_EXPECT_STREQ(test, s->name[i], "exits_cpuid");
	KUNIT_EXPECT_EQ(test, s->value[i], 2);
	KUNIT_EXPECT_STREQ(test, s->name[i + 1], "exit_cycles_cpuid");
	KUNIT_EXPECT_EQ(test, s->value[i + 1], 150);
	KUNIT_EXPECT_EQ(test, s->kind[i + 1], SHADOWVMM_STAT_CUMULATIVE);
	/* Counts have no unit, cycles say so. */
	KUNIT_EXPECT_EQ(test, s->unit[i], SHADOWVMM_STAT_UNIT_NONE);
	KUNIT_EXPECT_EQ(test, s->unit[i + 1], SHADOWVMM_STAT_UNIT_CYCLES);
	KUNIT_EXPECT_STREQ(test, s->name[i + 2], "exits_hlt");
	KUNIT_EXPECT_STREQ(test, s->name[i + 3], "exit_cycles_hlt");
	KUNIT_EXPECT_EQ(test, s->value[i + 3], 7);
}

/* The longest names, "exit_cycles_<reason>", must not be cut short. */
static void names_fit(struct kunit *test)
{
	struct shadowvmm_stats *stats = kunit_kzalloc(test, sizeof(*stats),
						      GFP_KERNEL);
	struct seen *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, stats);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < SHADOWVMM_EXIT_REASONS; i++)
		shadowvmm_stat_count_exit(stats, i);
	KUNIT_ASSERT_EQ(test, shadowvmm_stats_for_each(stats, record, s), 0);
	for (i = SHADOWVMM_NR_STATS; i < s->nr; i += 2) {
		const char *reason = s->name[i] + strlen("exits_");

		KUNIT_EXPECT_STREQ(test, s->name[i + 1] + strlen("exit_cycles_"),
				   reason);
	}
}

/*
 * The fixed counters' names are a contract: the CLI, tests/e2e and
 * tests/bench parse them. Pinned here as user space sees them.
 */
static void fixed_names_stay(struct kunit *test)
{
	static const char *const names[] = {
		"exits", "io_exits", "console_bytes", "console_input_bytes",
		"msr_unhandled", "guest_cycles", "bursts", "vmlaunches",
		"vmcs_moves", "halt_exits", "halt_wakeup", "irq_injections",
		"irq_window_exits", "nmi_injections", "nmi_window_exits",
		"mmio_exits", "ioapic_irqs", "pf_fixed", "pf_guest",
		"pf_spurious", "pf_emulated", "invlpg", "tlb_flush",
		"cr3_switch", "root_cache_hit", "root_cache_miss",
		"mmu_pte_write", "mmu_unsync", "mmu_unprotect",
		"mmu_shadow_zapped", "mmu_flooded", "mmu_recycled",
		"mmu_cache_miss", "mmu_shadow_pages",
	};
	struct shadowvmm_stats *stats = kunit_kzalloc(test, sizeof(*stats),
						      GFP_KERNEL);
	struct seen *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, stats);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, shadowvmm_stats_for_each(stats, record, s), 0);
	KUNIT_ASSERT_EQ(test, s->nr, ARRAY_SIZE(names));
	for (i = 0; i < ARRAY_SIZE(names); i++)
		KUNIT_EXPECT_STREQ(test, s->name[i], names[i]);
	KUNIT_EXPECT_EQ(test, s->unit[SHADOWVMM_STAT_CONSOLE_BYTES],
			SHADOWVMM_STAT_UNIT_BYTES);
	KUNIT_EXPECT_EQ(test, s->unit[SHADOWVMM_STAT_CONSOLE_INPUT_BYTES],
			SHADOWVMM_STAT_UNIT_BYTES);
	KUNIT_EXPECT_EQ(test, s->unit[SHADOWVMM_STAT_GUEST_CYCLES],
			SHADOWVMM_STAT_UNIT_CYCLES);
	KUNIT_EXPECT_EQ(test, s->unit[SHADOWVMM_STAT_EXITS],
			SHADOWVMM_STAT_UNIT_NONE);
	KUNIT_EXPECT_EQ(test, s->kind[SHADOWVMM_STAT_EXITS],
			SHADOWVMM_STAT_CUMULATIVE);
	KUNIT_EXPECT_EQ(test, s->kind[SHADOWVMM_STAT_MMU_SHADOW_PAGES],
			SHADOWVMM_STAT_INSTANT);
	KUNIT_EXPECT_EQ(test, s->unit[SHADOWVMM_STAT_MMU_SHADOW_PAGES],
			SHADOWVMM_STAT_UNIT_PAGES);
}

static struct kunit_case stats_cases[] = {
	KUNIT_CASE(fixed_names_stay),
	KUNIT_CASE(exit_cycles_follow_exits),
	KUNIT_CASE(names_fit),
	{}
};

static struct kunit_suite stats_suite = {
	.name = "shadowvmm_stats",
	.test_cases = stats_cases,
};

kunit_test_suite(stats_suite);
