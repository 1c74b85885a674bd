/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow MMU: the page tables the hardware walks while a guest runs.
 * They translate guest virtual addresses straight to the host pages that
 * back guest RAM, and are kept exactly in step with the guest's own tables
 * by write-protecting every guest frame that holds one. See
 * Documentation/design.rst for the picture.
 *
 * Only the vCPU thread changes the MMU, under mmu->lock so that
 * shadowvmm_mmu_translate() may look from another thread. The fault path
 * runs with preemption off and allocates only from stock that
 * shadowvmm_mmu_topup() filled beforehand.
 */
#ifndef SHADOWVMM_MMU_MMU_H
#define SHADOWVMM_MMU_MMU_H

#include <linux/bitmap.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include "mmu/sptep_list.h"
#include "mmu/walk.h"

struct shadowvmm_gmem;
struct shadowvmm_stats;

#define SHADOWVMM_ROOT_CACHE	4
#define SHADOWVMM_MMU_HASH_BITS	10

/* Rights, as the guest's entries grant them and shadow entries carry. */
#define ACC_EXEC	BIT(0)
#define ACC_WRITE	BIT(1)
#define ACC_USER	BIT(2)
#define ACC_ALL		(ACC_EXEC | ACC_WRITE | ACC_USER)

/*
 * What a shadow page's entries mean, beyond the guest frame it shadows:
 * two shadow pages of one guest table differ exactly when one of these
 * differs, so each combination is cached on its own, and nothing that
 * leaves the entries alone is in here.
 */
union shadowvmm_sp_role {
	u32 word;
	struct {
		u32 level:3;		/* shadow level: 1 holds leaf entries */
		u32 quadrant:2;		/* 32-bit guests: which part of the table */
		u32 direct:1;		/* maps a range of frames, no guest table */
		u32 guest_mode:2;	/* enum shadowvmm_paging_mode */
		u32 access:3;		/* rights granted by the levels above */
		u32 wp:1;
		u32 nxe:1;
		/*
		 * CR4.SMEP and SMAP are the hardware's to enforce; they shape
		 * shadow entries only where CR0.WP=0 makes us map a read-only
		 * page writable for the supervisor (see page_fault_locked()).
		 */
		u32 smep_andnot_wp:1;
		u32 smap_andnot_wp:1;
		u32 pse:1;
		u32 invalid:1;		/* zapped while in use as a root */
	};
};

#define SHADOWVMM_NO_GFN	U32_MAX

struct shadowvmm_sp {
	struct hlist_node hash;
	struct list_head link;		/* in mmu->sps, oldest first */
	union shadowvmm_sp_role role;
	u64 gfn;			/* guest table frame, or first frame mapped */
	u64 *spt;
	struct sptep_list parents;	/* shadow entries pointing here */
	unsigned int root_count;
	unsigned int write_flood;	/* emulated writes since last use */
	/*
	 * Leaf pages: the entry the last emulated store wrote, to see at the
	 * next one whether the guest used it (demand filling) or not (a
	 * table filled in bulk); PT64_ENT_PER_PAGE: none yet.
	 */
	unsigned int last_store;
	/*
	 * Out of sync: the guest writes this leaf table freely, and its
	 * entries catch up at INVLPG and CR3 load, as a TLB would.
	 */
	bool unsync;
	struct list_head unsync_link;	/* in mmu->unsync_sps */
	/* In mmu->orphans while nothing links it (empty otherwise). */
	struct list_head orphan_link;
	/*
	 * Leaf pages that shadow a guest table: the guest frame each mapped
	 * entry maps, for the reverse map, since the guest's entry may have
	 * changed since (out of sync). NULL elsewhere: a direct page maps
	 * its range in order, and upper levels map no frames. Use
	 * shadowvmm_leaf_gfn().
	 */
	u32 *gfns;
	/* The entries that map or link something: emptied without a scan. */
	DECLARE_BITMAP(mapped, PT64_ENT_PER_PAGE);
};

