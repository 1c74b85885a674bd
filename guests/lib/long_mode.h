/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Long mode for these 32-bit guests: they go on running their 32-bit
 * code in compatibility mode under 4-level paging, with a 64-bit IDT and
 * TSS, and step into 64-bit mode only for the probes below.
 */
#ifndef GUEST_LONG_MODE_H
#define GUEST_LONG_MODE_H

#include "paging.h"

int long_mode_supported(void);
/* From protected mode, paging on or off; returns in compatibility mode. */
void long_mode_enter(const struct pgtable *pt);
/* Back to protected mode, paging off, with its IDT and TSS. */
void long_mode_leave(void);

/* Accesses at 64-bit addresses, from 64-bit mode; as probe.h's. */
int probe64_read(u64 va, u32 *value);
int probe64_write(u64 va, u32 value);

#endif
