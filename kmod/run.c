// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU run loop and everything that moves state between the VMCS and
 * struct shadowvmm_vcpu.
 *
 * The loop runs in bursts. A burst pins the thread to a CPU (preemption
 * off), makes the VMCS current there, and enters the guest again and again
 * until the scheduler wants the CPU, a tick has passed or someone asks the
 * VM to stop. The VMCS stays active on that CPU after the burst, so the
 * next burst there enters with VMRESUME and rewrites no host state that
 * is the same; a burst on another CPU first has it cleared where it was
 * (an IPI), as KVM's loaded_vmcs does (loaded_vmcs.c). CPU hot-unplug and reboot
 * clear the VMCSs active on a CPU before VMXOFF there.
 *
 * Stopping a vCPU is a request plus a kick, as KVM's vcpu->mode and
 * requests are: the requester sets stop_request and then reads mode; the
 * vCPU sets mode to IN_GUEST with interrupts off and then reads
 * stop_request. A full barrier on each side means at least one of them
 * sees the other's write: either the vCPU does not enter, or the
 * requester's IPI arrives while the vCPU is in the guest or about to be
 * (interrupts off keep it pending until entry) and forces an exit.
 */
#include <linux/kthread.h>
#include <linux/preempt.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/cpu_entry_area.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tsc.h>
#include <asm/trapnr.h>
#include <asm/tlbflush.h>
#include "cpuid.h"
#include "dev/pio.h"
#include "exit.h"
#include "msr.h"
#include "paging.h"
#include "run.h"
#include "trace.h"
#include "vm_types.h"
#include "vmx.h"

/* Multiboot's flat segments: the code and data selectors QEMU leaves. */
#define BOOT_CS		0x10
#define BOOT_DS		0x18
#define AR_DATA32	0xc093	/* G, B, P, DPL 0, data read/write accessed */
#define AR_TSS32_BUSY	0x008b

/*
 * Every vCPU inside shadowvmm_vcpu_run(), so that reboot can stop all of
 * them: also those of VMs that destroy has already taken out of the VM
 * table and whose threads are still on their way out.
 */
static LIST_HEAD(running_vcpus);
static DEFINE_SPINLOCK(running_lock);
static DECLARE_WAIT_QUEUE_HEAD(running_wait);

struct host_state {
	unsigned long debugctl;
	u64 kernel_gs_base;
	struct shadowvmm_host_syscall_msrs syscall;
};

static void setup_segment(u32 selector_field, u16 selector, u32 ar)
{
	/* Selector, limit, AR and base fields sit at fixed strides. */
	vmcs_write(selector_field, selector);
	vmcs_write(GUEST_ES_LIMIT + (selector_field - GUEST_ES_SELECTOR),
		   ar == VMX_AR_UNUSABLE_MASK ? 0 : 0xffffffff);
	vmcs_write(GUEST_ES_AR_BYTES + (selector_field - GUEST_ES_SELECTOR), ar);
	vmcs_write(GUEST_ES_BASE + (selector_field - GUEST_ES_SELECTOR), 0);
}

static void setup_guest_state(struct shadowvmm_vcpu *vcpu)
{
	setup_segment(GUEST_CS_SELECTOR, BOOT_CS, VCPU_BOOT_CODE_AR);
	setup_segment(GUEST_DS_SELECTOR, BOOT_DS, AR_DATA32);
	setup_segment(GUEST_ES_SELECTOR, BOOT_DS, AR_DATA32);
	setup_segment(GUEST_FS_SELECTOR, BOOT_DS, AR_DATA32);
	setup_segment(GUEST_GS_SELECTOR, BOOT_DS, AR_DATA32);
	setup_segment(GUEST_SS_SELECTOR, BOOT_DS, AR_DATA32);
	setup_segment(GUEST_LDTR_SELECTOR, 0, VMX_AR_UNUSABLE_MASK);
	/* VM entry insists on a busy TSS even though nothing uses it. */
	vmcs_write(GUEST_TR_SELECTOR, 0);
	vmcs_write(GUEST_TR_LIMIT, 0x67);
	vmcs_write(GUEST_TR_AR_BYTES, AR_TSS32_BUSY);
	vmcs_write(GUEST_TR_BASE, 0);
	vmcs_write(GUEST_GDTR_BASE, 0);
	vmcs_write(GUEST_GDTR_LIMIT, 0);
	vmcs_write(GUEST_IDTR_BASE, 0);
	vmcs_write(GUEST_IDTR_LIMIT, 0);

	vmcs_write(GUEST_DR7, vcpu->dr7);
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(VMCS_LINK_POINTER, ~0UL);
}

