// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow MMU driven the way the vCPU drives it, with no VMX: real
 * guest RAM holding page tables the test writes, faults, stores to those
 * tables (handed to the MMU as the store emulator would), CR3 switches and
 * unprotects. A checker written here, not shared with the MMU, walks every
 * cached shadow root after each step and holds each leaf against the
 * guest's own tables, read by a walker made from the SDM's rules with
 * literal masks for MAXPHYADDR 36; then it rebuilds the MMU's bookkeeping
 * (reverse maps, parent lists, write-protect counts, the page cap) from
 * the shadow pages themselves and compares.
 *
 * With out-of-sync leaf tables allowed, the guest's stores to a leaf table
 * run natively once its first store has faulted, and a leaf of a page out
 * of sync may be stale the way a TLB entry may: the test logs what each
 * guest store to a table overwrites since the last CR3 load, and in the
 * loaded address space the checker accepts a stale leaf for an address
 * only if the guest's tables mapped the address that way at some moment
 * since the load and since the address's last INVLPG. (Other cached roots
 * are resynced before they are used again: there a stale leaf need only
 * match some value its entry had since the load.) Everything else (RAM or
 * the unbacked page only, no write access to a table in sync, the
 * bookkeeping) holds at every step.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/bsearch.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/sizes.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/pgtable_types.h>
#include "gmem.h"
#include "mmu/mmu.h"
#include "stats.h"

/* Guest entry bits. */
#define G_P		BIT_ULL(0)
#define G_RW		BIT_ULL(1)
#define G_US		BIT_ULL(2)
#define G_A		BIT_ULL(5)
#define G_D		BIT_ULL(6)
#define G_PS		BIT_ULL(7)
#define G_G		BIT_ULL(8)
#define G_XD		BIT_ULL(63)
#define G_TABLE		(G_P | G_RW | G_US | G_A)

/* Shadow entry bits, by the host's names. */
#define S_P		_PAGE_PRESENT
#define S_RW		_PAGE_RW
#define S_US		_PAGE_USER
#define S_A		_PAGE_ACCESSED
#define S_D		_PAGE_DIRTY
#define S_PS		_PAGE_PSE
#define S_NX		_PAGE_NX
#define S_ADDR		PTE_PFN_MASK

/* Access types. */
#define A_W		SHADOWVMM_PF_WRITE
#define A_U		SHADOWVMM_PF_USER
#define A_F		SHADOWVMM_PF_FETCH
#define A_AC		SHADOWVMM_ACCESS_AC

#define MODE_OFF	SHADOWVMM_PAGING_OFF
#define MODE_32		SHADOWVMM_PAGING_32
#define MODE_PAE	SHADOWVMM_PAGING_PAE
#define MODE_4L		SHADOWVMM_PAGING_4LEVEL

#define RAM_SIZE	SZ_8M
#define RAM_FRAMES	(RAM_SIZE >> PAGE_SHIFT)

/* The guest's MAXPHYADDR, and masks worked out by hand for it. */
#define MAXPHYADDR	36
#define ADDR_4K		0x0000000ffffff000ULL	/* bits 35:12 */
#define ADDR_2M		0x0000000fffe00000ULL	/* bits 35:21 */
#define ADDR_1G		0x0000000fc0000000ULL	/* bits 35:30 */
#define RSVD_PAE	0x7ffffff000000000ULL	/* bits 62:36 */
#define RSVD_4L		0x000ffff000000000ULL	/* bits 51:36 */
#define RSVD_2M		0x00000000001fe000ULL	/* bits 20:13 */
#define RSVD_1G		0x000000003fffe000ULL	/* bits 29:13 */
#define RSVD_4M		0x00000000003e0000ULL	/* bits 21:17 (PSE-36) */
#define ADDR32_4K	0xfffff000ULL
#define ADDR32_4M	0xffc00000ULL
#define PSE36_BITS	0x000000000001e000ULL	/* bits 16:13: gpa 35:32 */
/* PAE PDPTEs: P, PWT, PCD, AVL and the address; the rest is reserved. */
#define PDPTE_RSVD	(0xfffffff000000000ULL | 0x1e6ULL)

/* Table frames come from 1-2 MiB, so large pages at 0 map them too. */
#define TABLE_POOL	0x100000ULL
#define TABLE_POOL_END	0x200000ULL
#define DATA_POOL	0x200000ULL
#define OUTSIDE_RAM	0x900000ULL

#define MAX_REPORTS	6
#define HISTORY		8
#define MAX_SLOTS	1024
#define MAX_AS		8
#define MAX_LOG		256
#define MAX_INVLPG	128

/*
 * With unsync on, each address space keeps a window: a supervisor page
 * the guest points at a table to store to it, and after it the window's
 * own page table. Their tables are private, outside the pools the random
 * entries draw from, so no random store retargets them.
 */
#define PRIVATE_POOL	0x700000ULL
#define PRIVATE_END	0x780000ULL
#define WINDOW_32	0x80000000ULL		/* PDE 512 */
#define WINDOW_4L	0x008000000000ULL	/* PML4E 1 */
#define WINDOW_LEAF	(G_P | G_RW | G_A | G_D)

static const char *const mode_name[] = {
	[MODE_OFF] = "off", [MODE_32] = "32-bit", [MODE_PAE] = "PAE",
	[MODE_4L] = "4-level",
};

/* A guest entry the random test stores to. */
struct slot {
	u64 gpa;
	u8 level;
	u8 mode;
};

/* An address space: a CR3 and the addresses the test uses in it. */
struct aspace {
	enum shadowvmm_paging_mode mode;
	u64 cr3;
	const struct gva_spec *gvas;
	unsigned int nr_gvas;
	bool wp, nxe, pse;
	u64 window_pte;			/* unsync on: where the window's PTE is */
};

/* A guest store to a table: the aligned 8 bytes it changed, as they were. */
struct logged {
	u64 gpa, old;
};

/* An INVLPG: no translation of @page older than log entry @since remains. */
struct invalidated {
	u64 page;
	unsigned int since;
};

struct env {
	struct kunit *test;
	struct shadowvmm_gmem gmem;
	struct shadowvmm_stats stats;
	struct shadowvmm_mmu *mmu;
	bool mmu_ready;
	struct shadowvmm_paging pg;	/* what the test loaded last */
	struct rnd_state rnd;

	u64 next_table;
	u64 tables[4][48];		/* per mode, the table frames built */
	u8 table_level[4][48];
	unsigned int nr_tables[4];
	struct slot slots[MAX_SLOTS];
	unsigned int nr_slots;
	struct aspace as[MAX_AS];
	unsigned int nr_as, cur_as;
	u64 next_private;

	/*
	 * Unsync on: the guest's table stores since the last load, oldest
	 * first, and its INVLPGs since then. When @past is set, the walker
	 * reads guest memory as it was before log entry @then.
	 */
	bool logging, past;
	struct logged log[MAX_LOG];
	unsigned int nr_log, then;
	struct invalidated inv[MAX_INVLPG];
	unsigned int nr_inv;
	unsigned int nr_loads, native_stores, stale_leaves, exact_invlpg;
	unsigned int let_through;	/* empty entries checked, not traps */

	/* The checker's scratch: live shadow pages, sorted; per frame counts. */
	struct shadowvmm_sp **live;
	unsigned int nr_live, max_live;
	u16 *shadowed, *unsync;
	unsigned long *seen;		/* live pages found on the unsync list */
	unsigned long *pfn;		/* per frame, the host page */
	unsigned long unbacked_pfn;
	unsigned int leaves_checked;

	/* What is going on, for failure messages. */
	char where[112];
	char history[HISTORY][112];
	unsigned int nr_ops, reports;
	/* Trying a leaf against an old guest value: count, do not report. */
	bool quiet;
	unsigned int quiet_fails;
};

static __printf(2, 3) void report(struct env *env, const char *fmt, ...)
{
	struct va_format vaf;
	unsigned int i;
	va_list args;

	if (env->quiet) {
		env->quiet_fails++;
		return;
	}
	/* Marks the case failed every time; logs only the first few. */
	if (env->reports++ >= MAX_REPORTS) {
		KUNIT_FAIL(env->test, "(more)");
		return;
	}
	if (env->reports == 1 && env->nr_ops > 1) {
		kunit_err(env->test, "the last operations, oldest first:\n");
		for (i = env->nr_ops > HISTORY ? env->nr_ops - HISTORY : 0;
		     i < env->nr_ops; i++)
			kunit_err(env->test, "  %s\n", env->history[i % HISTORY]);
	}
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	KUNIT_FAIL(env->test, "%s: %pV", env->where, &vaf);
	va_end(args);
}

/* Say what the next step is: the failure messages start with it. */
static __printf(2, 3) void step(struct env *env, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(env->where, sizeof(env->where), fmt, args);
	va_end(args);
	strscpy(env->history[env->nr_ops++ % HISTORY], env->where,
		sizeof(env->history[0]));
}

static u32 rnd(struct env *env, u32 n)
{
	return prandom_u32_state(&env->rnd) % n;
}

/* --- guest memory ------------------------------------------------------ */

static bool in_ram(u64 gpa)
{
	return gpa < RAM_SIZE;
}

/* As the CPU reads it: all-ones outside RAM. */
static u64 gread(struct env *env, u64 gpa, unsigned int size)
{
	if (gpa >= RAM_SIZE || RAM_SIZE - gpa < size)
		return size == 4 ? U32_MAX : U64_MAX;
	if (size == 4)
		return *(u32 *)(env->gmem.ram + gpa);
	return *(u64 *)(env->gmem.ram + gpa);
}

/* Unsync on: remember what a guest store to a table overwrites. */
static void log_store(struct env *env, u64 gpa)
{
	if (!env->logging)
		return;
	KUNIT_ASSERT_LT(env->test, env->nr_log, (unsigned int)MAX_LOG);
	env->log[env->nr_log++] = (struct logged){
		.gpa = gpa & ~7ULL, .old = gread(env, gpa & ~7ULL, 8),
	};
}

static void gwrite(struct env *env, u64 gpa, unsigned int size, u64 value)
{
	KUNIT_ASSERT_TRUE(env->test, in_ram(gpa) && gpa + size <= RAM_SIZE);
	if (size == 4)
		*(u32 *)(env->gmem.ram + gpa) = value;
	else
		*(u64 *)(env->gmem.ram + gpa) = value;
}

/*
 * A guest store. It exits only to a frame the MMU write-protects, and is
 * then carried out by the store emulator, which tells the MMU; any other
 * store goes straight to RAM.
 */
static void gstore(struct env *env, u64 gpa, unsigned int size, u64 value)
{
	u64 gfn = gpa >> PAGE_SHIFT;

	log_store(env, gpa);
	gwrite(env, gpa, size, value);
	if (env->mmu->frames[gfn].shadowed)
		shadowvmm_mmu_pte_write(env->mmu, gpa, size);
}

static u64 alloc_table(struct env *env, enum shadowvmm_paging_mode mode,
		       int level)
{
	u64 gpa = env->next_table;

	KUNIT_ASSERT_LT(env->test, gpa, TABLE_POOL_END);
	KUNIT_ASSERT_LT(env->test, env->nr_tables[mode],
			(unsigned int)ARRAY_SIZE(env->tables[0]));
	env->next_table += PAGE_SIZE;
	env->table_level[mode][env->nr_tables[mode]] = level;
	env->tables[mode][env->nr_tables[mode]++] = gpa;
	memset(env->gmem.ram + gpa, 0, PAGE_SIZE);
	return gpa;
}

static unsigned int esize(enum shadowvmm_paging_mode mode)
{
	return mode == MODE_32 ? 4 : 8;
}

static unsigned int top_level(enum shadowvmm_paging_mode mode)
{
	return mode == MODE_4L ? 4 : mode == MODE_PAE ? 3 : 2;
}

/* Where the entry for @gva at @level lives in @table. */
static u64 entry_gpa(enum shadowvmm_paging_mode mode, u64 table, u64 gva,
		     int level)
{
	if (mode == MODE_32)
		return table + ((gva >> (12 + 10 * (level - 1))) & 1023) * 4;
	return table + ((gva >> (12 + 9 * (level - 1))) & 511) * 8;
}

static u64 top_table(enum shadowvmm_paging_mode mode, u64 cr3)
{
	switch (mode) {
	case MODE_32:
		return cr3 & ADDR32_4K;
	case MODE_PAE:
		return cr3 & 0xffffffe0ULL;
	default:
		return cr3 & ADDR_4K;
	}
}

static void add_slot(struct env *env, u64 gpa, int level,
		     enum shadowvmm_paging_mode mode)
{
	unsigned int i;

	for (i = 0; i < env->nr_slots; i++)
		if (env->slots[i].gpa == gpa)
			return;
	KUNIT_ASSERT_LT(env->test, env->nr_slots, (unsigned int)MAX_SLOTS);
	env->slots[env->nr_slots++] = (struct slot){
		.gpa = gpa, .level = level, .mode = mode,
	};
}

/*
 * Map @gva in the tables under @cr3, making the tables on the way, with
 * @leaf as the entry at @leaf_level. Returns the leaf entry's address.
 */
static u64 map_gva(struct env *env, enum shadowvmm_paging_mode mode, u64 cr3,
		   u64 gva, int leaf_level, u64 leaf)
{
	unsigned int size = esize(mode);
	u64 table = top_table(mode, cr3), gpa, e;
	int level;

	for (level = top_level(mode); level > leaf_level; level--) {
		gpa = entry_gpa(mode, table, gva, level);
		e = gread(env, gpa, size);
		if (!(e & G_P)) {
			e = alloc_table(env, mode, level - 1);
			e |= mode == MODE_PAE && level == 3 ? G_P : G_TABLE;
			gstore(env, gpa, size, e);
		}
		add_slot(env, gpa, level, mode);
		table = e & (mode == MODE_32 ? ADDR32_4K : ADDR_4K);
	}
	gpa = entry_gpa(mode, table, gva, leaf_level);
	gstore(env, gpa, size, leaf);
	add_slot(env, gpa, leaf_level, mode);
	return gpa;
}

/* --- an independent guest walker ---------------------------------------- */

struct gwalk {
	bool ok;		/* a translation exists */
	int level;		/* of the leaf, or where the walk stopped */
	u64 gpa;
	bool w, u, nx;
	u64 e[5], egpa[5];
};

static u64 rsvd_mask(const struct shadowvmm_paging *pg, int level, u64 e,
		     bool leaf)
{
	u64 rsvd;

	if (pg->mode == MODE_32)
		return leaf && level == 2 ? RSVD_4M : 0;
	rsvd = pg->mode == MODE_PAE ? RSVD_PAE : RSVD_4L;
	if (!pg->nxe)
		rsvd |= G_XD;
	if (level > 1 && (e & G_PS)) {
		if (level == 4 || (level == 3 && !pg->gbpages))
			rsvd |= G_PS;
		else
			rsvd |= level == 3 ? RSVD_1G : RSVD_2M;
	}
	return rsvd;
}

/* What a logged store overwrote, as an entry of @size at @gpa. */
static u64 logged_value(const struct logged *l, u64 gpa, unsigned int size)
{
	return size == 8 ? l->old : (u32)(l->old >> (8 * (gpa & 4)));
}

/* A guest entry, now or (env->past) before log entry env->then. */
static u64 walk_read(struct env *env, u64 gpa, unsigned int size)
{
	unsigned int i;

	if (env->past)
		for (i = env->then; i < env->nr_log; i++)
			if (env->log[i].gpa == (gpa & ~7ULL))
				return logged_value(&env->log[i], gpa, size);
	return gread(env, gpa, size);
}

