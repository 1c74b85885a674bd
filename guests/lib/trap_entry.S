/* SPDX-License-Identifier: GPL-2.0 */
/* Exception entry, and the way into ring 3 and back out of it. */
#include "desc.h"

#define EFLAGS_FIXED	0x2	/* bit 1 is always set; IF stays clear */

	.section .note.GNU-stack, "", @progbits

	.text
/*
 * One 16-byte stub per exception vector (desc.c computes the addresses):
 * the ones the CPU gives no error code push a zero, so every frame looks
 * the same to trap().
 */
	.align 16
	.globl trap_stubs
trap_stubs:
	vector = 0
	.rept 32
	.align 16
	.if vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || \
	    vector == 21 || vector == 29 || vector == 30
	.else
	push $0
	.endif
	push $vector
	jmp trap_common
	vector = vector + 1
	.endr

trap_common:
	pusha
	push %ds
	push %es
	mov $KERNEL_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	push %esp
	call trap
	add $4, %esp
	pop %es
	pop %ds
	popa
	add $8, %esp		/* vector and error code */
	iret

/*
 * u32 user_call(void (*fn)(void), u32 a, u32 b): the callee-saved
 * registers and ESP stay here while fn runs at CPL 3; its int $0x80
 * lands in user_return, which picks them up again (a longjmp, so the
 * ring-0 stack the int used is simply abandoned).
 */
	.globl user_call
user_call:
	push %ebp
	push %ebx
	push %esi
	push %edi
	mov %esp, user_saved_esp
	mov 20(%esp), %eax
	mov 24(%esp), %edx
	mov 28(%esp), %ecx
	/* IRET would null a DPL-0 DS or ES on the way to ring 3. */
	mov $USER_DS, %ebx
	mov %ebx, %ds
	mov %ebx, %es
	push $USER_DS
	push $user_stack_top
	push $EFLAGS_FIXED
	push $USER_CS
	push %eax
	iret

	.globl user_return
user_return:
	mov $KERNEL_DS, %ebx
	mov %ebx, %ds
	mov %ebx, %es
	mov user_saved_esp, %esp
	pop %edi
	pop %esi
	pop %ebx
	pop %ebp
	ret

	.bss
	.align 4
	.globl user_saved_esp
user_saved_esp:
	.long 0

/* The user stack sits with the user code, in pages mapped user-accessible. */
	.section .user.data, "aw"
	.align 4096
	.skip 4096
	.globl user_stack_top
user_stack_top:
