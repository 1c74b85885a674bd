// SPDX-License-Identifier: GPL-2.0
/*
 * Crashes the CPU: with an empty IDT, #UD cannot be delivered, nor can
 * the #DF that follows, so the CPU shuts down (a triple fault). QEMU
 * resets; shadowvmm stops the VM and says why.
 */
#include "runtime.h"

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	static const struct {
		u16 limit;
		u32 base;
	} __packed no_idt = { 0, 0 };

	puts("triple: faulting\n");
	asm volatile("lidt %0; ud2" : : "m" (no_idt));
	return 0;
}
