/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The world switch: load the guest's general-purpose registers, VMLAUNCH or
 * VMRESUME, and on VM exit save them again. Everything else (segments,
 * control registers, MSRs) is switched by the CPU from the VMCS.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

/* Offsets into struct shadowvmm_regs, indexed by the VMX GPR encoding. */
#define REG(n)	((n) * 8)
#define R_AX	REG(0)
#define R_CX	REG(1)
#define R_DX	REG(2)
#define R_BX	REG(3)
#define R_BP	REG(5)
#define R_SI	REG(6)
#define R_DI	REG(7)
#define R_8	REG(8)
#define R_9	REG(9)
#define R_10	REG(10)
#define R_11	REG(11)
#define R_12	REG(12)
#define R_13	REG(13)
#define R_14	REG(14)
#define R_15	REG(15)

/*
 * HOST_RSP's VMCS encoding: asm/vmx.h has it in an enum that assembly
 * cannot read, so vmx.c asserts that the two agree.
 */
#define VMCS_HOST_RSP	0x6c14

.section .noinstr.text, "ax"

/*
 * int shadowvmm_vmx_run(struct shadowvmm_regs *regs, bool launched)
 *
 * Returns 0 after a VM exit, 1 when VMLAUNCH/VMRESUME failed (the caller
 * reads the VM-instruction error) or faulted because VMX was switched off
 * under us (emergency reboot; the caller's VMREADs then fault quietly too,
 * through the fixups in vmx.h).
 */
SYM_FUNC_START(shadowvmm_vmx_run)
	push %rbp
	mov  %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	/* @regs, found again at the top of the stack after the exit. */
	push %rdi

	/* The stack below this point is what the exit comes back to. */
	mov  $VMCS_HOST_RSP, %rax
.Lhost_rsp:
	vmwrite %rsp, %rax
	jbe  .Lvmfail
	_ASM_EXTABLE(.Lhost_rsp, .Lvmfail)

	/* Flags from this test survive the register loads below. */
	test %sil, %sil

	mov  R_CX(%rdi), %rcx
	mov  R_DX(%rdi), %rdx
	mov  R_BX(%rdi), %rbx
	mov  R_BP(%rdi), %rbp
	mov  R_SI(%rdi), %rsi
	mov  R_8(%rdi),  %r8
	mov  R_9(%rdi),  %r9
	mov  R_10(%rdi), %r10
	mov  R_11(%rdi), %r11
	mov  R_12(%rdi), %r12
	mov  R_13(%rdi), %r13
	mov  R_14(%rdi), %r14
	mov  R_15(%rdi), %r15
	mov  R_AX(%rdi), %rax
	mov  R_DI(%rdi), %rdi

	jz   .Lvmlaunch

	/* A successful entry comes back at shadowvmm_vmx_exit, not here. */
	UNWIND_HINT_SAVE
.Lvmresume:
	vmresume
	jmp  .Lvmfail
.Lvmlaunch:
	vmlaunch
	jmp  .Lvmfail

	_ASM_EXTABLE(.Lvmresume, .Lvmfail)
	_ASM_EXTABLE(.Lvmlaunch, .Lvmfail)

SYM_INNER_LABEL(shadowvmm_vmx_exit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR

	push %rax
	mov  8(%rsp), %rax

	mov  %rcx, R_CX(%rax)
	mov  %rdx, R_DX(%rax)
	mov  %rbx, R_BX(%rax)
	mov  %rbp, R_BP(%rax)
	mov  %rsi, R_SI(%rax)
	mov  %rdi, R_DI(%rax)
	mov  %r8,  R_8(%rax)
	mov  %r9,  R_9(%rax)
	mov  %r10, R_10(%rax)
	mov  %r11, R_11(%rax)
	mov  %r12, R_12(%rax)
	mov  %r13, R_13(%rax)
	mov  %r14, R_14(%rax)
	mov  %r15, R_15(%rax)
	pop  R_AX(%rax)

	xor  %ebx, %ebx

.Lclear_regs:
	/* Leave no guest value in a register the host might speculate on. */
	xor  %eax, %eax
	xor  %ecx, %ecx
	xor  %edx, %edx
	xor  %ebp, %ebp
	xor  %esi, %esi
	xor  %edi, %edi
	xor  %r8d, %r8d
	xor  %r9d, %r9d
	xor  %r10d, %r10d
	xor  %r11d, %r11d
	xor  %r12d, %r12d
	xor  %r13d, %r13d
	xor  %r14d, %r14d
	xor  %r15d, %r15d

	/* The guest may have trained the RSB with its own return targets. */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	add  $8, %rsp
	mov  %rbx, %rax
	pop  %rbx
	pop  %r12
	pop  %r13
	pop  %r14
	pop  %r15
	pop  %rbp
	RET

.Lvmfail:
	mov  $1, %ebx
	jmp  .Lclear_regs

SYM_FUNC_END(shadowvmm_vmx_run)
