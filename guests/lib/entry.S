/* SPDX-License-Identifier: GPL-2.0 */
/* Multiboot v1 header and entry: 32-bit protected mode, paging off. */
#include "multiboot.h"

	.section .multiboot, "a"
	.align 4
	.long MULTIBOOT_HEADER_MAGIC
	.long MULTIBOOT_HEADER_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + MULTIBOOT_HEADER_FLAGS)

	.section .note.GNU-stack, "", @progbits

	.text
	.globl _start
_start:
	/*
	 * Multiboot leaves ESP undefined and IF clear. What the loader left
	 * in EFLAGS, CR0 and CR4 is recorded before anything changes it
	 * (lib/runtime.h); EAX and EBX stay as they came.
	 */
	mov $stack_top, %esp
	pushf
	popl entry_eflags
	cli
	mov %cr0, %ecx
	mov %ecx, entry_cr0
	mov %cr4, %ecx
	mov %ecx, entry_cr4
	push %ebx		/* multiboot information */
	push %eax		/* loader magic */
	call guest_start
	/* guest_start() never returns; stop here if it ever does. */
1:	hlt
	jmp 1b

	.bss
	.align 16
	.skip 16384
stack_top:
	.globl entry_eflags, entry_cr0, entry_cr4
entry_eflags:
	.skip 4
entry_cr0:
	.skip 4
entry_cr4:
	.skip 4