static void gwalk(struct env *env, const struct shadowvmm_paging *pg,
		  u64 gva, struct gwalk *w)
{
	unsigned int size = esize(pg->mode), bits = size == 4 ? 10 : 9;
	u64 table, e = 0;
	bool leaf;
	int level;

	memset(w, 0, sizeof(*w));
	if (pg->mode == MODE_OFF) {
		w->ok = true;
		w->w = true;
		w->u = true;
		w->gpa = (u32)gva;
		return;
	}
	w->w = true;
	w->u = true;
	if (pg->mode != MODE_4L)
		gva = (u32)gva;
	table = top_table(pg->mode, pg->cr3);
	level = top_level(pg->mode);
	if (pg->mode == MODE_PAE) {
		/* The PDPTEs are the ones CR3's load latched. */
		e = pg->pdpte[gva >> 30];
		w->e[3] = e;
		w->egpa[3] = table + (gva >> 30) * 8;
		w->level = 3;
		if (!(e & G_P))
			return;
		table = e & ADDR_4K;
		level = 2;
	}
	for (;; level--) {
		w->egpa[level] = table +
			((gva >> (12 + bits * (level - 1))) & ((1 << bits) - 1)) *
			size;
		e = walk_read(env, w->egpa[level], size);
		w->e[level] = e;
		w->level = level;
		if (!(e & G_P))
			return;
		leaf = level == 1 || ((e & G_PS) &&
				      (pg->mode != MODE_32 || pg->pse));
		if (e & rsvd_mask(pg, level, e, leaf))
			return;
		w->w &= !!(e & G_RW);
		w->u &= !!(e & G_US);
		if (pg->mode != MODE_32 && pg->nxe && (e & G_XD))
			w->nx = true;
		if (leaf)
			break;
		table = e & (pg->mode == MODE_32 ? ADDR32_4K : ADDR_4K);
	}
	if (pg->mode == MODE_32 && level == 2)
		w->gpa = (e & ADDR32_4M) | ((e & PSE36_BITS) << 19) |
			 (gva & (SZ_4M - 1));
	else if (level == 3)
		w->gpa = (e & ADDR_1G) | (gva & (SZ_1G - 1));
	else if (level == 2)
		w->gpa = (e & ADDR_2M) | (gva & (SZ_2M - 1));
	else
		w->gpa = (e & (pg->mode == MODE_32 ? ADDR32_4K : ADDR_4K)) |
			 (gva & (PAGE_SIZE - 1));
	w->ok = true;
}

/* May the guest make @access through a translation with @w's rights? */
static bool guest_allows(const struct shadowvmm_paging *pg,
			 const struct gwalk *w, u32 access)
{
	bool write = access & A_W, fetch = access & A_F;

	if (pg->mode == MODE_OFF)
		return true;
	if (fetch && w->nx)
		return false;
	if (access & A_U)
		return w->u && (!write || w->w);
	if (write && !w->w && pg->wp)
		return false;
	if (w->u && fetch && pg->smep)
		return false;
	if (w->u && !fetch && pg->smap && !(access & A_AC))
		return false;
	return true;
}

/* --- shadow tables ------------------------------------------------------ */

/* The MMU's trap entry, 0 if the host has no reserved address bit. */
static u64 trap_spte;

/* An entry the hardware would use: neither empty nor a trap. */
static bool s_present(u64 spte)
{
	return (spte & S_P) && spte != trap_spte;
}

static struct shadowvmm_sp *sp_of(u64 spte)
{
	return (void *)page_private(virt_to_page(__va(spte & S_ADDR)));
}

static struct shadowvmm_sp *sp_holding(const u64 *sptep)
{
	return (void *)page_private(virt_to_page(sptep));
}

static unsigned long pfn_of(u64 spte)
{
	return (spte & S_ADDR) >> PAGE_SHIFT;
}

/*
 * The shadow entries the hardware would use for @gva under @root, top
 * down; returns how many are present (the last one may be a leaf).
 */
static int shadow_path(const struct shadowvmm_mmu_root *root, u64 gva,
		       u64 **path)
{
	int level, n = 0;
	u64 *table;

	if (root->sp) {
		table = root->sp->spt;
		level = 4;
	} else {
		table = root->pae;
		level = 3;
	}
	for (;; level--) {
		unsigned int i = (gva >> (12 + 9 * (level - 1))) & 511;

		if (level == 3 && !root->sp)
			i &= 3;
		path[n] = &table[i];
		if (!s_present(table[i]))
			return n;
		n++;
		if (level == 1)
			return n;
		table = __va(table[i] & S_ADDR);
	}
}

/* The shadow entry at @level for @gva, if the path down to it is linked. */
static u64 *shadow_entry(struct env *env, u64 gva, int level)
{
	const struct shadowvmm_mmu_root *root = &env->mmu->roots[0];
	u64 *path[SHADOWVMM_MAX_LEVEL];
	int top = root->sp ? 4 : 3;

	return shadow_path(root, gva, path) >= top - level ?
	       path[top - level] : NULL;
}

static u64 *shadow_leaf(struct env *env, u64 gva)
{
	const struct shadowvmm_mmu_root *root = &env->mmu->roots[0];
	u64 *path[SHADOWVMM_MAX_LEVEL];
	int n = shadow_path(root, gva, path);

	return n == (root->sp ? 4 : 3) ? path[n - 1] : NULL;
}

/* Would the hardware (CR0.WP=1, the guest's SMEP/SMAP) allow @access? */
static bool hw_allows(struct env *env, u64 gva, u32 access)
{
	u64 *sptep = shadow_leaf(env, gva), s;
	bool paging = env->pg.mode != MODE_OFF;

	if (!sptep)
		return false;
	s = *sptep;
	if ((access & A_F) && (s & S_NX))
		return false;
	if (access & A_U)
		return (s & S_US) && (!(access & A_W) || (s & S_RW));
	if ((access & A_W) && !(s & S_RW))
		return false;
	if ((s & S_US) && paging && (access & A_F))
		return !env->pg.smep;
	if ((s & S_US) && paging)
		return !env->pg.smap || (access & A_AC);
	return true;
}

/* The hardware used @gva's translation: it sets A on the way down. */
static void hw_use(struct env *env, u64 gva, bool write)
{
	const struct shadowvmm_mmu_root *root = &env->mmu->roots[0];
	u64 *path[SHADOWVMM_MAX_LEVEL];
	int n = shadow_path(root, gva, path), i;

	if (n < (root->sp ? 4 : 3))
		return;
	/* PAE PDPTEs have no A bit. */
	for (i = root->sp ? 0 : 1; i < n; i++)
		*path[i] |= S_A;
	if (write && (*path[n - 1] & S_RW))
		*path[n - 1] |= S_D;
}

/* --- driving the MMU ------------------------------------------------------ */

static void load(struct env *env, const struct shadowvmm_paging *pg);

/* What the vCPU does before it enters: stock up, reload a zapped root. */
static void prepare(struct env *env)
{
	if (shadowvmm_mmu_needs_topup(env->mmu))
		KUNIT_ASSERT_EQ(env->test, shadowvmm_mmu_topup(env->mmu), 0);
	if (env->mmu->reload)
		load(env, &env->pg);
}

static void load(struct env *env, const struct shadowvmm_paging *pg)
{
	int err;

	if (shadowvmm_mmu_needs_topup(env->mmu))
		KUNIT_ASSERT_EQ(env->test, shadowvmm_mmu_topup(env->mmu), 0);
	env->pg = *pg;
	err = shadowvmm_mmu_load(env->mmu, pg);
	/*
	 * Like a CR3 load, it drops every translation cached so far: from
	 * now on, only what the tables say from now on explains a leaf.
	 */
	env->nr_loads++;
	env->nr_log = 0;
	env->nr_inv = 0;
	if (err)
		report(env, "loading %s cr3 %#llx: %d", mode_name[pg->mode],
		       pg->cr3, err);
	else if (!list_empty(&env->mmu->unsync_sps))
		report(env, "pages still out of sync after loading");
}

static enum shadowvmm_pf_result fault(struct env *env, u64 gva, u32 access)
{
	enum shadowvmm_pf_result result;
	struct shadowvmm_walk walk;

	prepare(env);
	result = shadowvmm_mmu_page_fault(env->mmu, gva, access, &walk);
	if (result == SHADOWVMM_PF_RETRY)
		report(env, "%#llx: retry asked for with the stock full",
		       gva);
	return result;
}

static const char *const pf_name[] = {
	[SHADOWVMM_PF_FIXED] = "fixed", [SHADOWVMM_PF_SPURIOUS] = "spurious",
	[SHADOWVMM_PF_INJECT] = "inject", [SHADOWVMM_PF_EMULATE] = "emulate",
	[SHADOWVMM_PF_RETRY] = "retry",
};

static void env_start(struct env *env, unsigned int cap)
{
	struct shadowvmm_paging off = {
		.mode = MODE_OFF, .maxphyaddr = MAXPHYADDR, .gbpages = true,
	};
	struct kunit *test = env->test;
	unsigned int i;

	env->mmu = kunit_kzalloc(test, sizeof(*env->mmu), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env->mmu);
	env->mmu_ready = true;
	KUNIT_ASSERT_EQ(test, shadowvmm_mmu_init(env->mmu, &env->gmem,
						 &env->stats, cap), 0);
	trap_spte = env->mmu->trap_spte;
	env->max_live = env->mmu->max_sps + SHADOWVMM_ROOT_CACHE + 8;
	env->live = kunit_kcalloc(test, env->max_live, sizeof(*env->live),
				  GFP_KERNEL);
	env->shadowed = kunit_kcalloc(test, RAM_FRAMES, sizeof(u16),
				      GFP_KERNEL);
	env->unsync = kunit_kcalloc(test, RAM_FRAMES, sizeof(u16), GFP_KERNEL);
	env->seen = kunit_kcalloc(test, BITS_TO_LONGS(env->max_live),
				  sizeof(long), GFP_KERNEL);
	env->pfn = kunit_kcalloc(test, RAM_FRAMES, sizeof(*env->pfn),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env->live);
	KUNIT_ASSERT_NOT_NULL(test, env->shadowed);
	KUNIT_ASSERT_NOT_NULL(test, env->unsync);
	KUNIT_ASSERT_NOT_NULL(test, env->seen);
	KUNIT_ASSERT_NOT_NULL(test, env->pfn);
	for (i = 0; i < RAM_FRAMES; i++)
		env->pfn[i] = vmalloc_to_pfn(env->gmem.ram + i * PAGE_SIZE);
	env->unbacked_pfn = __pa(env->mmu->unbacked) >> PAGE_SHIFT;
	env->next_table = TABLE_POOL;
	env->next_private = PRIVATE_POOL;
	env->pg = off;
	load(env, &off);
}

static u64 counter(struct env *env, enum shadowvmm_stat_id id)
{
	return env->stats.counter[id];
}

/* --- the checker ---------------------------------------------------------- */

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static bool is_live(struct env *env, const struct shadowvmm_sp *sp)
{
	return bsearch(&sp, env->live, env->nr_live, sizeof(*env->live),
		       cmp_ptr);
}

static const struct shadowvmm_mmu_root *root_of_page(struct env *env,
						     const u64 *sptep)
{
	unsigned int k;

	for (k = 0; k < SHADOWVMM_ROOT_CACHE; k++)
		if (env->mmu->roots[k].pae ==
		    (u64 *)((unsigned long)sptep & PAGE_MASK))
			return &env->mmu->roots[k];
	return NULL;
}

/*
 * The MMU never asks whether a set holds an entry: it knows, from the entry,
 * which set to add it to or delete it from. Only the checker asks.
 */
static bool sptep_list_contains(const struct sptep_list *list, const u64 *sptep)
{
	struct sptep_iter it;
	u64 *p;

	for (p = sptep_first(list, &it); p; p = sptep_next(&it))
		if (p == sptep)
			return true;
	return false;
}

/* Blocks: the first densely filled from slot 0, every other one full. */
static unsigned int check_list(struct env *env, const struct sptep_list *list,
			       const char *what, u64 id)
{
	const struct sptep_block *block;
	unsigned int i, n = 0, used;

	for (block = list->head; block; block = block->next) {
		for (used = 0; used < SPTEP_LIST_SLOTS && block->sptep[used];
		     used++)
			;
		for (i = used; i < SPTEP_LIST_SLOTS; i++)
			if (block->sptep[i])
				report(env, "%s %#llx: hole in a block", what, id);
		if (!used || (block != list->head && used < SPTEP_LIST_SLOTS))
			report(env, "%s %#llx: block with %u entries", what, id,
			       used);
		n += used;
	}
	return n;
}

static void root_paging(const struct shadowvmm_mmu_root *root,
			struct shadowvmm_paging *pg)
{
	union shadowvmm_sp_role role = { .word = root->role };

	*pg = (struct shadowvmm_paging){
		.mode = role.guest_mode, .cr3 = root->cr3, .wp = role.wp,
		/* Under WP=1 SMEP and SMAP change no shadow entry. */
		.pse = role.pse, .smep = role.smep_andnot_wp,
		.smap = role.smap_andnot_wp,
		.nxe = role.nxe, .maxphyaddr = MAXPHYADDR, .gbpages = true,
	};
	memcpy(pg->pdpte, root->pdpte, sizeof(pg->pdpte));
}

/*
 * A guest table with a shadow in sync: every store to it must exit, so no
 * shadow entry may let the guest write it. (The counts behind this are
 * held against the shadow pages by check().)
 */
static bool protected_table(struct env *env, u64 gfn)
{
	const struct shadowvmm_frame *frame = &env->mmu->frames[gfn];

	return frame->shadowed != frame->unsync;
}

