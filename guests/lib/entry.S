/* SPDX-License-Identifier: GPL-2.0 */
/* Multiboot v1 header and entry: 32-bit protected mode, paging off. */
#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00000003	/* page-aligned modules, memory info */

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .note.GNU-stack, "", @progbits

	.text
	.globl _start
_start:
	cli
	mov $stack_top, %esp
	push %ebx		/* multiboot information */
	push %eax		/* loader magic */
	call guest_start
1:	hlt
	jmp 1b

	.bss
	.align 16
	.skip 16384
stack_top:
