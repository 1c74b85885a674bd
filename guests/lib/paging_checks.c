// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of paging that mean the same in every mode, written where a
 * shadow MMU goes wrong: A and D bits set exactly on access and write,
 * stale translations after remap, unmap and protect, CR0.WP, user pages,
 * large pages, a PD that maps itself, many address spaces, bulk
 * page-table rewrites and global pages. Every PTE change is followed by
 * INVLPG or a CR3 reload before the mapping is used, so a correct CPU
 * gives exactly the output QEMU gives.
 */
#include "check.h"
#include "frame.h"
#include "paging_checks.h"
#include "probe.h"
#include "x86.h"

/* Page contents: never physical addresses, which move with the image. */
#define TAG(n)		(0x7a900000u + (n))
#define SPACES		8
#define ROUNDS		64
#define FORK_PAGES	1024

static u64 pte(const struct pgtable *pt, u32 va)
{
	return pte_read(pt, va, LEVEL_PTE);
}

static u64 pde(const struct pgtable *pt, u32 va)
{
	return pte_read(pt, va, LEVEL_PDE);
}

static void map(const struct pgtable *pt, u32 va, u32 pa, u64 flags)
{
	pg_map(pt, va, pa, LEVEL_PTE, flags);
}

static void flush(u32 va, int by_cr3)
{
	if (by_cr3)
		flush_tlb();
	else
		invlpg(va);
}

static const char *how(int by_cr3)
{
	return by_cr3 ? "CR3 reload" : "INVLPG";
}

void check_accessed_dirty(const struct pgtable *pt, u32 va)
{
	u32 pa = frame_alloc_tagged(TAG(0));
	u32 v;

	map(pt, va, pa, PTE_P | PTE_RW);
	invlpg(va);
	check(!(pte(pt, va) & (PTE_A | PTE_D)),
	      "a PTE nothing used yet has A and D clear");
	probe_read(va, &v);
	check_value(v, TAG(0), "supervisor read of a 4 KiB page");
	check((pte(pt, va) & (PTE_A | PTE_D)) == PTE_A,
	      "the read set A and not D in the PTE");
	check(pde(pt, va) & PTE_A, "the read set A in the PDE");
	probe_write(va, TAG(1));
	check_nofault("supervisor write to a writable page");
	check(pte(pt, va) & PTE_D, "the write set D in the PTE");
	check(*(u32 *)pa == TAG(1), "the write reached the frame");

	pte_change(pt, va, LEVEL_PTE, 0, PTE_A | PTE_D);
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(1), "read after clearing A and D (INVLPG)");
	check((pte(pt, va) & (PTE_A | PTE_D)) == PTE_A,
	      "that read set A again and not D");
	check(!probe_write(va, TAG(2)) && (pte(pt, va) & PTE_D),
	      "a write then sets D again");
}

void check_remap(const struct pgtable *pt, u32 va, int by_cr3)
{
	u32 tag = TAG(by_cr3 ? 13 : 10);
	u32 a = frame_alloc_tagged(tag), b = frame_alloc_tagged(tag + 1);
	u32 v;

	map(pt, va, a, PTE_P | PTE_RW);
	flush(va, by_cr3);
	probe_read(va, &v);
	check_value(v, tag, "read before a remap (%s)", how(by_cr3));
	map(pt, va, b, PTE_P | PTE_RW);
	flush(va, by_cr3);
	probe_read(va, &v);
	check_value(v, tag + 1, "read after the remap (%s)", how(by_cr3));

	pte_change(pt, va, LEVEL_PTE, 0, PTE_P);
	flush(va, by_cr3);
	probe_read(va, &v);
	check_pf(0, va, "read after unmap (%s)", how(by_cr3));
	probe_write(va, 0);
	check_pf(PF_W, va, "write after unmap (%s)", how(by_cr3));

	map(pt, va, b, PTE_P);
	flush(va, by_cr3);
	probe_read(va, &v);
	check_value(v, tag + 1, "read of the page mapped read-only (%s)",
		    how(by_cr3));
	probe_write(va, 0);
	check_pf(PF_P | PF_W, va, "supervisor write after clearing R/W (%s)",
		 how(by_cr3));
	pte_change(pt, va, LEVEL_PTE, PTE_RW, 0);
	flush(va, by_cr3);
	check(!probe_write(va, tag + 2) && *(u32 *)b == tag + 2,
	      "write after setting R/W again (%s) reaches the frame",
	      how(by_cr3));
}

