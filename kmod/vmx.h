/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX primitives: capability discovery, VMXON per CPU, VMCS lifetime and
 * field access. Everything here runs with preemption disabled on the CPU
 * whose VMX state it touches.
 */
#ifndef SHADOWVMM_VMX_H
#define SHADOWVMM_VMX_H

#include <linux/types.h>
#include <linux/bug.h>
#include <asm/vmx.h>

struct shadowvmm_vmcs {
	u32 revision_id;
	u32 abort;
	char data[];
};

/* The controls we run every guest with, already fitted to this CPU. */
struct shadowvmm_vmx_caps {
	u32 revision_id;
	u32 vmcs_size;
	u32 pin_based;
	u32 proc_based;
	u32 exit_ctls;
	u32 entry_ctls;
	u64 cr0_fixed0, cr0_fixed1;
	u64 cr4_fixed0, cr4_fixed1;
	bool has_ins_outs_info;
};

extern struct shadowvmm_vmx_caps shadowvmm_vmx;

int shadowvmm_vmx_probe(void);
int shadowvmm_vmx_enable_all(void);
void shadowvmm_vmx_disable_all(void);

struct shadowvmm_vmcs *shadowvmm_vmcs_alloc(void);
void shadowvmm_vmcs_free(struct shadowvmm_vmcs *vmcs);
int shadowvmm_vmcs_clear(struct shadowvmm_vmcs *vmcs);
int shadowvmm_vmcs_load(struct shadowvmm_vmcs *vmcs);

/*
 * VMREAD/VMWRITE only fail when no VMCS is current or the field does not
 * exist: both are bugs in this module, never guest-triggerable, so they
 * warn once instead of making every caller check.
 */
static __always_inline unsigned long vmcs_read(unsigned long field)
{
	unsigned long value;
	bool failed;

	asm volatile("vmread %[field], %[value]"
		     : [value] "=rm" (value), "=@ccbe" (failed)
		     : [field] "r" (field) : "cc");
	WARN_ONCE(failed, "shadowvmm: vmread %#lx failed\n", field);
	return failed ? 0 : value;
}

static __always_inline void vmcs_write(unsigned long field, unsigned long value)
{
	bool failed;

	asm volatile("vmwrite %[value], %[field]"
		     : "=@ccbe" (failed)
		     : [field] "r" (field), [value] "rm" (value) : "cc");
	WARN_ONCE(failed, "shadowvmm: vmwrite %#lx failed\n", field);
}

#endif /* SHADOWVMM_VMX_H */
