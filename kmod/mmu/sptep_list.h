/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_MMU_SPTEP_LIST_H
#define SHADOWVMM_MMU_SPTEP_LIST_H

#include <linux/types.h>

#define SPTEP_LIST_SLOTS	7

/*
 * A set of pointers to shadow entries, in chained blocks of seven (one
 * cache line each). It serves both reverse maps: from a guest frame to the
 * leaf entries that map it, and from a shadow page to the entries that
 * point at it. Blocks come from the caller's preallocated stock, because
 * the fault path runs with preemption off and must not sleep, and go back
 * to it while it has room, so that a block freed costs the next fault no
 * allocation.
 */
struct sptep_block {
	u64 *sptep[SPTEP_LIST_SLOTS];
	struct sptep_block *next;
};

struct sptep_list {
	struct sptep_block *head;
};

/*
 * Enough blocks for a few faults that each link and map a whole path,
 * topped up to SPTEP_STOCK_FILL; blocks freed go back up to
 * SPTEP_STOCK_BLOCKS, as many as a fork's or an exit's worth of mappings
 * come and go (16 KiB a VM).
 */
#define SPTEP_STOCK_FILL	64
#define SPTEP_STOCK_BLOCKS	256

struct sptep_stock {
	struct sptep_block *blocks[SPTEP_STOCK_BLOCKS];
	unsigned int nr;
};

void sptep_list_add(struct sptep_list *list, u64 *sptep,
		    struct sptep_stock *stock);
void sptep_list_del(struct sptep_list *list, u64 *sptep,
		    struct sptep_stock *stock);
void sptep_list_clear(struct sptep_list *list, struct sptep_stock *stock);

int sptep_stock_fill(struct sptep_stock *stock);
void sptep_stock_free(struct sptep_stock *stock);

/*
 * A walk over a set: for (p = sptep_first(list, &it); p; p = sptep_next(&it)).
 * The loop body may not change the set.
 */
struct sptep_iter {
	struct sptep_block *block;
	unsigned int slot;
};

static inline u64 *sptep_next(struct sptep_iter *it)
{
	while (it->block) {
		if (it->slot < SPTEP_LIST_SLOTS && it->block->sptep[it->slot])
			return it->block->sptep[it->slot++];
		it->block = it->block->next;
		it->slot = 0;
	}
	return NULL;
}

static inline u64 *sptep_first(const struct sptep_list *list,
			       struct sptep_iter *it)
{
	it->block = list->head;
	it->slot = 0;
	return sptep_next(it);
}

#endif