/* One present leaf reached from root @k at @gva, against the guest. */
static void leaf_against_guest(struct env *env, unsigned int k,
			       const struct shadowvmm_paging *pg, u64 gva,
			       u64 s)
{
	struct gwalk w;
	unsigned long pfn;
	int l;

	gwalk(env, pg, gva, &w);
#define leaf_report(fmt, ...)						\
	report(env, "root %u (%s cr3 %#llx) gva %#llx spte %#llx: " fmt,	\
	       k, mode_name[pg->mode], pg->cr3, gva, s, ##__VA_ARGS__)
	if (!w.ok) {
		leaf_report("mapped, but the guest walk stops at level %d entry %#llx",
			    w.level, w.e[w.level]);
		return;
	}
	for (l = pg->mode == MODE_OFF ? 0 : top_level(pg->mode); l >= w.level &&
	     l > 0; l--)
		if (!(pg->mode == MODE_PAE && l == 3) && !(w.e[l] & G_A))
			leaf_report("guest entry at level %d (%#llx) has A clear",
				    l, w.e[l]);
	pfn = in_ram(w.gpa) ? env->pfn[w.gpa >> PAGE_SHIFT] : env->unbacked_pfn;
	if (pfn_of(s) != pfn)
		leaf_report("maps host frame %#lx, guest gpa %#llx is frame %#lx",
			    pfn_of(s), w.gpa, pfn);
	if (s & S_RW) {
		if (!in_ram(w.gpa))
			leaf_report("writable, but gpa %#llx is outside RAM", w.gpa);
		else if (protected_table(env, w.gpa >> PAGE_SHIFT))
			leaf_report("writable, but gpa %#llx holds a guest table in sync",
				    w.gpa);
		if (pg->mode != MODE_OFF && !(w.e[w.level] & G_D))
			leaf_report("writable, but the guest leaf %#llx is clean",
				    w.e[w.level]);
		/* CR0.WP=0: a supervisor-only mapping may write anyway. */
		if (!w.w && (pg->wp || (s & S_US)))
			leaf_report("writable, but the guest maps it read-only");
		else if (!w.w && pg->smep && !(s & S_NX))
			leaf_report("WP=0 write mapping stays executable under SMEP");
		else if (!w.w && pg->smap && w.u)
			leaf_report("WP=0 write mapping of a user page under SMAP");
	}
	if ((s & S_US) && !w.u)
		leaf_report("user, but the guest maps it supervisor-only");
	if (!(s & S_NX) && w.nx)
		leaf_report("executable, but the guest maps it NX");
#undef leaf_report
}

/* The guest's INVLPGs key on the page, as 32-bit paging sees it. */
static u64 page_of(const struct shadowvmm_paging *pg, u64 gva)
{
	return (pg->mode == MODE_4L ? gva : (u32)gva) & PAGE_MASK;
}

/* From which log entry on translations of @gva may have been cached. */
static unsigned int invalidated_since(struct env *env,
				      const struct shadowvmm_paging *pg, u64 gva)
{
	unsigned int i;

	for (i = 0; i < env->nr_inv; i++)
		if (env->inv[i].page == page_of(pg, gva))
			return env->inv[i].since;
	return 0;
}

/* Against guest memory as it was before log entry @then: any reports? */
static bool fits_then(struct env *env, unsigned int k,
		      const struct shadowvmm_paging *pg, u64 gva, u64 s,
		      unsigned int then)
{
	env->past = true;
	env->then = then;
	env->quiet_fails = 0;
	leaf_against_guest(env, k, pg, gva, s);
	env->past = false;
	return !env->quiet_fails;
}

/*
 * A leaf of a page out of sync, which the current tables do not account
 * for. The guest's stores to the table did not exit, so the leaf may
 * still be a translation the hardware could have cached: in the loaded
 * address space, one the guest's tables gave @gva at some moment since
 * the load and since @gva's last INVLPG. Another cached root is resynced
 * before its next use: its leaf need only hold a value its guest entry
 * had since the load.
 */
static bool leaf_fits_past(struct env *env, unsigned int k,
			   const struct shadowvmm_paging *pg, u64 gva, u64 s,
			   const struct shadowvmm_sp *sp)
{
	unsigned int i;
	struct gwalk w;
	u64 egpa;

	if (k == 0) {
		for (i = invalidated_since(env, pg, gva); i < env->nr_log; i++)
			if (fits_then(env, k, pg, gva, s, i))
				return true;
		return false;
	}
	/* The levels above are in sync: the walk reaches @sp's table. */
	gwalk(env, pg, gva, &w);
	egpa = w.egpa[1];
	if (w.level != 1 || egpa >> PAGE_SHIFT != sp->gfn)
		return false;
	for (i = 0; i < env->nr_log; i++)
		if (env->log[i].gpa == (egpa & ~7ULL) &&
		    fits_then(env, k, pg, gva, s, i))
			return true;
	return false;
}

/* A leaf of page @sp (NULL: a PAE root has none), against the guest. */
static void check_leaf(struct env *env, unsigned int k,
		       const struct shadowvmm_paging *pg, u64 gva, u64 s,
		       const struct shadowvmm_sp *sp)
{
	bool fits;

	env->leaves_checked++;
	if (sp && sp->unsync) {
		env->quiet = true;
		env->quiet_fails = 0;
		leaf_against_guest(env, k, pg, gva, s);
		fits = !env->quiet_fails;
		if (!fits && leaf_fits_past(env, k, pg, gva, s, sp)) {
			env->stale_leaves++;
			fits = true;
		}
		env->quiet = false;
		if (fits)
			return;
	}
	leaf_against_guest(env, k, pg, gva, s);
}

static void check_table(struct env *env, unsigned int k,
			const struct shadowvmm_paging *pg,
			const struct shadowvmm_sp *sp, const u64 *table,
			int level, u64 gva)
{
	unsigned int i, n = level == 3 && !env->mmu->roots[k].sp ? 4 : 512;
	struct shadowvmm_sp *child;
	u64 g;

	for (i = 0; i < n; i++) {
		if (!s_present(table[i]))
			continue;
		g = gva | ((u64)i << (12 + 9 * (level - 1)));
		if (level == 1) {
			/* Four-level addresses are sign-extended from bit 47. */
			if (pg->mode == MODE_4L)
				g = (u64)((s64)(g << 16) >> 16);
			check_leaf(env, k, pg, g, table[i], sp);
			continue;
		}
		child = sp_of(table[i]);
		if (is_live(env, child) && child->role.level == level - 1)
			check_table(env, k, pg, child, child->spt, level - 1, g);
	}
}

/* A leaf entry of a shadow page: its frame and the reverse map. */
static void check_leaf_entry(struct env *env, struct shadowvmm_sp *sp,
			     unsigned int i, unsigned int *mapped)
{
	const struct shadowvmm_mmu *mmu = env->mmu;
	u64 e = sp->spt[i], gfn = shadowvmm_leaf_gfn(mmu, sp, i);

	if (!s_present(e)) {
		if (gfn != SHADOWVMM_NO_GFN)
			report(env, "sp %#llx[%u]: not present, gfn %#llx",
			       sp->gfn, i, gfn);
		return;
	}
	if (e & ~(S_ADDR | S_P | S_RW | S_US | S_A | S_D | S_NX))
		report(env, "sp %#llx[%u]: leaf %#llx has stray bits", sp->gfn,
		       i, e);
	if (gfn == SHADOWVMM_NO_GFN) {
		if (pfn_of(e) != env->unbacked_pfn || (e & S_RW))
			report(env, "sp %#llx[%u]: leaf %#llx not in any rmap",
			       sp->gfn, i, e);
		return;
	}
	if (gfn >= RAM_FRAMES || pfn_of(e) != env->pfn[gfn]) {
		report(env, "sp %#llx[%u]: leaf %#llx is not gfn %#llx",
		       sp->gfn, i, e, gfn);
		return;
	}
	(*mapped)++;
	if (!sptep_list_contains(&mmu->frames[gfn].rmap, &sp->spt[i]))
		report(env, "sp %#llx[%u]: leaf for gfn %#llx not in its rmap",
		       sp->gfn, i, gfn);
	/*
	 * (b) No guest table in sync is writable through any leaf, reachable
	 * or not, stale or not.
	 */
	if ((e & S_RW) && protected_table(env, gfn))
		report(env, "sp %#llx[%u]: guest table gfn %#llx writable",
		       sp->gfn, i, gfn);
}

/* A non-leaf entry: it points at a live page one level down, which knows. */
static void check_link(struct env *env, struct shadowvmm_sp *sp,
		       unsigned int i)
{
	struct shadowvmm_sp *child;
	u64 e = sp->spt[i];

	if ((e & ~(S_ADDR | S_A)) != (S_P | S_RW | S_US))
		report(env, "sp %#llx[%u]: non-leaf %#llx has odd bits",
		       sp->gfn, i, e);
	child = sp_of(e);
	if (!is_live(env, child)) {
		report(env, "sp %#llx[%u]: points at no shadow page", sp->gfn,
		       i);
		return;
	}
	if (child->role.level != sp->role.level - 1)
		report(env, "sp %#llx[%u]: level %u points at level %u",
		       sp->gfn, i, sp->role.level, child->role.level);
	if (!sptep_list_contains(&child->parents, &sp->spt[i]))
		report(env, "sp %#llx[%u]: not in child %#llx's parents",
		       sp->gfn, i, child->gfn);
}

/* Every entry in @sp's parents list points at it, from one level up. */
static unsigned int check_parents(struct env *env, struct shadowvmm_sp *sp)
{
	const struct shadowvmm_mmu_root *root;
	struct shadowvmm_sp *owner;
	struct sptep_iter it;
	u64 *p;

	for (p = sptep_first(&sp->parents, &it); p; p = sptep_next(&it)) {
		if (!s_present(*p) || (*p & S_ADDR) != __pa(sp->spt))
			report(env, "sp %#llx: parent entry %#llx points elsewhere",
			       sp->gfn, *p);
		root = root_of_page(env, p);
		if (root) {
			if (!root->valid || root->sp || sp->role.level != 2 ||
			    offset_in_page(p) >= 4 * sizeof(u64))
				report(env, "sp %#llx: parent in an unused PDPT",
				       sp->gfn);
			continue;
		}
		owner = sp_holding(p);
		if (!is_live(env, owner) ||
		    owner->role.level != sp->role.level + 1)
			report(env, "sp %#llx: parent entry not one level up",
			       sp->gfn);
	}
	return check_list(env, &sp->parents, "parents of sp", sp->gfn);
}

/*
 * The next entry of @sp from @i on that is not a trap (or, in a leaf
 * page, has a frame recorded for it), or PT64_ENT_PER_PAGE: most
 * entries trap (empty, where the host has no trap entries), and the
 * checker has nothing to hold them against.
 */
static unsigned int next_entry(const struct shadowvmm_mmu *mmu,
			       const struct shadowvmm_sp *sp, unsigned int i)
{
	for (; i < PT64_ENT_PER_PAGE; i++)
		if (sp->spt[i] != trap_spte ||
		    (sp->role.level == 1 &&
		     shadowvmm_leaf_gfn(mmu, sp, i) != SHADOWVMM_NO_GFN))
			break;
	return i;
}

/*
 * (g) An empty entry that is not a trap lets the CPU's not-present fault
 * go straight to the guest. That is right only if the guest faults there
 * too, and will go on faulting until the VMM hears of a change: the
 * guest entry it stands for is not present, in a table in sync.
 */
static void check_fault_let_through(struct env *env,
				    const struct shadowvmm_sp *sp,
				    unsigned int i)
{
	unsigned int e = i, size = 8;
	u64 g;

	if (sp->role.invalid)
		return;
	env->let_through++;
	if (sp->role.direct || sp->unsync || sp->gfn >= RAM_FRAMES) {
		report(env, "sp %#llx[%u]: lets faults through, direct %u unsync %d",
		       sp->gfn, i, sp->role.direct, sp->unsync);
		return;
	}
	if (sp->role.guest_mode == MODE_32) {
		size = 4;
		e = sp->role.level == 1 ? sp->role.quadrant * 512 + i :
					  sp->role.quadrant * 256 + i / 2;
	}
	g = gread(env, (sp->gfn << PAGE_SHIFT) + e * size, size);
	if (g & G_P)
		report(env, "sp %#llx[%u]: lets faults through, guest entry %#llx present",
		       sp->gfn, i, g);
}

/* The shadow pages themselves: entries, reverse map, parents. */
static void check_sps(struct env *env, unsigned int *links,
		      unsigned int *parents, unsigned int *mapped)
{
	struct shadowvmm_sp *sp;
	unsigned int n, i, present;

	for (n = 0; n < env->nr_live; n++) {
		sp = env->live[n];
		present = 0;
		if (!sp->role.level || sp->role.level > SHADOWVMM_MAX_LEVEL)
			report(env, "sp %#llx: level %u", sp->gfn, sp->role.level);
		if (hlist_unhashed(&sp->hash) != sp->role.invalid)
			report(env, "sp %#llx: hashed %d, invalid %d", sp->gfn,
			       !hlist_unhashed(&sp->hash), sp->role.invalid);
		if (!sp->role.direct && !sp->role.invalid && sp->gfn < RAM_FRAMES) {
			env->shadowed[sp->gfn]++;
			env->unsync[sp->gfn] += sp->unsync;
		}
		for (i = next_entry(env->mmu, sp, 0); i < PT64_ENT_PER_PAGE;
		     i = next_entry(env->mmu, sp, i + 1)) {
			if (!sp->spt[i] && trap_spte)
				check_fault_let_through(env, sp, i);
			if (!s_present(sp->spt[i]) &&
			    (sp->role.level > 1 ||
			     shadowvmm_leaf_gfn(env->mmu, sp, i) == SHADOWVMM_NO_GFN))
				continue;
			if (s_present(sp->spt[i])) {
				present++;
				if (!test_bit(i, sp->mapped))
					report(env, "sp %#llx[%u]: %#llx, not in the mapped bitmap",
					       sp->gfn, i, sp->spt[i]);
			}
			if (sp->role.level == 1) {
				check_leaf_entry(env, sp, i, mapped);
			} else {
				(*links)++;
				check_link(env, sp, i);
			}
		}
		if (bitmap_weight(sp->mapped, PT64_ENT_PER_PAGE) != present)
			report(env, "sp %#llx: %u bits in the mapped bitmap, %u entries present",
			       sp->gfn, bitmap_weight(sp->mapped, PT64_ENT_PER_PAGE),
			       present);
		*parents += check_parents(env, sp);
	}
}

/*
 * (f) Out of sync: only leaf pages of guest tables in RAM, each on the
 * list once, and nothing else on the list.
 */
static void check_unsync(struct env *env)
{
	struct shadowvmm_mmu *mmu = env->mmu;
	struct shadowvmm_sp *sp, **found;
	unsigned int n = 0, i;

	bitmap_zero(env->seen, env->max_live);
	list_for_each_entry(sp, &mmu->unsync_sps, unsync_link) {
		if (n++ == env->nr_live) {
			report(env, "the unsync list is longer than the page list");
			return;
		}
		found = bsearch(&sp, env->live, env->nr_live, sizeof(*env->live),
				cmp_ptr);
		if (!found) {
			/* Its links cannot be trusted: stop here. */
			report(env, "a page on the unsync list is not live");
			return;
		}
		if (!sp->unsync)
			report(env, "sp %#llx: on the unsync list, but in sync",
			       sp->gfn);
		if (__test_and_set_bit(found - env->live, env->seen))
			report(env, "sp %#llx: twice on the unsync list", sp->gfn);
	}
	for (i = 0; i < env->nr_live; i++) {
		sp = env->live[i];
		if (!sp->unsync)
			continue;
		if (!test_bit(i, env->seen))
			report(env, "sp %#llx: out of sync, not on the list",
			       sp->gfn);
		if (!mmu->allow_unsync || sp->role.level != 1 ||
		    sp->role.direct || sp->role.invalid || sp->gfn >= RAM_FRAMES)
			report(env, "sp %#llx: unsync, level %u direct %u invalid %u allowed %d",
			       sp->gfn, sp->role.level, sp->role.direct,
			       sp->role.invalid, mmu->allow_unsync);
	}
}

static void check_roots(struct env *env, unsigned int *links)
{
	struct shadowvmm_mmu *mmu = env->mmu;
	const struct shadowvmm_mmu_root *root, *other;
	struct shadowvmm_paging pg;
	struct shadowvmm_sp *child;
	unsigned int k, j, i, refs;

	for (k = 0; k < SHADOWVMM_ROOT_CACHE; k++) {
		root = &mmu->roots[k];
		root_paging(root, &pg);
		if (!root->valid || root->sp) {
			for (i = 0; i < 4; i++)
				if (root->pae[i])
					report(env, "root %u: unused PDPT holds %#llx",
					       k, root->pae[i]);
		}
		if (!root->valid)
			continue;
		if (pg.mode == MODE_4L ? !root->sp : !!root->sp) {
			report(env, "root %u: %s with sp %p", k,
			       mode_name[pg.mode], root->sp);
			continue;
		}
		if (root->sp && (!is_live(env, root->sp) ||
				 root->sp->role.level != 4)) {
			report(env, "root %u: root sp is not a live level-4 page", k);
			continue;
		}
		for (j = 0; j < k; j++) {
			other = &mmu->roots[j];
			if (other->valid && other->role == root->role &&
			    other->cr3 == root->cr3 &&
			    (!other->sp || !other->sp->role.invalid) &&
			    (!root->sp || !root->sp->role.invalid) &&
			    !memcmp(other->pdpte, root->pdpte, sizeof(root->pdpte)))
				report(env, "roots %u and %u shadow the same state",
				       j, k);
		}
		if (root->sp) {
			refs = 0;
			for (j = 0; j < SHADOWVMM_ROOT_CACHE; j++)
				refs += mmu->roots[j].valid &&
					mmu->roots[j].sp == root->sp;
			if (root->sp->root_count != refs)
				report(env, "root %u: root_count %u, %u roots use it",
				       k, root->sp->root_count, refs);
			check_table(env, k, &pg, root->sp, root->sp->spt, 4, 0);
			continue;
		}
		for (i = 0; i < 4; i++) {
			/* (g) for the PDPT: VM entry loads it, it cannot trap. */
			if (!root->pae[i] && trap_spte && k == 0 && !mmu->reload &&
			    (pg.mode == MODE_32 ||
			     (pg.mode == MODE_PAE && (root->pdpte[i] & G_P))))
				report(env, "root 0: PDPTE %u empty, the guest's is present",
				       i);
			if (!s_present(root->pae[i]))
				continue;
			(*links)++;
			if ((root->pae[i] & ~S_ADDR) != S_P)
				report(env, "root %u: PDPTE %u is %#llx", k, i,
				       root->pae[i]);
			child = sp_of(root->pae[i]);
			if (!is_live(env, child) || child->role.level != 2 ||
			    !sptep_list_contains(&child->parents, &root->pae[i])) {
				report(env, "root %u: PDPTE %u not linked both ways",
				       k, i);
				continue;
			}
		}
		check_table(env, k, &pg, NULL, root->pae, 3, 0);
	}

	/* Non-root pages are never pinned. */
	for (i = 0; i < env->nr_live; i++) {
		refs = 0;
		for (j = 0; j < SHADOWVMM_ROOT_CACHE; j++)
			refs += mmu->roots[j].valid &&
				mmu->roots[j].sp == env->live[i];
		if (!refs && env->live[i]->root_count)
			report(env, "sp %#llx: root_count %u but no root",
			       env->live[i]->gfn, env->live[i]->root_count);
	}
}

static bool check(struct env *env)
{
	unsigned int reports = env->reports, links = 0, parents = 0, mapped = 0;
	unsigned int rmapped = 0, nr_frames = RAM_FRAMES;
	struct shadowvmm_mmu *mmu = env->mmu;
	struct shadowvmm_paging pg;
	struct sptep_iter it;
	struct shadowvmm_sp *sp;
	u64 gfn, *p;

	/* (d) The cap, and the list the cap counts. */
	env->nr_live = 0;
	list_for_each_entry(sp, &mmu->sps, link) {
		if (env->nr_live == env->max_live) {
			report(env, "more than %u shadow pages on the list",
			       env->max_live);
			return false;
		}
		env->live[env->nr_live++] = sp;
	}
	if (env->nr_live != mmu->nr_sps)
		report(env, "nr_sps %u, %u pages on the list", mmu->nr_sps,
		       env->nr_live);
	if (mmu->nr_sps > mmu->max_sps)
		report(env, "nr_sps %u above the cap %u", mmu->nr_sps,
		       mmu->max_sps);
	if (counter(env, SHADOWVMM_STAT_MMU_SHADOW_PAGES) != mmu->nr_sps)
		report(env, "mmu_shadow_pages %llu, nr_sps %u",
		       counter(env, SHADOWVMM_STAT_MMU_SHADOW_PAGES), mmu->nr_sps);
	sort(env->live, env->nr_live, sizeof(*env->live), cmp_ptr, NULL);

	memset(env->shadowed, 0, RAM_FRAMES * sizeof(u16));
	memset(env->unsync, 0, RAM_FRAMES * sizeof(u16));
	check_sps(env, &links, &parents, &mapped);
	check_unsync(env);
	check_roots(env, &links);
	if (links != parents)
		report(env, "%u non-leaf entries, %u in parent lists", links,
		       parents);

	/* (c) Every rmap entry is a present leaf mapping that frame. */
	for (gfn = 0; gfn < nr_frames; gfn++) {
		const struct shadowvmm_frame *frame = &mmu->frames[gfn];

		/* Most frames are neither mapped nor shadowed. */
		if (!frame->rmap.head && !frame->shadowed && !frame->unsync &&
		    !env->shadowed[gfn] && !env->unsync[gfn])
			continue;
		rmapped += check_list(env, &frame->rmap, "rmap of gfn", gfn);
		for (p = sptep_first(&frame->rmap, &it); p; p = sptep_next(&it)) {
			sp = sp_holding(p);
			if (!is_live(env, sp) || sp->role.level != 1 ||
			    !s_present(*p) ||
			    shadowvmm_leaf_gfn(mmu, sp, p - sp->spt) != gfn)
				report(env, "rmap of gfn %#llx: entry %#llx is not a leaf for it",
				       gfn, *p);
		}
		/* (b) Protection counts: one per shadow of the table. */
		if (frame->shadowed != env->shadowed[gfn])
			report(env, "gfn %#llx: shadowed %u, %u shadow pages",
			       gfn, frame->shadowed, env->shadowed[gfn]);
		if (frame->unsync != env->unsync[gfn])
			report(env, "gfn %#llx: unsync %u, %u pages out of sync",
			       gfn, frame->unsync, env->unsync[gfn]);
	}
	if (rmapped != mapped)
		report(env, "%u leaves map RAM, %u rmap entries", mapped,
		       rmapped);

	/* roots[0] is what the test loaded. */
	root_paging(&mmu->roots[0], &pg);
	if (!mmu->roots[0].valid || pg.mode != env->pg.mode ||
	    pg.cr3 != env->pg.cr3 || pg.wp != env->pg.wp ||
	    pg.nxe != env->pg.nxe ||
	    pg.smep != (env->pg.smep && !env->pg.wp) ||
	    pg.smap != (env->pg.smap && !env->pg.wp) ||
	    pg.pse != (env->pg.mode == MODE_32 && env->pg.pse))
		report(env, "roots[0] (%s cr3 %#llx) is not the state loaded",
		       mode_name[pg.mode], pg.cr3);
	return env->reports == reports;
}

/* --- address spaces ------------------------------------------------------- */

/* @large: the leaf level in even-numbered address spaces of the mode. */
struct gva_spec {
	u64 gva;
	u8 large;
};

static const struct gva_spec gvas_off[] = {
	{ 0x00000000 }, { 0x00001000 }, { 0x00100000 }, { 0x00101000 },
	{ 0x00200000 }, { 0x007ff000 }, { 0x00800000 }, { 0xfffff000 },
};

/*
 * 32-bit: one table's halves (0x003ff000 is in the second), a 4 MiB page
 * in even address spaces, both halves of another table, and a shared
 * upper quarter.
 */
static const struct gva_spec gvas_32[] = {
	{ 0x00000000 }, { 0x00001000 }, { 0x00002000 }, { 0x003ff000 },
	{ 0x00400000, 2 }, { 0x00401000, 2 }, { 0x00601000, 2 },
	{ 0x00801000 }, { 0x00a01000 },
	{ 0xc0000000 }, { 0xc0001000 }, { 0xfffff000 },
};

/* PAE: PDPTE 3 is shared; a 2 MiB page in even address spaces. */
static const struct gva_spec gvas_pae[] = {
	{ 0x00000000 }, { 0x00001000 }, { 0x00002000 }, { 0x001ff000 },
	{ 0x00200000, 2 }, { 0x00201000, 2 }, { 0x003ff000, 2 },
	{ 0x40000000 }, { 0x40201000 },
	{ 0xc0000000 }, { 0xc0001000 }, { 0xfffff000 },
};

/* Four levels: the upper half is shared; 2 MiB and 1 GiB pages. */
static const struct gva_spec gvas_4l[] = {
	{ 0x000000000000 }, { 0x000000001000 }, { 0x000000002000 },
	{ 0x0000001ff000 },
	{ 0x000000200000, 2 }, { 0x000000201000, 2 }, { 0x0000003ff000, 2 },
	{ 0x000080000000, 3 }, { 0x000080201000, 3 },
	{ 0x7fffffe00000 },
	{ 0xffff800000000000 }, { 0xffff800000001000 },
	{ 0xfffffffffffff000 },
};

static bool shared_region(enum shadowvmm_paging_mode mode, u64 gva)
{
	switch (mode) {
	case MODE_32:
	case MODE_PAE:
		return gva >= 0xc0000000;
	case MODE_4L:
		return gva >= 0xffff800000000000;
	default:
		return false;
	}
}

static u64 pick_data(struct env *env)
{
	unsigned int r = rnd(env, 16), m;

	/* A small pool, so frames have many mappings (rmaps over a block). */
	if (r < 11)
		return DATA_POOL + rnd(env, 24) * PAGE_SIZE;
	if (r < 14) {
		m = 1 + rnd(env, 3);
		if (env->nr_tables[m])
			return env->tables[m][rnd(env, env->nr_tables[m])];
		return TABLE_POOL;
	}
	if (r < 15)
		return RAM_SIZE + rnd(env, 8) * PAGE_SIZE;
	return DATA_POOL + rnd(env, 0x400) * PAGE_SIZE;
}

/* Mostly a table of @level in @mode; sometimes any, or none in RAM. */
static u64 pick_table(struct env *env, enum shadowvmm_paging_mode mode,
		      int level)
{
	unsigned int r = rnd(env, 16), m = mode, i, n = 0, pick;

	if (r == 15)
		return OUTSIDE_RAM;
	if (r >= 13) {
		m = 1 + rnd(env, 3);
		if (!env->nr_tables[m])
			m = mode;
		return env->tables[m][rnd(env, env->nr_tables[m])];
	}
	for (i = 0; i < env->nr_tables[m]; i++)
		n += env->table_level[m][i] == level;
	if (!n)
		return env->tables[m][rnd(env, env->nr_tables[m])];
	pick = rnd(env, n);
	for (i = 0; i < env->nr_tables[m]; i++)
		if (env->table_level[m][i] == level && !pick--)
			break;
	return env->tables[m][i];
}

static u64 pick_large(struct env *env, enum shadowvmm_paging_mode mode,
		      int level)
{
	static const u64 big32[] = {
		0, SZ_4M, SZ_8M, SZ_4M | BIT_ULL(13),
	};

	if (mode == MODE_32)
		return big32[rnd(env, ARRAY_SIZE(big32))];
	if (level == 3)
		return rnd(env, 2) * SZ_1G;
	return rnd(env, 6) * SZ_2M;
}

static u64 random_flags(struct env *env, enum shadowvmm_paging_mode mode)
{
	u64 f = G_P;

	f |= rnd(env, 8) ? G_A : 0;
	f |= rnd(env, 6) ? G_RW : 0;
	f |= rnd(env, 6) ? G_US : 0;
	f |= rnd(env, 2) ? G_D : 0;
	if (mode != MODE_32 && !rnd(env, 6))
		f |= G_XD;
	return f;
}

static u64 alloc_private(struct env *env)
{
	u64 gpa = env->next_private;

	KUNIT_ASSERT_LT(env->test, gpa, PRIVATE_END);
	env->next_private += PAGE_SIZE;
	memset(env->gmem.ram + gpa, 0, PAGE_SIZE);
	return gpa;
}

static u64 window_gva(enum shadowvmm_paging_mode mode)
{
	return mode == MODE_4L ? WINDOW_4L : WINDOW_32;
}

/* The window, and a page above it the window's own page table. */
static void build_window(struct env *env, struct aspace *as)
{
	enum shadowvmm_paging_mode mode = as->mode;
	u64 window = window_gva(mode), table = top_table(mode, as->cr3), gpa;
	unsigned int size = esize(mode);
	int level;

	for (level = top_level(mode); level > 1; level--) {
		gpa = entry_gpa(mode, table, window, level);
		table = alloc_private(env);
		gwrite(env, gpa, size, table | (mode == MODE_PAE && level == 3 ?
						G_P : G_P | G_RW | G_A));
	}
	as->window_pte = entry_gpa(mode, table, window, 1);
	gwrite(env, entry_gpa(mode, table, window + PAGE_SIZE, 1), size,
	       table | WINDOW_LEAF);
	gwrite(env, as->window_pte, size, table | WINDOW_LEAF);
}

static void build_as(struct env *env, enum shadowvmm_paging_mode mode,
		     unsigned int nth, const struct gva_spec *gvas,
		     unsigned int nr_gvas)
{
	struct aspace *as = &env->as[env->nr_as], *first = as - nth;
	unsigned int i, level;
	u64 top, leaf;

	KUNIT_ASSERT_LT(env->test, env->nr_as, (unsigned int)MAX_AS);
	*as = (struct aspace){
		.mode = mode, .gvas = gvas, .nr_gvas = nr_gvas, .wp = true,
		.nxe = mode == MODE_PAE || mode == MODE_4L,
		.pse = mode == MODE_32 && !(nth & 1),
	};
	env->nr_as++;
	if (mode == MODE_OFF)
		return;
	/* Two PAE address spaces share a frame: CR3 is 32-byte aligned. */
	if (mode == MODE_PAE && (nth & 1))
		as->cr3 = first->cr3 + 0x20 * nth;
	else
		as->cr3 = alloc_table(env, mode, top_level(mode));
	top = top_table(mode, as->cr3);
	if (env->mmu->allow_unsync)
		build_window(env, as);
	if (nth) {
		/* Share the first one's upper region: same lower tables. */
		if (mode == MODE_32)
			memcpy(env->gmem.ram + top + 768 * 4,
			       env->gmem.ram + first->cr3 + 768 * 4, 256 * 4);
		else if (mode == MODE_PAE)
			gwrite(env, top + 24, 8, gread(env, first->cr3 + 24, 8));
		else
			memcpy(env->gmem.ram + top + 256 * 8,
			       env->gmem.ram + first->cr3 + 256 * 8, 256 * 8);
	}
	for (i = 0; i < nr_gvas; i++) {
		if (nth && shared_region(mode, gvas[i].gva))
			continue;
		level = gvas[i].large && !(nth & 1) ? gvas[i].large : 1;
		leaf = random_flags(env, mode);
		if (level > 1)
			leaf |= G_PS | pick_large(env, mode, level);
		else
			leaf |= pick_data(env);
		map_gva(env, mode, as->cr3, gvas[i].gva, level, leaf);
	}
}

/*
 * Give every table below the top an entry at each index the mode's
 * addresses use, so that a walk that an entry retargets to another table
 * of the right level still finds its way.
 */
static void fill_tables(struct env *env, enum shadowvmm_paging_mode mode,
			const struct gva_spec *gvas, unsigned int nr_gvas)
{
	unsigned int t, i, size = esize(mode);
	u64 table, gpa, e;
	int level;

	for (t = 0; t < env->nr_tables[mode]; t++) {
		level = env->table_level[mode][t];
		if (level >= top_level(mode))
			continue;
		table = env->tables[mode][t];
		for (i = 0; i < nr_gvas; i++) {
			gpa = entry_gpa(mode, table, gvas[i].gva, level);
			if (gread(env, gpa, size) & G_P)
				continue;
			if (level == 1)
				e = random_flags(env, mode) | pick_data(env);
			else
				e = G_TABLE | pick_table(env, mode, level - 1);
			gwrite(env, gpa, size, e);
			add_slot(env, gpa, level, mode);
		}
	}
}

static void switch_as(struct env *env, unsigned int n, bool random_flags)
{
	const struct aspace *as = &env->as[n];
	struct shadowvmm_paging pg = {
		.mode = as->mode, .cr3 = as->cr3, .wp = as->wp, .nxe = as->nxe,
		.pse = as->pse, .maxphyaddr = MAXPHYADDR, .gbpages = true,
	};
	unsigned int i;

	if (random_flags) {
		pg.wp = rnd(env, 4);
		pg.nxe = rnd(env, 2);
		pg.smep = !rnd(env, 3);
		pg.smap = !rnd(env, 3);
		pg.pse = rnd(env, 2);
	}
	step(env, "switch to %s cr3 %#llx wp %d nxe %d smep %d smap %d pse %d",
	     mode_name[pg.mode], pg.cr3, pg.wp, pg.nxe, pg.smep, pg.smap,
	     pg.pse);
	if (as->mode == MODE_PAE) {
		for (i = 0; i < 4; i++) {
			pg.pdpte[i] = gread(env, as->cr3 + i * 8, 8);
			/* The guest would take #GP: no switch. */
			if ((pg.pdpte[i] & G_P) && (pg.pdpte[i] & PDPTE_RSVD))
				return;
		}
	}
	load(env, &pg);
	env->cur_as = n;
}

/* --- case 1: invariants over random operation sequences ------------------- */

/*
 * The checker costs most of the time: big caps check every few steps.
 * @unsync: let leaf tables go out of sync, as the module does by default.
 */
struct random_params {
	u32 seed;
	unsigned int cap, steps, check_every;
	bool unsync;
};

static const struct random_params random_params[] = {
	{ .seed = 1, .cap = 16, .steps = 3000, .check_every = 1 },
	{ .seed = 2, .cap = 48, .steps = 3000, .check_every = 2 },
	{ .seed = 3, .cap = 256, .steps = 2000, .check_every = 4 },
	{ .seed = 4, .cap = 32, .steps = 2500, .check_every = 2, .unsync = true },
	{ .seed = 5, .cap = 256, .steps = 1500, .check_every = 4, .unsync = true },
};

static void random_desc(const struct random_params *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE,
		 "seed %u, cap %u, %u steps, checked every %u%s", p->seed,
		 p->cap, p->steps, p->check_every,
		 p->unsync ? ", unsync" : "");
}

