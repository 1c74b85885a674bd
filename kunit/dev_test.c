// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>
#include <linux/bcd.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <asm/apicdef.h>
#include "dev/fw_cfg.h"
#include "dev/ioapic.h"
#include "dev/pio.h"
#include "dev/rtc.h"
#include "dev/uart.h"
#include "vm_types.h"

enum { THR, IER, IIR, LCR, MCR, LSR, MSR, SCR };

static void uart_transmitter_always_empty(struct kunit *test)
{
	struct shadowvmm_uart uart;

	shadowvmm_uart_reset(&uart);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, LSR), 0x60);
	KUNIT_EXPECT_TRUE(test, shadowvmm_uart_write(&uart, THR, 'x'));
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, LSR), 0x60);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, IIR) & 1, 1);
}

static void uart_divisor_latch(struct kunit *test)
{
	struct shadowvmm_uart uart;

	shadowvmm_uart_reset(&uart);
	shadowvmm_uart_write(&uart, LCR, 0x80);
	/* With DLAB set, THR and IER are the divisor: nothing goes out. */
	KUNIT_EXPECT_FALSE(test, shadowvmm_uart_write(&uart, THR, 0x0c));
	shadowvmm_uart_write(&uart, IER, 0x00);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, THR), 0x0c);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, IER), 0x00);
	shadowvmm_uart_write(&uart, LCR, 0x03);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, LCR), 0x03);
	KUNIT_EXPECT_TRUE(test, shadowvmm_uart_write(&uart, THR, 'a'));
	shadowvmm_uart_write(&uart, IER, 0x05);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, IER), 0x05);
	/* Back in the latch, the divisor is still what was set. */
	shadowvmm_uart_write(&uart, LCR, 0x83);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, THR), 0x0c);
}

static void uart_scratch_and_loopback(struct kunit *test)
{
	struct shadowvmm_uart uart;

	shadowvmm_uart_reset(&uart);
	shadowvmm_uart_write(&uart, SCR, 0x5a);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, SCR), 0x5a);
	/* Linux's 8250 probe: loopback with OUT2 must show DCD, not send. */
	shadowvmm_uart_write(&uart, MCR, 0x18);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, MSR) & 0xf0, 0x80);
	KUNIT_EXPECT_FALSE(test, shadowvmm_uart_write(&uart, THR, 'x'));
}

/*
 * What the 8250 driver runs on: THR-empty raised by enabling it and by
 * each byte sent, cleared by the IIR read that identifies it; received
 * data first in priority; the line out only with OUT2 and not in loopback.
 */
static void uart_interrupt_identification(struct kunit *test)
{
	struct shadowvmm_uart uart;

	shadowvmm_uart_reset(&uart);
	shadowvmm_uart_write(&uart, IIR, 0x01);		/* FIFO on */
	shadowvmm_uart_write(&uart, MCR, 0x08);		/* OUT2 */
	KUNIT_EXPECT_FALSE(test, shadowvmm_uart_irq(&uart));
	shadowvmm_uart_write(&uart, IER, 0x03);
	KUNIT_EXPECT_TRUE(test, shadowvmm_uart_irq(&uart));
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, IIR), 0xc2);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, IIR), 0xc1);
	KUNIT_EXPECT_FALSE(test, shadowvmm_uart_irq(&uart));
	shadowvmm_uart_write(&uart, THR, 'x');
	KUNIT_EXPECT_TRUE(test, shadowvmm_uart_irq(&uart));

	shadowvmm_uart_receive(&uart, 'a');
	shadowvmm_uart_receive(&uart, 'b');
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, LSR), 0x61);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, IIR), 0xc4);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, THR), 'a');
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, THR), 'b');
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, LSR), 0x60);
	/* Received data outranked THR empty, which is still pending. */
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, IIR), 0xc2);

	/* Loopback cuts the line; without OUT2 there is none either. */
	shadowvmm_uart_write(&uart, IER, 0x00);
	shadowvmm_uart_write(&uart, IER, 0x02);
	shadowvmm_uart_write(&uart, MCR, 0x18);
	KUNIT_EXPECT_FALSE(test, shadowvmm_uart_irq(&uart));
	shadowvmm_uart_write(&uart, MCR, 0x00);
	KUNIT_EXPECT_FALSE(test, shadowvmm_uart_irq(&uart));
	shadowvmm_uart_write(&uart, MCR, 0x08);
	KUNIT_EXPECT_TRUE(test, shadowvmm_uart_irq(&uart));
}

