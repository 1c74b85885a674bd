// SPDX-License-Identifier: GPL-2.0
/* Page tables in any of the three formats, read and written in place. */
#include "check.h"
#include "frame.h"
#include "paging.h"
#include "sections.h"
#include "x86.h"

static int top_level(const struct pgtable *pt)
{
	return pt->mode == PAGING_32 ? 2 : pt->mode == PAGING_PAE ? 3 : 4;
}

static int index_bits(const struct pgtable *pt)
{
	return pt->mode == PAGING_32 ? 10 : 9;
}

u32 table_entries(const struct pgtable *pt)
{
	return 1u << index_bits(pt);
}

u32 entry_size(const struct pgtable *pt)
{
	return pt->mode == PAGING_32 ? 4 : 8;
}

u64 level_size(const struct pgtable *pt, int level)
{
	return 1ull << (12 + index_bits(pt) * (level - 1));
}

static u32 entry_index(const struct pgtable *pt, u64 va, int level)
{
	return (va >> (12 + index_bits(pt) * (level - 1))) &
	       ((1u << index_bits(pt)) - 1);
}

/* Tables say little; the leaf entries decide (a PAE PDPTE must say P only). */
static u64 table_flags(const struct pgtable *pt, int level)
{
	if (pt->mode == PAGING_PAE && level == LEVEL_PDPTE)
		return PTE_P;
	return PTE_P | PTE_RW | PTE_US;
}

/* Bit 7 means PS only in a PDE, or a PDPTE of 4-level paging. */
static int is_large(const struct pgtable *pt, u64 entry, int level)
{
	if (level == LEVEL_PDPTE)
		return pt->mode == PAGING_4LEVEL && (entry & PTE_PS);
	return level == LEVEL_PDE && (entry & PTE_PS);
}

u64 pte_load(const struct pgtable *pt, u32 addr)
{
	if (pt->mode == PAGING_32)
		return READ_ONCE(*(u32 *)addr);
	return READ_ONCE(*(u64 *)addr);
}

/*
 * Two 32-bit stores for a 64-bit entry, ordered as Linux orders them for
 * PAE: the half with P last when it becomes present, first when it goes,
 * so a walk between the two stores never sees a mix.
 */
void pte_store(const struct pgtable *pt, u32 addr, u64 entry)
{
	u32 *half = (u32 *)addr;

	if (pt->mode == PAGING_32) {
		WRITE_ONCE(half[0], entry);
	} else if (entry & PTE_P) {
		WRITE_ONCE(half[1], entry >> 32);
		WRITE_ONCE(half[0], entry);
	} else {
		WRITE_ONCE(half[0], entry);
		WRITE_ONCE(half[1], entry >> 32);
	}
}

u32 pte_addr(const struct pgtable *pt, u64 va, int level, int create)
{
	u32 table = pt->root;
	u32 addr;
	u64 entry;
	int l;

	for (l = top_level(pt); l > level; l--) {
		addr = table + entry_index(pt, va, l) * entry_size(pt);
		entry = pte_load(pt, addr);
		if ((entry & PTE_P) && is_large(pt, entry, l))
			return 0;	/* no table below a large page */
		if (!(entry & PTE_P)) {
			if (!create)
				return 0;
			entry = frame_alloc() | table_flags(pt, l);
			pte_store(pt, addr, entry);
			/*
			 * The CPU reads PAE PDPTEs only when CR3 is loaded
			 * (QEMU reads them on every walk: do as hardware).
			 */
			if (pt->mode == PAGING_PAE && l == LEVEL_PDPTE &&
			    (read_cr0() & CR0_PG) && read_cr3() == pt->root)
				write_cr3(pt->root);
		}
		table = entry & PTE_ADDR;
	}
	return table + entry_index(pt, va, level) * entry_size(pt);
}

u64 pte_read(const struct pgtable *pt, u64 va, int level)
{
	u32 addr = pte_addr(pt, va, level, 0);

	return addr ? pte_load(pt, addr) : 0;
}

void pte_write(const struct pgtable *pt, u64 va, int level, u64 entry)
{
	u32 addr = pte_addr(pt, va, level, 1);

	if (!addr)
		bail_out("no table for 0x%08x at level %d", (u32)va, level);
	pte_store(pt, addr, entry);
}

u64 pte_change(const struct pgtable *pt, u64 va, int level, u64 set,
	       u64 clear)
{
	u64 entry = (pte_read(pt, va, level) | set) & ~clear;

	pte_write(pt, va, level, entry);
	return entry;
}

void pg_map(const struct pgtable *pt, u64 va, u64 pa, int level, u64 flags)
{
	if (level > LEVEL_PTE)
		flags |= PTE_PS;
	pte_write(pt, va, level, pa | flags);
}

void pgtable_init(struct pgtable *pt, enum paging_mode mode)
{
	u32 va;

	pt->mode = mode;
	pt->root = frame_alloc();
	for (va = PAGE_SIZE; va < frame_ram_end(); va += PAGE_SIZE)
		pg_map(pt, va, va, LEVEL_PTE, PTE_P | PTE_RW);
	for (va = (u32)__user_start; va < (u32)__user_end; va += PAGE_SIZE)
		pg_map(pt, va, va, LEVEL_PTE, PTE_P | PTE_RW | PTE_US);
}

void pgtable_init_shared(struct pgtable *pt, const struct pgtable *kernel)
{
	u64 step = level_size(kernel, LEVEL_PDE);
	u64 va;

	pt->mode = kernel->mode;
	pt->root = frame_alloc();
	for (va = 0; va < frame_ram_end(); va += step)
		pte_write(pt, va, LEVEL_PDE, pte_read(kernel, va, LEVEL_PDE));
}

void paging_enable(const struct pgtable *pt)
{
	if (pt->mode == PAGING_32)
		write_cr4(read_cr4() & ~CR4_PAE);
	else
		write_cr4(read_cr4() | CR4_PAE);
	if (pt->mode == PAGING_4LEVEL)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_LME);
	write_cr3(pt->root);
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
}

void paging_disable(void)
{
	write_cr0(read_cr0() & ~CR0_PG);
}
