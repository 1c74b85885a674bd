// SPDX-License-Identifier: GPL-2.0
/*
 * VMX on the host: is it there, may we have it, and VMXON/VMXOFF on one
 * CPU. Which CPUs and when is main.c's business.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/percpu.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/tlbflush.h>
#include <asm/special_insns.h>
#include <asm/tsc.h>
#include "vmx.h"

struct shadowvmm_vmx_caps shadowvmm_vmx __ro_after_init;

static DEFINE_PER_CPU(struct shadowvmm_vmcs *, vmxon_region);
/* Whether this CPU is in VMX root operation because of us. */
static DEFINE_PER_CPU(bool, vmx_on);

bool shadowvmm_vmx_on_this_cpu(void)
{
	return this_cpu_read(vmx_on);
}

static u64 read_ctl_msr(bool true_ctls, u32 msr, u32 true_msr)
{
	u64 value;

	rdmsrl(true_ctls ? true_msr : msr, value);
	return value;
}

/**
 * shadowvmm_vmx_probe() - check that this machine can run our guests
 *
 * Return: 0; -ENODEV without VT-x, -EOPNOTSUPP when it lacks something we
 * need. Prints one line saying which.
 */
int shadowvmm_vmx_probe(void)
{
	struct shadowvmm_vmx_msrs msrs;
	const char *why;
	bool true_ctls;
	u64 feat_ctl;
	int err;

	if (!boot_cpu_has(X86_FEATURE_VMX)) {
		pr_err("no VMX (Intel VT-x) on this CPU: cannot run guests\n");
		return -ENODEV;
	}
	/*
	 * Firmware locks IA32_FEATURE_CONTROL; if it locked VMX off, only a
	 * firmware setting brings it back.
	 */
	rdmsrl(MSR_IA32_FEAT_CTL, feat_ctl);
	if (!(feat_ctl & FEAT_CTL_LOCKED) ||
	    !(feat_ctl & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("VT-x is disabled in firmware (IA32_FEATURE_CONTROL %#llx)\n",
		       feat_ctl);
		return -ENODEV;
	}

	rdmsrl(MSR_IA32_VMX_BASIC, msrs.basic);
	true_ctls = msrs.basic & SVMM_BASIC_TRUE_CTLS;
	msrs.pin_based = read_ctl_msr(true_ctls, MSR_IA32_VMX_PINBASED_CTLS,
				      MSR_IA32_VMX_TRUE_PINBASED_CTLS);
	msrs.proc_based = read_ctl_msr(true_ctls, MSR_IA32_VMX_PROCBASED_CTLS,
				       MSR_IA32_VMX_TRUE_PROCBASED_CTLS);
	msrs.exit_ctls = read_ctl_msr(true_ctls, MSR_IA32_VMX_EXIT_CTLS,
				      MSR_IA32_VMX_TRUE_EXIT_CTLS);
	msrs.entry_ctls = read_ctl_msr(true_ctls, MSR_IA32_VMX_ENTRY_CTLS,
				       MSR_IA32_VMX_TRUE_ENTRY_CTLS);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, msrs.cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, msrs.cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, msrs.cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, msrs.cr4_fixed1);
	rdmsrl(MSR_IA32_VMX_MISC, msrs.misc);
	msrs.tsc_khz = tsc_khz;

	err = shadowvmm_vmx_fit_caps(&msrs, &shadowvmm_vmx, &why);
	if (err)
		pr_err("this CPU's VMX cannot run our guests: %s\n", why);
	return err;
}

/*
 * VMXON faults if this CPU's firmware left VMX locked off or CR0/CR4 break
 * the VMX fixed bits; both are checked first, so no fault fixup is needed.
 */
static bool vmx_can_enable(void)
{
	unsigned long cr0 = native_read_cr0(), cr4 = cr4_read_shadow();

	if (!this_cpu_has(X86_FEATURE_VMX))
		return false;
	cr4 |= X86_CR4_VMXE;
	return (cr0 & shadowvmm_vmx.cr0_fixed0) == shadowvmm_vmx.cr0_fixed0 &&
	       !(cr0 & ~shadowvmm_vmx.cr0_fixed1) &&
	       (cr4 & shadowvmm_vmx.cr4_fixed0) == shadowvmm_vmx.cr4_fixed0 &&
	       !(cr4 & ~shadowvmm_vmx.cr4_fixed1);
}

static int enter_vmx_root(u64 phys)
{
	bool failed;

	asm volatile("vmxon %[phys]" : "=@ccbe" (failed)
		     : [phys] "m" (phys) : "cc", "memory");
	return failed ? -EIO : 0;
}

