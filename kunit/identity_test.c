// SPDX-License-Identifier: GPL-2.0
/*
 * The paging-off table must map every guest page to exactly the host page
 * backing it and nothing beyond guest RAM: it is the whole isolation story
 * until the shadow MMU takes over.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <asm/pgtable_types.h>
#include "gmem.h"
#include "mmu/identity.h"

#define RAM_SIZE	((5 << 20) + (12 << 10))	/* not a 2 MiB multiple */

static u64 *table_at(u64 entry)
{
	return __va(entry & PTE_PFN_MASK);
}

static void maps_ram_and_nothing_else(struct kunit *test)
{
	struct shadowvmm_identity_map map = {};
	struct shadowvmm_gmem gmem;
	u64 *pdpt, *pd, *pt, gpa;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, shadowvmm_gmem_init(&gmem, RAM_SIZE), 0);
	KUNIT_ASSERT_EQ(test, shadowvmm_identity_map_build(&map, &gmem), 0);
	/* PAE CR3 holds 32 bits. */
	KUNIT_EXPECT_LT(test, shadowvmm_identity_map_root(&map), 1ULL << 32);
	pdpt = __va(shadowvmm_identity_map_root(&map));
	/* PDPTEs may hold only P: RW/US there are reserved bits. */
	KUNIT_EXPECT_EQ(test, pdpt[0] & ~PTE_PFN_MASK, (u64)_PAGE_PRESENT);
	for (i = 1; i < 4; i++)
		KUNIT_EXPECT_EQ(test, pdpt[i], 0ULL);

	pd = table_at(pdpt[0]);
	for (gpa = 0; gpa < (4 << 20) * 2; gpa += PAGE_SIZE) {
		u64 pde = pd[gpa >> 21], pte;

		if (gpa >= ALIGN(RAM_SIZE, 2 << 20)) {
			KUNIT_EXPECT_EQ(test, pde, 0ULL);
			continue;
		}
		pt = table_at(pde);
		pte = pt[(gpa >> 12) & 511];
		if (gpa >= RAM_SIZE) {
			KUNIT_EXPECT_EQ_MSG(test, pte, 0ULL, "gpa %#llx", gpa);
			continue;
		}
		KUNIT_ASSERT_EQ_MSG(test, pte >> PAGE_SHIFT,
				    (u64)shadowvmm_gmem_pfn(&gmem, gpa),
				    "gpa %#llx", gpa);
		KUNIT_EXPECT_TRUE(test, pte & _PAGE_PRESENT);
	}
	shadowvmm_identity_map_free(&map);
	shadowvmm_gmem_free(&gmem);
}

static void gmem_bounds(struct kunit *test)
{
	struct shadowvmm_gmem gmem;
	u8 byte = 1;

	KUNIT_ASSERT_EQ(test, shadowvmm_gmem_init(&gmem, 2 << 20), 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_gmem_write(&gmem, (2 << 20) - 1, &byte,
						   1), 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_gmem_write(&gmem, 2 << 20, &byte, 1),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, shadowvmm_gmem_write(&gmem, (2 << 20) - 1, &byte,
						   2), -ERANGE);
	/* An overflowing end wraps to a small number: still refused. */
	KUNIT_EXPECT_FALSE(test, shadowvmm_gmem_range_ok(&gmem, ~0ULL - 1, 4));
	shadowvmm_gmem_free(&gmem);
	KUNIT_EXPECT_EQ(test, shadowvmm_gmem_init(&gmem, 4097), -EINVAL);
}

static struct kunit_case identity_cases[] = {
	KUNIT_CASE(maps_ram_and_nothing_else),
	KUNIT_CASE(gmem_bounds),
	{}
};

static struct kunit_suite identity_suite = {
	.name = "shadowvmm_identity_map",
	.test_cases = identity_cases,
};

kunit_test_suite(identity_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for shadowvmm");
