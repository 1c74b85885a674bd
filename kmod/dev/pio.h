/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_DEV_PIO_H
#define SHADOWVMM_DEV_PIO_H

#include <linux/types.h>

struct shadowvmm_vm;
struct shadowvmm_vcpu;

#define SHADOWVMM_DEBUG_EXIT_PORT	0xf4
#define SHADOWVMM_DEBUG_EXIT_SIZE	4

void shadowvmm_devices_reset(struct shadowvmm_vm *vm);
int shadowvmm_devices_input(struct shadowvmm_vm *vm, const u8 *data,
			    size_t len);
void shadowvmm_devices_sync(struct shadowvmm_vcpu *vcpu);
u32 shadowvmm_pio(struct shadowvmm_vcpu *vcpu, u16 port, unsigned int size,
		  bool in, u32 *value);

#endif