static void setup_controls(struct shadowvmm_vcpu *vcpu)
{
	vcpu->proc_based = shadowvmm_vmx.proc_based;
	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, shadowvmm_vmx.pin_based);
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, vcpu->proc_based);
	vmcs_write(VM_EXIT_CONTROLS, shadowvmm_vmx.exit_ctls);
	vmcs_write(VM_ENTRY_CONTROLS, shadowvmm_vmx.entry_ctls);
	/* With mask and match zero, every #PF exits. */
	vmcs_write(EXCEPTION_BITMAP, BIT(X86_TRAP_PF) | BIT(X86_TRAP_MC));
	vmcs_write(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write(CR3_TARGET_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	/* The guest owns no CR0/CR4 bit: it sees the read shadows. */
	vmcs_write(CR0_GUEST_HOST_MASK, ~0UL);
	vmcs_write(CR4_GUEST_HOST_MASK, ~0UL);
	vmcs_write(HOST_RIP, (unsigned long)shadowvmm_vmx_exit);
}

/* Host state that differs between CPUs: when the VMCS comes to a new one. */
static void write_host_cpu_state(void)
{
	int cpu = smp_processor_id();
	struct desc_ptr idt;
	u64 msr;

	vmcs_write(HOST_CR0, native_read_cr0());
	vmcs_write(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write(HOST_SS_SELECTOR, __KERNEL_DS);
	/*
	 * Null DS/ES/FS/GS are fine in 64-bit mode, and this kernel thread
	 * never returns to user space: the context switch away from it
	 * restores whatever the next task had.
	 */
	vmcs_write(HOST_DS_SELECTOR, 0);
	vmcs_write(HOST_ES_SELECTOR, 0);
	vmcs_write(HOST_FS_SELECTOR, 0);
	vmcs_write(HOST_GS_SELECTOR, 0);
	vmcs_write(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	rdmsrl(MSR_GS_BASE, msr);
	vmcs_write(HOST_GS_BASE, msr);
	vmcs_write(HOST_TR_BASE,
		   (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	vmcs_write(HOST_GDTR_BASE, (unsigned long)get_cpu_gdt_ro(cpu));
	store_idt(&idt);
	vmcs_write(HOST_IDTR_BASE, idt.address);
	vmcs_write(HOST_IA32_SYSENTER_CS, __KERNEL_CS);
	rdmsrl(MSR_IA32_SYSENTER_ESP, msr);
	vmcs_write(HOST_IA32_SYSENTER_ESP, msr);
	rdmsrl(MSR_IA32_SYSENTER_EIP, msr);
	vmcs_write(HOST_IA32_SYSENTER_EIP, msr);
	rdmsrl(MSR_EFER, msr);
	vmcs_write(HOST_IA32_EFER, msr);
}

/*
 * Host state that may differ between two bursts on one CPU: this kernel
 * thread borrows whichever mm ran before it (CR3), and CR4 and FS base
 * follow the task switched from.
 */
static void write_host_task_state(struct shadowvmm_vcpu *vcpu, bool all)
{
	unsigned long cr3 = __read_cr3(), cr4 = cr4_read_shadow(), fs_base;

	rdmsrl(MSR_FS_BASE, fs_base);
	if (all || cr3 != vcpu->host_cr3)
		vmcs_write(HOST_CR3, cr3);
	if (all || cr4 != vcpu->host_cr4)
		vmcs_write(HOST_CR4, cr4);
	if (all || fs_base != vcpu->host_fs_base)
		vmcs_write(HOST_FS_BASE, fs_base);
	vcpu->host_cr3 = cr3;
	vcpu->host_cr4 = cr4;
	vcpu->host_fs_base = fs_base;
}

/* Undo what a VM exit does to host state the VMCS does not cover. */
static void restore_host_state(const struct host_state *host)
{
	/* VM exit leaves TR's limit at 0x67, cutting off the I/O bitmap. */
	invalidate_tss_limit();
	/* VM exit clears DEBUGCTL and resets DR7. */
	if (host->debugctl)
		update_debugctlmsr(host->debugctl);
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
}

static void sync_to_vmcs(struct shadowvmm_vcpu *vcpu)
{
	struct shadowvmm_event *event = &vcpu->event;

	vmcs_write(GUEST_RIP, vcpu->rip);
	vmcs_write(GUEST_RSP, vcpu->rsp);
	vmcs_write(GUEST_RFLAGS, vcpu->rflags);
	if (vcpu->dirty & VCPU_DIRTY_CR) {
		vmcs_write(GUEST_CR0, vcpu->hw_cr0);
		vmcs_write(CR0_READ_SHADOW, vcpu->cr0);
		vmcs_write(GUEST_CR4, vcpu->hw_cr4);
		vmcs_write(CR4_READ_SHADOW, vcpu->cr4);
	}
	if (vcpu->dirty & VCPU_DIRTY_ROOT)
		vmcs_write(GUEST_CR3, shadowvmm_mmu_root_hpa(&vcpu->mmu));
	if (vcpu->dirty & VCPU_DIRTY_PAGING) {
		vmcs_write(GUEST_IA32_EFER, vcpu->hw_efer);
		/*
		 * #PF out of the bitmap, a fault exits when its error code
		 * has any of the bits (match 0); in it, with mask 0, always.
		 */
		vmcs_write(EXCEPTION_BITMAP, BIT(X86_TRAP_MC) |
			   (vcpu->hw_pf_exit_bits ? 0 : BIT(X86_TRAP_PF)));
		vmcs_write(PAGE_FAULT_ERROR_CODE_MASK, vcpu->hw_pf_exit_bits);
		vmcs_write(VM_ENTRY_CONTROLS, shadowvmm_vmx.entry_ctls |
			   (vcpu->efer & EFER_LMA ? VM_ENTRY_IA32E_MODE : 0));
	}
	if (vcpu->dirty & VCPU_DIRTY_SYSENTER) {
		vmcs_write(GUEST_SYSENTER_CS, vcpu->sysenter_cs);
		vmcs_write(GUEST_SYSENTER_ESP, vcpu->sysenter_esp);
		vmcs_write(GUEST_SYSENTER_EIP, vcpu->sysenter_eip);
	}
	if (vcpu->dirty & VCPU_DIRTY_DR7)
		vmcs_write(GUEST_DR7, vcpu->dr7);
	/*
	 * With virtual NMIs, injecting one needs NMI blocking clear: an NMI
	 * redelivered after an exit during its delivery finds it set.
	 */
	if ((vcpu->dirty & VCPU_DIRTY_INTR_SHADOW) ||
	    (event->pending && event->type == INTR_TYPE_NMI_INTR)) {
		u32 state = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

		if (vcpu->dirty & VCPU_DIRTY_INTR_SHADOW)
			state &= ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS);
		if (event->pending && event->type == INTR_TYPE_NMI_INTR)
			state &= ~GUEST_INTR_STATE_NMI;
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO, state);
	}
	vcpu->dirty = 0;

	if (event->pending) {
		vmcs_write(VM_ENTRY_INTR_INFO_FIELD,
			   event->vector | event->type |
			   (event->has_error_code ? INTR_INFO_DELIVER_CODE_MASK : 0) |
			   INTR_INFO_VALID_MASK);
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, event->error_code);
		vmcs_write(VM_ENTRY_INSTRUCTION_LEN, event->insn_len);
		event->pending = false;
	}
}

/* What blocks an interrupt or NMI at the next entry, as the guest left it. */
static u32 interruptibility(const struct shadowvmm_vcpu *vcpu)
{
	u32 state = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

	/* sync_to_vmcs() is about to end an STI or MOV SS shadow. */
	if (vcpu->dirty & VCPU_DIRTY_INTR_SHADOW)
		state &= ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS);
	return state;
}

static void queue_interrupt(struct shadowvmm_vcpu *vcpu, u8 vector, u32 type)
{
	vcpu->event = (struct shadowvmm_event){
		.pending = true,
		.vector = vector,
		.type = type,
	};
}

/*
 * An NMI or interrupt the APIC holds goes into the VM-entry interruption
 * field when the guest can take it; when it cannot (an exception to
 * deliver first, IF clear, an STI or MOV SS shadow, an NMI handler not yet
 * returned), a window exit brings us back the moment it can. Context:
 * interrupts off, after the last look at the kick conditions, so a timer
 * expiring from here on makes the entry exit at once.
 */
static void inject_apic_events(struct shadowvmm_vcpu *vcpu)
{
	struct shadowvmm_lapic *apic = &vcpu->apic;
	u32 controls = vcpu->proc_based & ~(CPU_BASED_INTR_WINDOW_EXITING |
					    CPU_BASED_NMI_WINDOW_EXITING);
	u32 blocked = 0;
	int vector;

	shadowvmm_lapic_sync_timer(apic);
	/*
	 * COM1's line moves only when the guest touches the UART or the
	 * I/O APIC, which sync there, or when input waits to go in: its
	 * writer kicks us after it stores the length.
	 */
	if (READ_ONCE(vcpu->vm->dev.input.len))
		shadowvmm_devices_sync(vcpu);
	vector = shadowvmm_lapic_pending_vector(apic);
	/* Without virtual NMIs we could not tell when one may come again. */
	if (!shadowvmm_vmx.virtual_nmis)
		apic->nmi_pending = false;
	if (vector >= 0 || apic->nmi_pending)
		blocked = interruptibility(vcpu);
	if (apic->nmi_pending) {
		if (!vcpu->event.pending &&
		    !(blocked & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS |
				 GUEST_INTR_STATE_NMI))) {
			apic->nmi_pending = false;
			queue_interrupt(vcpu, NMI_VECTOR, INTR_TYPE_NMI_INTR);
			shadowvmm_stat_add(&vcpu->vm->stats,
					   SHADOWVMM_STAT_NMI_INJECTIONS, 1);
			trace_shadowvmm_inject(vcpu->vm->id, NMI_VECTOR);
		} else if (blocked & GUEST_INTR_STATE_STI) {
			/*
			 * A CPU may take an NMI-window exit before the
			 * instruction an STI shadows, and would again after
			 * it: wait for the shadow to end instead, as KVM does.
			 */
			controls |= CPU_BASED_INTR_WINDOW_EXITING;
		} else {
			controls |= CPU_BASED_NMI_WINDOW_EXITING;
		}
	}
	if (vector >= 0) {
		if (!vcpu->event.pending && (vcpu->rflags & X86_EFLAGS_IF) &&
		    !(blocked & (GUEST_INTR_STATE_STI |
				 GUEST_INTR_STATE_MOV_SS))) {
			shadowvmm_lapic_accept(apic, vector);
			queue_interrupt(vcpu, vector, INTR_TYPE_EXT_INTR);
			shadowvmm_stat_add(&vcpu->vm->stats,
					   SHADOWVMM_STAT_IRQ_INJECTIONS, 1);
			trace_shadowvmm_inject(vcpu->vm->id, vector);
		} else {
			controls |= CPU_BASED_INTR_WINDOW_EXITING;
		}
	}
	if (controls != vcpu->proc_based) {
		vcpu->proc_based = controls;
		vmcs_write(CPU_BASED_VM_EXEC_CONTROL, controls);
	}
}

