// SPDX-License-Identifier: GPL-2.0
/*
 * One handler per basic exit reason. Handlers see a decoded exit and the
 * vCPU's cached registers and never touch the VMCS: vcpu.c moves state in
 * and out around each entry. That keeps them testable without VMX.
 *
 * A handler either completes the guest's instruction (advancing RIP),
 * queues an exception for the guest, or stops the VM with a reason. An exit
 * we do not understand stops the VM; it never reaches the host.
 */
#include <linux/kernel.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include "cpuid.h"
#include "dev/pio.h"
#include "exit.h"
#include "vm.h"
#include "vmx.h"

#define CONTINUE	SHADOWVMM_STOP_NONE

#define PAT_POWER_ON	0x0007040600070406ULL

/* CR0 bits that reach the hardware CR0 the guest runs with. */
#define HW_CR0_GUEST_BITS	(X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | \
				 X86_CR0_AM | X86_CR0_WP)
/* CR4 bits a guest may set, and those of them the hardware sees. */
#define GUEST_CR4_ALLOWED	(X86_CR4_PSE | X86_CR4_PAE | X86_CR4_PGE | \
				 X86_CR4_DE | X86_CR4_TSD | X86_CR4_PCE | \
				 X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)
#define HW_CR4_GUEST_BITS	(X86_CR4_DE | X86_CR4_TSD | X86_CR4_PCE | \
				 X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)

/* Exit qualification of a control-register access. */
#define CR_NUMBER(q)		((q) & 0xf)
#define CR_ACCESS_TYPE(q)	(((q) >> 4) & 3)
#define CR_GPR(q)		(((q) >> 8) & 0xf)
#define CR_LMSW_SOURCE(q)	(((q) >> 16) & 0xffff)
enum { CR_MOV_TO, CR_MOV_FROM, CR_CLTS, CR_LMSW };

/* Exit qualification of an I/O instruction. */
#define IO_SIZE(q)		(((q) & 7) + 1)
#define IO_IN			BIT(3)
#define IO_STRING		BIT(4)
#define IO_PORT(q)		((u16)((q) >> 16))

/**
 * shadowvmm_hw_cr0() - the CR0 the hardware runs the guest with
 * @vcpu: the vCPU, whose guest-visible CR0 decides the FPU and alignment
 *	  bits
 *
 * Paging and protection are always on: the VMM's own table stands in for
 * the guest's paging-off view.
 *
 * Return: a CR0 value that satisfies the CPU's VMX fixed bits.
 */
unsigned long shadowvmm_hw_cr0(const struct shadowvmm_vcpu *vcpu)
{
	unsigned long cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_NE |
			    X86_CR0_ET | (vcpu->cr0 & HW_CR0_GUEST_BITS);

	return (cr0 | shadowvmm_vmx.cr0_fixed0) & shadowvmm_vmx.cr0_fixed1;
}

/**
 * shadowvmm_hw_cr4() - the CR4 the hardware runs the guest with
 * @vcpu: the vCPU
 *
 * PAE for the VMM's table, MCE so a machine check reaches the host, VMXE
 * because VMX requires it; the guest's own bits where they mean the same.
 *
 * Return: a CR4 value that satisfies the CPU's VMX fixed bits.
 */
unsigned long shadowvmm_hw_cr4(const struct shadowvmm_vcpu *vcpu)
{
	unsigned long cr4 = X86_CR4_VMXE | X86_CR4_PAE | X86_CR4_MCE |
			    (vcpu->cr4 & HW_CR4_GUEST_BITS);

	return (cr4 | shadowvmm_vmx.cr4_fixed0) & shadowvmm_vmx.cr4_fixed1;
}

static u32 stop(struct shadowvmm_vcpu *vcpu, const struct shadowvmm_exit *exit,
		u32 reason)
{
	vcpu->stop.reason = reason;
	vcpu->stop.exit_reason = exit->reason & 0xffff;
	vcpu->stop.qualification = exit->qualification;
	vcpu->stop.rip = vcpu->rip;
	return reason;
}

