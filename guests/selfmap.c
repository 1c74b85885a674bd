// SPDX-License-Identifier: GPL-2.0
/*
 * Tables that map themselves, written through those mappings: a page
 * directory whose last entry points to itself (the recursive mapping
 * kernels use, so every PTE and PDE has a linear address), and a page
 * table one of whose entries points to itself. Every write goes through
 * the self-map; the guest then checks, through the identity map and by
 * using the addresses, that each did what the architecture says.
 *
 *   selfmap 32|pae [insns]
 *
 * With "insns" the stores through the self-map are each a different
 * instruction (MOV, XCHG, LOCK CMPXCHG, LOCK OR, BTR, ADD, MOV moffs,
 * LOCK XOR, REP STOSL, REP MOVSL):
 * a VMM that emulates stores to guest tables must get each right or,
 * where it cannot, stop the VM and say why, never corrupt the table.
 *
 * Under PAE the self-mapped directory is the one for 1-2 GiB (its last
 * entry maps the directory's own 2 MiB), under 32-bit paging the root.
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "frame.h"
#include "paging.h"
#include "probe.h"
#include "x86.h"

#define TEST_VA		0x40000000u
#define TAG(n)		(0x5e1f0000u + (n))

static struct pgtable pt;
static u32 base;	/* the linear base of what the self-mapped PD maps */
static u32 window;	/* where the self-map shows that PD's tables */
static u32 esz, self_slot;

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static u32 pde_size(void)
{
	return level_size(&pt, LEVEL_PDE);
}

/* The linear address of va's PTE, and of its PDE, through the self-map. */
static u32 pte_via(u32 va)
{
	return window + ((va - base) >> 12) * esz;
}

static u32 pde_via(u32 va)
{
	return window + self_slot * PAGE_SIZE + (va - base) / pde_size() * esz;
}

static u32 self_entry_via(void)
{
	return pde_via(window);
}

static void setup_selfmap(void)
{
	u32 pd;

	base = pt.mode == PAGING_32 ? 0 : TEST_VA;
	esz = entry_size(&pt);
	self_slot = table_entries(&pt) - 1;
	window = base + self_slot * pde_size();
	/* The directory's own frame, from the walk for an address it maps. */
	pte_write(&pt, TEST_VA, LEVEL_PTE, 0);
	pd = pte_addr(&pt, TEST_VA, LEVEL_PDE, 0) & ~(PAGE_SIZE - 1);
	pte_write(&pt, window, LEVEL_PDE, pd | PTE_P | PTE_RW);
	flush_tlb();
}

static u32 pd_frame(void)
{
	return pte_addr(&pt, TEST_VA, LEVEL_PDE, 0) & ~(PAGE_SIZE - 1);
}