static void uart_receive_fifo(struct kunit *test)
{
	struct shadowvmm_uart uart;
	unsigned int i;

	shadowvmm_uart_reset(&uart);
	/* Nothing comes in before the driver takes data by interrupt. */
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_rx_room(&uart), 0U);
	shadowvmm_uart_write(&uart, IER, 0x01);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_rx_room(&uart), 0U);
	shadowvmm_uart_write(&uart, MCR, 0x08);
	/* Without the FIFO, one byte: a 16450's holding register. */
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_rx_room(&uart), 1U);
	shadowvmm_uart_write(&uart, IIR, 0x01);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_rx_room(&uart), 16U);
	for (i = 0; i < 16; i++)
		shadowvmm_uart_receive(&uart, 'a' + i);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_rx_room(&uart), 0U);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, THR), 'a');
	shadowvmm_uart_receive(&uart, 'z');		/* wraps around */
	for (i = 1; i < 16; i++)
		KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, THR), 'a' + i);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, THR), 'z');
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, LSR) & 1, 0);
	/* Clearing the receive FIFO empties it. */
	shadowvmm_uart_receive(&uart, 'q');
	shadowvmm_uart_write(&uart, IIR, 0x03);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, LSR) & 1, 0);
}

#define IOREGSEL	0x00
#define IOWIN		0x10

static void ioapic_write_reg(struct shadowvmm_ioapic *io, u32 reg, u32 val)
{
	shadowvmm_ioapic_write(io, IOREGSEL, reg);
	shadowvmm_ioapic_write(io, IOWIN, val);
}

static u32 ioapic_read_reg(struct shadowvmm_ioapic *io, u32 reg)
{
	shadowvmm_ioapic_write(io, IOREGSEL, reg);
	return shadowvmm_ioapic_read(io, IOWIN);
}

static bool irr_has(const struct shadowvmm_lapic *apic, u8 vector)
{
	return apic->irr[vector / 32] & BIT(vector % 32);
}

static void ioapic_registers(struct kunit *test)
{
	struct shadowvmm_ioapic io;

	shadowvmm_ioapic_reset(&io);
	KUNIT_EXPECT_EQ(test, ioapic_read_reg(&io, 0), 1U << 24);
	KUNIT_EXPECT_EQ(test, ioapic_read_reg(&io, 1), 0x00170011U);
	KUNIT_EXPECT_EQ(test, ioapic_read_reg(&io, 2), 1U << 24);
	/* Every pin starts masked. */
	KUNIT_EXPECT_EQ(test, ioapic_read_reg(&io, 0x10 + 2 * 23), 0x10000U);
	ioapic_write_reg(&io, 0, 0x0f000000);
	KUNIT_EXPECT_EQ(test, ioapic_read_reg(&io, 0), 0x0f000000U);
	/* Delivery status (12) and remote IRR (14) are not written. */
	ioapic_write_reg(&io, 0x18, 0xffffffff);
	KUNIT_EXPECT_EQ(test, ioapic_read_reg(&io, 0x18), 0x1afffU);
	ioapic_write_reg(&io, 0x19, 0xffffffff);
	KUNIT_EXPECT_EQ(test, ioapic_read_reg(&io, 0x19), 0xff000000U);
	KUNIT_EXPECT_EQ(test, shadowvmm_ioapic_read(&io, IOREGSEL), 0x19U);
	/* Past the table, and other offsets, read 0. */
	KUNIT_EXPECT_EQ(test, ioapic_read_reg(&io, 0x40), 0U);
	KUNIT_EXPECT_EQ(test, shadowvmm_ioapic_read(&io, 0x20), 0U);
}

