// SPDX-License-Identifier: GPL-2.0
/*
 * What CPUID tells a guest. The answer starts from the host CPU's and keeps
 * only what this VMM virtualizes, so a guest never finds a feature that
 * would reach host state or that we would have to emulate and don't:
 * VMX itself, XSAVE/AVX (XCR0 stays the host's), PCID/INVPCID, x2APIC,
 * MCA MSRs, PMU, and the
 * speculation-control MSRs. Allow-lists, so a newer CPU's new features stay
 * hidden until someone decides otherwise.
 */
#include <linux/bits.h>
#include <linux/gcd.h>
#include <linux/kernel.h>
#include <linux/math.h>
#include <linux/string.h>
#include <asm/cpufeatures.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include "cpuid.h"
#include "dev/lapic.h"

#define MAX_BASIC_LEAF		0x16	/* TSC and bus frequencies */
#define MAX_EXTENDED_LEAF	0x80000008

/* A feature's bit in its CPUID register, as KVM's F() has it. */
#define F(name)		BIT(X86_FEATURE_##name & 31)

#define LEAF1_ECX_KEEP	(F(XMM3) | F(PCLMULQDQ) | F(SSSE3) | F(CX16) | \
			 F(XMM4_1) | F(XMM4_2) | F(MOVBE) | F(POPCNT) | \
			 F(AES) | F(RDRAND))
#define LEAF1_EDX_KEEP	(F(FPU) | F(DE) | F(PSE) | F(TSC) | F(MSR) | \
			 F(PAE) | F(CX8) | F(SEP) | F(MTRR) | F(PGE) | \
			 F(CMOV) | F(PAT) | F(PSE36) | F(CLFLUSH) | F(MMX) | \
			 F(FXSR) | F(XMM) | F(XMM2))
#define LEAF7_EBX_KEEP	(F(FSGSBASE) | F(BMI1) | F(SMEP) | F(BMI2) | \
			 F(SMAP) | F(ERMS) | F(RDSEED) | F(ADX) | \
			 F(CLFLUSHOPT) | F(SHA_NI))
#define EXT1_ECX_KEEP	(F(LAHF_LM) | F(ABM) | F(3DNOWPREFETCH))
#define EXT1_EDX_KEEP	(F(SYSCALL) | F(NX) | F(GBPAGES) | F(LM))

/*
 * Linux 6.1 works leaf 0x15 out as crystal_khz * EBX / EAX in 32 bits,
 * crystal_khz here 10^6: EBX must stay at or below this, or a TSC above
 * 4.29 MHz reads as garbage.
 */
#define TSC_RATIO_NUM_MAX	(U32_MAX / (SHADOWVMM_LAPIC_BUS_HZ / 1000))

/**
 * shadowvmm_cpuid_tsc_ratio() - leaf 0x15's TSC/crystal ratio
 * @tsc_khz: the TSC's rate
 * @num: set to EBX, the numerator, at most TSC_RATIO_NUM_MAX
 * @den: set to EAX, the denominator, not 0
 *
 * The exact ratio @tsc_khz / 10^6 (the 1 GHz crystal in kHz) in lowest
 * terms when its numerator is small enough; otherwise the closest with a
 * numerator that is, off by less than one part in 4000.
 */
void shadowvmm_cpuid_tsc_ratio(u32 tsc_khz, u32 *num, u32 *den)
{
	u32 crystal_khz = SHADOWVMM_LAPIC_BUS_HZ / 1000;
	unsigned long g = gcd(tsc_khz ?: 1, crystal_khz);

	*num = (tsc_khz ?: 1) / g;
	*den = crystal_khz / g;
	if (*num <= TSC_RATIO_NUM_MAX)
		return;
	*den = max_t(u64, 1, (u64)TSC_RATIO_NUM_MAX * crystal_khz / tsc_khz);
	*num = DIV_ROUND_CLOSEST_ULL((u64)tsc_khz * *den, crystal_khz);
	if (*num > TSC_RATIO_NUM_MAX) {
		*den -= 1;
		*num = DIV_ROUND_CLOSEST_ULL((u64)tsc_khz * *den, crystal_khz);
	}
}

static void zero(struct shadowvmm_cpuid *regs)
{
	*regs = (struct shadowvmm_cpuid){};
}

/**
 * shadowvmm_cpuid_filter() - turn the host's CPUID answer into the guest's
 * @leaf: EAX the guest asked with
 * @subleaf: ECX the guest asked with
 * @regs: on entry the host CPU's answer for @leaf/@subleaf, on return the
 *	  guest's
 */
