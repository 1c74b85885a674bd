/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_ELF_H
#define SHADOWVMM_CTL_ELF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/shadowvmm.h>

#define BOOT_MAX_SEGMENTS	32

/* One PT_LOAD segment: @filesz bytes from @data, then zeroes to @memsz. */
struct boot_segment {
	uint32_t paddr;
	uint32_t filesz;
	uint32_t memsz;
	const uint8_t *data;	/* points into the caller's buffer */
};

/* A kernel image checked for a guest's RAM: what to load, where to enter. */
struct boot_image {
	uint32_t protocol;	/* enum shadowvmm_boot_protocol */
	uint32_t entry;
	uint32_t header_offset;	/* multiboot: where its header was found */
	unsigned int nr_segments;
	struct boot_segment segments[BOOT_MAX_SEGMENTS];
};

/* An ELF header of either class, widened. */
struct elf_file {
	unsigned int class;	/* ELFCLASS32 or ELFCLASS64 */
	unsigned int machine;
	unsigned int type;
	uint64_t entry;
	uint64_t phoff;
	unsigned int phnum;
};

/* A program header of either class, widened. */
struct elf_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
};

int boot_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int elf_read_header(const uint8_t *buf, size_t len, struct elf_file *f,
		    char *err, size_t errlen);
void elf_read_phdr(const uint8_t *buf, const struct elf_file *f,
		   unsigned int i, struct elf_phdr *ph);
int elf_load_segments(const uint8_t *buf, size_t len, uint64_t mem_size,
		      const struct elf_file *f, struct boot_image *image,
		      char *err, size_t errlen);
int boot_check_entry(uint64_t entry, uint64_t mem_size, char *err,
		     size_t errlen);

#endif
