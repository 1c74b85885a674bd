/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_STRING_IO_H
#define SHADOWVMM_STRING_IO_H

#include "vcpu.h"

int shadowvmm_string_io(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit, u32 *stop);

#endif