static void set_wp(int on)
{
	write_cr0(on ? read_cr0() | CR0_WP : read_cr0() & ~CR0_WP);
	/* Not needed on hardware, but nothing here may rely on that. */
	flush_tlb();
}

void check_write_protect(const struct pgtable *pt, u32 va, u32 user_va)
{
	u32 pa = frame_alloc_tagged(TAG(20));
	u32 user = frame_alloc_tagged(TAG(21));

	map(pt, va, pa, PTE_P);
	map(pt, user_va, user, PTE_P | PTE_US);
	flush_tlb();
	probe_write(va, TAG(22));
	check_pf(PF_P | PF_W, va,
		 "supervisor write to a read-only page with CR0.WP=1");
	set_wp(0);
	probe_write(va, TAG(23));
	check_nofault("supervisor write to a read-only page with CR0.WP=0");
	check(*(u32 *)pa == TAG(23) && (pte(pt, va) & PTE_D),
	      "that write reached the frame and set D");
	user_write(user_va, TAG(24));
	check_pf(PF_P | PF_W | PF_U, user_va,
		 "user write to a read-only user page with CR0.WP=0");
	set_wp(1);
	probe_write(va, TAG(25));
	check_pf(PF_P | PF_W, va,
		 "supervisor write to the read-only page with CR0.WP=1 again");
	check(*(u32 *)pa == TAG(23) && *(u32 *)user == TAG(21),
	      "the faulting writes changed nothing");
}

void check_user(const struct pgtable *pt, u32 va, u32 pde_va)
{
	u32 sup_va = va, rw_va = va + PAGE_SIZE, ro_va = va + 2 * PAGE_SIZE;
	u32 absent_va = va + 3 * PAGE_SIZE;
	u32 sup = frame_alloc_tagged(TAG(30));
	u32 rw = frame_alloc_tagged(TAG(31));
	u32 ro = frame_alloc_tagged(TAG(32));
	u32 other = frame_alloc_tagged(TAG(33));
	u32 v;

	map(pt, sup_va, sup, PTE_P | PTE_RW);
	map(pt, rw_va, rw, PTE_P | PTE_RW | PTE_US);
	map(pt, ro_va, ro, PTE_P | PTE_US);
	map(pt, pde_va, other, PTE_P | PTE_RW | PTE_US);
	flush_tlb();

	user_read(sup_va, &v);
	check_pf(PF_P | PF_U, sup_va, "user read of a supervisor page");
	user_write(sup_va, 0);
	check_pf(PF_P | PF_W | PF_U, sup_va,
		 "user write to a supervisor page");
	user_read(rw_va, &v);
	check_value(v, TAG(31), "user read of a user page");
	check(!user_write(rw_va, TAG(34)) && *(u32 *)rw == TAG(34) &&
	      (pte(pt, rw_va) & PTE_D),
	      "user write to a writable user page reaches it and sets D");
	probe_read(rw_va, &v);
	check_value(v, TAG(34), "supervisor read of a user page");
	user_read(ro_va, &v);
	check_value(v, TAG(32), "user read of a read-only user page");
	user_write(ro_va, 0);
	check_pf(PF_P | PF_W | PF_U, ro_va,
		 "user write to a read-only user page");
	user_read(absent_va, &v);
	check_pf(PF_U, absent_va, "user read of a page not present");
	user_write(absent_va, 0);
	check_pf(PF_W | PF_U, absent_va, "user write to a page not present");

	/* The PDE's bits count too: the stricter level wins. */
	pte_change(pt, pde_va, LEVEL_PDE, 0, PTE_US);
	flush_tlb();
	user_read(pde_va, &v);
	check_pf(PF_P | PF_U, pde_va, "user read through a supervisor PDE");
	pte_change(pt, pde_va, LEVEL_PDE, PTE_US, PTE_RW);
	flush_tlb();
	user_read(pde_va, &v);
	check_value(v, TAG(33), "user read through a read-only user PDE");
	user_write(pde_va, 0);
	check_pf(PF_P | PF_W | PF_U, pde_va,
		 "user write through a read-only PDE");
	probe_write(pde_va, 0);
	check_pf(PF_P | PF_W, pde_va,
		 "supervisor write through a read-only PDE (CR0.WP=1)");
	pte_change(pt, pde_va, LEVEL_PDE, PTE_RW, 0);
	flush_tlb();
}

