// SPDX-License-Identifier: GPL-2.0
/*
 * PAE paging: lib/paging_checks.c's checks with 4 KiB and 2 MiB pages,
 * PDPTEs, then lib/access_checks.c's: NX, reserved bits, SMEP and SMAP.
 *
 * PDPTEs are checked only after a CR3 load: hardware reads the four of
 * them when CR3 is loaded (and #GPs there on a reserved bit), QEMU reads
 * them on every walk, so the two disagree about anything else.
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "access_checks.h"
#include "frame.h"
#include "paging_checks.h"
#include "probe.h"
#include "x86.h"

#define TEST_VA		0x40000000u	/* 4 KiB pages, one page table */
#define VA(n)		(TEST_VA + (n) * PAGE_SIZE)
#define PDE_VA		0x40200000u	/* a page table of its own */
#define NX_PDE_VA	0x40400000u	/* another, for NX in the PDE */
#define RSVD_PDE_VA	0x40600000u	/* another, for a reserved bit */
#define FORK_VA		0x50000000u	/* two page tables of pages */
#define SPACE_VA	0x60000000u	/* different in each address space */
#define WINDOW_VA	0x7fe00000u	/* the last PDE maps its PD */
#define BIG_VA		0x80000000u	/* a 2 MiB page */
#define RSVD_BIG_VA	0x80400000u	/* a 2 MiB page with a reserved bit */
#define PDPTE3_VA	0xc0000000u	/* the last PDPTE's GiB */
#define TAG(n)		(0x4dd00000u + (n))

static struct pgtable kernel;

static void map(u32 va, u32 pa, u64 flags)
{
	pg_map(&kernel, va, pa, LEVEL_PTE, flags);
}

static void check_pdptes(void)
{
	u32 a = frame_alloc_tagged(TAG(1)), b = frame_alloc_tagged(TAG(2));
	u32 v;

	probe_read(PDPTE3_VA, &v);
	check_pf(0, PDPTE3_VA, "read through a PDPTE not present");
	map(PDPTE3_VA, a, PTE_P | PTE_RW);
	flush_tlb();
	probe_read(PDPTE3_VA, &v);
	check_value(v, TAG(1), "read through the PDPTE once present");
	/* A whole new PD under the same PDPTE. */
	pte_write(&kernel, PDPTE3_VA, LEVEL_PDPTE, 0);
	map(PDPTE3_VA, b, PTE_P | PTE_RW);
	flush_tlb();
	probe_read(PDPTE3_VA, &v);
	check_value(v, TAG(2), "read through a PDPTE pointing at a new PD");
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	puts("# pae: PAE paging, 4 KiB and 2 MiB pages, NX, SMEP, SMAP\n");
	desc_init();
	frame_init(mbi);
	if (!(cpuid(1, 0).edx & CPUID_1_EDX_PAE)) {
		check(0, "PAE: CPUID lacks it");
		return check_done();
	}
	pgtable_init(&kernel, PAGING_PAE);
	paging_enable(&kernel);

	check_accessed_dirty(&kernel, VA(0));
	check_remap(&kernel, VA(1), 0);
	check_remap(&kernel, VA(2), 1);
	check_write_protect(&kernel, VA(3), VA(9));
	check_user(&kernel, VA(4), PDE_VA);
	check_big_page(&kernel, BIG_VA);
	check_self_map(&kernel, WINDOW_VA, VA(9));
	check_address_spaces(&kernel, SPACE_VA);
	check_fork(&kernel, FORK_VA);
	if (cpuid(1, 0).edx & CPUID_1_EDX_PGE)
		check_global(&kernel, VA(16));
	else
		check(0, "global pages: CPUID lacks PGE");
	check_pdptes();
	check_nx(&kernel, VA(20), NX_PDE_VA);
	check_reserved(&kernel, VA(24), RSVD_PDE_VA, RSVD_BIG_VA);
	check_smep(&kernel, VA(26));
	check_smap(&kernel, VA(27));
	return check_done();
}
