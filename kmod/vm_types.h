/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VM and its vCPU: the state every layer works on, as KVM's kvm_host.h
 * holds struct kvm and struct kvm_vcpu. It has no functions of its own but
 * for a few that only read or record state; each layer's header declares
 * what that layer does to it, so calls run one way: netlink, vm, vcpu,
 * exit, then paging, pf and the devices, then the MMU.
 */
#ifndef SHADOWVMM_VM_TYPES_H
#define SHADOWVMM_VM_TYPES_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/shadowvmm.h>
#include <asm/fpu/types.h>
#include <asm/msr-index.h>
#include <asm/page.h>
#include "boot.h"
#include "console.h"
#include "dev/lapic.h"
#include "dev/devices.h"
#include "emulate.h"
#include "gmem.h"
#include "mmu/mmu.h"
#include "stats.h"
#include "vmx.h"

/* The MTRRs the CPU has: eleven fixed-range ones and eight ranges. */
#define SHADOWVMM_MTRR_FIXED	11
#define SHADOWVMM_MTRR_VAR	8

/* General-purpose registers in the VMX encoding order (RSP lives in the VMCS). */
enum shadowvmm_reg {
	VCPU_RAX, VCPU_RCX, VCPU_RDX, VCPU_RBX,
	VCPU_RSP, VCPU_RBP, VCPU_RSI, VCPU_RDI,
	VCPU_NR_REGS = 16
};

struct shadowvmm_regs {
	unsigned long gpr[VCPU_NR_REGS];
};

/* One VM exit, decoded from the VMCS so handlers never touch it. */
struct shadowvmm_exit {
	u32 reason;
	u64 qualification;
	u32 intr_info;
	u32 intr_error_code;
	u32 insn_len;
	/* An event whose delivery the exit interrupted, if valid. */
	u32 idt_vectoring_info;
	u32 idt_vectoring_error_code;
};

/* Why a VM stopped, for VM_GET and the exit event. */
struct shadowvmm_stop {
	u32 reason;		/* enum shadowvmm_stop_reason */
	u32 exit_status;
	u32 exit_reason;
	u64 qualification;
	u64 rip;
	u64 guest_addr;
};

/* An event to deliver to the guest at the next entry. */
struct shadowvmm_event {
	bool pending;
	bool has_error_code;
	u8 vector;
	u32 type;		/* INTR_TYPE_* */
	u32 error_code;
	u32 insn_len;		/* software interrupts and exceptions */
};

/*
 * IN_GUEST from just before VM entry, with interrupts off, to just after
 * the exit: a stop requested then needs an IPI to take effect.
 */
enum shadowvmm_vcpu_mode {
	VCPU_OUTSIDE_GUEST,
	VCPU_IN_GUEST,
};

/* CS as both boot protocols leave it: flat 32-bit code (G, D, P, DPL 0). */
#define VCPU_BOOT_CODE_AR	0xc09b

/* State handlers changed that must reach the VMCS before the next entry. */
#define VCPU_DIRTY_CR		BIT(0)
#define VCPU_DIRTY_SYSENTER	BIT(1)
#define VCPU_DIRTY_INTR_SHADOW	BIT(2)
#define VCPU_DIRTY_PAGING	BIT(3)	/* EFER, IA-32e mode, #PF exits */
#define VCPU_DIRTY_DR7		BIT(4)
#define VCPU_DIRTY_ROOT		BIT(5)	/* the shadow root */

/* DR6 and DR7 as a CPU without RTM or bus-lock detection keeps them. */
#define VCPU_DR6_FIXED_1	0xffff0ff0UL	/* reads as one */
#define VCPU_DR6_VOLATILE	0x0000e00fUL	/* B0-B3, BD, BS, BT */
#define VCPU_DR7_FIXED_1	0x00000400UL
#define VCPU_DR7_VOLATILE	0xffff23ffUL	/* enables, LE, GE, GD, RW/LEN */
#define VCPU_DR6_B0_B3		0xfUL		/* #DB: these breakpoints hit */
#define VCPU_DR6_BD		BIT(13)		/* #DB: DR7.GD stopped a MOV DR */
#define VCPU_DR7_GD		BIT(13)		/* general detect */

struct shadowvmm_vcpu {
	struct shadowvmm_vm *vm;
	struct shadowvmm_loaded_vmcs vmcs;
	struct shadowvmm_regs regs;
	unsigned long rip, rsp, rflags;