void check_big_page(const struct pgtable *pt, u32 va)
{
	u32 size = level_size(pt, LEVEL_PDE), mib = size >> 20;
	u32 pa = frame_alloc_range(size, size);
	u32 small, v;

	*(u32 *)pa = TAG(40);
	*(u32 *)(pa + size - 4) = TAG(41);
	pg_map(pt, va, pa, LEVEL_PDE, PTE_P | PTE_RW);
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(40), "read of the first word of a %u MiB page",
		    mib);
	probe_read(va + size - 4, &v);
	check_value(v, TAG(41), "read of the last word of a %u MiB page",
		    mib);
	check((pde(pt, va) & (PTE_A | PTE_D)) == PTE_A,
	      "the reads set A and not D in the %u MiB PDE", mib);
	check(!probe_write(va + size / 2 + 0x3450, TAG(42)) &&
	      *(u32 *)(pa + size / 2 + 0x3450) == TAG(42) &&
	      (pde(pt, va) & PTE_D),
	      "a write inside the %u MiB page reaches its frame and sets D",
	      mib);

	pte_change(pt, va, LEVEL_PDE, 0, PTE_RW);
	invlpg(va + size / 2);	/* any address in the page will do */
	probe_write(va + size - PAGE_SIZE, 0);
	check_pf(PF_P | PF_W, va + size - PAGE_SIZE,
		 "write to the %u MiB page made read-only (INVLPG)", mib);
	pte_change(pt, va, LEVEL_PDE, 0, PTE_P);
	invlpg(va + size / 4);
	probe_read(va + size / 4, &v);
	check_pf(0, va + size / 4, "read of the unmapped %u MiB page", mib);

	/* The same PDE now points at a page table: 4 KiB pages again. */
	pte_write(pt, va, LEVEL_PDE, 0);
	small = frame_alloc_tagged(TAG(43));
	map(pt, va + PAGE_SIZE, small, PTE_P | PTE_RW);
	flush_tlb();
	probe_read(va + PAGE_SIZE, &v);
	check_value(v, TAG(43), "4 KiB page where the %u MiB page was", mib);
	probe_read(va, &v);
	check_pf(0, va, "read of its neighbour, not present");
}

