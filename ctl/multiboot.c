// SPDX-License-Identifier: GPL-2.0
/*
 * The multiboot v1 ELF loader, as QEMU's -kernel does it: an ELF32 i386
 * executable with a multiboot header in its first 8 KiB, PT_LOAD segments
 * at their physical addresses (elf.c), the ELF entry point.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "multiboot.h"

#define MB_AOUT_KLUDGE	(1u << 16)

struct mb_header {
	uint32_t magic;
	uint32_t flags;
	uint32_t checksum;
};

/**
 * mb_find_magic() - where the first 4-aligned multiboot magic is
 *
 * Return: its offset in the first MB_SEARCH bytes, or -1.
 */
long mb_find_magic(const uint8_t *buf, size_t len)
{
	size_t limit = len < MB_SEARCH ? len : MB_SEARCH;
	uint32_t magic;
	size_t off;

	for (off = 0; off + sizeof(struct mb_header) <= limit; off += 4) {
		memcpy(&magic, buf + off, sizeof(magic));
		if (magic == MB_MAGIC)
			return off;
	}
	return -1;
}

/*
 * The first 4-aligned magic with a good checksum wins, as in QEMU; a magic
 * with a bad one is remembered so the error can say so.
 */
static int find_header(const uint8_t *buf, size_t len, struct boot_image *image,
		       char *err, size_t errlen)
{
	size_t limit = len < MB_SEARCH ? len : MB_SEARCH;
	long bad = -1;
	size_t off;

	for (off = 0; off + sizeof(struct mb_header) <= limit; off += 4) {
		struct mb_header h;

		memcpy(&h, buf + off, sizeof(h));
		if (h.magic != MB_MAGIC)
			continue;
		if ((uint32_t)(h.magic + h.flags + h.checksum)) {
			if (bad < 0)
				bad = off;
			continue;
		}
		if (h.flags & MB_AOUT_KLUDGE)
			return boot_fail(err, errlen,
					 "multiboot header at %#zx asks for a.out kludge loading (flags bit 16): only ELF loading is supported",
					 off);
		image->header_offset = off;
		return 0;
	}
	if (bad >= 0)
		return boot_fail(err, errlen, "multiboot header at %#lx has a bad checksum", bad);
	return boot_fail(err, errlen, "no multiboot header (magic %#x, 4-aligned) in the first %d bytes",
			 MB_MAGIC, MB_SEARCH);
}

int mb_parse(const uint8_t *buf, size_t len, uint64_t mem_size,
	     struct boot_image *image, char *err, size_t errlen)
{
	struct elf_file f;

	memset(image, 0, sizeof(*image));
	image->protocol = SHADOWVMM_BOOT_MULTIBOOT;
	if (len > EI_CLASS && !memcmp(buf, ELFMAG, SELFMAG) &&
	    buf[EI_CLASS] == ELFCLASS64)
		return boot_fail(err, errlen,
				 "ELF64 image: multiboot v1 needs an ELF32 i386 executable");
	if (elf_read_header(buf, len, &f, err, errlen))
		return -1;
	if (f.machine != EM_386)
		return boot_fail(err, errlen, "ELF machine %u%s: not an ELF32 i386 executable",
				 f.machine, f.machine == EM_X86_64 ? " (x86-64)" : "");
	if (find_header(buf, len, image, err, errlen) ||
	    elf_load_segments(buf, len, mem_size, &f, image, err, errlen))
		return -1;
	return boot_check_entry(image->entry, mem_size, err, errlen);
}
