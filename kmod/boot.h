/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_BOOT_H
#define SHADOWVMM_BOOT_H

#include <linux/types.h>
#include <linux/shadowvmm.h>

/*
 * Where the boot information goes in guest RAM, for either protocol: the
 * places QEMU's multiboot option ROM uses for the memory map (0x9000) and
 * the information structure (0x9500), then the module list, the loader's
 * name, the command line and the modules' strings, all below 1 MiB and
 * clear of page 0.
 */
#define SHADOWVMM_BOOT_MMAP_ADDR	0x9000
#define SHADOWVMM_BOOT_INFO_ADDR	0x9500
#define SHADOWVMM_BOOT_MODLIST_ADDR	0x9600
#define SHADOWVMM_BOOT_LOADER_NAME_ADDR	0x9700
#define SHADOWVMM_BOOT_CMDLINE_ADDR	0x9800
#define SHADOWVMM_BOOT_MODSTR_ADDR	(SHADOWVMM_BOOT_CMDLINE_ADDR + \
					 SHADOWVMM_CMDLINE_MAX)
#define SHADOWVMM_BOOT_AREA_END		(SHADOWVMM_BOOT_MODSTR_ADDR + \
					 SHADOWVMM_BOOT_MODULES_MAX * \
					 SHADOWVMM_MODULE_CMDLINE_MAX)
#define SHADOWVMM_BOOT_LAST		SHADOWVMM_BOOT_PVH
/* Modules live above the PC's first megabyte, which the boot area is in. */
#define SHADOWVMM_BOOT_MODULE_MIN	0x100000
/* A PC's base memory, and the top of RAM SeaBIOS keeps for itself. */
#define SHADOWVMM_BOOT_LOW_MEM_KB	640
#define SHADOWVMM_BOOT_FIRMWARE_HIGH_KB	128

struct shadowvmm_boot_module {
	u64 addr;
	u64 size;
	char *cmdline;	/* NULL: none */
};

/* What BOOT_SET gave: how to hand over to the guest kernel. */
struct shadowvmm_boot {
	u32 protocol;	/* enum shadowvmm_boot_protocol */
	u32 entry;
	char *cmdline;
	unsigned int nr_modules;
	struct shadowvmm_boot_module modules[SHADOWVMM_BOOT_MODULES_MAX];
};

/* A range of the guest's memory map; types as in the e820 map. */
struct shadowvmm_boot_range {
	u64 addr;
	u64 size;
	u32 type;
};

#define SHADOWVMM_BOOT_RAM		1
#define SHADOWVMM_BOOT_RESERVED		2
#define SHADOWVMM_BOOT_MAP_MAX		5

/* The registers the guest starts with, besides the fixed entry state. */
struct shadowvmm_boot_regs {
	u32 eip;
	u32 eax;
	u32 ebx;
};

int shadowvmm_boot_check(u64 ram_size, const struct shadowvmm_boot *boot,
			 int *attr, unsigned int *module, const char **why);
void shadowvmm_boot_free(struct shadowvmm_boot *boot);
unsigned int shadowvmm_boot_pc_map(u64 ram_size, u64 firmware_size,
				   struct shadowvmm_boot_range *map);
u32 shadowvmm_boot_module_cmdline(const struct shadowvmm_boot *boot,
				  unsigned int i);

#endif
