/* SPDX-License-Identifier: GPL-2.0 */
/* Physical memory for page tables and test pages: 4 KiB frames. */
#ifndef GUEST_FRAME_H
#define GUEST_FRAME_H

#include "multiboot.h"

#define PAGE_SIZE	4096u

void frame_init(const struct multiboot_info *mbi);
/* A zeroed frame; bails out when RAM runs out. */
u32 frame_alloc(void);
/* A zeroed frame holding tag in its first word, to tell it apart. */
u32 frame_alloc_tagged(u32 tag);
/* size bytes of contiguous frames aligned to align, not zeroed. */
u32 frame_alloc_range(u32 size, u32 align);
void frame_free(u32 pa);
/* The end of the RAM the loader reported: the first byte past it. */
u32 frame_ram_end(void);

#endif
