/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupts, vectors 32 to 255: a C handler per vector, called with the
 * vector and the frame the CPU pushed, on the interrupted stack with IF
 * clear (interrupt gates). The handler writes the EOI itself, if one is
 * due: a spurious-vector interrupt wants none. A vector nobody installed
 * keeps its IDT entry not present, so a stray interrupt there is a #NP
 * that trap.c reports.
 *
 * The NMI, vector 2, too, once a guest installs a handler for it with
 * nmi_install(): an interrupt gate to a stub of its own that returns
 * with IRET (which ends the NMI's blocking), where trap.c would take it
 * for a fault. Its handler gets the frame the NMI pushed. Until then
 * vector 2 stays trap.c's, as for every guest that installs none.
 */
#ifndef GUEST_IRQ_H
#define GUEST_IRQ_H

/* irq_entry.S puts its stubs this far apart, from vector 32 on. */
#define IRQ_STUB_SIZE	16

#define VECTOR_NMI	2

#ifndef __ASSEMBLER__
#include "types.h"

/*
 * What the CPU pushed: no error code, and at CPL 0 no stack switch, so
 * the frame sits just below the ESP the interrupted code had.
 */
struct irq_frame {
	u32 eip, cs, eflags;
};

typedef void (*irq_handler_t)(u32 vector, const struct irq_frame *frame);

typedef void (*nmi_handler_t)(const struct irq_frame *frame);

void irq_install(u32 vector, irq_handler_t handler);
void nmi_install(nmi_handler_t handler);

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
