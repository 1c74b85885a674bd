// SPDX-License-Identifier: GPL-2.0
/*
 * RDMSR and WRMSR: the MSRs of the CPU CPUID describes (cpuid.c), each
 * value checked as that CPU checks it before it can reach a VMCS field
 * or a host register. An MSR it lacks raises #GP, as on hardware, and is
 * counted (msr_unhandled): MCA, the speculation controls, the platform
 * and power MSRs are hidden by CPUID and absent here. What firmware
 * would have set up, the MTRRs, starts as SeaBIOS leaves it: enabled,
 * write-back everywhere. Their values are only kept: shadow paging maps
 * guest RAM write-back whatever the guest asks for.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/mtrr.h>
#include <asm/tsc.h>
#include "cpuid.h"
#include "msr.h"
#include "paging.h"
#include "vm_types.h"

#define PAT_POWER_ON		0x0007040600070406ULL
#define PAT_UC_MINUS		7
/* Variable ranges, fixed ranges and write-combining; eight variable ones. */
#define MTRR_CAP		(BIT(10) | BIT(8) | SHADOWVMM_MTRR_VAR)
#define MTRR_DEF_TYPE_E		BIT(11)
#define MTRR_DEF_TYPE_FE	BIT(10)
#define MTRR_DEF_TYPE_RESET	(MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | \
				 MTRR_TYPE_WRBACK)
#define MTRR_FIXED_RESET	0x0606060606060606ULL
#define MTRR_PHYSMASK_V		BIT(11)
#define MTRR_CAP_MSR		0xfe
#define MTRR_DEF_TYPE_MSR	0x2ff
#define MTRR_VAR_BASE		0x200	/* PHYSBASE0, PHYSMASK0, PHYSBASE1... */
#define MTRR_VAR_END		(MTRR_VAR_BASE + 2 * SHADOWVMM_MTRR_VAR)
/* Fast strings; no branch trace store, no PEBS (no PMU in CPUID). */
#define MISC_ENABLE_RESET	(MSR_IA32_MISC_ENABLE_FAST_STRING | \
				 MSR_IA32_MISC_ENABLE_BTS_UNAVAIL | \
				 MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL)
/* Fast strings, automatic thermal control, xTPR messages. */
#define MISC_ENABLE_WRITABLE	(MSR_IA32_MISC_ENABLE_FAST_STRING | \
				 MSR_IA32_MISC_ENABLE_TM1 | \
				 MSR_IA32_MISC_ENABLE_XTPR_DISABLE)
/* Microcode revision 1, in the high half as the CPU reports it. */
#define BIOS_SIGN_ID		BIT_ULL(32)

/* PAT entries may be UC-, which MTRRs may not. */
static bool valid_type(u8 type, bool pat)
{
	return type == MTRR_TYPE_UNCACHABLE || type == MTRR_TYPE_WRCOMB ||
	       (type >= MTRR_TYPE_WRTHROUGH && type <= MTRR_TYPE_WRBACK) ||
	       (pat && type == PAT_UC_MINUS);
}

/* Eight memory types, one a byte: PAT and the fixed-range MTRRs. */
static bool valid_types(u64 value, bool pat)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (!valid_type(value >> (i * 8), pat))
			return false;
	return true;
}

/*
 * Addresses a guest writes to these MSRs reach host registers
 * (KERNEL_GS_BASE and SYSCALL's, live during a burst) or VMCS fields that
 * VM entry checks (the FS, GS and SYSENTER ones). The CPU we describe
 * refuses a non-canonical one with #GP, and so must we: the host's WRMSR
 * would fault, or the next VM entry fail.
 */
static bool canonical(u64 addr)
{
	return __is_canonical_address(addr, SHADOWVMM_GUEST_VADDR_BITS);
}

/* VMX does not switch SYSCALL's MSRs: they are live only when loaded. */
static void set_syscall_msr(struct shadowvmm_vcpu *vcpu, u64 *field,
			    u32 msr, u64 value)
{
	*field = value;
	if (vcpu->syscall_msrs_loaded)
		wrmsrl(msr, value);
}