void check_self_map(const struct pgtable *pt, u32 window, u32 va)
{
	u32 span = level_size(pt, LEVEL_PDE), mask = table_entries(pt) - 1;
	u32 pd = pte_addr(pt, window, LEVEL_PDE, 1) & ~(PAGE_SIZE - 1);
	u32 d = va / span & mask, w = window / span & mask;
	/* The window's page d is va's page table; its page w, the PD. */
	u32 va_pte = window + d * PAGE_SIZE +
		     (va / PAGE_SIZE & mask) * entry_size(pt);
	u32 next_pte = va_pte + entry_size(pt), next = va + PAGE_SIZE;
	u32 va_pde = window + w * PAGE_SIZE + d * entry_size(pt);
	u32 z = frame_alloc_tagged(TAG(50));
	u32 v;

	pte_write(pt, window, LEVEL_PDE, pd | PTE_P | PTE_RW);
	flush_tlb();
	check(pte_load(pt, va_pte) == pte(pt, va),
	      "a PTE read through a PDE mapping its own PD matches");
	check(pte_load(pt, va_pde) == pde(pt, va),
	      "a PDE read through it matches too");
	pte_store(pt, next_pte, z | PTE_P | PTE_RW);
	invlpg(next);
	probe_read(next, &v);
	check_value(v, TAG(50), "page mapped by a PTE written through it");
	check(pte(pt, next) == (z | PTE_P | PTE_RW | PTE_A),
	      "the page table holds that PTE, with A set");
	pte_store(pt, next_pte, 0);
	invlpg(next);
	probe_read(next, &v);
	check_pf(0, next, "read after a PTE cleared through the window");

	pte_write(pt, window, LEVEL_PDE, 0);
	flush_tlb();
	probe_read(window, &v);
	check_pf(0, window, "read of the window once the PDE is gone");
}

void check_address_spaces(const struct pgtable *pt, u32 va)
{
	struct pgtable space[SPACES];
	u32 frame[SPACES], late, v;
	int i, r, wrong = 0;

	for (i = 0; i < SPACES; i++) {
		pgtable_init_shared(&space[i], pt);
		frame[i] = frame_alloc_tagged(TAG(60 + i));
		map(&space[i], va, frame[i], PTE_P | PTE_RW);
	}
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < SPACES; i++) {
			write_cr3(space[i].root);
			v = peek(va);
			if (v != TAG(60 + i) + r * 0x100)
				wrong++;
			poke(va, v + 0x100);
		}
	}
	write_cr3(pt->root);
	check(!wrong, "%d address spaces, %d rounds: each sees its own page",
	      SPACES, ROUNDS);
	for (i = 0, wrong = 0; i < SPACES; i++)
		wrong += *(u32 *)frame[i] != TAG(60 + i) + ROUNDS * 0x100;
	check(!wrong, "each frame holds its own address space's writes");

	/* A table of an address space not loaded changes under it. */
	late = frame_alloc_tagged(TAG(70));
	map(&space[3], va, late, PTE_P | PTE_RW);
	write_cr3(space[3].root);
	v = peek(va);
	write_cr3(pt->root);
	check(v == TAG(70),
	      "a PTE changed in an idle address space is used on CR3 load");
}

static int count_wrong(u32 va, u32 tag)
{
	int k, wrong = 0;

	for (k = 0; k < FORK_PAGES; k++)
		wrong += peek(va + k * PAGE_SIZE) != tag + k;
	return wrong;
}

