// SPDX-License-Identifier: GPL-2.0
/*
 * The ELF side of both boot protocols, as QEMU's -kernel loads an ELF:
 * PT_LOAD segments at their physical addresses. The image is untrusted
 * input, so everything is checked here in user space, over a plain buffer,
 * before the kernel (which re-checks every address) sees any of it.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "elf.h"

int boot_fail(char *err, size_t errlen, const char *fmt, ...)
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

/**
 * elf_read_header() - check the ELF header and program header table
 *
 * Either class, little-endian, with a program header table inside the
 * file; what machine and type a protocol wants is left to it.
 *
 * Return: 0 with @f filled, or -1 with the reason in @err.
 */
int elf_read_header(const uint8_t *buf, size_t len, struct elf_file *f,
		    char *err, size_t errlen)
{
	size_t ehsize, phentsize;
	unsigned int want_phentsize;

	if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG)) {
		if (len < SELFMAG && !memcmp(buf, ELFMAG, len))
			return boot_fail(err, errlen, "truncated ELF header: %zu of %zu bytes",
					 len, sizeof(Elf32_Ehdr));
		return boot_fail(err, errlen, "not an ELF file (bad magic)");
	}
	if (len <= EI_DATA)
		return boot_fail(err, errlen, "truncated ELF header: %zu of %zu bytes",
				 len, sizeof(Elf32_Ehdr));
	f->class = buf[EI_CLASS];
	if (f->class != ELFCLASS32 && f->class != ELFCLASS64)
		return boot_fail(err, errlen, "bad ELF class %u", f->class);
	ehsize = f->class == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	if (len < ehsize)
		return boot_fail(err, errlen, "truncated ELF header: %zu of %zu bytes",
				 len, ehsize);
	if (buf[EI_DATA] != ELFDATA2LSB)
		return boot_fail(err, errlen, "big-endian ELF: not an x86 executable");
	if (f->class == ELFCLASS32) {
		Elf32_Ehdr eh;

		memcpy(&eh, buf, sizeof(eh));
		f->machine = eh.e_machine;
		f->type = eh.e_type;
		f->entry = eh.e_entry;
		f->phoff = eh.e_phoff;
		f->phnum = eh.e_phnum;
		phentsize = eh.e_phentsize;
		want_phentsize = sizeof(Elf32_Phdr);
	} else {
		Elf64_Ehdr eh;

		memcpy(&eh, buf, sizeof(eh));
		f->machine = eh.e_machine;
		f->type = eh.e_type;
		f->entry = eh.e_entry;
		f->phoff = eh.e_phoff;
		f->phnum = eh.e_phnum;
		phentsize = eh.e_phentsize;
		want_phentsize = sizeof(Elf64_Phdr);
	}
	if (f->type != ET_EXEC)
		return boot_fail(err, errlen, "ELF type %u%s: not an executable",
				 f->type, f->type == ET_DYN ? " (shared object or PIE)" :
				 f->type == ET_REL ? " (relocatable object)" : "");
	if (!f->phnum)
		return boot_fail(err, errlen, "no program headers");
	if (phentsize != want_phentsize)
		return boot_fail(err, errlen, "program header entry size %zu, want %u",
				 phentsize, want_phentsize);
	if (f->phoff > len || (uint64_t)f->phnum * phentsize > len - f->phoff)
		return boot_fail(err, errlen,
				 "truncated: program header table (%u entries at offset %#" PRIx64 ") goes past the end of the %zu-byte file",
				 f->phnum, f->phoff, len);
	return 0;
}

/* Program header @i of a file elf_read_header() accepted. */
void elf_read_phdr(const uint8_t *buf, const struct elf_file *f,
		   unsigned int i, struct elf_phdr *ph)
{
	if (f->class == ELFCLASS32) {
		Elf32_Phdr p;

		memcpy(&p, buf + f->phoff + i * sizeof(p), sizeof(p));
		*ph = (struct elf_phdr){ p.p_type, p.p_flags, p.p_offset,
			p.p_vaddr, p.p_paddr, p.p_filesz, p.p_memsz };
	} else {
		Elf64_Phdr p;

		memcpy(&p, buf + f->phoff + i * sizeof(p), sizeof(p));
		*ph = (struct elf_phdr){ p.p_type, p.p_flags, p.p_offset,
			p.p_vaddr, p.p_paddr, p.p_filesz, p.p_memsz };
	}
}

