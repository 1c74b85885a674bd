// SPDX-License-Identifier: GPL-2.0
/*
 * 32-bit paging: lib/paging_checks.c's checks with 4 KiB and 4 MiB
 * pages, where a PDE that maps its own PD shows every PTE at 0xffc00000.
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "frame.h"
#include "paging_checks.h"
#include "x86.h"

#define TEST_VA		0x40000000u	/* 4 KiB pages, one page table */
#define VA(n)		(TEST_VA + (n) * PAGE_SIZE)
#define PDE_VA		0x40400000u	/* a page table of its own */
#define FORK_VA		0x50000000u	/* a whole page table of pages */
#define SPACE_VA	0x60000000u	/* different in each address space */
#define BIG_VA		0x80000000u	/* a 4 MiB page */
#define WINDOW_VA	0xffc00000u	/* the last PDE maps the PD */

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	struct pgtable kernel;

	puts("# paging32: 32-bit paging, 4 KiB and 4 MiB pages\n");
	desc_init();
	frame_init(mbi);
	pgtable_init(&kernel, PAGING_32);
	paging_enable(&kernel);

	check_accessed_dirty(&kernel, VA(0));
	check_remap(&kernel, VA(1), 0);
	check_remap(&kernel, VA(2), 1);
	check_write_protect(&kernel, VA(3), VA(9));
	check_user(&kernel, VA(4), PDE_VA);
	if (cpuid(1, 0).edx & CPUID_1_EDX_PSE) {
		write_cr4(read_cr4() | CR4_PSE);
		check_big_page(&kernel, BIG_VA);
	} else {
		check(0, "4 MiB pages: CPUID lacks PSE");
	}
	check_self_map(&kernel, WINDOW_VA, VA(9));
	check_address_spaces(&kernel, SPACE_VA);
	check_fork(&kernel, FORK_VA);
	if (cpuid(1, 0).edx & CPUID_1_EDX_PGE)
		check_global(&kernel, VA(16));
	else
		check(0, "global pages: CPUID lacks PGE");
	return check_done();
}
