// SPDX-License-Identifier: GPL-2.0
/* The multiboot command line as argc/argv. */
#include "runtime.h"

#define CMDLINE_MAX	4096

/*
 * A private copy: argv points into it and splitting writes NULs, and the
 * loader's copy sits in memory the guest does not own (QEMU puts it on
 * the page after the image, shadowvmm wherever its loader chose).
 */
static char cmdline[CMDLINE_MAX];

int cmdline_split(const struct multiboot_info *mbi, char **argv, int max)
{
	const char *src = (const char *)mbi->cmdline;
	int argc = 0, i;
	char *p;

	if (!(mbi->flags & MULTIBOOT_INFO_CMDLINE))
		goto out;
	for (i = 0; i < CMDLINE_MAX - 1 && src[i]; i++)
		cmdline[i] = src[i];
	cmdline[i] = '\0';
	/* Words are split on runs of spaces; there is no quoting. */
	for (p = cmdline; *p && argc < max;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
out:
	argv[argc] = 0;
	return argc;
}
