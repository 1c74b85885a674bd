/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_TABLE_H
#define SHADOWVMM_CTL_TABLE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Columns sized to their widest cell, two spaces apart, as ip and iw print
 * them: add the cells row by row, then print once.
 */
struct table {
	unsigned int cols;
	const char *align;	/* one 'l' or 'r' per column */
	char **cells;		/* row after row, each malloc()ed */
	size_t nr, cap;
	int err;		/* -ENOMEM once a cell could not be kept */
};

void table_init(struct table *t, unsigned int cols, const char *align);
/* The next cell; a row ends after t->cols of them. */
void table_cell(struct table *t, const char *text);
void table_cellf(struct table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Each line starts with indent; trailing blanks are left out. */
int table_print(const struct table *t, FILE *f, const char *indent);
void table_free(struct table *t);

#endif
