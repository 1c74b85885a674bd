/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_EXIT_H
#define SHADOWVMM_EXIT_H

#include "vcpu.h"

u32 shadowvmm_handle_exit(struct shadowvmm_vcpu *vcpu,
			  const struct shadowvmm_exit *exit);
unsigned long shadowvmm_hw_cr0(const struct shadowvmm_vcpu *vcpu);
unsigned long shadowvmm_hw_cr4(const struct shadowvmm_vcpu *vcpu);

#endif
