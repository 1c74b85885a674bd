// SPDX-License-Identifier: GPL-2.0
/*
 * The guest page walker against a model written from the SDM's tables
 * rather than from walk.c: rights as a list of rules that each deny an
 * access, reserved bits as literal masks per mode, entry kind and
 * MAXPHYADDR, and page-table layouts with every entry address and
 * translation spelled out. Guest memory is a handful of fake pages.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include "mmu/walk.h"

#define E_P	BIT_ULL(0)
#define E_RW	BIT_ULL(1)
#define E_US	BIT_ULL(2)
#define E_A	BIT_ULL(5)
#define E_D	BIT_ULL(6)
#define E_PS	BIT_ULL(7)
#define E_XD	BIT_ULL(63)

#define EC_P	SHADOWVMM_PF_PRESENT
#define EC_W	SHADOWVMM_PF_WRITE
#define EC_U	SHADOWVMM_PF_USER
#define EC_RSVD	SHADOWVMM_PF_RSVD
#define EC_I	SHADOWVMM_PF_FETCH
#define AC	SHADOWVMM_ACCESS_AC

#define MODE_OFF	SHADOWVMM_PAGING_OFF
#define MODE_32		SHADOWVMM_PAGING_32
#define MODE_PAE	SHADOWVMM_PAGING_PAE
#define MODE_4L		SHADOWVMM_PAGING_4LEVEL

#define MAXLVL		SHADOWVMM_MAX_LEVEL
/* Enough failure lines to see a pattern, not so many that it drowns. */
#define MAX_REPORTS	8

/* --- fake guest memory ------------------------------------------------ */

#define FAKE_PAGES	8
#define FAKE_BASE	0x1000

struct fake_mem {
	u8 *ram;			/* FAKE_PAGES pages from FAKE_BASE */
	unsigned int reads, updates;
	/*
	 * Another vCPU: before each of the next @races updates, @race
	 * changes guest memory, between the walker's read and its update.
	 */
	unsigned int races;
	void (*race)(struct fake_mem *fm, u64 gpa, unsigned int size);
	u64 race_gpa, race_value;
};

static u8 *fake_at(struct fake_mem *fm, u64 gpa, unsigned int size)
{
	if (gpa < FAKE_BASE || gpa + size > FAKE_BASE + FAKE_PAGES * 4096)
		return NULL;
	return fm->ram + gpa - FAKE_BASE;
}

static u64 fake_get(struct fake_mem *fm, u64 gpa, unsigned int size)
{
	u8 *p = fake_at(fm, gpa, size);
	u32 v32;
	u64 v64;

	if (!p)
		return size == 4 ? U32_MAX : U64_MAX;
	if (size == 4) {
		memcpy(&v32, p, 4);
		return v32;
	}
	memcpy(&v64, p, 8);
	return v64;
}

static void fake_set(struct fake_mem *fm, u64 gpa, unsigned int size, u64 v)
{
	u8 *p = fake_at(fm, gpa, size);
	u32 v32 = v;

	if (!p)
		return;
	if (size == 4)
		memcpy(p, &v32, 4);
	else
		memcpy(p, &v, 8);
}

static u64 fake_read(void *ctx, u64 gpa, unsigned int size)
{
	struct fake_mem *fm = ctx;

	fm->reads++;
	return fake_get(fm, gpa, size);
}

static int fake_update(void *ctx, u64 gpa, unsigned int size, u64 old,
		       u64 new)
{
	struct fake_mem *fm = ctx;

	fm->updates++;
	if (fm->races) {
		fm->races--;
		fm->race(fm, gpa, size);
	}
	if (fake_get(fm, gpa, size) != old)
		return -EAGAIN;
	fake_set(fm, gpa, size, new);
	return 0;
}

static struct shadowvmm_walk_mem *fake_init(struct kunit *test,
					    struct fake_mem **fmp)
{
	struct shadowvmm_walk_mem *mem;
	struct fake_mem *fm;

