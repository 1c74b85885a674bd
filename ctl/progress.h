/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_PROGRESS_H
#define SHADOWVMM_CTL_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A progress bar on stderr, drawn only when stderr is a terminal. */
struct progress {
	const char *what;	/* "loading guest.elf" */
	uint64_t total;
	int shown;		/* the permille last drawn, or -1 */
	bool tty;
};

void progress_start(struct progress *p, const char *what, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
void progress_end(struct progress *p);
/* "[#####     ]  50%  32.0/64.0 MiB": the line without "what", for tests. */
void progress_format(char *buf, size_t len, uint64_t done, uint64_t total,
		     int width);

#endif
