// SPDX-License-Identifier: GPL-2.0
/*
 * What vmx.c provides in the real module: the fitted VMX configuration.
 * The values are those of a typical Intel CPU without unrestricted guest.
 */
#include <asm/processor-flags.h>
#include "vcpu.h"
#include "vmx.h"

struct shadowvmm_vmx_caps shadowvmm_vmx = {
	.cr0_fixed0 = X86_CR0_PE | X86_CR0_NE | X86_CR0_PG,
	.cr0_fixed1 = 0xffffffff,
	.cr4_fixed0 = X86_CR4_VMXE,
	.cr4_fixed1 = 0x3767ff,
};

/* Flat segments, as every guest in these tests runs with. */
u64 shadowvmm_vcpu_seg_base(struct shadowvmm_vcpu *vcpu,
			    enum shadowvmm_seg seg)
{
	return 0;
}
