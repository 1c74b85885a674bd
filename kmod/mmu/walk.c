// SPDX-License-Identifier: GPL-2.0
/*
 * The guest page walker, after the Intel SDM, volume 3, chapter 4. One loop
 * serves every paging mode: the modes differ only in entry size, index
 * width, where the top table comes from and which bits are reserved.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include "mmu/walk.h"

#define PT32_LARGE_ADDR_MASK	GENMASK_ULL(31, 22)
#define PT32_PSE36_MASK		GENMASK_ULL(20, 13)
#define PT32_PSE36_SHIFT	(32 - 13)
/* PSE-36 puts at most 8 more address bits in a 4 MiB PDE. */
#define PSE36_MAX_PHYADDR	40

#define PAE_CR3_MASK		GENMASK_ULL(31, 5)
#define PDPTE_RSVD_LOW		(GENMASK_ULL(2, 1) | GENMASK_ULL(8, 5))

/*
 * An A/D update that finds its entry changed retries the whole walk, as
 * the entry may now point elsewhere. Losing that race this often means
 * the guest rewrites its tables as fast as we walk them: better to
 * re-enter it and let the access come back than to spin here.
 */
#define WALK_TRIES		4

static unsigned int maxphyaddr(const struct shadowvmm_paging *pg)
{
	/* No CPU reports less than 32 or more than 52: keep masks sane. */
	return clamp_t(unsigned int, pg->maxphyaddr, 32, 52);
}

static u64 addr_mask(const struct shadowvmm_paging *pg)
{
	return GENMASK_ULL(maxphyaddr(pg) - 1, PAGE_SHIFT);
}

static bool is_leaf(const struct shadowvmm_paging *pg, int level, u64 pte)
{
	if (level == 1)
		return true;
	if (!(pte & _PAGE_PSE))
		return false;
	/* Without CR4.PSE, 32-bit paging ignores PDE.PS. */
	return pg->mode != SHADOWVMM_PAGING_32 || pg->pse;
}

/*
 * The reserved bits of every entry in @pg's mode, whatever its level:
 * worked out once a walk, as the walk reads up to four entries.
 */
static u64 rsvd_common(const struct shadowvmm_paging *pg)
{
	unsigned int m = maxphyaddr(pg);
	u64 rsvd;

	if (pg->mode == SHADOWVMM_PAGING_32)
		return 0;
	/* Bits 62:52 are reserved under PAE but ignored in 4-level paging. */
	if (pg->mode == SHADOWVMM_PAGING_PAE)
		rsvd = GENMASK_ULL(62, m);
	else
		rsvd = m < 52 ? GENMASK_ULL(51, m) : 0;
	if (!pg->nxe)
		rsvd |= _PAGE_NX;
	return rsvd;
}

/* The reserved bits of @pte at @level; @common is rsvd_common()'s. */
static u64 rsvd_bits(const struct shadowvmm_paging *pg, u64 common, int level,
		     u64 pte)
{
	unsigned int m;

	if (pg->mode == SHADOWVMM_PAGING_32) {
		if (level == 1 || !is_leaf(pg, level, pte))
			return 0;
		/* PDE bits 20:13 hold address bits 39:32, bit 21 none. */
		m = min_t(unsigned int, maxphyaddr(pg), PSE36_MAX_PHYADDR);
		return GENMASK_ULL(21, m - PT32_PSE36_SHIFT);
	}
	if (!(pte & _PAGE_PSE) || level == 1)
		return common;
	if (level == 4 || (level == 3 && !pg->gbpages))
		return common | _PAGE_PSE;
	if (level == 3)
		return common | GENMASK_ULL(29, 13);
	return common | GENMASK_ULL(20, 13);
}

static u64 leaf_gpa(const struct shadowvmm_paging *pg, int level, u64 pte,
		    u64 gva, unsigned int shift)
{
	u64 offset = gva & GENMASK_ULL(shift - 1, 0);

	if (pg->mode != SHADOWVMM_PAGING_32)
		return (pte & addr_mask(pg) & ~GENMASK_ULL(shift - 1, 0)) |
		       offset;
	if (level == 1)
		return (pte & PT32_ADDR_MASK) | offset;
	/* Bits above MAXPHYADDR were reserved, so they are clear here. */
	return (pte & PT32_LARGE_ADDR_MASK) |
	       ((pte & PT32_PSE36_MASK) << PT32_PSE36_SHIFT) | offset;
}

