// SPDX-License-Identifier: GPL-2.0
/*
 * The one VMCS guest field exit handlers write directly: a segment base,
 * for WRMSR to FS_BASE and GS_BASE. It mirrors shadowvmm_vcpu_seg_base()
 * in vcpu.c and belongs beside it; it lives here while the run loop there
 * is being rewritten. The KUnit module has a fake of both.
 */
#include "vcpu.h"
#include "vmx.h"

/**
 * shadowvmm_vcpu_set_seg_base() - load a guest segment's base
 * @vcpu: the vCPU; its VMCS is current on this CPU (handlers run so)
 * @seg: the segment
 * @base: the base, canonical: VM entry checks FS and GS bases
 */
void shadowvmm_vcpu_set_seg_base(struct shadowvmm_vcpu *vcpu,
				 enum shadowvmm_seg seg, u64 base)
{
	static const u32 field[] = {
		[SHADOWVMM_SEG_ES] = GUEST_ES_BASE,
		[SHADOWVMM_SEG_CS] = GUEST_CS_BASE,
		[SHADOWVMM_SEG_SS] = GUEST_SS_BASE,
		[SHADOWVMM_SEG_DS] = GUEST_DS_BASE,
		[SHADOWVMM_SEG_FS] = GUEST_FS_BASE,
		[SHADOWVMM_SEG_GS] = GUEST_GS_BASE,
	};

	vmcs_write(field[seg], base);
}
