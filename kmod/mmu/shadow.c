// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow pages: the cache, the fault path that fills it, and the updates
 * that keep it in step with the guest's tables.
 *
 * Every shadow page stands for one guest table (or, when direct, for a
 * range of guest frames that a guest large page or paging-off maps) under
 * one role. While a non-direct shadow page of a guest frame exists, every
 * leaf entry that maps that frame is read-only, so each guest store to a
 * page table exits and is carried out here, and the shadows never go
 * stale; except that a leaf table may go out of sync, left writable until
 * INVLPG or a CR3 load catches it up, as a TLB would. Rights live in the leaf
 * entries, accumulated over the guest's levels as the hardware would;
 * non-leaf shadow entries grant everything.
 *
 * The hardware runs the guest with PAE paging whenever the guest is not
 * in long mode: a 32-bit guest's 4 MiB directory is split four ways over
 * our PDPT (quadrants) and each of its 4 MiB tables two ways.
 */
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/pgtable_types.h>
#include "gmem.h"
#include "mmu/mmu.h"
#include "stats.h"
#include "trace.h"

/*
 * Shadow entries start with A clear: the hardware sets it on use, which
 * tells a table the guest still uses from one it is tearing down.
 */
#define SPTE_NONLEAF	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
/* PAE PDPTEs hold only P and the address: RW/US/A there are reserved. */
#define SPTE_PDPTE	_PAGE_PRESENT
#define SPTE_ADDR	PTE_PFN_MASK

#define FLOOD_LIMIT	3	/* writes to an unused table before unshadowing */
/* The reserved address bit of a trap entry, if the host has one. */
#define SPTE_TRAP_BIT	51
#define NO_STORE	PT64_ENT_PER_PAGE
#define PREFETCH	8	/* the group of entries a fault maps */

static void count(struct shadowvmm_mmu *mmu, enum shadowvmm_stat_id id)
{
	shadowvmm_stat_add(mmu->stats, id, 1);
}

static struct shadowvmm_frame *frame_of(struct shadowvmm_mmu *mmu, u64 gfn)
{
	return gfn < mmu->nr_frames ? &mmu->frames[gfn] : NULL;
}

/*
 * Entries the hardware may use: a link or a leaf. An empty entry is 0
 * when the guest's tables explain its fault (their entry is not present,
 * and the table is write-protected, so it cannot change unseen), and
 * mmu->trap_spte otherwise.
 */
static bool spte_present(const struct shadowvmm_mmu *mmu, u64 spte)
{
	return (spte & _PAGE_PRESENT) && spte != mmu->trap_spte;
}

static u64 empty_spte(const struct shadowvmm_mmu *mmu, bool explained)
{
	return explained ? 0 : mmu->trap_spte;
}

static struct shadowvmm_sp *spte_to_sp(u64 spte)
{
	return (void *)page_private(virt_to_page(__va(spte & SPTE_ADDR)));
}

/*
 * Down the loaded root's shadow for one address, a level at a time:
 * @sptep is the entry at @level, in @sp (NULL: our PDPT).
 */
struct shadow_iter {
	u64 gva;
	int level;
	struct shadowvmm_sp *sp;
	u64 *sptep;
};

static void shadow_iter_start(struct shadowvmm_mmu *mmu, u64 gva,
			      struct shadow_iter *it)
{
	const struct shadowvmm_mmu_root *root = &mmu->roots[0];

	it->gva = gva;
	it->sp = root->sp;
	if (root->sp) {
		it->level = 4;
		it->sptep = &root->sp->spt[PT64_INDEX(gva, 4)];
	} else {
		it->level = 3;
		it->sptep = &root->pae[PT64_INDEX(gva, 3) & 3];
	}
}

/* Follow the link at the current level; false at a leaf or an empty one. */
static bool shadow_iter_down(struct shadowvmm_mmu *mmu, struct shadow_iter *it)
{
	if (it->level == 1 || !spte_present(mmu, *it->sptep))
		return false;
	it->sp = spte_to_sp(*it->sptep);
	it->level--;
	it->sptep = &it->sp->spt[PT64_INDEX(it->gva, it->level)];
	return true;
}

/* Down to @level if the links go that far: whether they did. */
static bool shadow_iter_to(struct shadowvmm_mmu *mmu, u64 gva, int level,
			   struct shadow_iter *it)
{
	shadow_iter_start(mmu, gva, it);
	while (it->level > level && shadow_iter_down(mmu, it))
		;
	return it->level == level;
}

/*
 * The role of a page at @level for the paging state @pg, before the
 * levels above restrict it; at level 0 it is the root-cache key.
 */
static union shadowvmm_sp_role paging_role(const struct shadowvmm_paging *pg,
					   int level)
{
	union shadowvmm_sp_role role = { .word = 0 };

	role.level = level;
	role.access = ACC_ALL;
	role.guest_mode = pg->mode;
	role.wp = pg->wp;
	role.nxe = pg->nxe;
	role.smep_andnot_wp = pg->smep && !pg->wp;
	role.smap_andnot_wp = pg->smap && !pg->wp;
	role.pse = pg->mode == SHADOWVMM_PAGING_32 && pg->pse;
	return role;
}

/*
 * The rights a guest entry grants, read as the paging mode of @role does:
 * a shadow page may belong to a cached root of another mode than the one
 * loaded.
 */
static u32 gpte_access(union shadowvmm_sp_role role, u64 gpte)
{
	u32 access = ACC_EXEC;

	if (gpte & _PAGE_RW)
		access |= ACC_WRITE;
	if (gpte & _PAGE_USER)
		access |= ACC_USER;
	if (role.nxe && role.guest_mode != SHADOWVMM_PAGING_32 &&
	    (gpte & _PAGE_NX))
		access &= ~ACC_EXEC;
	return access;
}

/* Rights the guest's entries above @level grant, as the walk found them. */
static u32 access_above(union shadowvmm_sp_role role,
			const struct shadowvmm_walk *walk, int level)
{
	u32 access = ACC_ALL;
	int l;

	for (l = walk->top_level; l > level; l--)
		if (role.guest_mode != SHADOWVMM_PAGING_PAE || l != 3)
			access &= gpte_access(role, walk->entry[l]);
	return access;
}

static u32 walk_access(const struct shadowvmm_walk *walk)
{
	return (walk->writable ? ACC_WRITE : 0) | (walk->user ? ACC_USER : 0) |
	       (walk->nx ? 0 : ACC_EXEC);
}

/* --- guest memory, as the walker sees it -------------------------------- */

/* A guest entry of @size bytes (4 in 32-bit paging, 8 otherwise). */
static u64 gpte_at(const void *p, unsigned int size)
{
	return size == 4 ? *(const u32 *)p : *(const u64 *)p;
}

static u64 guest_read(void *ctx, u64 gpa, unsigned int size)
{
	struct shadowvmm_gmem *gmem = ctx;

	if (!shadowvmm_gmem_range_ok(gmem, gpa, size))
		return size == 4 ? U32_MAX : U64_MAX;
	return gpte_at(gmem->ram + gpa, size);
}

/*
 * The guest is stopped while we run, so nothing races with this store;
 * the compare only keeps the walker's contract.
 */
static int guest_update(void *ctx, u64 gpa, unsigned int size, u64 old,
			u64 new)
{
	struct shadowvmm_gmem *gmem = ctx;

	if (!shadowvmm_gmem_range_ok(gmem, gpa, size))
		return 0;	/* unbacked: the store goes nowhere */
	if (guest_read(ctx, gpa, size) != old)
		return -EAGAIN;
	if (size == 4)
		*(u32 *)(gmem->ram + gpa) = new;
	else
		*(u64 *)(gmem->ram + gpa) = new;
	return 0;
}

