/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_HANDOVER_H
#define SHADOWVMM_HANDOVER_H

#include "boot.h"

void shadowvmm_handover_write(void *ram, u64 ram_size,
			      const struct shadowvmm_boot *boot,
			      struct shadowvmm_boot_regs *regs);

#endif
