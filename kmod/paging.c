// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's control registers and EFER: what a write to them means for
 * the guest's paging, and the values the hardware runs the guest with
 * instead. The hardware always pages (VMX without unrestricted guest
 * requires it) through the shadow MMU's tables: PAE format unless the
 * guest is in long mode, CR0.WP always set so that write protection of
 * guest page tables holds in supervisor mode too.
 */
#include <linux/kernel.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include "cpuid.h"
#include "gmem.h"
#include "paging.h"
#include "vm_types.h"
#include "vmx.h"

/* CR0 bits that reach the hardware CR0 the guest runs with. */
#define HW_CR0_GUEST_BITS	(X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | \
				 X86_CR0_AM)
/* CR0 bits that exist; a write to the others in CR0[31:0] is ignored. */
#define CR0_DEFINED		(X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | \
				 X86_CR0_TS | X86_CR0_ET | X86_CR0_NE | \
				 X86_CR0_WP | X86_CR0_AM | X86_CR0_NW | \
				 X86_CR0_CD | X86_CR0_PG)
/*
 * CR4 bits whose meaning the VMM knows, and those the hardware sees.
 * FSGSBASE lets RDFSBASE and friends reach FS and GS bases, which are
 * the guest's own while it runs: a context switch then costs no exit.
 */
#define HW_CR4_GUEST_BITS	(X86_CR4_DE | X86_CR4_TSD | X86_CR4_PCE | \
				 X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | \
				 X86_CR4_FSGSBASE)
/* Enforced by the hardware on our tables, whose U bits are the guest's. */
#define HW_CR4_PAGING_BITS	(X86_CR4_SMEP | X86_CR4_SMAP)
/* A MOV to CR4 changing these reloads the PAE PDPTEs. */
#define CR4_PDPTE_BITS		(X86_CR4_PAE | X86_CR4_PSE | X86_CR4_PGE | \
				 X86_CR4_SMEP)

/* PAE paging: CR3 holds the 32-byte-aligned address of the four PDPTEs. */
#define PAE_CR3_PDPT_MASK	GENMASK(31, 5)

/* Feature bits in the guest's CPUID that make a CR4 or EFER bit exist. */
#define LEAF1_EDX_DE		BIT(2)
#define LEAF1_EDX_PSE		BIT(3)
#define LEAF1_EDX_PAE		BIT(6)
#define LEAF1_EDX_PGE		BIT(13)
#define LEAF1_EDX_FXSR		BIT(24)
#define LEAF1_EDX_SSE		BIT(25)
#define LEAF7_EBX_FSGSBASE	BIT(0)
#define LEAF7_EBX_SMEP		BIT(7)
#define LEAF7_EBX_SMAP		BIT(20)
#define EXT1_EDX_SYSCALL	BIT(11)
#define EXT1_EDX_NX		BIT(20)
#define EXT1_EDX_LM		BIT(29)

/*
 * A CR4 bit is reserved, and setting it #GP, unless the CPU the guest's
 * CPUID describes has the feature and this VMM implements it: CPUID hides
 * VME, MCE, UMIP, PCID, XSAVE, PKE, LA57 and VMX, and so do we.
 */
static unsigned long guest_cr4_allowed(void)
{
	unsigned long allowed = X86_CR4_TSD | X86_CR4_PCE;
	struct shadowvmm_cpuid r;

	shadowvmm_cpuid_guest(1, 0, &r);
	if (r.edx & LEAF1_EDX_DE)
		allowed |= X86_CR4_DE;
	if (r.edx & LEAF1_EDX_PSE)
		allowed |= X86_CR4_PSE;
	if (r.edx & LEAF1_EDX_PAE)
		allowed |= X86_CR4_PAE;
	if (r.edx & LEAF1_EDX_PGE)
		allowed |= X86_CR4_PGE;
	if (r.edx & LEAF1_EDX_FXSR)
		allowed |= X86_CR4_OSFXSR;
	if (r.edx & LEAF1_EDX_SSE)
		allowed |= X86_CR4_OSXMMEXCPT;
	if (cpuid_eax(0) >= 7) {
		shadowvmm_cpuid_guest(7, 0, &r);
		if (r.ebx & LEAF7_EBX_FSGSBASE)
			allowed |= X86_CR4_FSGSBASE;
		if (r.ebx & LEAF7_EBX_SMEP)
			allowed |= X86_CR4_SMEP;
		if (r.ebx & LEAF7_EBX_SMAP)
			allowed |= X86_CR4_SMAP;
	}
	return allowed;
}

