/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The checks every paging mode makes, against the address space pt that
 * is loaded in CR3. Each uses the pages at the addresses it is given and
 * nothing else there: callers give each check its own.
 */
#ifndef GUEST_PAGING_CHECKS_H
#define GUEST_PAGING_CHECKS_H

#include "paging.h"

/* A and D bits of one 4 KiB page at va, and of its PDE. */
void check_accessed_dirty(const struct pgtable *pt, u32 va);
/* Remap, unmap and write-protect va, flushing by INVLPG or CR3 reload. */
void check_remap(const struct pgtable *pt, u32 va, int by_cr3);
/* CR0.WP with a supervisor page at va and a user page at user_va. */
void check_write_protect(const struct pgtable *pt, u32 va, u32 user_va);
/* CPL 3 against the 4 pages from va, and a PDE of its own at pde_va. */
void check_user(const struct pgtable *pt, u32 va, u32 pde_va);
/* One large page (4 MiB or 2 MiB) at va, then 4 KiB pages in its place. */
void check_big_page(const struct pgtable *pt, u32 va);
/*
 * A PDE at window that points at its own PD, to read and write the PTEs
 * of va and of the page after it, which must be free; all three share
 * the PD.
 */
void check_self_map(const struct pgtable *pt, u32 window, u32 va);
/* Eight address spaces sharing the kernel's tables, each its own va. */
void check_address_spaces(const struct pgtable *pt, u32 va);
/* 1024 pages from va shared read-only with a child, copied, torn down. */
void check_fork(const struct pgtable *pt, u32 va);
/* Global pages at va: CR4.PGE is set on return. */
void check_global(const struct pgtable *pt, u32 va);

#endif