static bool access_allowed(const struct shadowvmm_paging *pg, u32 access,
			   const struct shadowvmm_walk *walk)
{
	bool write = access & SHADOWVMM_PF_WRITE;
	bool fetch = access & SHADOWVMM_PF_FETCH;

	if (fetch && walk->nx)
		return false;
	if (access & SHADOWVMM_PF_USER)
		return walk->user && (!write || walk->writable);
	if (write && pg->wp && !walk->writable)
		return false;
	if (!walk->user)
		return true;
	if (fetch)
		return !pg->smep;
	/* EFLAGS.AC lets the kernel's explicit accesses through SMAP. */
	return !pg->smap || (access & SHADOWVMM_ACCESS_AC);
}

static int fault(const struct shadowvmm_paging *pg, u32 access, u32 why,
		 struct shadowvmm_walk *walk)
{
	bool nx_paging = pg->nxe && pg->mode != SHADOWVMM_PAGING_32;

	walk->error_code = why | (access & (SHADOWVMM_PF_WRITE |
					    SHADOWVMM_PF_USER));
	/* The SDM reports fetches only where a fetch can fail by itself. */
	if ((access & SHADOWVMM_PF_FETCH) && (pg->smep || nx_paging))
		walk->error_code |= SHADOWVMM_PF_FETCH;
	return -EFAULT;
}

/* Sets A on every entry used and D on the leaf of a write, top down. */
static int update_ad(const struct shadowvmm_paging *pg,
		     const struct shadowvmm_walk_mem *mem, u32 access,
		     unsigned int size, struct shadowvmm_walk *walk)
{
	int level, ret;
	u64 old, new;

	if (!mem->update)
		return 0;
	for (level = walk->top_level; level >= walk->level; level--) {
		/* PAE PDPTEs live in registers and have no A bit. */
		if (pg->mode == SHADOWVMM_PAGING_PAE && level == 3)
			continue;
		old = walk->entry[level];
		new = old | _PAGE_ACCESSED;
		if (level == walk->level && (access & SHADOWVMM_PF_WRITE))
			new |= _PAGE_DIRTY;
		if (new == old)
			continue;
		ret = mem->update(mem->ctx, walk->entry_gpa[level], size, old,
				  new);
		if (ret)
			return ret;
		walk->entry[level] = new;
	}
	return 0;
}

static int walk_once(const struct shadowvmm_paging *pg,
		     const struct shadowvmm_walk_mem *mem, u64 gva, u32 access,
		     struct shadowvmm_walk *walk)
{
	unsigned int index_bits = PT64_LEVEL_BITS, size = 8, shift;
	u64 table, pte, gpa, rsvd, amask;
	int level, ret;

	*walk = (struct shadowvmm_walk){
		.gva = gva, .writable = true, .user = true,
	};
	if (pg->mode == SHADOWVMM_PAGING_OFF) {
		walk->gpa = (u32)gva;
		/* Nothing to track: no entry has a D bit to set. */
		walk->dirty = true;
		return 0;
	}

	rsvd = rsvd_common(pg);
	amask = addr_mask(pg);
	switch (pg->mode) {
	case SHADOWVMM_PAGING_32:
		index_bits = PT32_LEVEL_BITS;
		size = 4;
		gva = (u32)gva;
		table = pg->cr3 & PT32_ADDR_MASK;
		level = 2;
		walk->top_level = 2;
		break;
	case SHADOWVMM_PAGING_PAE:
		gva = (u32)gva;
		walk->top_level = 3;
		walk->entry[3] = pg->pdpte[PT64_INDEX(gva, 3)];
		walk->entry_gpa[3] = (pg->cr3 & PAE_CR3_MASK) +
				     PT64_INDEX(gva, 3) * 8;
		if (!(walk->entry[3] & _PAGE_PRESENT)) {
			walk->level = 3;
			return fault(pg, access, 0, walk);
		}
		/* Reserved bits were refused at load: see pdpte_valid(). */
		table = walk->entry[3] & amask;
		level = 2;
		break;
	default:
		table = pg->cr3 & amask;
		level = 4;
		walk->top_level = 4;
		break;
	}

