/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot v1, the part these guests use. Shared by entry.S and C, so
 * the magic numbers are written down once.
 */
#ifndef GUEST_MULTIBOOT_H
#define GUEST_MULTIBOOT_H

#define MULTIBOOT_HEADER_MAGIC	0x1badb002
/* Bit 1: fill in mem_lower/mem_upper; bit 0 page-aligns any modules. */
#define MULTIBOOT_HEADER_FLAGS	0x00000003
/* What the loader leaves in EAX, so a guest can tell it was not jumped to. */
#define MULTIBOOT_LOADER_MAGIC	0x2badb002

#define MULTIBOOT_INFO_MEMORY	(1u << 0)
#define MULTIBOOT_INFO_CMDLINE	(1u << 2)
#define MULTIBOOT_INFO_MODS	(1u << 3)

#ifndef __ASSEMBLER__
#include "types.h"

struct multiboot_info {
	u32 flags;
	u32 mem_lower;		/* KiB below 640 KiB */
	u32 mem_upper;		/* KiB from 1 MiB to the first hole */
	u32 boot_device;
	u32 cmdline;		/* physical address, "<image name> <args>" */
	u32 mods_count;
	u32 mods_addr;		/* struct multiboot_mod_list[mods_count] */
	/* the rest is not used by these guests */
};

struct multiboot_mod_list {
	u32 mod_start;
	u32 mod_end;		/* the first byte past the module */
	u32 cmdline;		/* "<file name> <string>", as QEMU's -initrd */
	u32 pad;
};
#endif

#endif
