// SPDX-License-Identifier: GPL-2.0
/* From the loader to main(), and the way out. */
#include "runtime.h"

#define DEBUG_EXIT_PORT		0xf4
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

void exit(u32 status)
{
	/* isa-debug-exit: QEMU and shadowvmm both stop the guest here. */
	outl(DEBUG_EXIT_PORT, status);
	/* Without the device (or its iobase differs), at least stop quietly. */
	for (;;)
		asm volatile("cli; hlt");
}