	for (;; level--) {
		shift = PAGE_SHIFT + index_bits * (level - 1);
		gpa = table + ((gva >> shift) & GENMASK_ULL(index_bits - 1, 0)) *
			      size;
		pte = mem->read(mem->ctx, gpa, size);
		if (size == 4)
			pte = (u32)pte;
		walk->level = level;
		walk->entry[level] = pte;
		walk->entry_gpa[level] = gpa;
		if (!(pte & _PAGE_PRESENT))
			return fault(pg, access, 0, walk);
		if (pte & rsvd_bits(pg, rsvd, level, pte))
			return fault(pg, access, SHADOWVMM_PF_PRESENT |
					 SHADOWVMM_PF_RSVD, walk);
		walk->writable &= !!(pte & _PAGE_RW);
		walk->user &= !!(pte & _PAGE_USER);
		/* Without NXE, XD was a reserved bit. */
		walk->nx |= !!(pte & _PAGE_NX);
		if (is_leaf(pg, level, pte))
			break;
		table = pte & (size == 4 ? PT32_ADDR_MASK : amask);
	}

	if (!access_allowed(pg, access, walk))
		return fault(pg, access, SHADOWVMM_PF_PRESENT, walk);
	walk->gpa = leaf_gpa(pg, level, pte, gva, shift);
	ret = update_ad(pg, mem, access, size, walk);
	if (ret)
		return ret;
	walk->dirty = walk->entry[level] & _PAGE_DIRTY;
	return 0;
}

/**
 * shadowvmm_walk() - translate a guest linear address as the CPU would
 * @pg: the guest's paging state
 * @mem: how to read and update guest page-table entries
 * @gva: the linear address; only bits 31:0 count without 4-level paging,
 *	 only bits 47:0 with it (the caller checks canonicality)
 * @access: SHADOWVMM_PF_WRITE, _USER and _FETCH, plus SHADOWVMM_ACCESS_AC
 * @walk: the result, filled in on success and on a page fault
 *
 * A successful walk sets the accessed bit of every entry it used (never
 * of a PAE PDPTE) and, for a write, the dirty bit of the leaf, as the CPU
 * does, unless @mem->update is NULL; a faulting walk changes nothing in
 * guest memory. On a fault,
 * @walk->level is the level of the entry that was not present or had a
 * reserved bit set, or the leaf's for a protection fault, and
 * @walk->entry[] holds the entries read down to it. With paging off, every
 * access succeeds with all rights and @walk->dirty set: there is no D bit
 * to track.
 *
 * Under PAE, @pg->pdpte[] must have passed shadowvmm_walk_pdpte_valid():
 * the CPU checks PDPTEs when it loads them, never during a walk.
 *
 * Context: any; never sleeps unless @mem does.
 * Return: 0 on success; -EFAULT on a page fault, with @walk->error_code
 * set; -EAGAIN if the A/D update lost a race with another writer several
 * times in a row (re-enter the guest and let it retry); any other error
 * @mem->update returns.
 */
int shadowvmm_walk(const struct shadowvmm_paging *pg,
		   const struct shadowvmm_walk_mem *mem, u64 gva, u32 access,
		   struct shadowvmm_walk *walk)
{
	int tries, ret = -EAGAIN;

	for (tries = 0; tries < WALK_TRIES && ret == -EAGAIN; tries++)
		ret = walk_once(pg, mem, gva, access, walk);
	return ret;
}

/**
 * shadowvmm_walk_pdpte_valid() - whether a PAE PDPTE may be loaded
 * @pg: the guest's paging state (for MAXPHYADDR)
 * @pdpte: the entry as read from guest memory
 *
 * A MOV to CR3 (or to CR0/CR4 turning PAE paging on) that loads a present
 * PDPTE with a reserved bit set raises #GP instead of loading it; this is
 * that check, for the caller to make there.
 *
 * Return: true if @pdpte is not present or has no reserved bit set.
 */
bool shadowvmm_walk_pdpte_valid(const struct shadowvmm_paging *pg, u64 pdpte)
{
	if (!(pdpte & _PAGE_PRESENT))
		return true;
	return !(pdpte & (PDPTE_RSVD_LOW | GENMASK_ULL(63, maxphyaddr(pg))));
}