KUNIT_ARRAY_PARAM(random, random_params, random_desc);

static const u32 accesses[] = {
	0, 0, A_W, A_W, A_U, A_U | A_W, A_F, A_U | A_F, A_AC, A_W | A_AC,
};

/* Mostly what the guest allows, as a guest mostly does. */
static u32 random_access(struct env *env, u64 gva)
{
	u32 access = accesses[rnd(env, ARRAY_SIZE(accesses))];
	unsigned int tries;
	struct gwalk w;

	for (tries = 0; tries < 4 && rnd(env, 3); tries++) {
		gwalk(env, &env->pg, gva, &w);
		if (w.ok && guest_allows(&env->pg, &w, access))
			break;
		access = accesses[rnd(env, ARRAY_SIZE(accesses))];
	}
	return access;
}

static u64 random_gva(struct env *env)
{
	const struct aspace *as = &env->as[env->cur_as];

	const struct gva_spec *spec = &as->gvas[rnd(env, as->nr_gvas)];
	u64 gva = spec->gva;

	/* Other pages of a large page, where the guest maps one. */
	if (spec->large && rnd(env, 2))
		gva += rnd(env, 8) * PAGE_SIZE;
	return gva + (rnd(env, 4) ? 0 : rnd(env, PAGE_SIZE));
}

