/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Our own GDT, TSS and IDT: the loader's GDT is unknown (multiboot says
 * nothing about it), and going to ring 3 and back needs user segments, a
 * TSS for the ring-0 stack and a gate user code may call.
 */
#ifndef GUEST_DESC_H
#define GUEST_DESC_H

#define KERNEL_CS	0x08
#define KERNEL_DS	0x10
#define USER_CS		0x1b	/* RPL 3 */
#define USER_DS		0x23
#define TSS_SEL		0x28	/* 16 bytes: a 64-bit TSS descriptor fits */
#define KERNEL_CS64	0x38

/* User code returns to the kernel with "int $USER_RETURN_VECTOR". */
#define USER_RETURN_VECTOR	0x80

#ifndef __ASSEMBLER__
#include "types.h"

void desc_init(void);

/* trap_entry.S: the exception stubs, 16 bytes apart, and the int $0x80 gate. */
extern const u8 trap_stubs[];
extern const u8 user_return[];

/* Runs fn at CPL 3 with EDX = a, ECX = b; returns EAX at its int $0x80. */
u32 user_call(void (*fn)(void), u32 a, u32 b);
#endif

#endif
