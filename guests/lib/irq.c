// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt gates for vectors 32-255, each to its irq_entry.S stub, set
 * only when a guest installs a handler: the exception guests keep an IDT
 * with nothing past vector 31 but the int $0x80 gate.
 */
#include "check.h"
#include "desc.h"
#include "irq.h"

extern const u8 irq_stubs[];

static irq_handler_t handlers[IDT_VECTORS];

void irq_install(u32 vector, irq_handler_t handler)
{
	if (vector < EXCEPTION_VECTORS || vector >= IDT_VECTORS)
		bail_out("no interrupt gate for vector %u", vector);
	handlers[vector] = handler;
	idt_set(vector,
		irq_stubs + (vector - EXCEPTION_VECTORS) * IRQ_STUB_SIZE);
}

/* From irq_entry.S: only installed vectors have a gate that gets here. */
void irq_dispatch(u32 vector)
{
	handlers[vector](vector);
}
