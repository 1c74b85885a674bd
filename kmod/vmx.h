/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX primitives: capability discovery, VMXON per CPU, VMCS lifetime and
 * field access. Everything that touches VMX state runs with preemption
 * disabled on the CPU that owns that state.
 */
#ifndef SHADOWVMM_VMX_H
#define SHADOWVMM_VMX_H

#include <linux/list.h>
#include <linux/types.h>
#include <linux/bug.h>
#include <asm/asm.h>
#include <asm/vmx.h>
#include "emulate.h"

/* IA32_VMX_BASIC, named here because kernels renamed theirs over time. */
#define SVMM_BASIC_REVISION_MASK	GENMASK_ULL(30, 0)
#define SVMM_BASIC_VMCS_SIZE(basic)	(((basic) >> 32) & 0x1fff)
#define SVMM_BASIC_PHYS_32BIT		BIT_ULL(48)
#define SVMM_BASIC_MEMTYPE(basic)	(((basic) >> 50) & 0xf)
#define SVMM_BASIC_MEMTYPE_WB		6
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
	u32 pin_based;
	u32 proc_based;
	u32 exit_ctls;
	u32 entry_ctls;
	u64 cr0_fixed0, cr0_fixed1;
	u64 cr4_fixed0, cr4_fixed1;
	/* Guest time per entry is bounded by this many timer ticks, or 0. */
	u32 preemption_timer;
	/* NMIs can be injected: the CPU tracks their blocking until IRET. */
	bool virtual_nmis;
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

/* A VMCS and the CPU it is active on: KVM's loaded_vmcs. */
struct shadowvmm_loaded_vmcs {
	struct shadowvmm_vmcs *vmcs;
	int cpu;			/* active there, or -1: clear */
	bool launched;			/* there: VMRESUME, not VMLAUNCH */
	struct list_head cpu_link;	/* in that CPU's active list */
};

int shadowvmm_loaded_vmcs_init(struct shadowvmm_loaded_vmcs *lv);
void shadowvmm_loaded_vmcs_free(struct shadowvmm_loaded_vmcs *lv);
int shadowvmm_loaded_vmcs_make_current(struct shadowvmm_loaded_vmcs *lv);
void shadowvmm_loaded_vmcs_cpu_up(void);
void shadowvmm_loaded_vmcs_cpu_down(void);

/* vmx_entry.S: enter the guest; returns 0 after a VM exit, 1 on VMfail. */
int shadowvmm_vmx_run(struct shadowvmm_regs *regs, bool launched);
/* Where VM exits land (the VMCS host RIP); not a callable function. */
extern const char shadowvmm_vmx_exit[];

/*
 * Set before reboot turns VMX off on every CPU, possibly under a vCPU that
 * did not stop in time: its VMX instructions then fault (#UD), and the
 * fixups below make that quiet instead of an oops, as kvm_rebooting does.
 */
extern bool shadowvmm_rebooting;

void shadowvmm_vmx_insn_fault(const char *insn, unsigned long operand);

/* Guest state that lives only in the current VMCS (KUnit fakes these). */
u64 shadowvmm_vmcs_seg_base(enum shadowvmm_seg seg);
void shadowvmm_vmcs_set_seg_base(enum shadowvmm_seg seg, u64 base);

/*
 * The VMX instructions below run as "1:" in their asm, with "faulted" set
 * until the instruction has completed: a fault (#UD, VMX off) lands at
 * "2:" with it still set, the flags from the instruction otherwise.
 */
#define VMX_INSN_FAULT_ENTRY	_ASM_EXTABLE(1b, 2b)

/*
 * VMREAD/VMWRITE only fail when no VMCS is current or the field does not
 * exist: both are bugs in this module, never guest-triggerable, so they
 * warn once instead of making every caller check. They fault only when
 * VMX was turned off under us.
 */
static __always_inline unsigned long vmcs_read(unsigned long field)
{
	unsigned long value;
	bool failed, faulted;

	asm volatile("movb $1, %[faulted]\n\t"
		     "1: vmread %[field], %[value]\n\t"
		     "movb $0, %[faulted]\n"
		     "2:\n\t"
		     VMX_INSN_FAULT_ENTRY
		     : [value] "=rm" (value), "=@ccbe" (failed),
		       [faulted] "=&qm" (faulted)
		     : [field] "r" (field) : "cc");
	if (unlikely(faulted)) {
		shadowvmm_vmx_insn_fault("vmread", field);
		return 0;
	}
	WARN_ONCE(failed, "shadowvmm: vmread %#lx failed\n", field);
	return failed ? 0 : value;
}

static __always_inline void vmcs_write(unsigned long field, unsigned long value)
{
	bool failed, faulted;

	asm volatile("movb $1, %[faulted]\n\t"
		     "1: vmwrite %[value], %[field]\n\t"
		     "movb $0, %[faulted]\n"
		     "2:\n\t"
		     VMX_INSN_FAULT_ENTRY
		     : "=@ccbe" (failed), [faulted] "=&qm" (faulted)
		     : [field] "r" (field), [value] "rm" (value) : "cc");
	if (unlikely(faulted))
		shadowvmm_vmx_insn_fault("vmwrite", field);
	else
		WARN_ONCE(failed, "shadowvmm: vmwrite %#lx failed\n", field);
}

#endif /* SHADOWVMM_VMX_H */
