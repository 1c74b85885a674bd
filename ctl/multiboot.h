/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_MULTIBOOT_H
#define SHADOWVMM_CTL_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>

#define MB_MAX_SEGMENTS	16

struct mb_segment {
	uint32_t paddr;
	uint32_t filesz;
	uint32_t memsz;
	const uint8_t *data;	/* filesz bytes inside the image buffer */
};

struct mb_image {
	uint32_t entry;
	unsigned int nr_segments;
	struct mb_segment segments[MB_MAX_SEGMENTS];
};

/*
 * Parse a multiboot v1 ELF32 image held in memory, checking everything a
 * loader relies on, and that every segment fits in @mem_size bytes of
 * guest RAM. On failure returns -1 with a one-line reason in @err.
 */
int mb_load(const uint8_t *buf, size_t len, uint64_t mem_size,
	    struct mb_image *image, char *err, size_t errlen);

#endif