/* EFER bits the guest's CPUID offers. */
static u64 guest_efer_allowed(void)
{
	struct shadowvmm_cpuid r;
	u64 allowed = 0;

	if (cpuid_eax(0x80000000) < 0x80000001)
		return 0;
	shadowvmm_cpuid_guest(0x80000001, 0, &r);
	if (r.edx & EXT1_EDX_SYSCALL)
		allowed |= EFER_SCE;
	if (r.edx & EXT1_EDX_NX)
		allowed |= EFER_NX;
	if (r.edx & EXT1_EDX_LM)
		allowed |= EFER_LME | EFER_LMA;
	return allowed;
}

static bool paging(const struct shadowvmm_vcpu *vcpu)
{
	return vcpu->cr0 & X86_CR0_PG;
}

/**
 * shadowvmm_hw_cr0() - the CR0 the hardware runs the guest with
 * @vcpu: the vCPU, whose guest-visible CR0 decides the FPU and alignment
 *	  bits
 *
 * Return: a CR0 value that satisfies the CPU's VMX fixed bits.
 */
unsigned long shadowvmm_hw_cr0(const struct shadowvmm_vcpu *vcpu)
{
	unsigned long cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_NE |
			    X86_CR0_ET | X86_CR0_WP |
			    (vcpu->cr0 & HW_CR0_GUEST_BITS);

	return (cr0 | shadowvmm_vmx.cr0_fixed0) & shadowvmm_vmx.cr0_fixed1;
}

/**
 * shadowvmm_hw_cr4() - the CR4 the hardware runs the guest with
 * @vcpu: the vCPU
 *
 * PAE for our tables, MCE so a machine check reaches the host, VMXE
 * because VMX requires it; the guest's own bits where they mean the same,
 * and SMEP/SMAP only while the guest pages (with paging off they mean
 * nothing to it, but would to the hardware).
 *
 * Return: a CR4 value that satisfies the CPU's VMX fixed bits.
 */
unsigned long shadowvmm_hw_cr4(const struct shadowvmm_vcpu *vcpu)
{
	unsigned long cr4 = X86_CR4_VMXE | X86_CR4_PAE | X86_CR4_MCE |
			    (vcpu->cr4 & HW_CR4_GUEST_BITS);

	if (paging(vcpu))
		cr4 |= vcpu->cr4 & HW_CR4_PAGING_BITS;
	return (cr4 | shadowvmm_vmx.cr4_fixed0) & shadowvmm_vmx.cr4_fixed1;
}

static enum shadowvmm_paging_mode paging_mode(const struct shadowvmm_vcpu *vcpu)
{
	if (!paging(vcpu))
		return SHADOWVMM_PAGING_OFF;
	if (vcpu->efer & EFER_LMA)
		return SHADOWVMM_PAGING_4LEVEL;
	return vcpu->cr4 & X86_CR4_PAE ? SHADOWVMM_PAGING_PAE :
					 SHADOWVMM_PAGING_32;
}

/*
 * PAE paging reads the four PDPTEs at CR3 when CR3, CR0 or CR4 load; a
 * reserved bit in one makes the load #GP and leaves the old ones.
 */
static int load_pdptes(struct shadowvmm_vcpu *vcpu, unsigned long cr3)
{
	struct shadowvmm_paging *pg = &vcpu->mmu.pg;
	u64 gpa = cr3 & PAE_CR3_PDPT_MASK;
	u64 pdpte[4];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		pdpte[i] = vcpu->mmu.walk_mem.read(vcpu->mmu.walk_mem.ctx,
						   gpa + i * 8, 8);
		if (!shadowvmm_walk_pdpte_valid(pg, pdpte[i]))
			return -EINVAL;
	}
	memcpy(vcpu->pdpte, pdpte, sizeof(pdpte));
	return 0;
}

/*
 * Which #PFs exit. An empty shadow entry that is 0 is one the guest's own
 * tables explain (kmod/mmu/shadow.c): its not-present fault is the
 * guest's, and the CPU may deliver it as it stands. Every other fault
 * the VMM must see is on a present or trap entry, with P set in its
 * error code. The error code is the guest's too, but for one bit: our
 * tables always run with NX on, so a fetch shows I/D where the guest's
 * CPU (no NX in its paging mode, no SMEP) would not; such a fetch exits,
 * and the walker's error code is injected.
 */
static u32 pf_exit_bits(const struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_paging *pg)
{
	bool reports_fetch = pg->smep ||
			     (pg->nxe && pg->mode != SHADOWVMM_PAGING_32);

	if (pg->mode == SHADOWVMM_PAGING_OFF ||
	    !shadowvmm_mmu_bypasses_faults(&vcpu->mmu))
		return 0;
	return SHADOWVMM_PF_PRESENT | (reports_fetch ? 0 : SHADOWVMM_PF_FETCH);
}