/**
 * shadowvmm_syscall_msrs_load() - give the CPU the guest's SYSCALL MSRs
 * @vcpu: the vCPU about to enter the guest
 * @host: keeps the host's values for shadowvmm_syscall_msrs_put()
 *
 * VM entry and exit leave STAR, LSTAR, CSTAR and SFMASK alone, so the
 * guest's SYSCALL uses what the CPU holds. From here to the matching put,
 * WRMSR to them writes the CPU too. The values were checked on WRMSR, so
 * loading them cannot fault.
 *
 * Context: preemption off for the whole burst, up to the put: no host
 * SYSCALL can run on this CPU in between.
 */
void shadowvmm_syscall_msrs_load(struct shadowvmm_vcpu *vcpu,
				 struct shadowvmm_host_syscall_msrs *host)
{
	rdmsrl(MSR_STAR, host->star);
	rdmsrl(MSR_LSTAR, host->lstar);
	rdmsrl(MSR_CSTAR, host->cstar);
	rdmsrl(MSR_SYSCALL_MASK, host->sfmask);
	wrmsrl(MSR_STAR, vcpu->star);
	wrmsrl(MSR_LSTAR, vcpu->lstar);
	wrmsrl(MSR_CSTAR, vcpu->cstar);
	wrmsrl(MSR_SYSCALL_MASK, vcpu->sfmask);
	vcpu->syscall_msrs_loaded = true;
}

/**
 * shadowvmm_syscall_msrs_put() - give the host its SYSCALL MSRs back
 * @vcpu: the vCPU, after its last exit of the burst
 * @host: what shadowvmm_syscall_msrs_load() saved
 *
 * The guest's values need no reading back: only WRMSR, which exits,
 * changes them, and it kept the fields up to date.
 *
 * Context: preemption off, as for shadowvmm_syscall_msrs_load().
 */
void shadowvmm_syscall_msrs_put(struct shadowvmm_vcpu *vcpu,
				const struct shadowvmm_host_syscall_msrs *host)
{
	vcpu->syscall_msrs_loaded = false;
	wrmsrl(MSR_STAR, host->star);
	wrmsrl(MSR_LSTAR, host->lstar);
	wrmsrl(MSR_CSTAR, host->cstar);
	wrmsrl(MSR_SYSCALL_MASK, host->sfmask);
}

/*
 * The fixed-range MTRRs, in the order of vcpu->mtrr.fixed: FIX64K_00000,
 * FIX16K_80000 and _A0000, FIX4K_C0000 to _F8000 (msr-index.h spells them
 * in CamelCase).
 */
static const u32 mtrr_fixed_msrs[SHADOWVMM_MTRR_FIXED] = {
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e,
	0x26f,
};

/* Where an MTRR's value lives in the vCPU, or NULL if it is not one. */
static u64 *mtrr_field(struct shadowvmm_vcpu *vcpu, u32 msr)
{
	unsigned int i;

	if (msr == MTRR_DEF_TYPE_MSR)
		return &vcpu->mtrr.def_type;
	if (msr >= MTRR_VAR_BASE &&
	    msr < MTRR_VAR_END)
		return &vcpu->mtrr.var[msr - MTRR_VAR_BASE];
	for (i = 0; i < SHADOWVMM_MTRR_FIXED; i++)
		if (msr == mtrr_fixed_msrs[i])
			return &vcpu->mtrr.fixed[i];
	return NULL;
}

/* As the CPU checks them: valid types, no reserved bit, none too high. */
static bool valid_mtrr(const struct shadowvmm_vcpu *vcpu, u32 msr, u64 value)
{
	u64 above = ~0ULL << vcpu->maxphyaddr;

	if (msr == MTRR_DEF_TYPE_MSR)
		return !(value & ~(MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | 0xff)) &&
		       valid_type(value, false);
	if (msr < MTRR_VAR_BASE ||
	    msr >= MTRR_VAR_END)
		return valid_types(value, false);
	if (msr & 1)		/* PHYSMASK */
		return !(value & (above | (MTRR_PHYSMASK_V - 1)));
	return !(value & (above | 0xf00)) && valid_type(value, false);
}

