// SPDX-License-Identifier: GPL-2.0
/*
 * Names for VMX basic exit reasons, as KVM's trace output and perf kvm
 * stat spell them, so numbers in our logs and counters read the same.
 */
#include <linux/kernel.h>
#include <asm/vmx.h>
#include "exit_reason.h"

static const char *const exit_reason_names[SHADOWVMM_EXIT_REASONS] = {
	[EXIT_REASON_EXCEPTION_NMI]		= "exception_nmi",
	[EXIT_REASON_EXTERNAL_INTERRUPT]	= "external_interrupt",
	[EXIT_REASON_TRIPLE_FAULT]		= "triple_fault",
	[EXIT_REASON_INIT_SIGNAL]		= "init_signal",
	[EXIT_REASON_SIPI_SIGNAL]		= "sipi_signal",
	[EXIT_REASON_INTERRUPT_WINDOW]		= "interrupt_window",
	[EXIT_REASON_NMI_WINDOW]		= "nmi_window",
	[EXIT_REASON_TASK_SWITCH]		= "task_switch",
	[EXIT_REASON_CPUID]			= "cpuid",
	[EXIT_REASON_HLT]			= "hlt",
	[EXIT_REASON_INVD]			= "invd",
	[EXIT_REASON_INVLPG]			= "invlpg",
	[EXIT_REASON_RDPMC]			= "rdpmc",
	[EXIT_REASON_RDTSC]			= "rdtsc",
	[EXIT_REASON_VMCALL]			= "vmcall",
	[EXIT_REASON_VMCLEAR]			= "vmclear",
	[EXIT_REASON_VMLAUNCH]			= "vmlaunch",
	[EXIT_REASON_VMPTRLD]			= "vmptrld",
	[EXIT_REASON_VMPTRST]			= "vmptrst",
	[EXIT_REASON_VMREAD]			= "vmread",
	[EXIT_REASON_VMRESUME]			= "vmresume",
	[EXIT_REASON_VMWRITE]			= "vmwrite",
	[EXIT_REASON_VMOFF]			= "vmoff",
	[EXIT_REASON_VMON]			= "vmon",
	[EXIT_REASON_CR_ACCESS]			= "cr_access",
	[EXIT_REASON_DR_ACCESS]			= "dr_access",
	[EXIT_REASON_IO_INSTRUCTION]		= "io_instruction",
	[EXIT_REASON_MSR_READ]			= "msr_read",
	[EXIT_REASON_MSR_WRITE]			= "msr_write",
	[EXIT_REASON_INVALID_STATE]		= "invalid_state",
	[EXIT_REASON_MSR_LOAD_FAIL]		= "msr_load_fail",
	[EXIT_REASON_MWAIT_INSTRUCTION]		= "mwait_instruction",
	[EXIT_REASON_MONITOR_TRAP_FLAG]		= "monitor_trap_flag",
	[EXIT_REASON_MONITOR_INSTRUCTION]	= "monitor_instruction",
	[EXIT_REASON_PAUSE_INSTRUCTION]		= "pause_instruction",
	[EXIT_REASON_MCE_DURING_VMENTRY]	= "mce_during_vmentry",
	[EXIT_REASON_TPR_BELOW_THRESHOLD]	= "tpr_below_threshold",
	[EXIT_REASON_APIC_ACCESS]		= "apic_access",
	[EXIT_REASON_EOI_INDUCED]		= "eoi_induced",
	[EXIT_REASON_GDTR_IDTR]			= "gdtr_idtr",
	[EXIT_REASON_LDTR_TR]			= "ldtr_tr",
	[EXIT_REASON_EPT_VIOLATION]		= "ept_violation",
	[EXIT_REASON_EPT_MISCONFIG]		= "ept_misconfig",
	[EXIT_REASON_INVEPT]			= "invept",
	[EXIT_REASON_RDTSCP]			= "rdtscp",
	[EXIT_REASON_PREEMPTION_TIMER]		= "preemption_timer",
	[EXIT_REASON_INVVPID]			= "invvpid",
	[EXIT_REASON_WBINVD]			= "wbinvd",
	[EXIT_REASON_XSETBV]			= "xsetbv",
	[EXIT_REASON_APIC_WRITE]		= "apic_write",
	[EXIT_REASON_RDRAND]			= "rdrand",
	[EXIT_REASON_INVPCID]			= "invpcid",
	[EXIT_REASON_VMFUNC]			= "vmfunc",
	[EXIT_REASON_ENCLS]			= "encls",
	[EXIT_REASON_RDSEED]			= "rdseed",
	[EXIT_REASON_PML_FULL]			= "pml_full",
	[EXIT_REASON_XSAVES]			= "xsaves",
	[EXIT_REASON_XRSTORS]			= "xrstors",
	[EXIT_REASON_UMWAIT]			= "umwait",
	[EXIT_REASON_TPAUSE]			= "tpause",
	[EXIT_REASON_BUS_LOCK]			= "bus_lock",
	[EXIT_REASON_NOTIFY]			= "notify",
};

/**
 * shadowvmm_exit_reason_name() - the name of a VMX exit reason
 * @exit_reason: the full exit reason field; flag bits above 15 are ignored
 *
 * Return: a static lower-case name, or "unknown" for reasons the SDM does
 * not define (yet).
 */
const char *shadowvmm_exit_reason_name(u32 exit_reason)
{
	u16 basic = exit_reason & 0xffff;

	if (basic < ARRAY_SIZE(exit_reason_names) && exit_reason_names[basic])
		return exit_reason_names[basic];
	return "unknown";
}