static void read_exit(struct shadowvmm_vcpu *vcpu, struct shadowvmm_exit *exit)
{
	exit->reason = vmcs_read(VM_EXIT_REASON);
	exit->qualification = vmcs_read(EXIT_QUALIFICATION);
	exit->intr_info = vmcs_read(VM_EXIT_INTR_INFO);
	exit->intr_error_code = exit->intr_info & INTR_INFO_DELIVER_CODE_MASK ?
				vmcs_read(VM_EXIT_INTR_ERROR_CODE) : 0;
	exit->insn_len = vmcs_read(VM_EXIT_INSTRUCTION_LEN);
	exit->idt_vectoring_info = vmcs_read(IDT_VECTORING_INFO_FIELD);
	exit->idt_vectoring_error_code =
		exit->idt_vectoring_info & VECTORING_INFO_DELIVER_CODE_MASK ?
		vmcs_read(IDT_VECTORING_ERROR_CODE) : 0;
	vcpu->cs_ar = vmcs_read(GUEST_CS_AR_BYTES);
	vcpu->rip = vmcs_read(GUEST_RIP);
	vcpu->rsp = vmcs_read(GUEST_RSP);
	vcpu->rflags = vmcs_read(GUEST_RFLAGS);
	/* Delivering a #DB in the guest cleared GD. */
	if (vcpu->dr7 & VCPU_DR7_GD)
		vcpu->dr7 = vmcs_read(GUEST_DR7);
}

