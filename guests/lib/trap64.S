/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exception entry in long mode, where every gate leads to 64-bit code:
 * the same job as trap_entry.S and trap.c, in assembly because the C
 * here is 32-bit. Faults from compatibility mode or 64-bit mode resume
 * at their fixup (fixup.h) or exec_probe's resume address, in whichever
 * mode they came from; anything else goes on in compatibility mode, in
 * trap64_report(), which says what happened and stops.
 */
#include "desc.h"
#include "fixup.h"

#define VECTOR_PF	14
#define EFLAGS_FIXED	0x2
/* struct fault and struct exec_probe (trap.h), field by field */
/*
 * A 32-bit object cannot hold 64-bit mode's sign-extended absolute
 * addresses: memory is reached RIP-relative, and addresses as immediates
 * go through a 32-bit register, which zero-extends.
 */
#define FAULT_VECTOR	last_fault(%rip)
#define FAULT_ERROR	last_fault + 4(%rip)
#define FAULT_CR2	last_fault + 8(%rip)
#define FAULT_CR2_HIGH	last_fault + 12(%rip)
#define EXEC_TARGET	exec_probe(%rip)
#define EXEC_RESUME	exec_probe + 4(%rip)
/* The frame once trap64_common has saved RAX, RCX and RDX. */
#define F_VECTOR	24
#define F_ERROR		32
#define F_RIP		40
#define F_CS		48
#define F_RSP		64
#define F_SS		72

	.section .note.GNU-stack, "", @progbits

	.text
	.code64
	.align 16
	.globl trap64_stubs
trap64_stubs:
	vector = 0
	.rept 32
	.align 16
	.if vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || \
	    vector == 21 || vector == 29 || vector == 30
	.else
	pushq $0
	.endif
	pushq $vector
	jmp trap64_common
	vector = vector + 1
	.endr

trap64_common:
	push %rax
	push %rcx
	push %rdx
	mov F_VECTOR(%rsp), %eax
	mov %eax, FAULT_VECTOR
	mov F_ERROR(%rsp), %eax
	mov %eax, FAULT_ERROR
	xor %eax, %eax
	cmpl $VECTOR_PF, F_VECTOR(%rsp)
	jne 1f
	mov %cr2, %rax
1:	mov %eax, FAULT_CR2
	shr $32, %rax
	mov %eax, FAULT_CR2_HIGH

	/* Code runs below 4 GiB: the low half of RIP names it. */
	mov F_RIP(%rsp), %edx
	mov $__fixup_start, %ecx
2:	cmp $__fixup_end, %ecx
	jae 4f
	cmp (%rcx), %edx
	je 3f
	add $8, %ecx
	jmp 2b
3:	mov 4(%rcx), %eax
	jmp 5f
4:	mov EXEC_TARGET, %eax
	test %eax, %eax
	jz unexpected
	cmp %eax, %edx
	jne unexpected
	movl $0, EXEC_TARGET
	mov EXEC_RESUME, %eax
5:	mov %rax, F_RIP(%rsp)
6:	pop %rdx
	pop %rcx
	pop %rax
	add $16, %rsp		/* vector and error code */
	iretq

unexpected:
	mov %edx, trap64_rip(%rip)
	mov $trap64_unexpected, %eax
	mov %rax, F_RIP(%rsp)
	movq $KERNEL_CS, F_CS(%rsp)
	mov $report_stack_top, %eax
	mov %rax, F_RSP(%rsp)
	movq $KERNEL_DS, F_SS(%rsp)
	jmp 6b

/*
 * int $0x80 from ring 3: back to the compatibility-mode kernel that
 * user_call() left, through user_return with its stack, as the 32-bit
 * gate would have gone. EAX carries the user code's result.
 */
	.globl user_return64
user_return64:
	mov user_saved_esp(%rip), %ecx
	pushq $KERNEL_DS
	push %rcx
	pushq $EFLAGS_FIXED
	pushq $KERNEL_CS
	mov $user_return, %ecx
	push %rcx
	iretq

/*
 * 64-bit accesses for compatibility-mode callers: a far call into
 * KERNEL_CS64 and a 32-bit far return. The upper halves of registers
 * mean nothing after compatibility mode, so each is set before use.
 */
read64:
	mov %esp, %esp
	shl $32, %rdx
	mov %eax, %eax
	or %rax, %rdx
	xor %eax, %eax
1:	mov (%rdx), %eax
2:	lretl
	FIXUP(1b, 2b)

write64:
	mov %esp, %esp
	shl $32, %rdx
	mov %eax, %eax
	or %rax, %rdx
1:	mov %ecx, (%rdx)
2:	lretl
	FIXUP(1b, 2b)

	.code32
/* u32 __probe64_read(u32 va_low, u32 va_high) */
	.globl __probe64_read
__probe64_read:
	mov 4(%esp), %eax
	mov 8(%esp), %edx
	lcall $KERNEL_CS64, $read64
	ret

/* void __probe64_write(u32 va_low, u32 va_high, u32 value) */
	.globl __probe64_write
__probe64_write:
	mov 4(%esp), %eax
	mov 8(%esp), %edx
	mov 12(%esp), %ecx
	lcall $KERNEL_CS64, $write64
	ret

trap64_unexpected:
	mov $KERNEL_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	call trap64_report

	.bss
	.align 4
	.globl trap64_rip
trap64_rip:
	.long 0
	.align 16
	.skip 4096
report_stack_top:
