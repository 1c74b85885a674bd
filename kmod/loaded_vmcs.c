// SPDX-License-Identifier: GPL-2.0
/*
 * Where each VMCS is active. A VMCS stays active on the CPU it last ran
 * on, so that the next burst there needs neither VMPTRLD (when it is
 * still current) nor VMLAUNCH; one may be active on one CPU only, so a
 * vCPU moving to another CPU first has it cleared where it was. KVM's
 * loaded_vmcs, in a few functions.
 */
#include <linux/irqflags.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include "vmx.h"

/*
 * VMCLEAR or VMPTRLD of the VMCS at @phys, as vmcs_write() does VMWRITE;
 * sets @failed and is true when the instruction faulted.
 */
#define VMCS_POINTER_INSN(insn, phys, failed)				\
({									\
	bool faulted_;							\
									\
	asm volatile("movb $1, %1\n\t"					\
		     "1: " insn " %2\n\t"				\
		     "movb $0, %1\n"					\
		     "2:\n\t"						\
		     VMX_INSN_FAULT_ENTRY					\
		     : "=@ccbe" (failed), "=&qm" (faulted_)		\
		     : "m" (phys) : "cc", "memory");			\
	faulted_;							\
})

static int vmcs_pointer_result(const char *insn, u64 phys, bool failed,
			       bool faulted)
{
	if (unlikely(faulted))
		shadowvmm_vmx_insn_fault(insn, phys);
	return failed || faulted ? -EIO : 0;
}

static int vmcs_clear(struct shadowvmm_vmcs *vmcs)
{
	u64 phys = __pa(vmcs);
	bool failed, faulted;

	faulted = VMCS_POINTER_INSN("vmclear", phys, failed);
	return vmcs_pointer_result("vmclear", phys, failed, faulted);
}

static int vmcs_load(struct shadowvmm_vmcs *vmcs)
{
	u64 phys = __pa(vmcs);
	bool failed, faulted;

	faulted = VMCS_POINTER_INSN("vmptrld", phys, failed);
	return vmcs_pointer_result("vmptrld", phys, failed, faulted);
}

/*
 * Each CPU lists the VMCSs active on it, to clear them before VMXOFF;
 * only that CPU changes its list, with interrupts off (the IPI that
 * clears a VMCS for a vCPU moving away runs there too).
 */
static DEFINE_PER_CPU(struct list_head, active_vmcss);
static DEFINE_PER_CPU(struct shadowvmm_vmcs *, current_vmcs);

/* Context: on @lv's CPU, interrupts off. */
static void clear_here(struct shadowvmm_loaded_vmcs *lv)
{
	vmcs_clear(lv->vmcs);
	if (this_cpu_read(current_vmcs) == lv->vmcs)
		this_cpu_write(current_vmcs, NULL);
	list_del(&lv->cpu_link);
	lv->launched = false;
	/* The list entry goes before another CPU may add it to its own. */
	smp_wmb();
	WRITE_ONCE(lv->cpu, -1);
}

static void clear_ipi(void *arg)
{
	struct shadowvmm_loaded_vmcs *lv = arg;

	/* The CPU's own teardown may have cleared it first. */
	if (READ_ONCE(lv->cpu) == smp_processor_id())
		clear_here(lv);
}

/* Wherever @lv is active, clear it there. Context: interrupts on. */
static void clear_remote(struct shadowvmm_loaded_vmcs *lv)
{
	int cpu = READ_ONCE(lv->cpu);

	/*
	 * A CPU that went offline meanwhile cleared its VMCSs on the way
	 * down (shadowvmm_vmx_cpu_off()), so -ENXIO needs nothing more.
	 */
	if (cpu >= 0)
		smp_call_function_single(cpu, clear_ipi, lv, 1);
}

/**
 * shadowvmm_loaded_vmcs_init() - allocate a VMCS, active nowhere yet
 * @lv: where to keep it
 *
 * Return: 0 or -ENOMEM.
 */
int shadowvmm_loaded_vmcs_init(struct shadowvmm_loaded_vmcs *lv)
{
	lv->vmcs = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!lv->vmcs)
		return -ENOMEM;
	lv->vmcs->revision_id = shadowvmm_vmx.revision_id;
	lv->cpu = -1;
	lv->launched = false;
	INIT_LIST_HEAD(&lv->cpu_link);
	return 0;
}

/**
 * shadowvmm_loaded_vmcs_free() - clear a VMCS wherever it is active, free it
 * @lv: the VMCS; nothing runs on it any more
 *
 * Context: process context.
 */
void shadowvmm_loaded_vmcs_free(struct shadowvmm_loaded_vmcs *lv)
{
	if (!lv->vmcs)
		return;
	clear_remote(lv);
	free_page((unsigned long)lv->vmcs);
	lv->vmcs = NULL;
}

/**
 * shadowvmm_loaded_vmcs_make_current() - make a VMCS current on this CPU
 * @lv: the VMCS
 *
 * A VMCS active on another CPU is cleared there first (an IPI), for a
 * VMCS may be active on one CPU only.
 *
 * Context: preemption off, interrupts on; VMX on here.
 * Return: 1 when the VMCS was not active here before (the caller writes
 * the host state that differs between CPUs), 0 when it was, or -EIO.
 */
int shadowvmm_loaded_vmcs_make_current(struct shadowvmm_loaded_vmcs *lv)
{
	int cpu = smp_processor_id();
	int moved = 0;

	if (READ_ONCE(lv->cpu) != cpu) {
		clear_remote(lv);
		/* Pairs with the smp_wmb() in clear_here(). */
		smp_rmb();
		local_irq_disable();
		list_add(&lv->cpu_link, this_cpu_ptr(&active_vmcss));
		WRITE_ONCE(lv->cpu, cpu);
		local_irq_enable();
		moved = 1;
	} else if (this_cpu_read(current_vmcs) == lv->vmcs) {
		return 0;
	}
	/*
	 * A VMCS new to this CPU starts clear, with its launch state too:
	 * one never used needs it before VMPTRLD, one cleared elsewhere
	 * does not mind.
	 */
	if ((moved && vmcs_clear(lv->vmcs)) || vmcs_load(lv->vmcs))
		return -EIO;
	this_cpu_write(current_vmcs, lv->vmcs);
	return moved;
}

/* Context: pinned to the CPU, before anything here uses a VMCS. */
void shadowvmm_loaded_vmcs_cpu_up(void)
{
	INIT_LIST_HEAD(this_cpu_ptr(&active_vmcss));
	this_cpu_write(current_vmcs, NULL);
}

/**
 * shadowvmm_loaded_vmcs_cpu_down() - clear every VMCS active on this CPU
 *
 * So that their contents reach memory before VMXOFF, and each vCPU goes on
 * from its VMCS on another CPU.
 *
 * Context: pinned to the CPU, VMX still on.
 */
void shadowvmm_loaded_vmcs_cpu_down(void)
{
	struct list_head *active = this_cpu_ptr(&active_vmcss);
	unsigned long flags;

	local_irq_save(flags);
	while (!list_empty(active))
		clear_here(list_first_entry(active, struct shadowvmm_loaded_vmcs,
					    cpu_link));
	this_cpu_write(current_vmcs, NULL);
	local_irq_restore(flags);
}
