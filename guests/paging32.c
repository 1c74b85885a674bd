// SPDX-License-Identifier: GPL-2.0
/*
 * 32-bit paging, checked the way a shadow MMU can get it wrong: A and D
 * bits, stale translations after remap, unmap and protect, CR0.WP, user
 * and supervisor pages, 4 MiB pages, a page directory that maps itself,
 * many address spaces, bulk page-table rewrites and global pages. Every
 * PTE change is followed by INVLPG or a CR3 reload before the mapping is
 * used, so a correct CPU gives exactly this output.
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "frame.h"
#include "paging.h"
#include "probe.h"
#include "x86.h"

#define TEST_VA		0x40000000u	/* 4 KiB pages, one page table */
#define VA(n)		(TEST_VA + (n) * PAGE_SIZE)
#define PDE_VA		0x40400000u	/* a page table of its own */
#define FORK_VA		0x50000000u	/* a whole page table of pages */
#define FORK_PAGES	1024
#define SPACE_VA	0x60000000u	/* different in each address space */
#define SPACES		8
#define ROUNDS		64
#define BIG_VA		0x80000000u	/* a 4 MiB page */
#define BIG_SIZE	0x400000u
#define WINDOW_SLOT	1023		/* the PDE that maps the PD */
#define WINDOW_VA	0xffc00000u	/* all PTEs, as one 4 MiB array */
#define WINDOW_PD	0xfffff000u	/* the PD itself */
#define WINDOW_PTE(va)	(WINDOW_VA + ((va) >> 12) * 4)
#define WINDOW_PDE(va)	(WINDOW_PD + ((va) >> 22) * 4)
/* Page contents: never physical addresses, which move with the image. */
#define TAG(n)		(0x7a900000u + (n))

static struct pgtable kernel;

static u64 pte(u32 va)
{
	return pte_read(&kernel, va, LEVEL_PTE);
}

static u64 pde(u32 va)
{
	return pte_read(&kernel, va, LEVEL_PDE);
}

