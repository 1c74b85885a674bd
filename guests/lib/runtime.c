// SPDX-License-Identifier: GPL-2.0
/* The way out, for every guest (multiboot ones come in through start.c). */
#include "runtime.h"

#define DEBUG_EXIT_PORT		0xf4

void exit(u32 status)
{
	/* isa-debug-exit: QEMU and shadowvmm both stop the guest here. */
	outl(DEBUG_EXIT_PORT, status);
	/* Without the device (or its iobase differs), at least stop quietly. */
	for (;;)
		asm volatile("cli; hlt");
}
