/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupts, vectors 32 to 255: a C handler per vector, called with the
 * vector on the interrupted stack with IF clear (interrupt gates). The
 * handler writes the EOI itself, if one is due: a spurious-vector
 * interrupt wants none. A vector nobody installed keeps its IDT entry not
 * present, so a stray interrupt there is a #NP that trap.c reports.
 */
#ifndef GUEST_IRQ_H
#define GUEST_IRQ_H

/* irq_entry.S puts its stubs this far apart, from vector 32 on. */
#define IRQ_STUB_SIZE	16

#ifndef __ASSEMBLER__
#include "types.h"

typedef void (*irq_handler_t)(u32 vector);

void irq_install(u32 vector, irq_handler_t handler);

static inline void irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

static inline void irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}
#endif

#endif