/* Per guest RAM frame: who maps it, and whether it holds a guest table. */
struct shadowvmm_frame {
	struct sptep_list rmap;
	u32 shadowed;			/* non-direct shadow pages of it */
	u32 unsync;			/* how many of them are out of sync */
};

struct shadowvmm_mmu_root {
	bool valid;
	u32 role;			/* the paging state it shadows */
	u64 cr3;
	u64 pdpte[4];
	struct shadowvmm_sp *sp;	/* four-level guests */
	u64 *pae;			/* everyone else: our PDPT page */
};

#define SHADOWVMM_MMU_MMIO_FRAMES	2

struct shadowvmm_mmu {
	spinlock_t lock;		/* see the comment at the top */
	u32 vm_id;			/* for tracepoints */
	struct shadowvmm_gmem *gmem;
	struct shadowvmm_stats *stats;
	struct shadowvmm_paging pg;
	struct shadowvmm_walk_mem walk_mem;	/* guest RAM, for the walker */

	struct hlist_head hash[1 << SHADOWVMM_MMU_HASH_BITS];
	struct list_head sps;
	unsigned int nr_sps, max_sps;
	struct list_head unsync_sps;
	/*
	 * Pages no table links and no root holds: the guest unlinked their
	 * tables, mostly to free them. Dropped at the next CR3 load.
	 */
	struct list_head orphans;
	bool allow_unsync;
	struct shadowvmm_frame *frames;
	u64 nr_frames;

	/* [0] is the loaded root; the rest most recently used first. */
	struct shadowvmm_mmu_root roots[SHADOWVMM_ROOT_CACHE];
	bool reload;			/* roots[0] was zapped */

	/*
	 * Pages zapped, kept for the next ones made while they and the
	 * live ones stay within max_sps: a process's tables go at its exit
	 * and come back at the next fork, and an allocation and a free each
	 * cost more than making the page.
	 */
	struct list_head free_sps;
	unsigned int nr_free_sps;
	/* Enough for a few faults that each build a whole path. */
	struct shadowvmm_sp *spare[3 * SHADOWVMM_MAX_LEVEL];
	unsigned int nr_spare;
	/* Frame arrays for leaf pages that shadow a guest table. */
	u32 *spare_gfns[3 * SHADOWVMM_MAX_LEVEL];
	unsigned int nr_spare_gfns;
	struct sptep_stock blocks;

	/*
	 * What an empty shadow entry holds when its fault must exit: present
	 * with a reserved address bit, so the CPU's fault on it is a
	 * reserved-bit one. An empty entry the guest's own tables explain
	 * holds 0, and its not-present fault goes straight to the guest
	 * (see "Guest faults without an exit" in Documentation/design.rst).
	 * 0 here: the host has no reserved address bit, and every fault exits.
	 */
	u64 trap_spte;

	/* What a guest frame outside RAM maps to: reads all-ones. */
	void *unbacked;
	/*
	 * Frames of device registers (the local APIC, the I/O APIC): never
	 * mapped, so every access to them faults to the VMM.
	 * SHADOWVMM_NO_GFN: none.
	 */
	u64 mmio_gfn[SHADOWVMM_MMU_MMIO_FRAMES];

};

/* One address, seen by the guest's tables and by the shadow. */
struct shadowvmm_translation {
	enum shadowvmm_paging_mode mode;
	struct shadowvmm_walk walk;	/* entry[] as in guest memory */
	int walk_err;			/* 0, or -EFAULT: the guest faults */
	int shadow_top;			/* 4, or 3 for our PDPT */
	int shadow_bottom;		/* the last level read */
	u64 shadow[SHADOWVMM_MAX_LEVEL + 1];
	bool mapped;
	u64 hpa;
};