static u32 unhandled(struct shadowvmm_vcpu *vcpu,
		     const struct shadowvmm_exit *exit)
{
	return stop(vcpu, exit, SHADOWVMM_STOP_UNHANDLED_EXIT);
}

static u32 skip_instruction(struct shadowvmm_vcpu *vcpu,
			    const struct shadowvmm_exit *exit)
{
	/* Outside long mode the instruction pointer wraps at 4 GiB. */
	vcpu->rip = (u32)(vcpu->rip + exit->insn_len);
	/* The instruction completed: an STI or MOV SS shadow ends with it. */
	vcpu->dirty |= VCPU_DIRTY_INTR_SHADOW;
	return CONTINUE;
}

static u32 inject(struct shadowvmm_vcpu *vcpu, u8 vector, bool has_error_code)
{
	vcpu->event = (struct shadowvmm_event){
		.pending = true,
		.vector = vector,
		.has_error_code = has_error_code,
	};
	return CONTINUE;
}

static u32 inject_gp(struct shadowvmm_vcpu *vcpu)
{
	return inject(vcpu, X86_TRAP_GP, true);
}

static u32 inject_ud(struct shadowvmm_vcpu *vcpu)
{
	return inject(vcpu, X86_TRAP_UD, false);
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

	/* vcpu.c passed the NMI on to the host already. */
	if (type == INTR_TYPE_NMI_INTR)
		return CONTINUE;
	/*
	 * With the guest's paging off, the only addresses our table leaves
	 * unmapped are those beyond guest RAM.
	 */
	if (vector == X86_TRAP_PF) {
		vcpu->stop.guest_addr = exit->qualification;
		return stop(vcpu, exit, SHADOWVMM_STOP_BAD_ACCESS);
	}
	return unhandled(vcpu, exit);
}

static u32 set_cr0(struct shadowvmm_vcpu *vcpu,
		   const struct shadowvmm_exit *exit, unsigned long value)
{
	if (value >> 32)
		return inject_gp(vcpu);
	value |= X86_CR0_ET;
	if (((value & X86_CR0_PG) && !(value & X86_CR0_PE)) ||
	    ((value & X86_CR0_NW) && !(value & X86_CR0_CD)))
		return inject_gp(vcpu);
	/*
	 * Real mode needs unrestricted guest, which shadow paging rules
	 * out; guest paging arrives with the shadow MMU. Until then a guest
	 * asking for either stops with the CR access as its reason.
	 */
	if (!(value & X86_CR0_PE) || (value & X86_CR0_PG))
		return unhandled(vcpu, exit);

	vcpu->cr0 = value;
	vcpu->hw_cr0 = shadowvmm_hw_cr0(vcpu);
	vcpu->dirty |= VCPU_DIRTY_CR;
	return skip_instruction(vcpu, exit);
}

static u32 set_cr4(struct shadowvmm_vcpu *vcpu,
		   const struct shadowvmm_exit *exit, unsigned long value)
{
	if (value & ~GUEST_CR4_ALLOWED)
		return inject_gp(vcpu);
	vcpu->cr4 = value;
	vcpu->hw_cr4 = shadowvmm_hw_cr4(vcpu);
	vcpu->dirty |= VCPU_DIRTY_CR;
	return skip_instruction(vcpu, exit);
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
			return set_cr0(vcpu, exit, value);
		case 3:
			/*
			 * Paging is off, so nothing walks CR3 yet; remember it
			 * for reads and for the day the guest turns paging on.
			 */
			vcpu->cr3 = (u32)value;
			return skip_instruction(vcpu, exit);
		case 4:
			return set_cr4(vcpu, exit, value);
		}
		break;
	case CR_MOV_FROM:
		if (CR_NUMBER(q) == 3) {
			gpr_write(vcpu, CR_GPR(q), vcpu->cr3);
			return skip_instruction(vcpu, exit);
		}
		break;
	case CR_CLTS:
		return set_cr0(vcpu, exit, vcpu->cr0 & ~X86_CR0_TS);
	case CR_LMSW:
		/* LMSW loads PE, MP, EM and TS, and cannot clear PE. */
		value = (vcpu->cr0 & ~0xeUL) | (CR_LMSW_SOURCE(q) & 0xf);
		return set_cr0(vcpu, exit, value);
	}
	return unhandled(vcpu, exit);
}

