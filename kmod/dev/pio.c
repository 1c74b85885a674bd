// SPDX-License-Identifier: GPL-2.0
/*
 * The port I/O space of our PC: COM1, isa-debug-exit, fw_cfg, the RTC and
 * system control port B. Everything else behaves like an empty ISA bus:
 * reads float to all-ones and writes go nowhere, so probing guests carry
 * on: that is how Linux finds no i8042 keyboard controller, no PCI
 * configuration mechanism and no other UART, in a few accesses each.
 * There is no 8259 PIC: its mask register does not read back what was
 * written, which is how an OS finds it missing (Linux then routes every
 * ISA interrupt through the I/O APIC the MP table lists).
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include "dev/pio.h"
#include "vm_types.h"

/*
 * System control port B: the PIT's channel 2 gate and the speaker
 * (bits 0-1), and the masks of parity and I/O-check NMIs (bits 2-3) read
 * back; the status half reads 0: no refresh toggle, no timer output (no
 * PIT) and, what an OS's NMI handler asks it, no parity or I/O error.
 */
#define PORT_B		0x61
#define PORT_B_WRITABLE	0x0f

void shadowvmm_devices_reset(struct shadowvmm_vm *vm)
{
	shadowvmm_uart_reset(&vm->dev.com1);
	shadowvmm_ioapic_reset(&vm->dev.ioapic);
	shadowvmm_fw_cfg_init(&vm->dev.fw_cfg, vm->gmem.size, 1);
	shadowvmm_rtc_reset(&vm->dev.rtc);
	vm->dev.port_b = 0;
	spin_lock_init(&vm->dev.input.lock);
	vm->dev.input.head = 0;
	vm->dev.input.len = 0;
}

/**
 * shadowvmm_devices_input() - queue bytes for the guest's COM1
 * @vm: the VM
 * @data: the bytes
 * @len: how many, at most SHADOWVMM_CONSOLE_INPUT_MAX
 *
 * Context: any thread but the vCPU's; the caller kicks the vCPU after.
 * Return: 0, or -ENOBUFS when they do not all fit (none are queued then):
 * the guest is not reading what it was sent.
 */
int shadowvmm_devices_input(struct shadowvmm_vm *vm, const u8 *data,
			    size_t len)
{
	struct shadowvmm_console_input *in = &vm->dev.input;
	size_t i;

	spin_lock(&in->lock);
	if (len > sizeof(in->buf) - in->len) {
		spin_unlock(&in->lock);
		return -ENOBUFS;
	}
	for (i = 0; i < len; i++)
		in->buf[(in->head + in->len + i) % sizeof(in->buf)] = data[i];
	in->len += len;
	spin_unlock(&in->lock);
	return 0;
}

/**
 * shadowvmm_devices_sync() - move console input into COM1's FIFO and drive
 * COM1's interrupt line into the I/O APIC
 * @vcpu: the vCPU whose local APIC the I/O APIC delivers to
 *
 * Context: the vCPU's thread, after each COM1 or I/O APIC access and
 * before an entry while input waits, so that every change of the line is
 * seen as it happens.
 */
void shadowvmm_devices_sync(struct shadowvmm_vcpu *vcpu)
{
	struct shadowvmm_vm *vm = vcpu->vm;
	struct shadowvmm_console_input *in = &vm->dev.input;
	struct shadowvmm_uart *com1 = &vm->dev.com1;
	unsigned int room = shadowvmm_uart_rx_room(com1), moved = 0;

	if (room && READ_ONCE(in->len)) {
		spin_lock(&in->lock);
		for (; moved < room && in->len; moved++) {
			shadowvmm_uart_receive(com1, in->buf[in->head]);
			in->head = (in->head + 1) % sizeof(in->buf);
			in->len--;
		}
		spin_unlock(&in->lock);
		/* Counted here: the vCPU's thread is the counters' one writer. */
		shadowvmm_stat_add(&vm->stats, SHADOWVMM_STAT_CONSOLE_INPUT_BYTES,
				   moved);
	}
	if (shadowvmm_ioapic_set_line(&vm->dev.ioapic,
				      SHADOWVMM_IOAPIC_PIN_COM1,
				      shadowvmm_uart_irq(com1),
				      &vcpu->apic))
		shadowvmm_stat_add(&vm->stats, SHADOWVMM_STAT_IOAPIC_IRQS, 1);
}