/* Does a shadow page of a guest table at level 2 or above use @gfn? */
static bool upper_table(struct env *env, u64 gfn)
{
	struct shadowvmm_sp *sp;

	list_for_each_entry(sp, &env->mmu->sps, link)
		if (sp->gfn == gfn && !sp->role.direct && !sp->role.invalid &&
		    sp->role.level > 1)
			return true;
	return false;
}

/* Is a table the walk went through in frame @gfn? */
static bool walk_uses_frame(struct env *env, const struct gwalk *w, u64 gfn)
{
	int l;

	if (env->pg.mode == MODE_OFF)
		return false;
	for (l = max(w->level, 1); l <= top_level(env->pg.mode); l++)
		if (w->egpa[l] >> PAGE_SHIFT == gfn)
			return true;
	return false;
}

static enum shadowvmm_pf_result op_fault(struct env *env, u64 gva,
					 u32 access)
{
	bool allowed, protected = false, upper = false, smap_store;
	bool unsync = env->mmu->allow_unsync;
	enum shadowvmm_pf_result result;
	struct gwalk before, after;
	u64 gfn, ad = G_A;
	int l;

	step(env, "fault %s cr3 %#llx gva %#llx access %#x",
	     mode_name[env->pg.mode], env->pg.cr3, gva, access);
	gwalk(env, &env->pg, gva, &before);
	allowed = before.ok && guest_allows(&env->pg, &before, access);
	gfn = before.gpa >> PAGE_SHIFT;
	if (allowed && in_ram(before.gpa)) {
		protected = protected_table(env, gfn);
		upper = protected && upper_table(env, gfn);
	}
	/* CR0.WP=0: a supervisor store to a read-only user page, under SMAP. */
	smap_store = (access & A_W) && !(access & A_U) && !before.w &&
		     before.u && env->pg.smap && env->pg.mode != MODE_OFF;

	result = fault(env, gva, access);
	if (result == SHADOWVMM_PF_RETRY)
		return result;
	if (!allowed) {
		if (result != SHADOWVMM_PF_INJECT)
			report(env, "the guest faults, the MMU says %s",
			       pf_name[result]);
		return result;
	}
	if (result == SHADOWVMM_PF_INJECT) {
		report(env, "the guest allows it, the MMU injects a fault");
		return result;
	}
	if (result == SHADOWVMM_PF_EMULATE && !(access & A_W))
		report(env, "a read or fetch sent to the emulator");
	/*
	 * A store to a table in sync exits to the emulator; with unsync on,
	 * one to a leaf table (no shadow of it above level 1) lets the table
	 * go out of sync instead, and the guest's store then runs natively;
	 * except that a store to an entry not present may be emulated and
	 * fill the shadow in place (a demand fault's).
	 */
	if ((access & A_W) && (!in_ram(before.gpa) ||
			       (protected && (upper || !unsync))) &&
	    result != SHADOWVMM_PF_EMULATE)
		report(env, "store to gpa %#llx (outside RAM, or a table that stays in sync) %s",
		       before.gpa, pf_name[result]);
	if ((access & A_W) && protected && !upper && unsync) {
		if (result == SHADOWVMM_PF_EMULATE && !smap_store &&
		    (gread(env, before.gpa & ~3ULL, 4) & G_P) &&
		    (gread(env, before.gpa & ~7ULL, 8) & G_P))
			report(env, "store to leaf table gpa %#llx emulated, not let out of sync",
			       before.gpa);
		/* Unless the fault shadowed the table anew, which syncs it. */
		else if (result != SHADOWVMM_PF_EMULATE &&
			 protected_table(env, gfn) &&
			 !walk_uses_frame(env, &before, gfn))
			report(env, "store to leaf table gpa %#llx %s, but it stays protected",
			       before.gpa, pf_name[result]);
	}

	/* (e) A on every level used, D on the leaf of a write. */
	gwalk(env, &env->pg, gva, &after);
	if (env->pg.mode != MODE_OFF) {
		for (l = top_level(env->pg.mode); l >= after.level; l--) {
			if (env->pg.mode == MODE_PAE && l == 3)
				continue;
			if (l == after.level && (access & A_W))
				ad |= G_D;
			if ((after.e[l] & ad) != ad)
				report(env, "guest entry at level %d is %#llx after a %s fault",
				       l, after.e[l], pf_name[result]);
		}
	}
	/* The guest must make progress: retrying must not fault again. */
	if (result != SHADOWVMM_PF_EMULATE && in_ram(before.gpa) &&
	    !((access & A_W) && protected_table(env, gfn)) &&
	    !hw_allows(env, gva, access)) {
		u64 *sptep = shadow_leaf(env, gva);

		report(env, "%s, yet the shadow (leaf %#llx) still faults",
		       pf_name[result], sptep ? *sptep : 0);
	}
	return result;
}

/* INVLPG: what the hardware would now use for @gva is the guest's own. */
static void invlpg(struct env *env, u64 gva)
{
	struct shadowvmm_paging pg;
	unsigned int i;
	u64 *sptep;

	step(env, "INVLPG %#llx", gva);
	shadowvmm_mmu_invlpg(env->mmu, gva);
	root_paging(&env->mmu->roots[0], &pg);
	if (env->logging) {
		for (i = 0; i < env->nr_inv; i++)
			if (env->inv[i].page == page_of(&pg, gva))
				break;
		KUNIT_ASSERT_LT(env->test, i, (unsigned int)MAX_INVLPG);
		env->inv[i] = (struct invalidated){
			.page = page_of(&pg, gva), .since = env->nr_log,
		};
		env->nr_inv = max(env->nr_inv, i + 1);
	}
	sptep = shadow_leaf(env, gva);
	if (!sptep)
		return;
	env->exact_invlpg++;
	check_leaf(env, 0, &pg, gva, *sptep, NULL);
}

/* A store the hardware lets through: no exit, the MMU never hears of it. */
static void native_store(struct env *env, u64 gva, u64 gpa, unsigned int size,
			 u64 v)
{
	u64 gfn = gpa >> PAGE_SHIFT;

	step(env, "native store through %#llx: %#llx = %#llx (%u bytes)", gva,
	     gpa, v, size);
	if (protected_table(env, gfn))
		report(env, "the shadow lets a store to a table in sync through");
	log_store(env, gpa);
	gwrite(env, gpa, size, v);
	hw_use(env, gva, true);
	env->native_stores++;
}

/*
 * A store instruction at @gva, which the guest maps to @gpa: it runs
 * natively if the shadow lets it, else faults, and the MMU either fixes
 * the shadow (the guest retries) or hands the store to the emulator.
 */
static void guest_store(struct env *env, u64 gva, u64 gpa, unsigned int size,
			u64 v)
{
	enum shadowvmm_pf_result result;
	unsigned int tries;

	/*
	 * A store through a page table's own mapping may take a fault to
	 * shadow the table and another to let it out of sync; under the
	 * cap, one more may recycle a page on the way.
	 */
	for (tries = 0; ; tries++) {
		if (hw_allows(env, gva, A_W)) {
			native_store(env, gva, gpa, size, v);
			return;
		}
		if (tries == 4)
			break;
		result = op_fault(env, gva, A_W);
		if (result == SHADOWVMM_PF_EMULATE) {
			step(env, "emulated store %#llx = %#llx (%u bytes)", gpa,
			     v, size);
			gstore(env, gpa, size, v);
			return;
		}
		if (result != SHADOWVMM_PF_FIXED &&
		    result != SHADOWVMM_PF_SPURIOUS) {
			report(env, "a store through %#llx: %s", gva,
			       pf_name[result]);
			return;
		}
	}
	report(env, "a store through %#llx still faults after %u faults", gva,
	       tries);
}

/*
 * A store to a table entry with unsync on, made as a guest makes it:
 * with paging off at the table's own address; else through the address
 * space's window, which the guest first points at the table (a store to
 * the window's PTE through the page above the window) and invalidates.
 */
static void table_store(struct env *env, u64 gpa, unsigned int size, u64 v)
{
	const struct aspace *as = &env->as[env->cur_as];
	u64 gva = gpa, window = window_gva(as->mode), want;
	unsigned int wsize = esize(as->mode);
	struct gwalk w;

	if (as->mode != MODE_OFF) {
		want = (gpa & PAGE_MASK) | WINDOW_LEAF;
		if (gread(env, as->window_pte, wsize) != want) {
			guest_store(env, window + PAGE_SIZE, as->window_pte,
				    wsize, want);
			invlpg(env, window);
		}
		gva = window + offset_in_page(gpa);
	}
	gwalk(env, &env->pg, gva, &w);
	if (!w.ok || w.gpa != gpa) {
		report(env, "%#llx does not map the table entry at %#llx", gva,
		       gpa);
		return;
	}
	guest_store(env, gva, gpa, size, v);
}

/* Not present, or with bits set that are reserved (or ignored) above 35. */
static bool broken(const struct slot *s, u64 v)
{
	if (!(v & G_P))
		return true;
	if (s->mode != MODE_32)
		return v & (RSVD_PAE | RSVD_4L);
	return s->level == 2 && (v & G_PS) && (v & RSVD_4M);
}

/* A usable entry of the same kind: a leaf, a large page or a table. */
static u64 fresh(struct env *env, const struct slot *s, u64 v)
{
	if (s->level == 1)
		return random_flags(env, s->mode) | pick_data(env);
	if (v & G_PS)
		return random_flags(env, s->mode) | G_PS |
		       pick_large(env, s->mode, s->level);
	return G_TABLE | pick_table(env, s->mode, s->level - 1);
}

static u64 mutate(struct env *env, const struct slot *s, u64 v)
{
	bool wide = s->mode != MODE_32;
	u64 addr = wide ? ADDR_4K : ADDR32_4K;
	bool big = s->level > 1 && (v & G_PS);

	if (s->mode == MODE_PAE && s->level == 3)
		return rnd(env, 4) ? G_P | pick_table(env, s->mode, 2) : v ^ G_P;
	/* Mend broken entries half the time, or few walks would succeed. */
	if (broken(s, v) && rnd(env, 4))
		return fresh(env, s, v);

	switch (rnd(env, 16)) {
	case 0:
	case 1:
		return v ^ G_P;
	case 2:
		return v ^ G_A;
	case 3:
		return v ^ G_D;
	case 4:
		return v ^ G_RW;
	case 5:
		return v ^ G_US;
	case 6:
		return v ^ (wide ? G_XD : G_G);
	case 7:
	case 8:
		if (s->level == 1)
			return (v & ~addr) | pick_data(env);
		if (big)
			return (v & ~addr) | pick_large(env, s->mode, s->level);
		return (v & ~addr) | pick_table(env, s->mode, s->level - 1);
	case 9:
		if (s->level == 1 || (s->level == 3 && s->mode != MODE_4L))
			return v ^ G_A;
		if (big)
			return (v & ~(addr | G_PS)) |
			       pick_table(env, s->mode, s->level - 1);
		return (v & ~addr) | G_PS | pick_large(env, s->mode, s->level);
	case 10:
		/* Reserved, ignored and PSE-36 address bits. */
		if (wide)
			return v ^ BIT_ULL(MAXPHYADDR + rnd(env, 64 - MAXPHYADDR));
		return v ^ BIT_ULL(13 + rnd(env, 9));
	case 15:
		if (rnd(env, 2))
			return 0;
		fallthrough;
	default:
		return fresh(env, s, v);
	}
}

/*
 * Half the time an entry on the way to one of the current address
 * space's addresses, as a kernel mostly rewrites entries it uses.
 */
static struct slot pick_slot(struct env *env, u64 *gva)
{
	struct slot s;
	struct gwalk w;
	int top;

	*gva = 0;
	if (env->pg.mode == MODE_OFF || rnd(env, 2))
		return env->slots[rnd(env, env->nr_slots)];
	*gva = random_gva(env);
	gwalk(env, &env->pg, *gva, &w);
	top = top_level(env->pg.mode);
	s.level = w.level + rnd(env, top - w.level + 1);
	s.gpa = w.egpa[s.level];
	s.mode = env->pg.mode;
	if (!in_ram(s.gpa))
		return env->slots[rnd(env, env->nr_slots)];
	return s;
}

static void op_store(struct env *env)
{
	bool unsync = env->mmu->allow_unsync;
	unsigned int size, r;
	struct slot slot;
	const struct slot *s = &slot;
	u64 gpa, v, gva;

	slot = pick_slot(env, &gva);
	size = esize(s->mode);
	r = rnd(env, 16);
	gpa = s->gpa;
	v = mutate(env, s, gread(env, gpa, size));

	if (size == 4 && r == 0) {
		/* One 8-byte store over two 32-bit entries. */
		gpa &= ~7ULL;
		v = gread(env, gpa, 8);
		v = s->gpa == gpa ? (v & ~0xffffffffULL) |
				    (u32)mutate(env, s, (u32)v) :
				    (v & 0xffffffffULL) |
				    (u64)(u32)mutate(env, s, v >> 32) << 32;
		size = 8;
	} else if (size == 8 && r < 2) {
		/* Half an entry: the high half holds XD. */
		if (r) {
			gpa += 4;
			v >>= 32;
		}
		v = (u32)v;
		size = 4;
	}
	step(env, "store %s level %u: %#llx = %#llx (%u bytes)",
	     mode_name[s->mode], s->level, gpa, v, size);
	if (!unsync) {
		gstore(env, gpa, size, v);
		return;
	}
	table_store(env, gpa, size, v);
	/* Mostly, the guest then invalidates the address it remapped. */
	if (gva && rnd(env, 4))
		invlpg(env, gva);
}

