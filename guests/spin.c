// SPDX-License-Identifier: GPL-2.0
/* Never exits and never traps: only the VMM can take the CPU back. */
#include "runtime.h"

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	puts("spin: spinning\n");
	for (;;)
		asm volatile("pause");
	return 0;
}
