/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may read, write or fetch what, beyond R/W and U/S: NX, reserved
 * bits, SMEP and SMAP. For PAE and 4-level paging, against the address
 * space pt that is loaded in CR3; each check uses only the pages it is
 * given. A feature CPUID lacks is a "not ok" line.
 */
#ifndef GUEST_ACCESS_CHECKS_H
#define GUEST_ACCESS_CHECKS_H

#include "paging.h"

/* NX with the 3 pages from va and a PDE of its own at pde_va. */
void check_nx(const struct pgtable *pt, u32 va, u32 pde_va);
/*
 * Reserved bits: the page at va, a PDE of its own at pde_va, and a
 * 2 MiB page at big_va.
 */
void check_reserved(const struct pgtable *pt, u32 va, u32 pde_va,
		    u32 big_va);
void check_smep(const struct pgtable *pt, u32 va);
void check_smap(const struct pgtable *pt, u32 va);

/* The lowest physical-address bit the CPU lacks, or 0 if it has all 52. */
u64 reserved_address_bit(void);

#endif
