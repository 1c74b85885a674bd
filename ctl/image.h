/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_IMAGE_H
#define SHADOWVMM_CTL_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include "multiboot.h"

/* A guest image read from disk and checked, not yet in any VM. */
struct guest_image {
	const char *path;	/* as typed: it starts the guest's command line */
	uint8_t *buf;
	size_t len;
	struct mb_image mb;
};

int image_open(struct guest_image *img, const char *path, uint64_t mem_size);
void image_close(struct guest_image *img);

#endif
