/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_GMEM_H
#define SHADOWVMM_GMEM_H

#include <linux/types.h>
#include <asm/page_types.h>

/*
 * Guest RAM: one virtually contiguous, zeroed allocation, guest physical
 * address 0 at its start. Every access from the host side goes through
 * shadowvmm_gmem_range_ok(), so a guest-supplied address can never reach
 * beyond it.
 */
struct shadowvmm_gmem {
	void *ram;
	unsigned long *pfns;	/* the host frame of each guest frame */
	u64 size;
};

int shadowvmm_gmem_init(struct shadowvmm_gmem *gmem, u64 size);
void shadowvmm_gmem_free(struct shadowvmm_gmem *gmem);
int shadowvmm_gmem_write(struct shadowvmm_gmem *gmem, u64 gpa,
			 const void *data, size_t len);

/*
 * Inline: every guest page-table entry the MMU reads, at several a
 * fault, comes through here.
 *
 * Return: true when [@gpa, @gpa + @len) lies inside guest RAM.
 */
static inline bool shadowvmm_gmem_range_ok(const struct shadowvmm_gmem *gmem,
					   u64 gpa, u64 len)
{
	return gpa <= gmem->size && len <= gmem->size - gpa;
}

/* The host page frame backing @gpa, which must lie inside guest RAM. */
static inline unsigned long shadowvmm_gmem_pfn(const struct shadowvmm_gmem *gmem,
					       u64 gpa)
{
	return gmem->pfns[gpa >> PAGE_SHIFT];
}

#endif
