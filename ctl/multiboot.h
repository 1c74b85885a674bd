/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_MULTIBOOT_H
#define SHADOWVMM_CTL_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>
#include "elf.h"

#define MB_MAGIC		0x1badb002
/* The header must lie wholly within the first 8192 bytes, 4-aligned. */
#define MB_SEARCH		8192

long mb_find_magic(const uint8_t *buf, size_t len);

/*
 * mb_parse() - check a multiboot v1 ELF32 image held in memory
 *
 * A pure function: no I/O, no allocation. Checks everything a loader relies
 * on and that every segment fits in @mem_size bytes of guest RAM.
 *
 * Return: 0 with @image filled, or -1 with a one-line reason in @err.
 */
int mb_parse(const uint8_t *buf, size_t len, uint64_t mem_size,
	     struct boot_image *image, char *err, size_t errlen);

#endif
