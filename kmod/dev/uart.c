// SPDX-License-Identifier: GPL-2.0
/*
 * COM1 as a 16550A (uart.h). The divisor is kept only so it reads back
 * what was set: bytes move at the speed of the VMM, not the baud rate.
 */
#include <linux/serial_reg.h>
#include "dev/uart.h"

#define IIR_FIFO_ON	0xc0	/* the 16550A's FIFOs, in IIR bits 7:6 */

void shadowvmm_uart_reset(struct shadowvmm_uart *uart)
{
	*uart = (struct shadowvmm_uart){ .dll = 1 };	/* 115200 baud */
}

/* The pending interrupt of highest priority, as IIR's low nibble says. */
static u8 pending_interrupt(const struct shadowvmm_uart *uart)
{
	if ((uart->ier & UART_IER_RDI) && uart->rx_count)
		return UART_IIR_RDI;
	if ((uart->ier & UART_IER_THRI) && uart->thre_pending)
		return UART_IIR_THRI;
	return UART_IIR_NO_INT;
}

/**
 * shadowvmm_uart_irq() - the level of the UART's interrupt line
 * @uart: the UART
 *
 * Return: true while an enabled interrupt is pending and OUT2 connects
 * the line to the bus, which loopback mode cuts.
 */
bool shadowvmm_uart_irq(const struct shadowvmm_uart *uart)
{
	return (uart->mcr & (UART_MCR_OUT2 | UART_MCR_LOOP)) == UART_MCR_OUT2 &&
	       pending_interrupt(uart) != UART_IIR_NO_INT;
}

/*
 * Room for received bytes. Without the FIFO the receiver holds one byte,
 * as a 16450's does. Nothing arrives before the driver takes received
 * data by interrupt (IER bit 0, and MCR.OUT2 connecting the line):
 * input typed ahead waits in the VMM rather than in a receiver that a
 * driver probing and starting the chip reads and drops (Linux's 8250
 * sets IER to 0x0F for a moment while it probes, and reads RBR as it
 * starts). A polling driver sets both bits too to receive.
 */
unsigned int shadowvmm_uart_rx_room(const struct shadowvmm_uart *uart)
{
	unsigned int size = uart->fcr & UART_FCR_ENABLE_FIFO ? SHADOWVMM_UART_FIFO : 1;

	if (!(uart->ier & UART_IER_RDI) || !(uart->mcr & UART_MCR_OUT2))
		return 0;
	return uart->rx_count < size ? size - uart->rx_count : 0;
}

/* A byte arrived on the line; the caller checked there is room. */
void shadowvmm_uart_receive(struct shadowvmm_uart *uart, u8 byte)
{
	uart->rx[(uart->rx_head + uart->rx_count++) % SHADOWVMM_UART_FIFO] = byte;
}

static u8 receive_pop(struct shadowvmm_uart *uart)
{
	u8 byte;

	if (!uart->rx_count)
		return 0;
	byte = uart->rx[uart->rx_head];
	uart->rx_head = (uart->rx_head + 1) % SHADOWVMM_UART_FIFO;
	uart->rx_count--;
	return byte;
}

u8 shadowvmm_uart_read(struct shadowvmm_uart *uart, unsigned int reg)
{
	bool dlab = uart->lcr & UART_LCR_DLAB;
	u8 iir;

	switch (reg) {
	case UART_RX:
		return dlab ? uart->dll : receive_pop(uart);
	case UART_IER:
		return dlab ? uart->dlm : uart->ier;
	case UART_IIR:
		iir = pending_interrupt(uart);
		/* Identifying a THR-empty interrupt is what clears it. */
		if (iir == UART_IIR_THRI)
			uart->thre_pending = false;
		return iir | ((uart->fcr & UART_FCR_ENABLE_FIFO) ? IIR_FIFO_ON : 0);
	case UART_LCR:
		return uart->lcr;
	case UART_MCR:
		return uart->mcr;
	case UART_LSR:
		return UART_LSR_THRE | UART_LSR_TEMT |
		       (uart->rx_count ? UART_LSR_DR : 0);
	case UART_MSR:
		/* In loopback the modem inputs follow MCR, as on the chip. */
		if (uart->mcr & UART_MCR_LOOP)
			return ((uart->mcr & 0x0c) << 4) |
			       ((uart->mcr & 0x01) << 5) |
			       ((uart->mcr & 0x02) << 3);
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	case UART_SCR:
		return uart->scr;
	}
	return 0xff;
}

bool shadowvmm_uart_write(struct shadowvmm_uart *uart, unsigned int reg,
			  u8 value)
{
	bool dlab = uart->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_TX:
		if (dlab) {
			uart->dll = value;
			return false;
		}
		/* Sent at once: the THR is empty again. */
		uart->thre_pending = true;
		/* Loopback output never reaches the line. */
		return !(uart->mcr & UART_MCR_LOOP);
	case UART_IER:
		if (dlab) {
			uart->dlm = value;
			break;
		}
		/* Enabling it with the THR empty raises the interrupt. */
		if (value & ~uart->ier & UART_IER_THRI)
			uart->thre_pending = true;
		uart->ier = value & 0x0f;
		break;
	case UART_FCR:
		/*
		 * Only an explicit reset empties the receiver. The chip also
		 * empties it when the FIFO is turned on or off, but Linux's
		 * 8250 driver turns it on after it has enabled received-data
		 * interrupts, and the first bytes typed would be lost.
		 */
		if (value & UART_FCR_CLEAR_RCVR)
			uart->rx_count = 0;
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