	fm = kunit_kzalloc(test, sizeof(*fm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fm);
	fm->ram = kunit_kzalloc(test, FAKE_PAGES * 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fm->ram);
	mem = kunit_kzalloc(test, sizeof(*mem), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	mem->read = fake_read;
	mem->update = fake_update;
	mem->ctx = fm;
	*fmp = fm;
	return mem;
}

/* --- layouts: one translation per mode, every address written out ----- */

struct layout {
	const char *name;
	enum shadowvmm_paging_mode mode;
	bool pse, gbpages;
	int top_level;		/* what the walk reports */
	int top, leaf;		/* the levels held in guest memory */
	unsigned int size;	/* entry size */
	u64 cr3, gva;
	u64 entry_gpa[MAXLVL + 1];
	/* What each entry points to: the next table, or the page. */
	u64 next[MAXLVL + 1];
	u64 gpa;		/* the translation of gva */
	u64 page_size;
};

enum {
	LAY_32, LAY_32PSE, LAY_32PSE_4M, LAY_PAE, LAY_PAE_2M,
	LAY_4L, LAY_4L_2M, LAY_4L_1G,
};

/*
 * Indices: 32-bit PDE 0x2a5, PTE 0x13c; PAE PDPTE 2, PDE 0x1a5, PTE 0x13c;
 * 4-level 0x0a5, 0x13c, 0x07e, 0x1f1; page offset 0xabc everywhere. The
 * tables sit at 0x1000 (4), 0x2000 (3), 0x3000 (2) and 0x4000 (1); the
 * PAE PDPT at 0x2020, 32-byte aligned as CR3 allows.
 */

static const struct layout layouts[] = {
	[LAY_32] = {
		.name = "32-bit/4K", .mode = MODE_32,
		.top_level = 2, .top = 2, .leaf = 1, .size = 4,
		.cr3 = 0x3000, .gva = 0xa953cabc,
		.entry_gpa = { [2] = 0x3a94, [1] = 0x44f0 },
		.next = { [2] = 0x4000, [1] = 0x89abc000 },
		.gpa = 0x89abcabc, .page_size = 0x1000,
	},
	[LAY_32PSE] = {
		.name = "32-bit+PSE/4K", .mode = MODE_32, .pse = true,
		.top_level = 2, .top = 2, .leaf = 1, .size = 4,
		.cr3 = 0x3000, .gva = 0xa953cabc,
		.entry_gpa = { [2] = 0x3a94, [1] = 0x44f0 },
		.next = { [2] = 0x4000, [1] = 0x89abc000 },
		.gpa = 0x89abcabc, .page_size = 0x1000,
	},
	[LAY_32PSE_4M] = {
		.name = "32-bit+PSE/4M", .mode = MODE_32, .pse = true,
		.top_level = 2, .top = 2, .leaf = 2, .size = 4,
		.cr3 = 0x3000, .gva = 0xa953cabc,
		.entry_gpa = { [2] = 0x3a94 },
		.next = { [2] = 0x7fc00000 },
		.gpa = 0x7fd3cabc, .page_size = 0x400000,
	},
	[LAY_PAE] = {
		.name = "PAE/4K", .mode = MODE_PAE,
		.top_level = 3, .top = 2, .leaf = 1, .size = 8,
		.cr3 = 0x2020, .gva = 0xb4b3cabc,
		.entry_gpa = { [3] = 0x2030, [2] = 0x3d28, [1] = 0x49e0 },
		.next = { [3] = 0x3000, [2] = 0x4000, [1] = 0x987654000 },
		.gpa = 0x987654abc, .page_size = 0x1000,
	},
	[LAY_PAE_2M] = {
		.name = "PAE/2M", .mode = MODE_PAE,
		.top_level = 3, .top = 2, .leaf = 2, .size = 8,
		.cr3 = 0x2020, .gva = 0xb4b3cabc,
		.entry_gpa = { [3] = 0x2030, [2] = 0x3d28 },
		.next = { [3] = 0x3000, [2] = 0x987600000 },
		.gpa = 0x98773cabc, .page_size = 0x200000,
	},
	[LAY_4L] = {
		.name = "4-level/4K", .mode = MODE_4L,
		.top_level = 4, .top = 4, .leaf = 1, .size = 8,
		.cr3 = 0x1000, .gva = 0x52cf0fdf1abc,
		.entry_gpa = { [4] = 0x1528, [3] = 0x29e0, [2] = 0x33f0,
			       [1] = 0x4f88 },
		.next = { [4] = 0x2000, [3] = 0x3000, [2] = 0x4000,
			  [1] = 0x123456000 },
		.gpa = 0x123456abc, .page_size = 0x1000,
	},
	[LAY_4L_2M] = {
		.name = "4-level/2M", .mode = MODE_4L,
		.top_level = 4, .top = 4, .leaf = 2, .size = 8,
		.cr3 = 0x1000, .gva = 0x52cf0fdf1abc,
		.entry_gpa = { [4] = 0x1528, [3] = 0x29e0, [2] = 0x33f0 },
		.next = { [4] = 0x2000, [3] = 0x3000, [2] = 0x123400000 },
		.gpa = 0x1235f1abc, .page_size = 0x200000,
	},
	[LAY_4L_1G] = {
		.name = "4-level/1G", .mode = MODE_4L, .gbpages = true,
		.top_level = 4, .top = 4, .leaf = 3, .size = 8,
		.cr3 = 0x1000, .gva = 0x52cf0fdf1abc,
		.entry_gpa = { [4] = 0x1528, [3] = 0x29e0 },
		.next = { [4] = 0x2000, [3] = 0xc00000000 },
		.gpa = 0xc0fdf1abc, .page_size = 0x40000000,
	},
};

#define PAE_PDPTE	2	/* the PDPTE index of the PAE layouts */

static void layout_desc(const struct layout *l, char *desc)
{
	strscpy(desc, l->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(layout, layouts, layout_desc);

static void init_pg(struct shadowvmm_paging *pg, const struct layout *l,
		    u8 maxphyaddr)
{
	*pg = (struct shadowvmm_paging){
		.mode = l->mode, .cr3 = l->cr3, .pse = l->pse,
		.gbpages = l->gbpages, .maxphyaddr = maxphyaddr,
	};
	if (l->mode == MODE_PAE)
		pg->pdpte[PAE_PDPTE] = l->next[3] | E_P;
}

/* An entry of @l at @level with @bits, PS included where the leaf is big. */
static u64 entry(const struct layout *l, int level, u64 bits)
{
	u64 e = l->next[level] | bits;

	if (level == l->leaf && level > 1)
		e |= E_PS;
	return l->size == 4 ? (u32)e : e;
}

/* Writes @ent[top..leaf] into guest memory (and the PAE PDPT there too). */
static void store(struct fake_mem *fm, const struct layout *l, const u64 *ent)
{
	int level;

	for (level = l->top; level >= l->leaf; level--)
		fake_set(fm, l->entry_gpa[level], l->size, ent[level]);
	if (l->mode == MODE_PAE)
		fake_set(fm, l->entry_gpa[3], 8, l->next[3] | E_P);
}

/* --- the model --------------------------------------------------------- */

/*
 * Reserved bits, SDM tables 4-4 to 4-20, as literals. XD (bit 63) is
 * reserved on top of these in PAE and 4-level paging without EFER.NXE.
 */
struct rsvd_row {
	enum shadowvmm_paging_mode mode;
	u8 maxphyaddr;
	u64 table;		/* an entry that references a table */
	u64 page;		/* a 4 KiB page */
	u64 big;		/* a 4 MiB or 2 MiB page */
	u64 huge;		/* a 1 GiB page */
};

static const struct rsvd_row rsvd_rows[] = {
	{ MODE_32, 32, 0, 0, 0x003fe000, 0 },
	{ MODE_32, 36, 0, 0, 0x003e0000, 0 },
	{ MODE_32, 40, 0, 0, 0x00200000, 0 },
	{ MODE_32, 46, 0, 0, 0x00200000, 0 },
	{ MODE_PAE, 36, 0x7ffffff000000000, 0x7ffffff000000000,
	  0x7ffffff0001fe000, 0 },
	{ MODE_PAE, 46, 0x7fffc00000000000, 0x7fffc00000000000,
	  0x7fffc000001fe000, 0 },
	{ MODE_PAE, 52, 0x7ff0000000000000, 0x7ff0000000000000,
	  0x7ff00000001fe000, 0 },
	{ MODE_4L, 36, 0x000ffff000000000, 0x000ffff000000000,
	  0x000ffff0001fe000, 0x000ffff03fffe000 },
	{ MODE_4L, 46, 0x000fc00000000000, 0x000fc00000000000,
	  0x000fc000001fe000, 0x000fc0003fffe000 },
	{ MODE_4L, 52, 0, 0, 0x1fe000, 0x3fffe000 },
};

static u64 rsvd_mask(const struct layout *l, const struct shadowvmm_paging *pg,
		     int level)
{
	const struct rsvd_row *r = NULL;
	unsigned int i;
	u64 mask;

	for (i = 0; i < ARRAY_SIZE(rsvd_rows); i++)
		if (rsvd_rows[i].mode == l->mode &&
		    rsvd_rows[i].maxphyaddr == pg->maxphyaddr)
			r = &rsvd_rows[i];
	if (WARN_ON(!r))
		return 0;
	if (level > l->leaf)
		mask = r->table;
	else if (level == 1)
		mask = r->page;
	else if (level == 2)
		mask = r->big;
	else
		mask = r->huge;
	if (l->mode != MODE_32 && !pg->nxe)
		mask |= E_XD;
	return mask;
}

/* What the access and the page are, as the SDM's sentences name them. */
enum {
	F_UACC = BIT(0),	/* a user-mode access (CPL 3) */
	F_SACC = BIT(1),	/* a supervisor-mode access */
	F_READ = BIT(2),
	F_WRITE = BIT(3),
	F_FETCH = BIT(4),
	F_UPAGE = BIT(5),	/* U/S set at every level */
	F_SPAGE = BIT(6),
	F_RO = BIT(7),		/* R/W clear at some level */
	F_NX = BIT(8),		/* XD set at some level, with NXE */
	F_WP = BIT(9),
	F_SMEP = BIT(10),
	F_SMAP = BIT(11),
	F_NOAC = BIT(12),	/* EFLAGS.AC clear */
};

/* SDM 4.6.1: an access faults when all the facts of one row hold. */
static const u32 deny_rules[] = {
	F_UACC | F_SPAGE,
	F_UACC | F_WRITE | F_RO,
	F_SACC | F_WRITE | F_RO | F_WP,
	F_FETCH | F_NX,
	F_SACC | F_FETCH | F_UPAGE | F_SMEP,
	F_SACC | F_READ | F_UPAGE | F_SMAP | F_NOAC,
	F_SACC | F_WRITE | F_UPAGE | F_SMAP | F_NOAC,
};

/* SDM 4.7: I/D is reported, indexed [mode][smep][nxe]. */
static const bool id_reported[][2][2] = {
	[MODE_32] = { { false, false }, { true, true } },
	[MODE_PAE] = { { false, true }, { true, true } },
	[MODE_4L] = { { false, true }, { true, true } },
};

struct expect {
	int ret;
	u32 error_code;
	int level;
	u64 gpa;
	bool writable, user, nx;
};

static u32 model_error(const struct layout *l,
		       const struct shadowvmm_paging *pg, u32 access, u32 why)
{
	u32 ec = why | (access & (EC_W | EC_U));

	if ((access & EC_I) && id_reported[l->mode][pg->smep][pg->nxe])
		ec |= EC_I;
	return ec;
}

static u64 model_gpa(const struct layout *l, const struct shadowvmm_paging *pg,
		     u64 leaf)
{
	u64 offset = l->gva & (l->page_size - 1);
	u64 m;

	if (l->mode == MODE_32 && l->leaf == 1)
		return (leaf & 0xfffff000) | offset;
	if (l->mode == MODE_32) {
		/* PSE-36: PDE bits 13 and up give PA bits 32 and up. */
		m = min_t(u64, pg->maxphyaddr, 40) - 32;
		return (leaf & 0xffc00000) |
		       (((leaf >> 13) & (BIT_ULL(m) - 1)) << 32) | offset;
	}
	return (leaf & (BIT_ULL(pg->maxphyaddr) - 1) & ~(l->page_size - 1)) |
	       offset;
}

/*
 * The translation half of the model: where the walk stops and why, or the
 * rights and address it ends with. It depends on the entries, NXE and
 * MAXPHYADDR, not on the access, so the sweep computes it once per
 * entries and NXE.
 */
static void model_translate(const struct layout *l,
			    const struct shadowvmm_paging *pg, const u64 *ent,
			    struct expect *t)
{
	int level;

	*t = (struct expect){ .writable = true, .user = true };
	for (level = l->top; level >= l->leaf; level--) {
		t->level = level;
		if (!(ent[level] & E_P)) {
			t->ret = -EFAULT;
			return;
		}
		if (ent[level] & rsvd_mask(l, pg, level)) {
			t->ret = -EFAULT;
			t->error_code = EC_P | EC_RSVD;
			return;
		}
		t->writable = t->writable && (ent[level] & E_RW);
		t->user = t->user && (ent[level] & E_US);
		t->nx = t->nx || (l->mode != MODE_32 && pg->nxe &&
				  (ent[level] & E_XD));
	}
	t->gpa = model_gpa(l, pg, ent[l->leaf]);
}

/* The rights half: the SDM's rules applied to one access. */
static void model_access(const struct layout *l,
			 const struct shadowvmm_paging *pg,
			 const struct expect *t, u32 access, struct expect *e)
{
	u32 facts = 0;
	unsigned int i;

	*e = *t;
	if (t->ret) {
		e->error_code = model_error(l, pg, access, t->error_code);
		return;
	}
	facts |= access & EC_U ? F_UACC : F_SACC;
	if (access & EC_I)
		facts |= F_FETCH;
	else
		facts |= access & EC_W ? F_WRITE : F_READ;
	facts |= t->user ? F_UPAGE : F_SPAGE;
	facts |= t->writable ? 0 : F_RO;
	facts |= t->nx ? F_NX : 0;
	facts |= pg->wp ? F_WP : 0;
	facts |= pg->smep ? F_SMEP : 0;
	facts |= pg->smap ? F_SMAP : 0;
	facts |= access & AC ? 0 : F_NOAC;
	for (i = 0; i < ARRAY_SIZE(deny_rules); i++) {
		if ((facts & deny_rules[i]) == deny_rules[i]) {
			e->ret = -EFAULT;
			e->error_code = model_error(l, pg, access, EC_P);
			e->gpa = 0;
			return;
		}
	}
}

static void model(const struct layout *l, const struct shadowvmm_paging *pg,
		  const u64 *ent, u32 access, struct expect *e)
{
	struct expect t;

	model_translate(l, pg, ent, &t);
	model_access(l, pg, &t, access, e);
}

/* --- comparing and reporting ---------------------------------------- */

struct checker {
	struct kunit *test;
	unsigned int failures;
	unsigned long walks;
};

static void desc_access(char *buf, size_t len,
			const struct shadowvmm_paging *pg, u32 access)
{
	snprintf(buf, len, "%s %s%s wp=%d nxe=%d smep=%d smap=%d pse=%d M=%u",
		 access & EC_U ? "user" : "sup",
		 access & EC_I ? "fetch" : access & EC_W ? "write" : "read",
		 access & AC ? "+ac" : "", pg->wp, pg->nxe, pg->smep,
		 pg->smap, pg->pse, pg->maxphyaddr);
}

static void desc_entries(char *buf, size_t len, const struct layout *l,
			 const u64 *ent)
{
	int level, n = 0;

	for (level = l->top; level >= l->leaf; level--)
		n += scnprintf(buf + n, len - n, " L%d=%#llx", level,
			       ent[level]);
}

/*
 * Compares one walk with the model's answer; on a mismatch, names the
 * layout, the entries and the access, so the line alone explains it.
 */
static void check(struct checker *c, const struct layout *l,
		  const struct shadowvmm_paging *pg, const u64 *ent,
		  u32 access, int ret, const struct shadowvmm_walk *w,
		  const struct expect *e)
{
	char a[96], b[128];
	bool bad;

	c->walks++;
	bad = ret != e->ret || w->level != e->level ||
	      w->top_level != l->top_level;
	if (!bad && ret == -EFAULT)
		bad = w->error_code != e->error_code;
	if (!bad && !ret)
		bad = w->gpa != e->gpa || w->writable != e->writable ||
		      w->user != e->user || w->nx != e->nx;
	if (!bad)
		return;
	if (c->failures++ >= MAX_REPORTS)
		return;
	desc_access(a, sizeof(a), pg, access);
	desc_entries(b, sizeof(b), l, ent);
	KUNIT_FAIL(c->test,
		   "%s%s, %s: got ret %d level %d ec %#x gpa %#llx w%d u%d nx%d, want ret %d level %d ec %#x gpa %#llx w%d u%d nx%d",
		   l->name, b, a, ret, w->level, w->error_code, w->gpa,
		   w->writable, w->user, w->nx, e->ret, e->level,
		   e->error_code, e->gpa, e->writable, e->user, e->nx);
}

/*
 * After a walk from entries @ent: a successful one set A everywhere and D
 * in the leaf of a write; a fault left guest memory alone.
 */
static void check_ad(struct checker *c, const struct layout *l,
		     struct fake_mem *fm, const u64 *ent, u32 access, int ret)
{
	u64 got, want;
	int level;

	for (level = l->top; level >= l->leaf; level--) {
		got = fake_get(fm, l->entry_gpa[level], l->size);
		want = ent[level];
		if (!ret)
			want |= E_A;
		if (!ret && level == l->leaf && (access & EC_W))
			want |= E_D;
		if (got != want && c->failures++ < MAX_REPORTS)
			KUNIT_FAIL(c->test,
				   "%s: L%d is %#llx after a %s %s (ret %d), want %#llx",
				   l->name, level, got,
				   access & EC_U ? "user" : "sup",
				   access & EC_I ? "fetch" :
				   access & EC_W ? "write" : "read", ret, want);
	}
}

static void check_done(struct checker *c)
{
	KUNIT_EXPECT_EQ_MSG(c->test, c->failures, 0U,
			    "%u of %lu walks disagreed with the model",
			    c->failures, c->walks);
}

/* --- every combination of rights ------------------------------------- */

static const u32 accesses[] = {
	0, EC_W, EC_I, EC_U, EC_U | EC_W, EC_U | EC_I,
};

struct rights_run {
	struct checker c;
	const struct layout *l;
	const struct shadowvmm_walk_mem *mem;
	struct fake_mem *fm;
	u64 ent[MAXLVL + 1];
};

/* Every access under every CR0.WP, EFER.NXE, CR4.SMEP and SMAP (+/- AC). */
static void rights_all_accesses(struct rights_run *r)
{
	const struct layout *l = r->l;
	struct shadowvmm_paging pg;
	struct shadowvmm_walk w;
	struct expect t[2], e;
	unsigned int a, cfg;
	u32 access;
	int ret;

	init_pg(&pg, l, 36);
	for (cfg = 0; cfg < 2; cfg++) {
		pg.nxe = cfg;
		model_translate(l, &pg, r->ent, &t[cfg]);
	}
	for (cfg = 0; cfg < 32; cfg++) {
		/* EFLAGS.AC only matters to SMAP. */
		if ((cfg & 16) && !(cfg & 8))
			continue;
		pg.nxe = cfg & 1;
		pg.wp = cfg & 2;
		pg.smep = cfg & 4;
		pg.smap = cfg & 8;
		for (a = 0; a < ARRAY_SIZE(accesses); a++) {
			access = accesses[a] | (cfg & 16 ? AC : 0);
			model_access(l, &pg, &t[pg.nxe], access, &e);
			ret = shadowvmm_walk(&pg, r->mem, l->gva, access, &w);
			check(&r->c, l, &pg, r->ent, access, ret, &w, &e);
			check_ad(&r->c, l, r->fm, r->ent, access, ret);
			store(r->fm, l, r->ent);
		}
	}
}

/*
 * Each level takes every P/RW/US/XD combination; once a level is not
 * present the walk never reads below it, so those stay as they were.
 */
static void rights_level(struct rights_run *r, int level)
{
	const struct layout *l = r->l;
	static const u64 bits[] = { E_RW, E_US, E_XD };
	unsigned int nbits = l->size == 4 ? 2 : 3, s, i;
	u64 b, all = 0;

	for (i = 0; i < nbits; i++)
		all |= bits[i];

	for (s = 0; s < 2u << nbits; s++) {
		b = s & 1 ? E_P : 0;
		for (i = 0; i < nbits; i++)
			if (s & (2u << i))
				b |= bits[i];
		/*
		 * Not present: the rights a careless walker might still
		 * take from it are all there.
		 */
		if (!(b & E_P) && b != all)
			continue;
		r->ent[level] = entry(l, level, b);
		store(r->fm, l, r->ent);
		if (level == l->leaf || !(b & E_P))
			rights_all_accesses(r);
		else
			rights_level(r, level - 1);
	}
}

static void rights_every_combination(struct kunit *test)
{
	struct rights_run *r;
	int level;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->c.test = test;
	r->l = test->param_value;
	r->mem = fake_init(test, &r->fm);
	for (level = r->l->top; level >= r->l->leaf; level--)
		r->ent[level] = entry(r->l, level, E_P | E_RW | E_US);
	rights_level(r, r->l->top);
	check_done(&r->c);
}

/* --- reserved bits ----------------------------------------------------- */

struct rsvd_param {
	int layout;
	u8 maxphyaddr;
};

static const struct rsvd_param rsvd_params[] = {
	{ LAY_32, 32 }, { LAY_32, 36 }, { LAY_32, 46 },
	{ LAY_32PSE, 36 }, { LAY_32PSE, 46 },
	{ LAY_32PSE_4M, 32 }, { LAY_32PSE_4M, 36 }, { LAY_32PSE_4M, 40 },
	{ LAY_32PSE_4M, 46 },
	{ LAY_PAE, 36 }, { LAY_PAE, 46 }, { LAY_PAE, 52 },
	{ LAY_PAE_2M, 36 }, { LAY_PAE_2M, 46 }, { LAY_PAE_2M, 52 },
	{ LAY_4L, 36 }, { LAY_4L, 46 }, { LAY_4L, 52 },
	{ LAY_4L_2M, 36 }, { LAY_4L_2M, 46 }, { LAY_4L_2M, 52 },
	{ LAY_4L_1G, 36 }, { LAY_4L_1G, 46 }, { LAY_4L_1G, 52 },
};

static void rsvd_desc(const struct rsvd_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s MAXPHYADDR %u",
		 layouts[p->layout].name, p->maxphyaddr);
}

KUNIT_ARRAY_PARAM(rsvd, rsvd_params, rsvd_desc);

/*
 * Each bit in turn, at each level, with and without NXE. Address bits
 * below MAXPHYADDR in a table entry are left alone: they only move the
 * next table, which is another test's business.
 */
static void reserved_bits(struct kunit *test)
{
	const struct rsvd_param *p = test->param_value;
	const struct layout *l = &layouts[p->layout];
	struct checker c = { .test = test };
	struct shadowvmm_walk_mem *mem;
	unsigned int bit, nbits = l->size * 8, addr_end;
	u64 base[MAXLVL + 1], ent[MAXLVL + 1];
	struct shadowvmm_paging pg;
	struct shadowvmm_walk w;
	struct fake_mem *fm;
	struct expect e;
	int level, nxe, ret;
	u32 access;

	mem = fake_init(test, &fm);
	addr_end = l->mode == MODE_32 ? 32 : p->maxphyaddr;
	for (level = l->top; level >= l->leaf; level--)
		base[level] = entry(l, level, E_P | E_RW | E_US);
	for (level = l->top; level >= l->leaf; level--) {
		for (bit = 1; bit < nbits; bit++) {
			if (level != l->leaf &&
			    (bit == 7 || (bit >= 12 && bit < addr_end)))
				continue;
			for (nxe = 0; nxe < 2; nxe++) {
				memcpy(ent, base, sizeof(ent));
				ent[level] |= BIT_ULL(bit);
				store(fm, l, ent);
				init_pg(&pg, l, p->maxphyaddr);
				pg.nxe = nxe;
				pg.smep = true;
				pg.wp = true;
				access = accesses[bit % ARRAY_SIZE(accesses)];
				model(l, &pg, ent, access, &e);
				ret = shadowvmm_walk(&pg, mem, l->gva, access,
						     &w);
				check(&c, l, &pg, ent, access, ret, &w, &e);
				check_ad(&c, l, fm, ent, access, ret);
			}
		}
	}
	check_done(&c);
}

/* --- PS at each level ------------------------------------------------- */

struct ps_row {
	const char *name;
	int layout;		/* a 4 KiB layout whose entry we replace */
	bool pse, gbpages;
	int level;
	u64 entry;
	int want_level;
	u64 want_gpa;		/* 0: a reserved-bit fault at want_level */
};

#define PS_BITS		(E_P | E_RW | E_US | E_PS)

static const struct ps_row ps_rows[] = {
	{ "32-bit PDE.PS ignored without CR4.PSE", LAY_32, false, false, 2,
	  0x4000 | PS_BITS, 1, 0x89abcabc },
	{ "32-bit PDE.PS with CR4.PSE maps 4 MiB", LAY_32, true, false, 2,
	  0x4000 | PS_BITS, 2, 0x20013cabc },
	{ "32-bit PTE bit 7 is PAT", LAY_32, true, false, 1,
	  0x89abc000 | PS_BITS, 1, 0x89abcabc },
	{ "PAE PDE.PS maps 2 MiB", LAY_PAE, false, false, 2,
	  0x987600000 | PS_BITS, 2, 0x98773cabc },
	{ "PAE PDE.PS maps 2 MiB with CR4.PSE", LAY_PAE, true, false, 2,
	  0x987600000 | PS_BITS, 2, 0x98773cabc },
	{ "PAE PTE bit 7 is PAT", LAY_PAE, false, false, 1,
	  0x987654000 | PS_BITS, 1, 0x987654abc },
	{ "4-level PML4E.PS is reserved", LAY_4L, false, true, 4,
	  0x2000 | PS_BITS, 4, 0 },
	{ "4-level PDPTE.PS maps 1 GiB", LAY_4L, false, true, 3,
	  0xc00000000 | PS_BITS, 3, 0xc0fdf1abc },
	{ "4-level PDPTE.PS reserved without Page1GB", LAY_4L, false, false,
	  3, 0xc00000000 | PS_BITS, 3, 0 },
	{ "4-level PDE.PS maps 2 MiB", LAY_4L, false, false, 2,
	  0x123400000 | PS_BITS, 2, 0x1235f1abc },
	{ "4-level PTE bit 7 is PAT", LAY_4L, false, false, 1,
	  0x123456000 | PS_BITS, 1, 0x123456abc },
};

static void ps_desc(const struct ps_row *r, char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ps, ps_rows, ps_desc);

static void large_pages(struct kunit *test)
{
	const struct ps_row *r = test->param_value;
	const struct layout *l = &layouts[r->layout];
	struct shadowvmm_walk_mem *mem;
	u64 ent[MAXLVL + 1] = {};
	struct shadowvmm_paging pg;
	struct shadowvmm_walk w;
	struct fake_mem *fm;
	int level, ret;

	mem = fake_init(test, &fm);
	for (level = l->top; level >= l->leaf; level--)
		ent[level] = entry(l, level, E_P | E_RW | E_US);
	ent[r->level] = r->entry;
	store(fm, l, ent);
	init_pg(&pg, l, 36);
	pg.pse = r->pse;
	pg.gbpages = r->gbpages;
	ret = shadowvmm_walk(&pg, mem, l->gva, EC_W, &w);
	KUNIT_EXPECT_EQ_MSG(test, w.level, r->want_level, "%s", r->name);
	if (!r->want_gpa) {
		KUNIT_EXPECT_EQ_MSG(test, ret, -EFAULT, "%s", r->name);
		KUNIT_EXPECT_EQ_MSG(test, w.error_code, EC_P | EC_RSVD | EC_W,
				    "%s", r->name);
		return;
	}
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "%s", r->name);
	KUNIT_EXPECT_EQ_MSG(test, w.gpa, r->want_gpa, "%s", r->name);
	KUNIT_EXPECT_EQ_MSG(test, w.entry[r->want_level],
			    ent[r->want_level] | E_A | E_D, "%s", r->name);
	KUNIT_EXPECT_TRUE_MSG(test, w.dirty, "%s", r->name);
	/* Entries below a big leaf are never read, let alone updated. */
	for (level = r->want_level - 1; level >= l->leaf; level--)
		KUNIT_EXPECT_EQ_MSG(test, fake_get(fm, l->entry_gpa[level],
						   l->size), ent[level],
				    "%s: L%d", r->name, level);
}

/* --- PSE-36 ----------------------------------------------------------- */

struct pse36_row {
	u8 maxphyaddr;
	u32 pde;
	u64 want_gpa;		/* 0: a reserved-bit fault */
};

/* The 4 MiB PDE of the 32-bit layout, gva offset 0x13cabc in the page. */
static const struct pse36_row pse36_rows[] = {
	{ 36, 0xffc1e083, 0xfffd3cabc },	/* bits 16:13 -> 35:32 */
	{ 36, 0x00420083, 0 },			/* bit 17 above M */
	{ 40, 0x005fe083, 0xff0053cabc },	/* bits 20:13 -> 39:32 */
	{ 40, 0x00600083, 0 },			/* bit 21 */
	{ 46, 0x00500083, 0x800053cabc },	/* PSE-36 stops at 40 */
	{ 46, 0x00600083, 0 },
	{ 32, 0x00402083, 0 },			/* no PSE-36 at all */
	{ 32, 0x00800083, 0x0093cabc },
};

static void pse36_desc(const struct pse36_row *r, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "PDE %#x MAXPHYADDR %u", r->pde,
		 r->maxphyaddr);
}

KUNIT_ARRAY_PARAM(pse36, pse36_rows, pse36_desc);

static void pse36(struct kunit *test)
{
	const struct pse36_row *r = test->param_value;
	const struct layout *l = &layouts[LAY_32PSE_4M];
	struct shadowvmm_walk_mem *mem;
	struct shadowvmm_paging pg;
	struct shadowvmm_walk w;
	struct fake_mem *fm;
	int ret;

	mem = fake_init(test, &fm);
	fake_set(fm, l->entry_gpa[2], 4, r->pde);
	init_pg(&pg, l, r->maxphyaddr);
	ret = shadowvmm_walk(&pg, mem, l->gva, 0, &w);
	if (!r->want_gpa) {
		KUNIT_EXPECT_EQ(test, ret, -EFAULT);
		KUNIT_EXPECT_EQ(test, w.error_code, EC_P | EC_RSVD);
		return;
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, w.gpa, r->want_gpa);
	KUNIT_EXPECT_EQ(test, w.level, 2);
	KUNIT_EXPECT_EQ(test, w.entry[2], (u64)r->pde | E_A);
}

/* --- accessed and dirty ------------------------------------------------ */

/*
 * Every A/D combination at every level, read, written, and faulting (a
 * user write to a supervisor page, which must leave memory alone).
 */
static void accessed_dirty(struct kunit *test)
{
	const struct layout *l = test->param_value;
	static const u32 scenario[] = { 0, EC_W, EC_U | EC_W };
	struct checker c = { .test = test };
	struct shadowvmm_walk_mem *mem;
	unsigned int n = l->top - l->leaf + 1, s, combo;
	u64 ent[MAXLVL + 1] = {}, got;
	struct shadowvmm_paging pg;
	struct shadowvmm_walk w;
	struct fake_mem *fm;
	int level, ret;
	u64 bits;

	mem = fake_init(test, &fm);
	init_pg(&pg, l, 36);
	for (combo = 0; combo < 1u << (2 * n); combo++) {
		for (s = 0; s < ARRAY_SIZE(scenario); s++) {
			for (level = l->top; level >= l->leaf; level--) {
				bits = E_P | E_RW | E_US;
				if (combo & BIT(2 * (l->top - level)))
					bits |= E_A;
				if (combo & BIT(2 * (l->top - level) + 1))
					bits |= E_D;
				if (level == l->leaf && s == 2)
					bits &= ~E_US;
				ent[level] = entry(l, level, bits);
			}
			store(fm, l, ent);
			fm->updates = 0;
			ret = shadowvmm_walk(&pg, mem, l->gva, scenario[s], &w);
			KUNIT_EXPECT_EQ_MSG(test, ret, s == 2 ? -EFAULT : 0,
					    "%s A/D %#x access %#x", l->name,
					    combo, scenario[s]);
			check_ad(&c, l, fm, ent, scenario[s], ret);
			if (ret) {
				KUNIT_EXPECT_EQ(test, fm->updates, 0U);
				continue;
			}
			for (level = l->top; level >= l->leaf; level--) {
				got = fake_get(fm, l->entry_gpa[level],
					       l->size);
				KUNIT_EXPECT_EQ_MSG(test, w.entry[level], got,
						    "%s A/D %#x access %#x L%d",
						    l->name, combo,
						    scenario[s], level);
				KUNIT_EXPECT_EQ_MSG(test, w.entry_gpa[level],
						    l->entry_gpa[level],
						    "%s L%d", l->name, level);
			}
			KUNIT_EXPECT_EQ_MSG(test, w.dirty,
					    !!(w.entry[l->leaf] & E_D),
					    "%s A/D %#x", l->name, combo);
			if (l->mode != MODE_PAE)
				continue;
			/* PDPTEs are registers: no A bit, no write back. */
			KUNIT_EXPECT_EQ(test, w.entry[3], pg.pdpte[PAE_PDPTE]);
			KUNIT_EXPECT_EQ(test, w.entry_gpa[3], l->entry_gpa[3]);
			KUNIT_EXPECT_EQ(test, fake_get(fm, l->entry_gpa[3], 8),
					l->next[3] | E_P);
		}
	}
	check_done(&c);
}

/* --- PAE PDPTEs ------------------------------------------------------- */

static void pae_pdpte_not_present(struct kunit *test)
{
	const struct layout *l = &layouts[LAY_PAE];
	static const u64 pdptes[] = { 0, ~E_P };
	u64 ent[MAXLVL + 1] = {};
	struct shadowvmm_walk_mem *mem;
	struct shadowvmm_paging pg;
	struct shadowvmm_walk w;
	unsigned int a, cfg, i;
	struct fake_mem *fm;
	u32 access, want;
	int level, ret;

	mem = fake_init(test, &fm);
	for (level = l->top; level >= l->leaf; level--)
		ent[level] = entry(l, level, E_P | E_RW | E_US);
	store(fm, l, ent);
	for (i = 0; i < ARRAY_SIZE(pdptes); i++) {
		for (cfg = 0; cfg < 4; cfg++) {
			for (a = 0; a < ARRAY_SIZE(accesses); a++) {
				init_pg(&pg, l, 36);
				pg.pdpte[PAE_PDPTE] = pdptes[i];
				pg.smep = cfg & 1;
				pg.nxe = cfg & 2;
				access = accesses[a];
				fm->reads = 0;
				ret = shadowvmm_walk(&pg, mem, l->gva, access,
						     &w);
				want = model_error(l, &pg, access, 0);
				KUNIT_EXPECT_EQ_MSG(test, ret, -EFAULT,
						    "PDPTE %#llx access %#x",
						    pdptes[i], access);
				KUNIT_EXPECT_EQ_MSG(test, w.error_code, want,
						    "PDPTE %#llx access %#x smep %d nxe %d",
						    pdptes[i], access, pg.smep,
						    pg.nxe);
				KUNIT_EXPECT_EQ(test, w.level, 3);
				KUNIT_EXPECT_EQ(test, fm->reads, 0U);
			}
		}
	}
}

struct pdpte_row {
	u8 maxphyaddr;
	u64 pdpte;
	bool valid;
};

static const struct pdpte_row pdpte_rows[] = {
	{ 36, 0, true },
	{ 36, ~E_P, true },			/* not present: anything goes */
	{ 36, 0x1001, true },
	{ 36, 0x1019, true },			/* PWT, PCD */
	{ 36, 0x1e01, true },			/* bits 11:9 ignored */
	{ 36, 0x1003, false },			/* bit 1 */
	{ 36, 0x1005, false },			/* bit 2 */
	{ 36, 0x1021, false },			/* bit 5 */
	{ 36, 0x1041, false },			/* bit 6 */
	{ 36, 0x1081, false },			/* bit 7 */
	{ 36, 0x1101, false },			/* bit 8 */
	{ 36, 0xffffff001, true },
	{ 36, 0x1000000001, false },		/* bit 36 */
	{ 36, 0x8000000000001001, false },	/* bit 63, NXE or not */
	{ 46, 0x1000000001, true },
	{ 46, 0x3ffffffff001, true },
	{ 46, 0x400000000001, false },		/* bit 46 */
	{ 52, 0x000ffffffffff001, true },
	{ 52, 0x0010000000000001, false },	/* bit 52 */
	{ 52, 0x4000000000000001, false },	/* bit 62 */
};

static void pdpte_valid(struct kunit *test)
{
	struct shadowvmm_paging pg = { .mode = MODE_PAE };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pdpte_rows); i++) {
		pg.maxphyaddr = pdpte_rows[i].maxphyaddr;
		pg.nxe = i & 1;
		KUNIT_EXPECT_EQ_MSG(test,
				    shadowvmm_walk_pdpte_valid(&pg,
							       pdpte_rows[i].pdpte),
				    pdpte_rows[i].valid,
				    "PDPTE %#llx MAXPHYADDR %u",
				    pdpte_rows[i].pdpte, pg.maxphyaddr);
	}
}