static u32 size_mask(unsigned int size)
{
	return size >= 4 ? ~0U : (1U << (size * 8)) - 1;
}

static void com1_access(struct shadowvmm_vcpu *vcpu, unsigned int reg,
			bool in, u32 *value)
{
	struct shadowvmm_vm *vm = vcpu->vm;
	u8 byte = *value;

	if (in) {
		*value = shadowvmm_uart_read(&vm->dev.com1, reg);
		shadowvmm_devices_sync(vcpu);
		return;
	}
	if (shadowvmm_uart_write(&vm->dev.com1, reg, byte)) {
		shadowvmm_console_put(&vm->console, &byte, 1);
		shadowvmm_stat_add(&vm->stats, SHADOWVMM_STAT_CONSOLE_BYTES, 1);
	}
	shadowvmm_devices_sync(vcpu);
}

/*
 * The RTC's two ports, byte by byte: a word at 0x70 selects a register
 * and writes it, as on the ISA bus; a byte past 0x71 floats.
 */
static void rtc_access(struct shadowvmm_vm *vm, u16 port, unsigned int size,
		       bool in, u32 *value)
{
	u64 now = ktime_get_real_ns();
	u32 byte, result = 0;
	unsigned int i;

	for (i = 0; i < size; i++, port++) {
		byte = 0xff;
		if (port == SHADOWVMM_RTC_DATA && in)
			byte = shadowvmm_rtc_read(&vm->dev.rtc, now);
		else if (port == SHADOWVMM_RTC_DATA)
			shadowvmm_rtc_write(&vm->dev.rtc, *value >> (i * 8), now);
		else if (port == SHADOWVMM_RTC_INDEX && !in)
			shadowvmm_rtc_select(&vm->dev.rtc, *value >> (i * 8));
		result |= byte << (i * 8);
	}
	if (in)
		*value = result;
}

/**
 * shadowvmm_pio() - carry out one port access of the guest's
 * @vcpu: the vCPU that made it
 * @port: the port
 * @size: 1, 2 or 4 bytes
 * @in: true for IN, false for OUT
 * @value: the value written, or where the value read goes
 *
 * Return: SHADOWVMM_STOP_NONE, or SHADOWVMM_STOP_DEBUG_EXIT with the guest's
 * exit status in @vcpu's stop record.
 */
u32 shadowvmm_pio(struct shadowvmm_vcpu *vcpu, u16 port, unsigned int size,
		  bool in, u32 *value)
{
	struct shadowvmm_vm *vm = vcpu->vm;
	unsigned int i;

	if (port >= SHADOWVMM_COM1_BASE &&
	    port < SHADOWVMM_COM1_BASE + SHADOWVMM_UART_PORTS) {
		com1_access(vcpu, port - SHADOWVMM_COM1_BASE, in, value);
		return SHADOWVMM_STOP_NONE;
	}
	if (port >= SHADOWVMM_DEBUG_EXIT_PORT &&
	    port < SHADOWVMM_DEBUG_EXIT_PORT + SHADOWVMM_DEBUG_EXIT_SIZE) {
		if (in)
			goto unassigned;
		vcpu->stop.exit_status = *value & size_mask(size);
		return SHADOWVMM_STOP_DEBUG_EXIT;
	}

	if (port == SHADOWVMM_RTC_INDEX || port == SHADOWVMM_RTC_DATA) {
		rtc_access(vm, port, size, in, value);
		return SHADOWVMM_STOP_NONE;
	}

	switch (port) {
	case SHADOWVMM_FW_CFG_SELECTOR:
		if (in)
			goto unassigned;
		shadowvmm_fw_cfg_select(&vm->dev.fw_cfg, *value);
		return SHADOWVMM_STOP_NONE;
	case SHADOWVMM_FW_CFG_DATA:
		if (!in)
			return SHADOWVMM_STOP_NONE;
		/* Wider reads take consecutive bytes, the first lowest. */
		*value = 0;
		for (i = 0; i < size; i++)
			*value |= (u32)shadowvmm_fw_cfg_read(&vm->dev.fw_cfg)
				  << (i * 8);
		return SHADOWVMM_STOP_NONE;
	case PORT_B:
		if (in)
			*value = vm->dev.port_b;
		else
			vm->dev.port_b = *value & PORT_B_WRITABLE;
		return SHADOWVMM_STOP_NONE;
	}

unassigned:
	if (in)
		*value = size_mask(size);
	return SHADOWVMM_STOP_NONE;
}