/*
 * The guest's debug registers, which VMX does not switch but for DR7:
 * its DR0-DR3 where its DR7 enables a breakpoint (with the host's DR7
 * off meanwhile, as KVM does), and its DR6 unless it holds the value the
 * host leaves there. Context: interrupts off until put_debug_regs().
 */
static void load_debug_regs(const struct shadowvmm_vcpu *vcpu)
{
	if (vcpu->dr7 & (DR_LOCAL_ENABLE_MASK | DR_GLOBAL_ENABLE_MASK)) {
		set_debugreg(0, 7);
		set_debugreg(vcpu->db[0], 0);
		set_debugreg(vcpu->db[1], 1);
		set_debugreg(vcpu->db[2], 2);
		set_debugreg(vcpu->db[3], 3);
	}
	if (vcpu->dr6 != DR6_RESERVED)
		set_debugreg(vcpu->dr6, 6);
}

/*
 * A #DB in the guest (a breakpoint, a single step) set bits of DR6
 * without an exit: keep them for the guest, and give the host back the
 * DR6 it expects. restore_host_state() reloads the host's breakpoints.
 */
static void put_debug_regs(struct shadowvmm_vcpu *vcpu)
{
	unsigned long dr6;

	get_debugreg(dr6, 6);
	vcpu->dr6 = dr6;
	if (dr6 != DR6_RESERVED)
		set_debugreg(DR6_RESERVED, 6);
}

