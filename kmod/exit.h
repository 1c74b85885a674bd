/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_EXIT_H
#define SHADOWVMM_EXIT_H

#include "vcpu.h"

u32 shadowvmm_handle_exit(struct shadowvmm_vcpu *vcpu,
			  const struct shadowvmm_exit *exit);
u32 shadowvmm_stop_vcpu(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit, u32 reason);
u32 shadowvmm_queue_exception(struct shadowvmm_vcpu *vcpu,
			      const struct shadowvmm_exit *exit, u8 vector,
			      u32 error_code);
unsigned long shadowvmm_hw_cr0(const struct shadowvmm_vcpu *vcpu);
unsigned long shadowvmm_hw_cr4(const struct shadowvmm_vcpu *vcpu);

#endif
