/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_MPTABLE_H
#define SHADOWVMM_MPTABLE_H

#include <linux/types.h>

/*
 * Where the floating pointer goes: the BIOS area, where SeaBIOS puts its
 * own and operating systems search; the guest's memory map reserves it.
 */
#define SHADOWVMM_MPTABLE_ADDR	0xf0000
#define SHADOWVMM_MPTABLE_END	0x100000

void shadowvmm_mptable_build(void *ram);

#endif
