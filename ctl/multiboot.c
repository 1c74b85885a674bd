// SPDX-License-Identifier: GPL-2.0
/*
 * The multiboot v1 ELF loader, as QEMU's -kernel does it: PT_LOAD segments
 * at their physical addresses, the ELF entry point. The image is untrusted
 * input, so it is checked here in user space, over a plain buffer, before
 * the kernel (which re-checks every address) sees any of it.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "multiboot.h"

#define MB_AOUT_KLUDGE	(1u << 16)

struct mb_header {
	uint32_t magic;
	uint32_t flags;
	uint32_t checksum;
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* "32 MiB" when it is a whole number of MiB, else bytes. */
static void ram_words(uint64_t mem_size, char *buf, size_t len)
{
	if (mem_size && !(mem_size & ((1 << 20) - 1)))
		snprintf(buf, len, "%" PRIu64 " MiB", mem_size >> 20);
	else
		snprintf(buf, len, "%" PRIu64 " bytes", mem_size);
}

static int check_ehdr(const uint8_t *buf, size_t len, Elf32_Ehdr *eh,
		      char *err, size_t errlen)
{
	if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG)) {
		if (len < SELFMAG && !memcmp(buf, ELFMAG, len))
			return fail(err, errlen, "truncated ELF header: %zu of %zu bytes",
				    len, sizeof(*eh));
		return fail(err, errlen, "not an ELF file (bad magic)");
	}
	if (len <= EI_CLASS)
		return fail(err, errlen, "truncated ELF header: %zu of %zu bytes",
			    len, sizeof(*eh));
	if (buf[EI_CLASS] == ELFCLASS64)
		return fail(err, errlen, "ELF64 image: multiboot v1 needs an ELF32 i386 executable");
	if (buf[EI_CLASS] != ELFCLASS32)
		return fail(err, errlen, "bad ELF class %u: not an ELF32 i386 executable",
			    buf[EI_CLASS]);
	if (len < sizeof(*eh))
		return fail(err, errlen, "truncated ELF header: %zu of %zu bytes",
			    len, sizeof(*eh));
	memcpy(eh, buf, sizeof(*eh));
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(err, errlen, "big-endian ELF: not an ELF32 i386 executable");
	if (eh->e_machine != EM_386)
		return fail(err, errlen, "ELF machine %u%s: not an ELF32 i386 executable",
			    eh->e_machine, eh->e_machine == EM_X86_64 ? " (x86-64)" : "");
	if (eh->e_type != ET_EXEC)
		return fail(err, errlen, "ELF type %u%s: not an ELF32 i386 executable",
			    eh->e_type, eh->e_type == ET_DYN ? " (shared object or PIE)" :
			    eh->e_type == ET_REL ? " (relocatable object)" : "");
	if (!eh->e_phnum)
		return fail(err, errlen, "no program headers");
	if (eh->e_phentsize != sizeof(Elf32_Phdr))
		return fail(err, errlen, "program header entry size %u, want %zu",
			    eh->e_phentsize, sizeof(Elf32_Phdr));
	if (eh->e_phoff > len ||
	    (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr) > len - eh->e_phoff)
		return fail(err, errlen,
			    "truncated: program header table (%u entries at offset %#" PRIx32 ") goes past the end of the %zu-byte file",
			    eh->e_phnum, eh->e_phoff, len);
	return 0;
}

/*
 * The first 4-aligned magic with a good checksum wins, as in QEMU; a magic
 * with a bad one is remembered so the error can say so.
 */
static int find_header(const uint8_t *buf, size_t len, struct mb_image *image,
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
			return fail(err, errlen,
				    "multiboot header at %#zx asks for a.out kludge loading (flags bit 16): only ELF loading is supported",
				    off);
		image->header_offset = off;
		return 0;
	}
	if (bad >= 0)
		return fail(err, errlen, "multiboot header at %#lx has a bad checksum", bad);
	return fail(err, errlen, "no multiboot header (magic %#x, 4-aligned) in the first %d bytes",
		    MB_MAGIC, MB_SEARCH);
}

