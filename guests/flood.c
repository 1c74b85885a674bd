// SPDX-License-Identifier: GPL-2.0
/*
 * Prints N numbered lines of 64 bytes as fast as COM1 takes them, then a
 * last line: "flood N". A reader that falls behind loses some of it, and
 * must be told how many bytes (tests/e2e/cases/72-console-flood.sh).
 */
#include "runtime.h"

static int parse_count(const char *s)
{
	int value = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || value > 10000000)
			return -1;
		value = value * 10 + *s - '0';
	}
	return value;
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	static const char fill[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW";
	int i, n = parse_count(argc > 1 ? argv[1] : 0);

	if (n < 0) {
		puts("flood: usage: flood LINES\n");
		return 2;
	}
	/* "flood 0000042 " and the fill: 63 bytes and a newline. */
	for (i = 0; i < n; i++)
		printf("flood %07d %s\n", i, fill);
	printf("flood: done, %d lines\n", n);
	return 0;
}
