// SPDX-License-Identifier: GPL-2.0
/*
 * Fitting our VMX controls to what a CPU allows. Pure functions of the
 * capability MSR values, so KUnit can check them with invented CPUs.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include "vmx.h"

/*
 * Controls the VMM cannot run without: shadow paging needs every CR3 load
 * and store, #PF and INVLPG; the host must see every external interrupt
 * and NMI; and HLT, port I/O, MOV DR, MONITOR/MWAIT, RDPMC and MOV CR8
 * (the host's TPR, without a TPR shadow) touch host state or devices the
 * VMM emulates.
 */
#define PIN_REQUIRED	(PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING)
#define PROC_REQUIRED	(CPU_BASED_HLT_EXITING | CPU_BASED_INVLPG_EXITING | \
			 CPU_BASED_MWAIT_EXITING | CPU_BASED_RDPMC_EXITING | \
			 CPU_BASED_CR3_LOAD_EXITING | \
			 CPU_BASED_CR3_STORE_EXITING | \
			 CPU_BASED_CR8_LOAD_EXITING | \
			 CPU_BASED_CR8_STORE_EXITING | \
			 CPU_BASED_MOV_DR_EXITING | \
			 CPU_BASED_UNCOND_IO_EXITING | \
			 CPU_BASED_MONITOR_EXITING)
/*
 * The VMX-preemption timer bounds how long the guest runs per entry even
 * when no interrupt makes it exit: Bochs, for one, does not turn external
 * interrupts into VM exits while the guest runs with EFLAGS.IF clear.
 */
#define PIN_OPTIONAL	(PIN_BASED_VMX_PREEMPTION_TIMER | PIN_BASED_VIRTUAL_NMIS)
/*
 * Set only while an interrupt or NMI waits for the guest to be able to
 * take it: the CPU must allow them, not set them from the start.
 */
#define PROC_WINDOWS	CPU_BASED_INTR_WINDOW_EXITING
#define PREEMPTION_TIMER_RATE(misc)	((misc) & 0x1f)
#define GUEST_SLICE_PER_SECOND		1000	/* at most 1 ms per entry */
#define EXIT_REQUIRED	(VM_EXIT_HOST_ADDR_SPACE_SIZE | \
			 VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_DEBUG_CONTROLS)
#define ENTRY_REQUIRED	(VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_DEBUG_CONTROLS)

/**
 * shadowvmm_vmx_fit_control() - combine wanted control bits with a CPU's
 * @required: bits the VMM needs set
 * @optional: bits the VMM would like set when the CPU allows
 * @msr: the capability MSR: allowed 0-settings low, allowed 1-settings high
 * @out: the control value to program
 *
 * Return: 0, or -EOPNOTSUPP when the CPU cannot set a required bit.
 */
int shadowvmm_vmx_fit_control(u32 required, u32 optional, u64 msr, u32 *out)
{
	u32 must_be_one = (u32)msr;
	u32 may_be_one = (u32)(msr >> 32);

	if (required & ~may_be_one)
		return -EOPNOTSUPP;
	*out = ((required | optional) & may_be_one) | must_be_one;
	return 0;
}

/**
 * shadowvmm_vmx_fit_caps() - derive the VMM's VMX configuration
 * @msrs: the CPU's capability MSRs (the TRUE_* variants where they exist)
 * @caps: filled in on success
 * @why: on failure, what the CPU lacks
 *
 * Return: 0 or -EOPNOTSUPP.
 */
int shadowvmm_vmx_fit_caps(const struct shadowvmm_vmx_msrs *msrs,
			   struct shadowvmm_vmx_caps *caps, const char **why)
{
	u64 basic = msrs->basic;

	if (SVMM_BASIC_MEMTYPE(basic) != SVMM_BASIC_MEMTYPE_WB) {
		*why = "VMCS memory type is not write-back";
		return -EOPNOTSUPP;
	}
	if (basic & SVMM_BASIC_PHYS_32BIT) {
		*why = "VMX structures limited to 32-bit physical addresses";
		return -EOPNOTSUPP;
	}
	caps->revision_id = basic & SVMM_BASIC_REVISION_MASK;
	/* loaded_vmcs.c gives every VMCS a page. */
	if (!SVMM_BASIC_VMCS_SIZE(basic) ||
	    SVMM_BASIC_VMCS_SIZE(basic) > PAGE_SIZE) {
		*why = "VMCS region size out of range";
		return -EOPNOTSUPP;
	}

	*why = "pin-based controls lack external-interrupt or NMI exiting";
	if (shadowvmm_vmx_fit_control(PIN_REQUIRED, PIN_OPTIONAL, msrs->pin_based,
				      &caps->pin_based))
		return -EOPNOTSUPP;
	caps->preemption_timer = 0;
	if (caps->pin_based & PIN_BASED_VMX_PREEMPTION_TIMER) {
		/* The timer counts TSC ticks divided by 2^rate. */
		u64 ticks = (u64)msrs->tsc_khz * 1000 / GUEST_SLICE_PER_SECOND;

		ticks >>= PREEMPTION_TIMER_RATE(msrs->misc);
		caps->preemption_timer = clamp_t(u64, ticks, 1, U32_MAX);
	}
	*why = "processor-based controls lack a required exit";
	if (shadowvmm_vmx_fit_control(PROC_REQUIRED, 0, msrs->proc_based,
				      &caps->proc_based) ||
	    (PROC_WINDOWS & ~(u32)(msrs->proc_based >> 32)))
		return -EOPNOTSUPP;
	caps->virtual_nmis = (caps->pin_based & PIN_BASED_VIRTUAL_NMIS) &&
			     (msrs->proc_based >> 32 &
			      CPU_BASED_NMI_WINDOW_EXITING);
	*why = "VM-exit controls lack 64-bit host or EFER loading";
	if (shadowvmm_vmx_fit_control(EXIT_REQUIRED, 0, msrs->exit_ctls,
				      &caps->exit_ctls))
		return -EOPNOTSUPP;
	*why = "VM-entry controls lack EFER or debug-control loading";
	if (shadowvmm_vmx_fit_control(ENTRY_REQUIRED, 0, msrs->entry_ctls,
				      &caps->entry_ctls))
		return -EOPNOTSUPP;
	/*
	 * Neither an unwanted default-1 control nor IA-32e guest mode may
	 * stay set: the guest starts in 32-bit protected mode.
	 */
	caps->entry_ctls &= ~VM_ENTRY_IA32E_MODE;

	caps->cr0_fixed0 = msrs->cr0_fixed0;
	caps->cr0_fixed1 = msrs->cr0_fixed1;
	caps->cr4_fixed0 = msrs->cr4_fixed0;
	caps->cr4_fixed1 = msrs->cr4_fixed1;
	*why = NULL;
	return 0;
}