/*
 * Where a shadow page's entries come from. A 32-bit guest's table of 1024
 * 4-byte entries spreads over two of our leaf pages (role.quadrant 0-1),
 * or, as a directory whose 4 MiB entries each feed two of our 2 MiB ones,
 * over four (quadrant 0-3); the other modes' tables map one to one.
 */
static unsigned int gpte_size(const struct shadowvmm_sp *sp)
{
	return sp->role.guest_mode == SHADOWVMM_PAGING_32 ? 4 : 8;
}

static unsigned int sptes_per_gpte(const struct shadowvmm_sp *sp)
{
	return gpte_size(sp) == 4 && sp->role.level == 2 ? 2 : 1;
}

/* Where the guest entry behind shadow entry @i of @sp sits. */
static u64 gpte_gpa(const struct shadowvmm_sp *sp, unsigned int i)
{
	unsigned int n = sptes_per_gpte(sp);

	return (sp->gfn << PAGE_SHIFT) + gpte_size(sp) *
	       (sp->role.quadrant * (PT64_ENT_PER_PAGE / n) + i / n);
}

static u64 gpte_of(struct shadowvmm_mmu *mmu, const struct shadowvmm_sp *sp,
		   unsigned int i)
{
	return guest_read(mmu->gmem, gpte_gpa(sp, i), gpte_size(sp));
}

/* --- write protection and the reverse map -------------------------------- */

static void sync_frame(struct shadowvmm_mmu *mmu, u64 gfn);

static void write_protect(struct shadowvmm_frame *frame)
{
	struct sptep_iter it;
	u64 *sptep;

	for (sptep = sptep_first(&frame->rmap, &it); sptep;
	     sptep = sptep_next(&it))
		*sptep &= ~(u64)_PAGE_RW;
}

static void protect_frame(struct shadowvmm_mmu *mmu, u64 gfn)
{
	struct shadowvmm_frame *frame = frame_of(mmu, gfn);

	/* A table outside RAM cannot change: nothing to protect. */
	if (!frame)
		return;
	/* A new shadow of an out-of-sync table starts from the truth. */
	if (frame->unsync)
		sync_frame(mmu, gfn);
	if (!frame->shadowed++)
		write_protect(frame);
}

/* Writable through the shadows: not a table, or one out of sync. */
static bool frame_writable(const struct shadowvmm_frame *frame)
{
	return frame->shadowed == frame->unsync;
}

static void unprotect_frame(struct shadowvmm_mmu *mmu, u64 gfn)
{
	struct shadowvmm_frame *frame = frame_of(mmu, gfn);

	/* Read-only mappings left behind turn writable at their next fault. */
	if (frame && !WARN_ON_ONCE(!frame->shadowed))
		frame->shadowed--;
}

static void drop_leaf(struct shadowvmm_mmu *mmu, struct shadowvmm_sp *sp,
		      unsigned int i)
{
	u32 gfn = shadowvmm_leaf_gfn(mmu, sp, i);

	if (gfn != SHADOWVMM_NO_GFN)
		sptep_list_del(&mmu->frames[gfn].rmap, &sp->spt[i], &mmu->blocks);
	__clear_bit(i, sp->mapped);
	sp->spt[i] = mmu->trap_spte;
}

/* Empty a leaf page: only its present entries are visited. */
static void drop_leaves(struct shadowvmm_mmu *mmu, struct shadowvmm_sp *sp)
{
	unsigned int i;

	for_each_set_bit(i, sp->mapped, PT64_ENT_PER_PAGE)
		drop_leaf(mmu, sp, i);
}

/* Note in the page holding @sptep whether it links or maps something. */
static void mark_mapped(u64 *sptep, bool mapped)
{
	struct shadowvmm_sp *holder = (void *)page_private(virt_to_page(sptep));

	/* None holds our PDPTs' entries: see shadowvmm_mmu_init(). */
	if (holder)
		__assign_bit(sptep - holder->spt, holder->mapped, mapped);
}

/* Empty a non-leaf entry; return the page it linked, if it did. */
static struct shadowvmm_sp *drop_nonleaf(struct shadowvmm_mmu *mmu,
					 u64 *sptep, u64 empty)
{
	struct shadowvmm_sp *child = NULL;

	if (spte_present(mmu, *sptep)) {
		child = spte_to_sp(*sptep);
		sptep_list_del(&child->parents, sptep, &mmu->blocks);
		mark_mapped(sptep, false);
	}
	*sptep = empty;
	return child;
}

/*
 * The guest unlinked the table @sptep's page shadows (or the table that
 * linked it is gone): once nothing links the page, it is an orphan.
 */
static void unlink_child(struct shadowvmm_mmu *mmu, u64 *sptep, u64 empty)
{
	struct shadowvmm_sp *child = drop_nonleaf(mmu, sptep, empty);

	if (child && !child->parents.head && !child->root_count)
		list_move_tail(&child->orphan_link, &mmu->orphans);
}

/*
 * A leaf entry for @gfn with @access. Writable only once the guest's D
 * bit is set, so the first write exits and sets it, and never while the
 * frame holds a guest table. Frames outside RAM read as all-ones.
 */
static u64 make_leaf(struct shadowvmm_mmu *mmu, u64 gfn, u32 access,
		     bool dirty)
{
	struct shadowvmm_frame *frame = frame_of(mmu, gfn);
	u64 spte = _PAGE_PRESENT;

	if (frame) {
		spte |= (u64)shadowvmm_gmem_pfn(mmu->gmem, gfn << PAGE_SHIFT) <<
			PAGE_SHIFT;
		if ((access & ACC_WRITE) && dirty && frame_writable(frame))
			spte |= _PAGE_RW | _PAGE_DIRTY;
	} else {
		spte |= __pa(mmu->unbacked);
	}
	if (access & ACC_USER)
		spte |= _PAGE_USER;
	if (!(access & ACC_EXEC))
		spte |= _PAGE_NX;
	return spte;
}

static void set_leaf(struct shadowvmm_mmu *mmu, struct shadowvmm_sp *sp,
		     unsigned int i, u64 gfn, u64 spte)
{
	u64 *sptep = &sp->spt[i];

	if (!test_bit(i, sp->mapped) || shadowvmm_leaf_gfn(mmu, sp, i) != gfn) {
		drop_leaf(mmu, sp, i);
		if (frame_of(mmu, gfn))
			sptep_list_add(&mmu->frames[gfn].rmap, sptep,
				       &mmu->blocks);
		else
			gfn = SHADOWVMM_NO_GFN;
		if (sp->gfns)
			sp->gfns[i] = gfn;
		__set_bit(i, sp->mapped);
	}
	*sptep = spte;
}

/* Bits a guest PTE may not set: the walker faults on them with RSVD. */
static bool gpte_reserved(struct shadowvmm_mmu *mmu,
			  union shadowvmm_sp_role role, u64 gpte)
{
	/* PAE reserves up to bit 62; four-level paging ignores 62:52. */
	unsigned int top = role.guest_mode == SHADOWVMM_PAGING_PAE ? 62 : 51;

	if (role.guest_mode == SHADOWVMM_PAGING_32)
		return false;
	if (gpte & GENMASK_ULL(top, mmu->pg.maxphyaddr))
		return true;
	return !role.nxe && (gpte & _PAGE_NX);
}

/*
 * Bring one leaf entry in line with the guest's new PTE. When the new PTE
 * is one the hardware could use as it stands (present, accessed, nothing
 * reserved), map it at once: the guest's next access then needs no exit.
 */
