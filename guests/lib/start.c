// SPDX-License-Identifier: GPL-2.0
/* From the multiboot loader to main(); PVH guests start in lib/pvh_entry.S. */
#include "runtime.h"

#define MAX_ARGS		16

static char *argv[MAX_ARGS + 1];

void guest_start(u32 magic, const struct multiboot_info *mbi)
{
	serial_init();
	if (magic != MULTIBOOT_LOADER_MAGIC) {
		printf("guest: not started by a multiboot loader (%x)\n", magic);
		exit(255);
	}
	exit(main(cmdline_split(mbi, argv, MAX_ARGS), argv, mbi));
}