static int add_segment(const uint8_t *buf, size_t len, uint64_t mem_size,
		       const Elf32_Phdr *ph, struct mb_image *image,
		       char *err, size_t errlen)
{
	uint64_t end = (uint64_t)ph->p_paddr + ph->p_memsz;
	struct mb_segment *seg;
	char ram[32];

	if (ph->p_filesz > ph->p_memsz)
		return fail(err, errlen,
			    "segment at %#" PRIx32 ": file size %#" PRIx32 " exceeds memory size %#" PRIx32,
			    ph->p_paddr, ph->p_filesz, ph->p_memsz);
	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
		return fail(err, errlen,
			    "truncated: segment at %#" PRIx32 " needs file bytes %#" PRIx32 "-%#" PRIx64 " of a %zu-byte file",
			    ph->p_paddr, ph->p_offset,
			    (uint64_t)ph->p_offset + ph->p_filesz, len);
	if (end > mem_size) {
		ram_words(mem_size, ram, sizeof(ram));
		return fail(err, errlen,
			    "image larger than guest RAM: segment %#" PRIx32 "-%#" PRIx64 " does not fit in %s",
			    ph->p_paddr, end, ram);
	}
	if (image->nr_segments == MB_MAX_SEGMENTS)
		return fail(err, errlen, "more than %d loadable segments", MB_MAX_SEGMENTS);
	seg = &image->segments[image->nr_segments++];
	seg->paddr = ph->p_paddr;
	seg->filesz = ph->p_filesz;
	seg->memsz = ph->p_memsz;
	seg->data = buf + ph->p_offset;
	return 0;
}

static int check_overlaps(const struct mb_image *image, char *err, size_t errlen)
{
	unsigned int i, j;

	for (i = 0; i < image->nr_segments; i++) {
		const struct mb_segment *a = &image->segments[i];

		for (j = i + 1; j < image->nr_segments; j++) {
			const struct mb_segment *b = &image->segments[j];

			if ((uint64_t)a->paddr < (uint64_t)b->paddr + b->memsz &&
			    (uint64_t)b->paddr < (uint64_t)a->paddr + a->memsz)
				return fail(err, errlen,
					    "segments %#" PRIx32 "-%#" PRIx64 " and %#" PRIx32 "-%#" PRIx64 " overlap",
					    a->paddr, (uint64_t)a->paddr + a->memsz,
					    b->paddr, (uint64_t)b->paddr + b->memsz);
		}
	}
	return 0;
}

int mb_parse(const uint8_t *buf, size_t len, uint64_t mem_size,
	     struct mb_image *image, char *err, size_t errlen)
{
	Elf32_Ehdr eh;
	unsigned int i;
	char ram[32];

	memset(image, 0, sizeof(*image));
	if (check_ehdr(buf, len, &eh, err, errlen) ||
	    find_header(buf, len, image, err, errlen))
		return -1;
	image->entry = eh.e_entry;
	for (i = 0; i < eh.e_phnum; i++) {
		Elf32_Phdr ph;

		memcpy(&ph, buf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		/* An empty PT_LOAD loads nothing; QEMU skips it too. */
		if (ph.p_type != PT_LOAD || (!ph.p_memsz && !ph.p_filesz))
			continue;
		if (add_segment(buf, len, mem_size, &ph, image, err, errlen))
			return -1;
		/*
		 * e_entry is virtual. A higher-half kernel links its code at
		 * one address and loads it at another: like QEMU, enter at
		 * the physical address of the executable segment holding it.
		 */
		if (ph.p_vaddr != ph.p_paddr && (ph.p_flags & PF_X) &&
		    eh.e_entry >= ph.p_vaddr &&
		    eh.e_entry - ph.p_vaddr < ph.p_filesz)
			image->entry = eh.e_entry - ph.p_vaddr + ph.p_paddr;
	}
	if (!image->nr_segments)
		return fail(err, errlen, "no loadable (PT_LOAD) segments");
	if (check_overlaps(image, err, errlen))
		return -1;
	if (image->entry >= mem_size) {
		ram_words(mem_size, ram, sizeof(ram));
		return fail(err, errlen, "entry point %#" PRIx32 " is outside %s of guest RAM",
			    image->entry, ram);
	}
	return 0;
}
