// SPDX-License-Identifier: GPL-2.0
/*
 * One handler per basic exit reason. Handlers see a decoded exit and the
 * vCPU's cached registers and never touch the VMCS themselves: run.c moves
 * state in and out around each entry, and its accessors reach the few
 * fields handlers need. That keeps them testable without VMX. They do run
 * inside a burst, though, with the guest's KERNEL_GS_BASE (and, once the
 * run loop loads them, its SYSCALL MSRs) live in the CPU.
 *
 * A handler either completes the guest's instruction (advancing RIP),
 * queues an exception for the guest, or stops the VM with a reason. An exit
 * we do not understand stops the VM; it never reaches the host.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include "cpuid.h"
#include "dev/pio.h"
#include "event.h"
#include "exit.h"
#include "linear.h"
#include "msr.h"
#include "paging.h"
#include "pf.h"
#include "string_io.h"
#include "vm_types.h"
#include "vmx.h"

#define CONTINUE	SHADOWVMM_STOP_NONE

/* Exit qualification of a control-register access. */
#define CR_NUMBER(q)		((q) & 0xf)
#define CR_ACCESS_TYPE(q)	(((q) >> 4) & 3)
#define CR_GPR(q)		(((q) >> 8) & 0xf)
#define CR_LMSW_SOURCE(q)	(((q) >> 16) & 0xffff)
enum { CR_MOV_TO, CR_MOV_FROM, CR_CLTS, CR_LMSW };

/* Exit qualification of a MOV DR. */
#define DR_NUMBER(q)		((q) & 7)
#define DR_FROM			BIT(4)
#define DR_GPR(q)		(((q) >> 8) & 0xf)

static u32 unhandled(struct shadowvmm_vcpu *vcpu,
		     const struct shadowvmm_exit *exit)
{
	return shadowvmm_stop_vcpu(vcpu, exit, SHADOWVMM_STOP_UNHANDLED_EXIT);
}

static u32 skip_instruction(struct shadowvmm_vcpu *vcpu,
			    const struct shadowvmm_exit *exit)
{
	vcpu->rip += exit->insn_len;
	/* Outside 64-bit code the instruction pointer wraps at 4 GiB. */
	if (!shadowvmm_vcpu_in_64bit_code(vcpu))
		vcpu->rip = (u32)vcpu->rip;
	/* The instruction completed: an STI or MOV SS shadow ends with it. */
	vcpu->dirty |= VCPU_DIRTY_INTR_SHADOW;
	return CONTINUE;
}

static u32 inject_gp(struct shadowvmm_vcpu *vcpu,
		     const struct shadowvmm_exit *exit)
{
	return shadowvmm_queue_exception(vcpu, exit, X86_TRAP_GP, 0);
}

static u32 inject_ud(struct shadowvmm_vcpu *vcpu,
		     const struct shadowvmm_exit *exit)
{
	return shadowvmm_queue_exception(vcpu, exit, X86_TRAP_UD, 0);
}

/*
 * The exit interrupted an event's delivery (say, a guest stack page not
 * yet shadowed while pushing an interrupt frame) and the handler fixed
 * what stood in the way: deliver the event again.
 */
static void redeliver_interrupted_event(struct shadowvmm_vcpu *vcpu,
					const struct shadowvmm_exit *exit)
{
	u32 info = exit->idt_vectoring_info;

	if (!(info & INTR_INFO_VALID_MASK) || vcpu->event.pending)
		return;
	vcpu->event = (struct shadowvmm_event){
		.pending = true,
		.vector = info & INTR_INFO_VECTOR_MASK,
		.type = info & INTR_INFO_INTR_TYPE_MASK,
		.has_error_code = info & INTR_INFO_DELIVER_CODE_MASK,
		.error_code = exit->idt_vectoring_error_code,
		.insn_len = exit->insn_len,
	};
}

static unsigned long gpr_read(struct shadowvmm_vcpu *vcpu, unsigned int reg)
{
	return reg == VCPU_RSP ? vcpu->rsp : vcpu->regs.gpr[reg];
}

static void gpr_write(struct shadowvmm_vcpu *vcpu, unsigned int reg,
		      unsigned long value)
{
	if (reg == VCPU_RSP)
		vcpu->rsp = value;
	else
		vcpu->regs.gpr[reg] = value;
}

