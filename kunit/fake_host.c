// SPDX-License-Identifier: GPL-2.0
/*
 * What vmx.c provides in the real module: the fitted VMX configuration.
 * The values are those of a typical Intel CPU without unrestricted guest.
 */
#include <asm/processor-flags.h>
#include "fake_host.h"
#include "vcpu.h"
#include "vmx.h"

struct shadowvmm_vmx_caps shadowvmm_vmx = {
	.cr0_fixed0 = X86_CR0_PE | X86_CR0_NE | X86_CR0_PG,
	.cr0_fixed1 = 0xffffffff,
	.cr4_fixed0 = X86_CR4_VMXE,
	.cr4_fixed1 = 0x3767ff,
};

/*
 * The guest segment bases a VMCS would hold. All zero (flat segments, as
 * every guest in these tests runs with) unless a test writes them; a test
 * that does puts them back to zero when it ends.
 */
u64 shadowvmm_fake_seg_base[SHADOWVMM_SEG_GS + 1];

u64 shadowvmm_vcpu_seg_base(struct shadowvmm_vcpu *vcpu,
			    enum shadowvmm_seg seg)
{
	return shadowvmm_fake_seg_base[seg];
}

void shadowvmm_vcpu_set_seg_base(struct shadowvmm_vcpu *vcpu,
				 enum shadowvmm_seg seg, u64 base)
{
	shadowvmm_fake_seg_base[seg] = base;
}
