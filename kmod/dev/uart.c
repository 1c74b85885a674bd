// SPDX-License-Identifier: GPL-2.0
/*
 * COM1 as a 16550 with an always-empty transmitter. The transmitter is
 * infinitely fast, so LSR always says THR and shifter empty and the guest
 * never waits; the divisor is kept only so it reads back what was set.
 */
#include "dev/uart.h"

#define UART_RBR_THR	0	/* DLAB=1: divisor latch low */
#define UART_IER	1	/* DLAB=1: divisor latch high */
#define UART_IIR_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define LCR_DLAB	0x80
#define MCR_LOOP	0x10
#define FCR_ENABLE	0x01
#define IIR_NO_INT	0x01
#define IIR_FIFO_ON	0xc0
#define LSR_THRE_TEMT	0x60
#define MSR_DCD_DSR_CTS	0xb0

void shadowvmm_uart_reset(struct shadowvmm_uart *uart)
{
	*uart = (struct shadowvmm_uart){ .dll = 1 };	/* 115200 baud */
}

u8 shadowvmm_uart_read(struct shadowvmm_uart *uart, unsigned int reg)
{
	bool dlab = uart->lcr & LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		return dlab ? uart->dll : 0;
	case UART_IER:
		return dlab ? uart->dlm : uart->ier;
	case UART_IIR_FCR:
		return IIR_NO_INT | ((uart->fcr & FCR_ENABLE) ? IIR_FIFO_ON : 0);
	case UART_LCR:
		return uart->lcr;
	case UART_MCR:
		return uart->mcr;
	case UART_LSR:
		return LSR_THRE_TEMT;
	case UART_MSR:
		/* In loopback the modem inputs follow MCR, as on the chip. */
		if (uart->mcr & MCR_LOOP)
			return ((uart->mcr & 0x0c) << 4) |
			       ((uart->mcr & 0x01) << 5) |
			       ((uart->mcr & 0x02) << 3);
		return MSR_DCD_DSR_CTS;
	case UART_SCR:
		return uart->scr;
	}
	return 0xff;
}

bool shadowvmm_uart_write(struct shadowvmm_uart *uart, unsigned int reg,
			  u8 value)
{
	bool dlab = uart->lcr & LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		if (dlab) {
			uart->dll = value;
			return false;
		}
		/* Loopback output never reaches the line. */
		return !(uart->mcr & MCR_LOOP);
	case UART_IER:
		if (dlab)
			uart->dlm = value;
		else
			uart->ier = value & 0x0f;
		break;
	case UART_IIR_FCR:
		uart->fcr = value & 0xc9;
		break;
	case UART_LCR:
		uart->lcr = value;
		break;
	case UART_MCR:
		uart->mcr = value & 0x1f;
		break;
	case UART_SCR:
		uart->scr = value;
		break;
	}
	return false;
}
