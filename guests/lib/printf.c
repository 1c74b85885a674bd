// SPDX-License-Identifier: GPL-2.0
/* Enough printf for test output: %s %c %d %u %x %p %%, width, zero pad. */
#include <stdarg.h>
#include "runtime.h"

static void put_number(u32 value, unsigned int base, int negative, int width,
		       char pad)
{
	char digits[12];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[value % base];
		value /= base;
	} while (value);
	/* Zeros go between the sign and the digits: -0042, not 00-42. */
	if (negative && pad == '0') {
		putchar('-');
		width--;
	} else if (negative) {
		digits[n++] = '-';
	}
	while (width-- > n)
		putchar(pad);
	while (n)
		putchar(digits[--n]);
}

void vprintf(const char *fmt, va_list ap)
{
	int width;
	char pad;
	int d;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putchar(*fmt);
			continue;
		}
		fmt++;
		pad = ' ';
		if (*fmt == '0')
			pad = *fmt++;
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + *fmt - '0';
		switch (*fmt) {
		case 's':
			puts(va_arg(ap, const char *));
			break;
		case 'c':
			putchar(va_arg(ap, int));
			break;
		case 'd':
			d = va_arg(ap, int);
			put_number(d < 0 ? -(u32)d : (u32)d, 10, d < 0, width,
				   pad);
			break;
		case 'u':
			put_number(va_arg(ap, u32), 10, 0, width, pad);
			break;
		case 'x':
			put_number(va_arg(ap, u32), 16, 0, width, pad);
			break;
		case '%':
			putchar('%');
			break;
		case 'p':
			/* Fixed width, so addresses line up in dumps. */
			puts("0x");
			put_number((u32)va_arg(ap, void *), 16, 0, 8, '0');
			break;
		default:
			/* Unknown: print it as is, but not past the end. */
			putchar('%');
			if (!*fmt)
				return;
			putchar(*fmt);
			break;
		}
	}
}

void printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
