// SPDX-License-Identifier: GPL-2.0
/* The smallest useful guest: a line of output and what the loader said. */
#include "runtime.h"

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	puts("hello: Hello, world!\n");
	if (mbi->flags & MULTIBOOT_INFO_MEMORY)
		printf("hello: mem_upper=%u KiB\n", mbi->mem_upper);
	else
		puts("hello: no memory information\n");
	return 0;
}