static void ioapic_delivery(struct kunit *test)
{
	struct shadowvmm_lapic apic = { .spiv = APIC_SPIV_APIC_ENABLED,
					.dfr = 0xffffffff };
	struct shadowvmm_ioapic io;

	shadowvmm_ioapic_reset(&io);
	/* Masked: the edge is lost, as on the chip. */
	KUNIT_EXPECT_FALSE(test, shadowvmm_ioapic_set_line(&io, 4, true, &apic));
	shadowvmm_ioapic_set_line(&io, 4, false, &apic);
	ioapic_write_reg(&io, 0x18, 0x31);		/* fixed, physical 0 */
	KUNIT_EXPECT_TRUE(test, shadowvmm_ioapic_set_line(&io, 4, true, &apic));
	KUNIT_EXPECT_TRUE(test, irr_has(&apic, 0x31));
	/* A line that stays up is no new edge. */
	apic.irr[1] = 0;
	KUNIT_EXPECT_FALSE(test, shadowvmm_ioapic_set_line(&io, 4, true, &apic));
	KUNIT_EXPECT_FALSE(test, irr_has(&apic, 0x31));

	/* Another CPU's ID misses; logical, flat: a bit of the LDR. */
	shadowvmm_ioapic_set_line(&io, 4, false, &apic);
	ioapic_write_reg(&io, 0x19, 0x01000000);
	KUNIT_EXPECT_FALSE(test, shadowvmm_ioapic_set_line(&io, 4, true, &apic));
	shadowvmm_ioapic_set_line(&io, 4, false, &apic);
	apic.ldr = 0x01000000;
	ioapic_write_reg(&io, 0x18, 0x931);		/* lowest, logical */
	KUNIT_EXPECT_TRUE(test, shadowvmm_ioapic_set_line(&io, 4, true, &apic));
	KUNIT_EXPECT_TRUE(test, irr_has(&apic, 0x31));
	/* Logical FFh is a broadcast, whatever the LDR holds. */
	shadowvmm_ioapic_set_line(&io, 4, false, &apic);
	apic.ldr = 0;
	ioapic_write_reg(&io, 0x19, 0xff000000);
	KUNIT_EXPECT_TRUE(test, shadowvmm_ioapic_set_line(&io, 4, true, &apic));

	/* NMI delivery; and a software-disabled APIC takes no vector. */
	ioapic_write_reg(&io, 0x10 + 2 * 5, 0x400);
	KUNIT_EXPECT_TRUE(test, shadowvmm_ioapic_set_line(&io, 5, true, &apic));
	KUNIT_EXPECT_TRUE(test, apic.nmi_pending);
	apic.spiv = 0;
	apic.irr[1] = 0;
	ioapic_write_reg(&io, 0x10 + 2 * 6, 0x32);
	KUNIT_EXPECT_FALSE(test, shadowvmm_ioapic_set_line(&io, 6, true, &apic));
	KUNIT_EXPECT_FALSE(test, irr_has(&apic, 0x32));
}

