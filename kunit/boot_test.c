// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>
#include <linux/vmalloc.h>
#include <asm/mpspec_def.h>
#include <xen/interface/hvm/start_info.h>
#include "boot.h"
#include "handover.h"
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

/* Boot state for a 32 MiB guest: entry at 1 MiB, @cmdline. */
static void boot_init(struct shadowvmm_boot *boot, u32 protocol,
		      const char *cmdline)
{
	memset(boot, 0, sizeof(*boot));
	boot->protocol = protocol;
	boot->entry = 0x100000;
	boot->cmdline = (char *)cmdline;
}

static u32 write_boot(struct kunit *test, void *ram,
		      const struct shadowvmm_boot *boot, u32 eax)
{
	struct shadowvmm_boot_regs regs;
	unsigned int module = 0;
	const char *why;
	int attr;

	KUNIT_ASSERT_EQ(test, shadowvmm_boot_check(RAM_SIZE, boot, &attr,
						   &module, &why), 0);
	shadowvmm_handover_write(ram, RAM_SIZE, boot, &regs);
	KUNIT_EXPECT_EQ(test, regs.eip, boot->entry);
	KUNIT_EXPECT_EQ(test, regs.eax, eax);
	return regs.ebx;
}

static void multiboot_info_matches_qemu(struct kunit *test)
{
	void *ram = ram_init(test);
	struct multiboot_info *info;
	struct shadowvmm_boot boot;
	u32 mbi;

	boot_init(&boot, SHADOWVMM_BOOT_MULTIBOOT, "/guests/hello.elf x=1");
	mbi = write_boot(test, ram, &boot, MULTIBOOT_BOOTLOADER_MAGIC);
	KUNIT_EXPECT_EQ(test, mbi, (u32)SHADOWVMM_BOOT_INFO_ADDR);
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

static void multiboot_modules_listed_in_order(struct kunit *test)
{
	void *ram = ram_init(test);
	struct multiboot_mod_list *mods;
	struct multiboot_info *info;
	struct shadowvmm_boot boot;

	boot_init(&boot, SHADOWVMM_BOOT_MULTIBOOT, "k");
	boot.nr_modules = 2;
	boot.modules[0] = (struct shadowvmm_boot_module){
		0x200000, 100, "mod.bin one"
	};
	boot.modules[1] = (struct shadowvmm_boot_module){ 0x201000, 4096 };
	info = ram + write_boot(test, ram, &boot, MULTIBOOT_BOOTLOADER_MAGIC);
	KUNIT_EXPECT_EQ(test, info->mods_count, 2U);
	KUNIT_ASSERT_EQ(test, info->mods_addr, (u32)SHADOWVMM_BOOT_MODLIST_ADDR);
	mods = ram + info->mods_addr;
	KUNIT_EXPECT_EQ(test, mods[0].mod_start, 0x200000U);
	KUNIT_EXPECT_EQ(test, mods[0].mod_end, 0x200064U);
	KUNIT_EXPECT_STREQ(test, (char *)ram + mods[0].cmdline, "mod.bin one");
	KUNIT_EXPECT_EQ(test, mods[1].mod_start, 0x201000U);
	KUNIT_EXPECT_EQ(test, mods[1].mod_end, 0x202000U);
	KUNIT_EXPECT_EQ(test, mods[1].cmdline, 0U);
}

static void multiboot_memory_map_covers_ram(struct kunit *test)
{
	void *ram = ram_init(test);
	struct multiboot_info *info;
	struct multiboot_mmap_entry *e;
	struct shadowvmm_boot boot;
	u64 available = 0, end = 0;
	u32 off;

	boot_init(&boot, SHADOWVMM_BOOT_MULTIBOOT, "");
	info = ram + write_boot(test, ram, &boot, MULTIBOOT_BOOTLOADER_MAGIC);
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

/*
 * What Linux's pvh/enlighten.c reads: the magic, version 1 (0 or an empty
 * memory map is a BUG()), the command line, the initrd as module 0, and a
 * map in which RAM runs from 1 MiB to the end and the MP table's area is
 * reserved.
 */
static void pvh_start_info_as_linux_reads_it(struct kunit *test)
{
	void *ram = ram_init(test);
	struct hvm_memmap_table_entry *map;
	struct hvm_modlist_entry *mods;
	struct shadowvmm_boot boot;
	struct hvm_start_info *si;
	u64 available = 0, end = 0;
	bool mptable_reserved = false;
	u32 i;

	boot_init(&boot, SHADOWVMM_BOOT_PVH, "console=ttyS0 quiet");
	boot.nr_modules = 1;
	boot.modules[0] = (struct shadowvmm_boot_module){ 0x1e00000, 12345 };
	si = ram + write_boot(test, ram, &boot, 0);
	KUNIT_EXPECT_EQ(test, si->magic, (u32)XEN_HVM_START_MAGIC_VALUE);
	KUNIT_EXPECT_EQ(test, si->version, 1U);
	KUNIT_EXPECT_EQ(test, si->flags, 0U);
	KUNIT_EXPECT_EQ(test, si->rsdp_paddr, 0ULL);
	KUNIT_EXPECT_STREQ(test, (char *)ram + si->cmdline_paddr,
			   "console=ttyS0 quiet");
	KUNIT_ASSERT_EQ(test, si->nr_modules, 1U);
	mods = ram + si->modlist_paddr;
	KUNIT_EXPECT_EQ(test, mods[0].paddr, 0x1e00000ULL);
	KUNIT_EXPECT_EQ(test, mods[0].size, 12345ULL);
	KUNIT_EXPECT_EQ(test, mods[0].cmdline_paddr, 0ULL);

	KUNIT_ASSERT_GT(test, si->memmap_entries, 0U);
	map = ram + si->memmap_paddr;
	for (i = 0; i < si->memmap_entries; i++) {
		KUNIT_EXPECT_GE(test, map[i].addr, end);
		end = map[i].addr + map[i].size;
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			available += map[i].size;
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RESERVED &&
		    map[i].addr <= 0xf0000 && end >= 0x100000)
			mptable_reserved = true;
		KUNIT_EXPECT_EQ(test, map[i].reserved, 0U);
	}
	KUNIT_EXPECT_EQ(test, end, (u64)RAM_SIZE);
	KUNIT_EXPECT_EQ(test, available, (u64)RAM_SIZE - (1 << 20) + 0x9fc00);
	KUNIT_EXPECT_TRUE(test, mptable_reserved);
}

static void boot_info_stays_out_of_page_zero(struct kunit *test)
{
	KUNIT_EXPECT_GE(test, SHADOWVMM_BOOT_MMAP_ADDR, 0x1000);
	KUNIT_EXPECT_LE(test, SHADOWVMM_BOOT_AREA_END, 0x9fc00);
	/* Each table fits before the next. */
	KUNIT_EXPECT_LE(test, SHADOWVMM_BOOT_MMAP_ADDR + SHADOWVMM_BOOT_MAP_MAX *
			sizeof(struct multiboot_mmap_entry),
			SHADOWVMM_BOOT_INFO_ADDR);
	KUNIT_EXPECT_LE(test, SHADOWVMM_BOOT_INFO_ADDR +
			max(sizeof(struct multiboot_info),
			    sizeof(struct hvm_start_info)),
			SHADOWVMM_BOOT_MODLIST_ADDR);
	KUNIT_EXPECT_LE(test, SHADOWVMM_BOOT_MODLIST_ADDR +
			SHADOWVMM_BOOT_MODULES_MAX *
			sizeof(struct hvm_modlist_entry),
			SHADOWVMM_BOOT_LOADER_NAME_ADDR);
}

struct bad_boot {
	const char *name;
	u32 entry;
	u64 addr, size;		/* module 1; module 0 is 1 MiB at 2 MiB */
	int err, attr;
	unsigned int module;
	const char *why;
};

static const struct bad_boot bad_boots[] = {
	{ "entry outside RAM", RAM_SIZE, 0x400000, 4096, -EINVAL,
	  SHADOWVMM_A_BOOT_ENTRY, 0, "BOOT_ENTRY: entry point outside guest RAM" },
	{ "module not page-aligned", 0x100000, 0x400010, 4096, -EINVAL,
	  SHADOWVMM_A_BOOT_MODULE, 1, "MODULE_ADDR: not page-aligned" },
	{ "module below 1 MiB", 0x100000, 0x9000, 4096, -EINVAL,
	  SHADOWVMM_A_BOOT_MODULE, 1,
	  "MODULE_ADDR: below 1 MiB, where the boot information lives" },
	{ "module past RAM", 0x100000, RAM_SIZE - 4096, 4097, -ERANGE,
	  SHADOWVMM_A_BOOT_MODULE, 1,
	  "MODULE_SIZE: the module reaches beyond guest RAM" },
	{ "module size wraps", 0x100000, 0x400000, ~0ULL - 0x1000, -ERANGE,
	  SHADOWVMM_A_BOOT_MODULE, 1,
	  "MODULE_SIZE: the module reaches beyond guest RAM" },
	{ "module of 0 bytes", 0x100000, 0x400000, 0, -EINVAL,
	  SHADOWVMM_A_BOOT_MODULE, 1, "MODULE_SIZE: 0" },
	{ "modules overlap", 0x100000, 0x2ff000, 4096, -EINVAL,
	  SHADOWVMM_A_BOOT_MODULE, 1,
	  "MODULE_ADDR: the module overlaps an earlier one" },
	{ "modules touch", 0x100000, 0x300000, 4096, 0 },
	{ "module at the end of RAM", RAM_SIZE - 1, RAM_SIZE - 4096, 4096, 0 },
};

static void bad_boot_desc(const struct bad_boot *b, char *desc)
{
	strscpy(desc, b->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_boot, bad_boots, bad_boot_desc);

static void check_names_what_is_wrong(struct kunit *test)
{
	const struct bad_boot *b = test->param_value;
	struct shadowvmm_boot boot;
	unsigned int module = 0;
	const char *why;
	int attr;

	boot_init(&boot, SHADOWVMM_BOOT_PVH, "");
	boot.entry = b->entry;
	boot.nr_modules = 2;
	boot.modules[0] = (struct shadowvmm_boot_module){ 0x200000, 0x100000 };
	boot.modules[1] = (struct shadowvmm_boot_module){ b->addr, b->size };
	KUNIT_EXPECT_EQ(test, shadowvmm_boot_check(RAM_SIZE, &boot, &attr,
						   &module, &why), b->err);
	if (!b->err)
		return;
	KUNIT_EXPECT_EQ(test, attr, b->attr);
	KUNIT_EXPECT_EQ(test, module, b->module);
	KUNIT_EXPECT_STREQ(test, why, b->why);
}

static void check_bounds_ram_and_cmdline(struct kunit *test)
{
	static char long_cmdline[SHADOWVMM_CMDLINE_MAX + 1];
	struct shadowvmm_boot boot;
	unsigned int module = 0;
	const char *why;
	int attr;

	boot_init(&boot, SHADOWVMM_BOOT_MULTIBOOT, "");
	KUNIT_EXPECT_EQ(test, shadowvmm_boot_check(1 << 20, &boot, &attr,
						   &module, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, attr, SHADOWVMM_A_BOOT_ENTRY);
	memset(long_cmdline, 'x', SHADOWVMM_CMDLINE_MAX - 1);
	boot.cmdline = long_cmdline;
	KUNIT_EXPECT_EQ(test, shadowvmm_boot_check(RAM_SIZE, &boot, &attr,
						   &module, &why), 0);
	long_cmdline[SHADOWVMM_CMDLINE_MAX - 1] = 'x';
	KUNIT_EXPECT_EQ(test, shadowvmm_boot_check(RAM_SIZE, &boot, &attr,
						   &module, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, attr, SHADOWVMM_A_BOOT_CMDLINE);
	boot.cmdline = "";
	boot.protocol = SHADOWVMM_BOOT_LAST + 1;
	KUNIT_EXPECT_EQ(test, shadowvmm_boot_check(RAM_SIZE, &boot, &attr,
						   &module, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, attr, SHADOWVMM_A_BOOT_PROTOCOL);
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
	struct mpc_lintsrc *lint;
	struct mpc_intsrc *irq;
	struct mpc_ioapic *ioapic;
	struct mpc_table *mpc;
	struct mpc_bus *bus;
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
	/* The CPU, the bus, the I/O APIC, ISA IRQs 0-15, LINT0 and LINT1. */
	KUNIT_EXPECT_EQ(test, mpc->oemcount, 21);
	cpu = (void *)(mpc + 1);
	KUNIT_EXPECT_EQ(test, cpu->type, MP_PROCESSOR);
	KUNIT_EXPECT_EQ(test, cpu->apicid, 0);
	KUNIT_EXPECT_EQ(test, cpu->cpuflag, CPU_ENABLED | CPU_BOOTPROCESSOR);
	bus = (void *)(cpu + 1);
	KUNIT_EXPECT_EQ(test, bus->type, MP_BUS);
	KUNIT_EXPECT_EQ(test, memcmp(bus->bustype, "ISA   ", 6), 0);
	ioapic = (void *)(bus + 1);
	KUNIT_EXPECT_EQ(test, ioapic->type, MP_IOAPIC);
	KUNIT_EXPECT_EQ(test, ioapic->apicid, 1);
	KUNIT_EXPECT_EQ(test, ioapic->flags, MPC_APIC_USABLE);
	KUNIT_EXPECT_EQ(test, ioapic->apicaddr, 0xfec00000U);
	irq = (void *)(ioapic + 1);
	/* COM1: ISA IRQ 4 on pin 4, conforming to the bus (edge, high). */
	KUNIT_EXPECT_EQ(test, irq[4].type, MP_INTSRC);
	KUNIT_EXPECT_EQ(test, irq[4].irqtype, mp_INT);
	KUNIT_EXPECT_EQ(test, irq[4].irqflag, 0);
	KUNIT_EXPECT_EQ(test, irq[4].srcbus, bus->busid);
	KUNIT_EXPECT_EQ(test, irq[4].srcbusirq, 4);
	KUNIT_EXPECT_EQ(test, irq[4].dstapic, 1);
	KUNIT_EXPECT_EQ(test, irq[4].dstirq, 4);
	lint = (void *)(irq + 16);
	KUNIT_EXPECT_EQ(test, lint[1].type, MP_LINTSRC);
	KUNIT_EXPECT_EQ(test, lint[1].irqtype, mp_NMI);
	KUNIT_EXPECT_EQ(test, (u8 *)(lint + 2) - (u8 *)mpc, (long)mpc->length);
}

static struct kunit_case boot_cases[] = {
	KUNIT_CASE(mp_table_for_one_cpu),
	KUNIT_CASE(multiboot_info_matches_qemu),
	KUNIT_CASE(multiboot_modules_listed_in_order),
	KUNIT_CASE(multiboot_memory_map_covers_ram),
	KUNIT_CASE(pvh_start_info_as_linux_reads_it),
	KUNIT_CASE(boot_info_stays_out_of_page_zero),
	KUNIT_CASE_PARAM(check_names_what_is_wrong, bad_boot_gen_params),
	KUNIT_CASE(check_bounds_ram_and_cmdline),
	{}
};

static struct kunit_suite boot_suite = {
	.name = "shadowvmm_boot",
	.exit = ram_exit,
	.test_cases = boot_cases,
};

kunit_test_suite(boot_suite);