static void op_unprotect(struct env *env)
{
	unsigned int m = 1 + rnd(env, 3);
	u64 gpa;

	if (!env->nr_tables[m])
		return;
	gpa = env->tables[m][rnd(env, env->nr_tables[m])];
	step(env, "unprotect %#llx", gpa);
	shadowvmm_mmu_unprotect(env->mmu, gpa >> PAGE_SHIFT);
}

static void random_ops(struct kunit *test)
{
	const struct random_params *p = test->param_value;
	struct env *env = test->priv;
	unsigned int i, n, m, loads, per_mode[4] = {};
	u64 start = ktime_get_ns();
	u32 r;

	prandom_seed_state(&env->rnd, p->seed);
	env_start(env, p->cap);
	env->mmu->allow_unsync = p->unsync;
	build_as(env, MODE_OFF, 0, gvas_off, ARRAY_SIZE(gvas_off));
	for (i = 0; i < 2; i++)
		build_as(env, MODE_32, i, gvas_32, ARRAY_SIZE(gvas_32));
	for (i = 0; i < 2; i++)
		build_as(env, MODE_PAE, i, gvas_pae, ARRAY_SIZE(gvas_pae));
	for (i = 0; i < 3; i++)
		build_as(env, MODE_4L, i, gvas_4l, ARRAY_SIZE(gvas_4l));
	fill_tables(env, MODE_32, gvas_32, ARRAY_SIZE(gvas_32));
	fill_tables(env, MODE_PAE, gvas_pae, ARRAY_SIZE(gvas_pae));
	fill_tables(env, MODE_4L, gvas_4l, ARRAY_SIZE(gvas_4l));

	env->logging = p->unsync;
	for (i = 0; i < p->steps && env->reports == 0; i++) {
		loads = env->nr_loads;
		prepare(env);
		/* No step logs more than two stores or two INVLPGs. */
		if (env->nr_log > MAX_LOG - 2 || env->nr_inv > MAX_INVLPG - 2) {
			step(env, "reload CR3: %u stores, %u INVLPGs logged",
			     env->nr_log, env->nr_inv);
			load(env, &env->pg);
		}
		r = rnd(env, 100);
		if (r < 38) {
			u64 gva = random_gva(env);

			op_fault(env, gva, random_access(env, gva));
		} else if (r < 74) {
			op_store(env);
		} else if (r < 86) {
			n = rnd(env, env->nr_as);
			switch_as(env, n, !rnd(env, 5));
		} else if (r < 91) {
			op_unprotect(env);
		} else if (r < 98) {
			u64 gva = random_gva(env);

			step(env, "hardware uses %#llx", gva);
			hw_use(env, gva, rnd(env, 2));
		} else {
			invlpg(env, random_gva(env));
		}
		per_mode[env->pg.mode]++;
		/* Unsync on, a load must leave every entry exact: check. */
		if ((i % p->check_every == 0 || i == p->steps - 1 ||
		     (p->unsync && env->nr_loads != loads)) && !check(env))
			kunit_err(test, "seed %u failed at step %u\n", p->seed, i);
	}

	kunit_info(test, "%llu ms; steps per mode %u/%u/%u/%u, leaves checked %u, fixed %llu, injected %llu, pte writes %llu, zapped %llu, flooded %llu, recycled %llu, root hits %llu misses %llu; unsync %llu, native stores %u, stale leaves %u, exact after invlpg %u, faults let through %u\n",
		   (ktime_get_ns() - start) / NSEC_PER_MSEC,
		   per_mode[0], per_mode[1], per_mode[2], per_mode[3],
		   env->leaves_checked, counter(env, SHADOWVMM_STAT_PF_FIXED),
		   counter(env, SHADOWVMM_STAT_PF_GUEST),
		   counter(env, SHADOWVMM_STAT_MMU_PTE_WRITE),
		   counter(env, SHADOWVMM_STAT_MMU_SHADOW_ZAPPED),
		   counter(env, SHADOWVMM_STAT_MMU_FLOODED),
		   counter(env, SHADOWVMM_STAT_MMU_RECYCLED),
		   counter(env, SHADOWVMM_STAT_ROOT_CACHE_HIT),
		   counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS),
		   counter(env, SHADOWVMM_STAT_MMU_UNSYNC), env->native_stores,
		   env->stale_leaves, env->exact_invlpg, env->let_through);
	/* The run must have exercised what it claims to. */
	for (m = 0; m < 4; m++)
		KUNIT_EXPECT_GT_MSG(test, per_mode[m], p->steps / 20,
				    "too few steps in %s", mode_name[m]);
	KUNIT_EXPECT_GT(test, env->leaves_checked, 1000U);
	if (trap_spte)
		KUNIT_EXPECT_GT(test, env->let_through, 1000U);
	KUNIT_EXPECT_GT(test, counter(env, SHADOWVMM_STAT_PF_FIXED), 100ULL);
	KUNIT_EXPECT_GT(test, counter(env, SHADOWVMM_STAT_MMU_PTE_WRITE), 100ULL);
	KUNIT_EXPECT_GT(test, counter(env, SHADOWVMM_STAT_MMU_SHADOW_ZAPPED), 0ULL);
	KUNIT_EXPECT_GT(test, counter(env, SHADOWVMM_STAT_ROOT_CACHE_HIT), 0ULL);
	if (p->cap <= 16)
		KUNIT_EXPECT_GT(test, counter(env, SHADOWVMM_STAT_MMU_RECYCLED),
				0ULL);
	if (!p->unsync)
		return;
	KUNIT_EXPECT_GT(test, counter(env, SHADOWVMM_STAT_MMU_UNSYNC), 100ULL);
	KUNIT_EXPECT_GT(test, env->native_stores, 300U);
	KUNIT_EXPECT_GT(test, env->stale_leaves, 20U);
	KUNIT_EXPECT_GT(test, env->exact_invlpg, 100U);
}

/* --- directed cases ------------------------------------------------------- */

static struct shadowvmm_paging paging_of(struct env *env, unsigned int n)
{
	const struct aspace *as = &env->as[n];
	struct shadowvmm_paging pg = {
		.mode = as->mode, .cr3 = as->cr3, .wp = true,
		.nxe = as->mode != MODE_32, .pse = true,
		.maxphyaddr = MAXPHYADDR, .gbpages = true,
	};
	unsigned int i;

	if (as->mode == MODE_PAE)
		for (i = 0; i < 4; i++)
			pg.pdpte[i] = gread(env, as->cr3 + i * 8, 8);
	return pg;
}

/* A bare address space: just its top table (or PDPT page). */
static unsigned int new_as(struct env *env, enum shadowvmm_paging_mode mode)
{
	struct aspace *as = &env->as[env->nr_as];

	KUNIT_ASSERT_LT(env->test, env->nr_as, (unsigned int)MAX_AS);
	*as = (struct aspace){
		.mode = mode, .cr3 = alloc_table(env, mode, top_level(mode)),
	};
	return env->nr_as++;
}

static u64 data_page(unsigned int i)
{
	return DATA_POOL + i * PAGE_SIZE;
}

#define LEAF	(G_P | G_RW | G_US | G_A | G_D)

/* 2. Recent address spaces come back from the root cache as they were. */
static void root_cache(struct kunit *test)
{
	struct env *env = test->priv;
	unsigned int as[SHADOWVMM_ROOT_CACHE + 1], mru[SHADOWVMM_ROOT_CACHE];
	static const unsigned int order[] = { 2, 0, 3, 1, 1, 2, 0 };
	struct shadowvmm_paging pg;
	u64 hits, misses, allocs;
	unsigned int i, j, k;

	env_start(env, 64);
	for (i = 0; i <= SHADOWVMM_ROOT_CACHE; i++) {
		as[i] = new_as(env, MODE_4L);
		map_gva(env, MODE_4L, env->as[as[i]].cr3, 0x1000, 1,
			LEAF | data_page(i));
	}
	for (i = 0; i < SHADOWVMM_ROOT_CACHE; i++) {
		step(env, "first load of address space %u", i);
		pg = paging_of(env, as[i]);
		load(env, &pg);
		KUNIT_EXPECT_EQ(test, fault(env, 0x1000, 0), SHADOWVMM_PF_FIXED);
		mru[SHADOWVMM_ROOT_CACHE - 1 - i] = i;
	}
	hits = counter(env, SHADOWVMM_STAT_ROOT_CACHE_HIT);
	misses = counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS);
	allocs = counter(env, SHADOWVMM_STAT_MMU_CACHE_MISS);

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		step(env, "switch %u to address space %u", i, order[i]);
		pg = paging_of(env, as[order[i]]);
		load(env, &pg);
		for (j = 0; mru[j] != order[i]; j++)
			;
		memmove(&mru[1], &mru[0], j * sizeof(mru[0]));
		mru[0] = order[i];
		for (k = 0; k < SHADOWVMM_ROOT_CACHE; k++)
			KUNIT_EXPECT_EQ_MSG(test, env->mmu->roots[k].cr3,
					    env->as[as[mru[k]]].cr3,
					    "%s: roots[%u]", env->where, k);
		/* The translation is still there: nothing to rebuild. */
		KUNIT_EXPECT_EQ_MSG(test, fault(env, 0x1000, 0),
				    SHADOWVMM_PF_SPURIOUS, "%s", env->where);
		check(env);
	}
	KUNIT_EXPECT_EQ(test, counter(env, SHADOWVMM_STAT_ROOT_CACHE_HIT),
			hits + ARRAY_SIZE(order));
	KUNIT_EXPECT_EQ(test, counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS), misses);
	KUNIT_EXPECT_EQ(test, counter(env, SHADOWVMM_STAT_MMU_CACHE_MISS), allocs);

	/* A fifth address space evicts the least recently used. */
	step(env, "load a fifth address space");
	pg = paging_of(env, as[SHADOWVMM_ROOT_CACHE]);
	load(env, &pg);
	KUNIT_EXPECT_EQ(test, counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS),
			misses + 1);
	for (k = 0; k < SHADOWVMM_ROOT_CACHE; k++)
		KUNIT_EXPECT_NE_MSG(test, env->mmu->roots[k].cr3,
				    env->as[as[mru[SHADOWVMM_ROOT_CACHE - 1]]].cr3,
				    "the LRU address space is still in roots[%u]",
				    k);
	KUNIT_EXPECT_EQ(test, env->mmu->roots[0].cr3,
			env->as[as[SHADOWVMM_ROOT_CACHE]].cr3);
	for (k = 1; k < SHADOWVMM_ROOT_CACHE; k++)
		KUNIT_EXPECT_EQ(test, env->mmu->roots[k].cr3,
				env->as[as[mru[k - 1]]].cr3);
	check(env);

	/* Coming back costs a root, but its shadow pages are still cached. */
	allocs = counter(env, SHADOWVMM_STAT_MMU_CACHE_MISS);
	step(env, "reload the evicted address space");
	pg = paging_of(env, as[mru[SHADOWVMM_ROOT_CACHE - 1]]);
	load(env, &pg);
	KUNIT_EXPECT_EQ(test, counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS),
			misses + 2);
	KUNIT_EXPECT_EQ(test, fault(env, 0x1000, 0), SHADOWVMM_PF_SPURIOUS);
	KUNIT_EXPECT_EQ(test, counter(env, SHADOWVMM_STAT_MMU_CACHE_MISS), allocs);
	check(env);
}

/* 2b. Under PAE the PDPTEs latched at the load are part of the key. */
static void root_cache_pae_pdptes(struct kunit *test)
{
	struct env *env = test->priv;
	struct shadowvmm_paging pg;
	unsigned int as;
	u64 pd, misses;

	env_start(env, 64);
	as = new_as(env, MODE_PAE);
	map_gva(env, MODE_PAE, env->as[as].cr3, 0x1000, 1, LEAF | data_page(0));
	pd = gread(env, env->as[as].cr3, 8);

	step(env, "load PAE with PDPTE 0 present");
	pg = paging_of(env, as);
	load(env, &pg);
	KUNIT_EXPECT_EQ(test, fault(env, 0x1000, 0), SHADOWVMM_PF_FIXED);
	misses = counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS);

	/* Same CR3, PDPTE 0 cleared in memory, then reloaded. */
	step(env, "reload PAE with PDPTE 0 cleared");
	gstore(env, env->as[as].cr3, 8, 0);
	pg = paging_of(env, as);
	load(env, &pg);
	KUNIT_EXPECT_EQ(test, counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS),
			misses + 1);
	KUNIT_EXPECT_EQ(test, fault(env, 0x1000, 0), SHADOWVMM_PF_INJECT);
	check(env);

	step(env, "reload PAE with PDPTE 0 back");
	gstore(env, env->as[as].cr3, 8, pd);
	pg = paging_of(env, as);
	load(env, &pg);
	KUNIT_EXPECT_EQ(test, counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS),
			misses + 1);
	KUNIT_EXPECT_EQ(test, fault(env, 0x1000, 0), SHADOWVMM_PF_SPURIOUS);
	check(env);
}

/*
 * 2c. CR4.SMEP and SMAP change shadow entries only under CR0.WP=0, so the
 * role keys on them only there (KVM's smep_andnot_wp): with WP=1 a guest
 * that turns them on keeps its root and every shadow page; with WP=0 they
 * still get pages of their own.
 */
static void role_smep_smap_andnot_wp(struct kunit *test)
{
	static const enum shadowvmm_paging_mode modes[] = {
		MODE_32, MODE_PAE, MODE_4L,
	};
	struct env *env = test->priv;
	u64 misses, pages, nr_sps;
	struct shadowvmm_paging pg;
	unsigned int m, as;

	env_start(env, 64);
	/* User reads: SMAP would refuse the supervisor's. */
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		as = new_as(env, modes[m]);
		map_gva(env, modes[m], env->as[as].cr3, 0x1000, 1,
			LEAF | data_page(m));
		step(env, "%s WP=1, SMEP and SMAP off", mode_name[modes[m]]);
		pg = paging_of(env, as);
		load(env, &pg);
		KUNIT_EXPECT_EQ(test, fault(env, 0x1000, A_U), SHADOWVMM_PF_FIXED);
		check(env);
		misses = counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS);
		pages = counter(env, SHADOWVMM_STAT_MMU_CACHE_MISS);
		nr_sps = env->mmu->nr_sps;

		step(env, "%s WP=1, SMEP and SMAP on", mode_name[modes[m]]);
		pg.smep = true;
		pg.smap = true;
		load(env, &pg);
		KUNIT_EXPECT_EQ_MSG(test, fault(env, 0x1000, A_U),
				    SHADOWVMM_PF_SPURIOUS, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test,
				    counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS),
				    misses, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test,
				    counter(env, SHADOWVMM_STAT_MMU_CACHE_MISS),
				    pages, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, (u64)env->mmu->nr_sps, nr_sps, "%s",
				    env->where);
		check(env);

		step(env, "%s WP=0, SMEP and SMAP off", mode_name[modes[m]]);
		pg.wp = false;
		pg.smep = false;
		pg.smap = false;
		load(env, &pg);
		KUNIT_EXPECT_EQ_MSG(test, fault(env, 0x1000, A_U),
				    SHADOWVMM_PF_FIXED, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test,
				    counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS),
				    misses + 1, "%s", env->where);
		KUNIT_EXPECT_GT_MSG(test,
				    counter(env, SHADOWVMM_STAT_MMU_CACHE_MISS),
				    pages, "%s", env->where);
		check(env);
		pages = counter(env, SHADOWVMM_STAT_MMU_CACHE_MISS);

		step(env, "%s WP=0, SMEP on", mode_name[modes[m]]);
		pg.smep = true;
		load(env, &pg);
		KUNIT_EXPECT_EQ_MSG(test, fault(env, 0x1000, A_U),
				    SHADOWVMM_PF_FIXED, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test,
				    counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS),
				    misses + 2, "%s", env->where);
		KUNIT_EXPECT_GT_MSG(test,
				    counter(env, SHADOWVMM_STAT_MMU_CACHE_MISS),
				    pages, "%s", env->where);
		check(env);
		pages = counter(env, SHADOWVMM_STAT_MMU_CACHE_MISS);

		step(env, "%s WP=0, SMEP and SMAP on", mode_name[modes[m]]);
		pg.smap = true;
		load(env, &pg);
		KUNIT_EXPECT_EQ_MSG(test,
				    counter(env, SHADOWVMM_STAT_ROOT_CACHE_MISS),
				    misses + 3, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, fault(env, 0x1000, A_U),
				    SHADOWVMM_PF_FIXED, "%s", env->where);
		KUNIT_EXPECT_GT_MSG(test,
				    counter(env, SHADOWVMM_STAT_MMU_CACHE_MISS),
				    pages, "%s", env->where);
		check(env);
	}
}

