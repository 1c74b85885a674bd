/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_EXIT_H
#define SHADOWVMM_EXIT_H

#include "vm_types.h"

u32 shadowvmm_handle_exit(struct shadowvmm_vcpu *vcpu,
			  const struct shadowvmm_exit *exit);

#endif
