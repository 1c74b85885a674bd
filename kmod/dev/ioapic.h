/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_DEV_IOAPIC_H
#define SHADOWVMM_DEV_IOAPIC_H

#include <linux/types.h>
#include "dev/lapic.h"

#define SHADOWVMM_IOAPIC_BASE		0xfec00000ULL
#define SHADOWVMM_IOAPIC_ID		1	/* the local APIC is 0 */
#define SHADOWVMM_IOAPIC_VERSION	0x11	/* an 82093AA's */
#define SHADOWVMM_IOAPIC_PINS		24
/* COM1's interrupt, ISA IRQ 4, on the pin of the same number. */
#define SHADOWVMM_IOAPIC_PIN_COM1	4

/*
 * An I/O APIC with 24 pins, routing the PC's ISA interrupts (pin N is
 * IRQ N, as the MP table says) to the one local APIC. ISA interrupts are
 * edge-triggered; a pin programmed level-triggered is delivered on its
 * rising edge all the same, and remote IRR never sets (the platform has
 * no level-triggered source).
 */
struct shadowvmm_ioapic {
	u32 id;
	u32 select;		/* IOREGSEL */
	u64 redir[SHADOWVMM_IOAPIC_PINS];
	u32 level;		/* the lines, one bit per pin */
};

void shadowvmm_ioapic_reset(struct shadowvmm_ioapic *ioapic);
u32 shadowvmm_ioapic_read(struct shadowvmm_ioapic *ioapic, u32 offset);
void shadowvmm_ioapic_write(struct shadowvmm_ioapic *ioapic, u32 offset,
			    u32 val);
bool shadowvmm_ioapic_set_line(struct shadowvmm_ioapic *ioapic,
			       unsigned int pin, bool high,
			       struct shadowvmm_lapic *apic);

#endif
