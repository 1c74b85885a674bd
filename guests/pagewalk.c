// SPDX-License-Identifier: GPL-2.0
/*
 * An address space to look into with "shadowvmm translate": 32-bit paging
 * with one page of each kind at a fixed address, and a page directory the
 * guest has written to. The guest checks that it sees them so; with the
 * argument "spin" it then stays, paging on, for the VMM to be asked about
 * them (tests/e2e/cases/66-translate.sh).
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "frame.h"
#include "paging.h"
#include "probe.h"
#include "x86.h"

#define MAPPED_VA	0x40000000u	/* written: A and D set */
#define READONLY_VA	0x40001000u	/* read-only, and read: A set */
#define UNMAPPED_VA	0x40002000u	/* not present */
#define UNTOUCHED_VA	0x40003000u	/* present, never used */

#define TAG(n)		(0x7a800000u + (n))

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	int spin = argc > 1 && streq(argv[1], "spin");
	struct pgtable pt;
	u32 value;

	puts("# pagewalk: a page of each kind, for shadowvmm translate\n");
	desc_init();
	frame_init(mbi);
	pgtable_init(&pt, PAGING_32);
	pg_map(&pt, MAPPED_VA, frame_alloc_tagged(TAG(1)), LEVEL_PTE,
	       PTE_P | PTE_RW);
	pg_map(&pt, READONLY_VA, frame_alloc_tagged(TAG(2)), LEVEL_PTE, PTE_P);
	pg_map(&pt, UNTOUCHED_VA, frame_alloc_tagged(TAG(3)), LEVEL_PTE,
	       PTE_P | PTE_RW);
	paging_enable(&pt);
	/*
	 * A store to the page directory, through its identity mapping,
	 * before the pages are used: the VMM drops the shadow of a PDE the
	 * guest writes, even with the same value.
	 */
	pte_change(&pt, MAPPED_VA, LEVEL_PDE, PTE_A, 0);

	probe_write(MAPPED_VA + 4, TAG(4));
	check_nofault("supervisor write to the writable page at 0x%x",
		      MAPPED_VA);
	probe_read(MAPPED_VA + 4, &value);
	check_value(value, TAG(4), "reading it back");
	check((pte_read(&pt, MAPPED_VA, LEVEL_PTE) & (PTE_A | PTE_D)) ==
	      (PTE_A | PTE_D), "its PTE has A and D set");
	probe_read(READONLY_VA, &value);
	check_value(value, TAG(2), "supervisor read of the read-only page at 0x%x",
		    READONLY_VA);
	probe_write(READONLY_VA, TAG(5));
	check_pf(PF_P | PF_W, READONLY_VA, "supervisor write to it");
	probe_read(UNMAPPED_VA, &value);
	check_pf(0, UNMAPPED_VA, "supervisor read of the unmapped page");
	check(!(pte_read(&pt, UNTOUCHED_VA, LEVEL_PTE) & PTE_A),
	      "the page at 0x%x was never used", UNTOUCHED_VA);
	check(pte_read(&pt, pt.root, LEVEL_PTE) & PTE_D,
	      "a store to the page directory sets D in the PTE that maps it");
	if (spin) {
		puts("pagewalk: ready\n");
		for (;;)
			asm volatile("pause");
	}
	return check_done();
}
