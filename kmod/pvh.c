// SPDX-License-Identifier: GPL-2.0
/*
 * The PVH hand-over (Xen's direct boot, which every x86_64 vmlinux with
 * CONFIG_PVH offers through its XEN_ELFNOTE_PHYS32_ENTRY note), as QEMU's
 * -kernel makes it for such an image: a struct hvm_start_info, version 1,
 * with a memory map, the command line (the -append string alone, without
 * the image's name) and the modules, the initrd first.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <xen/interface/hvm/start_info.h>
#include "pvh.h"

/**
 * shadowvmm_pvh_build() - write a PVH start_info into guest RAM
 * @ram: guest RAM, @ram_size bytes
 * @ram_size: its size
 * @boot: boot state checked by shadowvmm_boot_check(), its strings already
 *	  in place
 *
 * Return: the guest physical address of the start_info, for EBX.
 */
u32 shadowvmm_pvh_build(void *ram, u64 ram_size,
			const struct shadowvmm_boot *boot)
{
	struct hvm_memmap_table_entry *map = ram + SHADOWVMM_BOOT_MMAP_ADDR;
	struct hvm_modlist_entry *mods = ram + SHADOWVMM_BOOT_MODLIST_ADDR;
	struct hvm_start_info *info = ram + SHADOWVMM_BOOT_INFO_ADDR;
	struct shadowvmm_boot_range pc[SHADOWVMM_BOOT_MAP_MAX];
	unsigned int i, entries;

	/*
	 * No firmware keeps tables at the top of RAM here, so unlike the
	 * multiboot map (which copies QEMU's SeaBIOS) RAM runs to the end.
	 */
	entries = shadowvmm_boot_pc_map(ram_size, 0, pc);
	for (i = 0; i < entries; i++) {
		map[i].addr = pc[i].addr;
		map[i].size = pc[i].size;
		map[i].type = pc[i].type;
		map[i].reserved = 0;
	}

	for (i = 0; i < boot->nr_modules; i++) {
		mods[i].paddr = boot->modules[i].addr;
		mods[i].size = boot->modules[i].size;
		mods[i].cmdline_paddr = shadowvmm_boot_module_cmdline(boot, i);
		mods[i].reserved = 0;
	}

	memset(info, 0, sizeof(*info));
	info->magic = XEN_HVM_START_MAGIC_VALUE;
	info->version = 1;
	info->nr_modules = boot->nr_modules;
	info->modlist_paddr = boot->nr_modules ? SHADOWVMM_BOOT_MODLIST_ADDR : 0;
	info->cmdline_paddr = SHADOWVMM_BOOT_CMDLINE_ADDR;
	info->memmap_paddr = SHADOWVMM_BOOT_MMAP_ADDR;
	info->memmap_entries = entries;
	return SHADOWVMM_BOOT_INFO_ADDR;
}