/**
 * shadowvmm_vmx_cpu_on() - enter VMX root operation on this CPU
 *
 * Context: pinned to the CPU (CPU hotplug callback or IPI).
 * Return: 0; -EBUSY when CR4.VMXE is set already (another hypervisor owns
 * VMX here); -EOPNOTSUPP when this CPU cannot enable VMX; -ENOMEM or -EIO.
 */
int shadowvmm_vmx_cpu_on(void)
{
	struct shadowvmm_vmcs *region = this_cpu_read(vmxon_region);
	int err;

	if (!region)
		return -ENOMEM;
	if (cr4_read_shadow() & X86_CR4_VMXE)
		return -EBUSY;
	if (!vmx_can_enable())
		return -EOPNOTSUPP;

	region->revision_id = shadowvmm_vmx.revision_id;
	shadowvmm_loaded_vmcs_cpu_up();
	cr4_set_bits(X86_CR4_VMXE);
	err = enter_vmx_root(__pa(region));
	if (err) {
		cr4_clear_bits(X86_CR4_VMXE);
		return err;
	}
	this_cpu_write(vmx_on, true);
	return 0;
}

/**
 * shadowvmm_vmx_cpu_off() - leave VMX root operation on this CPU
 *
 * Clears the VMCSs still active here first: a vCPU that ran here goes on
 * from its VMCS on another CPU.
 *
 * Context: pinned to the CPU, no burst running on it (a CPU hotplug
 * callback, or reboot's IPI once the vCPUs have stopped).
 */
void shadowvmm_vmx_cpu_off(void)
{
	if (!this_cpu_read(vmx_on))
		return;
	shadowvmm_loaded_vmcs_cpu_down();
	this_cpu_write(vmx_on, false);
	asm volatile("vmxoff" : : : "cc", "memory");
	cr4_clear_bits(X86_CR4_VMXE);
}

/**
 * shadowvmm_vmx_alloc_cpu_region() - allocate @cpu's VMXON region
 * @cpu: the CPU
 *
 * Return: 0 or -ENOMEM.
 */
int shadowvmm_vmx_alloc_cpu_region(int cpu)
{
	struct page *page;

	if (per_cpu(vmxon_region, cpu))
		return 0;
	page = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
	if (!page)
		return -ENOMEM;
	per_cpu(vmxon_region, cpu) = page_address(page);
	return 0;
}

void shadowvmm_vmx_free_cpu_regions(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct shadowvmm_vmcs *region = per_cpu(vmxon_region, cpu);

		if (region)
			free_page((unsigned long)region);
		per_cpu(vmxon_region, cpu) = NULL;
	}
}

/* vmx_entry.S names HOST_RSP by number: it cannot read the enum. */
static_assert(HOST_RSP == 0x6c14);

bool shadowvmm_rebooting;

/**
 * shadowvmm_vmx_insn_fault() - a VMX instruction faulted
 * @insn: its name
 * @operand: the VMCS field or address it worked on
 *
 * Only reboot turns VMX off under a running vCPU; anything else that makes
 * a VMX instruction fault is a bug here.
 */
void shadowvmm_vmx_insn_fault(const char *insn, unsigned long operand)
{
	WARN_ONCE(!READ_ONCE(shadowvmm_rebooting),
		  "shadowvmm: %s %#lx faulted: VMX is off\n", insn, operand);
}

static const u32 seg_base_field[] = {
	[SHADOWVMM_SEG_ES] = GUEST_ES_BASE,
	[SHADOWVMM_SEG_CS] = GUEST_CS_BASE,
	[SHADOWVMM_SEG_SS] = GUEST_SS_BASE,
	[SHADOWVMM_SEG_DS] = GUEST_DS_BASE,
	[SHADOWVMM_SEG_FS] = GUEST_FS_BASE,
	[SHADOWVMM_SEG_GS] = GUEST_GS_BASE,
};

/**
 * shadowvmm_vmcs_seg_base() - a guest segment's base, as it runs now
 * @seg: the segment
 *
 * Context: the vCPU's VMCS is current on this CPU, as in exit handlers.
 * Return: the base address.
 */
u64 shadowvmm_vmcs_seg_base(enum shadowvmm_seg seg)
{
	return vmcs_read(seg_base_field[seg]);
}

/**
 * shadowvmm_vmcs_set_seg_base() - load a guest segment's base
 * @seg: the segment
 * @base: the base, canonical: VM entry checks FS and GS bases
 *
 * Context: the vCPU's VMCS is current on this CPU, as in exit handlers.
 */
void shadowvmm_vmcs_set_seg_base(enum shadowvmm_seg seg, u64 base)
{
	vmcs_write(seg_base_field[seg], base);
}
