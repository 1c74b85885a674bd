// SPDX-License-Identifier: GPL-2.0
/*
 * Counters describe themselves (name and kind), so user space prints and
 * rates them without a list of its own. Names follow KVM's where the
 * meaning is the same.
 */
#include <linux/kernel.h>
#include <linux/shadowvmm.h>
#include "stats.h"

static const struct {
	const char *name;
	u32 kind;
	u32 unit;
} stat_desc[SHADOWVMM_NR_STATS] = {
	[SHADOWVMM_STAT_EXITS] = { "exits", SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_IO_EXITS] = { "io_exits", SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_CONSOLE_BYTES] = { "console_bytes",
					   SHADOWVMM_STAT_CUMULATIVE,
					   SHADOWVMM_STAT_UNIT_BYTES },
	[SHADOWVMM_STAT_CONSOLE_INPUT_BYTES] = { "console_input_bytes",
						 SHADOWVMM_STAT_CUMULATIVE,
						 SHADOWVMM_STAT_UNIT_BYTES },
	[SHADOWVMM_STAT_MSR_UNHANDLED] = { "msr_unhandled",
					   SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_GUEST_CYCLES] = { "guest_cycles",
					  SHADOWVMM_STAT_CUMULATIVE,
					  SHADOWVMM_STAT_UNIT_CYCLES },
	[SHADOWVMM_STAT_BURSTS] = { "bursts", SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_VMLAUNCHES] = { "vmlaunches",
					SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_VMCS_MOVES] = { "vmcs_moves",
					SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_HALT_EXITS] = { "halt_exits",
					SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_HALT_WAKEUP] = { "halt_wakeup",
					 SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_IRQ_INJECTIONS] = { "irq_injections",
					    SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_IRQ_WINDOW_EXITS] = { "irq_window_exits",
					      SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_NMI_INJECTIONS] = { "nmi_injections",
					    SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_NMI_WINDOW_EXITS] = { "nmi_window_exits",
					      SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_MMIO_EXITS] = { "mmio_exits",
					SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_IOAPIC_IRQS] = { "ioapic_irqs",
					 SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_PF_FIXED] = { "pf_fixed", SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_PF_GUEST] = { "pf_guest", SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_PF_SPURIOUS] = { "pf_spurious",
					 SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_PF_EMULATED] = { "pf_emulated",
					 SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_INVLPG] = { "invlpg", SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_TLB_FLUSH] = { "tlb_flush", SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_CR3_SWITCH] = { "cr3_switch",
					SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_ROOT_CACHE_HIT] = { "root_cache_hit",
					    SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_ROOT_CACHE_MISS] = { "root_cache_miss",
					     SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_MMU_PTE_WRITE] = { "mmu_pte_write",
					   SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_MMU_UNSYNC] = { "mmu_unsync", SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_MMU_UNPROTECT] = { "mmu_unprotect",
					   SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_MMU_SHADOW_ZAPPED] = { "mmu_shadow_zapped",
					       SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_MMU_FLOODED] = { "mmu_flooded",
					 SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_MMU_RECYCLED] = { "mmu_recycled",
					  SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_MMU_CACHE_MISS] = { "mmu_cache_miss",
					    SHADOWVMM_STAT_CUMULATIVE },
	[SHADOWVMM_STAT_MMU_SHADOW_PAGES] = { "mmu_shadow_pages",
					      SHADOWVMM_STAT_INSTANT,
					      SHADOWVMM_STAT_UNIT_PAGES },
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
	char name[SHADOWVMM_STAT_NAME_MAX];
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
		snprintf(name, sizeof(name), "exits_%s",
			 shadowvmm_exit_reason_name(i));
		err = fn(ctx, name, value, SHADOWVMM_STAT_CUMULATIVE,
			 SHADOWVMM_STAT_UNIT_NONE);
		if (err)
			return err;
		snprintf(name, sizeof(name), "exit_cycles_%s",
			 shadowvmm_exit_reason_name(i));
		err = fn(ctx, name, READ_ONCE(stats->exit_cycles_by_reason[i]),
			 SHADOWVMM_STAT_CUMULATIVE, SHADOWVMM_STAT_UNIT_CYCLES);
		if (err)
			return err;
	}
	return 0;
}
