// SPDX-License-Identifier: GPL-2.0
/*
 * A page-table storm: 64 address spaces sharing the kernel's tables and
 * a pool of page tables for 16 test pages each, and a seeded random mix
 * of CR3 switches among them, PTE and PDE rewrites in any of them (the
 * current one or not), INVLPG of random addresses, and reads and writes
 * at CPL 0 and 3 that must see what the guest's own tables say.
 *
 *   storm 32|pae [OPS]    (OPS defaults to 3000)
 *
 * Only what the architecture guarantees is checked. A page whose
 * translation changed and was not invalidated since (by INVLPG of it or
 * a CR3 load) may still be translated the old way: it must then behave
 * as the old entry or the new one says, and it is never changed a
 * second time before an INVLPG. Every other access must behave exactly
 * as the tables say: the tag of the frame mapped, or #PF with the error
 * code and CR2 of the missing or refused permission, and a write must
 * land in the frame mapped.
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "frame.h"
#include "paging.h"
#include "probe.h"
#include "rand.h"
#include "x86.h"

#define SPACES		64
#define SLOTS		2	/* PDEs per space in the test region */
#define PAGES		8	/* PTEs used in each page table */
#define VAS		(SLOTS * PAGES)
#define PTS		24	/* the pool the PDEs choose from */
#define DATA		48	/* tagged data frames */
#define TEST_VA		0x40000000u
#define SEED		0x5eed0004u
#define DEFAULT_OPS	3000
#define TAG(n)		(0x57000000u + (n))
#define MAX_REPORTS	8

struct expect {
	u32 present, frame, rw, us;
};

static struct pgtable kernel, space[SPACES];
static u32 pt_pool[PTS], data[DATA];
static u32 current;
static u32 seed = SEED;
static int stale[VAS];
static struct expect stale_old[VAS];
static u32 counter = 1;
static u32 reads, writes, faults, stale_accesses, bad, bad_stale;

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static u32 parse(const char *s)
{
	u32 v = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return v;
}

static u32 slot_va(u32 slot)
{
	return TEST_VA + slot * (u32)level_size(&kernel, LEVEL_PDE);
}

static u32 va_of(u32 i)
{
	return slot_va(i / PAGES) + (i % PAGES) * PAGE_SIZE;
}

static u32 pde_addr(u32 s, u32 slot)
{
	return pte_addr(&space[s], slot_va(slot), LEVEL_PDE, 1);
}

static u32 pte_slot(u32 pt, u32 e)
{
	return pt + e * entry_size(&kernel);
}

/* What the tables of the current space say about test page i. */
static struct expect expect_of(u32 i)
{
	struct expect x = { 0, 0, 0, 0 };
	u64 pde = pte_load(&kernel, pde_addr(current, i / PAGES)), pte;

	if (!(pde & PTE_P))
		return x;
	pte = pte_load(&kernel, pte_slot(pde & PTE_ADDR, i % PAGES));
	x.present = pte & PTE_P;
	x.frame = pte & PTE_ADDR;
	x.rw = !!(pte & PTE_RW);
	x.us = !!(pte & PTE_US);
	return x;
}

static u64 random_pte(void)
{
	u32 r = rand_next(&seed);
	u64 flags = PTE_P;

	if (r % 6 == 0)
		return 0;
	if (r & 0x100)
		flags |= PTE_RW;
	if (r & 0x200)
		flags |= PTE_US;
	return data[(r >> 12) % DATA] | flags;
}

/* Before a change to page i's translation: at most one stale step. */
static void before_change(u32 i)
{
	if (stale[i]) {
		invlpg(va_of(i));
		stale[i] = 0;
	}
	stale_old[i] = expect_of(i);
}

/* After it: invalidate now, or leave the old translation possible. */
static void after_change(u32 i, int flush)
{
	if (flush)
		invlpg(va_of(i));
	else
		stale[i] = 1;
}

static void op_switch(void)
{
	u32 i;

	current = rand_below(&seed, SPACES);
	write_cr3(space[current].root);
	for (i = 0; i < VAS; i++)
		stale[i] = 0;
}

/* The test pages of the current space that page table pt backs. */
static u32 users_of(u32 pt, u32 e, u32 *list)
{
	u32 slot, n = 0;

	for (slot = 0; slot < SLOTS; slot++) {
		u64 pde = pte_load(&kernel, pde_addr(current, slot));

		if ((pde & PTE_P) && (pde & PTE_ADDR) == pt)
			list[n++] = slot * PAGES + e;
	}
	return n;
}

static void op_pte(void)
{
	u32 pt = pt_pool[rand_below(&seed, PTS)], e = rand_below(&seed, PAGES);
	int flush = rand_next(&seed) & 1;
	u32 list[SLOTS], n = users_of(pt, e, list), k;

	for (k = 0; k < n; k++)
		before_change(list[k]);
	pte_store(&kernel, pte_slot(pt, e), random_pte());
	for (k = 0; k < n; k++)
		after_change(list[k], flush);
}