	/* The guest's view: what MOV from CRn and RDMSR return (CR8: TPR). */
	unsigned long cr0, cr2, cr3, cr4;
	u64 efer, pat;
	u64 pdpte[4];		/* PAE: loaded with CR3, as the CPU does */
	u64 kernel_gs_base;	/* what SWAPGS swaps with; live in a burst */
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u64 star, lstar, cstar, sfmask;	/* SYSCALL's; live while loaded */
	bool syscall_msrs_loaded;
	u64 misc_enable;
	struct {
		u64 def_type;
		u64 fixed[SHADOWVMM_MTRR_FIXED];
		u64 var[2 * SHADOWVMM_MTRR_VAR];	/* base, mask, ... */
	} mtrr;
	/*
	 * Debug registers: DR7 also in the VMCS, DR0-DR3 and DR6 in the CPU
	 * from just before entry to just after the exit (run.c).
	 */
	unsigned long db[4], dr6, dr7;

	/* What the hardware runs the guest with. */
	unsigned long hw_cr0, hw_cr4;
	u64 hw_efer;
	/*
	 * The #PF error-code bits that make a fault exit (any of them set),
	 * with #PF out of the exception bitmap; 0: every #PF exits.
	 */
	u32 hw_pf_exit_bits;
	u32 cs_ar;		/* CS access rights as of the last exit */
	u8 maxphyaddr;		/* what CPUID tells the guest */

	u32 dirty;
	u32 proc_based;		/* the controls as in the VMCS: window exits */
	struct shadowvmm_event event;
	struct shadowvmm_stop stop;

	bool vmcs_ready;	/* guest state and controls written */
	/* Host state that may change between bursts on one CPU. */
	unsigned long host_cr3, host_cr4, host_fs_base;
	int cpu;		/* the CPU running a burst, or -1 */
	int mode;		/* enum shadowvmm_vcpu_mode, for the kick */
	atomic_t stop_request;	/* a stop reason, or 0 */
	struct list_head running;	/* on the running list during run */
	/*
	 * HLT with interrupts on: the thread sleeps on @wait until the APIC
	 * has something for it.
	 */
	bool halted;
	wait_queue_head_t wait;
	struct shadowvmm_lapic apic;
	bool need_topup;	/* the MMU's stock ran out mid-burst */
	/* The last store we could not emulate, to catch one that never lands. */
	struct {
		u64 rip, gfn;
		u64 exits;		/* the exit count then */
		unsigned int repeats;
	} unprotected;

	struct fxregs_state *fpu;
	struct shadowvmm_mmu mmu;
};

struct shadowvmm_vm {
	u32 id;
	/* Never given to another VM while the module is loaded, unlike @id. */
	u64 serial;
	struct kref ref;
	/* Serialises control operations and guards state, boot and stop. */
	struct mutex lock;
	enum shadowvmm_vm_state state;

	struct shadowvmm_gmem gmem;
	u32 mmu_pages_max;	/* cap on the shadow MMU's pages */
	bool boot_set;
	bool dead;		/* destroyed: no more starts */
	struct shadowvmm_boot boot;

	struct shadowvmm_vcpu vcpu;
	struct task_struct *thread;
	struct completion stopped;

	struct shadowvmm_console console;
	struct shadowvmm_devices dev;
	struct shadowvmm_stats stats;
};

/* Module parameters (main.c): the limits a user sees and sets. */
extern unsigned int shadowvmm_max_mem_mb;
extern unsigned int shadowvmm_max_vms;
extern unsigned int shadowvmm_mmu_pages_max;
extern bool shadowvmm_mmu_unsync;

/**
 * shadowvmm_vcpu_in_64bit_code() - is the guest running 64-bit code?
 * @vcpu: the vCPU, with CS as of the last exit
 *
 * Return: true in long mode with CS.L set; compatibility mode is false.
 */
static inline bool shadowvmm_vcpu_in_64bit_code(const struct shadowvmm_vcpu *vcpu)
{
	return (vcpu->efer & EFER_LMA) && (vcpu->cs_ar & VMX_AR_L_MASK);
}

/**
 * shadowvmm_vcpu_cpl() - the privilege level of the code that exited
 * @vcpu: the vCPU, as of its last exit
 *
 * Return: 0 to 3, CS's DPL (its RPL may differ only in real mode).
 */
static inline unsigned int shadowvmm_vcpu_cpl(const struct shadowvmm_vcpu *vcpu)
{
	return VMX_AR_DPL(vcpu->cs_ar);
}

#endif