static void map(u32 va, u32 pa, u64 flags)
{
	pg_map(&kernel, va, pa, LEVEL_PTE, flags);
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

static void test_accessed_dirty(void)
{
	u32 pa = frame_alloc_tagged(TAG(0));
	u32 v;

	map(VA(0), pa, PTE_P | PTE_RW);
	invlpg(VA(0));
	check(!(pte(VA(0)) & (PTE_A | PTE_D)),
	      "a PTE nothing used yet has A and D clear");
	probe_read(VA(0), &v);
	check_value(v, TAG(0), "supervisor read of a 4 KiB page");
	check((pte(VA(0)) & (PTE_A | PTE_D)) == PTE_A,
	      "the read set A and not D in the PTE");
	check(pde(VA(0)) & PTE_A, "the read set A in the PDE");
	probe_write(VA(0), TAG(1));
	check_nofault("supervisor write to a writable page");
	check(pte(VA(0)) & PTE_D, "the write set D in the PTE");
	check(*(u32 *)pa == TAG(1), "the write reached the frame");

	pte_change(&kernel, VA(0), LEVEL_PTE, 0, PTE_A | PTE_D);
	invlpg(VA(0));
	probe_read(VA(0), &v);
	check_value(v, TAG(1), "read after clearing A and D (INVLPG)");
	check((pte(VA(0)) & (PTE_A | PTE_D)) == PTE_A,
	      "that read set A again and not D");
	check(!probe_write(VA(0), TAG(2)) && (pte(VA(0)) & PTE_D),
	      "a write then sets D again");
}

/* Remap, unmap and write-protect one page, flushing one way or the other. */
static void test_change(u32 va, u32 tag, int by_cr3)
{
	u32 a = frame_alloc_tagged(tag), b = frame_alloc_tagged(tag + 1);
	u32 v;

	map(va, a, PTE_P | PTE_RW);
	flush(va, by_cr3);
	probe_read(va, &v);
	check_value(v, tag, "read before a remap (%s)", how(by_cr3));
	map(va, b, PTE_P | PTE_RW);
	flush(va, by_cr3);
	probe_read(va, &v);
	check_value(v, tag + 1, "read after the remap (%s)", how(by_cr3));

	pte_change(&kernel, va, LEVEL_PTE, 0, PTE_P);
	flush(va, by_cr3);
	probe_read(va, &v);
	check_pf(0, va, "read after unmap (%s)", how(by_cr3));
	probe_write(va, 0);
	check_pf(PF_W, va, "write after unmap (%s)", how(by_cr3));

	map(va, b, PTE_P);
	flush(va, by_cr3);
	probe_read(va, &v);
	check_value(v, tag + 1, "read of the page mapped read-only (%s)",
		    how(by_cr3));
	probe_write(va, 0);
	check_pf(PF_P | PF_W, va, "supervisor write after clearing R/W (%s)",
		 how(by_cr3));
	pte_change(&kernel, va, LEVEL_PTE, PTE_RW, 0);
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

static void test_write_protect(void)
{
	u32 pa = frame_alloc_tagged(TAG(20));
	u32 user = frame_alloc_tagged(TAG(21));

	map(VA(3), pa, PTE_P);
	map(VA(9), user, PTE_P | PTE_US);
	flush_tlb();
	probe_write(VA(3), TAG(22));
	check_pf(PF_P | PF_W, VA(3),
		 "supervisor write to a read-only page with CR0.WP=1");
	set_wp(0);
	probe_write(VA(3), TAG(23));
	check_nofault("supervisor write to a read-only page with CR0.WP=0");
	check(*(u32 *)pa == TAG(23) && (pte(VA(3)) & PTE_D),
	      "that write reached the frame and set D");
	user_write(VA(9), TAG(24));
	check_pf(PF_P | PF_W | PF_U, VA(9),
		 "user write to a read-only user page with CR0.WP=0");
	set_wp(1);
	probe_write(VA(3), TAG(25));
	check_pf(PF_P | PF_W, VA(3),
		 "supervisor write to the read-only page with CR0.WP=1 again");
	check(*(u32 *)pa == TAG(23) && *(u32 *)user == TAG(21),
	      "the faulting writes changed nothing");
}

static void test_user(void)
{
	u32 sup = frame_alloc_tagged(TAG(30));
	u32 rw = frame_alloc_tagged(TAG(31));
	u32 ro = frame_alloc_tagged(TAG(32));
	u32 other = frame_alloc_tagged(TAG(33));
	u32 v;

	map(VA(4), sup, PTE_P | PTE_RW);
	map(VA(5), rw, PTE_P | PTE_RW | PTE_US);
	map(VA(6), ro, PTE_P | PTE_US);
	map(PDE_VA, other, PTE_P | PTE_RW | PTE_US);
	flush_tlb();

	user_read(VA(4), &v);
	check_pf(PF_P | PF_U, VA(4), "user read of a supervisor page");
	user_write(VA(4), 0);
	check_pf(PF_P | PF_W | PF_U, VA(4), "user write to a supervisor page");
	user_read(VA(5), &v);
	check_value(v, TAG(31), "user read of a user page");
	check(!user_write(VA(5), TAG(34)) && *(u32 *)rw == TAG(34) &&
	      (pte(VA(5)) & PTE_D),
	      "user write to a writable user page reaches it and sets D");
	probe_read(VA(5), &v);
	check_value(v, TAG(34), "supervisor read of a user page");
	user_read(VA(6), &v);
	check_value(v, TAG(32), "user read of a read-only user page");
	user_write(VA(6), 0);
	check_pf(PF_P | PF_W | PF_U, VA(6),
		 "user write to a read-only user page");
	user_read(VA(7), &v);
	check_pf(PF_U, VA(7), "user read of a page not present");
	user_write(VA(7), 0);
	check_pf(PF_W | PF_U, VA(7), "user write to a page not present");

	/* The PDE's bits count too: the stricter level wins. */
	pte_change(&kernel, PDE_VA, LEVEL_PDE, 0, PTE_US);
	flush_tlb();
	user_read(PDE_VA, &v);
	check_pf(PF_P | PF_U, PDE_VA, "user read through a supervisor PDE");
	pte_change(&kernel, PDE_VA, LEVEL_PDE, PTE_US, PTE_RW);
	flush_tlb();
	user_read(PDE_VA, &v);
	check_value(v, TAG(33), "user read through a read-only user PDE");
	user_write(PDE_VA, 0);
	check_pf(PF_P | PF_W | PF_U, PDE_VA,
		 "user write through a read-only PDE");
	probe_write(PDE_VA, 0);
	check_pf(PF_P | PF_W, PDE_VA,
		 "supervisor write through a read-only PDE (CR0.WP=1)");
	pte_change(&kernel, PDE_VA, LEVEL_PDE, PTE_RW, 0);
	flush_tlb();
}

static void test_big_pages(void)
{
	u32 pa, small, v;

	if (!(cpuid(1, 0).edx & CPUID_1_EDX_PSE)) {
		check(0, "4 MiB pages: CPUID lacks PSE");
		return;
	}
	write_cr4(read_cr4() | CR4_PSE);
	pa = frame_alloc_range(BIG_SIZE, BIG_SIZE);
	*(u32 *)pa = TAG(40);
	*(u32 *)(pa + BIG_SIZE - 4) = TAG(41);
	pg_map(&kernel, BIG_VA, pa, LEVEL_PDE, PTE_P | PTE_RW);
	invlpg(BIG_VA);
	probe_read(BIG_VA, &v);
	check_value(v, TAG(40), "read of the first word of a 4 MiB page");
	probe_read(BIG_VA + BIG_SIZE - 4, &v);
	check_value(v, TAG(41), "read of the last word of a 4 MiB page");
	check((pde(BIG_VA) & (PTE_A | PTE_D)) == PTE_A,
	      "the reads set A and not D in the 4 MiB PDE");
	check(!probe_write(BIG_VA + 0x123450, TAG(42)) &&
	      *(u32 *)(pa + 0x123450) == TAG(42) && (pde(BIG_VA) & PTE_D),
	      "a write inside the 4 MiB page reaches its frame and sets D");

	pte_change(&kernel, BIG_VA, LEVEL_PDE, 0, PTE_RW);
	invlpg(BIG_VA + 0x200000);	/* any address in the page will do */
	probe_write(BIG_VA + 0x3ff000, 0);
	check_pf(PF_P | PF_W, BIG_VA + 0x3ff000,
		 "write to the 4 MiB page made read-only (INVLPG)");
	pte_change(&kernel, BIG_VA, LEVEL_PDE, 0, PTE_P);
	invlpg(BIG_VA + 0x100000);
	probe_read(BIG_VA + 0x100000, &v);
	check_pf(0, BIG_VA + 0x100000, "read of the unmapped 4 MiB page");

	/* The same PDE now points at a page table: 4 KiB pages again. */
	pte_write(&kernel, BIG_VA, LEVEL_PDE, 0);
	small = frame_alloc_tagged(TAG(43));
	map(BIG_VA + 0x1000, small, PTE_P | PTE_RW);
	flush_tlb();
	probe_read(BIG_VA + 0x1000, &v);
	check_value(v, TAG(43), "4 KiB page where the 4 MiB page was");
	probe_read(BIG_VA, &v);
	check_pf(0, BIG_VA, "read of its neighbour, not present");
}

static void test_recursive(void)
{
	u32 z = frame_alloc_tagged(TAG(50));
	u32 v;

	pte_write(&kernel, (u64)WINDOW_SLOT << 22, LEVEL_PDE,
		  kernel.root | PTE_P | PTE_RW);
	flush_tlb();
	check(peek(WINDOW_PTE(VA(0))) == (u32)pte(VA(0)),
	      "a PTE read through a PDE mapping its own PD matches");
	check(peek(WINDOW_PDE(VA(0))) == (u32)pde(VA(0)),
	      "a PDE read through it matches too");
	poke(WINDOW_PTE(VA(8)), z | PTE_P | PTE_RW);
	invlpg(VA(8));
	probe_read(VA(8), &v);
	check_value(v, TAG(50), "page mapped by a PTE written through it");
	check(pte(VA(8)) == (z | PTE_P | PTE_RW | PTE_A),
	      "the page table holds that PTE, with A set");
	poke(WINDOW_PTE(VA(8)), 0);
	invlpg(VA(8));
	probe_read(VA(8), &v);
	check_pf(0, VA(8), "read after a PTE cleared through the window");

	pte_write(&kernel, (u64)WINDOW_SLOT << 22, LEVEL_PDE, 0);
	flush_tlb();
	probe_read(WINDOW_VA, &v);
	check_pf(0, WINDOW_VA, "read of the window once the PDE is gone");
}

static void test_address_spaces(void)
{
	struct pgtable space[SPACES];
	u32 frame[SPACES], late, v;
	int i, r, wrong = 0;

	for (i = 0; i < SPACES; i++) {
		pgtable_init_shared(&space[i], &kernel);
		frame[i] = frame_alloc_tagged(TAG(60 + i));
		pg_map(&space[i], SPACE_VA, frame[i], LEVEL_PTE,
		       PTE_P | PTE_RW);
	}
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < SPACES; i++) {
			write_cr3(space[i].root);
			v = peek(SPACE_VA);
			if (v != TAG(60 + i) + r * 0x100)
				wrong++;
			poke(SPACE_VA, v + 0x100);
		}
	}
	write_cr3(kernel.root);
	check(!wrong, "%d address spaces, %d rounds: each sees its own page",
	      SPACES, ROUNDS);
	for (i = 0, wrong = 0; i < SPACES; i++)
		wrong += *(u32 *)frame[i] != TAG(60 + i) + ROUNDS * 0x100;
	check(!wrong, "each frame holds its own address space's writes");

	/* A table of an address space not loaded changes under it. */
	late = frame_alloc_tagged(TAG(70));
	pg_map(&space[3], SPACE_VA, late, LEVEL_PTE, PTE_P | PTE_RW);
	write_cr3(space[3].root);
	v = peek(SPACE_VA);
	write_cr3(kernel.root);
	check(v == TAG(70),
	      "a PTE changed in an idle address space is used on CR3 load");
}

