// SPDX-License-Identifier: GPL-2.0
/*
 * bench OP N [tsc]: N iterations of one paging operation, after a warm-up
 * of WARMUP iterations of the same code, for "make bench" and the
 * exit-count targets of tests/e2e. The VMM's counters, read after two
 * runs with different N, give the cost of one iteration exactly: the
 * setup, the warm-up and the output are the same in both runs.
 *
 *   cr3-switch    MOV to CR3 between two cached address spaces, then a
 *                 read of a page that differs between them
 *   demand-fault  a write to a page whose PTE is not present; the #PF
 *                 handler writes the PTE and the write runs again
 *   pte-update    a PTE pointed at another frame, INVLPG, then a read
 *                 through the new translation
 *   populate      a page-table page recycled as Linux recycles one:
 *                 unlinked from its PDE and INVLPG'd, allocated again
 *                 (the same frame, as a LIFO free list gives it back) and
 *                 zeroed with one REP STOS as clear_page() does, linked
 *                 into the PDE, all 512 PTEs written, one read through it
 *
 * Paging is PAE: 512 8-byte entries a table, as in 64-bit kernels, with
 * 32-bit code. Each PTE or PDE is written with one 4-byte store of its
 * low half (its high half is zero and stays zero: frames below 4 GiB, no
 * NX), so one entry write is one store, as a 64-bit kernel's is. New
 * entries have A set (and D where the access writes), as Linux writes
 * them. The output names the operation, never N, so its length (which
 * the VMM counts in exits) does not change with N; "tsc" adds the TSC
 * cycles the N iterations took, in a fixed-width field.
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "frame.h"
#include "paging.h"
#include "trap.h"
#include "x86.h"

#define BENCH_VA	0x40000000u	/* PDPTE 1: none of the kernel's map */
#define DEMAND_VA	BENCH_VA	/* a page table of pages mapped on use */
#define UPDATE_VA	(BENCH_VA + 0x200000u)	/* one page, remapped */
#define POPULATE_VA	(BENCH_VA + 0x400000u)	/* a page table rebuilt */
#define SPACE_VA	(BENCH_VA + 0x600000u)	/* a page per address space */
#define PTES		512u	/* entries in a PAE table */
#define LAST		(PTES - 1)
#define ENTRY_SIZE	8u
#define WARMUP		8u
/* The demand-fault pages, warm-up included, fit in one page table. */
#define MAX_ITERATIONS	(PTES - WARMUP)
#define TAG(n)		(0xbe0c0000u + (n))
#define LEAF		((u32)(PTE_P | PTE_RW | PTE_A))
#define TABLE		((u32)(PTE_P | PTE_RW | PTE_A))

struct op {
	const char *name;
	void (*setup)(void);			/* paging off */
	void (*run)(u32 first, u32 count);	/* iterations first.. */
};

static struct pgtable kernel;

/* The low half of a PAE entry: one store, the whole entry. */
static void set_entry(u32 pa, u32 low)
{
	WRITE_ONCE(*(u32 *)pa, low);
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return lo | (u64)hi << 32;
}

/* --- cr3-switch ----------------------------------------------------------- */

static u32 spaces[2];	/* the two roots; space k maps TAG(k) at SPACE_VA */

static void cr3_switch_setup(void)
{
	struct pgtable other;

	pgtable_init_shared(&other, &kernel);
	pg_map(&kernel, SPACE_VA, frame_alloc_tagged(TAG(0)), LEVEL_PTE, LEAF);
	pg_map(&other, SPACE_VA, frame_alloc_tagged(TAG(1)), LEVEL_PTE, LEAF);
	spaces[0] = kernel.root;
	spaces[1] = other.root;
}

static void cr3_switch_run(u32 first, u32 count)
{
	u32 i, k;

	for (i = first; i < first + count; i++) {
		k = (i + 1) & 1;	/* from the kernel's, space 0 */
		write_cr3(spaces[k]);
		if (peek(SPACE_VA) != TAG(k))
			bail_out("cr3-switch: space %u reads 0x%08x", k,
				 peek(SPACE_VA));
	}
}

/* --- demand-fault --------------------------------------------------------- */

static u32 demand_table, demand_frame, demand_faults;

static int demand_map(u32 cr2, u32 error)
{
	u32 slot = (cr2 - DEMAND_VA) / PAGE_SIZE;

	if (cr2 < DEMAND_VA || slot >= PTES || (error & PF_P))
		return 0;
	set_entry(demand_table + slot * ENTRY_SIZE,
		  demand_frame | LEAF | (u32)PTE_D);
	demand_faults++;
	return 1;
}

static void demand_fault_setup(void)
{
	demand_table = pte_addr(&kernel, DEMAND_VA, LEVEL_PTE, 1);
	demand_frame = frame_alloc();
	page_fault_hook = demand_map;
}

