// SPDX-License-Identifier: GPL-2.0
/*
 * The #PF exit: the shadow MMU decides whether the fault is the guest's
 * own (inject it), a shadow entry still missing (filled, retry), a store
 * to a guest page table or to unbacked memory, or any access to the local
 * APIC's page; those last ones are carried out here with the emulator.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/ktime.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>
#include "dev/pio.h"
#include "emulate.h"
#include "event.h"
#include "gmem.h"
#include "linear.h"
#include "paging.h"
#include "pf.h"
#include "trace.h"
#include "vm_types.h"

/*
 * The same store failing to land this often, with no more exits between
 * two tries than the refault that rebuilt the shadow, is a livelock.
 */
#define UNPROTECT_RETRIES	4
#define UNPROTECT_LOOP_EXITS	4

struct access_ctx {
	struct shadowvmm_vcpu *vcpu;
	u64 gva;		/* where the fault said the access goes */
	u64 gpa;		/* and where that is */
	/* A device register's access, for one trace event per instruction. */
	const struct reg_dev *dev;
	bool taken, wrote;
	u32 reg;
};

static u64 store_seg_base(void *ctx, enum shadowvmm_seg seg)
{
	return shadowvmm_vmcs_seg_base(seg);
}

static int store_read(void *ctx, u64 gva, void *val, unsigned int size)
{
	struct access_ctx *store = ctx;
	struct shadowvmm_gmem *gmem = &store->vcpu->vm->gmem;

	if (gva != store->gva || offset_in_page(gva) + size > PAGE_SIZE)
		return -EINVAL;
	if (shadowvmm_gmem_range_ok(gmem, store->gpa, size))
		memcpy(val, gmem->ram + store->gpa, size);
	else
		memset(val, 0xff, size);
	return 0;
}

/*
 * The store itself: into guest RAM, then into every shadow of the entries
 * it changed. A store to unbacked memory goes nowhere, as on a PC.
 */
static int store_write(void *ctx, u64 gva, const void *old, const void *val,
		       unsigned int size)
{
	struct access_ctx *store = ctx;
	struct shadowvmm_gmem *gmem = &store->vcpu->vm->gmem;
	u64 gpa = (store->gpa & PAGE_MASK) | offset_in_page(gva);
	void *dst;

	/* A string store's later elements land elsewhere in the same page. */
	if ((gva ^ store->gva) & PAGE_MASK ||
	    offset_in_page(gva) + size > PAGE_SIZE)
		return -EINVAL;
	if (!shadowvmm_gmem_range_ok(gmem, gpa, size))
		return 0;
	dst = gmem->ram + gpa;
	if (old && memcmp(dst, old, size))
		return -EAGAIN;
	memcpy(dst, val, size);
	shadowvmm_mmu_pte_write(&store->vcpu->mmu, gpa, size);
	return 0;
}

/*
 * A page of device registers, 32 bits wide at 16-byte strides: the local
 * APIC's, and the I/O APIC's two. A narrower access reads part of one (as
 * KVM allows), a wider or straddling one reads zeros and writes nothing:
 * the SDM leaves them undefined.
 */
struct reg_dev {
	u32 (*read)(struct shadowvmm_vcpu *vcpu, u32 offset);
	void (*write)(struct shadowvmm_vcpu *vcpu, u32 offset, u32 val);
	bool traced;	/* one shadowvmm_apic event per instruction */
};

static u32 lapic_reg_read(struct shadowvmm_vcpu *vcpu, u32 offset)
{
	return shadowvmm_lapic_read(&vcpu->apic, offset, ktime_get_ns());
}

static void lapic_reg_write(struct shadowvmm_vcpu *vcpu, u32 offset, u32 val)
{
	shadowvmm_lapic_write(&vcpu->apic, offset, val, ktime_get_ns());
}

static u32 ioapic_reg_read(struct shadowvmm_vcpu *vcpu, u32 offset)
{
	return shadowvmm_ioapic_read(&vcpu->vm->dev.ioapic, offset);
}

static void ioapic_reg_write(struct shadowvmm_vcpu *vcpu, u32 offset, u32 val)
{
	shadowvmm_ioapic_write(&vcpu->vm->dev.ioapic, offset, val);
	/* An unmasked pin whose line is up takes its edge now. */
	shadowvmm_devices_sync(vcpu);
}

static const struct reg_dev lapic_dev = {
	lapic_reg_read, lapic_reg_write, true
};

static const struct reg_dev ioapic_dev = {
	ioapic_reg_read, ioapic_reg_write, false
};

static bool reg_access_ok(u64 offset, unsigned int size)
{
	return size <= 4 && (offset & 15) + size <= 4;
}

