/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_STATS_H
#define SHADOWVMM_CTL_STATS_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/shadowvmm.h>

/* One counter as the module describes it (SHADOWVMM_A_STAT). */
struct stat_entry {
	char name[SHADOWVMM_STAT_NAME_MAX];
	uint64_t value;
	uint32_t kind;		/* enum shadowvmm_stat_kind */
	uint32_t unit;		/* enum shadowvmm_stat_unit */
};

/* A VM's counters, in the order the module sent them. */
struct stat_list {
	struct stat_entry *stats;
	size_t nr, cap;
};

int stat_list_add(struct stat_list *l, const char *name, uint64_t value,
		  uint32_t kind);
const struct stat_entry *stat_list_find(const struct stat_list *l,
					const char *name);
void stat_list_free(struct stat_list *l);

/* A VM's counters now, and the earlier sample the rates are taken from. */
struct vm_stats {
	uint32_t id;
	uint32_t state;			/* enum shadowvmm_vm_state */
	double timestamp;		/* wall clock, seconds since the epoch */
	double clock;			/* monotonic, for the intervals */
	struct stat_list now;
	const struct stat_list *before;	/* NULL: no earlier sample */
	double seconds;			/* from before to now */
};

/*
 * Per second, for cumulative counters only: from the earlier sample (a
 * counter it lacks was 0: exits_<reason> appear with the first such exit),
 * or 0 for a VM that is not running, whose counters cannot move.
 * Return: whether there is a rate.
 */
bool stat_rate(const struct vm_stats *v, const struct stat_entry *e,
	       double *rate);
/* A counter the -f filter lets through (all of them without one). */
bool stat_selected(const regex_t *filter, const char *name);

/*
 * Human output: "NAME TOTAL RATE" lines as kvm_stat prints them, then the
 * exits by reason as "perf kvm stat report" does: count, share of all
 * exits, rate and the average host cycles spent handling one.
 */
int stats_print_table(FILE *f, const struct vm_stats *v, const regex_t *filter);
void stats_print_csv_header(FILE *f);
void stats_print_csv(FILE *f, const struct vm_stats *v, const regex_t *filter);
void stats_print_json(FILE *f, const struct vm_stats *v, const regex_t *filter);

#endif