static u32 handle_exception(struct shadowvmm_vcpu *vcpu,
			    const struct shadowvmm_exit *exit)
{
	u32 type = exit->intr_info & INTR_INFO_INTR_TYPE_MASK;
	u8 vector = exit->intr_info & INTR_INFO_VECTOR_MASK;

	/* run.c passed the NMI on to the host already. */
	if (type == INTR_TYPE_NMI_INTR)
		return CONTINUE;
	if (vector == X86_TRAP_PF)
		return shadowvmm_handle_page_fault(vcpu, exit);
	return unhandled(vcpu, exit);
}

/* Turn a paging.c verdict into what the guest sees. */
static u32 cr_result(struct shadowvmm_vcpu *vcpu,
		     const struct shadowvmm_exit *exit, int err)
{
	switch (err) {
	case 0:
		return skip_instruction(vcpu, exit);
	case -EINVAL:
		return inject_gp(vcpu, exit);
	case -EAGAIN:
		/* Top up the MMU's stock, then run the instruction again. */
		vcpu->need_topup = true;
		return CONTINUE;
	}
	/* Real mode: shadow paging without unrestricted guest can't. */
	return unhandled(vcpu, exit);
}

static u32 handle_cr_access(struct shadowvmm_vcpu *vcpu,
			    const struct shadowvmm_exit *exit)
{
	u64 q = exit->qualification;
	unsigned long value;

	switch (CR_ACCESS_TYPE(q)) {
	case CR_MOV_TO:
		value = gpr_read(vcpu, CR_GPR(q));
		switch (CR_NUMBER(q)) {
		case 0:
			return cr_result(vcpu, exit, shadowvmm_set_cr0(vcpu, value));
		case 3:
			return cr_result(vcpu, exit, shadowvmm_set_cr3(vcpu, value));
		case 4:
			return cr_result(vcpu, exit, shadowvmm_set_cr4(vcpu, value));
		case 8:
			/* CR8 is the APIC's task priority, bits 7:4. */
			if (value & ~0xfUL)
				return inject_gp(vcpu, exit);
			shadowvmm_lapic_set_tpr(&vcpu->apic, value << 4);
			return skip_instruction(vcpu, exit);
		}
		break;
	case CR_MOV_FROM:
		switch (CR_NUMBER(q)) {
		case 3:
			gpr_write(vcpu, CR_GPR(q), vcpu->cr3);
			return skip_instruction(vcpu, exit);
		case 8:
			gpr_write(vcpu, CR_GPR(q), vcpu->apic.tpr >> 4);
			return skip_instruction(vcpu, exit);
		}
		break;
	case CR_CLTS:
		return cr_result(vcpu, exit,
				 shadowvmm_set_cr0(vcpu, vcpu->cr0 & ~X86_CR0_TS));
	case CR_LMSW:
		/* LMSW loads PE, MP, EM and TS, and cannot clear PE. */
		value = (vcpu->cr0 & ~0xeUL) | (CR_LMSW_SOURCE(q) & 0xf);
		return cr_result(vcpu, exit, shadowvmm_set_cr0(vcpu, value));
	}
	return unhandled(vcpu, exit);
}

static void set_dr7(struct shadowvmm_vcpu *vcpu, unsigned long value)
{
	vcpu->dr7 = (value & VCPU_DR7_VOLATILE) | VCPU_DR7_FIXED_1;
	vcpu->dirty |= VCPU_DIRTY_DR7;
}

/*
 * MOV DR exits take priority over the #GP of a CPL above 0, the #UD of
 * DR4/DR5 with CR4.DE set and the #DB of DR7.GD, so those are ours to
 * raise, as the CPU would have; then the access itself, on the guest's
 * own registers.
 */
