// SPDX-License-Identifier: GPL-2.0
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/pgtable_types.h>
#include "gmem.h"
#include "mmu/identity.h"

#define PAE_ENTRIES	512
#define PT_SPAN		(PAGE_SIZE * PAE_ENTRIES)	/* 2 MiB */
#define PD_SPAN		(PT_SPAN * PAE_ENTRIES)		/* 1 GiB */

/* PAE PDPTEs have only P and the cache bits; RW/US/A there are reserved. */
#define PDPTE_FLAGS	_PAGE_PRESENT
/* Ring 3 and writes allowed everywhere: the guest believes paging is off. */
#define PDE_FLAGS	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define PTE_FLAGS	(PDE_FLAGS | _PAGE_DIRTY)

static u64 *alloc_table(gfp_t extra)
{
	return (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT | extra);
}

/**
 * shadowvmm_identity_map_build() - map all of guest RAM one to one
 * @map: zero-initialised map
 * @gmem: guest RAM
 *
 * Return: 0 or -ENOMEM (the caller frees a partial map).
 */
int shadowvmm_identity_map_build(struct shadowvmm_identity_map *map,
				 const struct shadowvmm_gmem *gmem)
{
	unsigned int i;
	u64 gpa;

	map->nr_pt = DIV_ROUND_UP(gmem->size, PT_SPAN);
	map->pt = kcalloc(map->nr_pt, sizeof(*map->pt), GFP_KERNEL_ACCOUNT);
	map->pdpt = alloc_table(GFP_DMA32);
	if (!map->pt || !map->pdpt)
		return -ENOMEM;

	for (i = 0; i < map->nr_pt; i++) {
		unsigned int pdpt_index = i / PAE_ENTRIES;
		u64 *pd = map->pd[pdpt_index];

		if (!pd) {
			pd = alloc_table(0);
			if (!pd)
				return -ENOMEM;
			map->pd[pdpt_index] = pd;
			map->pdpt[pdpt_index] = __pa(pd) | PDPTE_FLAGS;
		}
		map->pt[i] = alloc_table(0);
		if (!map->pt[i])
			return -ENOMEM;
		pd[i % PAE_ENTRIES] = __pa(map->pt[i]) | PDE_FLAGS;
	}

	for (gpa = 0; gpa < gmem->size; gpa += PAGE_SIZE) {
		u64 *pt = map->pt[gpa / PT_SPAN];

		pt[(gpa / PAGE_SIZE) % PAE_ENTRIES] =
			((u64)shadowvmm_gmem_pfn(gmem, gpa) << PAGE_SHIFT) |
			PTE_FLAGS;
	}
	return 0;
}

void shadowvmm_identity_map_free(struct shadowvmm_identity_map *map)
{
	unsigned int i;

	for (i = 0; map->pt && i < map->nr_pt; i++)
		free_page((unsigned long)map->pt[i]);
	kfree(map->pt);
	for (i = 0; i < ARRAY_SIZE(map->pd); i++)
		free_page((unsigned long)map->pd[i]);
	free_page((unsigned long)map->pdpt);
	*map = (struct shadowvmm_identity_map){};
}

/* The CR3 value that makes the hardware walk this map. */
u64 shadowvmm_identity_map_root(const struct shadowvmm_identity_map *map)
{
	return __pa(map->pdpt);
}