static int read_platform(struct shadowvmm_vcpu *vcpu, u32 msr, u64 *value)
{
	u64 *mtrr = mtrr_field(vcpu, msr);

	if (mtrr) {
		*value = *mtrr;
		return 0;
	}
	switch (msr) {
	case MTRR_CAP_MSR:
		*value = MTRR_CAP;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		*value = vcpu->misc_enable;
		return 0;
	case MSR_IA32_UCODE_REV:
		*value = BIOS_SIGN_ID;
		return 0;
	case MSR_IA32_FEAT_CTL:
		/* Locked by firmware, VMX not enabled: CPUID has none. */
		*value = FEAT_CTL_LOCKED;
		return 0;
	}
	return -ENOENT;
}

static int write_platform(struct shadowvmm_vcpu *vcpu, u32 msr, u64 value)
{
	u64 *mtrr = mtrr_field(vcpu, msr);

	if (mtrr) {
		if (!valid_mtrr(vcpu, msr, value))
			return -EINVAL;
		*mtrr = value;
		return 0;
	}
	switch (msr) {
	case MSR_IA32_MISC_ENABLE:
		if ((value ^ vcpu->misc_enable) & ~MISC_ENABLE_WRITABLE)
			return -EINVAL;
		vcpu->misc_enable = value;
		return 0;
	case MSR_IA32_UCODE_REV:
		return 0;	/* a write asks the CPU to update the signature */
	case MTRR_CAP_MSR:
	case MSR_IA32_FEAT_CTL:
		return -EINVAL;	/* read-only, locked */
	}
	return -ENOENT;
}

/**
 * shadowvmm_msr_read() - RDMSR
 * @vcpu: the vCPU, inside a burst (its KERNEL_GS_BASE is live)
 * @msr: ECX
 * @value: what EDX:EAX receive
 *
 * Return: 0, or -ENOENT for an MSR the CPU lacks (#GP).
 */
int shadowvmm_msr_read(struct shadowvmm_vcpu *vcpu, u32 msr, u64 *value)
{
	switch (msr) {
	case MSR_EFER:
		*value = vcpu->efer;
		break;
	case MSR_IA32_CR_PAT:
		*value = vcpu->pat;
		break;
	case MSR_IA32_TSC:
		/* No TSC offsetting: the guest reads the host's TSC. */
		*value = rdtsc();
		break;
	case MSR_FS_BASE:
		*value = shadowvmm_vmcs_seg_base(SHADOWVMM_SEG_FS);
		break;
	case MSR_GS_BASE:
		*value = shadowvmm_vmcs_seg_base(SHADOWVMM_SEG_GS);
		break;
	case MSR_KERNEL_GS_BASE:
		/*
		 * Handlers run inside the burst, which holds the guest's
		 * value in the CPU, where SWAPGS changes it without an exit.
		 */
		rdmsrl(MSR_KERNEL_GS_BASE, *value);
		break;
	case MSR_STAR:
		*value = vcpu->star;
		break;
	case MSR_LSTAR:
		*value = vcpu->lstar;
		break;
	case MSR_CSTAR:
		*value = vcpu->cstar;
		break;
	case MSR_SYSCALL_MASK:
		*value = vcpu->sfmask;
		break;
	case MSR_IA32_SYSENTER_CS:
		*value = vcpu->sysenter_cs;
		break;
	case MSR_IA32_SYSENTER_ESP:
		*value = vcpu->sysenter_esp;
		break;
	case MSR_IA32_SYSENTER_EIP:
		*value = vcpu->sysenter_eip;
		break;
	case MSR_IA32_APICBASE:
		*value = SHADOWVMM_LAPIC_BASE_MSR;
		break;
	case MSR_IA32_TSC_DEADLINE:
		*value = shadowvmm_lapic_tsc_deadline(&vcpu->apic);
		break;
	default:
		return read_platform(vcpu, msr, value);
	}
	return 0;
}

/**
 * shadowvmm_msr_write() - WRMSR
 * @vcpu: the vCPU, inside a burst (its KERNEL_GS_BASE and SYSCALL MSRs
 *	  are live)
 * @msr: ECX
 * @value: EDX:EAX
 *
 * Return: 0, -EINVAL for a value the CPU refuses (#GP), -ENOENT for an
 * MSR it lacks (#GP), or -EAGAIN from an EFER write that needs the
 * MMU's stock topped up first.
 */
