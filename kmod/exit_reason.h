/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_EXIT_REASON_H
#define SHADOWVMM_EXIT_REASON_H

#include <linux/types.h>

/* Basic exit reasons are below this; the SDM defines 0..69 so far. */
#define SHADOWVMM_EXIT_REASONS	80

const char *shadowvmm_exit_reason_name(u32 exit_reason);

#endif