static u32 handle_cpuid(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit)
{
	u32 leaf = vcpu->regs.gpr[VCPU_RAX];
	u32 subleaf = vcpu->regs.gpr[VCPU_RCX];
	struct shadowvmm_cpuid r;

	cpuid_count(leaf, subleaf, &r.eax, &r.ebx, &r.ecx, &r.edx);
	shadowvmm_cpuid_filter(leaf, subleaf, &r);
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
	/* INS/OUTS need the instruction emulator; it is not there yet. */
	if (q & IO_STRING)
		return unhandled(vcpu, exit);

	reason = shadowvmm_pio(vcpu->vm, IO_PORT(q), size, q & IO_IN, &value);
	if (reason != CONTINUE) {
		skip_instruction(vcpu, exit);
		return stop(vcpu, exit, reason);
	}
	if (q & IO_IN) {
		/* A 32-bit IN zero-extends; narrower ones merge into RAX. */
		mask = size == 4 ? ~0UL : (1UL << (size * 8)) - 1;
		*rax = size == 4 ? value : (*rax & ~mask) | (value & mask);
	}
	return skip_instruction(vcpu, exit);
}

static u32 valid_pat(u64 pat)
{
	unsigned int i;

	/* Memory types 2 and 3 are reserved, as are values above 7. */
	for (i = 0; i < 8; i++) {
		u8 type = pat >> (i * 8);

		if (type > 7 || type == 2 || type == 3)
			return false;
	}
	return true;
}

static u32 handle_rdmsr(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit)
{
	u32 msr = vcpu->regs.gpr[VCPU_RCX];
	u64 value;

	switch (msr) {
	case MSR_EFER:
		value = vcpu->efer;
		break;
	case MSR_IA32_CR_PAT:
		value = vcpu->pat;
		break;
	case MSR_IA32_TSC:
		/* No TSC offsetting: the guest reads the host's TSC. */
		value = rdtsc();
		break;
	case MSR_IA32_SYSENTER_CS:
		value = vcpu->sysenter_cs;
		break;
	case MSR_IA32_SYSENTER_ESP:
		value = vcpu->sysenter_esp;
		break;
	case MSR_IA32_SYSENTER_EIP:
		value = vcpu->sysenter_eip;
		break;
	default:
		shadowvmm_stat_add(&vcpu->vm->stats,
				   SHADOWVMM_STAT_MSR_UNHANDLED, 1);
		return inject_gp(vcpu);
	}
	vcpu->regs.gpr[VCPU_RAX] = (u32)value;
	vcpu->regs.gpr[VCPU_RDX] = value >> 32;
	return skip_instruction(vcpu, exit);
}

static u32 handle_wrmsr(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit)
{
	u32 msr = vcpu->regs.gpr[VCPU_RCX];
	u64 value = (u32)vcpu->regs.gpr[VCPU_RAX] |
		    ((u64)(u32)vcpu->regs.gpr[VCPU_RDX] << 32);

	switch (msr) {
	case MSR_EFER:
		/* Long mode and SYSCALL are not offered (see cpuid.c). */
		if (value & ~(u64)EFER_NX)
			return inject_gp(vcpu);
		vcpu->efer = value;
		break;
	case MSR_IA32_CR_PAT:
		if (!valid_pat(value))
			return inject_gp(vcpu);
		vcpu->pat = value;
		break;
	case MSR_IA32_SYSENTER_CS:
		vcpu->sysenter_cs = (u32)value;
		vcpu->dirty |= VCPU_DIRTY_SYSENTER;
		break;
	case MSR_IA32_SYSENTER_ESP:
		vcpu->sysenter_esp = (u32)value;
		vcpu->dirty |= VCPU_DIRTY_SYSENTER;
		break;
	case MSR_IA32_SYSENTER_EIP:
		vcpu->sysenter_eip = (u32)value;
		vcpu->dirty |= VCPU_DIRTY_SYSENTER;
		break;
	default:
		shadowvmm_stat_add(&vcpu->vm->stats,
				   SHADOWVMM_STAT_MSR_UNHANDLED, 1);
		return inject_gp(vcpu);
	}
	return skip_instruction(vcpu, exit);
}

