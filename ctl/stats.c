// SPDX-License-Identifier: GPL-2.0
/*
 * Counters, rates and their three outputs. The module describes each
 * counter (name, kind), so nothing here knows a counter by name except
 * the pairs "exits_<reason>" and "exit_cycles_<reason>", whose names say
 * what they are.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "output.h"
#include "stats.h"
#include "table.h"

#define EXITS_PREFIX	"exits_"
#define CYCLES_PREFIX	"exit_cycles_"

int stat_list_add(struct stat_list *l, const char *name, uint64_t value,
		  uint32_t kind)
{
	struct stat_entry *e;

	if (l->nr == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		e = realloc(l->stats, l->cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		l->stats = e;
	}
	e = &l->stats[l->nr++];
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->value = value;
	e->kind = kind;
	e->unit = SHADOWVMM_STAT_UNIT_NONE;
	return 0;
}

const struct stat_entry *stat_list_find(const struct stat_list *l,
					const char *name)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->stats[i].name, name))
			return &l->stats[i];
	return NULL;
}

void stat_list_free(struct stat_list *l)
{
	free(l->stats);
	memset(l, 0, sizeof(*l));
}

bool stat_rate(const struct vm_stats *v, const struct stat_entry *e,
	       double *rate)
{
	const struct stat_entry *old;
	uint64_t from;

	if (e->kind != SHADOWVMM_STAT_CUMULATIVE)
		return false;
	if (v->before && v->seconds > 0) {
		old = stat_list_find(v->before, e->name);
		from = old ? old->value : 0;
		/* Cumulative counters never go back; if one did, say 0. */
		*rate = e->value > from ? (double)(e->value - from) / v->seconds : 0;
		return true;
	}
	if (v->state != SHADOWVMM_VM_RUNNING) {
		*rate = 0;
		return true;
	}
	return false;
}

bool stat_selected(const regex_t *filter, const char *name)
{
	return !filter || !regexec(filter, name, 0, NULL, 0);
}

/* The reason of an "exits_<reason>" counter whose breakdown row is shown. */
static const char *reason_of(const char *name)
{
	return strncmp(name, EXITS_PREFIX, strlen(EXITS_PREFIX)) ? NULL :
	       name + strlen(EXITS_PREFIX);
}

static bool in_breakdown(const struct vm_stats *v, const struct stat_entry *e,
			 const regex_t *filter)
{
	char exits[SHADOWVMM_STAT_NAME_MAX + 8];

	if (reason_of(e->name))
		return stat_selected(filter, e->name);
	if (strncmp(e->name, CYCLES_PREFIX, strlen(CYCLES_PREFIX)))
		return false;
	snprintf(exits, sizeof(exits), EXITS_PREFIX "%s",
		 e->name + strlen(CYCLES_PREFIX));
	return stat_list_find(&v->now, exits) && stat_selected(filter, exits);
}

static void rate_cell(struct table *t, const struct vm_stats *v,
		      const struct stat_entry *e)
{
	double rate;

	if (stat_rate(v, e, &rate))
		table_cellf(t, "%.1f", rate);
	else
		table_cell(t, e->kind == SHADOWVMM_STAT_CUMULATIVE ? "-" : "");
}

