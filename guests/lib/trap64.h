/* SPDX-License-Identifier: GPL-2.0 */
/* trap64.S, for long_mode.c: call long_mode.h's functions instead. */
#ifndef GUEST_TRAP64_H
#define GUEST_TRAP64_H

#include "x86.h"

/* The exception stubs, TRAP_STUB_SIZE apart, and the int $0x80 gate. */
extern const u8 trap64_stubs[];
extern const u8 user_return64[];
/* Where an exception no fixup expected happened; then this is called. */
extern u32 trap64_rip;
void trap64_report(void);

u32 __probe64_read(u32 va_low, u32 va_high);
void __probe64_write(u32 va_low, u32 va_high, u32 value);
void __cpuid64(u32 leaf, u32 subleaf, struct cpuid *r);

#endif
