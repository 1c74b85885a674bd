/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_PVH_H
#define SHADOWVMM_CTL_PVH_H

#include <stddef.h>
#include <stdint.h>
#include "elf.h"

/* The ELF note that gives a kernel's 32-bit PVH entry point. */
#define PVH_NOTE_NAME		"Xen"
#define PVH_NOTE_PHYS32_ENTRY	18	/* XEN_ELFNOTE_PHYS32_ENTRY */

int pvh_find_entry(const uint8_t *buf, size_t len, uint64_t *entry,
		   char *err, size_t errlen);
int pvh_parse(const uint8_t *buf, size_t len, uint64_t mem_size,
	      struct boot_image *image, char *err, size_t errlen);
int boot_image_parse(const uint8_t *buf, size_t len, uint64_t mem_size,
		     struct boot_image *image, char *err, size_t errlen);

#endif