static int reg_read(void *ctx, u64 gva, void *val, unsigned int size)
{
	struct access_ctx *mmio = ctx;
	u64 offset = offset_in_page(mmio->gpa);
	u32 reg;

	if (gva != mmio->gva)
		return -EINVAL;
	memset(val, 0, size);
	if (!reg_access_ok(offset, size))
		return 0;
	reg = mmio->dev->read(mmio->vcpu, offset & ~15ULL);
	mmio->taken = true;
	mmio->reg = reg;
	reg >>= (offset & 3) * 8;
	memcpy(val, &reg, size);
	return 0;
}

/* No compare: the device belongs to this vCPU alone, nothing races. */
static int reg_write(void *ctx, u64 gva, const void *old, const void *val,
		     unsigned int size)
{
	struct access_ctx *mmio = ctx;
	u64 offset = offset_in_page(mmio->gpa);
	u32 reg;

	if (gva != mmio->gva)
		return -EINVAL;
	/* Only whole registers are written: the read it made is no access. */
	if (size != 4 || (offset & 15)) {
		mmio->taken = false;
		return 0;
	}
	memcpy(&reg, val, 4);
	mmio->taken = true;
	mmio->wrote = true;
	mmio->reg = reg;
	mmio->dev->write(mmio->vcpu, offset, reg);
	return 0;
}

/*
 * Carry out the instruction at RIP whose access faulted at @gva (@gpa):
 * a one-operand load or store, or with @string a STOS into the page.
 */
static int emulate(struct shadowvmm_vcpu *vcpu, u64 gva, u64 gpa, bool mmio,
		   bool string)
{
	struct access_ctx store = { .vcpu = vcpu, .gva = gva, .gpa = gpa };
	u8 insn[SHADOWVMM_MAX_INSN_LEN];
	struct shadowvmm_emulate em = {
		.mode = shadowvmm_vcpu_cpu_mode(vcpu),
		.insn = insn,
		.gpr = vcpu->regs.gpr,
		.rflags = &vcpu->rflags,
		.rip = vcpu->rip,
	};
	const struct shadowvmm_emulate_ops ops = {
		.seg_base = store_seg_base,
		.read = mmio ? reg_read : store_read,
		.write = mmio ? reg_write : store_write,
		.ctx = &store,
	};
	int err;

	if (mmio)
		store.dev = gpa >> PAGE_SHIFT == SHADOWVMM_IOAPIC_BASE >> PAGE_SHIFT ?
			    &ioapic_dev : &lapic_dev;
	em.insn_avail = shadowvmm_fetch_insn(vcpu, insn);
	if (!em.insn_avail)
		return -EFAULT;

	vcpu->regs.gpr[VCPU_RSP] = vcpu->rsp;
	err = shadowvmm_emulate_access(&em, &ops);
	if (err == -EOPNOTSUPP && string)
		err = shadowvmm_emulate_stos(&em, &ops);
	vcpu->rsp = vcpu->regs.gpr[VCPU_RSP];
	if (err)
		return err;
	vcpu->rip += em.insn_len;
	if (em.mode != SHADOWVMM_MODE_64)
		vcpu->rip = (u32)vcpu->rip;
	vcpu->dirty |= VCPU_DIRTY_INTR_SHADOW;
	/* A store reads first: one event says what the instruction did. */
	if (store.taken && store.dev->traced)
		trace_shadowvmm_apic(vcpu->vm->id, offset_in_page(gpa),
				     store.wrote, store.reg);
	return 0;
}

/*
 * A store we could not emulate: stop shadowing the frame and let the
 * guest run the instruction itself, as KVM does (a kernel clearing a
 * recycled table with REP STOS costs one exit so). If the guest needs
 * that very frame shadowed to get there (a table that maps itself, or
 * the live top-level table Linux's first stage clears with REP STOSL),
 * retrying can never succeed: then a STOS is emulated in place, a page
 * at a time, and anything else stops the VM instead of spinning. The
 * same instruction meeting the same frame again later (a page clear of
 * a recycled table) is progress, told apart by the exits in between.
 */
