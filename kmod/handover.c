// SPDX-License-Identifier: GPL-2.0
/*
 * The hand-over to a guest kernel, as QEMU's -kernel makes it: boot state
 * that passed shadowvmm_boot_check() written into the low boot area in
 * the protocol the image asked for (multiboot.c, pvh.c), with the MP
 * table beside it.
 */
#include <linux/string.h>
#include "handover.h"
#include "mptable.h"
#include "multiboot.h"
#include "pvh.h"

static void write_strings(void *ram, const struct shadowvmm_boot *boot)
{
	unsigned int i;

	strscpy(ram + SHADOWVMM_BOOT_CMDLINE_ADDR, boot->cmdline,
		SHADOWVMM_CMDLINE_MAX);
	for (i = 0; i < boot->nr_modules; i++)
		if (boot->modules[i].cmdline)
			strscpy(ram + shadowvmm_boot_module_cmdline(boot, i),
				boot->modules[i].cmdline,
				SHADOWVMM_MODULE_CMDLINE_MAX);
}

/**
 * shadowvmm_handover_write() - write the boot information into guest RAM
 * @ram: guest RAM, @ram_size bytes
 * @ram_size: its size
 * @boot: boot state that passed shadowvmm_boot_check() for @ram_size
 * @regs: set to the registers the guest kernel starts with
 */
void shadowvmm_handover_write(void *ram, u64 ram_size,
			      const struct shadowvmm_boot *boot,
			      struct shadowvmm_boot_regs *regs)
{
	write_strings(ram, boot);
	regs->eip = boot->entry;
	if (boot->protocol == SHADOWVMM_BOOT_PVH) {
		regs->eax = 0;
		regs->ebx = shadowvmm_pvh_build(ram, ram_size, boot);
	} else {
		regs->eax = MULTIBOOT_BOOTLOADER_MAGIC;
		regs->ebx = shadowvmm_multiboot_build(ram, ram_size, boot);
	}
	/* shadowvmm_boot_check() made sure RAM reaches past 1 MiB. */
	shadowvmm_mptable_build(ram);
}
