// SPDX-License-Identifier: GPL-2.0
/*
 * A bump allocator over the RAM after the image, with a free list for
 * frames given back. Frames are used through the identity map, so their
 * physical address is also their address in every test's address space.
 */
#include "check.h"
#include "frame.h"
#include "sections.h"

#define ONE_MIB		0x100000u

static u32 next, end;
/* Each free frame holds the address of the next one. */
static u32 free_list;

static u32 align_up(u32 x, u32 align)
{
	return (x + align - 1) & ~(align - 1);
}

void frame_init(const struct multiboot_info *mbi)
{
	if (!(mbi->flags & MULTIBOOT_INFO_MEMORY))
		bail_out("the loader gave no memory size");
	next = align_up((u32)_end, PAGE_SIZE);
	end = ONE_MIB + mbi->mem_upper * 1024;
}

u32 frame_ram_end(void)
{
	return end;
}

u32 frame_alloc(void)
{
	u32 *p;
	u32 pa;
	u32 i;

	if (free_list) {
		pa = free_list;
		free_list = *(u32 *)pa;
	} else {
		pa = frame_alloc_range(PAGE_SIZE, PAGE_SIZE);
	}
	p = (u32 *)pa;
	for (i = 0; i < PAGE_SIZE / 4; i++)
		p[i] = 0;
	return pa;
}

u32 frame_alloc_tagged(u32 tag)
{
	u32 pa = frame_alloc();

	*(u32 *)pa = tag;
	return pa;
}

u32 frame_alloc_range(u32 size, u32 align)
{
	u32 start = align_up(next, align);

	if (start < next || start + size > end || start + size < start)
		bail_out("out of guest RAM: 0x%x bytes", size);
	/* The frames skipped to reach the alignment are still good. */
	while (next < start) {
		frame_free(next);
		next += PAGE_SIZE;
	}
	next = start + size;
	return start;
}

void frame_free(u32 pa)
{
	*(u32 *)pa = free_list;
	free_list = pa;
}
