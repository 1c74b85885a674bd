// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>
#include <linux/vmalloc.h>
#include <asm/mpspec_def.h>
#include "mptable.h"
#include "multiboot.h"

#define RAM_SIZE	(32 << 20)

static void *ram_init(struct kunit *test)
{
	void *ram = vzalloc(RAM_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, ram);
	test->priv = ram;
	return ram;
}

static void ram_exit(struct kunit *test)
{
	vfree(test->priv);
}

static void info_matches_qemu(struct kunit *test)
{
	void *ram = ram_init(test);
	struct multiboot_info *info;
	u32 mbi;

	mbi = shadowvmm_multiboot_build(ram, RAM_SIZE, "/guests/hello.elf x=1");
	KUNIT_EXPECT_EQ(test, mbi, (u32)SHADOWVMM_MB_INFO_ADDR);
	info = ram + mbi;
	KUNIT_EXPECT_TRUE(test, info->flags & MULTIBOOT_INFO_MEMORY);
	KUNIT_EXPECT_TRUE(test, info->flags & MULTIBOOT_INFO_CMDLINE);
	KUNIT_EXPECT_TRUE(test, info->flags & MULTIBOOT_INFO_MEM_MAP);
	KUNIT_EXPECT_EQ(test, info->mem_lower, 640U);
	/* What QEMU's -m 32M reports: RAM above 1 MiB less SeaBIOS's top. */
	KUNIT_EXPECT_EQ(test, info->mem_upper, 31616U);
	KUNIT_EXPECT_STREQ(test, (char *)ram + info->cmdline,
			   "/guests/hello.elf x=1");
	KUNIT_EXPECT_STREQ(test, (char *)ram + info->boot_loader_name,
			   "shadowvmm");
	KUNIT_EXPECT_EQ(test, info->mods_count, 0U);
}

static void memory_map_covers_ram(struct kunit *test)
{
	void *ram = ram_init(test);
	struct multiboot_info *info;
	struct multiboot_mmap_entry *e;
	u64 available = 0, end = 0;
	u32 off;

	info = ram + shadowvmm_multiboot_build(ram, RAM_SIZE, "");
	KUNIT_ASSERT_EQ(test, info->mmap_length % sizeof(*e), 0U);
	for (off = 0; off < info->mmap_length; off += sizeof(*e)) {
		e = ram + info->mmap_addr + off;
		KUNIT_EXPECT_EQ(test, e->size, 20U);
		KUNIT_EXPECT_GE(test, e->addr, end);	/* sorted, disjoint */
		end = e->addr + e->len;
		if (e->type == MULTIBOOT_MEMORY_AVAILABLE)
			available += e->len;
	}
	KUNIT_EXPECT_EQ(test, end, (u64)RAM_SIZE);
	KUNIT_EXPECT_EQ(test, available,
			(u64)RAM_SIZE - (1 << 20) - (128 << 10) + 0x9fc00);
}

static void boot_info_stays_out_of_page_zero(struct kunit *test)
{
	KUNIT_EXPECT_GE(test, SHADOWVMM_MB_MMAP_ADDR, 0x1000);
	KUNIT_EXPECT_LE(test, SHADOWVMM_MB_AREA_END, 0x9fc00);
}

static void check_rejects_bad_boot_state(struct kunit *test)
{
	const char *why;

	KUNIT_EXPECT_EQ(test, shadowvmm_multiboot_check(RAM_SIZE, 0x100000, 10,
							&why), 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_multiboot_check(RAM_SIZE, RAM_SIZE, 0,
							&why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "entry point outside guest RAM");
	KUNIT_EXPECT_EQ(test, shadowvmm_multiboot_check(RAM_SIZE, 0x100000,
							4096, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, shadowvmm_multiboot_check(RAM_SIZE, 0x100000,
							4095, &why), 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_multiboot_check(1 << 20, 0x1000, 0,
							&why), -EINVAL);
}

static u8 byte_sum(const u8 *p, size_t len)
{
	u8 sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

/*
 * The MP table as an OS's search finds it: a floating pointer in the BIOS
 * area, which the memory map reserves, with a good checksum, pointing at
 * a configuration table with one processor (APIC ID 0, enabled, the boot
 * CPU) and the local APIC's address.
 */
static void mp_table_for_one_cpu(struct kunit *test)
{
	u8 *ram = ram_init(test);
	struct mpf_intel *mpf = (void *)(ram + 0xf0000);
	struct mpc_table *mpc;
	struct mpc_cpu *cpu;

	shadowvmm_mptable_build(ram);
	KUNIT_ASSERT_EQ(test, memcmp(mpf->signature, "_MP_", 4), 0);
	KUNIT_EXPECT_EQ(test, byte_sum((u8 *)mpf, 16), 0);
	KUNIT_EXPECT_EQ(test, mpf->length, 1);
	KUNIT_EXPECT_EQ(test, mpf->feature1, 0);
	KUNIT_ASSERT_GE(test, mpf->physptr, 0xf0010U);
	KUNIT_ASSERT_LT(test, mpf->physptr, 0x100000U - sizeof(*mpc));
	mpc = (void *)(ram + mpf->physptr);
	KUNIT_EXPECT_EQ(test, memcmp(mpc->signature, "PCMP", 4), 0);
	KUNIT_EXPECT_EQ(test, byte_sum((u8 *)mpc, mpc->length), 0);
	KUNIT_EXPECT_LE(test, mpf->physptr + mpc->length, 0x100000U);
	KUNIT_EXPECT_EQ(test, mpc->lapic, 0xfee00000U);
	KUNIT_EXPECT_EQ(test, mpc->oemcount, 2);
	cpu = (void *)(mpc + 1);
	KUNIT_EXPECT_EQ(test, cpu->type, MP_PROCESSOR);
	KUNIT_EXPECT_EQ(test, cpu->apicid, 0);
	KUNIT_EXPECT_EQ(test, cpu->cpuflag, CPU_ENABLED | CPU_BOOTPROCESSOR);
	KUNIT_EXPECT_EQ(test, ((struct mpc_bus *)(cpu + 1))->type, MP_BUS);
}

static struct kunit_case multiboot_cases[] = {
	KUNIT_CASE(mp_table_for_one_cpu),
	KUNIT_CASE(info_matches_qemu),
	KUNIT_CASE(memory_map_covers_ram),
	KUNIT_CASE(boot_info_stays_out_of_page_zero),
	KUNIT_CASE(check_rejects_bad_boot_state),
	{}
};

static struct kunit_suite multiboot_suite = {
	.name = "shadowvmm_multiboot",
	.exit = ram_exit,
	.test_cases = multiboot_cases,
};

kunit_test_suite(multiboot_suite);