void shadowvmm_cpuid_filter(u32 leaf, u32 subleaf,
			    struct shadowvmm_cpuid *regs)
{
	switch (leaf) {
	case 0:
		/* Leaves 8 up to ours read zero or are made up here. */
		if (regs->eax >= 7)
			regs->eax = MAX_BASIC_LEAF;
		break;
	case 1:
		/* One vCPU, APIC ID 0, no hyper-threading. */
		regs->ebx = (regs->ebx & 0xffff) | BIT(16);
		/* Emulated whatever the host has: the APIC and its deadline. */
		regs->ecx = (regs->ecx & LEAF1_ECX_KEEP) | F(HYPERVISOR) |
			    F(TSC_DEADLINE_TIMER);
		regs->edx = (regs->edx & LEAF1_EDX_KEEP) | F(APIC);
		break;
	case 2:
		break;
	case 4:
		/* Cache descriptions stay; the core and sharing counts go. */
		regs->eax &= GENMASK(13, 0);
		break;
	case 7:
		if (subleaf == 0) {
			regs->eax = 0;
			regs->ebx &= LEAF7_EBX_KEEP;
			regs->ecx = 0;
			regs->edx = 0;
		} else {
			zero(regs);
		}
		break;
	case 6:
		zero(regs);
		regs->eax = F(ARAT);	/* the APIC timer runs in deep C-states */
		break;
	case 0x15:
		/*
		 * TSC = ECX * EBX / EAX Hz, with the APIC timer's 1 GHz as the
		 * crystal: Linux then knows both rates without calibrating
		 * against a PIT that is not there.
		 */
		shadowvmm_cpuid_tsc_ratio(tsc_khz, &regs->ebx, &regs->eax);
		regs->ecx = SHADOWVMM_LAPIC_BUS_HZ;
		regs->edx = 0;
		break;
	case 0x16:
		/* Base and maximum MHz, and the bus (reference) clock's. */
		regs->eax = tsc_khz / 1000;
		regs->ebx = tsc_khz / 1000;
		regs->ecx = SHADOWVMM_LAPIC_BUS_HZ / 1000000;
		regs->edx = 0;
		break;
	case SHADOWVMM_CPUID_SIGNATURE:
		regs->eax = SHADOWVMM_CPUID_SIGNATURE;
		memcpy(&regs->ebx, "Shad", 4);
		memcpy(&regs->ecx, "owVM", 4);
		memcpy(&regs->edx, "MShV", 4);
		break;
	case 0x80000000:
		regs->eax = min_t(u32, regs->eax, MAX_EXTENDED_LEAF);
		break;
	case 0x80000001:
		regs->eax = 0;
		regs->ebx = 0;
		regs->ecx &= EXT1_ECX_KEEP;
		regs->edx &= EXT1_EDX_KEEP;
		break;
	case 0x80000002 ... 0x80000004:	/* brand string */
	case 0x80000006:		/* L2 cache */
		break;
	case 0x80000008:
		/* Physical and linear address widths; no extra features. */
		regs->eax = (regs->eax & 0xff) |
			    min_t(u32, (regs->eax >> 8) & 0xff,
				  SHADOWVMM_GUEST_VADDR_BITS) << 8;
		regs->ebx = 0;
		regs->ecx = 0;
		regs->edx = 0;
		break;
	default:
		zero(regs);
		break;
	}
}

/**
 * shadowvmm_cpuid_guest() - what CPUID answers the guest
 * @leaf: EAX the guest asks with
 * @subleaf: ECX the guest asks with
 * @regs: the answer
 */
void shadowvmm_cpuid_guest(u32 leaf, u32 subleaf, struct shadowvmm_cpuid *regs)
{
	cpuid_count(leaf, subleaf, &regs->eax, &regs->ebx, &regs->ecx,
		    &regs->edx);
	shadowvmm_cpuid_filter(leaf, subleaf, regs);
}

/**
 * shadowvmm_cpuid_maxphyaddr() - the physical address width guests see
 *
 * The shadow MMU treats guest entry bits from here up as reserved, so it
 * must be the width CPUID leaf 0x80000008 reports to the guest.
 *
 * Return: the width in bits.
 */
u8 shadowvmm_cpuid_maxphyaddr(void)
{
	struct shadowvmm_cpuid r = {};

	if (cpuid_eax(0x80000000) < 0x80000008)
		return 36;
	shadowvmm_cpuid_guest(0x80000008, 0, &r);
	return r.eax & 0xff;
}
