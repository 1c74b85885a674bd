// SPDX-License-Identifier: GPL-2.0
/*
 * Sets of shadow-entry pointers. The first block is kept densely filled
 * from slot 0 and the others full, so an empty slot ends the first block's
 * entries and deletion swaps the victim with the first block's last entry.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include "mmu/sptep_list.h"

static unsigned int first_free(const struct sptep_block *block)
{
	unsigned int i;

	for (i = 0; i < SPTEP_LIST_SLOTS && block->sptep[i]; i++)
		;
	return i;
}

/* A block no set uses: back to @stock while it has room. */
static void stock_put(struct sptep_stock *stock, struct sptep_block *block)
{
	if (stock->nr < ARRAY_SIZE(stock->blocks))
		stock->blocks[stock->nr++] = block;
	else
		kfree(block);
}

/**
 * sptep_list_add() - add a shadow entry pointer to a set
 * @list: the set
 * @sptep: the entry; must not be in @list yet
 * @stock: where a new block comes from; sptep_stock_fill() must have left
 *	   enough in it (the MMU checks before each fault)
 */
void sptep_list_add(struct sptep_list *list, u64 *sptep,
		    struct sptep_stock *stock)
{
	struct sptep_block *block = list->head;
	unsigned int slot = block ? first_free(block) : SPTEP_LIST_SLOTS;

	if (slot == SPTEP_LIST_SLOTS) {
		if (WARN_ON_ONCE(!stock->nr))
			return;
		block = stock->blocks[--stock->nr];
		memset(block, 0, sizeof(*block));
		block->next = list->head;
		list->head = block;
		slot = 0;
	}
	block->sptep[slot] = sptep;
}

/**
 * sptep_list_del() - remove a shadow entry pointer from a set
 * @list: the set
 * @sptep: the entry; warns if it is not there
 * @stock: where a block left empty goes
 */
void sptep_list_del(struct sptep_list *list, u64 *sptep,
		    struct sptep_stock *stock)
{
	struct sptep_block *head = list->head, *block;
	unsigned int i, last;

	for (block = head; block; block = block->next) {
		for (i = 0; i < SPTEP_LIST_SLOTS && block->sptep[i]; i++) {
			if (block->sptep[i] != sptep)
				continue;
			last = first_free(head) - 1;
			block->sptep[i] = head->sptep[last];
			head->sptep[last] = NULL;
			if (!last) {
				list->head = head->next;
				stock_put(stock, head);
			}
			return;
		}
	}
	WARN_ONCE(1, "shadowvmm: shadow entry %p missing from its reverse map\n",
		  sptep);
}

void sptep_list_clear(struct sptep_list *list, struct sptep_stock *stock)
{
	struct sptep_block *block, *next;

	for (block = list->head; block; block = next) {
		next = block->next;
		stock_put(stock, block);
	}
	list->head = NULL;
}

/* Context: may sleep. */
int sptep_stock_fill(struct sptep_stock *stock)
{
	while (stock->nr < SPTEP_STOCK_FILL) {
		struct sptep_block *block;

		block = kmalloc(sizeof(*block), GFP_KERNEL_ACCOUNT);
		if (!block)
			return -ENOMEM;
		stock->blocks[stock->nr++] = block;
	}
	return 0;
}

void sptep_stock_free(struct sptep_stock *stock)
{
	while (stock->nr)
		kfree(stock->blocks[--stock->nr]);
}