static void recursive_directory(void)
{
	u32 a = frame_alloc_tagged(TAG(1)), b = frame_alloc_tagged(TAG(2));
	u32 newpt = frame_alloc(), va2 = TEST_VA + 2 * pde_size(), v, i;
	u32 pd = pd_frame();
	u64 e;

	e = pte_load(&pt, self_entry_via());
	check(last_fault.vector == NO_FAULT &&
	      (e & PTE_ADDR) == pd && (e & PTE_P),
	      "the self entry reads, through itself, as pointing to the directory");
	e = pte_load(&pt, pde_via(TEST_VA));
	check(e == pte_read(&pt, TEST_VA, LEVEL_PDE),
	      "a PDE reads through the self-map as through the identity map");

	pte_store(&pt, pte_via(TEST_VA), a | PTE_P | PTE_RW);
	invlpg(TEST_VA);
	probe_read(TEST_VA, &v);
	check_value(v, TAG(1), "a PTE written through the self-map maps");
	check((pte_read(&pt, TEST_VA, LEVEL_PTE) & PTE_ADDR) == a,
	      "the identity map sees that PTE");

	/* A new page table, hooked in and filled through the self-map. */
	pte_store(&pt, pde_via(va2), newpt | PTE_P | PTE_RW);
	invlpg(pte_via(va2));
	for (i = 0; i < 4; i++)
		pte_store(&pt, pte_via(va2 + i * PAGE_SIZE),
			  (i & 1 ? b : a) | PTE_P | PTE_RW);
	for (i = 0; i < 4; i++)
		invlpg(va2 + i * PAGE_SIZE);
	probe_read(va2 + 3 * PAGE_SIZE, &v);
	check_value(v, TAG(2), "a PDE and PTEs written through the self-map map");
	check(pte_load(&pt, newpt + 2 * esz) == (a | PTE_P | PTE_RW) ||
	      pte_load(&pt, newpt + 2 * esz) == (a | PTE_P | PTE_RW | PTE_A),
	      "the new table holds them");
	probe_write(va2 + PAGE_SIZE + 8, TAG(3));
	check(last_fault.vector == NO_FAULT && peek(b + 8) == TAG(3),
	      "a write through the new mapping lands in its frame");

	/* The self entry made read-only through itself. */
	pte_store(&pt, self_entry_via(), pd | PTE_P);
	invlpg(window + self_slot * PAGE_SIZE);
	for (i = 0; i < table_entries(&pt); i++)
		invlpg(window + i * PAGE_SIZE);
	probe_read(pte_via(TEST_VA), &v);
	check_nofault("with the self entry read-only, a read of a PTE through it");
	probe_write(pte_via(TEST_VA), 0);
	check_pf(PF_P | PF_W, pte_via(TEST_VA), "a write of a PTE through it");
	probe_write(self_entry_via(), 0);
	check_pf(PF_P | PF_W, self_entry_via(), "a write of the self entry through itself");
	pte_write(&pt, window, LEVEL_PDE, pd | PTE_P | PTE_RW);
	flush_tlb();

	/* And removed through itself. */
	probe_write(self_entry_via(), 0);
	check_nofault("clearing the self entry through itself");
	flush_tlb();
	probe_read(pte_via(TEST_VA), &v);
	check_pf(0, pte_via(TEST_VA), "then the self-map");
	check(pte_read(&pt, window, LEVEL_PDE) == 0,
	      "the identity map sees the entry clear");
	pte_write(&pt, window, LEVEL_PDE, pd | PTE_P | PTE_RW);
	flush_tlb();
	probe_read(TEST_VA, &v);
	check_value(v, TAG(1), "put back, the mappings are as they were");
}

/* A page table with an entry that points to the table itself. */
static void self_table(void)
{
	u32 region = TEST_VA + 4 * pde_size(), x, k = 5, va_x, v;
	u32 c = frame_alloc_tagged(TAG(4)), d = frame_alloc_tagged(TAG(5));

	pte_write(&pt, region, LEVEL_PTE, 0);
	x = pte_addr(&pt, region, LEVEL_PTE, 0) & ~(PAGE_SIZE - 1);
	va_x = region + k * PAGE_SIZE;
	pte_write(&pt, va_x, LEVEL_PTE, x | PTE_P | PTE_RW);
	invlpg(va_x);

	pte_store(&pt, va_x + 1 * esz, c | PTE_P | PTE_RW);
	invlpg(region + PAGE_SIZE);
	probe_read(region + PAGE_SIZE, &v);
	check_value(v, TAG(4), "a table mapping itself: a PTE written through it maps");
	pte_store(&pt, va_x + 1 * esz, d | PTE_P | PTE_RW);
	invlpg(region + PAGE_SIZE);
	probe_read(region + PAGE_SIZE, &v);
	check_value(v, TAG(5), "rewritten through it, it maps the new frame");

	/* Its own entry, made read-only through itself. */
	pte_store(&pt, va_x + k * esz, x | PTE_P);
	invlpg(va_x);
	probe_write(va_x + 1 * esz, 0);
	check_pf(PF_P | PF_W, va_x + 1 * esz,
		 "its own entry made read-only through itself, a write through it");
	probe_read(region + PAGE_SIZE, &v);
	check_value(v, TAG(5), "the other entry is untouched");
	/* Moved elsewhere through itself: the address now shows frame c. */
	pte_write(&pt, va_x, LEVEL_PTE, x | PTE_P | PTE_RW);
	invlpg(va_x);
	pte_store(&pt, va_x + k * esz, c | PTE_P | PTE_RW);
	invlpg(va_x);
	probe_read(va_x, &v);
	check_value(v, TAG(4), "its own entry pointed elsewhere through itself");
	check((pte_read(&pt, va_x, LEVEL_PTE) & PTE_ADDR) == c,
	      "the identity map sees that");
}

/*
 * "movl %eax, addr" with addr known only at run time, as the A3 form a
 * compiler emits for a store to a constant address: written out as code.
 */