static void update_leaf(struct shadowvmm_mmu *mmu, struct shadowvmm_sp *sp,
			unsigned int i, u64 gpte)
{
	u64 addr_mask = gpte_size(sp) == 4 ? PT32_ADDR_MASK : PT64_ADDR_MASK;
	u64 gfn = (gpte & addr_mask) >> PAGE_SHIFT;

	/*
	 * Mapping ahead is optional: it must never eat the stock a fault or
	 * root load counts on, or a resync of many entries would. An entry
	 * that keeps its frame keeps its reverse-map slot (set_leaf()).
	 */
	if (!(gpte & _PAGE_PRESENT) || !(gpte & _PAGE_ACCESSED) ||
	    gpte_reserved(mmu, sp->role, gpte) ||
	    shadowvmm_mmu_is_mmio(mmu, gfn) ||
	    ((!test_bit(i, sp->mapped) || shadowvmm_leaf_gfn(mmu, sp, i) != gfn) &&
	     mmu->blocks.nr <= 2 * (SHADOWVMM_MAX_LEVEL + 1))) {
		drop_leaf(mmu, sp, i);
		if (!(gpte & _PAGE_PRESENT) && !sp->unsync)
			sp->spt[i] = empty_spte(mmu, true);
		return;
	}
	set_leaf(mmu, sp, i, gfn,
		 make_leaf(mmu, gfn,
			   sp->role.access & gpte_access(sp->role, gpte),
			   gpte & _PAGE_DIRTY));
}

/* --- the shadow page cache --------------------------------------------- */

static struct hlist_head *bucket(struct shadowvmm_mmu *mmu, u64 gfn)
{
	return &mmu->hash[hash_64(gfn, SHADOWVMM_MMU_HASH_BITS)];
}

/* Whether @sp shadows guest table @gfn (a direct page shadows none). */
static bool shadows(const struct shadowvmm_sp *sp, u64 gfn)
{
	return sp->gfn == gfn && !sp->role.direct;
}

static void free_sp(struct shadowvmm_mmu *mmu, struct shadowvmm_sp *sp)
{
	list_del(&sp->link);
	list_del(&sp->orphan_link);
	mmu->nr_sps--;
	shadowvmm_stat_set(mmu->stats, SHADOWVMM_STAT_MMU_SHADOW_PAGES,
			   mmu->nr_sps);
	sptep_list_clear(&sp->parents, &mmu->blocks);
	if (mmu->nr_sps + mmu->nr_free_sps < mmu->max_sps) {
		list_add(&sp->link, &mmu->free_sps);
		mmu->nr_free_sps++;
		return;
	}
	free_page((unsigned long)sp->spt);
	kfree(sp->gfns);
	kfree(sp);
}

/* The root whose PDPT holds @sptep, if a PDPT does. */
static struct shadowvmm_mmu_root *pdpt_root(struct shadowvmm_mmu *mmu,
					    const u64 *sptep)
{
	unsigned int i;

	for (i = 0; i < SHADOWVMM_ROOT_CACHE; i++)
		if (mmu->roots[i].pae == PTR_ALIGN_DOWN(sptep, PAGE_SIZE))
			return &mmu->roots[i];
	return NULL;
}

/*
 * Unlink @sp from a table that points at it. A PDPTE cannot trap (VM
 * entry loads it and fails on a reserved bit): it empties, and the
 * loaded root is linked again before the guest runs (link_pdptes()).
 */
static void unlink_parent(struct shadowvmm_mmu *mmu, u64 *sptep)
{
	struct shadowvmm_mmu_root *root = pdpt_root(mmu, sptep);

	mark_mapped(sptep, false);
	*sptep = root ? 0 : mmu->trap_spte;
	if (root == &mmu->roots[0] && mmu->pg.mode != SHADOWVMM_PAGING_OFF)
		mmu->reload = true;
}

/*
 * Remove a shadow page from every table that points at it and drop what
 * it maps; its children stay cached. A root in use is only emptied and
 * marked invalid: the vCPU loads a fresh one before it enters again.
 */
static void zap_sp(struct shadowvmm_mmu *mmu, struct shadowvmm_sp *sp)
{
	struct sptep_iter it;
	unsigned int i;
	u64 *sptep;

	if (sp->role.level == 1)
		drop_leaves(mmu, sp);
	else
		for_each_set_bit(i, sp->mapped, PT64_ENT_PER_PAGE)
			drop_nonleaf(mmu, &sp->spt[i], mmu->trap_spte);
	for (sptep = sptep_first(&sp->parents, &it); sptep;
	     sptep = sptep_next(&it))
		unlink_parent(mmu, sptep);
	sptep_list_clear(&sp->parents, &mmu->blocks);
	list_del_init(&sp->orphan_link);
	if (sp->unsync) {
		list_del(&sp->unsync_link);
		sp->unsync = false;
		mmu->frames[sp->gfn].unsync--;
	}
	if (!sp->role.direct)
		unprotect_frame(mmu, sp->gfn);
	hlist_del_init(&sp->hash);
	count(mmu, SHADOWVMM_STAT_MMU_SHADOW_ZAPPED);
	trace_shadowvmm_sp_zap(mmu->vm_id, sp->gfn, sp->role.word,
			       __pa(sp->spt));
	if (sp->root_count) {
		sp->role.invalid = 1;
		mmu->reload = true;
		return;
	}
	free_sp(mmu, sp);
}

/* Keep room for one fault's worth of new pages under the cap. */
static void make_room(struct shadowvmm_mmu *mmu)
{
	struct shadowvmm_sp *sp, *next;

	list_for_each_entry_safe(sp, next, &mmu->sps, link) {
		if (mmu->nr_sps + SHADOWVMM_MAX_LEVEL <= mmu->max_sps)
			return;
		if (sp->root_count)
			continue;
		zap_sp(mmu, sp);
		count(mmu, SHADOWVMM_STAT_MMU_RECYCLED);
	}
}

/*
 * Every entry of @sp that maps nothing becomes a trap: a word of the
 * mapped bitmap at a time, so that the entries of a word with nothing
 * mapped (all of them, in a page just made) take one string store.
 */
static void trap_unmapped(struct shadowvmm_mmu *mmu, struct shadowvmm_sp *sp)
{
	u64 trap = mmu->trap_spte, *spt = sp->spt;
	unsigned int i, w;

	for (w = 0; w < BITS_TO_LONGS(PT64_ENT_PER_PAGE); w++, spt += BITS_PER_LONG) {
		if (!sp->mapped[w]) {
			memset64(spt, trap, BITS_PER_LONG);
			continue;
		}
		for (i = 0; i < BITS_PER_LONG; i++)
			if (!test_bit(w * BITS_PER_LONG + i, sp->mapped))
				spt[i] = trap;
	}
}

/*
 * The empty entries of a page, all but those that map something: in a
 * leaf table in sync, 0 where the guest's entry is not present, so that
 * the CPU's fault there goes straight to the guest; a trap everywhere
 * else. Upper tables trap throughout: their entries are explained one
 * fault at a time (explain_fault()), which is cheaper than reading 512
 * entries for the few that fault.
 */
