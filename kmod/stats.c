// SPDX-License-Identifier: GPL-2.0
/*
 * Counters describe themselves (name, kind and unit), so user space prints
 * and rates them without a list of its own. The fixed ones are listed in
 * stats_list.h.
 */
#include <linux/kernel.h>
#include <linux/shadowvmm.h>
#include "stats.h"

static const struct {
	const char *name;
	u32 kind;
	u32 unit;
} stat_desc[SHADOWVMM_NR_STATS] = {
#define SHADOWVMM_STAT(id, name, kind, unit)				\
	[SHADOWVMM_STAT_##id] = { #name, SHADOWVMM_STAT_##kind,		\
				  SHADOWVMM_STAT_UNIT_##unit },
#include "stats_list.h"
};

/**
 * shadowvmm_stats_for_each() - visit every counter
 * @stats: the VM's counters
 * @fn: called with each name, value and kind; a non-zero return stops
 * @ctx: passed to @fn
 *
 * The fixed counters come first, then for each exit reason seen at least
 * once "exits_<reason>" and "exit_cycles_<reason>", the host cycles spent
 * handling them: their ratio is what one such exit costs the VMM.
 *
 * Return: 0 or what @fn returned.
 */
int shadowvmm_stats_for_each(const struct shadowvmm_stats *stats,
			     shadowvmm_stat_fn fn, void *ctx)
{
	char name[SHADOWVMM_STAT_NAME_MAX], reason[SHADOWVMM_EXIT_NAME_MAX];
	unsigned int i;
	int err;

	for (i = 0; i < SHADOWVMM_NR_STATS; i++) {
		err = fn(ctx, stat_desc[i].name, READ_ONCE(stats->counter[i]),
			 stat_desc[i].kind, stat_desc[i].unit);
		if (err)
			return err;
	}
	for (i = 0; i < SHADOWVMM_EXIT_REASONS; i++) {
		u64 value = READ_ONCE(stats->exits_by_reason[i]);

		if (!value)
			continue;
		shadowvmm_exit_reason_name(i, reason);
		snprintf(name, sizeof(name), "exits_%s", reason);
		err = fn(ctx, name, value, SHADOWVMM_STAT_CUMULATIVE,
			 SHADOWVMM_STAT_UNIT_NONE);
		if (err)
			return err;
		snprintf(name, sizeof(name), "exit_cycles_%s", reason);
		err = fn(ctx, name, READ_ONCE(stats->exit_cycles_by_reason[i]),
			 SHADOWVMM_STAT_CUMULATIVE, SHADOWVMM_STAT_UNIT_CYCLES);
		if (err)
			return err;
	}
	return 0;
}
