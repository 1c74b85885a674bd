/* SPDX-License-Identifier: GPL-2.0 */
/* probe_stubs.S, for probe.c: call probe.h's functions instead. */
#ifndef GUEST_PROBE_STUBS_H
#define GUEST_PROBE_STUBS_H

#include "types.h"

u32 __probe_read(u32 va);
void __probe_write(u32 va, u32 value);
void __probe_exec(u32 va);
void __probe_load_cr3(u32 cr3);
extern const u8 probe_exec_resume[];

/* Run at CPL 3 by user_call(): EDX = va, ECX = value. */
void user_read_stub(void);
void user_write_stub(void);
void user_exec_stub(void);
extern const u8 user_exec_resume[];

#endif