static void fill_empty(struct shadowvmm_mmu *mmu, struct shadowvmm_sp *sp)
{
	const void *gpt = mmu->gmem->ram + gpte_gpa(sp, 0);
	unsigned int i, end, size = gpte_size(sp);
	u64 trap = mmu->trap_spte, *spt = sp->spt, gpte;
	const u32 *gpt32 = gpt;
	const u64 *gpt64 = gpt;

	if (sp->role.direct || sp->role.level != 1 || sp->unsync ||
	    !frame_of(mmu, sp->gfn) || !trap) {
		trap_unmapped(mmu, sp);
		return;
	}
	/*
	 * Every leaf page made or synced comes here, so it counts: a word
	 * of the bitmap at a time, and where it maps nothing, no branch per
	 * entry and four entries a round (trap where present, else 0).
	 */
	for (i = 0; i < PT64_ENT_PER_PAGE; i = end) {
		end = i + BITS_PER_LONG;
		if (sp->mapped[i / BITS_PER_LONG]) {
			for (; i < end; i++) {
				gpte = gpte_at(gpt + i * size, size);
				if (!test_bit(i, sp->mapped))
					spt[i] = trap & -(gpte & _PAGE_PRESENT);
			}
		} else if (size == 8) {
			for (; i < end; i += 4) {
				spt[i] = trap & -(gpt64[i] & _PAGE_PRESENT);
				spt[i + 1] = trap & -(gpt64[i + 1] & _PAGE_PRESENT);
				spt[i + 2] = trap & -(gpt64[i + 2] & _PAGE_PRESENT);
				spt[i + 3] = trap & -(gpt64[i + 3] & _PAGE_PRESENT);
			}
		} else {
			for (; i < end; i++)
				spt[i] = trap & -(u64)(gpt32[i] & _PAGE_PRESENT);
		}
	}
}

/*
 * A page to make a shadow page of: one zapped before if there is one,
 * else from the stock; with a frame array exactly when @gfns.
 */
static struct shadowvmm_sp *take_sp(struct shadowvmm_mmu *mmu, bool gfns)
{
	struct shadowvmm_sp *sp;

	if (mmu->nr_free_sps) {
		sp = list_first_entry(&mmu->free_sps, struct shadowvmm_sp, link);
		list_del(&sp->link);
		mmu->nr_free_sps--;
	} else {
		sp = mmu->spare[--mmu->nr_spare];
	}
	if (gfns && !sp->gfns) {
		sp->gfns = mmu->spare_gfns[--mmu->nr_spare_gfns];
	} else if (!gfns && sp->gfns) {
		if (mmu->nr_spare_gfns < ARRAY_SIZE(mmu->spare_gfns))
			mmu->spare_gfns[mmu->nr_spare_gfns++] = sp->gfns;
		else
			kfree(sp->gfns);
		sp->gfns = NULL;
	}
	return sp;
}

static struct shadowvmm_sp *get_sp(struct shadowvmm_mmu *mmu, u64 gfn,
				   union shadowvmm_sp_role role)
{
	bool leaf = role.level == 1 && !role.direct;
	struct shadowvmm_sp *sp;

	hlist_for_each_entry(sp, bucket(mmu, gfn), hash)
		if (sp->gfn == gfn && sp->role.word == role.word)
			return sp;

	count(mmu, SHADOWVMM_STAT_MMU_CACHE_MISS);
	if (WARN_ON_ONCE(!mmu->nr_spare || !mmu->nr_spare_gfns))
		return NULL;
	sp = take_sp(mmu, leaf);
	*sp = (struct shadowvmm_sp){
		.role = role, .gfn = gfn, .spt = sp->spt, .gfns = sp->gfns,
		.last_store = NO_STORE,
	};
	INIT_LIST_HEAD(&sp->orphan_link);
	fill_empty(mmu, sp);
	hlist_add_head(&sp->hash, bucket(mmu, gfn));
	list_add_tail(&sp->link, &mmu->sps);
	mmu->nr_sps++;
	shadowvmm_stat_set(mmu->stats, SHADOWVMM_STAT_MMU_SHADOW_PAGES,
			   mmu->nr_sps);
	if (!role.direct)
		protect_frame(mmu, gfn);
	trace_shadowvmm_sp_get(mmu->vm_id, gfn, role.word, __pa(sp->spt));
	return sp;
}

static void link_sp(struct shadowvmm_mmu *mmu, u64 *sptep,
		    struct shadowvmm_sp *child, u64 flags)
{
	*sptep = __pa(child->spt) | flags;
	sptep_list_add(&child->parents, sptep, &mmu->blocks);
	mark_mapped(sptep, true);
	list_del_init(&child->orphan_link);
}

/*
 * The role and frame (in @gfn) of the shadow page for the guest table, or
 * frame range, below @level + 1. @rights: what the leaf will grant.
 */
static union shadowvmm_sp_role child_role(struct shadowvmm_mmu *mmu,
					  const struct shadowvmm_walk *walk,
					  int level, u32 rights, u64 *gfn)
{
	const struct shadowvmm_paging *pg = &mmu->pg;
	union shadowvmm_sp_role role = paging_role(pg, level);

	if (walk->level && level >= walk->level) {
		*gfn = walk->entry_gpa[level] >> PAGE_SHIFT;
		role.access = access_above(role, walk, level);
		/*
		 * A 32-bit guest table covers 2^level shadow tables of this
		 * level: the address bits above one of ours pick which.
		 */
		if (pg->mode == SHADOWVMM_PAGING_32)
			role.quadrant = (walk->gva >> PT64_LEVEL_SHIFT(level + 1)) &
					(BIT(level) - 1);
	} else {
		/*
		 * Inside a guest large page, or paging off. The rights are
		 * the leaf's, CR0.WP=0 writes included, and never write
		 * while the large page is clean: its parents share this
		 * page only if they agree on both.
		 */
		role.direct = 1;
		*gfn = round_down(walk->gpa, BIT_ULL(PT64_LEVEL_SHIFT(level + 1))) >>
		       PAGE_SHIFT;
		role.access = walk->level ? rights : ACC_ALL;
		if (walk->level && !walk->dirty)
			role.access &= ~ACC_WRITE;
	}
	return role;
}

/*
 * @sp is linked at a new address: no TLB can hold anything stale for
 * addresses it never translated, so the tables out of sync it leads to,
 * itself or below it, may not keep stale entries. Emptying them is
 * enough, and cheaper than reading 512 guest entries each: an empty entry
 * is never wrong, only a fault later. They stay out of sync, so that a
 * table the guest recycles (unlinks, clears, links, fills: Linux on every
 * munmap and exit) never traps its stores.
 */
static void empty_unsync_below(struct shadowvmm_mmu *mmu,
			       struct shadowvmm_sp *sp)
{
	unsigned int i;

	if (sp->role.direct)
		return;
	if (sp->role.level == 1) {
		if (sp->unsync)
			drop_leaves(mmu, sp);
		return;
	}
	for_each_set_bit(i, sp->mapped, PT64_ENT_PER_PAGE)
		empty_unsync_below(mmu, spte_to_sp(sp->spt[i]));
}

/*
 * Build the path to @walk->gva's leaf entry, whose rights will be @rights;
 * return it and its page.
 */
static u64 *fill_path(struct shadowvmm_mmu *mmu,
		      const struct shadowvmm_walk *walk, u32 rights,
		      struct shadowvmm_sp **leaf_sp)
{
	struct shadowvmm_sp *child;
	union shadowvmm_sp_role role;
	struct shadow_iter it;
	u64 gfn;

	for (shadow_iter_start(mmu, walk->gva, &it); it.level > 1;
	     shadow_iter_down(mmu, &it)) {
		child = NULL;
		if (spte_present(mmu, *it.sptep)) {
			child = spte_to_sp(*it.sptep);
			/* Upper tables are in sync: their links are right. */
			if (!child->role.direct) {
				child->write_flood = 0;
				continue;
			}
		}
		role = child_role(mmu, walk, it.level - 1, rights, &gfn);
		/*
		 * A direct page fits this access only if the rights and D bit
		 * it was made for still hold (this walk may just have set D):
		 * else the writable entries of a dirty page would reach a
		 * clean one.
		 */
		if (child && (child->role.word != role.word || child->gfn != gfn)) {
			drop_nonleaf(mmu, it.sptep, mmu->trap_spte);
			child = NULL;
		}
		if (!child) {
			child = get_sp(mmu, gfn, role);
			if (!child)
				return NULL;
			link_sp(mmu, it.sptep, child,
				it.sp ? SPTE_NONLEAF : SPTE_PDPTE);
			if (!list_empty(&mmu->unsync_sps))
				empty_unsync_below(mmu, child);
		}
		child->write_flood = 0;
	}
	*leaf_sp = it.sp;
	return it.sptep;
}