static int by_count(const void *a, const void *b)
{
	const struct stat_entry *x = *(const struct stat_entry *const *)a;
	const struct stat_entry *y = *(const struct stat_entry *const *)b;

	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int print_breakdown(FILE *f, const struct vm_stats *v,
			   const regex_t *filter)
{
	const struct stat_entry **rows, *all, *cycles;
	char name[SHADOWVMM_STAT_NAME_MAX + 8];
	size_t i, nr = 0;
	struct table t;
	uint64_t total;
	int err;

	rows = calloc(v->now.nr, sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	for (i = 0; i < v->now.nr; i++)
		if (reason_of(v->now.stats[i].name) &&
		    stat_selected(filter, v->now.stats[i].name))
			rows[nr++] = &v->now.stats[i];
	if (!nr) {
		free(rows);
		return 0;
	}
	qsort(rows, nr, sizeof(*rows), by_count);
	all = stat_list_find(&v->now, "exits");
	total = all ? all->value : 0;
	table_init(&t, 5, "lrrrr");
	table_cell(&t, "Exits by reason");
	table_cell(&t, "Count");
	table_cell(&t, "%Exits");
	table_cell(&t, "Rate/s");
	table_cell(&t, "Avg cycles");
	for (i = 0; i < nr; i++) {
		table_cell(&t, rows[i]->name);
		table_cellf(&t, "%" PRIu64, rows[i]->value);
		if (total)
			table_cellf(&t, "%.2f%%", 100.0 * rows[i]->value / total);
		else
			table_cell(&t, "-");
		rate_cell(&t, v, rows[i]);
		snprintf(name, sizeof(name), CYCLES_PREFIX "%s", reason_of(rows[i]->name));
		cycles = stat_list_find(&v->now, name);
		if (cycles && rows[i]->value)
			table_cellf(&t, "%" PRIu64, cycles->value / rows[i]->value);
		else
			table_cell(&t, "-");
	}
	fputc('\n', f);
	err = table_print(&t, f, "");
	table_free(&t);
	free(rows);
	return err;
}

int stats_print_table(FILE *f, const struct vm_stats *v, const regex_t *filter)
{
	struct table t;
	size_t i;
	int err;

	table_init(&t, 4, "lrrl");
	table_cell(&t, "Event");
	table_cell(&t, "Total");
	table_cell(&t, "Rate/s");
	table_cell(&t, "");
	for (i = 0; i < v->now.nr; i++) {
		const struct stat_entry *e = &v->now.stats[i];

		if (!stat_selected(filter, e->name) || in_breakdown(v, e, filter))
			continue;
		table_cell(&t, e->name);
		table_cellf(&t, "%" PRIu64, e->value);
		rate_cell(&t, v, e);
		if (e->kind == SHADOWVMM_STAT_CUMULATIVE)
			table_cell(&t, "");
		else
			table_cellf(&t, "(%s)", stat_kind_name(e->kind));
	}
	err = table_print(&t, f, "");
	table_free(&t);
	return err ? err : print_breakdown(f, v, filter);
}

void stats_print_csv_header(FILE *f)
{
	fputs("timestamp,vm_id,stat_name,stat_kind,stat_value,rate\n", f);
}

void stats_print_csv(FILE *f, const struct vm_stats *v, const regex_t *filter)
{
	double rate;
	size_t i;

	for (i = 0; i < v->now.nr; i++) {
		const struct stat_entry *e = &v->now.stats[i];

		if (!stat_selected(filter, e->name))
			continue;
		fprintf(f, "%.3f,%" PRIu32 ",%s,%s,%" PRIu64 ",", v->timestamp, v->id,
			e->name, stat_kind_name(e->kind), e->value);
		if (stat_rate(v, e, &rate))
			fprintf(f, "%.3f", rate);
		fputc('\n', f);
	}
}

void stats_print_json(FILE *f, const struct vm_stats *v, const regex_t *filter)
{
	bool first = true;
	double rate;
	size_t i;

	fprintf(f, "{\"vm_id\":%" PRIu32 ",\"vm_state\":\"%s\",\"timestamp\":%.3f",
		v->id, vm_state_name(v->state), v->timestamp);
	if (v->before)
		fprintf(f, ",\"interval\":%.3f", v->seconds);
	fputs(",\"stats\":[", f);
	for (i = 0; i < v->now.nr; i++) {
		const struct stat_entry *e = &v->now.stats[i];

		if (!stat_selected(filter, e->name))
			continue;
		fprintf(f, "%s{\"stat_name\":", first ? "" : ",");
		json_string(f, e->name);
		fprintf(f, ",\"stat_value\":%" PRIu64 ",\"stat_kind\":\"%s\",\"stat_unit\":\"%s\"",
			e->value, stat_kind_name(e->kind), stat_unit_name(e->unit));
		if (stat_rate(v, e, &rate))
			fprintf(f, ",\"rate\":%.3f", rate);
		fputc('}', f);
		first = false;
	}
	fputs("]}", f);
}
