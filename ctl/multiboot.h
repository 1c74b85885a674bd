/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_MULTIBOOT_H
#define SHADOWVMM_CTL_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>

#define MB_MAGIC		0x1badb002
/* The header must lie wholly within the first 8192 bytes, 4-aligned. */
#define MB_SEARCH		8192
#define MB_MAX_SEGMENTS		32

/* One PT_LOAD segment: @filesz bytes from @data, then zeroes to @memsz. */
struct mb_segment {
	uint32_t paddr;
	uint32_t filesz;
	uint32_t memsz;
	const uint8_t *data;	/* points into the caller's buffer */
};

struct mb_image {
	uint32_t entry;
	uint32_t header_offset;	/* where the multiboot header was found */
	unsigned int nr_segments;
	struct mb_segment segments[MB_MAX_SEGMENTS];
};

/*
 * mb_parse() - check a multiboot v1 ELF32 image held in memory
 *
 * A pure function: no I/O, no allocation. Checks everything a loader relies
 * on and that every segment fits in @mem_size bytes of guest RAM.
 *
 * Return: 0 with @image filled, or -1 with a one-line reason in @err.
 */
int mb_parse(const uint8_t *buf, size_t len, uint64_t mem_size,
	     struct mb_image *image, char *err, size_t errlen);

#endif
