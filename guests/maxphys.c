// SPDX-License-Identifier: GPL-2.0
/*
 * PTEs naming every kind of frame up to the guest's MAXPHYADDR (CPUID
 * 0x80000008), PAE paging, read and written through:
 *
 * - every frame of RAM (below 640 KiB and from 1 MiB to mem_upper's end),
 *   512 PTEs at a time: each reads what the identity map reads there;
 * - 2^b and every frame number with all bits but b set, for each b up to
 *   MAXPHYADDR - 1, one PTE at a time at one address with INVLPG between
 *   them, and 2048 random frames (seeded) past RAM: each reads one value
 *   everywhere, all ones or all zeros (shadowvmm's rule is all ones; QEMU
 *   7.2 reads zeros), and writes to them are not read back and land in no
 *   page of RAM;
 * - a PTE, a PDE pointing to a table, and a 2 MiB PDE with each bit from
 *   MAXPHYADDR to 51 set: #PF with RSVD for a read and for a write, and
 *   the entry made good again works at once;
 * - PDEs pointing to page tables past RAM: every access faults.
 *
 * "maxphys ones" insists on all ones, as shadowvmm reads there, with the
 * same output (tests/e2e runs it so; QEMU reads zeros).
 *
 * The region just below 4 GiB is left out of the random sample: QEMU has
 * its APIC, IOAPIC, HPET and BIOS there. No line names MAXPHYADDR itself,
 * so two oracles with different widths still print the same.
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "frame.h"
#include "paging.h"
#include "probe.h"
#include "rand.h"
#include "x86.h"

#define WINDOW		0x40000000u	/* one page table of test PTEs */
#define WINDOW_PAGES	512u
#define ONE_VA		0x40200000u	/* one PTE at a time, and reserved bits */
#define BIG_VA		0x40400000u	/* 2 MiB pages */
#define RAM_SIZE	0x2000000u	/* -m 32M, --mem 32M */
#define LOW_RAM_END	0xa0000u
#define ONE_MIB		0x100000u
#define HOLE_START	0xfe000000ull	/* QEMU's devices and BIOS up to 4 GiB */
#define HOLE_END	0x100000000ull
#define RANDOM_FRAMES	2048u
#define SEED		0x5eed0003u
#define TAG_OFF		0x10u
#define TAG(n)		(0x6d700000u + (n))
#define TAG_MASK	0xfff00000u
#define MAX_REPORTS	8

static struct pgtable kernel;
static u32 maxphyaddr;
/* "maxphys ones": shadowvmm's rule, all ones, rather than either value. */
static int want_ones;

static u32 cpuid_maxphyaddr(void)
{
	if (cpuid(0x80000000, 0).eax < 0x80000008)
		return 36;
	return cpuid(0x80000008, 0).eax & 0xff;
}

static void report(u32 *n, const char *what, u64 pa, u32 got)
{
	if ((*n)++ < MAX_REPORTS)
		printf("# %s: frame 0x%08x%08x (read 0x%08x)\n", what,
		       (u32)(pa >> 32), (u32)pa, got);
}

/* The whole page at va reads one value, 0 or ~0, sampled. */
static int uniform(u32 va, u32 *value)
{
	u32 first, off;

	if (probe_read(va, &first))
		return 0;
	*value = first;
	if (first != ~0u && (want_ones || first != 0))
		return 0;
	for (off = 4; off < PAGE_SIZE; off += off < 64 ? 4 : 508) {
		if (peek(va + off) != first)
			return 0;
	}
	return peek(va + PAGE_SIZE - 4) == first;
}

/* Does any page of RAM hold a tag of ours at TAG_OFF? */
static u32 ram_tagged(void)
{
	u32 page, n = 0;

	for (page = PAGE_SIZE; page < frame_ram_end(); page += PAGE_SIZE) {
		if ((peek(page + TAG_OFF) & TAG_MASK) == TAG(0))
			n++;
	}
	return n;
}

static void map_window(u32 i, u64 pa)
{
	pte_write(&kernel, WINDOW + i * PAGE_SIZE, LEVEL_PTE,
		  pa | PTE_P | PTE_RW);
}

