// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O APIC: two registers in its page, IOREGSEL at 0x00 and IOWIN at
 * 0x10, through which software reads the ID, version and arbitration ID
 * and the redirection table. A rising edge on an unmasked pin sends its
 * vector to the local APIC, or an NMI; lowest-priority delivery and any
 * destination that names our one local APIC reach it, as on a machine
 * with one CPU. ExtINT, SMI, INIT and destinations that miss are dropped.
 * Called on the vCPU's thread only, like the local APIC it feeds.
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include <asm/apicdef.h>
#include "dev/ioapic.h"

#define IOREGSEL		0x00
#define IOWIN			0x10

#define REG_ID			0x00
#define REG_VERSION		0x01
#define REG_ARB			0x02
#define REG_REDIR		0x10

/*
 * A redirection entry's low half is laid out as the local APIC's LVT
 * entries and ICR are, so asm/apicdef.h names its bits.
 */
#define REDIR_DEST_SHIFT	56
/* Writable: all but delivery status (12), remote IRR (14), bits 17-55. */
#define REDIR_WRITABLE		(GENMASK_ULL(63, REDIR_DEST_SHIFT) | \
				 APIC_VECTOR_MASK | APIC_MODE_MASK | \
				 APIC_DEST_LOGICAL | APIC_INPUT_POLARITY | \
				 APIC_LVT_LEVEL_TRIGGER | APIC_LVT_MASKED)

/**
 * shadowvmm_ioapic_reset() - the state at power-on: every pin masked
 * @ioapic: the I/O APIC
 */
void shadowvmm_ioapic_reset(struct shadowvmm_ioapic *ioapic)
{
	unsigned int i;

	*ioapic = (struct shadowvmm_ioapic){ .id = SHADOWVMM_IOAPIC_ID };
	for (i = 0; i < SHADOWVMM_IOAPIC_PINS; i++)
		ioapic->redir[i] = APIC_LVT_MASKED;
}

static u32 read_register(struct shadowvmm_ioapic *ioapic, u32 reg)
{
	u32 pin = (reg - REG_REDIR) / 2;

	switch (reg) {
	case REG_ID:
	case REG_ARB:
		return ioapic->id << 24;
	case REG_VERSION:
		return SHADOWVMM_IOAPIC_VERSION |
		       ((SHADOWVMM_IOAPIC_PINS - 1) << 16);
	}
	if (reg >= REG_REDIR && pin < SHADOWVMM_IOAPIC_PINS)
		return reg & 1 ? ioapic->redir[pin] >> 32 : (u32)ioapic->redir[pin];
	return 0;
}

/**
 * shadowvmm_ioapic_read() - a 32-bit load from the I/O APIC's page
 * @ioapic: the I/O APIC
 * @offset: its offset in the page; only IOREGSEL and IOWIN read non-zero
 *
 * Return: the register's value.
 */
u32 shadowvmm_ioapic_read(struct shadowvmm_ioapic *ioapic, u32 offset)
{
	switch (offset) {
	case IOREGSEL:
		return ioapic->select;
	case IOWIN:
		return read_register(ioapic, ioapic->select);
	}
	return 0;
}

/**
 * shadowvmm_ioapic_write() - a 32-bit store into the I/O APIC's page
 * @ioapic: the I/O APIC
 * @offset: its offset in the page; other than IOREGSEL and IOWIN ignored
 * @val: the value
 */
void shadowvmm_ioapic_write(struct shadowvmm_ioapic *ioapic, u32 offset,
			    u32 val)
{
	u32 reg = ioapic->select, pin = (reg - REG_REDIR) / 2;
	u64 old, half;

	if (offset == IOREGSEL) {
		ioapic->select = val & 0xff;
		return;
	}
	if (offset != IOWIN)
		return;
	if (reg == REG_ID) {
		ioapic->id = (val >> 24) & 0xf;
		return;
	}
	if (reg < REG_REDIR || pin >= SHADOWVMM_IOAPIC_PINS)
		return;
	old = ioapic->redir[pin];
	half = reg & 1 ? (u64)val << 32 | (u32)old : (old & ~0xffffffffULL) | val;
	ioapic->redir[pin] = half & REDIR_WRITABLE;
}

/**
 * shadowvmm_ioapic_set_line() - drive an interrupt line into a pin
 * @ioapic: the I/O APIC
 * @pin: the pin, below SHADOWVMM_IOAPIC_PINS
 * @high: the line's level now
 * @apic: the local APIC it delivers to
 *
 * Return: true when the edge delivered an interrupt.
 */
bool shadowvmm_ioapic_set_line(struct shadowvmm_ioapic *ioapic,
			       unsigned int pin, bool high,
			       struct shadowvmm_lapic *apic)
{
	bool rising = high && !(ioapic->level & BIT(pin));
	u64 redir = ioapic->redir[pin];

	if (high)
		ioapic->level |= BIT(pin);
	else
		ioapic->level &= ~BIT(pin);
	if (!rising || (redir & APIC_LVT_MASKED) ||
	    !shadowvmm_lapic_match_dest(apic, redir & APIC_DEST_LOGICAL,
					redir >> REDIR_DEST_SHIFT))
		return false;
	switch (redir & APIC_MODE_MASK) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		return shadowvmm_lapic_set_irq(apic, redir & APIC_VECTOR_MASK);
	case APIC_DM_NMI:
		apic->nmi_pending = true;
		return true;
	}
	return false;
}
