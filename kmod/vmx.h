/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX primitives: capability discovery, VMXON per CPU, VMCS lifetime and
 * field access. Everything that touches VMX state runs with preemption
 * disabled on the CPU that owns that state.
 */
#ifndef SHADOWVMM_VMX_H
#define SHADOWVMM_VMX_H

#include <linux/types.h>
#include <linux/bug.h>
#include <asm/vmx.h>

/* IA32_VMX_BASIC, named here because kernels renamed theirs over time. */
#define SVMM_BASIC_REVISION_MASK	GENMASK_ULL(30, 0)
#define SVMM_BASIC_VMCS_SIZE(basic)	(((basic) >> 32) & 0x1fff)
#define SVMM_BASIC_PHYS_32BIT		BIT_ULL(48)
#define SVMM_BASIC_MEMTYPE(basic)	(((basic) >> 50) & 0xf)
#define SVMM_BASIC_MEMTYPE_WB		6
#define SVMM_BASIC_INS_OUTS_INFO	BIT_ULL(54)
#define SVMM_BASIC_TRUE_CTLS		BIT_ULL(55)

struct shadowvmm_regs;

struct shadowvmm_vmcs {
	u32 revision_id;
	u32 abort;
	char data[];
};

/* The controls every guest runs with, fitted to this CPU once at load. */
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
	/* Guest time per entry is bounded by this many timer ticks, or 0. */
	u32 preemption_timer;
};

/* The raw capability MSRs the fitting works from. */
struct shadowvmm_vmx_msrs {
	u64 basic;
	u64 pin_based, proc_based, exit_ctls, entry_ctls;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 misc;
	u32 tsc_khz;
};

extern struct shadowvmm_vmx_caps shadowvmm_vmx;

int shadowvmm_vmx_fit_control(u32 required, u32 optional, u64 msr, u32 *out);
int shadowvmm_vmx_fit_caps(const struct shadowvmm_vmx_msrs *msrs,
			   struct shadowvmm_vmx_caps *caps, const char **why);

int shadowvmm_vmx_probe(void);
int shadowvmm_vmx_cpu_on(void);
void shadowvmm_vmx_cpu_off(void);
bool shadowvmm_vmx_on_this_cpu(void);
int shadowvmm_vmx_alloc_cpu_region(int cpu);
void shadowvmm_vmx_free_cpu_regions(void);

struct shadowvmm_vmcs *shadowvmm_vmcs_alloc(void);
void shadowvmm_vmcs_free(struct shadowvmm_vmcs *vmcs);
int shadowvmm_vmcs_clear(struct shadowvmm_vmcs *vmcs);
int shadowvmm_vmcs_load(struct shadowvmm_vmcs *vmcs);

/* vmx_entry.S: enter the guest; returns 0 after a VM exit, 1 on VMfail. */
int shadowvmm_vmx_run(struct shadowvmm_regs *regs, bool launched);
/* Where VM exits land (the VMCS host RIP); not a callable function. */
extern const char shadowvmm_vmx_exit[];

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