enum shadowvmm_pf_result {
	SHADOWVMM_PF_FIXED,		/* shadow entry filled: retry */
	SHADOWVMM_PF_SPURIOUS,		/* it was there already */
	SHADOWVMM_PF_INJECT,		/* the guest's own fault */
	SHADOWVMM_PF_EMULATE,		/* a store the VMM must carry out */
	SHADOWVMM_PF_MMIO,		/* an access to device registers */
	SHADOWVMM_PF_RETRY,		/* stock ran out: top up and retry */
};

int shadowvmm_mmu_init(struct shadowvmm_mmu *mmu, struct shadowvmm_gmem *gmem,
		       struct shadowvmm_stats *stats, unsigned int max_pages);
void shadowvmm_mmu_destroy(struct shadowvmm_mmu *mmu);
int shadowvmm_mmu_topup(struct shadowvmm_mmu *mmu);
bool shadowvmm_mmu_needs_topup(const struct shadowvmm_mmu *mmu);

int shadowvmm_mmu_load(struct shadowvmm_mmu *mmu,
		       const struct shadowvmm_paging *pg);
u64 shadowvmm_mmu_root_hpa(const struct shadowvmm_mmu *mmu);

enum shadowvmm_pf_result shadowvmm_mmu_page_fault(struct shadowvmm_mmu *mmu,
						  u64 gva, u32 access,
						  struct shadowvmm_walk *walk);
void shadowvmm_mmu_pte_write(struct shadowvmm_mmu *mmu, u64 gpa,
			     unsigned int size);
void shadowvmm_mmu_unprotect(struct shadowvmm_mmu *mmu, u64 gfn);
void shadowvmm_mmu_invlpg(struct shadowvmm_mmu *mmu, u64 gva);
bool shadowvmm_mmu_mapped_gpa(struct shadowvmm_mmu *mmu, u64 gva, u64 *gpa);
int shadowvmm_mmu_translate(struct shadowvmm_mmu *mmu, u64 gva, u32 access,
			    struct shadowvmm_translation *t);

/* The guest's walk of @gva, as the hardware would make it: A/D set. */
static inline int shadowvmm_mmu_walk(struct shadowvmm_mmu *mmu, u64 gva,
				     u32 access, struct shadowvmm_walk *walk)
{
	return shadowvmm_walk(&mmu->pg, &mmu->walk_mem, gva, access, walk);
}

/**
 * shadowvmm_mmu_bypasses_faults() - can the guest's own faults skip us?
 * @mmu: the MMU
 *
 * Return: true when every shadow entry whose fault the VMM must see is a
 * trap entry, so that a not-present #PF may be delivered to the guest
 * without an exit (the VMCS page-fault error-code mask and match).
 */
static inline bool shadowvmm_mmu_bypasses_faults(const struct shadowvmm_mmu *mmu)
{
	return mmu->trap_spte;
}

/*
 * The guest frame in RAM that leaf entry @i of @sp maps, or
 * SHADOWVMM_NO_GFN: it maps nothing, or a frame outside RAM.
 */
static inline u32 shadowvmm_leaf_gfn(const struct shadowvmm_mmu *mmu,
				     const struct shadowvmm_sp *sp,
				     unsigned int i)
{
	u64 gfn;

	if (!test_bit(i, sp->mapped))
		return SHADOWVMM_NO_GFN;
	gfn = sp->role.direct ? sp->gfn + i : sp->gfns[i];
	return gfn < mmu->nr_frames ? gfn : SHADOWVMM_NO_GFN;
}

/* Whether @gfn holds device registers, which every access must trap. */
static inline bool shadowvmm_mmu_is_mmio(const struct shadowvmm_mmu *mmu,
					 u64 gfn)
{
	unsigned int i;

	for (i = 0; i < SHADOWVMM_MMU_MMIO_FRAMES; i++)
		if (gfn == mmu->mmio_gfn[i])
			return true;
	return false;
}

#endif