static u32 unprotect_and_retry(struct shadowvmm_vcpu *vcpu,
			       const struct shadowvmm_exit *exit, u64 gva,
			       u64 gpa)
{
	u64 exits = READ_ONCE(vcpu->vm->stats.counter[SHADOWVMM_STAT_EXITS]);
	u64 gfn = gpa >> PAGE_SHIFT;

	if (vcpu->unprotected.rip == vcpu->rip &&
	    vcpu->unprotected.gfn == gfn &&
	    exits - vcpu->unprotected.exits <= UNPROTECT_LOOP_EXITS) {
		if (++vcpu->unprotected.repeats >= UNPROTECT_RETRIES) {
			vcpu->unprotected.repeats = 0;
			if (!(exit->idt_vectoring_info & INTR_INFO_VALID_MASK) &&
			    !emulate(vcpu, gva, gpa, false, true)) {
				shadowvmm_stat_add(&vcpu->vm->stats,
						   SHADOWVMM_STAT_PF_EMULATED, 1);
				return SHADOWVMM_STOP_NONE;
			}
			vcpu->stop.guest_addr = exit->qualification;
			return shadowvmm_stop_vcpu(vcpu, exit,
						   SHADOWVMM_STOP_UNHANDLED_EXIT);
		}
	} else {
		vcpu->unprotected.rip = vcpu->rip;
		vcpu->unprotected.gfn = gfn;
		vcpu->unprotected.repeats = 0;
	}
	vcpu->unprotected.exits = exits;
	shadowvmm_stat_add(&vcpu->vm->stats, SHADOWVMM_STAT_MMU_UNPROTECT, 1);
	shadowvmm_mmu_unprotect(&vcpu->mmu, gfn);
	return SHADOWVMM_STOP_NONE;
}

/*
 * A load or store that reached the APIC page, which no shadow entry maps.
 * The emulator carries it out against the APIC's registers. Code fetched
 * from there, an event delivery writing its frame there, or an
 * instruction we do not know stop the VM: there is no native access to
 * fall back to.
 */
static u32 emulate_mmio(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit,
			const struct shadowvmm_walk *walk)
{
	shadowvmm_stat_add(&vcpu->vm->stats, SHADOWVMM_STAT_MMIO_EXITS, 1);
	if ((exit->intr_error_code & SHADOWVMM_PF_FETCH) ||
	    (exit->idt_vectoring_info & INTR_INFO_VALID_MASK) ||
	    emulate(vcpu, exit->qualification, walk->gpa, true, false)) {
		vcpu->stop.guest_addr = walk->gpa;
		return shadowvmm_stop_vcpu(vcpu, exit, SHADOWVMM_STOP_BAD_ACCESS);
	}
	return SHADOWVMM_STOP_NONE;
}

/**
 * shadowvmm_handle_page_fault() - act on a #PF exit
 * @vcpu: the vCPU
 * @exit: the exit: qualification is the linear address, the error code
 *	  says what kind of access it was
 *
 * Return: SHADOWVMM_STOP_NONE, or why the VM stops.
 */
u32 shadowvmm_handle_page_fault(struct shadowvmm_vcpu *vcpu,
				const struct shadowvmm_exit *exit)
{
	u64 gva = exit->qualification;
	u32 access = exit->intr_error_code & (SHADOWVMM_PF_WRITE |
					      SHADOWVMM_PF_USER |
					      SHADOWVMM_PF_FETCH);
	struct shadowvmm_walk walk = {};
	int err;

	enum shadowvmm_pf_result result;

	if (vcpu->rflags & X86_EFLAGS_AC)
		access |= SHADOWVMM_ACCESS_AC;
	result = shadowvmm_mmu_page_fault(&vcpu->mmu, gva, access, &walk);
	trace_shadowvmm_page_fault(vcpu->vm->id, gva, exit->intr_error_code,
				   walk.gpa, result);
	switch (result) {
	case SHADOWVMM_PF_FIXED:
	case SHADOWVMM_PF_SPURIOUS:
		return SHADOWVMM_STOP_NONE;
	case SHADOWVMM_PF_RETRY:
		vcpu->need_topup = true;
		return SHADOWVMM_STOP_NONE;
	case SHADOWVMM_PF_INJECT:
		vcpu->cr2 = gva;
		return shadowvmm_queue_exception(vcpu, exit, X86_TRAP_PF,
						 walk.error_code);
	case SHADOWVMM_PF_MMIO:
		return emulate_mmio(vcpu, exit, &walk);
	case SHADOWVMM_PF_EMULATE:
		break;
	}

	/*
	 * The store was the CPU's own, delivering an event (pushing its
	 * frame): the instruction at RIP is not the one that stored.
	 */
	if (exit->idt_vectoring_info & INTR_INFO_VALID_MASK)
		err = -EOPNOTSUPP;
	else
		err = emulate(vcpu, gva, walk.gpa, false, false);
	if (!err) {
		shadowvmm_stat_add(&vcpu->vm->stats, SHADOWVMM_STAT_PF_EMULATED, 1);
		return SHADOWVMM_STOP_NONE;
	}
	if (err == -EAGAIN)
		return SHADOWVMM_STOP_NONE;
	/* Unbacked memory has no frame to unprotect. */
	if (!shadowvmm_gmem_range_ok(&vcpu->vm->gmem, walk.gpa, 1)) {
		vcpu->stop.guest_addr = walk.gpa;
		return shadowvmm_stop_vcpu(vcpu, exit, SHADOWVMM_STOP_BAD_ACCESS);
	}
	return unprotect_and_retry(vcpu, exit, gva, walk.gpa);
}