/* --- paging off, and linear-address bits the walk ignores --------------- */

static void paging_off(struct kunit *test)
{
	static const u64 gvas[] = {
		0, 0xabc, 0xffffffff, 0x123456789, ~0ULL,
	};
	struct shadowvmm_paging pg = { .mode = MODE_OFF, .wp = true,
				       .smep = true, .smap = true,
				       .nxe = true, .maxphyaddr = 36 };
	struct shadowvmm_walk_mem *mem;
	struct shadowvmm_walk w;
	struct fake_mem *fm;
	unsigned int i, a;
	int ret;

	mem = fake_init(test, &fm);
	for (i = 0; i < ARRAY_SIZE(gvas); i++) {
		for (a = 0; a < ARRAY_SIZE(accesses); a++) {
			ret = shadowvmm_walk(&pg, mem, gvas[i], accesses[a],
					     &w);
			KUNIT_EXPECT_EQ_MSG(test, ret, 0, "gva %#llx access %#x",
					    gvas[i], accesses[a]);
			KUNIT_EXPECT_EQ_MSG(test, w.gpa, gvas[i] & 0xffffffff,
					    "gva %#llx", gvas[i]);
			KUNIT_EXPECT_EQ(test, w.level, 0);
			KUNIT_EXPECT_EQ(test, w.top_level, 0);
			KUNIT_EXPECT_TRUE(test, w.writable && w.user && !w.nx);
			KUNIT_EXPECT_TRUE(test, w.dirty);
		}
	}
	KUNIT_EXPECT_EQ(test, fm->reads + fm->updates, 0U);
}

