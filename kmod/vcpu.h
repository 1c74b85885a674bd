/* SPDX-License-Identifier: GPL-2.0 */
/* A vCPU's life: what it is made of, and the state a boot loader leaves. */
#ifndef SHADOWVMM_VCPU_H
#define SHADOWVMM_VCPU_H

#include "vm_types.h"

int shadowvmm_vcpu_init(struct shadowvmm_vcpu *vcpu, struct shadowvmm_vm *vm,
			const struct shadowvmm_boot_regs *regs);
void shadowvmm_vcpu_destroy(struct shadowvmm_vcpu *vcpu);
void shadowvmm_vcpu_reset_state(struct shadowvmm_vcpu *vcpu,
				const struct shadowvmm_boot_regs *regs);

#endif
