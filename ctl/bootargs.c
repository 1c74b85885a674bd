// SPDX-License-Identifier: GPL-2.0
/*
 * What a guest kernel is handed besides its image, as QEMU's -kernel,
 * -append and -initrd hand it: the command line, and the modules with
 * their strings and places in RAM. Pure functions over names and sizes,
 * tested alone; the kernel checks the result again (page-aligned, above
 * 1 MiB, inside RAM, no overlaps).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "image.h"

#define PAGE_SIZE		4096ULL
#define PAGE_UP(x)		(((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PAGE_DOWN(x)		((x) & ~(PAGE_SIZE - 1))
#define MODULES_MIN		0x100000ULL

static uint64_t image_end(const struct boot_image *boot)
{
	uint64_t end = MODULES_MIN, seg_end;
	unsigned int i;

	for (i = 0; i < boot->nr_segments; i++) {
		seg_end = (uint64_t)boot->segments[i].paddr + boot->segments[i].memsz;
		if (seg_end > end)
			end = seg_end;
	}
	return PAGE_UP(end);
}

static int too_big(const struct guest_module *m, uint64_t mem_size,
		   char *err, size_t errlen)
{
	return boot_fail(err, errlen,
			 "%s: %zu bytes do not fit in guest RAM (%" PRIu64 " MiB) beside the kernel image: give more with --mem",
			 m->path, m->len, mem_size >> 20);
}

/**
 * boot_cmdline() - the guest's command line
 * @boot: the checked image
 * @path: the image's path as typed
 * @args: --cmdline, or NULL
 *
 * As QEMU makes it: for multiboot "<path>[ <args>]", so argv[0] is the
 * image; for PVH the arguments alone, as a Linux kernel expects them.
 *
 * Return: a malloc()ed string, or NULL with one line on stderr and errno
 * E2BIG (too long for the kernel) or ENOMEM.
 */
char *boot_cmdline(const struct boot_image *boot, const char *path,
		   const char *args)
{
	char *cmdline;
	int n;

	if (boot->protocol == SHADOWVMM_BOOT_PVH)
		n = asprintf(&cmdline, "%s", args ? args : "");
	else
		n = asprintf(&cmdline, "%s%s%s", path, args ? " " : "",
			     args ? args : "");
	if (n < 0) {
		fprintf(stderr, "shadowvmm: %s\n", strerror(ENOMEM));
		return NULL;
	}
	if (strlen(cmdline) >= SHADOWVMM_CMDLINE_MAX) {
		fprintf(stderr, "shadowvmm: the guest command line is %zu bytes, at most %d fit\n",
			strlen(cmdline), SHADOWVMM_CMDLINE_MAX - 1);
		free(cmdline);
		errno = E2BIG;
		return NULL;
	}
	return cmdline;
}

/* FILE[,STRING] into a module: its path, and its string for @protocol. */
static int name_module(uint32_t protocol, const char *arg, bool initrd,
		       struct guest_module *m, char *err, size_t errlen)
{
	const char *comma = initrd ? NULL : strchr(arg, ',');
	size_t path_len = comma ? (size_t)(comma - arg) : strlen(arg);
	int n = 0;

	memset(m, 0, sizeof(*m));
	m->path = strndup(arg, path_len);
	if (!m->path)
		return boot_fail(err, errlen, "%s", strerror(ENOMEM));
	/*
	 * Multiboot: the whole "FILE STRING", as QEMU's -initrd passes
	 * "FILE STRING" for each module; PVH: STRING alone, if any.
	 */
	if (protocol != SHADOWVMM_BOOT_PVH)
		n = asprintf(&m->string, "%s%s%s", m->path, comma ? " " : "",
			     comma ? comma + 1 : "");
	else if (comma)
		n = asprintf(&m->string, "%s", comma + 1);
	if (n < 0) {
		m->string = NULL;
		return boot_fail(err, errlen, "%s", strerror(ENOMEM));
	}
	if (m->string && strlen(m->string) >= SHADOWVMM_MODULE_CMDLINE_MAX)
		return boot_fail(err, errlen,
				 "%s: the module's string is %zu bytes, at most %d fit",
				 m->path, strlen(m->string),
				 SHADOWVMM_MODULE_CMDLINE_MAX - 1);
	return 0;
}

/**
 * modules_name() - the modules for @opts, initrd first, paths and strings
 * @boot: the checked image, whose protocol decides the strings
 * @opts: --initrd and --module options
 * @mods: to fill; the caller frees its strings (image_close())
 * @err: one line saying why, on failure
 * @errlen: its size
 *
 * Return: 0, or -1.
 */
int modules_name(const struct boot_image *boot, const struct boot_opts *opts,
		 struct guest_modules *mods, char *err, size_t errlen)
{
	unsigned int i;

	mods->nr = 0;
	if (opts->initrd && opts->nr_modules == SHADOWVMM_BOOT_MODULES_MAX)
		return boot_fail(err, errlen, "--initrd and %d modules: at most %d fit",
				 SHADOWVMM_BOOT_MODULES_MAX,
				 SHADOWVMM_BOOT_MODULES_MAX);
	if (opts->initrd &&
	    name_module(boot->protocol, opts->initrd, true,
			&mods->mod[mods->nr++], err, errlen))
		return -1;
	for (i = 0; i < opts->nr_modules; i++)
		if (name_module(boot->protocol, opts->modules[i], false,
				&mods->mod[mods->nr++], err, errlen))
			return -1;
	return 0;
}

/**
 * modules_place() - choose each module's guest physical address
 * @boot: the checked kernel image the modules go with
 * @mem_size: bytes of guest RAM
 * @mods: the modules, their lengths known; each gets its addr
 * @err: one line saying why, on failure
 * @errlen: its size
 *
 * As QEMU does: for multiboot one after another from the first page past
 * the image; for PVH the initrd (module 0) as high in RAM as it fits, the
 * others below it.
 *
 * Return: 0, or -1 when the modules do not fit beside the image.
 */
int modules_place(const struct boot_image *boot, uint64_t mem_size,
		  struct guest_modules *mods, char *err, size_t errlen)
{
	uint64_t low = image_end(boot), high = PAGE_DOWN(mem_size);
	unsigned int i;

	for (i = 0; i < mods->nr; i++) {
		struct guest_module *m = &mods->mod[i];
		uint64_t size = PAGE_UP((uint64_t)m->len);

		if (size > high - low)
			return too_big(m, mem_size, err, errlen);
		if (boot->protocol == SHADOWVMM_BOOT_PVH) {
			high -= size;
			m->addr = high;
		} else {
			m->addr = low;
			low += size;
		}
	}
	return 0;
}
