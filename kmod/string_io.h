/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_STRING_IO_H
#define SHADOWVMM_STRING_IO_H

#include "vm_types.h"

/* Exit qualification of an I/O instruction. */
#define IO_SIZE(q)		(((q) & 7) + 1)
#define IO_IN			BIT(3)
#define IO_STRING		BIT(4)
#define IO_REP			BIT(5)
#define IO_PORT(q)		((u16)((q) >> 16))

int shadowvmm_string_io(struct shadowvmm_vcpu *vcpu,
			const struct shadowvmm_exit *exit, u32 *stop);

#endif
