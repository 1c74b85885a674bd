/* SPDX-License-Identifier: GPL-2.0 */
/* Interrupt entry: irq.c points the gates of installed vectors here. */
#include "desc.h"
#include "irq.h"

	.section .note.GNU-stack, "", @progbits

	.text
/*
 * One stub per vector from 32 to 255, IRQ_STUB_SIZE bytes apart. An
 * interrupt pushes no error code, so the vector alone tells irq_common
 * which one it is.
 */
	.align IRQ_STUB_SIZE
	.globl irq_stubs
irq_stubs:
	vector = EXCEPTION_VECTORS
	.rept IDT_VECTORS - EXCEPTION_VECTORS
	.align IRQ_STUB_SIZE
	push $vector
	jmp irq_common
	vector = vector + 1
	.endr

/*
 * The NMI's, for nmi_install(): it too pushes no error code, and
 * irq_common's IRET is what ends the NMI's blocking.
 */
	.align IRQ_STUB_SIZE
	.globl nmi_stub
nmi_stub:
	push $VECTOR_NMI
	jmp irq_common

/*
 * Every register the C handler may change is saved, as the interrupted
 * code cannot know it was interrupted. DS and ES are the kernel's
 * already (these guests take interrupts at CPL 0 only), but are saved
 * and loaded as trap_common does, so that stays true if that changes.
 */
irq_common:
	pusha
	push %ds
	push %es
	mov $KERNEL_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	cld			/* C wants DF clear, whoever was interrupted */
	lea 44(%esp), %edx	/* the CPU's frame, above the vector */
	mov 40(%esp), %eax	/* the vector, above ES, DS and pusha's 32 */
	push %edx
	push %eax
	call irq_dispatch
	add $8, %esp
	pop %es
	pop %ds
	popa
	add $4, %esp		/* the vector */
	iret
