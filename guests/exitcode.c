// SPDX-License-Identifier: GPL-2.0
/* Exits with the status named on its command line: "exitcode 7". */
#include "runtime.h"

static int parse_status(const char *s)
{
	int value = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		value = value * 10 + *s - '0';
		if (value > 255)
			return -1;
	}
	return value;
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	int status = parse_status(argc > 1 ? argv[1] : 0);

	if (status < 0) {
		puts("exitcode: usage: exitcode STATUS (0-255)\n");
		return 1;
	}
	printf("exitcode: exiting with %d\n", status);
	return status;
}
