// SPDX-License-Identifier: GPL-2.0
/* Sizes as people type them: 4096, 64K, 32M, 1G (binary multiples). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "size.h"

int parse_size(const char *text, uint64_t *bytes)
{
	unsigned int shift = 0;
	unsigned long long n;
	char *end;

	if (!isdigit((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	n = strtoull(text, &end, 10);
	if (errno)
		return -EINVAL;
	switch (toupper((unsigned char)*end)) {
	case '\0':
		break;
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	default:
		return -EINVAL;
	}
	if (*end && end[1] && !(toupper((unsigned char)end[1]) == 'I' &&
				toupper((unsigned char)end[2]) == 'B' && !end[3]))
		return -EINVAL;
	if (shift && n > (UINT64_MAX >> shift))
		return -EINVAL;
	*bytes = (uint64_t)n << shift;
	return 0;
}

int parse_vm_id(const char *text, uint32_t *id)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	n = strtoul(text, &end, 10);
	if (errno || *end || n == 0 || n > UINT32_MAX)
		return -EINVAL;
	*id = n;
	return 0;
}

void format_size(uint64_t bytes, char *buf, unsigned int len)
{
	static const char units[] = "KMG";
	int i;

	for (i = 2; i >= 0; i--) {
		uint64_t unit = 1ULL << (10 * (i + 1));

		if (bytes >= unit && bytes % unit == 0) {
			snprintf(buf, len, "%" PRIu64 "%c", bytes / unit,
				 units[i]);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64, bytes);
}