/**
 * shadowvmm_mmu_needs_topup() - is the fault path's stock running low?
 * @mmu: the MMU
 *
 * Return: true when shadowvmm_mmu_topup() must run before the next fault.
 */
bool shadowvmm_mmu_needs_topup(const struct shadowvmm_mmu *mmu)
{
	/* A fault makes a page per level, and one leaf page at most. */
	return mmu->nr_spare < SHADOWVMM_MAX_LEVEL || !mmu->nr_spare_gfns ||
	       mmu->blocks.nr < SHADOWVMM_MAX_LEVEL + 1;
}

/**
 * shadowvmm_mmu_topup() - refill the fault path's stock
 * @mmu: the MMU
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int shadowvmm_mmu_topup(struct shadowvmm_mmu *mmu)
{
	while (mmu->nr_spare < ARRAY_SIZE(mmu->spare)) {
		struct shadowvmm_sp *sp;

		sp = kmalloc(sizeof(*sp), GFP_KERNEL_ACCOUNT);
		if (!sp)
			return -ENOMEM;
		sp->spt = (u64 *)__get_free_page(GFP_KERNEL_ACCOUNT);
		if (!sp->spt) {
			kfree(sp);
			return -ENOMEM;
		}
		sp->gfns = NULL;
		set_page_private(virt_to_page(sp->spt), (unsigned long)sp);
		mmu->spare[mmu->nr_spare++] = sp;
	}
	while (mmu->nr_spare_gfns < ARRAY_SIZE(mmu->spare_gfns)) {
		u32 *gfns = kmalloc_array(PT64_ENT_PER_PAGE, sizeof(u32),
					  GFP_KERNEL_ACCOUNT);

		if (!gfns)
			return -ENOMEM;
		mmu->spare_gfns[mmu->nr_spare_gfns++] = gfns;
	}
	return sptep_stock_fill(&mmu->blocks);
}

/*
 * The guest writes to a leaf table: rather than trap each of its stores,
 * let it write and catch the shadows up at its next INVLPG or CR3 load,
 * which is when hardware would drop stale translations too. Only leaf
 * tables: an upper table out of sync would hide whole tables.
 */
static bool try_unsync(struct shadowvmm_mmu *mmu, u64 gfn)
{
	struct shadowvmm_sp *sp;

	if (!mmu->allow_unsync)
		return false;
	hlist_for_each_entry(sp, bucket(mmu, gfn), hash)
		if (shadows(sp, gfn) && sp->role.level != 1)
			return false;
	hlist_for_each_entry(sp, bucket(mmu, gfn), hash) {
		if (!shadows(sp, gfn) || sp->unsync)
			continue;
		/*
		 * The guest may now make any entry present unseen: a fault
		 * let through for it would come back for ever.
		 */
		trap_unmapped(mmu, sp);
		sp->unsync = true;
		list_add_tail(&sp->unsync_link, &mmu->unsync_sps);
		mmu->frames[gfn].unsync++;
		count(mmu, SHADOWVMM_STAT_MMU_UNSYNC);
		trace_shadowvmm_sp_unsync(mmu->vm_id, gfn, sp->role.word,
					  __pa(sp->spt));
	}
	return true;
}

/*
 * The guest's walk for @walk->gva stopped at a not-present entry: if the
 * shadow of that table is linked on the way and in sync, its entry may
 * let the next such fault through without an exit.
 */
static void explain_fault(struct shadowvmm_mmu *mmu,
			  const struct shadowvmm_walk *walk)
{
	struct shadow_iter it;

	if (shadow_iter_to(mmu, walk->gva, walk->level, &it) && it.sp &&
	    !it.sp->role.direct && !it.sp->unsync)
		*it.sptep = empty_spte(mmu, true);
}

/*
 * A store into a leaf table in sync that makes an empty entry present is
 * what a demand fault's handler does. Carried out by the VMM, it fills
 * the shadow entry too, and the access retried after it takes no exit:
 * one exit for the fault, not two. A table filled in bulk (the entry the
 * previous store filled still unused) or whose live entries change goes
 * out of sync instead, so that its next stores take none.
 */
static bool fill_in_place(struct shadowvmm_mmu *mmu, u64 gpa)
{
	u64 gfn = gpa >> PAGE_SHIFT;
	struct shadowvmm_sp *sp;

	hlist_for_each_entry(sp, bucket(mmu, gfn), hash) {
		if (!shadows(sp, gfn))
			continue;
		if (guest_read(mmu->gmem, round_down(gpa, gpte_size(sp)),
			       gpte_size(sp)) & _PAGE_PRESENT)
			return false;
		if (sp->last_store != NO_STORE &&
		    !(sp->spt[sp->last_store] & _PAGE_ACCESSED))
			return false;
	}
	return true;
}

/*
 * Map the neighbours of a fault's entry, in its aligned group of eight,
 * that the guest has set up (present, A set) but that still trap: code
 * and data are touched in runs, and each page would fault on its own, so
 * KVM prefetches the same way. Not at a table's first mapping since it
 * was made or emptied (a recycled table linked again): one read of such a
 * table says nothing of the rest. An entry that lets its fault through is
 * not present.
 */
static void prefetch_around(struct shadowvmm_mmu *mmu, struct shadowvmm_sp *sp,
			    unsigned int i)
{
	unsigned int j, first = i & ~(PREFETCH - 1);
	u64 gpte;

	if (sp->role.direct ||
	    bitmap_weight(sp->mapped, PT64_ENT_PER_PAGE) < 2)
		return;
	for (j = first; j < first + PREFETCH; j++) {
		if (j == i || sp->spt[j] != mmu->trap_spte)
			continue;
		gpte = gpte_of(mmu, sp, j);
		/*
		 * Present but unused, as fork leaves a child's every entry:
		 * update_leaf() would leave it trapping, at some cost.
		 */
		if ((gpte & (_PAGE_PRESENT | _PAGE_ACCESSED)) == _PAGE_PRESENT)
			continue;
		update_leaf(mmu, sp, j, gpte);
	}
}

static enum shadowvmm_pf_result
page_fault_locked(struct shadowvmm_mmu *mmu, u64 gva, u32 access,
		  struct shadowvmm_walk *walk)
{
	const struct shadowvmm_paging *pg = &mmu->pg;
	struct shadowvmm_frame *frame;
	struct shadowvmm_sp *sp;
	u64 gfn, spte, *sptep;
	u32 rights;
	int err;

	if (shadowvmm_mmu_needs_topup(mmu) || mmu->reload)
		return SHADOWVMM_PF_RETRY;
	err = shadowvmm_mmu_walk(mmu, gva, access, walk);
	if (err == -EFAULT) {
		count(mmu, SHADOWVMM_STAT_PF_GUEST);
		if (!(walk->error_code & SHADOWVMM_PF_PRESENT))
			explain_fault(mmu, walk);
		return SHADOWVMM_PF_INJECT;
	}
	if (err)
		return SHADOWVMM_PF_RETRY;