/* A fork: share every page read-only, then copy on write and tear down. */
void check_fork(const struct pgtable *pt, u32 va)
{
	struct pgtable child;
	u32 frames = frame_alloc_range(FORK_PAGES * PAGE_SIZE, PAGE_SIZE);
	u32 last = va + (FORK_PAGES - 1) * PAGE_SIZE;
	u32 copy, page, v;
	int k, wrong;

	for (k = 0; k < FORK_PAGES; k++) {
		*(u32 *)(frames + k * PAGE_SIZE) = TAG(0x1000 + k);
		map(pt, va + k * PAGE_SIZE, frames + k * PAGE_SIZE,
		    PTE_P | PTE_RW);
	}
	flush_tlb();
	check(!count_wrong(va, TAG(0x1000)), "parent reads all %d pages",
	      FORK_PAGES);

	pgtable_init_shared(&child, pt);
	for (k = 0; k < FORK_PAGES; k++) {
		page = va + k * PAGE_SIZE;
		pte_change(pt, page, LEVEL_PTE, 0, PTE_RW);
		pte_write(&child, page, LEVEL_PTE, pte(pt, page));
	}
	flush_tlb();
	check(!count_wrong(va, TAG(0x1000)),
	      "parent reads all %d pages made read-only", FORK_PAGES);
	probe_write(va + 5 * PAGE_SIZE, 0);
	check_pf(PF_P | PF_W, va + 5 * PAGE_SIZE,
		 "parent write to a shared page");

	write_cr3(child.root);
	check(!count_wrong(va, TAG(0x1000)), "child reads all %d pages",
	      FORK_PAGES);
	probe_write(last, 0);
	check_pf(PF_P | PF_W, last, "child write to a shared page");
	copy = frame_alloc_tagged(TAG(0x1000 + FORK_PAGES - 1));
	map(&child, last, copy, PTE_P | PTE_RW);
	invlpg(last);
	check(!probe_write(last, TAG(0x3000)) && *(u32 *)copy == TAG(0x3000),
	      "child write after copying the page lands in the copy");

	for (k = 0; k < FORK_PAGES; k++)
		pte_write(&child, va + k * PAGE_SIZE, LEVEL_PTE, 0);
	flush_tlb();
	probe_read(va + PAGE_SIZE, &v);
	check_pf(0, va + PAGE_SIZE, "child read after tearing down");
	probe_read(last, &v);
	check_pf(0, last, "child read of the copied page after tearing down");

	write_cr3(pt->root);
	probe_read(last, &v);
	check_value(v, TAG(0x1000 + FORK_PAGES - 1),
		    "parent's last page, untouched by the child,");
	for (k = 0; k < FORK_PAGES; k++)
		pte_change(pt, va + k * PAGE_SIZE, LEVEL_PTE, PTE_RW, PTE_D);
	flush_tlb();
	for (k = 0, wrong = 0; k < FORK_PAGES; k++) {
		page = va + k * PAGE_SIZE;
		poke(page, TAG(0x2000 + k));
		wrong += *(u32 *)(frames + k * PAGE_SIZE) != TAG(0x2000 + k) ||
			 !(pte(pt, page) & PTE_D);
	}
	check(!wrong, "parent writes all %d pages made writable, setting D",
	      FORK_PAGES);
}

void check_global(const struct pgtable *pt, u32 va)
{
	struct pgtable other;
	u32 g[5], v;
	int i;

	for (i = 0; i < 5; i++)
		g[i] = frame_alloc_tagged(TAG(80 + i));
	write_cr4(read_cr4() | CR4_PGE);
	map(pt, va, g[0], PTE_P | PTE_RW | PTE_G);
	pgtable_init_shared(&other, pt);
	map(&other, va, g[0], PTE_P | PTE_RW | PTE_G);
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(80), "read of a global page");
	write_cr3(other.root);
	probe_read(va, &v);
	write_cr3(pt->root);
	check_value(v, TAG(80), "the same global page in another space");

	map(pt, va, g[1], PTE_P | PTE_RW | PTE_G);
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(81), "global page remapped (INVLPG)");
	map(pt, va, g[2], PTE_P | PTE_RW | PTE_G);
	flush_tlb_all();
	probe_read(va, &v);
	check_value(v, TAG(82), "global page remapped (CR4.PGE toggled)");

	/* Without CR4.PGE the G bit means nothing: CR3 flushes it too. */
	write_cr4(read_cr4() & ~CR4_PGE);
	probe_read(va, &v);
	map(pt, va, g[3], PTE_P | PTE_RW | PTE_G);
	flush_tlb();
	probe_read(va, &v);
	check_value(v, TAG(83), "G page remapped (CR3 reload, CR4.PGE=0)");
	write_cr4(read_cr4() | CR4_PGE);
	probe_read(va, &v);
	map(pt, va, g[4], PTE_P | PTE_RW);
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(84), "global page remapped not global (INVLPG)");
}
