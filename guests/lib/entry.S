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
	/* Multiboot leaves ESP undefined and says nothing about IF. */
	cli
	mov $stack_top, %esp
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