	gfn = walk->gpa >> PAGE_SHIFT;
	if (shadowvmm_mmu_is_mmio(mmu, gfn))
		return SHADOWVMM_PF_MMIO;
	frame = frame_of(mmu, gfn);
	rights = walk_access(walk);
	if (access & SHADOWVMM_PF_WRITE) {
		if (!frame ||
		    (!frame_writable(frame) &&
		     (fill_in_place(mmu, walk->gpa) || !try_unsync(mmu, gfn))))
			return SHADOWVMM_PF_EMULATE;
		/*
		 * CR0.WP=0 lets the supervisor write where the guest's
		 * tables say read-only, but the hardware runs with WP=1 so
		 * that our write protection holds. Map the page writable and
		 * supervisor-only; a user access faults back to read-only.
		 * SMEP must still stop the supervisor executing a user page,
		 * and SMAP its reads of one, which this cannot express: such
		 * a store is emulated instead.
		 */
		if (!(rights & ACC_WRITE) && !(access & SHADOWVMM_PF_USER)) {
			if (pg->smap && (rights & ACC_USER))
				return SHADOWVMM_PF_EMULATE;
			rights = (rights | ACC_WRITE) & ~ACC_USER;
			if (pg->smep)
				rights &= ~ACC_EXEC;
		}
	}

	make_room(mmu);
	sptep = fill_path(mmu, walk, rights, &sp);
	if (!sptep)
		return SHADOWVMM_PF_RETRY;
	spte = make_leaf(mmu, gfn, rights, !walk->level || walk->dirty);
	if ((*sptep & ~(u64)_PAGE_ACCESSED) == spte) {
		count(mmu, SHADOWVMM_STAT_PF_SPURIOUS);
		return SHADOWVMM_PF_SPURIOUS;
	}
	set_leaf(mmu, sp, PT64_INDEX(gva, 1), gfn, spte);
	prefetch_around(mmu, sp, PT64_INDEX(gva, 1));
	count(mmu, SHADOWVMM_STAT_PF_FIXED);
	return SHADOWVMM_PF_FIXED;
}

/**
 * shadowvmm_mmu_page_fault() - handle a #PF exit
 * @mmu: the MMU
 * @gva: the faulting linear address
 * @access: what the access was (SHADOWVMM_PF_WRITE/USER/FETCH, ACCESS_AC)
 * @walk: the guest walk, for the caller: the error code to inject, or the
 *	  translation of a store to emulate
 *
 * Context: preemption off; allocates only from stock.
 * Return: what the caller must do next.
 */
enum shadowvmm_pf_result shadowvmm_mmu_page_fault(struct shadowvmm_mmu *mmu,
						  u64 gva, u32 access,
						  struct shadowvmm_walk *walk)
{
	enum shadowvmm_pf_result result;

	spin_lock(&mmu->lock);
	result = page_fault_locked(mmu, gva, access, walk);
	spin_unlock(&mmu->lock);
	return result;
}

/* --- guest stores to its tables ------------------------------------------ */

static void sync_sp(struct shadowvmm_mmu *mmu, struct shadowvmm_sp *sp)
{
	unsigned int i;

	/* In sync again first: its empty entries may let faults through. */
	list_del(&sp->unsync_link);
	sp->unsync = false;
	sp->last_store = NO_STORE;
	mmu->frames[sp->gfn].unsync--;
	/*
	 * Only the leaves the guest had use for are brought up to date, as
	 * a TLB would refill them: mapping every entry ahead here made a CR3
	 * load cost more than fifty exits' worth.
	 */
	for_each_set_bit(i, sp->mapped, PT64_ENT_PER_PAGE)
		update_leaf(mmu, sp, i, gpte_of(mmu, sp, i));
	fill_empty(mmu, sp);
	trace_shadowvmm_sp_sync(mmu->vm_id, sp->gfn, sp->role.word,
				__pa(sp->spt));
}

/* Bring every shadow of a table back in step and protect it again. */
static void sync_frame(struct shadowvmm_mmu *mmu, u64 gfn)
{
	struct shadowvmm_sp *sp;

	hlist_for_each_entry(sp, bucket(mmu, gfn), hash)
		if (sp->gfn == gfn && sp->unsync)
			sync_sp(mmu, sp);
	write_protect(&mmu->frames[gfn]);
}

/* Catch up every table out of sync, as a CR3 load drops every stale one. */
static void sync_all(struct shadowvmm_mmu *mmu)
{
	while (!list_empty(&mmu->unsync_sps))
		sync_frame(mmu, list_first_entry(&mmu->unsync_sps,
						 struct shadowvmm_sp,
						 unsync_link)->gfn);
}

/*
 * Drop the pages nothing links any more: tables the guest unlinked, most
 * of them to free them (a process that exited). Their frames go back to
 * the guest unshadowed, so the page clear that reuses one takes no exit,
 * and a table out of sync among them is not caught up for nothing. What
 * they linked may become an orphan in turn, and goes too.
 */
static void zap_orphans(struct shadowvmm_mmu *mmu)
{
	struct shadowvmm_sp *sp;
	unsigned int i;

	while (!list_empty(&mmu->orphans)) {
		sp = list_first_entry(&mmu->orphans, struct shadowvmm_sp,
				      orphan_link);
		if (sp->role.level > 1)
			for_each_set_bit(i, sp->mapped, PT64_ENT_PER_PAGE)
				unlink_child(mmu, &sp->spt[i], mmu->trap_spte);
		zap_sp(mmu, sp);
	}
}

/* Return: whether the guest had used any of the shadow entries replaced. */
static bool update_sp(struct shadowvmm_mmu *mmu, struct shadowvmm_sp *sp,
		      u64 gpa, unsigned int size)
{
	int n = sptes_per_gpte(sp), per_sp = PT64_ENT_PER_PAGE / n;
	/* The guest entries written, counted from the first @sp shadows. */
	int base = sp->role.quadrant * per_sp;
	int first = offset_in_page(gpa) / gpte_size(sp) - base;
	int last = (offset_in_page(gpa) + size - 1) / gpte_size(sp) - base;
	/* A demand fill's entry is used right after the store. */
	bool used = sp->last_store != NO_STORE &&
		    (sp->spt[sp->last_store] & _PAGE_ACCESSED);
	int s;
	u64 gpte;

	/* The shadow entries they feed, if any fall in this page. */
	for (s = max(first, 0) * n; s < min(last + 1, per_sp) * n; s++) {
		gpte = gpte_of(mmu, sp, s);
		used |= sp->spt[s] & _PAGE_ACCESSED;
		if (sp->role.level == 1) {
			update_leaf(mmu, sp, s, gpte);
			sp->last_store = s;
		} else {
			unlink_child(mmu, &sp->spt[s],
				     empty_spte(mmu, !(gpte & _PAGE_PRESENT)));
		}
	}
	return used;
}

/**
 * shadowvmm_mmu_pte_write() - the guest stored to a frame we shadow
 * @mmu: the MMU
 * @gpa: where the store went (already carried out in guest RAM)
 * @size: how many bytes
 *
 * Updates every shadow of the entries written. A table written to again
 * and again while the entries written go unused is being filled, torn
 * down or reused as data: it stops being shadowed, so the rest of the
 * stores run at full speed and only the next use through it exits.
 */
void shadowvmm_mmu_pte_write(struct shadowvmm_mmu *mmu, u64 gpa,
			     unsigned int size)
{
	u64 gfn = gpa >> PAGE_SHIFT;
	struct shadowvmm_sp *sp;
	struct hlist_node *next;

	spin_lock(&mmu->lock);
	count(mmu, SHADOWVMM_STAT_MMU_PTE_WRITE);
	if (trace_shadowvmm_pte_write_enabled())
		trace_shadowvmm_pte_write(mmu->vm_id, gpa, size,
					  guest_read(mmu->gmem, gpa & ~7ULL, 8));
	hlist_for_each_entry_safe(sp, next, bucket(mmu, gfn), hash) {
		if (!shadows(sp, gfn))
			continue;
		if (update_sp(mmu, sp, gpa, size)) {
			sp->write_flood = 0;
		} else if (++sp->write_flood >= FLOOD_LIMIT &&
			   !sp->root_count) {
			zap_sp(mmu, sp);
			count(mmu, SHADOWVMM_STAT_MMU_FLOODED);
		}
	}
	spin_unlock(&mmu->lock);
}

