/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_MMU_IDENTITY_H
#define SHADOWVMM_MMU_IDENTITY_H

#include <linux/types.h>

struct shadowvmm_gmem;

/*
 * Without unrestricted guest, VMX runs a guest with paging on even while
 * the guest believes paging is off. This PAE table is what the hardware
 * walks then: guest physical == guest linear, each page mapped to the host
 * page that backs it, nothing mapped past the end of guest RAM.
 */
struct shadowvmm_identity_map {
	u64 *pdpt;		/* below 4 GiB: PAE CR3 holds 32 bits */
	u64 *pd[4];
	u64 **pt;
	unsigned int nr_pt;
};

int shadowvmm_identity_map_build(struct shadowvmm_identity_map *map,
				 const struct shadowvmm_gmem *gmem);
void shadowvmm_identity_map_free(struct shadowvmm_identity_map *map);
u64 shadowvmm_identity_map_root(const struct shadowvmm_identity_map *map);

#endif