/*
 * The guest's registers changed: point the MMU at the matching root and
 * recompute what the hardware runs with.
 */
static void paging_changed(struct shadowvmm_vcpu *vcpu)
{
	struct shadowvmm_paging pg = {
		.mode = paging_mode(vcpu),
		.cr3 = vcpu->cr3,
		.wp = vcpu->cr0 & X86_CR0_WP,
		.pse = vcpu->cr4 & X86_CR4_PSE,
		.smep = vcpu->cr4 & X86_CR4_SMEP,
		.smap = vcpu->cr4 & X86_CR4_SMAP,
		.nxe = vcpu->efer & EFER_NX,
		.gbpages = boot_cpu_has(X86_FEATURE_GBPAGES),
		.maxphyaddr = vcpu->maxphyaddr,
	};

	unsigned long hw_cr0 = shadowvmm_hw_cr0(vcpu);
	unsigned long hw_cr4 = shadowvmm_hw_cr4(vcpu);
	u32 pf_bits = pf_exit_bits(vcpu, &pg);
	/* SYSCALL runs natively, with the STAR/LSTAR/SFMASK the burst lent. */
	u64 hw_efer = EFER_NX | (vcpu->efer & EFER_SCE);

	if (vcpu->efer & EFER_LMA)
		hw_efer |= EFER_LME | EFER_LMA;
	memcpy(pg.pdpte, vcpu->pdpte, sizeof(pg.pdpte));
	/* Out of stock after all: the MMU asks for a reload before entry. */
	shadowvmm_mmu_load(&vcpu->mmu, &pg);
	/* A CR3 load, the common case, rewrites GUEST_CR3 alone. */
	vcpu->dirty |= VCPU_DIRTY_ROOT;
	if (hw_cr0 != vcpu->hw_cr0 || hw_cr4 != vcpu->hw_cr4)
		vcpu->dirty |= VCPU_DIRTY_CR;
	if (hw_efer != vcpu->hw_efer || pf_bits != vcpu->hw_pf_exit_bits)
		vcpu->dirty |= VCPU_DIRTY_PAGING;
	vcpu->hw_cr0 = hw_cr0;
	vcpu->hw_cr4 = hw_cr4;
	vcpu->hw_efer = hw_efer;
	vcpu->hw_pf_exit_bits = pf_bits;
}

/**
 * shadowvmm_paging_reload() - load a root again after the MMU zapped it
 * @vcpu: the vCPU
 *
 * Return: 0, or -EAGAIN when the MMU's stock must be topped up first.
 */
int shadowvmm_paging_reload(struct shadowvmm_vcpu *vcpu)
{
	if (shadowvmm_mmu_needs_topup(&vcpu->mmu))
		return -EAGAIN;
	paging_changed(vcpu);
	return 0;
}

/**
 * shadowvmm_set_cr0() - the guest writes CR0
 * @vcpu: the vCPU
 * @value: the value written
 *
 * Return: 0; -EINVAL for a write hardware refuses with #GP; -EOPNOTSUPP
 * for real mode, which shadow paging without unrestricted guest cannot
 * run; -EAGAIN when the MMU's stock must be topped up first.
 */
int shadowvmm_set_cr0(struct shadowvmm_vcpu *vcpu, unsigned long value)
{
	bool pg_on = value & X86_CR0_PG, was_on = paging(vcpu);
	u64 efer = vcpu->efer;

	if (value >> 32)
		return -EINVAL;
	value = (value & CR0_DEFINED) | X86_CR0_ET;
	if ((pg_on && !(value & X86_CR0_PE)) ||
	    ((value & X86_CR0_NW) && !(value & X86_CR0_CD)))
		return -EINVAL;
	if (!(value & X86_CR0_PE))
		return -EOPNOTSUPP;
	if (shadowvmm_mmu_needs_topup(&vcpu->mmu))
		return -EAGAIN;

	if (pg_on && !was_on && (efer & EFER_LME)) {
		/* Entering long mode needs PAE, from 32-bit code. */
		if (!(vcpu->cr4 & X86_CR4_PAE) || (vcpu->cs_ar & VMX_AR_L_MASK))
			return -EINVAL;
		efer |= EFER_LMA;
	} else if (!pg_on && was_on && (efer & EFER_LMA)) {
		/* Leaving it is allowed only from compatibility mode. */
		if (vcpu->cs_ar & VMX_AR_L_MASK)
			return -EINVAL;
		efer &= ~EFER_LMA;
	} else if (pg_on && !(efer & EFER_LMA) && (vcpu->cr4 & X86_CR4_PAE) &&
		   (!was_on || ((value ^ vcpu->cr0) &
				(X86_CR0_CD | X86_CR0_NW)))) {
		if (load_pdptes(vcpu, vcpu->cr3))
			return -EINVAL;
	}
	vcpu->cr0 = value;
	vcpu->dirty |= VCPU_DIRTY_CR;	/* the read shadow */
	vcpu->efer = efer;
	paging_changed(vcpu);
	return 0;
}

