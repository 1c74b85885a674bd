/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_EXIT_REASON_H
#define SHADOWVMM_EXIT_REASON_H

#include <linux/types.h>

/* Basic exit reasons below this are counted one by one (6.1 names 0..75). */
#define SHADOWVMM_EXIT_REASONS	80
/* Room for the longest name, "tpr_below_threshold", and more to come. */
#define SHADOWVMM_EXIT_NAME_MAX	24

/* Bits 15:0 of an exit reason: the basic reason, an EXIT_REASON_*. */
static inline u16 shadowvmm_exit_basic(u32 exit_reason)
{
	return exit_reason & 0xffff;
}

const char *shadowvmm_exit_reason_name(u32 exit_reason,
				       char buf[SHADOWVMM_EXIT_NAME_MAX]);

#endif
