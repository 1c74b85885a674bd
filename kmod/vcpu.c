// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU's life outside the run loop (run.c): what it is made of, and the
 * state it starts in. Nothing here touches VMX but through the loaded
 * VMCS's own functions, so KUnit builds a real vCPU from this file.
 */
#include <linux/slab.h>
#include <asm/processor-flags.h>
#include <asm/tsc.h>
#include "cpuid.h"
#include "msr.h"
#include "paging.h"
#include "trace.h"
#include "vcpu.h"

#define FCW_INIT	0x37f
#define MXCSR_INIT	0x1f80

/*
 * The APIC timer expired, in hard-interrupt context. It is queued on the
 * CPU the vCPU runs on (run_burst() moves it along), so a vCPU in the
 * guest has already left it for this interrupt and sees the expiry before
 * it enters again; a halted one must be woken.
 */
static void apic_kick(struct shadowvmm_lapic *apic)
{
	struct shadowvmm_vcpu *vcpu = container_of(apic, struct shadowvmm_vcpu,
						   apic);

	trace_shadowvmm_apic_timer(vcpu->vm->id, READ_ONCE(apic->timer_mode));
	wake_up(&vcpu->wait);
}

/**
 * shadowvmm_vcpu_reset_state() - the state a boot loader hands a kernel
 * @vcpu: the vCPU
 * @regs: EIP, EAX and EBX for the boot protocol
 *
 * Multiboot and PVH agree on the rest: 32-bit protected mode, paging off,
 * flat segments, interrupts off.
 */
void shadowvmm_vcpu_reset_state(struct shadowvmm_vcpu *vcpu,
				const struct shadowvmm_boot_regs *regs)
{
	memset(&vcpu->regs, 0, sizeof(vcpu->regs));
	vcpu->regs.gpr[VCPU_RAX] = regs->eax;
	vcpu->regs.gpr[VCPU_RBX] = regs->ebx;
	vcpu->rip = regs->eip;
	vcpu->rsp = 0;
	vcpu->rflags = X86_EFLAGS_FIXED;
	vcpu->cs_ar = VCPU_BOOT_CODE_AR;
	vcpu->cr2 = 0;
	shadowvmm_msr_reset(vcpu);
	memset(vcpu->db, 0, sizeof(vcpu->db));
	vcpu->dr6 = VCPU_DR6_FIXED_1;
	vcpu->dr7 = VCPU_DR7_FIXED_1;
	shadowvmm_paging_reset(vcpu);
	shadowvmm_lapic_reset(&vcpu->apic);
	vcpu->halted = false;
	vcpu->event = (struct shadowvmm_event){};
	vcpu->stop = (struct shadowvmm_stop){};
	vcpu->dirty = 0;
}

int shadowvmm_vcpu_init(struct shadowvmm_vcpu *vcpu, struct shadowvmm_vm *vm,
			const struct shadowvmm_boot_regs *regs)
{
	int err;

	vcpu->vm = vm;
	vcpu->cpu = -1;
	vcpu->mode = VCPU_OUTSIDE_GUEST;
	atomic_set(&vcpu->stop_request, 0);
	init_waitqueue_head(&vcpu->wait);
	shadowvmm_lapic_init(&vcpu->apic, tsc_khz, apic_kick);
	/* kmalloc aligns power-of-two sizes, as FXSAVE's 16 bytes need. */
	vcpu->fpu = kzalloc(sizeof(*vcpu->fpu), GFP_KERNEL_ACCOUNT);
	if (shadowvmm_loaded_vmcs_init(&vcpu->vmcs) || !vcpu->fpu) {
		err = -ENOMEM;
		goto fail;
	}
	vcpu->fpu->cwd = FCW_INIT;
	vcpu->fpu->mxcsr = MXCSR_INIT;

	vcpu->maxphyaddr = shadowvmm_cpuid_maxphyaddr();
	vcpu->mmu.vm_id = vm->id;
	err = shadowvmm_mmu_init(&vcpu->mmu, &vm->gmem, &vm->stats,
				 vm->mmu_pages_max);
	if (err)
		goto fail;
	vcpu->mmu.mmio_gfn[0] = SHADOWVMM_LAPIC_BASE >> PAGE_SHIFT;
	vcpu->mmu.mmio_gfn[1] = SHADOWVMM_IOAPIC_BASE >> PAGE_SHIFT;
	vcpu->mmu.allow_unsync = READ_ONCE(shadowvmm_mmu_unsync);
	shadowvmm_vcpu_reset_state(vcpu, regs);
	return 0;

fail:
	shadowvmm_vcpu_destroy(vcpu);
	return err;
}

/* Context: the vCPU thread has exited; its VMCS may still be active. */
void shadowvmm_vcpu_destroy(struct shadowvmm_vcpu *vcpu)
{
	/* Its callback may still run: let it finish before the memory goes. */
	if (vcpu->apic.kick) {
		shadowvmm_lapic_stop_timer(&vcpu->apic);
		vcpu->apic.kick = NULL;
	}
	shadowvmm_mmu_destroy(&vcpu->mmu);
	kfree(vcpu->fpu);
	vcpu->fpu = NULL;
	shadowvmm_loaded_vmcs_free(&vcpu->vmcs);
}
