/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_DEV_UART_H
#define SHADOWVMM_DEV_UART_H

#include <linux/types.h>

#define SHADOWVMM_COM1_BASE	0x3f8
#define SHADOWVMM_UART_PORTS	8
#define SHADOWVMM_UART_FIFO	16

/*
 * COM1 as a 16550A: an infinitely fast transmitter (THR and the shifter
 * are always empty, so a polling console never waits), a 16-byte receive
 * FIFO that the VMM fills from the console input once the driver takes
 * received data by interrupt, and the interrupt identification a driver
 * runs on: received data, then THR empty, onto the interrupt line when
 * MCR.OUT2 connects it, as on a PC.
 */
struct shadowvmm_uart {
	u8 ier, lcr, mcr, scr, fcr;
	u8 dll, dlm;
	bool thre_pending;	/* a THR-empty interrupt not yet identified */
	u8 rx[SHADOWVMM_UART_FIFO];
	u8 rx_head, rx_count;
};

void shadowvmm_uart_reset(struct shadowvmm_uart *uart);
u8 shadowvmm_uart_read(struct shadowvmm_uart *uart, unsigned int reg);
/* Return: true when @value is a byte transmitted on the line. */
bool shadowvmm_uart_write(struct shadowvmm_uart *uart, unsigned int reg,
			  u8 value);
unsigned int shadowvmm_uart_rx_room(const struct shadowvmm_uart *uart);
void shadowvmm_uart_receive(struct shadowvmm_uart *uart, u8 byte);
bool shadowvmm_uart_irq(const struct shadowvmm_uart *uart);

#endif