static void demand_fault_run(u32 first, u32 count)
{
	u32 i;

	for (i = first; i < first + count; i++)
		poke(DEMAND_VA + i * PAGE_SIZE, TAG(i));
	if (demand_faults != first + count || peek(demand_frame) != TAG(i - 1))
		bail_out("demand-fault: %u faults for %u pages, frame 0x%08x",
			 demand_faults, first + count, peek(demand_frame));
}

/* --- pte-update ----------------------------------------------------------- */

static u32 update_pte, update_frames[2];

static void pte_update_setup(void)
{
	update_pte = pte_addr(&kernel, UPDATE_VA, LEVEL_PTE, 1);
	update_frames[0] = frame_alloc_tagged(TAG(0));
	update_frames[1] = frame_alloc_tagged(TAG(1));
	set_entry(update_pte, update_frames[0] | LEAF);
}

static void pte_update_run(u32 first, u32 count)
{
	u32 i, k;

	for (i = first; i < first + count; i++) {
		k = (i + 1) & 1;
		set_entry(update_pte, update_frames[k] | LEAF);
		invlpg(UPDATE_VA);
		if (peek(UPDATE_VA) != TAG(k))
			bail_out("pte-update: frame %u reads 0x%08x", k,
				 peek(UPDATE_VA));
	}
}

/* --- populate ------------------------------------------------------------- */

static u32 populate_pde, populate_table, populate_frames;

/* Linux's clear_page(): one string store over the page. */
static void clear_frame(u32 pa)
{
	u32 words = PAGE_SIZE / 4;

	asm volatile("rep stosl"
		     : "+D" (pa), "+c" (words) : "a" (0) : "memory");
}

static void populate_setup(void)
{
	populate_pde = pte_addr(&kernel, POPULATE_VA, LEVEL_PDE, 1);
	populate_table = frame_alloc();
	/* 512 frames for the PTEs; only the last one is ever read. */
	populate_frames = frame_alloc_range(PTES * PAGE_SIZE, PAGE_SIZE);
	WRITE_ONCE(*(u32 *)(populate_frames + LAST * PAGE_SIZE), TAG(0));
}

static void populate_run(u32 first, u32 count)
{
	u32 i, e;

	for (i = first; i < first + count; i++) {
		/* The table the last iteration built is freed... */
		set_entry(populate_pde, 0);
		invlpg(POPULATE_VA + LAST * PAGE_SIZE);
		/* ...and allocated again, zeroed, and linked. */
		clear_frame(populate_table);
		set_entry(populate_pde, populate_table | TABLE);
		for (e = 0; e < PTES; e++)
			set_entry(populate_table + e * ENTRY_SIZE,
				  (populate_frames + e * PAGE_SIZE) | LEAF);
		if (peek(POPULATE_VA + LAST * PAGE_SIZE) != TAG(0))
			bail_out("populate: the last page reads 0x%08x",
				 peek(POPULATE_VA + LAST * PAGE_SIZE));
	}
}

static const struct op ops[] = {
	{ "cr3-switch", cr3_switch_setup, cr3_switch_run },
	{ "demand-fault", demand_fault_setup, demand_fault_run },
	{ "pte-update", pte_update_setup, pte_update_run },
	{ "populate", populate_setup, populate_run },
};

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* A decimal from 1 to MAX_ITERATIONS, else 0. */
static u32 parse_count(const char *s)
{
	u32 value = 0;

	if (!s || !*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		value = value * 10 + *s - '0';
		if (value > MAX_ITERATIONS)
			return 0;
	}
	return value;
}

static int usage(void)
{
	printf("bench: usage: bench cr3-switch|demand-fault|pte-update|populate N [tsc] (N from 1 to %u)\n",
	       MAX_ITERATIONS);
	return 2;
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	const struct op *op = 0;
	u64 start, cycles;
	u32 i, n;

	for (i = 0; argc > 1 && i < ARRAY_SIZE(ops); i++)
		if (streq(argv[1], ops[i].name))
			op = &ops[i];
	n = parse_count(argc > 2 ? argv[2] : 0);
	if (!op || !n || argc > 4 || (argc == 4 && !streq(argv[3], "tsc")))
		return usage();
	if (!(cpuid(1, 0).edx & CPUID_1_EDX_PAE)) {
		puts("bench: CPUID lacks PAE\n");
		return 1;
	}

	desc_init();
	frame_init(mbi);
	pgtable_init(&kernel, PAGING_PAE);
	op->setup();
	paging_enable(&kernel);
	op->run(0, WARMUP);
	start = rdtsc();
	op->run(WARMUP, n);
	cycles = rdtsc() - start;
	if (argc == 4)
		printf("bench: %s: tsc %08x%08x\n", op->name,
		       (u32)(cycles >> 32), (u32)cycles);
	printf("bench: %s: ok\n", op->name);
	return 0;
}
