// SPDX-License-Identifier: GPL-2.0
/*
 * A 64 MiB image: big-data.bin, made at build time, is one data segment
 * of 16384 pages, each the page's index (u32) then 0xa5 bytes. The guest
 * checks the first page of every 16 KiB (the CLI's MEM_WRITE chunk) and
 * the last page: a chunk lost or written to the wrong place shows.
 */
#include "runtime.h"

#define PAGE		4096
#define CHUNK		16384
#define FILL		0xa5a5a5a5u

extern const u32 _binary_big_data_bin_start[];
extern const u32 _binary_big_data_bin_end[];

static int check_page(const u32 *data, u32 page)
{
	const u32 *p = data + page * (PAGE / 4);

	if (p[0] == page && p[1] == FILL && p[PAGE / 4 - 1] == FILL)
		return 0;
	printf("big: page %u: %x %x ... %x, want %x %x ... %x\n", page, p[0],
	       p[1], p[PAGE / 4 - 1], page, FILL, FILL);
	return 1;
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	const u32 *data = _binary_big_data_bin_start;
	u32 size = (u32)(_binary_big_data_bin_end - data) * 4;
	u32 pages = size / PAGE, page, bad = 0;

	for (page = 0; page < pages; page += CHUNK / PAGE)
		bad += check_page(data, page);
	if (pages)
		bad += check_page(data, pages - 1);
	printf("big: %u MiB image, %u pages, %u bad\n", size >> 20, pages, bad);
	return bad ? 1 : 0;
}
