/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_PAGING_H
#define SHADOWVMM_PAGING_H

#include "vm_types.h"

int shadowvmm_set_cr0(struct shadowvmm_vcpu *vcpu, unsigned long value);
int shadowvmm_set_cr3(struct shadowvmm_vcpu *vcpu, unsigned long value);
int shadowvmm_set_cr4(struct shadowvmm_vcpu *vcpu, unsigned long value);
int shadowvmm_set_efer(struct shadowvmm_vcpu *vcpu, u64 value);
void shadowvmm_paging_reset(struct shadowvmm_vcpu *vcpu);
int shadowvmm_paging_reload(struct shadowvmm_vcpu *vcpu);
unsigned long shadowvmm_hw_cr0(const struct shadowvmm_vcpu *vcpu);
unsigned long shadowvmm_hw_cr4(const struct shadowvmm_vcpu *vcpu);

#endif
