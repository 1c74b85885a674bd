/* SPDX-License-Identifier: GPL-2.0 */
/* Running a vCPU, and making a running one stop or look again. */
#ifndef SHADOWVMM_RUN_H
#define SHADOWVMM_RUN_H

#include "vm_types.h"

u32 shadowvmm_vcpu_run(struct shadowvmm_vcpu *vcpu);
void shadowvmm_vcpu_request_stop(struct shadowvmm_vcpu *vcpu, u32 reason);
void shadowvmm_vcpu_kick(struct shadowvmm_vcpu *vcpu);
bool shadowvmm_vcpu_stop_all(unsigned long timeout);

#endif