static void high_gva_bits_ignored(struct kunit *test)
{
	struct shadowvmm_walk_mem *mem;
	u64 ent[MAXLVL + 1], high;
	struct shadowvmm_paging pg;
	const struct layout *l;
	struct shadowvmm_walk w;
	struct fake_mem *fm;
	unsigned int i;
	int level;

	mem = fake_init(test, &fm);
	for (i = 0; i < ARRAY_SIZE(layouts); i++) {
		l = &layouts[i];
		/* Only bits 31:0 count without 4-level paging, 47:0 with. */
		high = l->mode == MODE_4L ? 0xffff000000000000 :
					    0xdeadbeef00000000;
		for (level = l->top; level >= l->leaf; level--)
			ent[level] = entry(l, level, E_P | E_RW | E_US);
		store(fm, l, ent);
		init_pg(&pg, l, 36);
		KUNIT_EXPECT_EQ_MSG(test, shadowvmm_walk(&pg, mem,
							 l->gva | high, 0, &w),
				    0, "%s", l->name);
		KUNIT_EXPECT_EQ_MSG(test, w.gpa, l->gpa, "%s", l->name);
	}
}

/* Without an update callback the walk only looks: memory stays as it was. */
static void look_only(struct kunit *test)
{
	struct shadowvmm_walk_mem *mem;
	u64 ent[MAXLVL + 1];
	struct shadowvmm_paging pg;
	const struct layout *l;
	struct shadowvmm_walk w;
	struct fake_mem *fm;
	unsigned int i;
	int level;

	mem = fake_init(test, &fm);
	mem->update = NULL;
	for (i = 0; i < ARRAY_SIZE(layouts); i++) {
		l = &layouts[i];
		for (level = l->top; level >= l->leaf; level--)
			ent[level] = entry(l, level, E_P | E_RW | E_US);
		store(fm, l, ent);
		init_pg(&pg, l, 36);
		KUNIT_EXPECT_EQ_MSG(test, shadowvmm_walk(&pg, mem, l->gva,
							 EC_W, &w),
				    0, "%s", l->name);
		KUNIT_EXPECT_EQ_MSG(test, w.gpa, l->gpa, "%s", l->name);
		KUNIT_EXPECT_FALSE_MSG(test, w.dirty, "%s", l->name);
		for (level = l->top; level >= l->leaf; level--) {
			KUNIT_EXPECT_EQ_MSG(test, fake_get(fm, l->entry_gpa[level],
							   l->size),
					    ent[level], "%s L%d", l->name, level);
			KUNIT_EXPECT_EQ_MSG(test, w.entry[level], ent[level],
					    "%s L%d", l->name, level);
		}
	}
}