/* Every frame of RAM, through 512 PTEs at a time, reads as RAM does. */
static void ram_frames(void)
{
	u32 pa, next = PAGE_SIZE, i, bad = 0, frames = 0, v;
	u32 end = frame_ram_end();

	while (next < end) {
		u32 first = next;

		for (i = 0; i < WINDOW_PAGES && next < end; i++) {
			map_window(i, next);
			next += PAGE_SIZE;
			if (next == LOW_RAM_END)
				next = ONE_MIB;
		}
		flush_tlb();
		for (pa = first, i = 0; pa != next; i++) {
			u32 va = WINDOW + i * PAGE_SIZE;

			frames++;
			if (probe_read(va + 0x7fc, &v) || v != peek(pa + 0x7fc) ||
			    peek(va) != peek(pa))
				report(&bad, "RAM reads differ", pa, v);
			pa += PAGE_SIZE;
			if (pa == LOW_RAM_END)
				pa = ONE_MIB;
		}
	}
	check(!bad && frames > 7000,
	      "every frame of RAM reads through a PTE as through the identity map");
}

/* Reads uniform, the write to it dropped. Returns nonzero if not. */
static int check_unbacked(u32 va, u64 pa, u32 tag, u32 *bad)
{
	u32 v = 0, after;

	if (!uniform(va, &v)) {
		report(bad, "not uniform", pa, v);
		return 1;
	}
	if (probe_write(va + TAG_OFF, tag)) {
		report(bad, "write faulted", pa, last_fault.vector);
		return 1;
	}
	after = peek(va + TAG_OFF);
	if (after != v) {
		report(bad, "write read back", pa, after);
		return 1;
	}
	return 0;
}

/* 2^b, and all bits but b, one PTE at one address, INVLPG between. */
static void bit_frames(void)
{
	u64 top = (1ull << maxphyaddr) - PAGE_SIZE, pa;
	u32 b, bad = 0, n = 0;

	for (b = 12; b < maxphyaddr; b++) {
		u64 frames[2] = { 1ull << b, top & ~(1ull << b) };
		u32 k;

		for (k = 0; k < 2; k++) {
			pa = frames[k];
			/* In RAM: ram_frames() did those. */
			if (pa < RAM_SIZE || (pa >= HOLE_START && pa < HOLE_END))
				continue;
			pte_write(&kernel, ONE_VA, LEVEL_PTE,
				  pa | PTE_P | PTE_RW);
			invlpg(ONE_VA);
			check_unbacked(ONE_VA, pa, TAG(n++), &bad);
		}
	}
	check(!bad && n > 2 * (maxphyaddr - 26),
	      "frames with each bit of the frame number set, or all but it, read uniform and drop writes");
	check(!ram_tagged(), "no page of RAM took those writes");
}

static u64 random_frame(u32 *seed)
{
	u64 pa;

	do {
		pa = ((u64)rand_next(seed) << 32 | rand_next(seed)) &
		     ((1ull << maxphyaddr) - 1) & ~(u64)(PAGE_SIZE - 1);
	} while (pa < RAM_SIZE || (pa >= HOLE_START && pa < HOLE_END));
	return pa;
}

static void random_frames(void)
{
	u32 seed = SEED, done, i, bad = 0;
	u64 pa[WINDOW_PAGES];

	for (done = 0; done < RANDOM_FRAMES; done += WINDOW_PAGES) {
		for (i = 0; i < WINDOW_PAGES; i++) {
			pa[i] = random_frame(&seed);
			map_window(i, pa[i]);
		}
		flush_tlb();
		for (i = 0; i < WINDOW_PAGES; i++)
			check_unbacked(WINDOW + i * PAGE_SIZE, pa[i],
				       TAG(0x80000 + done + i), &bad);
	}
	check(!bad, "%u random frames past RAM read uniform and drop writes",
	      RANDOM_FRAMES);
	check(!ram_tagged(), "no page of RAM took those writes");
}