/* Console input waits in the VM until COM1's FIFO has room. */
static void console_input_to_com1(struct kunit *test)
{
	static u8 big[SHADOWVMM_CONSOLE_INPUT_MAX];
	struct shadowvmm_vm *vm = kunit_kzalloc(test, sizeof(*vm), GFP_KERNEL);
	u32 value;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	vm->gmem.size = 16 << 20;
	vm->vcpu.vm = vm;
	shadowvmm_devices_reset(vm);
	vm->vcpu.apic.spiv = APIC_SPIV_APIC_ENABLED;
	KUNIT_EXPECT_EQ(test, shadowvmm_devices_input(vm, (const u8 *)"hi", 2), 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_devices_input(vm, big, sizeof(big)),
			-ENOBUFS);
	/* It waits until the driver takes received data by interrupt. */
	shadowvmm_devices_sync(&vm->vcpu);
	KUNIT_EXPECT_EQ(test, vm->dev.input.len, 2U);
	value = 0x01;
	shadowvmm_pio(&vm->vcpu, 0x3f9, 1, false, &value);	/* IER: data */
	KUNIT_EXPECT_EQ(test, vm->dev.input.len, 2U);
	value = 0x08;
	shadowvmm_pio(&vm->vcpu, 0x3fc, 1, false, &value);	/* MCR: OUT2 */
	/* No FIFO yet: one byte moves in; reading it makes room for the next. */
	KUNIT_EXPECT_EQ(test, vm->dev.input.len, 1U);
	shadowvmm_pio(&vm->vcpu, 0x3f8, 1, true, &value);
	KUNIT_EXPECT_EQ(test, value, (u32)'h');
	shadowvmm_pio(&vm->vcpu, 0x3fd, 1, true, &value);
	KUNIT_EXPECT_EQ(test, value & 1, 1U);
	shadowvmm_pio(&vm->vcpu, 0x3f8, 1, true, &value);
	KUNIT_EXPECT_EQ(test, value, (u32)'i');
	KUNIT_EXPECT_EQ(test, vm->dev.input.len, 0U);

	/* IRQ 4 through the I/O APIC once the driver has set it all up. */
	vm->dev.ioapic.redir[4] = 0x34;
	KUNIT_EXPECT_EQ(test, shadowvmm_devices_input(vm, (const u8 *)"!", 1), 0);
	shadowvmm_devices_sync(&vm->vcpu);
	KUNIT_EXPECT_TRUE(test, irr_has(&vm->vcpu.apic, 0x34));
	KUNIT_EXPECT_EQ(test, vm->stats.counter[SHADOWVMM_STAT_IOAPIC_IRQS], 1ULL);
	KUNIT_EXPECT_EQ(test,
			vm->stats.counter[SHADOWVMM_STAT_CONSOLE_INPUT_BYTES],
			3ULL);
}

static u64 read_item(struct shadowvmm_fw_cfg *fw, u16 key, unsigned int len)
{
	u64 value = 0;
	unsigned int i;

	shadowvmm_fw_cfg_select(fw, key);
	for (i = 0; i < len; i++)
		value |= (u64)shadowvmm_fw_cfg_read(fw) << (i * 8);
	return value;
}

static void fw_cfg_items(struct kunit *test)
{
	struct shadowvmm_fw_cfg fw;

	shadowvmm_fw_cfg_init(&fw, 32 << 20, 1);
	KUNIT_EXPECT_EQ(test, read_item(&fw, FW_CFG_KEY_SIGNATURE, 4),
			(u64)0x554d4551);	/* "QEMU" */
	KUNIT_EXPECT_EQ(test, read_item(&fw, FW_CFG_KEY_RAM_SIZE, 8),
			(u64)32 << 20);
	KUNIT_EXPECT_EQ(test, read_item(&fw, FW_CFG_KEY_NB_CPUS, 2), 1ULL);
	KUNIT_EXPECT_EQ(test, read_item(&fw, FW_CFG_KEY_ID, 4), 1ULL);
	/* Unknown keys and reads past an item's end give zeros. */
	KUNIT_EXPECT_EQ(test, read_item(&fw, 0x1234, 8), 0ULL);
	KUNIT_EXPECT_EQ(test, read_item(&fw, FW_CFG_KEY_NB_CPUS, 4), 1ULL);
}

/* The MC146818's registers, by index. */
enum {
	RTC_SEC, RTC_ALARM_SEC, RTC_MIN, RTC_ALARM_MIN, RTC_HOUR,
	RTC_ALARM_HOUR, RTC_WDAY, RTC_MDAY, RTC_MON, RTC_YEAR,
	RTC_A, RTC_B, RTC_C, RTC_D
};

#define RTC_CENTURY	0x32
#define SECS(s)		((u64)(s) * NSEC_PER_SEC)
#define T0		1796542447ULL	/* 2026-12-06 07:34:07 UTC, a Sunday */
#define T0_PM		1796583909ULL	/* 2026-12-06 19:05:09 UTC */
#define T0_MIDNIGHT	951782400ULL	/* 2000-02-29 00:00:00 UTC */

static u8 rtc_get(struct shadowvmm_rtc *rtc, u8 reg, u64 now)
{
	shadowvmm_rtc_select(rtc, reg);
	return shadowvmm_rtc_read(rtc, now);
}

