/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_STATS_H
#define SHADOWVMM_STATS_H

#include <linux/compiler.h>
#include <linux/types.h>
#include "exit_reason.h"

enum shadowvmm_stat_id {
#define SHADOWVMM_STAT(id, name, kind, unit)	SHADOWVMM_STAT_##id,
#include "stats_list.h"
	SHADOWVMM_NR_STATS
};

/*
 * Per-VM counters. Only the vCPU thread writes them; readers take a
 * torn-free snapshot of each (64-bit stores are single on x86-64).
 */
struct shadowvmm_stats {
	u64 counter[SHADOWVMM_NR_STATS];
	u64 exits_by_reason[SHADOWVMM_EXIT_REASONS];
	u64 exit_cycles_by_reason[SHADOWVMM_EXIT_REASONS];
};

static inline void shadowvmm_stat_add(struct shadowvmm_stats *stats,
				      enum shadowvmm_stat_id id, u64 n)
{
	WRITE_ONCE(stats->counter[id], stats->counter[id] + n);
}

/* For counters of kind SHADOWVMM_STAT_INSTANT: the current level. */
static inline void shadowvmm_stat_set(struct shadowvmm_stats *stats,
				      enum shadowvmm_stat_id id, u64 value)
{
	WRITE_ONCE(stats->counter[id], value);
}

static inline void shadowvmm_stat_count_exit(struct shadowvmm_stats *stats,
					     u32 exit_reason)
{
	u16 basic = shadowvmm_exit_basic(exit_reason);

	shadowvmm_stat_add(stats, SHADOWVMM_STAT_EXITS, 1);
	if (basic < SHADOWVMM_EXIT_REASONS)
		WRITE_ONCE(stats->exits_by_reason[basic],
			   stats->exits_by_reason[basic] + 1);
}

/* Host cycles spent handling one exit, added to its reason's total. */
static inline void shadowvmm_stat_exit_cycles(struct shadowvmm_stats *stats,
					      u32 exit_reason, u64 cycles)
{
	u16 basic = shadowvmm_exit_basic(exit_reason);

	if (basic < SHADOWVMM_EXIT_REASONS)
		WRITE_ONCE(stats->exit_cycles_by_reason[basic],
			   stats->exit_cycles_by_reason[basic] + cycles);
}

typedef int (*shadowvmm_stat_fn)(void *ctx, const char *name, u64 value,
				 u32 kind, u32 unit);

int shadowvmm_stats_for_each(const struct shadowvmm_stats *stats,
			     shadowvmm_stat_fn fn, void *ctx);

#endif
