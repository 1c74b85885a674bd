// SPDX-License-Identifier: GPL-2.0
/*
 * The PVH loader, as QEMU's -kernel loads an ELF without a multiboot
 * header: every x86_64 vmlinux built with CONFIG_PVH carries an ELF note
 * (name "Xen", type XEN_ELFNOTE_PHYS32_ENTRY) whose value is the physical
 * address of its 32-bit entry. Segments load at their physical addresses
 * (elf.c); the kernel gets a struct hvm_start_info in EBX.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "multiboot.h"
#include "pvh.h"

#define NOTE_ALIGN(n)	(((n) + 3) & ~(uint64_t)3)

/* Search one PT_NOTE segment's bytes; 1 when the entry note is there. */
static int scan_notes(const uint8_t *p, uint64_t size, uint64_t *entry,
		      char *err, size_t errlen)
{
	Elf32_Nhdr nh;	/* the same layout in ELF64 files */
	uint64_t off = 0, desc;

	while (size - off >= sizeof(nh)) {
		memcpy(&nh, p + off, sizeof(nh));
		off += sizeof(nh);
		if (NOTE_ALIGN(nh.n_namesz) > size - off)
			break;
		desc = off + NOTE_ALIGN(nh.n_namesz);
		if (NOTE_ALIGN(nh.n_descsz) > size - desc)
			break;
		if (nh.n_type == PVH_NOTE_PHYS32_ENTRY &&
		    nh.n_namesz == sizeof(PVH_NOTE_NAME) &&
		    !memcmp(p + off, PVH_NOTE_NAME, sizeof(PVH_NOTE_NAME))) {
			uint32_t e32;

			/* 4 bytes from a 32-bit build, 8 from a 64-bit one. */
			if (nh.n_descsz == 4) {
				memcpy(&e32, p + desc, 4);
				*entry = e32;
			} else if (nh.n_descsz == 8) {
				memcpy(entry, p + desc, 8);
			} else {
				return boot_fail(err, errlen,
						 "PVH entry note has %u bytes, want 4 or 8",
						 nh.n_descsz);
			}
			return 1;
		}
		off = desc + NOTE_ALIGN(nh.n_descsz);
	}
	return 0;
}

/**
 * pvh_find_entry() - the 32-bit PVH entry point an ELF file declares
 *
 * Return: 1 with @entry set, 0 if the file has no such note, -1 with the
 * reason in @err for a file that is not a readable ELF executable or whose
 * note is malformed.
 */
int pvh_find_entry(const uint8_t *buf, size_t len, uint64_t *entry,
		   char *err, size_t errlen)
{
	struct elf_phdr ph;
	struct elf_file f;
	unsigned int i;
	int found;

	if (elf_read_header(buf, len, &f, err, errlen))
		return -1;
	for (i = 0; i < f.phnum; i++) {
		elf_read_phdr(buf, &f, i, &ph);
		if (ph.type != PT_NOTE)
			continue;
		if (ph.offset > len || ph.filesz > len - ph.offset)
			return boot_fail(err, errlen,
					 "truncated: note segment needs file bytes %#" PRIx64 "-%#" PRIx64 " of a %zu-byte file",
					 ph.offset, ph.offset + ph.filesz, len);
		found = scan_notes(buf + ph.offset, ph.filesz, entry, err, errlen);
		if (found)
			return found;
	}
	return 0;
}

/*
 * pvh_parse() - check a PVH kernel (ELF32 or ELF64 x86) held in memory
 *
 * A pure function, like mb_parse(). Return: 0 with @image filled, or -1
 * with a one-line reason in @err.
 */
int pvh_parse(const uint8_t *buf, size_t len, uint64_t mem_size,
	      struct boot_image *image, char *err, size_t errlen)
{
	struct elf_file f;
	uint64_t entry;
	int found;

	memset(image, 0, sizeof(*image));
	image->protocol = SHADOWVMM_BOOT_PVH;
	if (elf_read_header(buf, len, &f, err, errlen))
		return -1;
	if (f.machine != EM_X86_64 && f.machine != EM_386)
		return boot_fail(err, errlen, "ELF machine %u: not an x86 kernel",
				 f.machine);
	found = pvh_find_entry(buf, len, &entry, err, errlen);
	if (found < 0)
		return -1;
	if (!found)
		return boot_fail(err, errlen,
				 "no PVH entry note (Xen, XEN_ELFNOTE_PHYS32_ENTRY): a Linux vmlinux needs CONFIG_PVH");
	if (elf_load_segments(buf, len, mem_size, &f, image, err, errlen) ||
	    boot_check_entry(entry, mem_size, err, errlen))
		return -1;
	image->entry = entry;
	return 0;
}

/**
 * boot_image_parse() - check a kernel image in whichever protocol it offers
 *
 * As QEMU's -kernel decides for an ELF: multiboot when a multiboot magic
 * is in the first 8 KiB, else PVH through its entry note.
 *
 * Return: 0 with @image filled, or -1 with a one-line reason in @err.
 */
int boot_image_parse(const uint8_t *buf, size_t len, uint64_t mem_size,
		     struct boot_image *image, char *err, size_t errlen)
{
	uint64_t entry;
	int found;

	if (mb_find_magic(buf, len) >= 0)
		return mb_parse(buf, len, mem_size, image, err, errlen);
	found = pvh_find_entry(buf, len, &entry, err, errlen);
	if (found < 0)
		return -1;
	if (found)
		return pvh_parse(buf, len, mem_size, image, err, errlen);
	return boot_fail(err, errlen,
			 "neither a multiboot header (magic %#x, 4-aligned, in the first %d bytes) nor a PVH entry note (Xen, XEN_ELFNOTE_PHYS32_ENTRY)",
			 MB_MAGIC, MB_SEARCH);
}