/* --- losing the A/D race ---------------------------------------------- */

static void race_store(struct fake_mem *fm, u64 gpa, unsigned int size)
{
	fake_set(fm, fm->race_gpa, size, fm->race_value);
}

static void race_toggle(struct fake_mem *fm, u64 gpa, unsigned int size)
{
	fake_set(fm, gpa, size, fake_get(fm, gpa, size) ^ BIT_ULL(9));
}

static struct shadowvmm_walk_mem *race_setup(struct kunit *test,
					     struct fake_mem **fm,
					     struct shadowvmm_paging *pg)
{
	const struct layout *l = &layouts[LAY_4L];
	struct shadowvmm_walk_mem *mem;
	u64 ent[MAXLVL + 1];
	int level;

	mem = fake_init(test, fm);
	for (level = l->top; level >= l->leaf; level--)
		ent[level] = entry(l, level, E_P | E_RW | E_US);
	store(*fm, l, ent);
	init_pg(pg, l, 36);
	return mem;
}

/* Another vCPU moves the page between our read and our update. */
static void race_restarts(struct kunit *test)
{
	const struct layout *l = &layouts[LAY_4L];
	struct shadowvmm_walk_mem *mem;
	struct shadowvmm_paging pg;
	struct shadowvmm_walk w;
	struct fake_mem *fm;

	mem = race_setup(test, &fm, &pg);
	fm->race_gpa = l->entry_gpa[1];
	fm->race_value = 0x7000 | E_P | E_RW | E_US;
	fm->race = race_store;
	fm->races = 1;
	KUNIT_ASSERT_EQ(test, shadowvmm_walk(&pg, mem, l->gva, EC_W, &w), 0);
	KUNIT_EXPECT_EQ(test, w.gpa, 0x7abcULL);
	KUNIT_EXPECT_EQ(test, w.entry[1], fm->race_value | E_A | E_D);
	KUNIT_EXPECT_EQ(test, fake_get(fm, fm->race_gpa, 8),
			fm->race_value | E_A | E_D);
	KUNIT_EXPECT_TRUE(test, w.dirty);
}

