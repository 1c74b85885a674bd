// SPDX-License-Identifier: GPL-2.0
/*
 * The multiboot v1 ELF loader, as QEMU's -kernel does it: PT_LOAD segments
 * at their physical addresses, the ELF entry point. Untrusted input stays
 * here in user space; the kernel re-checks every address it is given.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "multiboot.h"

#define MULTIBOOT_MAGIC		0x1badb002
#define MULTIBOOT_SEARCH	8192
#define MULTIBOOT_AOUT_KLUDGE	(1u << 16)

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int find_header(const uint8_t *buf, size_t len, uint32_t *flags)
{
	size_t limit = len < MULTIBOOT_SEARCH ? len : MULTIBOOT_SEARCH;
	size_t off;

	for (off = 0; off + 12 <= limit; off += 4) {
		uint32_t h[3];

		memcpy(h, buf + off, sizeof(h));
		if (h[0] == MULTIBOOT_MAGIC && h[0] + h[1] + h[2] == 0) {
			*flags = h[1];
			return 0;
		}
	}
	return -1;
}

int mb_load(const uint8_t *buf, size_t len, uint64_t mem_size,
	    struct mb_image *image, char *err, size_t errlen)
{
	Elf32_Ehdr eh;
	uint32_t flags;
	unsigned int i, j;

	memset(image, 0, sizeof(*image));
	if (len < sizeof(eh))
		return fail(err, errlen, "truncated: %zu bytes is less than an ELF header", len);
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return fail(err, errlen, "not an ELF file");
	if (eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(err, errlen, "not a 32-bit little-endian ELF image (multiboot needs ELF32)");
	if (eh.e_machine != EM_386 || eh.e_type != ET_EXEC)
		return fail(err, errlen, "not an i386 executable");
	if (eh.e_phentsize != sizeof(Elf32_Phdr) || !eh.e_phnum ||
	    eh.e_phoff > len || (uint64_t)eh.e_phnum * sizeof(Elf32_Phdr) > len - eh.e_phoff)
		return fail(err, errlen, "truncated, or a bad program header table");
	if (find_header(buf, len, &flags))
		return fail(err, errlen, "no multiboot header in the first %d bytes", MULTIBOOT_SEARCH);
	if (flags & MULTIBOOT_AOUT_KLUDGE)
		return fail(err, errlen, "multiboot a.out kludge images are not supported");

	for (i = 0; i < eh.e_phnum; i++) {
		struct mb_segment *seg;
		Elf32_Phdr ph;

		memcpy(&ph, buf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (image->nr_segments == MB_MAX_SEGMENTS)
			return fail(err, errlen, "more than %d loadable segments", MB_MAX_SEGMENTS);
		if (ph.p_filesz > ph.p_memsz)
			return fail(err, errlen, "segment at %#" PRIx32 ": file size exceeds memory size", ph.p_paddr);
		if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset)
			return fail(err, errlen, "truncated: segment at %#" PRIx32 " reaches past the end of the file", ph.p_paddr);
		if ((uint64_t)ph.p_paddr + ph.p_memsz > mem_size)
			return fail(err, errlen, "image larger than guest RAM: segment %#" PRIx32 "-%#" PRIx64 " does not fit in %" PRIu64 " MiB",
				    ph.p_paddr, (uint64_t)ph.p_paddr + ph.p_memsz, mem_size >> 20);
		seg = &image->segments[image->nr_segments++];
		seg->paddr = ph.p_paddr;
		seg->filesz = ph.p_filesz;
		seg->memsz = ph.p_memsz;
		seg->data = buf + ph.p_offset;
	}
	if (!image->nr_segments)
		return fail(err, errlen, "no loadable segments");
	for (i = 0; i < image->nr_segments; i++)
		for (j = i + 1; j < image->nr_segments; j++) {
			const struct mb_segment *a = &image->segments[i], *b = &image->segments[j];

			if ((uint64_t)a->paddr < (uint64_t)b->paddr + b->memsz &&
			    (uint64_t)b->paddr < (uint64_t)a->paddr + a->memsz)
				return fail(err, errlen, "segments at %#" PRIx32 " and %#" PRIx32 " overlap",
					    a->paddr, b->paddr);
		}
	if (eh.e_entry >= mem_size)
		return fail(err, errlen, "entry point %#" PRIx32 " outside guest RAM", eh.e_entry);
	image->entry = eh.e_entry;
	return 0;
}