static void reserved_bits(void)
{
	u32 ram = frame_alloc_tagged(TAG(0xffff)), b, v;
	u32 bad_pte = 0, bad_pde = 0, bad_big = 0, bad_after = 0;
	u64 big = frame_alloc_range(0x200000, 0x200000);
	u64 pde = pte_read(&kernel, ONE_VA, LEVEL_PDE);

	for (b = maxphyaddr; b < 52; b++) {
		u64 rsvd = 1ull << b;

		/* The PTE. */
		pte_write(&kernel, ONE_VA, LEVEL_PTE, rsvd | ram | PTE_P | PTE_RW);
		invlpg(ONE_VA);
		probe_read(ONE_VA, &v);
		bad_pte += last_fault.vector != VECTOR_PF ||
			   !(last_fault.error & PF_RSVD) ||
			   (last_fault.error & PF_W) || last_fault.cr2 != ONE_VA;
		probe_write(ONE_VA, 0);
		bad_pte += last_fault.vector != VECTOR_PF ||
			   (last_fault.error & (PF_RSVD | PF_W)) != (PF_RSVD | PF_W);
		pte_write(&kernel, ONE_VA, LEVEL_PTE, ram | PTE_P | PTE_RW);
		invlpg(ONE_VA);
		bad_after += probe_read(ONE_VA, &v) || v != TAG(0xffff);

		/* The PDE above it, pointing to a table. */
		pte_write(&kernel, ONE_VA, LEVEL_PDE, rsvd | pde);
		flush_tlb();
		probe_read(ONE_VA, &v);
		bad_pde += last_fault.vector != VECTOR_PF ||
			   !(last_fault.error & PF_RSVD) ||
			   last_fault.cr2 != ONE_VA;
		pte_write(&kernel, ONE_VA, LEVEL_PDE, pde);
		flush_tlb();
		bad_after += probe_read(ONE_VA, &v) || v != TAG(0xffff);

		/* A 2 MiB page. */
		pte_write(&kernel, BIG_VA, LEVEL_PDE,
			  rsvd | big | PTE_PS | PTE_P | PTE_RW);
		invlpg(BIG_VA + 0x1000);
		probe_read(BIG_VA + 0x1000, &v);
		bad_big += last_fault.vector != VECTOR_PF ||
			   !(last_fault.error & PF_RSVD) ||
			   last_fault.cr2 != BIG_VA + 0x1000;
		pte_write(&kernel, BIG_VA, LEVEL_PDE,
			  big | PTE_PS | PTE_P | PTE_RW);
		invlpg(BIG_VA + 0x1000);
		poke((u32)big + 0x1000, TAG(b));
		bad_after += probe_read(BIG_VA + 0x1000, &v) || v != TAG(b);
		pte_write(&kernel, BIG_VA, LEVEL_PDE, 0);
		invlpg(BIG_VA + 0x1000);
	}
	check(!bad_pte,
	      "PTEs with each bit from MAXPHYADDR to 51 set: reads and writes #PF with RSVD");
	check(!bad_pde, "PDEs with each of those bits set: #PF with RSVD");
	check(!bad_big, "2 MiB PDEs with each of those bits set: #PF with RSVD");
	check(!bad_after, "each entry made good again maps at once");
}

/*
 * A page table past RAM: it reads all zeros (QEMU) or all ones
 * (shadowvmm), so its PTEs are not present or have reserved bits set
 * under PAE. Either way an access faults and nothing of the host shows.
 */
static void table_past_ram(void)
{
	u64 pde = pte_read(&kernel, ONE_VA, LEVEL_PDE);
	u32 v, bad = 0, i;

	for (i = 0; i < 4; i++) {
		u64 table = i < 2 ? RAM_SIZE + i * PAGE_SIZE :
			    1ull << (maxphyaddr - i + 1);

		pte_write(&kernel, ONE_VA, LEVEL_PDE, table | PTE_P | PTE_RW);
		flush_tlb();
		probe_read(ONE_VA + i * PAGE_SIZE, &v);
		bad += last_fault.vector != VECTOR_PF ||
		       (last_fault.error & ~(PF_P | PF_RSVD)) != 0;
		probe_write(ONE_VA + i * PAGE_SIZE, TAG(0x7000 + i));
		bad += last_fault.vector != VECTOR_PF;
	}
	pte_write(&kernel, ONE_VA, LEVEL_PDE, pde);
	flush_tlb();
	check(!bad, "PDEs pointing to page tables past RAM: reads and writes #PF");
	check(!ram_tagged(), "no page of RAM took those writes");
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	want_ones = argc > 1 && argv[1][0] == 'o';
	puts("# maxphys: PTEs naming frames up to MAXPHYADDR (PAE)\n");
	desc_init();
	frame_init(mbi);
	maxphyaddr = cpuid_maxphyaddr();
	if (!(cpuid(1, 0).edx & CPUID_1_EDX_PAE) || maxphyaddr < 33 ||
	    maxphyaddr > 52) {
		check(0, "PAE and a MAXPHYADDR from 33 to 52");
		return check_done();
	}
	pgtable_init(&kernel, PAGING_PAE);
	/* The tables for the test addresses, before anything is timed. */
	pte_write(&kernel, WINDOW, LEVEL_PTE, 0);
	pte_write(&kernel, ONE_VA, LEVEL_PTE, 0);
	paging_enable(&kernel);

	ram_frames();
	bit_frames();
	random_frames();
	reserved_bits();
	table_past_ram();
	return check_done();
}
