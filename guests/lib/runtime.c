// SPDX-License-Identifier: GPL-2.0
/* From the loader to main(): command line into argv, and the way out. */
#include "runtime.h"

#define MULTIBOOT_LOADER_MAGIC	0x2badb002
#define DEBUG_EXIT_PORT		0xf4
#define MAX_ARGS		16
#define CMDLINE_MAX		4096

static char cmdline[CMDLINE_MAX];
static char *argv[MAX_ARGS + 1];

/* QEMU and shadowvmm pass "<image name> <args>", split on spaces. */
static int split_cmdline(const struct multiboot_info *mbi)
{
	const char *src = (const char *)mbi->cmdline;
	int argc = 0, i;
	char *p;

	if (!(mbi->flags & MULTIBOOT_INFO_CMDLINE))
		return 0;
	for (i = 0; i < CMDLINE_MAX - 1 && src[i]; i++)
		cmdline[i] = src[i];
	cmdline[i] = '\0';
	for (p = cmdline; *p && argc < MAX_ARGS;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	argv[argc] = 0;
	return argc;
}

void guest_start(u32 magic, const struct multiboot_info *mbi)
{
	serial_init();
	if (magic != MULTIBOOT_LOADER_MAGIC) {
		printf("guest: not started by a multiboot loader (%x)\n", magic);
		exit(255);
	}
	exit(main(split_cmdline(mbi), argv, mbi));
}

void exit(u32 status)
{
	/* isa-debug-exit: QEMU and shadowvmm both stop the guest here. */
	outl(DEBUG_EXIT_PORT, status);
	for (;;)
		asm volatile("cli; hlt");
}
