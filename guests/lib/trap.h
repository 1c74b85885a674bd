/* SPDX-License-Identifier: GPL-2.0 */
/* What the last probed access did: the fault the trap handler recorded. */
#ifndef GUEST_TRAP_H
#define GUEST_TRAP_H

#include "types.h"

#define NO_FAULT	0xffffffffu

struct fault {
	u32 vector;	/* NO_FAULT if the access completed */
	u32 error;
	u32 cr2;	/* page faults only */
	u32 cr2_high;	/* long mode: the upper half of a 64-bit CR2 */
};

extern struct fault last_fault;

/*
 * An instruction fetch that faults does so at its target, which no fixup
 * entry can name in advance: the exec probes set this before they jump.
 */
struct exec_probe {
	u32 target, resume;
};

extern struct exec_probe exec_probe;

/*
 * A guest that pages on demand: called for every page fault before the
 * probes' fixups are looked at. Return nonzero once the page is mapped,
 * and the faulting instruction runs again; zero treats the fault as the
 * probes would. Protected mode only (trap64.S does not call it).
 */
extern int (*page_fault_hook)(u32 cr2, u32 error);

#endif
