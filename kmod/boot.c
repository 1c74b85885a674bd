// SPDX-License-Identifier: GPL-2.0
/*
 * The boot state BOOT_SET gives, checked against guest RAM, and the low
 * boot area's layout that both hand-over protocols share: the PC memory
 * map and where the command lines go. handover.c writes it.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "boot.h"
#include "mptable.h"

#define MB	(1024 * 1024)
/* The EBDA: the last KiB of base memory, as a PC BIOS leaves it. */
#define EBDA_ADDR	(SHADOWVMM_BOOT_LOW_MEM_KB * 1024 - 1024)

static int check_module(u64 ram_size, const struct shadowvmm_boot *boot,
			unsigned int i, const char **why)
{
	const struct shadowvmm_boot_module *m = &boot->modules[i];
	unsigned int j;

	if (!PAGE_ALIGNED(m->addr)) {
		*why = "MODULE_ADDR: not page-aligned";
		return -EINVAL;
	}
	if (m->addr < SHADOWVMM_BOOT_MODULE_MIN) {
		*why = "MODULE_ADDR: below 1 MiB, where the boot information lives";
		return -EINVAL;
	}
	if (!m->size) {
		*why = "MODULE_SIZE: 0";
		return -EINVAL;
	}
	if (m->addr >= ram_size || m->size > ram_size - m->addr) {
		*why = "MODULE_SIZE: the module reaches beyond guest RAM";
		return -ERANGE;
	}
	if (m->cmdline && strlen(m->cmdline) >= SHADOWVMM_MODULE_CMDLINE_MAX) {
		*why = "MODULE_CMDLINE: too long";
		return -EINVAL;
	}
	for (j = 0; j < i; j++) {
		const struct shadowvmm_boot_module *o = &boot->modules[j];

		if (m->addr < o->addr + o->size && o->addr < m->addr + m->size) {
			*why = "MODULE_ADDR: the module overlaps an earlier one";
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * shadowvmm_boot_check() - validate boot state against guest RAM
 * @ram_size: bytes of guest RAM
 * @boot: what BOOT_SET asked for
 * @attr: set to the attribute at fault (enum shadowvmm_attr)
 * @module: set to the index of the module at fault, for BOOT_MODULE
 * @why: what is wrong, on failure
 *
 * Every address and size the boot information will hold is checked here,
 * before anything is written to guest RAM.
 *
 * Return: 0, -EINVAL, -ERANGE or -E2BIG.
 */
int shadowvmm_boot_check(u64 ram_size, const struct shadowvmm_boot *boot,
			 int *attr, unsigned int *module, const char **why)
{
	unsigned int i;
	int err;

	*why = NULL;
	*attr = SHADOWVMM_A_BOOT_ENTRY;
	if (ram_size < SHADOWVMM_BOOT_AREA_END + MB ||
	    ram_size > SHADOWVMM_MEM_SIZE_MAX) {
		*why = "BOOT_ENTRY: guest RAM too small for the boot area";
		return -EINVAL;
	}
	if (boot->entry >= ram_size) {
		*why = "BOOT_ENTRY: entry point outside guest RAM";
		return -EINVAL;
	}
	if (boot->protocol > SHADOWVMM_BOOT_LAST) {
		*attr = SHADOWVMM_A_BOOT_PROTOCOL;
		*why = "BOOT_PROTOCOL: unknown protocol";
		return -EINVAL;
	}
	if (strlen(boot->cmdline) >= SHADOWVMM_CMDLINE_MAX) {
		*attr = SHADOWVMM_A_BOOT_CMDLINE;
		*why = "BOOT_CMDLINE: too long";
		return -EINVAL;
	}
	if (boot->nr_modules > SHADOWVMM_BOOT_MODULES_MAX) {
		*attr = SHADOWVMM_A_BOOT_MODULE;
		*module = SHADOWVMM_BOOT_MODULES_MAX;
		*why = "BOOT_MODULE: too many modules";
		return -E2BIG;
	}
	for (i = 0; i < boot->nr_modules; i++) {
		err = check_module(ram_size, boot, i, why);
		if (err) {
			*attr = SHADOWVMM_A_BOOT_MODULE;
			*module = i;
			return err;
		}
	}
	return 0;
}

/**
 * shadowvmm_boot_free() - free the strings of boot state and clear it
 * @boot: boot state filled by the caller
 */
void shadowvmm_boot_free(struct shadowvmm_boot *boot)
{
	unsigned int i;

	kfree(boot->cmdline);
	for (i = 0; i < boot->nr_modules; i++)
		kfree(boot->modules[i].cmdline);
	memset(boot, 0, sizeof(*boot));
}

/**
 * shadowvmm_boot_pc_map() - a PC's memory map for guest RAM
 * @ram_size: bytes of guest RAM, past 1 MiB + @firmware_size
 * @firmware_size: bytes at the top of RAM to report reserved, as firmware
 *		   tables would be (0 for none)
 * @map: SHADOWVMM_BOOT_MAP_MAX entries to fill, sorted and disjoint
 *
 * Base memory, the EBDA, the BIOS area that holds the MP table, and RAM
 * from 1 MiB: what a PC's BIOS reports, so a guest kernel keeps off the
 * tables it finds there.
 *
 * Return: the number of entries filled.
 */
unsigned int shadowvmm_boot_pc_map(u64 ram_size, u64 firmware_size,
				   struct shadowvmm_boot_range *map)
{
	static const struct shadowvmm_boot_range low[] = {
		{ 0, EBDA_ADDR, SHADOWVMM_BOOT_RAM },
		{ EBDA_ADDR, 1024, SHADOWVMM_BOOT_RESERVED },
		{ SHADOWVMM_MPTABLE_ADDR,
		  SHADOWVMM_MPTABLE_END - SHADOWVMM_MPTABLE_ADDR,
		  SHADOWVMM_BOOT_RESERVED },
	};
	unsigned int n = ARRAY_SIZE(low);

	memcpy(map, low, sizeof(low));
	map[n++] = (struct shadowvmm_boot_range){
		MB, ram_size - MB - firmware_size, SHADOWVMM_BOOT_RAM
	};
	if (firmware_size)
		map[n++] = (struct shadowvmm_boot_range){
			ram_size - firmware_size, firmware_size,
			SHADOWVMM_BOOT_RESERVED
		};
	return n;
}

/**
 * shadowvmm_boot_module_cmdline() - where a module's string is in the guest
 * @boot: checked boot state
 * @i: the module's index
 *
 * Return: its guest physical address, or 0 for a module without one.
 */
u32 shadowvmm_boot_module_cmdline(const struct shadowvmm_boot *boot,
				  unsigned int i)
{
	if (!boot->modules[i].cmdline)
		return 0;
	return SHADOWVMM_BOOT_MODSTR_ADDR + i * SHADOWVMM_MODULE_CMDLINE_MAX;
}