/*
 * A fault in the guest's IRET from an NMI handler unblocked NMIs before
 * it exited; the IRET runs again after the exit, so blocking must be
 * back meanwhile (SDM 27.2.3), or a pending NMI would nest in the handler.
 */
static void recover_nmi_blocking(const struct shadowvmm_exit *exit)
{
	u8 vector = exit->intr_info & INTR_INFO_VECTOR_MASK;

	if (!shadowvmm_vmx.virtual_nmis ||
	    shadowvmm_exit_basic(exit->reason) != EXIT_REASON_EXCEPTION_NMI ||
	    !(exit->intr_info & INTR_INFO_UNBLOCK_NMI) || vector == X86_TRAP_DF)
		return;
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO,
		   vmcs_read(GUEST_INTERRUPTIBILITY_INFO) |
		   GUEST_INTR_STATE_NMI);
}

static bool exit_is_nmi(const struct shadowvmm_exit *exit)
{
	return shadowvmm_exit_basic(exit->reason) == EXIT_REASON_EXCEPTION_NMI &&
	       (exit->intr_info & INTR_INFO_VALID_MASK) &&
	       (exit->intr_info & INTR_INFO_INTR_TYPE_MASK) ==
	       INTR_TYPE_NMI_INTR;
}

/* One guest entry and its exit. Context: preemption off, VMCS current. */
static u32 enter_guest(struct shadowvmm_vcpu *vcpu,
		       const struct shadowvmm_vm *vm,
		       const struct host_state *host)
{
	struct shadowvmm_exit exit;
	u64 entered, exited, handling;
	u32 stop;
	int failed;

	if (vcpu->mmu.reload && shadowvmm_paging_reload(vcpu)) {
		vcpu->need_topup = true;
		return SHADOWVMM_STOP_NONE;
	}

	local_irq_disable();
	/*
	 * Pairs with the smp_mb() in shadowvmm_vcpu_request_stop(): a stop
	 * not seen below sends an IPI that makes this entry exit. An APIC
	 * timer expiry not seen by inject_apic_events() is an interrupt on
	 * this CPU, pending until the entry, which then exits.
	 */
	smp_store_mb(vcpu->mode, VCPU_IN_GUEST);
	if (atomic_read(&vcpu->stop_request) || need_resched()) {
		WRITE_ONCE(vcpu->mode, VCPU_OUTSIDE_GUEST);
		local_irq_enable();
		return SHADOWVMM_STOP_NONE;
	}
	inject_apic_events(vcpu);
	sync_to_vmcs(vcpu);
	if (shadowvmm_vmx.preemption_timer)
		vmcs_write(VMX_PREEMPTION_TIMER_VALUE,
			   shadowvmm_vmx.preemption_timer);
	/* CR2 is not switched by VMX; the guest must not see the host's. */
	if (native_read_cr2() != vcpu->cr2)
		native_write_cr2(vcpu->cr2);
	load_debug_regs(vcpu);
	trace_shadowvmm_entry(vm->id, vcpu->rip);
	entered = rdtsc();
	failed = shadowvmm_vmx_run(&vcpu->regs, vcpu->vmcs.launched);
	exited = rdtsc();
	WRITE_ONCE(vcpu->mode, VCPU_OUTSIDE_GUEST);
	vcpu->cr2 = native_read_cr2();
	put_debug_regs(vcpu);
	restore_host_state(host);
	if (!failed) {
		if (!vcpu->vmcs.launched)
			shadowvmm_stat_add(&vcpu->vm->stats,
					   SHADOWVMM_STAT_VMLAUNCHES, 1);
		vcpu->vmcs.launched = true;
		read_exit(vcpu, &exit);
		/*
		 * An NMI that arrived in the guest belongs to the host: hand
		 * it to the host's handler before interrupts come back on.
		 */
		if (exit_is_nmi(&exit))
			asm volatile("int $2");
		else
			recover_nmi_blocking(&exit);
	}
	local_irq_enable();

	if (failed) {
		vcpu->stop.reason = SHADOWVMM_STOP_ENTRY_FAILED;
		vcpu->stop.exit_reason = vmcs_read(VM_INSTRUCTION_ERROR);
		vcpu->stop.rip = vcpu->rip;
		return SHADOWVMM_STOP_ENTRY_FAILED;
	}
	trace_shadowvmm_exit(vm->id, exit.reason, exit.qualification, vcpu->rip,
			     exit.intr_info, exit.intr_error_code);
	shadowvmm_stat_count_exit(&vcpu->vm->stats, exit.reason);
	shadowvmm_stat_add(&vcpu->vm->stats, SHADOWVMM_STAT_GUEST_CYCLES,
			   exited - entered);
	handling = rdtsc();
	stop = shadowvmm_handle_exit(vcpu, &exit);
	shadowvmm_stat_exit_cycles(&vcpu->vm->stats, exit.reason,
				   rdtsc() - handling);
	return stop;
}

