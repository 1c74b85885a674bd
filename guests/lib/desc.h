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
/*
 * SYSCALL and SYSRET take their selectors from STAR at fixed offsets, so
 * these follow in Linux's order: SYSCALL loads CS from STAR[47:32]
 * (KERNEL_CS64) and SS from 8 past it; SYSRET, with RPL 3, CS from
 * STAR[63:48] (USER_CS32, SYSRETL's) or 16 past it (SYSRETQ's), and SS
 * from 8 past it. USER_CS32 and USER_DS64 are USER_CS and USER_DS again.
 */
#define KERNEL_SS64	0x40
#define USER_CS32	0x4b
#define USER_DS64	0x53
#define USER_CS64	0x5b

/* User code returns to the kernel with "int $USER_RETURN_VECTOR". */
#define USER_RETURN_VECTOR	0x80

#define IDT_VECTORS		256
#define EXCEPTION_VECTORS	32
/* trap_entry.S and trap64.S put their stubs this far apart. */
#define TRAP_STUB_SIZE		16

#ifndef __ASSEMBLER__
#include "types.h"

void desc_init(void);
/* Protected mode's IDT and TSS, loaded again (after long mode, say). */
void desc_protected(void);
/* Either mode's: through the one TSS descriptor, and the IDTR. */
void tss_load(const void *tss, u32 size);
void idt_load(const void *idt, u32 size);
/* A 32-bit interrupt gate, DPL 0, for vector: irq.c's, for interrupts. */
void idt_set(u32 vector, const void *handler);

/* trap_entry.S: the exception stubs, 16 bytes apart, and the int $0x80 gate. */
extern const u8 trap_stubs[];
extern const u8 user_return[];

/* Runs fn at CPL 3 with EDX = a, ECX = b; returns EAX at its int $0x80. */
u32 user_call(void (*fn)(void), u32 a, u32 b);
#endif

#endif