/**
 * shadowvmm_mmu_unprotect() - stop shadowing a guest frame
 * @mmu: the MMU
 * @gfn: the frame
 *
 * The way out for a store the emulator cannot carry out: with no shadow
 * of the frame left, the guest's instruction runs natively on retry.
 */
void shadowvmm_mmu_unprotect(struct shadowvmm_mmu *mmu, u64 gfn)
{
	struct shadowvmm_sp *sp;
	struct hlist_node *next;

	spin_lock(&mmu->lock);
	hlist_for_each_entry_safe(sp, next, bucket(mmu, gfn), hash)
		if (shadows(sp, gfn))
			zap_sp(mmu, sp);
	spin_unlock(&mmu->lock);
}

/**
 * shadowvmm_mmu_invlpg() - the guest invalidated one page
 * @mmu: the MMU
 * @gva: the page
 *
 * Only a leaf table out of sync can hold a stale entry for @gva (every
 * other table store is trapped, and VM entry without VPIDs flushes the
 * hardware TLB): bring that one entry up to date.
 */
void shadowvmm_mmu_invlpg(struct shadowvmm_mmu *mmu, u64 gva)
{
	struct shadow_iter it;
	unsigned int i = PT64_INDEX(gva, 1);

	count(mmu, SHADOWVMM_STAT_INVLPG);
	spin_lock(&mmu->lock);
	if (shadow_iter_to(mmu, gva, 1, &it) && it.sp->unsync)
		update_leaf(mmu, it.sp, i, gpte_of(mmu, it.sp, i));
	spin_unlock(&mmu->lock);
}

/**
 * shadowvmm_mmu_mapped_gpa() - where the loaded shadow maps an address
 * @mmu: the MMU
 * @gva: the linear address
 * @gpa: the guest-physical address, if it is mapped
 *
 * What the CPU used for @gva: for the bytes of an instruction it just
 * ran, this is cheaper than walking the guest's tables again, and exact
 * even where a table out of sync has changed since.
 *
 * Return: true if a leaf maps @gva to guest RAM.
 */
bool shadowvmm_mmu_mapped_gpa(struct shadowvmm_mmu *mmu, u64 gva, u64 *gpa)
{
	u32 gfn = SHADOWVMM_NO_GFN;
	struct shadow_iter it;

	spin_lock(&mmu->lock);
	if (shadow_iter_to(mmu, gva, 1, &it) && spte_present(mmu, *it.sptep))
		gfn = shadowvmm_leaf_gfn(mmu, it.sp, PT64_INDEX(gva, 1));
	spin_unlock(&mmu->lock);
	if (gfn == SHADOWVMM_NO_GFN)
		return false;
	*gpa = ((u64)gfn << PAGE_SHIFT) | offset_in_page(gva);
	return true;
}

/* --- roots ------------------------------------------------------------- */

static void release_root(struct shadowvmm_mmu *mmu,
			 struct shadowvmm_mmu_root *root)
{
	unsigned int i;

	if (!root->valid)
		return;
	root->valid = false;
	if (root->sp) {
		if (!--root->sp->root_count && root->sp->role.invalid)
			free_sp(mmu, root->sp);
		root->sp = NULL;
		return;
	}
	for (i = 0; i < 4; i++)
		drop_nonleaf(mmu, &root->pae[i], 0);
}

static bool root_matches(const struct shadowvmm_mmu_root *root, u32 role,
			 const struct shadowvmm_paging *pg)
{
	if (!root->valid || root->role != role || root->cr3 != pg->cr3)
		return false;
	if (root->sp && root->sp->role.invalid)
		return false;
	/* Four compares: every CR3 load makes this one. */
	return pg->mode != SHADOWVMM_PAGING_PAE ||
	       (root->pdpte[0] == pg->pdpte[0] && root->pdpte[1] == pg->pdpte[1] &&
		root->pdpte[2] == pg->pdpte[2] && root->pdpte[3] == pg->pdpte[3]);
}

/*
 * The loaded root's PDPT, when the guest pages without four levels: VM
 * entry loads these four entries itself and fails on a reserved bit, so
 * they cannot trap, and an empty one lets the fault through. Every PDPTE
 * the guest has present (all four quadrants of a 32-bit directory) is
 * therefore linked before the guest runs.
 *
 * Return: false when the stock must be topped up first.
 */
static bool link_pdptes(struct shadowvmm_mmu *mmu)
{
	struct shadowvmm_mmu_root *root = &mmu->roots[0];
	const struct shadowvmm_paging *pg = &mmu->pg;
	union shadowvmm_sp_role role = paging_role(pg, 2);
	struct shadowvmm_sp *child;
	unsigned int i, missing = 0;
	u64 table;

	if (pg->mode != SHADOWVMM_PAGING_32 && pg->mode != SHADOWVMM_PAGING_PAE)
		return true;
	for (i = 0; i < 4; i++)
		missing += !root->pae[i] && (pg->mode == SHADOWVMM_PAGING_32 ||
					     (pg->pdpte[i] & _PAGE_PRESENT));
	/* A root seen before is linked already: a CR3 load back costs nothing. */
	if (!missing)
		return true;
	if (shadowvmm_mmu_needs_topup(mmu))
		return false;
	make_room(mmu);
	for (i = 0; i < 4; i++) {
		if (root->pae[i])
			continue;
		if (pg->mode == SHADOWVMM_PAGING_32) {
			role.quadrant = i;
			table = pg->cr3 & PT32_ADDR_MASK;
		} else if (pg->pdpte[i] & _PAGE_PRESENT) {
			table = pg->pdpte[i] & PT64_ADDR_MASK;
		} else {
			continue;
		}
		child = get_sp(mmu, table >> PAGE_SHIFT, role);
		if (!child)
			return false;
		link_sp(mmu, &root->pae[i], child, SPTE_PDPTE);
	}
	return true;
}

static int load_locked(struct shadowvmm_mmu *mmu,
		       const struct shadowvmm_paging *pg)
{
	u32 role = paging_role(pg, 0).word;
	struct shadowvmm_mmu_root found;
	unsigned int i;
	bool hit;

	/* A CR3 load drops every stale translation: catch up with them all. */
	zap_orphans(mmu);
	sync_all(mmu);
	mmu->pg = *pg;
	for (i = 0; i < SHADOWVMM_ROOT_CACHE; i++)
		if (root_matches(&mmu->roots[i], role, pg))
			break;
	hit = i < SHADOWVMM_ROOT_CACHE;
	if (hit) {
		count(mmu, SHADOWVMM_STAT_ROOT_CACHE_HIT);
	} else {
		/* The vCPU loads it before it enters again, after a top-up. */
		if (shadowvmm_mmu_needs_topup(mmu)) {
			mmu->reload = true;
			return -EAGAIN;
		}
		count(mmu, SHADOWVMM_STAT_ROOT_CACHE_MISS);
		i = SHADOWVMM_ROOT_CACHE - 1;
		release_root(mmu, &mmu->roots[i]);
		mmu->roots[i].valid = true;
		mmu->roots[i].role = role;
		mmu->roots[i].cr3 = pg->cr3;
		memcpy(mmu->roots[i].pdpte, pg->pdpte, sizeof(pg->pdpte));
		if (pg->mode == SHADOWVMM_PAGING_4LEVEL) {
			make_room(mmu);
			mmu->roots[i].sp = get_sp(mmu, pg->cr3 >> PAGE_SHIFT,
						  paging_role(pg, 4));
			mmu->roots[i].sp->root_count++;
		}
	}
	/* Most recently used first. */
	found = mmu->roots[i];
	for (; i; i--)
		mmu->roots[i] = mmu->roots[i - 1];
	mmu->roots[0] = found;
	if (mmu->trap_spte && !link_pdptes(mmu)) {
		mmu->reload = true;
		return -EAGAIN;
	}
	mmu->reload = false;
	trace_shadowvmm_cr3(mmu->vm_id, pg->cr3, shadowvmm_mmu_root_hpa(mmu),
			    pg->mode, hit);
	return 0;
}