/* A fork: share every page read-only, then copy on write and tear down. */
static void test_fork(void)
{
	struct pgtable child;
	u32 frames = frame_alloc_range(FORK_PAGES * PAGE_SIZE, PAGE_SIZE);
	u32 copy, va, v;
	int k, wrong;

	for (k = 0; k < FORK_PAGES; k++) {
		*(u32 *)(frames + k * PAGE_SIZE) = TAG(0x1000 + k);
		map(FORK_VA + k * PAGE_SIZE, frames + k * PAGE_SIZE,
		    PTE_P | PTE_RW);
	}
	flush_tlb();
	for (k = 0, wrong = 0; k < FORK_PAGES; k++)
		wrong += peek(FORK_VA + k * PAGE_SIZE) != TAG(0x1000 + k);
	check(!wrong, "parent reads all %d pages of its page table",
	      FORK_PAGES);

	pgtable_init_shared(&child, &kernel);
	for (k = 0; k < FORK_PAGES; k++) {
		va = FORK_VA + k * PAGE_SIZE;
		pte_change(&kernel, va, LEVEL_PTE, 0, PTE_RW);
		pte_write(&child, va, LEVEL_PTE, pte(va));
	}
	flush_tlb();
	for (k = 0, wrong = 0; k < FORK_PAGES; k++)
		wrong += peek(FORK_VA + k * PAGE_SIZE) != TAG(0x1000 + k);
	check(!wrong, "parent reads all %d pages made read-only", FORK_PAGES);
	probe_write(FORK_VA + 5 * PAGE_SIZE, 0);
	check_pf(PF_P | PF_W, FORK_VA + 5 * PAGE_SIZE,
		 "parent write to a shared page");

	write_cr3(child.root);
	for (k = 0, wrong = 0; k < FORK_PAGES; k++)
		wrong += peek(FORK_VA + k * PAGE_SIZE) != TAG(0x1000 + k);
	check(!wrong, "child reads all %d pages", FORK_PAGES);
	va = FORK_VA + (FORK_PAGES - 1) * PAGE_SIZE;
	probe_write(va, 0);
	check_pf(PF_P | PF_W, va, "child write to a shared page");
	copy = frame_alloc_tagged(*(u32 *)(frames + (FORK_PAGES - 1) *
					   PAGE_SIZE));
	pg_map(&child, va, copy, LEVEL_PTE, PTE_P | PTE_RW);
	invlpg(va);
	check(!probe_write(va, TAG(0x3000)) && *(u32 *)copy == TAG(0x3000),
	      "child write after copying the page lands in the copy");

	for (k = 0; k < FORK_PAGES; k++)
		pte_write(&child, FORK_VA + k * PAGE_SIZE, LEVEL_PTE, 0);
	flush_tlb();
	probe_read(FORK_VA + PAGE_SIZE, &v);
	check_pf(0, FORK_VA + PAGE_SIZE, "child read after tearing down");
	probe_read(va, &v);
	check_pf(0, va, "child read of the copied page after tearing down");

	write_cr3(kernel.root);
	probe_read(va, &v);
	check_value(v, TAG(0x1000 + FORK_PAGES - 1),
		    "parent's last page, untouched by the child,");
	for (k = 0; k < FORK_PAGES; k++)
		pte_change(&kernel, FORK_VA + k * PAGE_SIZE, LEVEL_PTE,
			   PTE_RW, PTE_D);
	flush_tlb();
	for (k = 0, wrong = 0; k < FORK_PAGES; k++) {
		va = FORK_VA + k * PAGE_SIZE;
		poke(va, TAG(0x2000 + k));
		wrong += *(u32 *)(frames + k * PAGE_SIZE) != TAG(0x2000 + k) ||
			 !(pte(va) & PTE_D);
	}
	check(!wrong, "parent writes all %d pages made writable, setting D",
	      FORK_PAGES);
}

