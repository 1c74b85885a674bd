/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exception entry in long mode, where every gate leads to 64-bit code:
 * the same job as trap_entry.S and trap.c, in assembly because the C
 * here is 32-bit. Faults from compatibility mode or 64-bit mode resume
 * at their fixup (fixup.h) or exec_probe's resume address, in whichever
 * mode they came from; anything else goes on in compatibility mode, in
 * trap64_report(), which says what happened and stops. Also here: the
 * far-called 64-bit probes, 64-bit code at CPL 3 (user_call64) and a
 * SYSCALL target with the user code that calls it.
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

/* void __cpuid64(u32 leaf, u32 subleaf, struct cpuid *r) */
	.globl __cpuid64
__cpuid64:
	push %ebx
	push %edi
	mov 12(%esp), %eax
	mov 16(%esp), %ecx
	mov 20(%esp), %edi
	lcall $KERNEL_CS64, $cpuid64
	mov %eax, (%edi)
	mov %ebx, 4(%edi)
	mov %ecx, 8(%edi)
	mov %edx, 12(%edi)
	pop %edi
	pop %ebx
	ret

/*
 * u32 user_call64(void (*fn)(void), u32 a, u32 b, u32 rflags): as
 * user_call(), for 64-bit code at CPL 3 (USER_CS64) with RFLAGS rflags;
 * its int $0x80 comes back through user_return64 to user_return, which
 * takes up the registers saved here.
 */
	.globl user_call64
user_call64:
	push %ebp
	push %ebx
	push %esi
	push %edi
	mov %esp, user_saved_esp
	mov 20(%esp), %eax
	mov 24(%esp), %edx
	mov 28(%esp), %ecx
	mov 32(%esp), %esi
	ljmp $KERNEL_CS64, $1f
	.code64
1:	mov %esp, %esp
	mov %eax, %eax
	mov %edx, %edx
	mov %ecx, %ecx
	mov %esi, %esi
	mov $user_stack_top, %ebx
	/*
	 * IRETQ nulls DS, ES, FS and GS (DPL 0): 64-bit code needs none,
	 * and user_return loads DS and ES again, as after user_call().
	 */
	pushq $USER_DS64
	push %rbx
	push %rsi
	pushq $USER_CS64
	push %rax
	iretq

/*
 * SYSCALL's target (LSTAR), at CPL 0 on the user's stack: records what
 * SYSCALL left (struct syscall_seen, long_mode.h) without touching that
 * stack or the flags before they are read, then SYSRETQ to user_sysret64
 * with R11 = syscall_seen.sysret_r11, not where it came from.
 */
#define SC_RCX		syscall_seen(%rip)
#define SC_R11		syscall_seen + 8(%rip)
#define SC_RFLAGS	syscall_seen + 16(%rip)
#define SC_RSP		syscall_seen + 24(%rip)
#define SC_USER_RFLAGS	syscall_seen + 32(%rip)
#define SC_USER_RSP	syscall_seen + 40(%rip)
#define SC_SYSRET_R11	syscall_seen + 48(%rip)
#define SC_CS		syscall_seen + 56(%rip)
#define SC_SS		syscall_seen + 60(%rip)
#define SC_ENTRIES	syscall_seen + 64(%rip)
#define SR_RFLAGS	sysret_seen(%rip)
#define SR_RSP		sysret_seen + 8(%rip)
#define SR_CS		sysret_seen + 16(%rip)
#define SR_SS		sysret_seen + 20(%rip)
#define SR_ARRIVALS	sysret_seen + 24(%rip)

	.globl syscall_entry64
syscall_entry64:
	mov %rsp, SC_RSP
	lea syscall_stack_top(%rip), %rsp
	pushfq
	popq SC_RFLAGS
	mov %rcx, SC_RCX
	mov %r11, SC_R11
	mov %rbx, SC_USER_RFLAGS
	mov %rbp, SC_USER_RSP
	mov %cs, SC_CS
	mov %ss, SC_SS
	incl SC_ENTRIES
	mov SC_SYSRET_R11, %r11
	mov $user_sysret64, %ecx
	mov SC_RSP, %rsp
	sysretq

/*
 * RDFSBASE, RDGSBASE, or RDGSBASE between two SWAPGS (what the kernel's
 * GS base holds): ECX 0, 1 or 2; the base in EDX:EAX, 0 if it faulted.
 */
rdbase64:
	mov %esp, %esp
	xor %eax, %eax
	cmp $1, %ecx
	je 3f
	ja 4f
1:	rdfsbase %rax
	jmp 6f
3:	rdgsbase %rax
	jmp 6f
4:	swapgs
5:	rdgsbase %rax
	swapgs
6:	mov %rax, %rdx
	shr $32, %rdx
	lretl
	FIXUP(1b, 6b)
	FIXUP(3b, 6b)
	FIXUP(5b, 6b)

/* WRFSBASE (ECX 0) or WRGSBASE (ECX 1) of EDX:EAX. */
wrbase64:
	mov %esp, %esp
	shl $32, %rdx
	mov %eax, %eax
	or %rdx, %rax
	test %ecx, %ecx
	jnz 2f
1:	wrfsbase %rax
	lretl
2:	wrgsbase %rax
3:	lretl
	FIXUP(1b, 3b)
	FIXUP(2b, 3b)

	.code32
/* u64 __rdbase64(u32 which) */
	.globl __rdbase64
__rdbase64:
	mov 4(%esp), %ecx
	lcall $KERNEL_CS64, $rdbase64
	ret

/* void __wrbase64(u32 which, u64 value) */
	.globl __wrbase64
__wrbase64:
	mov 4(%esp), %ecx
	mov 8(%esp), %eax
	mov 12(%esp), %edx
	lcall $KERNEL_CS64, $wrbase64
	ret

	.code64
/* The far-called half of __cpuid64, in 64-bit mode. */
cpuid64:
	mov %esp, %esp
	cpuid
	lretl

/*
 * user_call64() code, in user pages. user_syscall64: EDX's bits set in
 * RFLAGS, then SYSCALL, RBX holding RFLAGS and RBP RSP as it found them;
 * SYSRETQ comes back at user_sysret64, which records what it finds
 * (struct sysret_seen) and returns 0; the instruction after the SYSCALL
 * returns 1. user_syscall_ud64: a SYSCALL expected to fault.
 */
	.pushsection .user.text, "ax"
	.globl user_syscall64
user_syscall64:
	pushfq
	or %rdx, (%rsp)
	popfq
	pushfq
	pop %rbx
	mov %rsp, %rbp
	syscall
	.globl user_syscall64_next
user_syscall64_next:
	mov $1, %eax
	int $USER_RETURN_VECTOR

	.globl user_sysret64
user_sysret64:
	pushfq
	popq SR_RFLAGS
	mov %rsp, SR_RSP
	mov %cs, SR_CS
	mov %ss, SR_SS
	incl SR_ARRIVALS
	xor %eax, %eax
	int $USER_RETURN_VECTOR

	.globl user_syscall_ud64
user_syscall_ud64:
1:	syscall
2:	int $USER_RETURN_VECTOR
	FIXUP(1b, 2b)
	.popsection

	.code32
trap64_unexpected:
	mov $KERNEL_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	call trap64_report

	.section .user.data, "aw"
	.align 8
	.globl sysret_seen
sysret_seen:
	.skip 32

	.bss
	.align 8
	.globl syscall_seen
syscall_seen:
	.skip 72
	.align 16
	.skip 64
syscall_stack_top:
	.align 4
	.globl trap64_rip
trap64_rip:
	.long 0
	.align 16
	.skip 4096
report_stack_top:
