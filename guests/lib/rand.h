/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A seeded xorshift32: the same sequence on every run and every oracle,
 * so a failing run can be replayed and QEMU's output compared.
 */
#ifndef GUEST_RAND_H
#define GUEST_RAND_H

#include "types.h"

static inline u32 rand_next(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* Uniform enough below n for test choices (n much smaller than 2^32). */
static inline u32 rand_below(u32 *state, u32 n)
{
	return rand_next(state) % n;
}

#endif