static void test_global(void)
{
	struct pgtable other;
	u32 g[5], v;
	int i;

	if (!(cpuid(1, 0).edx & CPUID_1_EDX_PGE)) {
		check(0, "global pages: CPUID lacks PGE");
		return;
	}
	for (i = 0; i < 5; i++)
		g[i] = frame_alloc_tagged(TAG(80 + i));
	write_cr4(read_cr4() | CR4_PGE);
	map(VA(16), g[0], PTE_P | PTE_RW | PTE_G);
	pgtable_init_shared(&other, &kernel);
	pg_map(&other, VA(16), g[0], LEVEL_PTE, PTE_P | PTE_RW | PTE_G);
	invlpg(VA(16));
	probe_read(VA(16), &v);
	check_value(v, TAG(80), "read of a global page");
	write_cr3(other.root);
	probe_read(VA(16), &v);
	write_cr3(kernel.root);
	check_value(v, TAG(80), "the same global page in another space");

	map(VA(16), g[1], PTE_P | PTE_RW | PTE_G);
	invlpg(VA(16));
	probe_read(VA(16), &v);
	check_value(v, TAG(81), "global page remapped (INVLPG)");
	map(VA(16), g[2], PTE_P | PTE_RW | PTE_G);
	flush_tlb_all();
	probe_read(VA(16), &v);
	check_value(v, TAG(82), "global page remapped (CR4.PGE toggled)");

	/* Without CR4.PGE the G bit means nothing: CR3 flushes it too. */
	write_cr4(read_cr4() & ~CR4_PGE);
	probe_read(VA(16), &v);
	map(VA(16), g[3], PTE_P | PTE_RW | PTE_G);
	flush_tlb();
	probe_read(VA(16), &v);
	check_value(v, TAG(83), "G page remapped (CR3 reload, CR4.PGE=0)");
	write_cr4(read_cr4() | CR4_PGE);
	probe_read(VA(16), &v);
	map(VA(16), g[4], PTE_P | PTE_RW);
	invlpg(VA(16));
	probe_read(VA(16), &v);
	check_value(v, TAG(84), "global page remapped not global (INVLPG)");
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	puts("# paging32: 32-bit paging, 4 KiB and 4 MiB pages\n");
	desc_init();
	frame_init(mbi);
	pgtable_init(&kernel, PAGING_32);
	paging_enable(&kernel);

	test_accessed_dirty();
	test_change(VA(1), TAG(10), 0);
	test_change(VA(2), TAG(13), 1);
	test_write_protect();
	test_user();
	test_big_pages();
	test_recursive();
	test_address_spaces();
	test_fork();
	test_global();
	return check_done();
}
