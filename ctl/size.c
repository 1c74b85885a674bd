// SPDX-License-Identifier: GPL-2.0
/* Sizes and ids as people type them. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "size.h"

static int suffix_shift(const char *s)
{
	static const char units[] = "KMGT";
	const char *u;

	if (!*s)
		return 0;
	u = strchr(units, toupper((unsigned char)*s));
	if (!u)
		return -1;
	s++;
	/* Accept K, KB, Ki, KiB: all binary, as QEMU's -m reads them. */
	if (*s == 'i' || *s == 'I')
		s++;
	if (*s == 'b' || *s == 'B')
		s++;
	return *s ? -1 : 10 * (int)(u - units + 1);
}

int parse_size(const char *text, uint64_t *bytes)
{
	unsigned long long n;
	char *end;
	int shift;

	/* strtoull would take leading blanks and a minus sign. */
	if (!isdigit((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	n = strtoull(text, &end, 10);
	if (errno)
		return -EINVAL;
	shift = suffix_shift(end);
	if (shift < 0 || (shift && n > (UINT64_MAX >> shift)))
		return -EINVAL;
	*bytes = (uint64_t)n << shift;
	return 0;
}

int parse_vm_id(const char *text, uint32_t *id)
{
	unsigned long long n;
	char *end;

	if (!isdigit((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	n = strtoull(text, &end, 10);
	if (errno || *end || n == 0 || n > UINT32_MAX)
		return -EINVAL;
	*id = n;
	return 0;
}

int parse_count(const char *text, uint32_t *n)
{
	return parse_vm_id(text, n);
}

int parse_address(const char *text, uint64_t *addr)
{
	unsigned long long n;
	int base = 10;
	char *end;

	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		base = 16;
		text += 2;
	}
	/* No sign, no blanks, no octal: what people mean by 0755 is rare. */
	if (!isxdigit((unsigned char)*text) ||
	    (base == 10 && !isdigit((unsigned char)*text)))
		return -EINVAL;
	errno = 0;
	n = strtoull(text, &end, base);
	if (errno || *end)
		return -EINVAL;
	*addr = n;
	return 0;
}

int parse_seconds(const char *text, double *seconds)
{
	char *end;
	double d;

	if (!isdigit((unsigned char)*text) && *text != '.')
		return -EINVAL;
	errno = 0;
	d = strtod(text, &end);
	/* strtod also reads "inf", "nan" and hex floats: digits only here. */
	if (errno || *end || strpbrk(text, "xXnNiI") || !(d >= 0.1 && d <= 86400))
		return -EINVAL;
	*seconds = d;
	return 0;
}

void format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int i;

	for (i = 3; i >= 0; i--) {
		uint64_t unit = 1ULL << (10 * (i + 1));

		if (bytes >= unit && bytes % unit == 0) {
			snprintf(buf, len, "%" PRIu64 "%c", bytes / unit, units[i]);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64, bytes);
}
