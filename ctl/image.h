/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_IMAGE_H
#define SHADOWVMM_CTL_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/shadowvmm.h>
#include "elf.h"

/* What the command line asks to boot the image with. */
struct boot_opts {
	const char *args;	/* --cmdline */
	const char *initrd;	/* --initrd FILE: PVH's module 0 */
	unsigned int nr_modules;
	const char *modules[SHADOWVMM_BOOT_MODULES_MAX];  /* FILE[,STRING] */
};

/* A boot module (an initrd, a multiboot module): a file placed in RAM. */
struct guest_module {
	char *path;
	char *string;		/* its command line, or NULL */
	uint8_t *buf;
	size_t len;
	uint64_t addr;		/* where modules_place() put it */
};

/* The modules of one guest, in the order the kernel lists them. */
struct guest_modules {
	unsigned int nr;
	struct guest_module mod[SHADOWVMM_BOOT_MODULES_MAX];
};

/* A guest image and its modules read from disk and checked, in no VM yet. */
struct guest_image {
	const char *path;	/* as typed: it starts a multiboot command line */
	uint8_t *buf;
	size_t len;
	struct boot_image boot;
	char *cmdline;
	struct guest_modules mods;
};

int image_open(struct guest_image *img, const char *path,
	       const struct boot_opts *opts, uint64_t mem_size);
void image_close(struct guest_image *img);
char *boot_cmdline(const struct boot_image *boot, const char *path,
		   const char *args);
int modules_name(const struct boot_image *boot, const struct boot_opts *opts,
		 struct guest_modules *mods, char *err, size_t errlen);
int modules_place(const struct boot_image *boot, uint64_t mem_size,
		  struct guest_modules *mods, char *err, size_t errlen);

#endif
