// SPDX-License-Identifier: GPL-2.0
/*
 * A MultiProcessor Specification 1.4 table for one CPU, as firmware would
 * leave it: the floating pointer and a configuration table with the
 * processor (APIC ID 0, the boot CPU), an ISA bus, the I/O APIC, ISA IRQs
 * 0-15 on its pins of the same numbers, and the local APIC's LINT0 and
 * LINT1 as ExtINT and NMI. An OS that finds no MP table and no ACPI MADT
 * falls back to the PIC and calibrates against the PIT (Linux's
 * APIC_VIRTUAL_WIRE_NO_CONFIG); with one, it uses the local APIC and its
 * timer, and the I/O APIC for COM1, which is all the platform this VMM
 * has.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/mpspec_def.h>
#include "cpuid.h"
#include "dev/ioapic.h"
#include "dev/lapic.h"
#include "mptable.h"

#define MP_SPEC_REV	4	/* version 1.4 */
#define ISA_BUS_ID	0
#define ISA_IRQS	16

struct mp_config {
	struct mpc_table table;
	struct mpc_cpu cpu;
	struct mpc_bus bus;
	struct mpc_ioapic ioapic;
	struct mpc_intsrc irq[ISA_IRQS];
	struct mpc_lintsrc lint[2];
} __packed;

/* The byte that makes @len bytes sum to zero, as the spec checks them. */
static u8 checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return -sum;
}

/**
 * shadowvmm_mptable_build() - write the MP tables into guest RAM
 * @ram: guest RAM, at least SHADOWVMM_MPTABLE_END bytes
 */
void shadowvmm_mptable_build(void *ram)
{
	struct mpf_intel *mpf = ram + SHADOWVMM_MPTABLE_ADDR;
	struct mp_config *config = ram + SHADOWVMM_MPTABLE_ADDR + sizeof(*mpf);
	struct shadowvmm_cpuid id;
	unsigned int i;

	BUILD_BUG_ON(sizeof(*mpf) != 16);
	shadowvmm_cpuid_guest(1, 0, &id);
	memset(config, 0, sizeof(*config));
	memcpy(config->table.signature, MPC_SIGNATURE, 4);
	config->table.length = sizeof(*config);
	config->table.spec = MP_SPEC_REV;
	memcpy(config->table.oem, "SHADOWVM", 8);
	memcpy(config->table.productid, "SHADOWVMM   ", 12);
	config->table.oemcount = 3 + ISA_IRQS + 2;
	config->table.lapic = SHADOWVMM_LAPIC_BASE;
	config->cpu.type = MP_PROCESSOR;
	config->cpu.apicver = SHADOWVMM_LAPIC_VERSION;
	config->cpu.cpuflag = CPU_ENABLED | CPU_BOOTPROCESSOR;
	config->cpu.cpufeature = id.eax;	/* family, model, stepping */
	config->cpu.featureflag = id.edx;
	config->bus.type = MP_BUS;
	config->bus.busid = ISA_BUS_ID;
	memcpy(config->bus.bustype, "ISA   ", 6);
	config->ioapic.type = MP_IOAPIC;
	config->ioapic.apicid = SHADOWVMM_IOAPIC_ID;
	config->ioapic.apicver = SHADOWVMM_IOAPIC_VERSION;
	config->ioapic.flags = MPC_APIC_USABLE;
	config->ioapic.apicaddr = SHADOWVMM_IOAPIC_BASE;
	/* Conforming to the bus: edge-triggered, active high, for ISA. */
	for (i = 0; i < ISA_IRQS; i++)
		config->irq[i] = (struct mpc_intsrc){
			.type = MP_INTSRC, .irqtype = mp_INT,
			.irqflag = MP_IRQPOL_DEFAULT, .srcbus = ISA_BUS_ID,
			.srcbusirq = i, .dstapic = SHADOWVMM_IOAPIC_ID,
			.dstirq = i,
		};
	config->lint[0] = (struct mpc_lintsrc){
		/* mp_ExtINT, a name checkpatch takes for CamelCase */
		.type = MP_LINTSRC, .irqtype = 3, .srcbusid = ISA_BUS_ID,
		.destapic = 0xff, .destapiclint = 0,
	};
	config->lint[1] = (struct mpc_lintsrc){
		.type = MP_LINTSRC, .irqtype = mp_NMI, .srcbusid = ISA_BUS_ID,
		.destapic = 0xff, .destapiclint = 1,
	};
	config->table.checksum = checksum(config, sizeof(*config));

	memset(mpf, 0, sizeof(*mpf));
	memcpy(mpf->signature, "_MP_", 4);
	mpf->physptr = SHADOWVMM_MPTABLE_ADDR + sizeof(*mpf);
	mpf->length = 1;		/* in 16-byte paragraphs */
	mpf->specification = MP_SPEC_REV;
	mpf->checksum = checksum(mpf, sizeof(*mpf));
}
