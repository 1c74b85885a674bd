/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_DEV_UART_H
#define SHADOWVMM_DEV_UART_H

#include <linux/types.h>

#define SHADOWVMM_COM1_BASE	0x3f8
#define SHADOWVMM_UART_PORTS	8

/*
 * The part of a 16550 that a polling guest console uses: transmit, the
 * divisor latch and the registers drivers read back while probing. There
 * is no receive path and no interrupt.
 */
struct shadowvmm_uart {
	u8 ier, lcr, mcr, scr, fcr;
	u8 dll, dlm;
};

void shadowvmm_uart_reset(struct shadowvmm_uart *uart);
u8 shadowvmm_uart_read(struct shadowvmm_uart *uart, unsigned int reg);
/* Return: true when @value is a byte transmitted on the line. */
bool shadowvmm_uart_write(struct shadowvmm_uart *uart, unsigned int reg,
			  u8 value);

#endif
