/* SPDX-License-Identifier: GPL-2.0 */
/* INT N for an N known only at run time (int_stubs.S). */
#ifndef GUEST_INT_STUBS_H
#define GUEST_INT_STUBS_H

#include "types.h"

#define INT_STUB_SIZE	8

extern const u8 int_stubs[];

static inline void int_n(u32 vector)
{
	((void (*)(void))(int_stubs + (vector & 31) * INT_STUB_SIZE))();
}

#endif