static int add_segment(const uint8_t *buf, size_t len, uint64_t mem_size,
		       const struct elf_phdr *ph, struct boot_image *image,
		       char *err, size_t errlen)
{
	struct boot_segment *seg;
	char ram[32];

	if (ph->filesz > ph->memsz)
		return boot_fail(err, errlen,
				 "segment at %#" PRIx64 ": file size %#" PRIx64 " exceeds memory size %#" PRIx64,
				 ph->paddr, ph->filesz, ph->memsz);
	if (ph->offset > len || ph->filesz > len - ph->offset)
		return boot_fail(err, errlen,
				 "truncated: segment at %#" PRIx64 " needs file bytes %#" PRIx64 "-%#" PRIx64 " of a %zu-byte file",
				 ph->paddr, ph->offset, ph->offset + ph->filesz, len);
	if (ph->paddr > mem_size || ph->memsz > mem_size - ph->paddr) {
		ram_words(mem_size, ram, sizeof(ram));
		return boot_fail(err, errlen,
				 "image larger than guest RAM: segment %#" PRIx64 "-%#" PRIx64 " does not fit in %s",
				 ph->paddr, ph->paddr + ph->memsz, ram);
	}
	if (image->nr_segments == BOOT_MAX_SEGMENTS)
		return boot_fail(err, errlen, "more than %d loadable segments",
				 BOOT_MAX_SEGMENTS);
	/* Guest RAM ends below 4 GiB, so each of these fits in 32 bits. */
	seg = &image->segments[image->nr_segments++];
	seg->paddr = ph->paddr;
	seg->filesz = ph->filesz;
	seg->memsz = ph->memsz;
	seg->data = buf + ph->offset;
	return 0;
}

static int check_overlaps(const struct boot_image *image, char *err,
			  size_t errlen)
{
	unsigned int i, j;

	for (i = 0; i < image->nr_segments; i++) {
		const struct boot_segment *a = &image->segments[i];

		for (j = i + 1; j < image->nr_segments; j++) {
			const struct boot_segment *b = &image->segments[j];

			if ((uint64_t)a->paddr < (uint64_t)b->paddr + b->memsz &&
			    (uint64_t)b->paddr < (uint64_t)a->paddr + a->memsz)
				return boot_fail(err, errlen,
						 "segments %#" PRIx32 "-%#" PRIx64 " and %#" PRIx32 "-%#" PRIx64 " overlap",
						 a->paddr, (uint64_t)a->paddr + a->memsz,
						 b->paddr, (uint64_t)b->paddr + b->memsz);
		}
	}
	return 0;
}

/**
 * elf_load_segments() - collect the PT_LOAD segments of a checked ELF file
 *
 * Each must lie in @mem_size bytes of RAM at its physical address and
 * overlap no other. @image->entry starts as the ELF entry point; as QEMU
 * does for a higher-half kernel, an entry inside an executable segment
 * linked away from where it loads becomes its physical address. The
 * caller checks the entry.
 *
 * Return: 0, or -1 with the reason in @err.
 */
int elf_load_segments(const uint8_t *buf, size_t len, uint64_t mem_size,
		      const struct elf_file *f, struct boot_image *image,
		      char *err, size_t errlen)
{
	struct elf_phdr ph;
	unsigned int i;

	image->entry = f->entry;
	for (i = 0; i < f->phnum; i++) {
		elf_read_phdr(buf, f, i, &ph);
		/* An empty PT_LOAD loads nothing; QEMU skips it too. */
		if (ph.type != PT_LOAD || (!ph.memsz && !ph.filesz))
			continue;
		if (add_segment(buf, len, mem_size, &ph, image, err, errlen))
			return -1;
		if (ph.vaddr != ph.paddr && (ph.flags & PF_X) &&
		    f->entry >= ph.vaddr && f->entry - ph.vaddr < ph.filesz)
			image->entry = f->entry - ph.vaddr + ph.paddr;
	}
	if (!image->nr_segments)
		return boot_fail(err, errlen, "no loadable (PT_LOAD) segments");
	return check_overlaps(image, err, errlen);
}

/**
 * boot_check_entry() - the entry point must be in guest RAM
 *
 * Return: 0, or -1 with the reason in @err.
 */
int boot_check_entry(uint64_t entry, uint64_t mem_size, char *err,
		     size_t errlen)
{
	char ram[32];

	if (entry < mem_size)
		return 0;
	ram_words(mem_size, ram, sizeof(ram));
	return boot_fail(err, errlen, "entry point %#" PRIx64 " is outside %s of guest RAM",
			 entry, ram);
}
