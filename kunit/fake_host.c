// SPDX-License-Identifier: GPL-2.0
/*
 * What the VMX side provides in the real module: the fitted VMX
 * configuration (the values of a typical Intel CPU without unrestricted
 * guest), the guest state only a VMCS holds, and VMCS allocation.
 */
#include <asm/processor-flags.h>
#include "fake_host.h"
#include "vm_types.h"
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

u64 shadowvmm_vmcs_seg_base(enum shadowvmm_seg seg)
{
	return shadowvmm_fake_seg_base[seg];
}

void shadowvmm_vmcs_set_seg_base(enum shadowvmm_seg seg, u64 base)
{
	shadowvmm_fake_seg_base[seg] = base;
}

/* vcpu.c allocates a VMCS; nothing here ever loads one. */
int shadowvmm_loaded_vmcs_init(struct shadowvmm_loaded_vmcs *lv)
{
	lv->vmcs = NULL;
	lv->cpu = -1;
	return 0;
}

void shadowvmm_loaded_vmcs_free(struct shadowvmm_loaded_vmcs *lv)
{
}

/* main.c's module parameter, at its default. */
bool shadowvmm_mmu_unsync = true;
