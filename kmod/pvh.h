/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_PVH_H
#define SHADOWVMM_PVH_H

#include <linux/types.h>
#include "boot.h"

u32 shadowvmm_pvh_build(void *ram, u64 ram_size,
			const struct shadowvmm_boot *boot);

#endif
