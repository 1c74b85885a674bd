// SPDX-License-Identifier: GPL-2.0
/* COM1 by polling, the way early boot code drives a 16550. */
#include "runtime.h"

#define COM1	0x3f8
#define THR	0
#define IER	1
#define FCR	2
#define LCR	3
#define MCR	4
#define LSR	5
#define DLL	0
#define DLM	1
#define LSR_THRE	0x20

void serial_init(void)
{
	outb(COM1 + IER, 0x00);
	outb(COM1 + LCR, 0x80);		/* divisor latch: 115200 baud */
	outb(COM1 + DLL, 0x01);
	outb(COM1 + DLM, 0x00);
	outb(COM1 + LCR, 0x03);		/* 8N1 */
	outb(COM1 + FCR, 0xc7);
	outb(COM1 + MCR, 0x0b);
}

void putchar(int c)
{
	while (!(inb(COM1 + LSR) & LSR_THRE))
		;
	outb(COM1 + THR, c);
}

void puts(const char *s)
{
	while (*s)
		putchar(*s++);
}
