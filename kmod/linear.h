/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory by linear address, as the guest's instruction would reach
 * it: through the guest's own page tables, with its access rights, for
 * the instructions the VMM carries out itself.
 */
#ifndef SHADOWVMM_LINEAR_H
#define SHADOWVMM_LINEAR_H

#include "emulate.h"
#include "vm_types.h"

enum shadowvmm_cpu_mode shadowvmm_vcpu_cpu_mode(const struct shadowvmm_vcpu *vcpu);
u32 shadowvmm_vcpu_cpl_access(const struct shadowvmm_vcpu *vcpu);
int shadowvmm_linear_read(struct shadowvmm_vcpu *vcpu, u64 gva, void *buf,
			  unsigned int len, u32 access,
			  struct shadowvmm_walk *fault);
int shadowvmm_linear_write(struct shadowvmm_vcpu *vcpu, u64 gva,
			   const void *buf, unsigned int len, u32 access,
			   struct shadowvmm_walk *fault);
unsigned int shadowvmm_fetch_insn(struct shadowvmm_vcpu *vcpu,
				  u8 insn[SHADOWVMM_MAX_INSN_LEN]);

#endif
