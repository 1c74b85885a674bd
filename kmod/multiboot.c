// SPDX-License-Identifier: GPL-2.0
/*
 * The multiboot v1 hand-over, done the way QEMU's -kernel does it so a
 * guest sees the same information under both. The CLI has already placed
 * the image; this writes what a boot loader leaves in memory for it.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/shadowvmm.h>
#include "multiboot.h"

#define MB	(1024 * 1024)
#define KB	1024

/**
 * shadowvmm_multiboot_check() - validate boot state against guest RAM
 * @ram_size: bytes of guest RAM
 * @entry: the entry point
 * @cmdline_len: command line length without the NUL
 * @why: what is wrong, on failure
 *
 * Return: 0 or -EINVAL.
 */
int shadowvmm_multiboot_check(u64 ram_size, u32 entry, size_t cmdline_len,
			      const char **why)
{
	if (ram_size < SHADOWVMM_MB_AREA_END + MB || ram_size > SHADOWVMM_MEM_SIZE_MAX) {
		*why = "guest RAM too small for the multiboot area";
		return -EINVAL;
	}
	if (entry >= ram_size) {
		*why = "entry point outside guest RAM";
		return -EINVAL;
	}
	if (SHADOWVMM_MB_CMDLINE_ADDR + cmdline_len + 1 > SHADOWVMM_MB_AREA_END) {
		*why = "command line too long";
		return -EINVAL;
	}
	*why = NULL;
	return 0;
}

static void put_mmap(struct multiboot_mmap_entry *e, u64 addr, u64 len,
		     u32 type)
{
	e->size = sizeof(*e) - sizeof(e->size);
	e->addr = addr;
	e->len = len;
	e->type = type;
}

/**
 * shadowvmm_multiboot_build() - write the multiboot information into RAM
 * @ram: guest RAM, @ram_size bytes, already checked by
 *	 shadowvmm_multiboot_check()
 * @ram_size: its size
 * @cmdline: the command line ("<image> <args>", as QEMU passes it)
 *
 * Return: the guest physical address of the information structure, for EBX.
 */
u32 shadowvmm_multiboot_build(void *ram, u64 ram_size, const char *cmdline)
{
	static const char loader[] = "shadowvmm";
	struct multiboot_mmap_entry *mmap = ram + SHADOWVMM_MB_MMAP_ADDR;
	struct multiboot_info *info = ram + SHADOWVMM_MB_INFO_ADDR;
	u32 entries = 0;

	/*
	 * A PC's map: base memory, the EBDA, the BIOS, the rest, and the
	 * top of RAM where SeaBIOS keeps its tables under QEMU.
	 */
	put_mmap(&mmap[entries++], 0, SHADOWVMM_MB_LOW_MEM_KB * KB - KB,
		 MULTIBOOT_MEMORY_AVAILABLE);
	put_mmap(&mmap[entries++], SHADOWVMM_MB_LOW_MEM_KB * KB - KB, KB,
		 MULTIBOOT_MEMORY_RESERVED);
	put_mmap(&mmap[entries++], 0xf0000, 0x10000,
		 MULTIBOOT_MEMORY_RESERVED);
	put_mmap(&mmap[entries++], MB,
		 ram_size - MB - SHADOWVMM_MB_FIRMWARE_HIGH_KB * KB,
		 MULTIBOOT_MEMORY_AVAILABLE);
	put_mmap(&mmap[entries++],
		 ram_size - SHADOWVMM_MB_FIRMWARE_HIGH_KB * KB,
		 SHADOWVMM_MB_FIRMWARE_HIGH_KB * KB, MULTIBOOT_MEMORY_RESERVED);

	memcpy(ram + SHADOWVMM_MB_LOADER_NAME_ADDR, loader, sizeof(loader));
	strscpy(ram + SHADOWVMM_MB_CMDLINE_ADDR, cmdline,
		SHADOWVMM_MB_AREA_END - SHADOWVMM_MB_CMDLINE_ADDR);

	memset(info, 0, sizeof(*info));
	info->flags = MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE |
		      MULTIBOOT_INFO_MODS | MULTIBOOT_INFO_MEM_MAP |
		      MULTIBOOT_INFO_LOADER_NAME;
	info->mem_lower = SHADOWVMM_MB_LOW_MEM_KB;
	/* As QEMU with SeaBIOS: RAM past 1 MiB, less the firmware's top. */
	info->mem_upper = ram_size / KB - KB - SHADOWVMM_MB_FIRMWARE_HIGH_KB;
	info->cmdline = SHADOWVMM_MB_CMDLINE_ADDR;
	info->mods_count = 0;
	info->mods_addr = 0;
	info->mmap_length = entries * sizeof(*mmap);
	info->mmap_addr = SHADOWVMM_MB_MMAP_ADDR;
	info->boot_loader_name = SHADOWVMM_MB_LOADER_NAME_ADDR;
	return SHADOWVMM_MB_INFO_ADDR;
}
