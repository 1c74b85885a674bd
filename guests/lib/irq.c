// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt gates for vectors 32-255, each to its irq_entry.S stub, set
 * only when a guest installs a handler: the exception guests keep an IDT
 * with nothing past vector 31 but the int $0x80 gate. The NMI's gate is
 * set the same way, by nmi_install() alone: every other guest keeps
 * trap.c's vector 2.
 */
#include "check.h"
#include "desc.h"
#include "irq.h"

extern const u8 irq_stubs[];
extern const u8 nmi_stub[];

static irq_handler_t handlers[IDT_VECTORS];
static nmi_handler_t nmi_handler;

void irq_install(u32 vector, irq_handler_t handler)
{
	if (vector < EXCEPTION_VECTORS || vector >= IDT_VECTORS)
		bail_out("no interrupt gate for vector %u", vector);
	handlers[vector] = handler;
	idt_set(vector,
		irq_stubs + (vector - EXCEPTION_VECTORS) * IRQ_STUB_SIZE);
}

void nmi_install(nmi_handler_t handler)
{
	nmi_handler = handler;
	idt_set(VECTOR_NMI, nmi_stub);
}

/*
 * From irq_entry.S: only installed vectors have a gate that gets here.
 * frame is what the CPU pushed, above the vector.
 */
void irq_dispatch(u32 vector, const struct irq_frame *frame)
{
	if (vector == VECTOR_NMI)
		nmi_handler(frame);
	else
		handlers[vector](vector, frame);
}