/**
 * shadowvmm_mmu_load() - switch to the shadow root for a paging state
 * @mmu: the MMU
 * @pg: the guest's paging state after a CR0/CR3/CR4/EFER change
 *
 * A root seen recently is reused as it stands: switching back to a
 * recent address space costs no rebuild.
 *
 * Context: preemption off; allocates only from stock.
 * Return: 0, or -EAGAIN when the stock must be topped up first.
 */
int shadowvmm_mmu_load(struct shadowvmm_mmu *mmu,
		       const struct shadowvmm_paging *pg)
{
	int err;

	spin_lock(&mmu->lock);
	err = load_locked(mmu, pg);
	spin_unlock(&mmu->lock);
	return err;
}

/* The CR3 the hardware runs the guest with. */
u64 shadowvmm_mmu_root_hpa(const struct shadowvmm_mmu *mmu)
{
	const struct shadowvmm_mmu_root *root = &mmu->roots[0];

	return root->sp ? __pa(root->sp->spt) : __pa(root->pae);
}

/* --- lifetime ------------------------------------------------------------ */

/**
 * shadowvmm_mmu_init() - set up the shadow MMU for a VM's RAM
 * @mmu: zeroed MMU
 * @gmem: guest RAM
 * @stats: the VM's counters
 * @max_pages: the cap on shadow pages (raised to a workable minimum)
 *
 * Paging starts off, with a root that maps guest RAM one to one on demand.
 *
 * Return: 0 or -ENOMEM; shadowvmm_mmu_destroy() frees a partial MMU.
 */
int shadowvmm_mmu_init(struct shadowvmm_mmu *mmu, struct shadowvmm_gmem *gmem,
		       struct shadowvmm_stats *stats, unsigned int max_pages)
{
	struct shadowvmm_paging off = { .mode = SHADOWVMM_PAGING_OFF };
	unsigned int i;

	spin_lock_init(&mmu->lock);
	mmu->gmem = gmem;
	mmu->stats = stats;
	mmu->walk_mem = (struct shadowvmm_walk_mem){
		.read = guest_read, .update = guest_update, .ctx = gmem,
	};
	for (i = 0; i < ARRAY_SIZE(mmu->hash); i++)
		INIT_HLIST_HEAD(&mmu->hash[i]);
	INIT_LIST_HEAD(&mmu->sps);
	INIT_LIST_HEAD(&mmu->unsync_sps);
	INIT_LIST_HEAD(&mmu->orphans);
	INIT_LIST_HEAD(&mmu->free_sps);
	mmu->max_sps = max_t(unsigned int, max_pages, SHADOWVMM_MMU_PAGES_MIN);
	if (boot_cpu_data.x86_phys_bits <= SPTE_TRAP_BIT)
		mmu->trap_spte = _PAGE_PRESENT | BIT_ULL(SPTE_TRAP_BIT);
	mmu->nr_frames = gmem->size >> PAGE_SHIFT;
	for (i = 0; i < SHADOWVMM_MMU_MMIO_FRAMES; i++)
		mmu->mmio_gfn[i] = SHADOWVMM_NO_GFN;
	mmu->frames = vzalloc(array_size(mmu->nr_frames, sizeof(*mmu->frames)));
	mmu->unbacked = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
	if (!mmu->frames || !mmu->unbacked)
		return -ENOMEM;
	memset(mmu->unbacked, 0xff, PAGE_SIZE);
	/* Without IA-32e mode, CR3 holds a 32-bit PDPT address. */
	for (i = 0; i < SHADOWVMM_ROOT_CACHE; i++) {
		mmu->roots[i].pae = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT |
							   GFP_DMA32);
		if (!mmu->roots[i].pae)
			return -ENOMEM;
		/* No shadow page holds its entries: see mark_mapped(). */
		set_page_private(virt_to_page(mmu->roots[i].pae), 0);
	}
	return shadowvmm_mmu_topup(mmu) ?: shadowvmm_mmu_load(mmu, &off);
}

void shadowvmm_mmu_destroy(struct shadowvmm_mmu *mmu)
{
	struct shadowvmm_sp *sp, *next;
	unsigned int i;
	u64 gfn;

	/* Never initialised: the VM was destroyed before it started. */
	if (!mmu->gmem)
		return;
	for (i = 0; i < SHADOWVMM_ROOT_CACHE; i++)
		free_page((unsigned long)mmu->roots[i].pae);
	list_for_each_entry_safe(sp, next, &mmu->sps, link)
		free_sp(mmu, sp);
	for (gfn = 0; mmu->frames && gfn < mmu->nr_frames; gfn++)
		sptep_list_clear(&mmu->frames[gfn].rmap, &mmu->blocks);
	vfree(mmu->frames);
	list_splice_init(&mmu->free_sps, &mmu->sps);
	list_for_each_entry_safe(sp, next, &mmu->sps, link) {
		free_page((unsigned long)sp->spt);
		kfree(sp->gfns);
		kfree(sp);
	}
	while (mmu->nr_spare) {
		sp = mmu->spare[--mmu->nr_spare];
		free_page((unsigned long)sp->spt);
		kfree(sp);
	}
	while (mmu->nr_spare_gfns)
		kfree(mmu->spare_gfns[--mmu->nr_spare_gfns]);
	sptep_stock_free(&mmu->blocks);
	free_page((unsigned long)mmu->unbacked);
	memset(mmu, 0, sizeof(*mmu));
	spin_lock_init(&mmu->lock);
}

/* --- looking from outside ----------------------------------------------- */

/**
 * shadowvmm_mmu_translate() - how the guest and the shadow map an address
 * @mmu: the MMU of a VM that has started
 * @gva: the linear address
 * @access: SHADOWVMM_PF_WRITE/USER/FETCH: the access to check
 * @t: the result
 *
 * The guest walk is the one the hardware would do, without setting A/D
 * bits; the entries reported are as they are in guest memory.
 *
 * Context: process context; the vCPU may be running.
 * Return: 0, or -ENODATA when the VM has not started.
 */
int shadowvmm_mmu_translate(struct shadowvmm_mmu *mmu, u64 gva, u32 access,
			    struct shadowvmm_translation *t)
{
	struct shadowvmm_walk_mem look;
	struct shadow_iter it;

	memset(t, 0, sizeof(*t));
	spin_lock(&mmu->lock);
	if (!mmu->gmem) {
		spin_unlock(&mmu->lock);
		return -ENODATA;
	}
	/* The guest did not access: leave no A/D bits behind. */
	look = mmu->walk_mem;
	look.update = NULL;
	t->mode = mmu->pg.mode;
	t->walk_err = shadowvmm_walk(&mmu->pg, &look, gva, access, &t->walk);

	shadow_iter_start(mmu, gva, &it);
	t->shadow_top = it.level;
	do {
		t->shadow[it.level] = *it.sptep;
		t->shadow_bottom = it.level;
	} while (shadow_iter_down(mmu, &it));
	if (it.level == 1 && spte_present(mmu, *it.sptep)) {
		t->mapped = true;
		t->hpa = (*it.sptep & SPTE_ADDR) | offset_in_page(gva);
	}
	spin_unlock(&mmu->lock);
	return 0;
}