static void fpu_load_guest(struct shadowvmm_vcpu *vcpu)
{
	asm volatile("fxrstorq %0" : : "m" (*vcpu->fpu));
}

static void fpu_save_guest(struct shadowvmm_vcpu *vcpu)
{
	asm volatile("fxsaveq %0" : "=m" (*vcpu->fpu));
}

static bool burst_over(struct shadowvmm_vcpu *vcpu, unsigned long deadline)
{
	return atomic_read(&vcpu->stop_request) || kthread_should_stop() ||
	       need_resched() || time_after(jiffies, deadline) ||
	       vcpu->need_topup || vcpu->halted;
}

static u32 run_burst(struct shadowvmm_vcpu *vcpu)
{
	struct shadowvmm_vm *vm = vcpu->vm;
	unsigned long deadline = jiffies + 1;
	u32 reason = SHADOWVMM_STOP_NONE;
	struct host_state host;
	int moved;

	preempt_disable();
	/* This CPU is coming up or going down: try again elsewhere. */
	if (!shadowvmm_vmx_on_this_cpu()) {
		preempt_enable();
		schedule_timeout_uninterruptible(1);
		return SHADOWVMM_STOP_NONE;
	}
	moved = shadowvmm_loaded_vmcs_make_current(&vcpu->vmcs);
	if (moved < 0) {
		preempt_enable();
		vcpu->stop.reason = SHADOWVMM_STOP_ENTRY_FAILED;
		return SHADOWVMM_STOP_ENTRY_FAILED;
	}
	WRITE_ONCE(vcpu->cpu, smp_processor_id());
	if (!vcpu->vmcs_ready) {
		setup_controls(vcpu);
		setup_guest_state(vcpu);
		vcpu->dirty |= VCPU_DIRTY_CR | VCPU_DIRTY_SYSENTER |
			       VCPU_DIRTY_PAGING | VCPU_DIRTY_ROOT;
		vcpu->vmcs_ready = true;
	}
	if (moved) {
		write_host_cpu_state();
		/* Its interrupt must come where the guest runs, to stop it. */
		shadowvmm_lapic_follow_cpu(&vcpu->apic);
		shadowvmm_stat_add(&vm->stats, SHADOWVMM_STAT_VMCS_MOVES, 1);
	}
	write_host_task_state(vcpu, moved);
	host.debugctl = get_debugctlmsr();
	shadowvmm_stat_add(&vm->stats, SHADOWVMM_STAT_BURSTS, 1);

	kernel_fpu_begin_mask(0);
	fpu_load_guest(vcpu);
	/* SWAPGS in a 64-bit guest swaps with the live MSR: give it its own. */
	rdmsrl(MSR_KERNEL_GS_BASE, host.kernel_gs_base);
	wrmsrl(MSR_KERNEL_GS_BASE, vcpu->kernel_gs_base);
	/* So do SYSCALL and SYSRET, with STAR, LSTAR, CSTAR and SFMASK. */
	shadowvmm_syscall_msrs_load(vcpu, &host.syscall);
	while (reason == SHADOWVMM_STOP_NONE && !burst_over(vcpu, deadline))
		reason = enter_guest(vcpu, vm, &host);
	shadowvmm_syscall_msrs_put(vcpu, &host.syscall);
	rdmsrl(MSR_KERNEL_GS_BASE, vcpu->kernel_gs_base);
	wrmsrl(MSR_KERNEL_GS_BASE, host.kernel_gs_base);
	fpu_save_guest(vcpu);
	kernel_fpu_end();

	/* VM exit left the GDT limit at 0xffff; put the real one back. */
	load_fixmap_gdt(smp_processor_id());
	WRITE_ONCE(vcpu->cpu, -1);
	preempt_enable();
	return reason;
}