static void moffs_store(u32 addr, u32 val)
{
	static u8 code[8] __aligned(8);

	code[0] = 0xa3;
	code[1] = addr;
	code[2] = addr >> 8;
	code[3] = addr >> 16;
	code[4] = addr >> 24;
	code[5] = 0xc3;		/* ret */
	asm volatile("call *%1" : : "a" (val), "r" (code) : "memory");
}

/*
 * Stores of each kind through the self-map, into the PTE for TEST_VA +
 * PAGE_SIZE; each then checked through the identity map and by use.
 */
static void store_kinds(void)
{
	u32 a = frame_alloc_tagged(TAG(6)), b = frame_alloc_tagged(TAG(7));
	u32 va = TEST_VA + PAGE_SIZE, p = pte_via(va), v, old;
	u32 lo_a = a | PTE_P | PTE_RW, lo_b = b | PTE_P | PTE_RW;

	pte_write(&pt, va, LEVEL_PTE, 0);
	invlpg(va);

	asm volatile("movl %1, (%0)" : : "r" (p), "r" (lo_a) : "memory");
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(6), "MOV through the self-map");

	old = lo_b;
	asm volatile("xchgl %0, (%1)" : "+r" (old) : "r" (p) : "memory");
	invlpg(va);
	probe_read(va, &v);
	check(old == (lo_a | PTE_A) || old == lo_a, "XCHG read the old PTE");
	check_value(v, TAG(7), "XCHG through the self-map");

	old = peek(p);
	asm volatile("lock cmpxchgl %2, (%1)"
		     : "+a" (old) : "r" (p), "r" (lo_a) : "memory", "cc");
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(6), "LOCK CMPXCHG through the self-map");

	asm volatile("lock orl %1, (%0)" : : "r" (p), "i" (PTE_US) : "memory", "cc");
	invlpg(va);
	user_read(va, &v);
	check_value(v, TAG(6), "LOCK OR of US through the self-map, then a user read");

	asm volatile("btrl $1, (%0)" : : "r" (p) : "memory", "cc");
	invlpg(va);
	probe_write(va + 4, 0);
	check_pf(PF_P | PF_W, va + 4, "BTR of RW through the self-map, then a write");

	asm volatile("addl %1, (%0)" : : "r" (p), "r" (b - a) : "memory", "cc");
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(7), "ADD of a frame difference through the self-map");

	/* MOV moffs, EAX: the address is in the instruction, so build it. */
	moffs_store(p, lo_a);
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(6), "MOV moffs (A3) through the self-map");

	asm volatile("lock xorl %1, (%0)" : : "r" (p), "r" (a ^ b) : "memory", "cc");
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(7), "LOCK XOR of two frames through the self-map");

	/* Two whole entries cleared, whatever their size. */
	asm volatile("cld; rep stosl"
		     : "+D" (p), "+c" ((u32){ 2 * esz / 4 }) : "a" (0) : "memory");
	p = pte_via(va);
	invlpg(va);
	invlpg(va + PAGE_SIZE);
	probe_read(va + PAGE_SIZE, &v);
	check_pf(0, va + PAGE_SIZE,
		 "REP STOSL clearing two PTEs through the self-map, then a read");

	pte_write(&pt, TEST_VA + 8 * PAGE_SIZE, LEVEL_PTE, lo_b);
	asm volatile("cld; rep movsl"
		     : "+D" (p), "+c" ((u32){ esz / 4 }),
		       "+S" ((u32){ pte_via(TEST_VA + 8 * PAGE_SIZE) })
		     : : "memory");
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(7), "REP MOVSL of a PTE through the self-map");
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	enum paging_mode mode;

	if (argc > 1 && streq(argv[1], "32")) {
		mode = PAGING_32;
	} else if (argc > 1 && streq(argv[1], "pae")) {
		mode = PAGING_PAE;
	} else {
		puts("usage: selfmap 32|pae [insns]\n");
		return 2;
	}
	printf("# selfmap: tables that map themselves, %s paging\n", argv[1]);
	desc_init();
	frame_init(mbi);
	pgtable_init(&pt, mode);
	paging_enable(&pt);
	setup_selfmap();
	if (argc > 2 && streq(argv[2], "insns")) {
		store_kinds();
	} else {
		recursive_directory();
		self_table();
	}
	return check_done();
}
