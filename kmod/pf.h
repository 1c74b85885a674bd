/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_PF_H
#define SHADOWVMM_PF_H

#include "vm_types.h"

u32 shadowvmm_handle_page_fault(struct shadowvmm_vcpu *vcpu,
				const struct shadowvmm_exit *exit);

#endif
