/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page tables in the three x86 formats, through one walker: 32-bit (two
 * levels of 1024 4-byte entries), PAE (a 4-entry PDPT, then 512 8-byte
 * entries a level) and 4-level (512 8-byte entries at every level).
 * Levels count up from the PTE, so level 2 is always the PDE.
 */
#ifndef GUEST_PAGING_H
#define GUEST_PAGING_H

#include "types.h"

enum paging_mode {
	PAGING_32,
	PAGING_PAE,
	PAGING_4LEVEL,
};

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_US		(1ull << 2)
#define PTE_PWT		(1ull << 3)
#define PTE_PCD		(1ull << 4)
#define PTE_A		(1ull << 5)
#define PTE_D		(1ull << 6)
#define PTE_PS		(1ull << 7)	/* PDE, PDPTE: a large page */
#define PTE_G		(1ull << 8)
#define PTE_NX		(1ull << 63)
#define PTE_ADDR	0x000ffffffffff000ull

#define LEVEL_PTE	1
#define LEVEL_PDE	2
#define LEVEL_PDPTE	3
#define LEVEL_PML4E	4

struct pgtable {
	enum paging_mode mode;
	u32 root;	/* physical: the PD, the PDPT or the PML4 */
};

/*
 * A new address space with the kernel's view: RAM identity-mapped
 * supervisor-only (page 0 left out, to catch null pointers), and the
 * user pages (the .user section: user code and stack) user-accessible.
 */
void pgtable_init(struct pgtable *pt, enum paging_mode mode);
/* The same kernel view, sharing the first one's page tables. */
void pgtable_init_shared(struct pgtable *pt, const struct pgtable *kernel);

/* Bytes mapped by one entry at level: 4 KiB, 4 or 2 MiB, 1 GiB, ... */
u64 level_size(const struct pgtable *pt, int level);
/* Entries in a table, and bytes in one entry. */
u32 table_entries(const struct pgtable *pt);
u32 entry_size(const struct pgtable *pt);
/*
 * Physical address of the entry that maps va at level, or 0 if a table
 * above it is missing; with create, missing tables are made instead.
 */
u32 pte_addr(const struct pgtable *pt, u64 va, int level, int create);
/* The entry at addr, a linear address: through a self-map, say. */
u64 pte_load(const struct pgtable *pt, u32 addr);
void pte_store(const struct pgtable *pt, u32 addr, u64 entry);
u64 pte_read(const struct pgtable *pt, u64 va, int level);
/* Creates the tables above; never leaves a half-written present entry. */
void pte_write(const struct pgtable *pt, u64 va, int level, u64 entry);
/* Sets then clears bits in the entry; returns the new value. */
u64 pte_change(const struct pgtable *pt, u64 va, int level, u64 set,
	       u64 clear);
/* A page of level_size(level) at va; large pages get PTE_PS. */
void pg_map(const struct pgtable *pt, u64 va, u64 pa, int level, u64 flags);

/* A word at a linear address, read or written exactly once. */
static inline u32 peek(u32 va)
{
	return READ_ONCE(*(u32 *)va);
}

static inline void poke(u32 va, u32 value)
{
	WRITE_ONCE(*(u32 *)va, value);
}

/*
 * Turns paging on with pt, from paging off: CR4.PAE as its mode wants,
 * EFER.LME for 4-level (long_mode.h does the rest), CR0.PG and CR0.WP.
 */
void paging_enable(const struct pgtable *pt);
void paging_disable(void);

#endif