/* 3. A table written over and over while unused stops being shadowed. */
static void flooding(struct kunit *test)
{
	struct env *env = test->priv;
	struct shadowvmm_paging pg;
	u64 pte, pt, pml4, flooded, *sptep;
	unsigned int as, i;

	env_start(env, 64);
	as = new_as(env, MODE_4L);
	pml4 = env->as[as].cr3;
	pte = map_gva(env, MODE_4L, pml4, 0x1000, 1, LEAF | data_page(0));
	pt = pte & PAGE_MASK;
	for (i = 2; i < 12; i++)
		map_gva(env, MODE_4L, pml4, i * PAGE_SIZE, 1, LEAF | data_page(i));
	pg = paging_of(env, as);
	load(env, &pg);

	/* Entries the guest keeps using: the hardware sets A between stores. */
	step(env, "stores to a used entry of the PT at %#llx", pt);
	KUNIT_EXPECT_EQ(test, fault(env, 0x1000, 0), SHADOWVMM_PF_FIXED);
	flooded = counter(env, SHADOWVMM_STAT_MMU_FLOODED);
	for (i = 0; i < 10; i++) {
		hw_use(env, 0x1000, false);
		gstore(env, pte, 8, LEAF | data_page(i & 1));
		KUNIT_EXPECT_TRUE_MSG(test, env->mmu->frames[pt >> PAGE_SHIFT].shadowed,
				      "used PT unshadowed after %u stores", i + 1);
	}
	KUNIT_EXPECT_EQ(test, counter(env, SHADOWVMM_STAT_MMU_FLOODED), flooded);
	check(env);

	/* Unused entries, but faults through the table in between. */
	step(env, "stores to unused entries, faults between");
	for (i = 0; i < 10; i++) {
		enum shadowvmm_pf_result result;

		gstore(env, pt + (100 + i) * 8, 8, LEAF | data_page(2));
		/* Spurious where an earlier fault mapped it ahead. */
		result = fault(env, (i + 2) * PAGE_SIZE, 0);
		KUNIT_EXPECT_TRUE(test, result == SHADOWVMM_PF_FIXED ||
				  result == SHADOWVMM_PF_SPURIOUS);
	}
	KUNIT_EXPECT_EQ(test, counter(env, SHADOWVMM_STAT_MMU_FLOODED), flooded);
	KUNIT_EXPECT_TRUE(test, env->mmu->frames[pt >> PAGE_SHIFT].shadowed);
	check(env);

	/* Unused entries, nothing in between: the table goes. */
	step(env, "stores to unused entries of the PT at %#llx", pt);
	for (i = 0; i < 10 && env->mmu->frames[pt >> PAGE_SHIFT].shadowed; i++)
		gstore(env, pt + (300 + i) * 8, 8, LEAF | data_page(3));
	KUNIT_EXPECT_GT(test, i, 1U);
	KUNIT_EXPECT_EQ(test, env->mmu->frames[pt >> PAGE_SHIFT].shadowed, 0U);
	KUNIT_EXPECT_EQ(test, counter(env, SHADOWVMM_STAT_MMU_FLOODED), flooded + 1);
	sptep = shadow_leaf(env, 0x1000);
	KUNIT_EXPECT_TRUE(test, !sptep || !s_present(*sptep));
	check(env);
	/* Further stores run natively; the next use shadows it again. */
	KUNIT_EXPECT_EQ(test, fault(env, 0x1000, 0), SHADOWVMM_PF_FIXED);
	KUNIT_EXPECT_TRUE(test, env->mmu->frames[pt >> PAGE_SHIFT].shadowed);

	/* The loaded root is never flooded away. */
	step(env, "stores to unused entries of the PML4 at %#llx", pml4);
	for (i = 0; i < 10; i++)
		gstore(env, pml4 + (10 + i) * 8, 8, 0);
	KUNIT_EXPECT_TRUE(test, env->mmu->frames[pml4 >> PAGE_SHIFT].shadowed);
	KUNIT_EXPECT_FALSE(test, env->mmu->reload);
	KUNIT_EXPECT_EQ(test, counter(env, SHADOWVMM_STAT_MMU_FLOODED), flooded + 1);
	check(env);
}

/* 4. Past the cap the oldest pages are recycled, never the loaded root. */
static void cap_recycles_oldest(struct kunit *test)
{
	struct env *env = test->priv;
	enum { NR_PTS = 40 };
	struct shadowvmm_sp *root, *sp;
	u64 pts[NR_PTS], pte;
	struct shadowvmm_paging pg;
	bool alive[NR_PTS];
	unsigned int as, i, j;

	env_start(env, 16);
	as = new_as(env, MODE_4L);
	for (i = 0; i < NR_PTS; i++) {
		pte = map_gva(env, MODE_4L, env->as[as].cr3, i * SZ_2M, 1,
			      LEAF | data_page(i));
		pts[i] = pte >> PAGE_SHIFT;
	}
	pg = paging_of(env, as);
	load(env, &pg);
	root = env->mmu->roots[0].sp;

	for (i = 0; i < NR_PTS; i++) {
		step(env, "fault through PT %u", i);
		KUNIT_EXPECT_EQ_MSG(test, fault(env, i * SZ_2M, 0),
				    SHADOWVMM_PF_FIXED, "%s", env->where);
		KUNIT_EXPECT_LE_MSG(test, env->mmu->nr_sps, 16U, "%s",
				    env->where);
		KUNIT_EXPECT_PTR_EQ_MSG(test, env->mmu->roots[0].sp, root, "%s",
					env->where);
		KUNIT_EXPECT_FALSE_MSG(test, root->role.invalid, "%s",
				       env->where);
		KUNIT_EXPECT_FALSE_MSG(test, env->mmu->reload, "%s", env->where);
		check(env);
	}
	KUNIT_EXPECT_GT(test, counter(env, SHADOWVMM_STAT_MMU_RECYCLED), 0ULL);

	/* What survives is the most recently built: a run up to the last. */
	for (i = 0; i < NR_PTS; i++) {
		alive[i] = false;
		list_for_each_entry(sp, &env->mmu->sps, link)
			if (sp->role.level == 1 && sp->gfn == pts[i])
				alive[i] = true;
	}
	KUNIT_EXPECT_TRUE(test, alive[NR_PTS - 1]);
	KUNIT_EXPECT_FALSE(test, alive[0]);
	for (i = 0; i < NR_PTS; i++)
		for (j = i + 1; alive[i] && j < NR_PTS; j++)
			KUNIT_EXPECT_TRUE_MSG(test, alive[j],
					      "PT %u survived, the newer PT %u did not",
					      i, j);
}

/* 5. A store of a usable PTE to a shadowed table maps it at once. */
static void pte_store_in_place(struct kunit *test)
{
	static const enum shadowvmm_paging_mode modes[] = {
		MODE_32, MODE_PAE, MODE_4L,
	};
	struct env *env = test->priv;
	unsigned int m, as, size;
	struct shadowvmm_paging pg;
	u64 a = 0x1000, b = 0x5000, pte_a, pte_b, *sptep;

	env_start(env, 64);
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		as = new_as(env, modes[m]);
		size = esize(modes[m]);
		pte_a = map_gva(env, modes[m], env->as[as].cr3, a, 1,
				LEAF | data_page(0));
		pte_b = pte_a + (b - a) / PAGE_SIZE * size;
		pg = paging_of(env, as);
		load(env, &pg);
		step(env, "%s: fault at %#llx", mode_name[modes[m]], a);
		KUNIT_EXPECT_EQ(test, fault(env, a, 0), SHADOWVMM_PF_FIXED);

		step(env, "%s: store a dirty PTE for %#llx", mode_name[modes[m]], b);
		gstore(env, pte_b, size, LEAF | data_page(1));
		sptep = shadow_leaf(env, b);
		KUNIT_ASSERT_NOT_NULL_MSG(test, sptep, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, pfn_of(*sptep),
				    shadowvmm_gmem_pfn(&env->gmem, data_page(1)),
				    "%s", env->where);
		KUNIT_EXPECT_TRUE_MSG(test, hw_allows(env, b, A_W | A_U),
				      "%s: leaf %#llx", env->where, *sptep);
		KUNIT_EXPECT_EQ_MSG(test, fault(env, b, A_W | A_U),
				    SHADOWVMM_PF_SPURIOUS, "%s", env->where);
		/* The guest uses it: or else the stores below flood the table. */
		hw_use(env, b, false);
		check(env);

		step(env, "%s: store a clean PTE for %#llx", mode_name[modes[m]], b);
		gstore(env, pte_b, size, (LEAF & ~G_D) | data_page(2));
		KUNIT_EXPECT_TRUE_MSG(test, hw_allows(env, b, A_U), "%s",
				      env->where);
		KUNIT_EXPECT_FALSE_MSG(test, hw_allows(env, b, A_W), "%s",
				       env->where);
		hw_use(env, b, false);
		check(env);

		if (modes[m] != MODE_32) {
			step(env, "%s: set XD with a 4-byte store", mode_name[modes[m]]);
			gstore(env, pte_b + 4, 4, G_XD >> 32);
			KUNIT_EXPECT_TRUE_MSG(test, hw_allows(env, b, 0), "%s",
					      env->where);
			KUNIT_EXPECT_FALSE_MSG(test, hw_allows(env, b, A_F), "%s",
					       env->where);
			hw_use(env, b, false);
			check(env);
		}

		/* Bits 62:52 are reserved under PAE, ignored in 4-level. */
		step(env, "%s: store a PTE with bit 52 set", mode_name[modes[m]]);
		gstore(env, pte_b, size, LEAF | data_page(1) |
		       (modes[m] == MODE_32 ? 0 : BIT_ULL(52)));
		KUNIT_EXPECT_EQ_MSG(test, hw_allows(env, b, 0),
				    modes[m] != MODE_PAE, "%s", env->where);
		hw_use(env, b, false);
		check(env);

		step(env, "%s: store a PTE with A clear", mode_name[modes[m]]);
		gstore(env, pte_b, size, (LEAF & ~G_A) | data_page(1));
		KUNIT_EXPECT_FALSE_MSG(test, hw_allows(env, b, 0), "%s",
				       env->where);
		check(env);

		step(env, "%s: store then clear P", mode_name[modes[m]]);
		gstore(env, pte_b, size, LEAF | data_page(1));
		KUNIT_EXPECT_TRUE_MSG(test, hw_allows(env, b, 0), "%s",
				      env->where);
		hw_use(env, b, false);
		gstore(env, pte_b, size, (LEAF & ~G_P) | data_page(1));
		KUNIT_EXPECT_FALSE_MSG(test, hw_allows(env, b, 0), "%s",
				       env->where);
		KUNIT_EXPECT_EQ_MSG(test, fault(env, b, 0), SHADOWVMM_PF_INJECT,
				    "%s", env->where);
		check(env);
	}

	/*
	 * The last address space is four-level: store to its table while
	 * the 32-bit one is loaded. Its cached root reads the entry its own
	 * way, XD included.
	 */
	gstore(env, pte_b, 8, LEAF | data_page(1));
	hw_use(env, b, false);
	pg = paging_of(env, 0);
	load(env, &pg);
	step(env, "store an XD PTE to a 4-level table, 32-bit loaded");
	gstore(env, pte_b, 8, LEAF | G_XD | data_page(1));
	check(env);
	pg = paging_of(env, as);
	load(env, &pg);
	KUNIT_EXPECT_FALSE_MSG(test, hw_allows(env, b, A_F), "%s", env->where);
}

/*
 * 6. A large page's D bit: once the guest cleans it again, no write may
 * get through without faulting, whichever 4 KiB part it goes to. With
 * CR0.WP=0 the same holds for a read-only large page the kernel wrote.
 */
static void large_page_dirty_bit(struct kunit *test)
{
	static const enum shadowvmm_paging_mode modes[] = {
		MODE_32, MODE_PAE, MODE_4L,
	};
	struct env *env = test->priv;
	unsigned int m, as, size, wp;
	struct shadowvmm_paging pg;
	u64 big = SZ_4M, pde, clean;

	env_start(env, 64);
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		for (wp = 0; wp < 2; wp++) {
			as = new_as(env, modes[m]);
			size = esize(modes[m]);
			clean = (LEAF & ~G_D) | G_PS | SZ_4M;
			if (!wp)
				clean &= ~G_RW;
			pde = map_gva(env, modes[m], env->as[as].cr3, big, 2,
				      clean);
			pg = paging_of(env, as);
			pg.wp = wp;
			load(env, &pg);

			step(env, "%s wp %u: read, then write %#llx",
			     mode_name[modes[m]], wp, big + PAGE_SIZE);
			KUNIT_EXPECT_EQ(test, fault(env, big + PAGE_SIZE, 0),
					SHADOWVMM_PF_FIXED);
			KUNIT_EXPECT_EQ(test, fault(env, big + PAGE_SIZE, A_W),
					SHADOWVMM_PF_FIXED);
			KUNIT_EXPECT_TRUE(test, gread(env, pde, size) & G_D);
			check(env);

			step(env, "%s wp %u: the guest cleans the page, reads %#llx",
			     mode_name[modes[m]], wp, big + 2 * PAGE_SIZE);
			gstore(env, pde, size, clean);
			KUNIT_EXPECT_EQ(test, fault(env, big + 2 * PAGE_SIZE, 0),
					SHADOWVMM_PF_FIXED);
			KUNIT_EXPECT_FALSE_MSG(test,
					       hw_allows(env, big + PAGE_SIZE, A_W),
					       "%s: a write to the clean page goes through",
					       env->where);
			check(env);
		}
	}
}

static int shadow_init(struct kunit *test)
{
	struct env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);

	if (!env)
		return -ENOMEM;
	env->test = test;
	test->priv = env;
	return shadowvmm_gmem_init(&env->gmem, RAM_SIZE);
}

static void shadow_exit(struct kunit *test)
{
	struct env *env = test->priv;

	if (env->mmu_ready)
		shadowvmm_mmu_destroy(env->mmu);
	shadowvmm_gmem_free(&env->gmem);
}

/*
 * A new address space of @mode that maps @a to data page 0 and, at
 * @window, the page table mapping @a (the guest's own view of it), loaded
 * into @pg. Return: where @a's PTE is.
 */
static u64 load_with_window(struct env *env, enum shadowvmm_paging_mode mode,
			    u64 a, u64 window, struct shadowvmm_paging *pg)
{
	unsigned int as = new_as(env, mode);
	u64 pte = map_gva(env, mode, env->as[as].cr3, a, 1,
			  LEAF | data_page(0));

	map_gva(env, mode, env->as[as].cr3, window, 1, LEAF | (pte & PAGE_MASK));
	*pg = paging_of(env, as);
	load(env, pg);
	return pte;
}

/*
 * Out of sync: the guest's stores to a leaf table stop exiting after the
 * first, and the shadow keeps the old translation, as a TLB would, until
 * INVLPG updates that one entry or a CR3 load all of them, protecting the
 * table again.
 */
