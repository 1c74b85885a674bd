/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Accesses that may fault, at CPL 0 or CPL 3. Each returns nonzero if it
 * faulted, with the fault in last_fault; a faulting read gives 0.
 */
#ifndef GUEST_PROBE_H
#define GUEST_PROBE_H

#include "trap.h"

int probe_read(u32 va, u32 *value);
int probe_write(u32 va, u32 value);
/* Calls va, which must hold a RET (0xc3) if it is to come back by itself. */
int probe_exec(u32 va);
int probe_load_cr3(u32 cr3);

int user_read(u32 va, u32 *value);
int user_write(u32 va, u32 value);
int user_exec(u32 va);

#define RET_OPCODE	0xc3

#endif
