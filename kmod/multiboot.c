// SPDX-License-Identifier: GPL-2.0
/*
 * The multiboot v1 hand-over, done the way QEMU's -kernel does it so a
 * guest sees the same information under both. The CLI has already placed
 * the image and its modules; this writes what a boot loader leaves in
 * memory for them.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include "multiboot.h"

#define KB	1024

/**
 * shadowvmm_multiboot_build() - write the multiboot information into RAM
 * @ram: guest RAM, @ram_size bytes
 * @ram_size: its size
 * @boot: boot state checked by shadowvmm_boot_check(), its strings already
 *	  in place; the command line is "<image> <args>", as QEMU passes it
 *
 * Return: the guest physical address of the information structure, for EBX.
 */
u32 shadowvmm_multiboot_build(void *ram, u64 ram_size,
			      const struct shadowvmm_boot *boot)
{
	static const char loader[] = "shadowvmm";
	struct multiboot_mmap_entry *mmap = ram + SHADOWVMM_BOOT_MMAP_ADDR;
	struct multiboot_info *info = ram + SHADOWVMM_BOOT_INFO_ADDR;
	struct multiboot_mod_list *mods = ram + SHADOWVMM_BOOT_MODLIST_ADDR;
	struct shadowvmm_boot_range pc[SHADOWVMM_BOOT_MAP_MAX];
	unsigned int i, entries;

	/* With the top of RAM where SeaBIOS keeps its tables under QEMU. */
	entries = shadowvmm_boot_pc_map(ram_size,
					SHADOWVMM_BOOT_FIRMWARE_HIGH_KB * KB, pc);
	for (i = 0; i < entries; i++) {
		mmap[i].size = sizeof(*mmap) - sizeof(mmap->size);
		mmap[i].addr = pc[i].addr;
		mmap[i].len = pc[i].size;
		mmap[i].type = pc[i].type;
	}

	memcpy(ram + SHADOWVMM_BOOT_LOADER_NAME_ADDR, loader, sizeof(loader));
	for (i = 0; i < boot->nr_modules; i++) {
		mods[i].mod_start = boot->modules[i].addr;
		mods[i].mod_end = boot->modules[i].addr + boot->modules[i].size;
		mods[i].cmdline = shadowvmm_boot_module_cmdline(boot, i);
		mods[i].pad = 0;
	}

	memset(info, 0, sizeof(*info));
	info->flags = MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE |
		      MULTIBOOT_INFO_MODS | MULTIBOOT_INFO_MEM_MAP |
		      MULTIBOOT_INFO_LOADER_NAME;
	info->mem_lower = SHADOWVMM_BOOT_LOW_MEM_KB;
	/* As QEMU with SeaBIOS: RAM past 1 MiB, less the firmware's top. */
	info->mem_upper = ram_size / KB - KB - SHADOWVMM_BOOT_FIRMWARE_HIGH_KB;
	info->cmdline = SHADOWVMM_BOOT_CMDLINE_ADDR;
	info->mods_count = boot->nr_modules;
	info->mods_addr = boot->nr_modules ? SHADOWVMM_BOOT_MODLIST_ADDR : 0;
	info->mmap_length = entries * sizeof(*mmap);
	info->mmap_addr = SHADOWVMM_BOOT_MMAP_ADDR;
	info->boot_loader_name = SHADOWVMM_BOOT_LOADER_NAME_ADDR;
	return SHADOWVMM_BOOT_INFO_ADDR;
}