static u32 handle_hlt(struct shadowvmm_vcpu *vcpu,
		      const struct shadowvmm_exit *exit)
{
	/* No device raises interrupts yet: a halted guest never wakes. */
	skip_instruction(vcpu, exit);
	return stop(vcpu, exit, SHADOWVMM_STOP_HALT);
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
	if (exit->reason & VMX_EXIT_REASONS_FAILED_VMENTRY)
		return stop(vcpu, exit, SHADOWVMM_STOP_ENTRY_FAILED);

	switch (exit->reason & 0xffff) {
	case EXIT_REASON_EXCEPTION_NMI:
		return handle_exception(vcpu, exit);
	case EXIT_REASON_EXTERNAL_INTERRUPT:
	case EXIT_REASON_PREEMPTION_TIMER:
		/*
		 * The host took any interrupt when vcpu.c enabled IRQs; the
		 * run loop decides whether the guest goes on.
		 */
		return CONTINUE;
	case EXIT_REASON_TRIPLE_FAULT:
		return stop(vcpu, exit, SHADOWVMM_STOP_TRIPLE_FAULT);
	case EXIT_REASON_CPUID:
		return handle_cpuid(vcpu, exit);
	case EXIT_REASON_HLT:
		return handle_hlt(vcpu, exit);
	case EXIT_REASON_INVD:
	case EXIT_REASON_INVLPG:
		/* Nothing of the guest's is cached while its paging is off. */
		return skip_instruction(vcpu, exit);
	case EXIT_REASON_RDPMC:
		/* CPUID offers no performance counters. */
		return inject_gp(vcpu);
	case EXIT_REASON_CR_ACCESS:
		return handle_cr_access(vcpu, exit);
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
		return inject_ud(vcpu);
	}
	return unhandled(vcpu, exit);
}

/**
 * shadowvmm_vcpu_reset_state() - the state multiboot hands a kernel
 * @vcpu: the vCPU
 * @entry: the image's entry point
 * @mbi: the guest physical address of the multiboot information
 */
void shadowvmm_vcpu_reset_state(struct shadowvmm_vcpu *vcpu, u32 entry,
				u32 mbi)
{
	memset(&vcpu->regs, 0, sizeof(vcpu->regs));
	vcpu->regs.gpr[VCPU_RAX] = 0x2badb002;
	vcpu->regs.gpr[VCPU_RBX] = mbi;
	vcpu->rip = entry;
	vcpu->rsp = 0;
	vcpu->rflags = X86_EFLAGS_FIXED;
	vcpu->cr0 = X86_CR0_PE | X86_CR0_ET;
	vcpu->cr2 = 0;
	vcpu->cr3 = 0;
	vcpu->cr4 = 0;
	vcpu->efer = 0;
	vcpu->pat = PAT_POWER_ON;
	vcpu->sysenter_cs = 0;
	vcpu->sysenter_esp = 0;
	vcpu->sysenter_eip = 0;
	vcpu->hw_cr0 = shadowvmm_hw_cr0(vcpu);
	vcpu->hw_cr4 = shadowvmm_hw_cr4(vcpu);
	vcpu->event = (struct shadowvmm_event){};
	vcpu->stop = (struct shadowvmm_stop){};
	vcpu->dirty = 0;
}