static void unsync_leaf_tables(struct kunit *test)
{
	static const enum shadowvmm_paging_mode modes[] = {
		MODE_32, MODE_PAE, MODE_4L,
	};
	struct env *env = test->priv;
	u64 a = 0x1000, b = 0x2000, window = 0x3000, pte_a, pte_b, *sptep;
	struct shadowvmm_paging pg;
	unsigned int m, size;
	u64 unsync;

	env_start(env, 64);
	env->mmu->allow_unsync = true;
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		size = esize(modes[m]);
		pte_a = load_with_window(env, modes[m], a, window, &pg);
		pte_b = pte_a + (b - a) / PAGE_SIZE * size;
		gwrite(env, pte_b, size, LEAF | data_page(1));
		step(env, "%s: map a and b", mode_name[modes[m]]);
		KUNIT_EXPECT_EQ(test, fault(env, a, 0), SHADOWVMM_PF_FIXED);
		KUNIT_EXPECT_EQ(test, fault(env, b, 0), SHADOWVMM_PF_FIXED);

		/* To a present entry: one to an empty one fills in place. */
		step(env, "%s: first store to the table", mode_name[modes[m]]);
		unsync = env->stats.counter[SHADOWVMM_STAT_MMU_UNSYNC];
		KUNIT_EXPECT_EQ_MSG(test,
				    fault(env, window + offset_in_page(pte_a), A_W),
				    SHADOWVMM_PF_FIXED, "%s", env->where);
		KUNIT_EXPECT_GT_MSG(test,
				    env->stats.counter[SHADOWVMM_STAT_MMU_UNSYNC],
				    unsync, "%s", env->where);
		KUNIT_EXPECT_TRUE_MSG(test, hw_allows(env, window, A_W), "%s",
				      env->where);

		step(env, "%s: stores that do not exit", mode_name[modes[m]]);
		gwrite(env, pte_b, size, LEAF | data_page(2));
		gwrite(env, pte_a, size, LEAF | data_page(3));
		sptep = shadow_leaf(env, b);
		KUNIT_ASSERT_NOT_NULL_MSG(test, sptep, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, pfn_of(*sptep),
				    shadowvmm_gmem_pfn(&env->gmem, data_page(1)),
				    "%s: stale until INVLPG", env->where);

		step(env, "%s: INVLPG b", mode_name[modes[m]]);
		shadowvmm_mmu_invlpg(env->mmu, b);
		sptep = shadow_leaf(env, b);
		KUNIT_ASSERT_NOT_NULL_MSG(test, sptep, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, pfn_of(*sptep),
				    shadowvmm_gmem_pfn(&env->gmem, data_page(2)),
				    "%s", env->where);
		sptep = shadow_leaf(env, a);
		KUNIT_ASSERT_NOT_NULL_MSG(test, sptep, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, pfn_of(*sptep),
				    shadowvmm_gmem_pfn(&env->gmem, data_page(0)),
				    "%s: a is not INVLPG'd yet", env->where);

		step(env, "%s: CR3 load", mode_name[modes[m]]);
		load(env, &pg);
		sptep = shadow_leaf(env, a);
		KUNIT_ASSERT_NOT_NULL_MSG(test, sptep, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, pfn_of(*sptep),
				    shadowvmm_gmem_pfn(&env->gmem, data_page(3)),
				    "%s", env->where);
		KUNIT_EXPECT_FALSE_MSG(test, hw_allows(env, window, A_W),
				       "%s: protected again", env->where);
		KUNIT_EXPECT_TRUE(test, list_empty(&env->mmu->unsync_sps));
		check(env);
	}
}

/*
 * A table out of sync that the guest links at new addresses, itself or
 * under a directory it links, shows nothing stale there: no TLB can hold
 * a translation the guest's tables never gave those addresses.
 */
static void unsync_table_at_new_address(struct kunit *test)
{
	static const struct {
		enum shadowvmm_paging_mode mode;
		int level;		/* of the entry the guest copies */
		u64 next;		/* the address that entry maps next */
	} rounds[] = {
		{ MODE_32, 2, SZ_4M }, { MODE_PAE, 2, SZ_2M },
		{ MODE_4L, 2, SZ_2M }, { MODE_4L, 3, SZ_1G },
	};
	struct env *env = test->priv;
	u64 a = 0x1000, b = 0x2000, window = 0x3000, pte_b, upper, *sptep;
	enum shadowvmm_pf_result result;
	enum shadowvmm_paging_mode mode;
	struct shadowvmm_paging pg;
	unsigned int r, as, size;
	struct gwalk w;

	env_start(env, 64);
	env->mmu->allow_unsync = true;
	for (r = 0; r < ARRAY_SIZE(rounds); r++) {
		mode = rounds[r].mode;
		as = new_as(env, mode);
		size = esize(mode);
		map_gva(env, mode, env->as[as].cr3, a, 1, LEAF | data_page(0));
		pte_b = map_gva(env, mode, env->as[as].cr3, b, 1,
				LEAF | data_page(1));
		map_gva(env, mode, env->as[as].cr3, window, 1,
			LEAF | (pte_b & PAGE_MASK));
		pg = paging_of(env, as);
		load(env, &pg);
		env->logging = true;
		step(env, "%s: map a and b, let their table out of sync",
		     mode_name[mode]);
		KUNIT_EXPECT_EQ(test, fault(env, a, 0), SHADOWVMM_PF_FIXED);
		KUNIT_EXPECT_EQ(test, fault(env, b, 0), SHADOWVMM_PF_FIXED);
		KUNIT_EXPECT_EQ(test, fault(env, window + offset_in_page(pte_b), A_W),
				SHADOWVMM_PF_FIXED);
		log_store(env, pte_b);
		gwrite(env, pte_b, size, LEAF | data_page(2));

		step(env, "%s: copy the level %d entry for a to map %#llx",
		     mode_name[mode], rounds[r].level, rounds[r].next);
		gwalk(env, &pg, a, &w);
		upper = w.egpa[rounds[r].level];
		gstore(env, upper + size, size, gread(env, upper, size));
		result = fault(env, rounds[r].next + a, 0);
		KUNIT_EXPECT_TRUE_MSG(test, result == SHADOWVMM_PF_FIXED ||
				      result == SHADOWVMM_PF_SPURIOUS, "%s: %s",
				      env->where, pf_name[result]);
		sptep = shadow_leaf(env, rounds[r].next + b);
		KUNIT_EXPECT_TRUE_MSG(test, !sptep || pfn_of(*sptep) ==
				      shadowvmm_gmem_pfn(&env->gmem, data_page(2)),
				      "%s: %#llx maps what b mapped before",
				      env->where, rounds[r].next + b);
		check(env);
		env->logging = false;
	}
}

/*
 * The guest's own not-present faults pass the VMM by: an empty entry of a
 * table in sync is 0, so the CPU delivers the fault as it stands, and the
 * PTE store the guest's handler makes is emulated and fills the shadow
 * entry, so the access retried takes no exit. A table filled in bulk goes
 * out of sync instead, and then lets no fault through until a CR3 load
 * protects it again. Upper tables trap until a fault shows the guest's
 * entry not present.
 */
static void demand_fault_one_exit(struct kunit *test)
{
	static const enum shadowvmm_paging_mode modes[] = {
		MODE_32, MODE_PAE, MODE_4L,
	};
	struct env *env = test->priv;
	u64 a = 0x1000, window = 0x3000, c = 0x5000, d = 0x6000, e = 0x7000;
	u64 f = 0x8000, pte_a, pte, upper, *sptep;
	struct shadowvmm_paging pg;
	unsigned int m, size;
	u64 unsync;

	env_start(env, 64);
	if (!trap_spte)
		kunit_skip(test, "the host has no reserved address bit");
	env->mmu->allow_unsync = true;
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		size = esize(modes[m]);
		pte_a = load_with_window(env, modes[m], a, window, &pg);
		step(env, "%s: map a", mode_name[modes[m]]);
		KUNIT_EXPECT_EQ(test, fault(env, a, 0), SHADOWVMM_PF_FIXED);
		sptep = shadow_entry(env, c, 1);
		KUNIT_ASSERT_NOT_NULL_MSG(test, sptep, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, *sptep, 0ULL, "%s: c lets faults through",
				    env->where);
		check(env);

		/* A demand fault's handler: one exit, and none for the retry. */
		for (upper = c; upper <= d; upper += PAGE_SIZE) {
			step(env, "%s: fill %#llx", mode_name[modes[m]], upper);
			pte = pte_a + (upper - a) / PAGE_SIZE * size;
			KUNIT_EXPECT_EQ_MSG(test,
					    fault(env, window + offset_in_page(pte), A_W),
					    SHADOWVMM_PF_EMULATE, "%s", env->where);
			gstore(env, pte, size, LEAF | data_page(1));
			KUNIT_EXPECT_TRUE_MSG(test, hw_allows(env, upper, A_W),
					      "%s: the retry exits", env->where);
			if (upper == c)
				hw_use(env, c, true);
			check(env);
		}
		/* c was used, d not: the next fill lets the table go. */
		step(env, "%s: fill e with d unused", mode_name[modes[m]]);
		unsync = env->stats.counter[SHADOWVMM_STAT_MMU_UNSYNC];
		pte = pte_a + (e - a) / PAGE_SIZE * size;
		KUNIT_EXPECT_EQ_MSG(test,
				    fault(env, window + offset_in_page(pte), A_W),
				    SHADOWVMM_PF_FIXED, "%s", env->where);
		KUNIT_EXPECT_GT_MSG(test,
				    env->stats.counter[SHADOWVMM_STAT_MMU_UNSYNC],
				    unsync, "%s", env->where);
		sptep = shadow_entry(env, f, 1);
		KUNIT_ASSERT_NOT_NULL_MSG(test, sptep, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, *sptep, trap_spte,
				    "%s: out of sync, f must trap", env->where);
		check(env);

		step(env, "%s: CR3 load", mode_name[modes[m]]);
		load(env, &pg);
		sptep = shadow_entry(env, f, 1);
		KUNIT_ASSERT_NOT_NULL_MSG(test, sptep, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, *sptep, 0ULL, "%s: in sync again",
				    env->where);
		check(env);

		/* A directory entry not present: trapping until it faults. */
		upper = modes[m] == MODE_32 ? SZ_4M : SZ_2M;
		step(env, "%s: fault under an empty directory entry",
		     mode_name[modes[m]]);
		sptep = shadow_entry(env, upper, 2);
		KUNIT_ASSERT_NOT_NULL_MSG(test, sptep, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, *sptep, trap_spte, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, fault(env, upper, 0),
				    SHADOWVMM_PF_INJECT, "%s", env->where);
		KUNIT_EXPECT_EQ_MSG(test, *sptep, 0ULL, "%s: explained",
				    env->where);
		check(env);
	}
}

/*
 * A fault maps the neighbours of its entry (its aligned group of eight)
 * that are present and accessed, once the table has a mapping: not an
 * entry without A, not one outside the group, not one not present.
 */
static void prefetch_neighbours(struct kunit *test)
{
	struct env *env = test->priv;
	struct shadowvmm_paging pg;
	unsigned int as, i;
	u64 pte;

	env_start(env, 64);
	as = new_as(env, MODE_4L);
	for (i = 1; i <= 9; i++)
		pte = map_gva(env, MODE_4L, env->as[as].cr3, i * PAGE_SIZE, 1,
			      (i == 5 ? LEAF & ~G_A : LEAF) | data_page(i));
	/* Page 6 not present. */
	gwrite(env, (pte & PAGE_MASK) + 6 * 8, 8, 0);
	pg = paging_of(env, as);
	load(env, &pg);

	step(env, "the table's first fault maps one page");
	KUNIT_EXPECT_EQ(test, fault(env, 1 * PAGE_SIZE, 0), SHADOWVMM_PF_FIXED);
	KUNIT_EXPECT_FALSE(test, hw_allows(env, 2 * PAGE_SIZE, 0));
	step(env, "the next maps its used neighbours");
	KUNIT_EXPECT_EQ(test, fault(env, 3 * PAGE_SIZE, 0), SHADOWVMM_PF_FIXED);
	for (i = 1; i <= 9; i++)
		KUNIT_EXPECT_EQ_MSG(test, hw_allows(env, i * PAGE_SIZE, 0),
				    i != 5 && i != 6 && i < 8, "page %u", i);
	check(env);
}

/*
 * Pages zapped are kept for the next ones made, which take them before
 * the stock, and never more than the cap allows, alive and kept
 * together: a process's tables go at its exit and come back at the next
 * fork without an allocation or a free.
 */
static void zapped_pages_reused(struct kunit *test)
{
	struct env *env = test->priv;
	enum { NR_PTS = 8 };
	struct shadowvmm_mmu *mmu;
	struct shadowvmm_paging pg;
	unsigned int as, i, spare;
	u64 pts[NR_PTS];

	env_start(env, 64);
	mmu = env->mmu;
	as = new_as(env, MODE_4L);
	for (i = 0; i < NR_PTS; i++)
		pts[i] = map_gva(env, MODE_4L, env->as[as].cr3, i * SZ_2M, 1,
				 LEAF | data_page(i)) >> PAGE_SHIFT;
	pg = paging_of(env, as);
	load(env, &pg);
	for (i = 0; i < NR_PTS; i++)
		KUNIT_EXPECT_EQ(test, fault(env, i * SZ_2M, 0), SHADOWVMM_PF_FIXED);

	step(env, "the page tables' shadows zapped");
	for (i = 0; i < NR_PTS; i++)
		shadowvmm_mmu_unprotect(mmu, pts[i]);
	KUNIT_EXPECT_EQ(test, mmu->nr_free_sps, (unsigned int)NR_PTS);
	KUNIT_EXPECT_LE(test, mmu->nr_sps + mmu->nr_free_sps, mmu->max_sps);
	check(env);

	step(env, "made again from the pages kept");
	spare = mmu->nr_spare;
	for (i = 0; i < NR_PTS; i++)
		KUNIT_EXPECT_EQ(test, fault(env, i * SZ_2M, 0), SHADOWVMM_PF_FIXED);
	KUNIT_EXPECT_EQ(test, mmu->nr_free_sps, 0U);
	KUNIT_EXPECT_EQ(test, mmu->nr_spare, spare);
	check(env);

	/* A cap four below what lives: the first four zapped are freed. */
	step(env, "kept only while the cap allows");
	mmu->max_sps = mmu->nr_sps - 4;
	for (i = 0; i < NR_PTS; i++)
		shadowvmm_mmu_unprotect(mmu, pts[i]);
	KUNIT_EXPECT_EQ(test, mmu->nr_free_sps, NR_PTS - 4U);
	KUNIT_EXPECT_LE(test, mmu->nr_sps + mmu->nr_free_sps, mmu->max_sps);
}

static struct kunit_case shadow_cases[] = {
	KUNIT_CASE_PARAM(random_ops, random_gen_params),
	KUNIT_CASE(root_cache),
	KUNIT_CASE(root_cache_pae_pdptes),
	KUNIT_CASE(role_smep_smap_andnot_wp),
	KUNIT_CASE(flooding),
	KUNIT_CASE(cap_recycles_oldest),
	KUNIT_CASE(pte_store_in_place),
	KUNIT_CASE(large_page_dirty_bit),
	KUNIT_CASE(unsync_leaf_tables),
	KUNIT_CASE(demand_fault_one_exit),
	KUNIT_CASE(prefetch_neighbours),
	KUNIT_CASE(unsync_table_at_new_address),
	KUNIT_CASE(zapped_pages_reused),
	{}
};

static struct kunit_suite shadow_suite = {
	.name = "shadowvmm_shadow",
	.init = shadow_init,
	.exit = shadow_exit,
	.test_cases = shadow_cases,
};

kunit_test_suite(shadow_suite);