static void rtc_set(struct shadowvmm_rtc *rtc, u8 reg, u8 value, u64 now)
{
	shadowvmm_rtc_select(rtc, reg);
	shadowvmm_rtc_write(rtc, value, now);
}

static void rtc_time_of_day(struct kunit *test)
{
	u64 now = SECS(T0) + 500 * NSEC_PER_MSEC;
	struct shadowvmm_rtc rtc;

	shadowvmm_rtc_reset(&rtc);
	/* The host's UTC in BCD, 24-hour, as PC firmware leaves it. */
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_SEC, now), 0x07);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_MIN, now), 0x34);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_HOUR, now), 0x07);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_WDAY, now), 0x01);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_MDAY, now), 0x06);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_MON, now), 0x12);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_YEAR, now), 0x26);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_CENTURY, now), 0x20);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_A, now), 0x26);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_B, now), 0x02);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_C, now), 0x00);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_D, now), 0x80);
	/*
	 * Update in progress in the last 244 us of a second only: a reader
	 * that waits for it to clear (Linux's mc146818_avoid_UIP) waits no
	 * longer than that, and sees the new second after it.
	 */
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_A, SECS(T0 + 1) - 244 * NSEC_PER_USEC),
			0xa6);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_A, SECS(T0 + 1) - 245 * NSEC_PER_USEC),
			0x26);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_A, SECS(T0 + 1)), 0x26);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_SEC, SECS(T0 + 1)), 0x08);

	/* 12-hour: 7 PM is 7 with bit 7 set, midnight is 12 AM. */
	rtc_set(&rtc, RTC_B, 0x00, now);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_HOUR, SECS(T0_PM)), 0x87);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_HOUR, SECS(T0_MIDNIGHT)), 0x12);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_HOUR, now), 0x07);
	/* Binary. */
	rtc_set(&rtc, RTC_B, 0x06, now);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_HOUR, SECS(T0_PM)), 19);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_MIN, SECS(T0_PM)), 5);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_MDAY, SECS(T0_MIDNIGHT)), 29);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_MON, SECS(T0_MIDNIGHT)), 2);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_YEAR, SECS(T0_MIDNIGHT)), 0);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_CENTURY, SECS(T0_MIDNIGHT)), 20);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_WDAY, SECS(T0_MIDNIGHT)), 3);
}

/* Set as Linux's mc146818_set_time does: SET, the fields, SET cleared. */
static void rtc_set_clock(struct kunit *test)
{
	u64 now = SECS(T0);
	struct shadowvmm_rtc rtc;

	shadowvmm_rtc_reset(&rtc);
	rtc_set(&rtc, RTC_B, 0x82, now);
	/* Stopped: the time stands, and no update is ever in progress. */
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_SEC, now + SECS(3)), 0x07);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_A, SECS(T0 + 1) - 1), 0x26);
	rtc_set(&rtc, RTC_SEC, 0x59, now);
	rtc_set(&rtc, RTC_MIN, 0x59, now);
	rtc_set(&rtc, RTC_HOUR, 0x23, now);
	rtc_set(&rtc, RTC_MDAY, 0x31, now);
	rtc_set(&rtc, RTC_MON, 0x12, now);
	rtc_set(&rtc, RTC_YEAR, 0x99, now);
	rtc_set(&rtc, RTC_CENTURY, 0x19, now);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_MIN, now + SECS(3)), 0x59);
	rtc_set(&rtc, RTC_B, 0x02, now + SECS(3));
	/* It runs on from what was set: two seconds later it is 2000. */
	now += SECS(5);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_SEC, now), 0x01);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_MIN, now), 0x00);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_HOUR, now), 0x00);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_MDAY, now), 0x01);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_MON, now), 0x01);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_YEAR, now), 0x00);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_CENTURY, now), 0x20);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_WDAY, now), 0x07);	/* Saturday */

	/* One field of a running clock, in 12-hour mode: the rest stay. */
	rtc_set(&rtc, RTC_B, 0x00, now);
	rtc_set(&rtc, RTC_HOUR, 0x81, now);		/* 1 PM */
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_HOUR, now + SECS(60)), 0x81);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_MIN, now + SECS(60)), 0x01);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_MDAY, now + SECS(60)), 0x01);
	rtc_set(&rtc, RTC_B, 0x02, now);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_HOUR, now), 0x13);
}