int shadowvmm_msr_write(struct shadowvmm_vcpu *vcpu, u32 msr, u64 value)
{
	switch (msr) {
	case MSR_EFER:
		return shadowvmm_set_efer(vcpu, value);
	case MSR_FS_BASE:
	case MSR_GS_BASE:
		if (!canonical(value))
			return -EINVAL;
		shadowvmm_vmcs_set_seg_base(msr == MSR_FS_BASE ?
					    SHADOWVMM_SEG_FS : SHADOWVMM_SEG_GS, value);
		break;
	case MSR_KERNEL_GS_BASE:
		if (!canonical(value))
			return -EINVAL;
		/*
		 * The burst holds the guest's value in the CPU and reads it
		 * back at its end: a write to the field alone would be lost.
		 */
		vcpu->kernel_gs_base = value;
		wrmsrl(MSR_KERNEL_GS_BASE, value);
		break;
	case MSR_STAR:
		set_syscall_msr(vcpu, &vcpu->star, msr, value);
		break;
	case MSR_LSTAR:
		if (!canonical(value))
			return -EINVAL;
		set_syscall_msr(vcpu, &vcpu->lstar, msr, value);
		break;
	case MSR_CSTAR:
		/* Intel never jumps there, but the host's CPU holds it. */
		if (!canonical(value))
			return -EINVAL;
		set_syscall_msr(vcpu, &vcpu->cstar, msr, value);
		break;
	case MSR_SYSCALL_MASK:
		/* Bits 63:32 are reserved. */
		if (value >> 32)
			return -EINVAL;
		set_syscall_msr(vcpu, &vcpu->sfmask, msr, value);
		break;
	case MSR_IA32_CR_PAT:
		if (!valid_types(value, true))
			return -EINVAL;
		vcpu->pat = value;
		break;
	case MSR_IA32_SYSENTER_CS:
		vcpu->sysenter_cs = (u32)value;
		vcpu->dirty |= VCPU_DIRTY_SYSENTER;
		break;
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		/* 64-bit SYSENTER uses all of them. */
		if (!canonical(value))
			return -EINVAL;
		if (msr == MSR_IA32_SYSENTER_ESP)
			vcpu->sysenter_esp = value;
		else
			vcpu->sysenter_eip = value;
		vcpu->dirty |= VCPU_DIRTY_SYSENTER;
		break;
	case MSR_IA32_APICBASE:
		/*
		 * Moving the APIC, disabling it or x2APIC mode (which CPUID
		 * does not offer) would need an APIC we do not have.
		 */
		if (value != SHADOWVMM_LAPIC_BASE_MSR)
			return -EINVAL;
		break;
	case MSR_IA32_TSC_DEADLINE:
		shadowvmm_lapic_set_tsc_deadline(&vcpu->apic, value, rdtsc(),
						 ktime_get_ns());
		break;
	default:
		return write_platform(vcpu, msr, value);
	}
	return 0;
}

/**
 * shadowvmm_msr_reset() - the MSRs as firmware hands the CPU to a kernel
 * @vcpu: the vCPU
 */
void shadowvmm_msr_reset(struct shadowvmm_vcpu *vcpu)
{
	unsigned int i;

	vcpu->pat = PAT_POWER_ON;
	vcpu->kernel_gs_base = 0;
	vcpu->sysenter_cs = 0;
	vcpu->sysenter_esp = 0;
	vcpu->sysenter_eip = 0;
	vcpu->star = 0;
	vcpu->lstar = 0;
	vcpu->cstar = 0;
	vcpu->sfmask = 0;
	vcpu->misc_enable = MISC_ENABLE_RESET;
	vcpu->mtrr.def_type = MTRR_DEF_TYPE_RESET;
	for (i = 0; i < SHADOWVMM_MTRR_FIXED; i++)
		vcpu->mtrr.fixed[i] = MTRR_FIXED_RESET;
	memset(vcpu->mtrr.var, 0, sizeof(vcpu->mtrr.var));
}
