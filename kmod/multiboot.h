/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_MULTIBOOT_H
#define SHADOWVMM_MULTIBOOT_H

#include <linux/bits.h>
#include <linux/types.h>
#include "boot.h"

#define MULTIBOOT_BOOTLOADER_MAGIC	0x2badb002

/* Multiboot v1 information structure, as the guest reads it. */
struct multiboot_info {
	u32 flags;
	u32 mem_lower;
	u32 mem_upper;
	u32 boot_device;
	u32 cmdline;
	u32 mods_count;
	u32 mods_addr;
	u32 syms[4];
	u32 mmap_length;
	u32 mmap_addr;
	u32 drives_length;
	u32 drives_addr;
	u32 config_table;
	u32 boot_loader_name;
} __packed;

struct multiboot_mod_list {
	u32 mod_start;
	u32 mod_end;
	u32 cmdline;
	u32 pad;
} __packed;

struct multiboot_mmap_entry {
	u32 size;	/* of the rest of the entry: 20 */
	u64 addr;
	u64 len;
	u32 type;
} __packed;

#define MULTIBOOT_INFO_MEMORY		BIT(0)
#define MULTIBOOT_INFO_CMDLINE		BIT(2)
#define MULTIBOOT_INFO_MODS		BIT(3)
#define MULTIBOOT_INFO_MEM_MAP		BIT(6)
#define MULTIBOOT_INFO_LOADER_NAME	BIT(9)

#define MULTIBOOT_MEMORY_AVAILABLE	1
#define MULTIBOOT_MEMORY_RESERVED	2

u32 shadowvmm_multiboot_build(void *ram, u64 ram_size,
			      const struct shadowvmm_boot *boot);

#endif
