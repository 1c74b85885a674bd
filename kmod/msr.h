/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_MSR_H
#define SHADOWVMM_MSR_H

#include "vm_types.h"

/* The host's SYSCALL MSRs, kept while a burst lends the CPU the guest's. */
struct shadowvmm_host_syscall_msrs {
	u64 star, lstar, cstar, sfmask;
};

int shadowvmm_msr_read(struct shadowvmm_vcpu *vcpu, u32 msr, u64 *value);
int shadowvmm_msr_write(struct shadowvmm_vcpu *vcpu, u32 msr, u64 value);
void shadowvmm_msr_reset(struct shadowvmm_vcpu *vcpu);
void shadowvmm_syscall_msrs_load(struct shadowvmm_vcpu *vcpu,
				 struct shadowvmm_host_syscall_msrs *host);
void shadowvmm_syscall_msrs_put(struct shadowvmm_vcpu *vcpu,
				const struct shadowvmm_host_syscall_msrs *host);

#endif
