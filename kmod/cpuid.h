/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CPUID_H
#define SHADOWVMM_CPUID_H

#include <linux/types.h>

/* CPUID.40000000H: "ShadowVMMShV" tells a guest who runs it. */
#define SHADOWVMM_CPUID_SIGNATURE	0x40000000

/*
 * The linear-address width CPUID.80000008H reports to guests. LA57 is
 * hidden, so it is 48 whatever the host has: the width WRMSR checks
 * addresses against, and one every host accepts as canonical too.
 */
#define SHADOWVMM_GUEST_VADDR_BITS	48

struct shadowvmm_cpuid {
	u32 eax, ebx, ecx, edx;
};

void shadowvmm_cpuid_filter(u32 leaf, u32 subleaf,
			    struct shadowvmm_cpuid *regs);
void shadowvmm_cpuid_guest(u32 leaf, u32 subleaf, struct shadowvmm_cpuid *regs);
u8 shadowvmm_cpuid_maxphyaddr(void);
void shadowvmm_cpuid_tsc_ratio(u32 tsc_khz, u32 *num, u32 *den);

#endif
