// SPDX-License-Identifier: GPL-2.0
/*
 * How an exit handler ends when it does not complete the guest's
 * instruction: an exception for the guest, combined with one whose
 * delivery the exit interrupted as the CPU combines them, or a stop of
 * the VM with the exit recorded as its cause.
 */
#include <asm/trapnr.h>
#include "event.h"

/**
 * shadowvmm_stop_vcpu() - stop the VM because of this exit
 * @vcpu: the vCPU
 * @exit: the exit, recorded as the cause
 * @reason: enum shadowvmm_stop_reason
 *
 * Return: @reason, for handlers to return.
 */
u32 shadowvmm_stop_vcpu(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit, u32 reason)
{
	vcpu->stop.reason = reason;
	vcpu->stop.exit_reason = shadowvmm_exit_basic(exit->reason);
	vcpu->stop.qualification = exit->qualification;
	vcpu->stop.rip = vcpu->rip;
	return reason;
}

static bool has_error_code(u8 vector)
{
	switch (vector) {
	case X86_TRAP_DF:
	case X86_TRAP_TS:
	case X86_TRAP_NP:
	case X86_TRAP_SS:
	case X86_TRAP_GP:
	case X86_TRAP_PF:
	case X86_TRAP_AC:
		return true;
	}
	return false;
}

/* Exceptions that turn a second one during their delivery into #DF. */
static bool contributory(u8 vector)
{
	return vector == X86_TRAP_DE || vector == X86_TRAP_TS ||
	       vector == X86_TRAP_NP || vector == X86_TRAP_SS ||
	       vector == X86_TRAP_GP;
}

/**
 * shadowvmm_queue_exception() - deliver an exception at the next entry
 * @vcpu: the vCPU
 * @exit: the exit being handled; if it interrupted the delivery of
 *	  another exception, the two combine as the SDM's table says
 * @vector: the exception
 * @error_code: its error code, if it has one
 *
 * Return: SHADOWVMM_STOP_NONE, or SHADOWVMM_STOP_TRIPLE_FAULT when a
 * fault while delivering #DF shuts the guest down.
 */
u32 shadowvmm_queue_exception(struct shadowvmm_vcpu *vcpu,
			      const struct shadowvmm_exit *exit, u8 vector,
			      u32 error_code)
{
	u32 info = exit->idt_vectoring_info;
	u8 first = info & INTR_INFO_VECTOR_MASK;

	if ((info & INTR_INFO_VALID_MASK) &&
	    (info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_HARD_EXCEPTION &&
	    (vector == X86_TRAP_PF || contributory(vector))) {
		if (first == X86_TRAP_DF)
			return shadowvmm_stop_vcpu(vcpu, exit,
						   SHADOWVMM_STOP_TRIPLE_FAULT);
		if (first == X86_TRAP_PF || (contributory(first) &&
					     contributory(vector))) {
			vector = X86_TRAP_DF;
			error_code = 0;
		}
	}
	vcpu->event = (struct shadowvmm_event){
		.pending = true,
		.vector = vector,
		.type = INTR_TYPE_HARD_EXCEPTION,
		.has_error_code = has_error_code(vector),
		.error_code = error_code,
	};
	return SHADOWVMM_STOP_NONE;
}
