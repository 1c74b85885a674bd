/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest page walker: a pure function of the guest's paging state, its
 * memory and one access. It knows nothing of VMX or of shadow tables, so
 * KUnit checks it against an independent model with fake guest memory.
 */
#ifndef SHADOWVMM_MMU_WALK_H
#define SHADOWVMM_MMU_WALK_H

#include <linux/bits.h>
#include <linux/types.h>
#include <asm/page_types.h>
#include <asm/pgtable_types.h>

/* enum shadowvmm_paging_mode is part of the netlink API. */
#include <linux/shadowvmm.h>

/* The guest state a walk depends on, captured when it last changed. */
struct shadowvmm_paging {
	enum shadowvmm_paging_mode mode;
	u64 cr3;
	/* PAE: the PDPTEs as loaded by the last MOV to CR3 (or CR0/CR4). */
	u64 pdpte[4];
	bool wp;		/* CR0.WP */
	bool pse;		/* CR4.PSE: 4 MiB pages in 32-bit paging */
	bool smep;		/* CR4.SMEP */
	bool smap;		/* CR4.SMAP */
	bool nxe;		/* EFER.NXE */
	u8 maxphyaddr;		/* as CPUID 0x80000008 tells the guest */
	/*
	 * CPUID 0x80000001 EDX.Page1GB: without it a PDPTE's PS bit is
	 * reserved in 4-level paging.
	 */
	bool gbpages;
};

/*
 * Page-fault error code bits. An access is described with the same bits:
 * WRITE, USER (CPL 3) and FETCH, plus ACCESS_AC for EFLAGS.AC, which lets
 * a supervisor reach user pages under SMAP.
 */
#define SHADOWVMM_PF_PRESENT	BIT(0)
#define SHADOWVMM_PF_WRITE	BIT(1)
#define SHADOWVMM_PF_USER	BIT(2)
#define SHADOWVMM_PF_RSVD	BIT(3)
#define SHADOWVMM_PF_FETCH	BIT(4)
#define SHADOWVMM_ACCESS_AC	BIT(31)

/* Guest paging levels: 1 holds PTEs, 2 PDEs, 3 PDPTEs, 4 PML4Es. */
#define SHADOWVMM_MAX_LEVEL	4

/*
 * Entry bits are the kernel's _PAGE_* (asm/pgtable_types.h), for guest and
 * shadow entries alike: a 4-byte entry of 32-bit paging has the same low
 * twelve bits as an 8-byte one, and lacks only XD (_PAGE_NX).
 *
 * Index bits per level: 10 for the 4-byte entries of 32-bit paging, 9 for
 * every 8-byte one (PAE, 4-level paging and all our shadow tables).
 */
#define PT32_LEVEL_BITS		10
#define PT64_LEVEL_BITS		9
#define PT64_ENT_PER_PAGE	BIT(PT64_LEVEL_BITS)
#define PT64_LEVEL_SHIFT(level)	(PAGE_SHIFT + PT64_LEVEL_BITS * ((level) - 1))
#define PT64_INDEX(addr, level)	\
	(((addr) >> PT64_LEVEL_SHIFT(level)) & (PT64_ENT_PER_PAGE - 1))
/* The frame a guest's entry points at: 4-byte entries, then 8-byte ones. */
#define PT32_ADDR_MASK		GENMASK_ULL(31, PAGE_SHIFT)
#define PT64_ADDR_MASK		GENMASK_ULL(51, PAGE_SHIFT)

/*
 * How the walker reaches guest memory. Reads of addresses outside guest
 * RAM return all-ones, as unbacked memory does on a PC; @update stores an
 * entry only if it still holds @old (0, or -EAGAIN if it changed, after
 * which the walker starts over). Both take 4- or 8-byte entries. Without
 * @update the walk only looks: it sets no A/D bits, and @walk->entry[]
 * holds the entries as they are in guest memory.
 */
struct shadowvmm_walk_mem {
	u64 (*read)(void *ctx, u64 gpa, unsigned int size);
	int (*update)(void *ctx, u64 gpa, unsigned int size, u64 old, u64 new);
	void *ctx;
};

struct shadowvmm_walk {
	u64 gva;
	u64 gpa;		/* the translation, on success */
	/*
	 * The level of the leaf entry: 1 for a 4 KiB page, 2 for a 4 MiB
	 * or 2 MiB page, 3 for a 1 GiB page; 0 with paging off.
	 */
	int level;
	int top_level;		/* 2, 3 or 4; 0 with paging off */
	/* Per level, the entry used (with A/D as the walk left them). */
	u64 entry[SHADOWVMM_MAX_LEVEL + 1];
	/* Per level, the guest physical address of that entry. */
	u64 entry_gpa[SHADOWVMM_MAX_LEVEL + 1];
	/* Rights accumulated over every level, as the architecture does. */
	bool writable, user, nx;
	bool dirty;		/* the leaf's D bit after the walk */
	u32 error_code;		/* on a fault: the #PF error code */
};

int shadowvmm_walk(const struct shadowvmm_paging *pg,
		   const struct shadowvmm_walk_mem *mem, u64 gva, u32 access,
		   struct shadowvmm_walk *walk);
bool shadowvmm_walk_pdpte_valid(const struct shadowvmm_paging *pg, u64 pdpte);

#endif