static u32 handle_dr_access(struct shadowvmm_vcpu *vcpu,
			    const struct shadowvmm_exit *exit)
{
	unsigned int dr = DR_NUMBER(exit->qualification);
	unsigned int gpr = DR_GPR(exit->qualification);
	bool wide = shadowvmm_vcpu_in_64bit_code(vcpu);
	unsigned long value;

	if (shadowvmm_vcpu_cpl(vcpu))
		return inject_gp(vcpu, exit);
	if ((vcpu->cr4 & X86_CR4_DE) && (dr == 4 || dr == 5))
		return inject_ud(vcpu, exit);
	if (vcpu->dr7 & VCPU_DR7_GD) {
		/* A fault: entering the handler clears GD, DR6 says why. */
		vcpu->dr6 = (vcpu->dr6 & ~VCPU_DR6_B0_B3) | VCPU_DR6_BD;
		set_dr7(vcpu, vcpu->dr7 & ~VCPU_DR7_GD);
		return shadowvmm_queue_exception(vcpu, exit, X86_TRAP_DB, 0);
	}
	if (dr == 4 || dr == 5)
		dr += 2;	/* aliases of DR6 and DR7 without CR4.DE */

	if (exit->qualification & DR_FROM) {
		if (dr < 4)
			value = vcpu->db[dr];
		else
			value = dr == 6 ? vcpu->dr6 : vcpu->dr7;
		gpr_write(vcpu, gpr, wide ? value : (u32)value);
		return skip_instruction(vcpu, exit);
	}
	value = gpr_read(vcpu, gpr);
	if (!wide)
		value = (u32)value;
	if (dr >= 6 && upper_32_bits(value))
		return inject_gp(vcpu, exit);
	if (dr < 4)
		vcpu->db[dr] = value;
	else if (dr == 6)
		vcpu->dr6 = (value & VCPU_DR6_VOLATILE) | VCPU_DR6_FIXED_1;
	else
		set_dr7(vcpu, value);
	return skip_instruction(vcpu, exit);
}

static u32 handle_cpuid(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit)
{
	u32 leaf = vcpu->regs.gpr[VCPU_RAX];
	u32 subleaf = vcpu->regs.gpr[VCPU_RCX];
	struct shadowvmm_cpuid r;

	shadowvmm_cpuid_guest(leaf, subleaf, &r);
	vcpu->regs.gpr[VCPU_RAX] = r.eax;
	vcpu->regs.gpr[VCPU_RBX] = r.ebx;
	vcpu->regs.gpr[VCPU_RCX] = r.ecx;
	vcpu->regs.gpr[VCPU_RDX] = r.edx;
	return skip_instruction(vcpu, exit);
}

static u32 handle_io(struct shadowvmm_vcpu *vcpu,
		     const struct shadowvmm_exit *exit)
{
	u64 q = exit->qualification;
	unsigned int size = IO_SIZE(q);
	unsigned long *rax = &vcpu->regs.gpr[VCPU_RAX];
	unsigned long mask;
	u32 value = *rax;
	u32 reason;

	shadowvmm_stat_add(&vcpu->vm->stats, SHADOWVMM_STAT_IO_EXITS, 1);
	if (q & IO_STRING) {
		if (shadowvmm_string_io(vcpu, exit, &reason) == -EOPNOTSUPP)
			return unhandled(vcpu, exit);
		if (reason != CONTINUE)
			return shadowvmm_stop_vcpu(vcpu, exit, reason);
		return CONTINUE;
	}

	reason = shadowvmm_pio(vcpu, IO_PORT(q), size, q & IO_IN, &value);
	if (reason != CONTINUE) {
		skip_instruction(vcpu, exit);
		return shadowvmm_stop_vcpu(vcpu, exit, reason);
	}
	if (q & IO_IN) {
		/* A 32-bit IN zero-extends; narrower ones merge into RAX. */
		mask = size == 4 ? ~0UL : (1UL << (size * 8)) - 1;
		*rax = size == 4 ? value : (*rax & ~mask) | (value & mask);
	}
	return skip_instruction(vcpu, exit);
}

/* An MSR the CPU we describe lacks is counted: the guest may want it. */
static u32 msr_result(struct shadowvmm_vcpu *vcpu,
		      const struct shadowvmm_exit *exit, int err)
{
	if (err == -ENOENT) {
		shadowvmm_stat_add(&vcpu->vm->stats,
				   SHADOWVMM_STAT_MSR_UNHANDLED, 1);
		err = -EINVAL;
	}
	return cr_result(vcpu, exit, err);
}

static u32 handle_rdmsr(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit)
{
	u64 value;
	int err;

	err = shadowvmm_msr_read(vcpu, vcpu->regs.gpr[VCPU_RCX], &value);
	if (!err) {
		vcpu->regs.gpr[VCPU_RAX] = (u32)value;
		vcpu->regs.gpr[VCPU_RDX] = value >> 32;
	}
	return msr_result(vcpu, exit, err);
}

static u32 handle_wrmsr(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit)
{
	u64 value = (u32)vcpu->regs.gpr[VCPU_RAX] |
		    ((u64)(u32)vcpu->regs.gpr[VCPU_RDX] << 32);

	return msr_result(vcpu, exit,
			  shadowvmm_msr_write(vcpu, vcpu->regs.gpr[VCPU_RCX],
					      value));
}

/*
 * HLT waits for an interrupt. With IF clear nothing but an NMI could wake
 * the guest, which is how guests end: the VM stops. Otherwise the run
 * loop puts the thread to sleep until the APIC has something it can take.
 */
