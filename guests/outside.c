// SPDX-License-Identifier: GPL-2.0
/*
 * PTEs that point past the guest's RAM: just past its end, far above it,
 * into the 3-4 GiB hole and above 4 GiB (PAE, so physical addresses can
 * be that high). Nothing answers there, and a shadow MMU must not map
 * whatever host memory it finds: shadowvmm's rule is "reads all-ones,
 * writes dropped".
 *
 * QEMU 7.2, the oracle, reads zeros there instead. So only what both
 * agree on is checked: no fault, every word of a page reads the same
 * value and that value is all zeros or all ones (host memory would be
 * neither), a write is dropped (reading back does not give it) and lands
 * in no page of RAM, and A and D are set in the PTE as for any page.
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "frame.h"
#include "paging.h"
#include "probe.h"
#include "x86.h"

#define TEST_VA		0x40000000u
#define VA(n)		(TEST_VA + (n) * PAGE_SIZE)
#define BIG_VA		0x80000000u	/* a 2 MiB page past RAM */
#define BIG_SIZE	0x200000u
#define RAM_SIZE	0x2000000u	/* -m 32M, and --mem 32M */
#define PATTERN(n)	(0x5eed0000u + (n) * 0x10)
#define PATTERN_WORDS	4
#define TAG(n)		(0x0b5e0000u + (n))

struct target {
	u64 pa;
	const char *what;
};

static const struct target targets[] = {
	{ RAM_SIZE, "the first frame past RAM" },
	{ 0x10000000, "a frame at 256 MiB" },
	{ 0xd0000000, "a frame in the 3-4 GiB hole" },
	{ 0x100000000ull, "a frame at 4 GiB" },
	{ 0xf00000000ull, "a frame at 60 GiB" },
};

static struct pgtable kernel;

/*
 * The words sampled from size bytes at va all read value, and value is 0
 * or ~0. A sample: under a VMM each read there may well be emulated, and
 * host memory would not look uniform for long.
 */
static int reads_uniform(u32 va, u32 size, u32 *value)
{
	u32 first, v, off;

	*value = 0;
	if (probe_read(va, &first))
		return 0;
	*value = first;
	for (off = 4; off < size; off += off < 64 ? 4 : 252) {
		v = peek(va + off);
		if (v != first)
			return 0;
	}
	return first == 0 || first == ~0u;
}

/* Does any page of RAM hold the pattern at this offset? */
static int ram_holds(u32 off, u32 pattern)
{
	u32 page, k;

	for (page = PAGE_SIZE; page < frame_ram_end(); page += PAGE_SIZE) {
		for (k = 0; k < PATTERN_WORDS; k++) {
			if (peek(page + off + k * 4) != pattern + k)
				break;
		}
		if (k == PATTERN_WORDS)
			return 1;
	}
	return 0;
}

/* Writes that must vanish: not read back, and in no page of RAM. */
static void check_write_dropped(u32 va, u32 off, u32 pattern, u32 before,
				const char *what)
{
	u32 k, v;
	int faulted = 0, kept = 0;

	for (k = 0; k < PATTERN_WORDS; k++)
		faulted |= probe_write(va + off + k * 4, pattern + k);
	check(!faulted, "writes to %s do not fault", what);
	for (k = 0; k < PATTERN_WORDS; k++) {
		v = peek(va + off + k * 4);
		kept |= v != before;
	}
	check(!kept, "reading them back gives what was there before");
	check(!ram_holds(off, pattern), "no page of RAM took those writes");
}

static void check_target(u32 n, const struct target *t)
{
	u32 va = VA(n), off = 0x100 + n * 0x40, v;

	pte_write(&kernel, va, LEVEL_PTE, t->pa | PTE_P | PTE_RW);
	invlpg(va);
	check(reads_uniform(va, PAGE_SIZE, &v),
	      "%s reads the same everywhere, all zeros or all ones",
	      t->what);
	check((pte_read(&kernel, va, LEVEL_PTE) & (PTE_A | PTE_D)) == PTE_A,
	      "the reads set A and not D in its PTE");
	check_write_dropped(va, off, PATTERN(n), v, t->what);
	check(pte_read(&kernel, va, LEVEL_PTE) & PTE_D,
	      "the writes set D in its PTE");
}

static void check_big_page(void)
{
	u32 v;

	pg_map(&kernel, BIG_VA, RAM_SIZE, LEVEL_PDE, PTE_P | PTE_RW);
	invlpg(BIG_VA);
	check(reads_uniform(BIG_VA, BIG_SIZE, &v),
	      "a 2 MiB page past RAM reads the same everywhere");
	check_write_dropped(BIG_VA + BIG_SIZE / 2, 0x80, PATTERN(8), v,
			    "the 2 MiB page");
}

/* Moving a PTE between RAM and nothing, both ways, leaves nothing stale. */
static void check_remap(void)
{
	u32 ram = frame_alloc_tagged(TAG(1)), va = VA(16), v;

	pte_write(&kernel, va, LEVEL_PTE, RAM_SIZE | PTE_P | PTE_RW);
	invlpg(va);
	probe_read(va, &v);
	pte_write(&kernel, va, LEVEL_PTE, ram | PTE_P | PTE_RW);
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(1), "a PTE moved from past RAM to RAM");
	check(!probe_write(va, TAG(2)) && *(u32 *)ram == TAG(2),
	      "a write through it reaches RAM");
	pte_write(&kernel, va, LEVEL_PTE, RAM_SIZE | PTE_P | PTE_RW);
	invlpg(va);
	check(reads_uniform(va, PAGE_SIZE, &v),
	      "moved back past RAM, it reads the same everywhere again");
	check(!probe_write(va, TAG(3)) && *(u32 *)ram == TAG(2),
	      "a write through it leaves the RAM page alone");
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	u32 n;

	puts("# outside: PTEs pointing past guest RAM (PAE)\n");
	desc_init();
	frame_init(mbi);
	if (!(cpuid(1, 0).edx & CPUID_1_EDX_PAE)) {
		check(0, "PAE: CPUID lacks it");
		return check_done();
	}
	pgtable_init(&kernel, PAGING_PAE);
	paging_enable(&kernel);

	for (n = 0; n < ARRAY_SIZE(targets); n++)
		check_target(n, &targets[n]);
	check_big_page();
	check_remap();
	return check_done();
}
