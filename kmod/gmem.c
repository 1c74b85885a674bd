// SPDX-License-Identifier: GPL-2.0
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "gmem.h"

int shadowvmm_gmem_init(struct shadowvmm_gmem *gmem, u64 size)
{
	u64 i, frames = size >> PAGE_SHIFT;

	if (!size || !PAGE_ALIGNED(size))
		return -EINVAL;
	/* Charged to the creator's memory cgroup, like KVM's guest memory. */
	gmem->ram = __vmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_ZERO |
				    __GFP_NOWARN);
	gmem->pfns = kvmalloc_array(frames, sizeof(*gmem->pfns),
				    GFP_KERNEL_ACCOUNT);
	if (!gmem->ram || !gmem->pfns) {
		shadowvmm_gmem_free(gmem);
		return -ENOMEM;
	}
	/* Looked up once: every shadow leaf the MMU makes needs one. */
	for (i = 0; i < frames; i++)
		gmem->pfns[i] = vmalloc_to_pfn(gmem->ram + (i << PAGE_SHIFT));
	gmem->size = size;
	return 0;
}

void shadowvmm_gmem_free(struct shadowvmm_gmem *gmem)
{
	vfree(gmem->ram);
	kvfree(gmem->pfns);
	gmem->ram = NULL;
	gmem->pfns = NULL;
	gmem->size = 0;
}

int shadowvmm_gmem_write(struct shadowvmm_gmem *gmem, u64 gpa,
			 const void *data, size_t len)
{
	if (!shadowvmm_gmem_range_ok(gmem, gpa, len))
		return -ERANGE;
	memcpy(gmem->ram + gpa, data, len);
	return 0;
}