static void race_gives_up(struct kunit *test)
{
	const struct layout *l = &layouts[LAY_4L];
	struct shadowvmm_walk_mem *mem;
	struct shadowvmm_paging pg;
	struct shadowvmm_walk w;
	struct fake_mem *fm;

	mem = race_setup(test, &fm, &pg);
	fm->race = race_toggle;
	fm->races = UINT_MAX;
	KUNIT_EXPECT_EQ(test, shadowvmm_walk(&pg, mem, l->gva, 0, &w),
			-EAGAIN);
	KUNIT_EXPECT_GE(test, fm->updates, 2U);
	KUNIT_EXPECT_LE(test, fm->updates, 16U);
}

/* The racing vCPU unmaps the page: the retried walk faults. */
static void race_to_not_present(struct kunit *test)
{
	const struct layout *l = &layouts[LAY_4L];
	struct shadowvmm_walk_mem *mem;
	struct shadowvmm_paging pg;
	struct shadowvmm_walk w;
	struct fake_mem *fm;

	mem = race_setup(test, &fm, &pg);
	fm->race_gpa = l->entry_gpa[1];
	fm->race_value = 0;
	fm->race = race_store;
	fm->races = 1;
	KUNIT_EXPECT_EQ(test, shadowvmm_walk(&pg, mem, l->gva, EC_W, &w),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, w.error_code, EC_W);
	KUNIT_EXPECT_EQ(test, w.level, 1);
}

static struct kunit_case walk_cases[] = {
	KUNIT_CASE(paging_off),
	KUNIT_CASE_PARAM(rights_every_combination, layout_gen_params),
	KUNIT_CASE_PARAM(reserved_bits, rsvd_gen_params),
	KUNIT_CASE_PARAM(large_pages, ps_gen_params),
	KUNIT_CASE_PARAM(pse36, pse36_gen_params),
	KUNIT_CASE_PARAM(accessed_dirty, layout_gen_params),
	KUNIT_CASE(pae_pdpte_not_present),
	KUNIT_CASE(pdpte_valid),
	KUNIT_CASE(high_gva_bits_ignored),
	KUNIT_CASE(look_only),
	KUNIT_CASE(race_restarts),
	KUNIT_CASE(race_gives_up),
	KUNIT_CASE(race_to_not_present),
	{}
};

static struct kunit_suite walk_suite = {
	.name = "shadowvmm_walk",
	.test_cases = walk_cases,
};

kunit_test_suite(walk_suite);
