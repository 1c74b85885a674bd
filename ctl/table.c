// SPDX-License-Identifier: GPL-2.0
/* Aligned columns for human output. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "table.h"

void table_init(struct table *t, unsigned int cols, const char *align)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->align = align;
}

static void add(struct table *t, char *text)
{
	char **cells;

	if (!t->err && t->nr == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16 * t->cols;
		cells = realloc(t->cells, t->cap * sizeof(*cells));
		if (cells)
			t->cells = cells;
		else
			t->err = -ENOMEM;
	}
	if (t->err || !text) {
		t->err = -ENOMEM;
		free(text);
		return;
	}
	t->cells[t->nr++] = text;
}

void table_cell(struct table *t, const char *text)
{
	add(t, strdup(text ? text : ""));
}

void table_cellf(struct table *t, const char *fmt, ...)
{
	char *text;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	add(t, n < 0 ? NULL : text);
}

int table_print(const struct table *t, FILE *f, const char *indent)
{
	size_t rows = t->nr / t->cols, r, w[16] = { 0 }, len;
	unsigned int c, last;

	if (t->err)
		return t->err;
	if (t->cols > sizeof(w) / sizeof(w[0]))
		return -EINVAL;
	for (r = 0; r < rows; r++)
		for (c = 0; c < t->cols; c++) {
			len = strlen(t->cells[r * t->cols + c]);
			if (len > w[c])
				w[c] = len;
		}
	for (r = 0; r < rows; r++) {
		char *const *row = &t->cells[r * t->cols];

		/* The last column with text: nothing is printed after it. */
		for (last = t->cols; last > 1 && !row[last - 1][0]; last--)
			;
		fputs(indent, f);
		for (c = 0; c < last; c++) {
			int pad = (int)w[c];

			if (c == last - 1 && t->align[c] != 'r')
				pad = 0;
			fprintf(f, t->align[c] == 'r' ? "%*s" : "%-*s", pad, row[c]);
			if (c < last - 1)
				fputs("  ", f);
		}
		fputc('\n', f);
	}
	return 0;
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
