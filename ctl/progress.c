// SPDX-License-Identifier: GPL-2.0
/*
 * A progress bar for long loads, as wget and dd status=progress draw one:
 * on stderr, redrawn in place with \r, and only on a terminal, so that
 * scripts and logs never see it.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "progress.h"

#define BAR_WIDTH	30

void progress_format(char *buf, size_t len, uint64_t done, uint64_t total,
		     int width)
{
	unsigned int pct = total ? done * 100 / total : 100;
	int fill = total ? (int)(done * width / total) : width;
	double mib = 1024.0 * 1024.0;
	size_t n = 0;
	int i;

	if (len < (size_t)width + 3)
		return;
	buf[n++] = '[';
	for (i = 0; i < width; i++)
		buf[n++] = i < fill ? '#' : ' ';
	buf[n++] = ']';
	snprintf(buf + n, len - n, " %3u%%  %.1f/%.1f MiB", pct, done / mib,
		 total / mib);
}

void progress_start(struct progress *p, const char *what, uint64_t total)
{
	p->what = what;
	p->total = total;
	p->shown = -1;
	/* Nothing to show for nothing to do. */
	p->tty = total && isatty(STDERR_FILENO);
	progress_update(p, 0);
}

void progress_update(struct progress *p, uint64_t done)
{
	int permille = p->total ? (int)(done * 1000 / p->total) : 1000;
	char bar[128];

	/* A thousand redraws at most, whatever the size. */
	if (!p->tty || permille == p->shown)
		return;
	p->shown = permille;
	progress_format(bar, sizeof(bar), done, p->total, BAR_WIDTH);
	fprintf(stderr, "\rshadowvmm: %s %s", p->what, bar);
	fflush(stderr);
}

/* Wipe the bar: what follows on stderr starts on a clean line. */
void progress_end(struct progress *p)
{
	if (p->tty && p->shown >= 0)
		fprintf(stderr, "\r\033[K");
	p->shown = -1;
}