/**
 * shadowvmm_set_cr3() - the guest writes CR3
 * @vcpu: the vCPU
 * @value: the value written
 *
 * Return: 0, -EINVAL (#GP) or -EAGAIN, as for shadowvmm_set_cr0().
 */
int shadowvmm_set_cr3(struct shadowvmm_vcpu *vcpu, unsigned long value)
{
	if (shadowvmm_mmu_needs_topup(&vcpu->mmu))
		return -EAGAIN;
	if (vcpu->efer & EFER_LMA) {
		if (value & GENMASK_ULL(63, vcpu->maxphyaddr))
			return -EINVAL;
	} else {
		value = (u32)value;
	}
	if (paging_mode(vcpu) == SHADOWVMM_PAGING_PAE) {
		if (load_pdptes(vcpu, value))
			return -EINVAL;
	}
	vcpu->cr3 = value;
	if (paging(vcpu)) {
		shadowvmm_stat_add(&vcpu->vm->stats, SHADOWVMM_STAT_CR3_SWITCH, 1);
		shadowvmm_stat_add(&vcpu->vm->stats, SHADOWVMM_STAT_TLB_FLUSH, 1);
	}
	paging_changed(vcpu);
	return 0;
}

/**
 * shadowvmm_set_cr4() - the guest writes CR4
 * @vcpu: the vCPU
 * @value: the value written
 *
 * Return: 0, -EINVAL (#GP) or -EAGAIN, as for shadowvmm_set_cr0().
 */
int shadowvmm_set_cr4(struct shadowvmm_vcpu *vcpu, unsigned long value)
{
	unsigned long changed = value ^ vcpu->cr4;

	if (value & ~guest_cr4_allowed())
		return -EINVAL;
	if ((vcpu->efer & EFER_LMA) && !(value & X86_CR4_PAE))
		return -EINVAL;
	if (shadowvmm_mmu_needs_topup(&vcpu->mmu))
		return -EAGAIN;
	if (paging(vcpu) && !(vcpu->efer & EFER_LMA) &&
	    (value & X86_CR4_PAE) && (changed & CR4_PDPTE_BITS)) {
		if (load_pdptes(vcpu, vcpu->cr3))
			return -EINVAL;
	}
	vcpu->cr4 = value;
	vcpu->dirty |= VCPU_DIRTY_CR;	/* the read shadow */
	/* Toggling PGE flushes global translations too. */
	if (changed & (X86_CR4_PGE | X86_CR4_PAE | X86_CR4_PSE))
		shadowvmm_stat_add(&vcpu->vm->stats, SHADOWVMM_STAT_TLB_FLUSH, 1);
	paging_changed(vcpu);
	return 0;
}

/**
 * shadowvmm_set_efer() - the guest writes IA32_EFER
 * @vcpu: the vCPU
 * @value: the value written
 *
 * SCE, NXE and LME, as CPUID offers them; LMA follows CR0.PG, whatever
 * the guest writes there.
 *
 * Return: 0, -EINVAL (#GP) or -EAGAIN, as for shadowvmm_set_cr0().
 */
int shadowvmm_set_efer(struct shadowvmm_vcpu *vcpu, u64 value)
{
	value = (value & ~(u64)EFER_LMA) | (vcpu->efer & EFER_LMA);
	if (value & ~guest_efer_allowed())
		return -EINVAL;
	if (paging(vcpu) && ((value ^ vcpu->efer) & EFER_LME))
		return -EINVAL;
	if (shadowvmm_mmu_needs_topup(&vcpu->mmu))
		return -EAGAIN;
	vcpu->efer = value;
	paging_changed(vcpu);
	return 0;
}

/* Multiboot's state: protected mode, paging off. */
void shadowvmm_paging_reset(struct shadowvmm_vcpu *vcpu)
{
	vcpu->cr0 = X86_CR0_PE | X86_CR0_ET;
	vcpu->cr3 = 0;
	vcpu->cr4 = 0;
	vcpu->efer = 0;
	memset(vcpu->pdpte, 0, sizeof(vcpu->pdpte));
	paging_changed(vcpu);
}
