/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PVH boot protocol, the part these guests use: the ELF note that
 * offers a 32-bit entry (Xen's XEN_ELFNOTE_PHYS32_ENTRY, which QEMU's
 * -kernel honours for an ELF without a multiboot header) and the
 * struct hvm_start_info the loader leaves in EBX (Linux's
 * include/xen/interface/hvm/start_info.h). Shared by pvh_entry.S and C.
 */
#ifndef GUEST_PVH_H
#define GUEST_PVH_H

#define XEN_ELFNOTE_PHYS32_ENTRY	18
#define XEN_HVM_START_MAGIC_VALUE	0x336ec578

#define XEN_HVM_MEMMAP_TYPE_RAM		1

#ifndef __ASSEMBLER__
#include "types.h"

struct hvm_start_info {
	u32 magic;
	u32 version;
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;	/* struct hvm_modlist_entry[nr_modules] */
	u64 cmdline_paddr;	/* NUL-terminated, or 0 */
	u64 rsdp_paddr;
	/* version 1 */
	u64 memmap_paddr;	/* struct hvm_memmap_table_entry[] */
	u32 memmap_entries;
	u32 reserved;
};

struct hvm_modlist_entry {
	u64 paddr;
	u64 size;
	u64 cmdline_paddr;	/* NUL-terminated, or 0 */
	u64 reserved;
};

struct hvm_memmap_table_entry {
	u64 addr;
	u64 size;
	u32 type;		/* as in the e820 map */
	u32 reserved;
};

/* pvh_entry.S calls this with what the loader left in EBX. */
void __noreturn pvh_start_c(const struct hvm_start_info *info);
#endif

#endif
