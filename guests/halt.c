// SPDX-License-Identifier: GPL-2.0
/* Halts with interrupts off and no exit status: a guest that hangs. */
#include "runtime.h"

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	puts("halt: halting\n");
	/* An NMI or SMI can end a HLT; returning would report status 0. */
	for (;;)
		asm volatile("cli; hlt");
	return 0;
}