/*
 * A guest HLT with interrupts on: sleep, off any CPU, until the APIC has
 * something the guest can take or someone wants the vCPU to stop.
 * TASK_IDLE: a halted guest is no load on the host.
 */
static bool halt_over(struct shadowvmm_vcpu *vcpu)
{
	shadowvmm_lapic_sync_timer(&vcpu->apic);
	shadowvmm_devices_sync(vcpu);
	return shadowvmm_lapic_has_event(&vcpu->apic) ||
	       atomic_read(&vcpu->stop_request) || kthread_should_stop() ||
	       READ_ONCE(shadowvmm_rebooting);
}

static void wait_while_halted(struct shadowvmm_vcpu *vcpu)
{
	wait_event_idle(vcpu->wait, halt_over(vcpu));
	vcpu->halted = false;
	shadowvmm_stat_add(&vcpu->vm->stats, SHADOWVMM_STAT_HALT_WAKEUP, 1);
}

static u32 run(struct shadowvmm_vcpu *vcpu)
{
	u32 reason;

	for (;;) {
		reason = atomic_read(&vcpu->stop_request);
		if (!reason && (kthread_should_stop() ||
				READ_ONCE(shadowvmm_rebooting)))
			reason = SHADOWVMM_STOP_HOST;
		if (reason) {
			vcpu->stop.reason = reason;
			vcpu->stop.rip = vcpu->rip;
			return reason;
		}
		reason = run_burst(vcpu);
		if (reason)
			return reason;
		if (vcpu->halted)
			wait_while_halted(vcpu);
		/*
		 * Refill the MMU's stock after every burst, not only when a
		 * fault found it short: a fault that must wait for it costs
		 * the guest an exit more.
		 */
		if (shadowvmm_mmu_topup(&vcpu->mmu)) {
			vcpu->stop.reason = SHADOWVMM_STOP_NO_MEMORY;
			vcpu->stop.rip = vcpu->rip;
			return SHADOWVMM_STOP_NO_MEMORY;
		}
		vcpu->need_topup = false;
		cond_resched();
	}
}

