/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PVH entry: the ELF note that makes a loader (QEMU's -kernel, shadowvmm)
 * boot this image the way it boots a Linux vmlinux, and the code it jumps
 * to, in 32-bit protected mode with paging off, EBX pointing to a struct
 * hvm_start_info. No multiboot header: with one, a loader would take
 * that protocol instead. Built with PVH_NOTE64 the entry's address is 8
 * bytes, as an ELF64 vmlinux gives it.
 */
#include "pvh.h"

	.section .note.Xen, "a", @note
	.balign 4
	.long 2f - 1f			/* name size */
	.long 4f - 3f			/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz "Xen"
2:	.balign 4
3:	.long _start			/* a physical address: paging is off */
#ifdef PVH_NOTE64
	.long 0
#endif
4:	.balign 4

	.section .note.GNU-stack, "", @progbits

	.text
	.globl _start
_start:
	/*
	 * The PVH ABI gives no stack; IF and TF are clear and CR4 is 0.
	 * What the loader left is recorded before anything changes it.
	 */
	mov $stack_top, %esp
	pushf
	popl entry_eflags
	cli
	mov %cr0, %ecx
	mov %ecx, entry_cr0
	mov %cr4, %ecx
	mov %ecx, entry_cr4
	push %ebx			/* struct hvm_start_info */
	call pvh_start_c
	/* pvh_start_c() never returns; stop here if it ever does. */
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