static void rtc_ram(struct kunit *test)
{
	u64 now = SECS(T0) + 500 * NSEC_PER_MSEC;
	struct shadowvmm_rtc rtc;
	unsigned int reg;

	shadowvmm_rtc_reset(&rtc);
	for (reg = 0x0e; reg < 0x80; reg++)
		if (reg != RTC_CENTURY)
			rtc_set(&rtc, reg, reg ^ 0x5a, now);
	for (reg = 0x0e; reg < 0x80; reg++)
		if (reg != RTC_CENTURY)
			KUNIT_EXPECT_EQ(test, rtc_get(&rtc, reg, now), reg ^ 0x5a);
	rtc_set(&rtc, RTC_ALARM_HOUR, 0x23, now);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_ALARM_HOUR, now), 0x23);
	/* Bit 7 of the select port masks NMIs: it selects nothing. */
	shadowvmm_rtc_select(&rtc, 0x80 | 0x0f);
	KUNIT_EXPECT_EQ(test, shadowvmm_rtc_read(&rtc, now), 0x0f ^ 0x5a);
	/* C and D are read-only, and so is A's update-in-progress bit. */
	rtc_set(&rtc, RTC_C, 0xff, now);
	rtc_set(&rtc, RTC_D, 0x00, now);
	rtc_set(&rtc, RTC_A, 0xff, now);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_C, now), 0x00);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_D, now), 0x80);
	KUNIT_EXPECT_EQ(test, rtc_get(&rtc, RTC_A, now), 0x7f);
}

