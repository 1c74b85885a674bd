// SPDX-License-Identifier: GPL-2.0
/*
 * The port I/O space of our PC: COM1, isa-debug-exit, fw_cfg, the PIC
 * mask registers and system control port B. Everything else behaves like an empty ISA bus: reads
 * float to all-ones and writes go nowhere, so probing guests carry on.
 */
#include <linux/kernel.h>
#include "dev/pio.h"
#include "vm.h"

#define PIC_MASTER_CMD	0x20
#define PIC_MASTER_DATA	0x21
#define PIC_SLAVE_CMD	0xa0
#define PIC_SLAVE_DATA	0xa1
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
	shadowvmm_fw_cfg_init(&vm->dev.fw_cfg, vm->gmem.size, 1);
	vm->dev.pic_mask[0] = 0xff;
	vm->dev.pic_mask[1] = 0xff;
	vm->dev.port_b = 0;
}

static u32 size_mask(unsigned int size)
{
	return size >= 4 ? ~0U : (1U << (size * 8)) - 1;
}

static void com1_access(struct shadowvmm_vm *vm, unsigned int reg, bool in,
			u32 *value)
{
	u8 byte = *value;

	if (in) {
		*value = shadowvmm_uart_read(&vm->dev.com1, reg);
		return;
	}
	if (shadowvmm_uart_write(&vm->dev.com1, reg, byte)) {
		shadowvmm_console_put(&vm->console, &byte, 1);
		shadowvmm_stat_add(&vm->stats, SHADOWVMM_STAT_CONSOLE_BYTES, 1);
	}
}

/**
 * shadowvmm_pio() - carry out one port access of the guest's
 * @vm: the VM
 * @port: the port
 * @size: 1, 2 or 4 bytes
 * @in: true for IN, false for OUT
 * @value: the value written, or where the value read goes
 *
 * Return: SHADOWVMM_STOP_NONE, or SHADOWVMM_STOP_DEBUG_EXIT with the guest's
 * exit status in the vCPU's stop record.
 */
u32 shadowvmm_pio(struct shadowvmm_vm *vm, u16 port, unsigned int size,
		  bool in, u32 *value)
{
	unsigned int i;

	if (port >= SHADOWVMM_COM1_BASE &&
	    port < SHADOWVMM_COM1_BASE + SHADOWVMM_UART_PORTS) {
		com1_access(vm, port - SHADOWVMM_COM1_BASE, in, value);
		return SHADOWVMM_STOP_NONE;
	}
	if (port >= SHADOWVMM_DEBUG_EXIT_PORT &&
	    port < SHADOWVMM_DEBUG_EXIT_PORT + SHADOWVMM_DEBUG_EXIT_SIZE) {
		if (in)
			goto unassigned;
		vm->vcpu.stop.exit_status = *value & size_mask(size);
		return SHADOWVMM_STOP_DEBUG_EXIT;
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
	case PIC_MASTER_DATA:
	case PIC_SLAVE_DATA:
		if (in)
			*value = vm->dev.pic_mask[port == PIC_SLAVE_DATA];
		else
			vm->dev.pic_mask[port == PIC_SLAVE_DATA] = *value;
		return SHADOWVMM_STOP_NONE;
	case PORT_B:
		if (in)
			*value = vm->dev.port_b;
		else
			vm->dev.port_b = *value & PORT_B_WRITABLE;
		return SHADOWVMM_STOP_NONE;
	case PIC_MASTER_CMD:
	case PIC_SLAVE_CMD:
		/* No interrupt is ever pending or in service. */
		if (in)
			*value = 0;
		return SHADOWVMM_STOP_NONE;
	}

unassigned:
	if (in)
		*value = size_mask(size);
	return SHADOWVMM_STOP_NONE;
}