static void op_pde(void)
{
	u32 s = rand_below(&seed, SPACES), slot = rand_below(&seed, SLOTS);
	u32 pt = pt_pool[rand_below(&seed, PTS)], e;
	int flush = rand_next(&seed) & 1;

	if (s == current)
		for (e = 0; e < PAGES; e++)
			before_change(slot * PAGES + e);
	pte_store(&kernel, pde_addr(s, slot), pt | PTE_P | PTE_RW | PTE_US);
	if (s == current)
		for (e = 0; e < PAGES; e++)
			after_change(slot * PAGES + e, flush);
}

static void op_invlpg(void)
{
	u32 i = rand_below(&seed, VAS);

	invlpg(va_of(i));
	stale[i] = 0;
}

/* The #PF error code an access to x gets, or 0 if it is allowed. */
static u32 refused(const struct expect *x, int user, int write)
{
	u32 err = (user ? PF_U : 0) | (write ? PF_W : 0);

	if (!x->present)
		return err | 0x80000000u;	/* P clear: only the flag */
	if ((user && !x->us) || (write && !x->rw))
		return err | PF_P;
	return 0;
}

/* Did the access behave as x says? value: what a read gave. */
static int matches(const struct expect *x, u32 va, int user, int write,
		   u32 value, u32 stamp)
{
	u32 err = refused(x, user, write);

	if (err)
		return last_fault.vector == VECTOR_PF &&
		       last_fault.cr2 == va + (write ? 4 : 0) &&
		       last_fault.error == (err & 0xff);
	if (last_fault.vector != NO_FAULT)
		return 0;
	if (write)
		return peek(x->frame + 4) == stamp;
	return value == peek(x->frame);
}

static void report(const char *what, u32 i, int user, int write)
{
	struct expect x = expect_of(i);

	if (bad + bad_stale > MAX_REPORTS)
		return;

	printf("# %s: space %u va 0x%08x %s %s: vector %u err 0x%x; ", what,
	       current, va_of(i), user ? "user" : "kernel",
	       write ? "write" : "read", last_fault.vector, last_fault.error);
	printf("entry: P=%u RW=%u US=%u frame 0x%x\n", x.present, x.rw, x.us,
	       x.frame);
}

static void op_access(int write)
{
	u32 i = rand_below(&seed, VAS), va = va_of(i), value = 0;
	int user = rand_below(&seed, 4) == 0;
	struct expect now = expect_of(i);
	u32 stamp = TAG(0x100000) + counter++;

	if (write) {
		writes++;
		if (user)
			user_write(va + 4, stamp);
		else
			probe_write(va + 4, stamp);
	} else {
		reads++;
		if (user)
			user_read(va, &value);
		else
			probe_read(va, &value);
	}
	if (stale[i]) {
		stale_accesses++;
		if (!matches(&now, va, user, write, value, stamp) &&
		    !matches(&stale_old[i], va, user, write, value, stamp)) {
			bad_stale++;
			report("neither old nor new", i, user, write);
		}
		return;
	}
	if (last_fault.vector != NO_FAULT)
		faults++;
	if (!matches(&now, va, user, write, value, stamp)) {
		bad++;
		report("not as the tables say", i, user, write);
	}
}

static void setup(enum paging_mode mode)
{
	u32 s, slot, i, e;

	pgtable_init(&kernel, mode);
	for (i = 0; i < DATA; i++)
		data[i] = frame_alloc_tagged(TAG(i));
	for (i = 0; i < PTS; i++) {
		pt_pool[i] = frame_alloc();
		for (e = 0; e < PAGES; e++)
			pte_store(&kernel, pte_slot(pt_pool[i], e), random_pte());
	}
	for (s = 0; s < SPACES; s++) {
		pgtable_init_shared(&space[s], &kernel);
		for (slot = 0; slot < SLOTS; slot++)
			pte_store(&kernel, pde_addr(s, slot),
				  pt_pool[rand_below(&seed, PTS)] | PTE_P |
				  PTE_RW | PTE_US);
	}
	paging_enable(&space[0]);
	current = 0;
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	enum paging_mode mode;
	u32 ops = DEFAULT_OPS, n, r;

	if (argc > 1 && streq(argv[1], "32")) {
		mode = PAGING_32;
	} else if (argc > 1 && streq(argv[1], "pae")) {
		mode = PAGING_PAE;
	} else {
		puts("usage: storm 32|pae [OPS]\n");
		return 2;
	}
	if (argc > 2)
		ops = parse(argv[2]);
	printf("# storm: %u operations over %u address spaces, %s paging\n",
	       ops, SPACES, argv[1]);
	desc_init();
	frame_init(mbi);
	setup(mode);
	for (n = 0; n < ops; n++) {
		r = rand_below(&seed, 100);
		if (r < 8)
			op_switch();
		else if (r < 40)
			op_pte();
		else if (r < 50)
			op_pde();
		else if (r < 60)
			op_invlpg();
		else if (r < 85)
			op_access(0);
		else
			op_access(1);
	}
	printf("# %u reads, %u writes, %u of them to pages not yet invalidated\n",
	       reads, writes, stale_accesses);
	check(!bad, "the %u others behaved as the tables say, %u of them faulting",
	      reads + writes - stale_accesses, faults);
	check(!bad_stale,
	      "accesses to pages not yet invalidated behaved as the old or the new entry says");
	return check_done();
}