/**
 * shadowvmm_vcpu_run() - run the guest until it stops
 * @vcpu: the vCPU, owned by the calling kernel thread
 *
 * Return: the stop reason; details are in @vcpu->stop.
 */
u32 shadowvmm_vcpu_run(struct shadowvmm_vcpu *vcpu)
{
	u32 reason;

	spin_lock(&running_lock);
	list_add(&vcpu->running, &running_vcpus);
	spin_unlock(&running_lock);
	reason = run(vcpu);
	/* A stopped VM's timer has no one to interrupt. */
	shadowvmm_lapic_stop_timer(&vcpu->apic);
	spin_lock(&running_lock);
	list_del(&vcpu->running);
	spin_unlock(&running_lock);
	wake_up_all(&running_wait);
	return reason;
}

static void kick(void *unused)
{
	/* The IPI itself did the work: it forced a VM exit. */
}

/**
 * shadowvmm_vcpu_request_stop() - ask a running vCPU to stop
 * @vcpu: the vCPU
 * @reason: the stop reason to record; the first request wins
 *
 * Context: process context. Returns at once; the vCPU stops at its next
 * exit, which the IPI sent here forces if it is in the guest.
 */
void shadowvmm_vcpu_request_stop(struct shadowvmm_vcpu *vcpu, u32 reason)
{
	atomic_cmpxchg(&vcpu->stop_request, 0, reason);
	shadowvmm_vcpu_kick(vcpu);
}

/**
 * shadowvmm_vcpu_kick() - make a vCPU look at its requests and devices
 * @vcpu: the vCPU
 *
 * Context: process context, after the caller made its request visible.
 * A vCPU in the guest exits (an IPI forces it), one halted wakes; either
 * way it syncs its devices before it enters again.
 */
void shadowvmm_vcpu_kick(struct shadowvmm_vcpu *vcpu)
{
	int cpu;

	wake_up(&vcpu->wait);		/* out of a guest HLT */
	/* Pairs with the smp_store_mb() in enter_guest(). */
	smp_mb();
	if (READ_ONCE(vcpu->mode) != VCPU_IN_GUEST)
		return;
	/* run_burst() sets cpu before mode and clears it after. */
	smp_rmb();
	cpu = READ_ONCE(vcpu->cpu);
	if (cpu >= 0)
		smp_call_function_single(cpu, kick, NULL, 0);
}

/**
 * shadowvmm_vcpu_stop_all() - stop every running vCPU, for reboot
 * @timeout: how long to wait for them, in jiffies
 *
 * Context: process context; shadowvmm_rebooting is set, so no vCPU enters
 * the guest again once it has seen the request.
 * Return: true when every vCPU left its run loop in time.
 */
bool shadowvmm_vcpu_stop_all(unsigned long timeout)
{
	struct shadowvmm_vcpu *vcpu;

	spin_lock(&running_lock);
	list_for_each_entry(vcpu, &running_vcpus, running)
		shadowvmm_vcpu_request_stop(vcpu, SHADOWVMM_STOP_HOST);
	spin_unlock(&running_lock);
	return wait_event_timeout(running_wait, list_empty_careful(&running_vcpus),
				  timeout);
}

