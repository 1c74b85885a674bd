/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_EVENT_H
#define SHADOWVMM_EVENT_H

#include "vm_types.h"

u32 shadowvmm_stop_vcpu(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit, u32 reason);
u32 shadowvmm_queue_exception(struct shadowvmm_vcpu *vcpu,
			      const struct shadowvmm_exit *exit, u8 vector,
			      u32 error_code);

#endif