static struct shadowvmm_vm *pio_vm(struct kunit *test)
{
	struct shadowvmm_vm *vm = kunit_kzalloc(test, sizeof(*vm), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_ASSERT_EQ(test, shadowvmm_console_init(&vm->console), 0);
	vm->gmem.size = 16 << 20;
	vm->vcpu.vm = vm;
	shadowvmm_devices_reset(vm);
	return vm;
}

static void pio_ports(struct kunit *test)
{
	struct shadowvmm_vm *vm = pio_vm(test);
	u64 next, dropped;
	u32 value;
	u8 out[4];

	value = 'h';
	KUNIT_EXPECT_EQ(test, shadowvmm_pio(&vm->vcpu, 0x3f8, 1, false, &value), 0U);
	KUNIT_EXPECT_EQ(test, shadowvmm_console_get(&vm->console, 0, out,
						    sizeof(out), &next,
						    &dropped), 1UL);
	KUNIT_EXPECT_EQ(test, out[0], 'h');
	KUNIT_EXPECT_EQ(test, vm->stats.counter[SHADOWVMM_STAT_CONSOLE_BYTES],
			1ULL);

	/* An empty ISA bus: reads float high, writes vanish. */
	value = 0;
	shadowvmm_pio(&vm->vcpu, 0x2f8, 2, true, &value);
	KUNIT_EXPECT_EQ(test, value, 0xffffU);
	value = 0;
	shadowvmm_pio(&vm->vcpu, 0x1234, 4, true, &value);
	KUNIT_EXPECT_EQ(test, value, ~0U);

	/* No 8259: its mask does not read back (Linux's probe_8259A). */
	value = 0xfb;
	shadowvmm_pio(&vm->vcpu, 0x21, 1, false, &value);
	value = 0;
	shadowvmm_pio(&vm->vcpu, 0x21, 1, true, &value);
	KUNIT_EXPECT_EQ(test, value, 0xffU);

	/* Port B keeps its enables; its status half says no NMI cause. */
	value = 0xff;
	shadowvmm_pio(&vm->vcpu, 0x61, 1, false, &value);
	shadowvmm_pio(&vm->vcpu, 0x61, 1, true, &value);
	KUNIT_EXPECT_EQ(test, value, 0x0fU);

	value = FW_CFG_KEY_NB_CPUS;
	shadowvmm_pio(&vm->vcpu, 0x510, 2, false, &value);
	shadowvmm_pio(&vm->vcpu, 0x511, 1, true, &value);
	KUNIT_EXPECT_EQ(test, value, 1U);
	shadowvmm_console_free(&vm->console);
}

static void pio_debug_exit(struct kunit *test)
{
	struct shadowvmm_vm *vm = pio_vm(test);
	u32 value = 0x12345607;

	KUNIT_EXPECT_EQ(test, shadowvmm_pio(&vm->vcpu, 0xf4, 1, false, &value),
			(u32)SHADOWVMM_STOP_DEBUG_EXIT);
	KUNIT_EXPECT_EQ(test, vm->vcpu.stop.exit_status, 7U);
	value = 300;
	KUNIT_EXPECT_EQ(test, shadowvmm_pio(&vm->vcpu, 0xf4, 4, false, &value),
			(u32)SHADOWVMM_STOP_DEBUG_EXIT);
	KUNIT_EXPECT_EQ(test, vm->vcpu.stop.exit_status, 300U);
	/* Reading the port is harmless. */
	KUNIT_EXPECT_EQ(test, shadowvmm_pio(&vm->vcpu, 0xf4, 1, true, &value), 0U);
	shadowvmm_console_free(&vm->console);
}

/* The RTC behind ports 0x70 and 0x71. */
static void pio_rtc(struct kunit *test)
{
	struct shadowvmm_vm *vm = pio_vm(test);
	struct tm tm;
	u32 value;

	value = 0x80 | RTC_D;		/* NMIs masked, as Linux selects */
	shadowvmm_pio(&vm->vcpu, 0x70, 1, false, &value);
	shadowvmm_pio(&vm->vcpu, 0x71, 1, true, &value);
	KUNIT_EXPECT_EQ(test, value, 0x80U);
	/* The select port is write-only: reading it floats. */
	shadowvmm_pio(&vm->vcpu, 0x70, 1, true, &value);
	KUNIT_EXPECT_EQ(test, value, 0xffU);
	/* A word at 0x70 selects and writes; a word from 0x71 reads 0x72. */
	value = 0xa50e;
	shadowvmm_pio(&vm->vcpu, 0x70, 2, false, &value);
	value = 0;
	shadowvmm_pio(&vm->vcpu, 0x71, 2, true, &value);
	KUNIT_EXPECT_EQ(test, value, 0xffa5U);
	value = 0;
	shadowvmm_pio(&vm->vcpu, 0x70, 4, true, &value);
	KUNIT_EXPECT_EQ(test, value, 0xffffa5ffU);
	/* The year as the host's clock has it, in BCD. */
	time64_to_tm(ktime_get_real_seconds(), 0, &tm);
	value = RTC_YEAR;
	shadowvmm_pio(&vm->vcpu, 0x70, 1, false, &value);
	shadowvmm_pio(&vm->vcpu, 0x71, 1, true, &value);
	KUNIT_EXPECT_EQ(test, value, (u32)bin2bcd((tm.tm_year + 1900) % 100));
	shadowvmm_console_free(&vm->console);
}

static struct kunit_case dev_cases[] = {
	KUNIT_CASE(uart_transmitter_always_empty),
	KUNIT_CASE(uart_divisor_latch),
	KUNIT_CASE(uart_scratch_and_loopback),
	KUNIT_CASE(uart_interrupt_identification),
	KUNIT_CASE(uart_receive_fifo),
	KUNIT_CASE(ioapic_registers),
	KUNIT_CASE(ioapic_delivery),
	KUNIT_CASE(console_input_to_com1),
	KUNIT_CASE(fw_cfg_items),
	KUNIT_CASE(rtc_time_of_day),
	KUNIT_CASE(rtc_set_clock),
	KUNIT_CASE(rtc_ram),
	KUNIT_CASE(pio_ports),
	KUNIT_CASE(pio_debug_exit),
	KUNIT_CASE(pio_rtc),
	{}
};

static struct kunit_suite dev_suite = {
	.name = "shadowvmm_devices",
	.test_cases = dev_cases,
};

kunit_test_suite(dev_suite);
