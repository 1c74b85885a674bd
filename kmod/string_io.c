// SPDX-License-Identifier: GPL-2.0
/*
 * INS and OUTS, with or without REP: the I/O exit gives the port, the
 * element size and the direction; the address size and OUTS's segment
 * come from the instruction's prefixes. Each element goes between guest
 * memory (by linear address, through the guest's tables) and the port
 * as the CPU would move it, so a fault mid-string leaves RSI/RDI and RCX
 * counting the elements done, and the #PF reaches the guest with RIP at
 * the instruction. A long REP string is done a chunk per exit: RIP stays
 * at the instruction until RCX is 0, so the host gets its CPU back and
 * the guest its interrupts in between, as on hardware.
 */
#include <linux/kernel.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include "dev/pio.h"
#include "emulate.h"
#include "event.h"
#include "linear.h"
#include "string_io.h"
#include "vm_types.h"

/* Elements per exit: bounds the time spent in root mode. */
#define STRING_IO_CHUNK	1024

struct string_insn {
	unsigned int len;	/* of the instruction */
	unsigned int asize;	/* address size, bytes */
	enum shadowvmm_seg seg;	/* OUTS's source; INS always writes ES */
};

/* The prefixes before 6Ch-6Fh: all a string I/O instruction may have. */
static int decode(struct shadowvmm_vcpu *vcpu, struct string_insn *d)
{
	enum shadowvmm_cpu_mode mode = shadowvmm_vcpu_cpu_mode(vcpu);
	u8 insn[SHADOWVMM_MAX_INSN_LEN];
	unsigned int n = shadowvmm_fetch_insn(vcpu, insn), i;
	bool asize_prefix = false;

	d->seg = SHADOWVMM_SEG_DS;
	for (i = 0; i < n && (insn[i] & 0xfc) != 0x6c; i++) {
		u8 b = insn[i];
		int seg = shadowvmm_emulate_seg_prefix(b);

		if (seg >= 0)
			d->seg = seg;
		else if (b == 0x67)
			asize_prefix = true;
		else if (b != 0x66 && b != 0xf2 && b != 0xf3 &&
			 !(mode == SHADOWVMM_MODE_64 && (b & 0xf0) == 0x40))
			return -EOPNOTSUPP;
	}
	if (i == n)
		return -EOPNOTSUPP;	/* the guest changed the code under us */
	d->len = i + 1;
	d->asize = shadowvmm_emulate_address_size(mode, asize_prefix);
	return 0;
}

static u64 asize_mask(unsigned int asize)
{
	return asize == 8 ? ~0ULL : (1ULL << (asize * 8)) - 1;
}

static u64 seg_base(struct shadowvmm_vcpu *vcpu, enum shadowvmm_seg seg)
{
	/* 64-bit mode ignores every base but FS and GS. */
	if (shadowvmm_vcpu_cpu_mode(vcpu) == SHADOWVMM_MODE_64 &&
	    seg != SHADOWVMM_SEG_FS && seg != SHADOWVMM_SEG_GS)
		return 0;
	return shadowvmm_vmcs_seg_base(seg);
}

/**
 * shadowvmm_string_io() - carry out an INS or OUTS exit
 * @vcpu: the vCPU
 * @exit: the I/O exit, with the string bit set
 * @stop: where a stop reason from a port (isa-debug-exit) goes
 *
 * Return: 0 when the elements of this exit are done (RIP advanced if the
 * instruction is), -EFAULT with a #PF queued, or -EOPNOTSUPP for an
 * instruction that cannot be carried out (the APIC's page as the buffer,
 * bytes that are no string I/O instruction).
 */
int shadowvmm_string_io(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit, u32 *stop)
{
	u64 q = exit->qualification;
	unsigned int size = IO_SIZE(q), reg = q & IO_IN ? VCPU_RDI : VCPU_RSI;
	bool rep = q & IO_REP, in = q & IO_IN;
	u32 access = shadowvmm_vcpu_cpl_access(vcpu) |
		     (vcpu->rflags & X86_EFLAGS_AC ? SHADOWVMM_ACCESS_AC : 0);
	unsigned long *index = &vcpu->regs.gpr[reg];
	unsigned long *count = &vcpu->regs.gpr[VCPU_RCX];
	struct shadowvmm_walk fault = {};
	struct string_insn d;
	unsigned int done;
	u64 left, mask, base;
	int err;

	*stop = SHADOWVMM_STOP_NONE;
	err = decode(vcpu, &d);
	if (err)
		return err;
	mask = asize_mask(d.asize);
	left = rep ? *count & mask : 1;
	base = seg_base(vcpu, in ? SHADOWVMM_SEG_ES : d.seg);

	for (done = 0; left && done < STRING_IO_CHUNK; done++) {
		u64 gva = base + (*index & mask);
		u32 value = 0;

		if (shadowvmm_vcpu_cpu_mode(vcpu) != SHADOWVMM_MODE_64)
			gva = (u32)gva;
		if (in) {
			*stop = shadowvmm_pio(vcpu, IO_PORT(q), size, true,
					      &value);
			err = shadowvmm_linear_write(vcpu, gva, &value, size,
						     access, &fault);
		} else {
			err = shadowvmm_linear_read(vcpu, gva, &value, size,
						    access, &fault);
			if (!err)
				*stop = shadowvmm_pio(vcpu, IO_PORT(q), size,
						      false, &value);
		}
		if (err)
			break;
		shadowvmm_emulate_set_reg(index, d.asize,
					  vcpu->rflags & X86_EFLAGS_DF ?
					  *index - size : *index + size);
		left--;
		if (rep)
			shadowvmm_emulate_set_reg(count, d.asize, left);
		if (*stop != SHADOWVMM_STOP_NONE)
			break;
	}
	if (err == -EFAULT) {
		vcpu->cr2 = fault.gva;
		shadowvmm_queue_exception(vcpu, exit, X86_TRAP_PF,
					  fault.error_code);
		return err;
	}
	if (err == -EOPNOTSUPP)
		return err;
	/* Interrupts are taken between elements: a shadow ends with one. */
	if (done)
		vcpu->dirty |= VCPU_DIRTY_INTR_SHADOW;
	if (!err && !left) {
		vcpu->rip += d.len;
		if (shadowvmm_vcpu_cpu_mode(vcpu) != SHADOWVMM_MODE_64)
			vcpu->rip = (u32)vcpu->rip;
		vcpu->dirty |= VCPU_DIRTY_INTR_SHADOW;
	}
	return 0;	/* or a walk to retry: the instruction runs again */
}
