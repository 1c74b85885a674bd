/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a probe survives its own fault: each instruction that may fault is
 * listed in the .fixup table with the address to resume at, as the
 * kernel's exception table does. The trap handler records the fault and
 * moves EIP there, at whatever privilege level the probe ran; nothing
 * depends on the length of the faulting instruction.
 */
#ifndef GUEST_FIXUP_H
#define GUEST_FIXUP_H

#ifdef __ASSEMBLER__
#define FIXUP(from, to)			\
	.pushsection .fixup, "a";	\
	.long from, to;			\
	.popsection
#else
#include "types.h"

/*
 * The same for inline assembly: "1:" labels the instruction that may
 * fault, "2:" where to resume, as in FIXUP_ASM("1: ud2\n2:").
 */
#define FIXUP_ASM(insns)				\
	insns "\n"					\
	".pushsection .fixup, \"a\"\n"		\
	".long 1b, 2b\n"				\
	".popsection"

struct fixup {
	u32 from, to;
};

extern const struct fixup __fixup_start[], __fixup_end[];
#endif

#endif