static u32 handle_hlt(struct shadowvmm_vcpu *vcpu,
		      const struct shadowvmm_exit *exit)
{
	skip_instruction(vcpu, exit);
	if (!(vcpu->rflags & X86_EFLAGS_IF))
		return shadowvmm_stop_vcpu(vcpu, exit, SHADOWVMM_STOP_HALT);
	shadowvmm_stat_add(&vcpu->vm->stats, SHADOWVMM_STAT_HALT_EXITS, 1);
	shadowvmm_lapic_sync_timer(&vcpu->apic);
	if (!shadowvmm_lapic_has_event(&vcpu->apic))
		vcpu->halted = true;
	return CONTINUE;
}

static u32 handle_basic_exit(struct shadowvmm_vcpu *vcpu,
			     const struct shadowvmm_exit *exit)
{
	if (exit->reason & VMX_EXIT_REASONS_FAILED_VMENTRY)
		return shadowvmm_stop_vcpu(vcpu, exit, SHADOWVMM_STOP_ENTRY_FAILED);

	switch (shadowvmm_exit_basic(exit->reason)) {
	case EXIT_REASON_EXCEPTION_NMI:
		return handle_exception(vcpu, exit);
	case EXIT_REASON_INTERRUPT_WINDOW:
	case EXIT_REASON_NMI_WINDOW:
		/* The guest can take what is pending: run.c injects it. */
		shadowvmm_stat_add(&vcpu->vm->stats,
				   shadowvmm_exit_basic(exit->reason) ==
				   EXIT_REASON_INTERRUPT_WINDOW ?
				   SHADOWVMM_STAT_IRQ_WINDOW_EXITS :
				   SHADOWVMM_STAT_NMI_WINDOW_EXITS, 1);
		return CONTINUE;
	case EXIT_REASON_EXTERNAL_INTERRUPT:
	case EXIT_REASON_PREEMPTION_TIMER:
		/*
		 * The host took any interrupt when run.c enabled IRQs; the
		 * run loop decides whether the guest goes on.
		 */
		return CONTINUE;
	case EXIT_REASON_TRIPLE_FAULT:
		return shadowvmm_stop_vcpu(vcpu, exit, SHADOWVMM_STOP_TRIPLE_FAULT);
	case EXIT_REASON_CPUID:
		return handle_cpuid(vcpu, exit);
	case EXIT_REASON_HLT:
		return handle_hlt(vcpu, exit);
	case EXIT_REASON_INVD:
		return skip_instruction(vcpu, exit);
	case EXIT_REASON_INVLPG:
		shadowvmm_mmu_invlpg(&vcpu->mmu, exit->qualification);
		return skip_instruction(vcpu, exit);
	case EXIT_REASON_RDPMC:
		/* CPUID offers no performance counters. */
		return inject_gp(vcpu, exit);
	case EXIT_REASON_CR_ACCESS:
		return handle_cr_access(vcpu, exit);
	case EXIT_REASON_DR_ACCESS:
		return handle_dr_access(vcpu, exit);
	case EXIT_REASON_IO_INSTRUCTION:
		return handle_io(vcpu, exit);
	case EXIT_REASON_MSR_READ:
		return handle_rdmsr(vcpu, exit);
	case EXIT_REASON_MSR_WRITE:
		return handle_wrmsr(vcpu, exit);
	case EXIT_REASON_VMCALL ... EXIT_REASON_VMON:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
	case EXIT_REASON_VMFUNC:
	case EXIT_REASON_MWAIT_INSTRUCTION:
	case EXIT_REASON_MONITOR_INSTRUCTION:
		/* Not offered by CPUID: #UD, as on a CPU without them. */
		return inject_ud(vcpu, exit);
	}
	return unhandled(vcpu, exit);
}

/**
 * shadowvmm_handle_exit() - act on one VM exit
 * @vcpu: the vCPU that exited, its registers and RIP already cached
 * @exit: the decoded exit
 *
 * Return: SHADOWVMM_STOP_NONE to enter the guest again, or the reason the
 * VM stops, with the details in @vcpu->stop.
 */
u32 shadowvmm_handle_exit(struct shadowvmm_vcpu *vcpu,
			  const struct shadowvmm_exit *exit)
{
	u32 reason = handle_basic_exit(vcpu, exit);

	if (reason == CONTINUE)
		redeliver_interrupted_event(vcpu, exit);
	return reason;
}
