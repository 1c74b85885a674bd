// SPDX-License-Identifier: GPL-2.0
/*
 * shadowvmm stats: counters with their totals and rates, once or every
 * few seconds, as kvm_stat shows KVM's: a redrawn screen on a terminal,
 * batch blocks, CSV rows or JSON lines elsewhere.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netlink/genl/genl.h>
#include "cmd.h"
#include "size.h"
#include "stats.h"
#include "vmops.h"

/* A dump interrupted by a VM coming or going is simply asked again. */
#define DUMP_TRIES	5
/* Without --watch, rates come from a second sample this much later. */
#define ONCE_SECONDS	1.0

struct stats_args {
	bool all;		/* no VM named: every VM */
	uint32_t id;
	bool watch, csv;
	double seconds;
	uint32_t count;		/* refreshes; 0: until interrupted */
	regex_t filter;
	bool has_filter;
};

/* Every VM's counters at one moment. */
struct sample {
	struct vm_stats *vms;
	size_t nr, cap;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static double clock_seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_args(int argc, char **argv, struct stats_args *sa)
{
	static const struct option opts[] = {
		{ "watch", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'n' },
		{ "filter", required_argument, NULL, 'f' },
		{ "csv", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{}
	};
	char why[128];
	int c, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":w:n:f:j", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (parse_seconds(optarg, &sa->seconds))
				return usage_error(argv[0], "bad interval '%s' (seconds, 0.1 to 86400)",
						   optarg);
			sa->watch = true;
			break;
		case 'n':
			if (parse_count(optarg, &sa->count))
				return usage_error(argv[0], "bad count '%s'", optarg);
			break;
		case 'f':
			if (sa->has_filter)
				regfree(&sa->filter);
			err = regcomp(&sa->filter, optarg, REG_EXTENDED | REG_NOSUB);
			sa->has_filter = !err;
			if (err) {
				regerror(err, NULL, why, sizeof(why));
				return usage_error(argv[0], "bad regex '%s': %s", optarg, why);
			}
			break;
		case 'c':
			sa->csv = true;
			break;
		case 'j':
			json_output = true;
			break;
		default:
			return option_error(argv[0], argv, c);
		}
	}
	if (sa->csv && json_output)
		return usage_error(argv[0], "--csv and --json exclude each other");
	if (sa->count && !sa->watch)
		return usage_error(argv[0], "--count needs --watch");
	if (argc - optind > 1)
		return usage_error(argv[0], "unexpected argument '%s'", argv[optind + 1]);
	sa->all = optind == argc;
	if (!sa->all)
		return parse_vm_arg(argv[0], argv[optind], &sa->id);
	return EXIT_OK;
}

static void sample_free(struct sample *smp)
{
	size_t i;

	for (i = 0; i < smp->nr; i++)
		stat_list_free(&smp->vms[i].now);
	free(smp->vms);
	memset(smp, 0, sizeof(*smp));
}

static struct vm_stats *sample_add(struct sample *smp, uint32_t id,
				   uint32_t state)
{
	struct vm_stats *vms;

	if (smp->nr == smp->cap) {
		smp->cap = smp->cap ? 2 * smp->cap : 8;
		vms = realloc(smp->vms, smp->cap * sizeof(*vms));
		if (!vms)
			return NULL;
		smp->vms = vms;
	}
	vms = &smp->vms[smp->nr++];
	memset(vms, 0, sizeof(*vms));
	vms->id = id;
	vms->state = state;
	return vms;
}

static int stats_get(struct svmm *s, struct vm_stats *v)
{
	int err = vm_stats_get(s, v->id, &v->now);

	v->clock = clock_seconds(CLOCK_MONOTONIC);
	v->timestamp = clock_seconds(CLOCK_REALTIME);
	return err;
}

static int add_vm(struct nlattr **tb, void *arg)
{
	struct sample *smp = arg;
	struct vm_info vm;

	if (vm_info_parse(tb, &vm))
		return -EPROTO;
	return sample_add(smp, vm.id, vm.state) ? 0 : -ENOMEM;
}

/* Which VMs there are, and their states. Return: 0, or -1 (printed). */
static int list_vms(struct svmm *s, const struct stats_args *sa,
		    struct sample *smp)
{
	struct nl_msg *msg;
	struct vm_info vm;
	int tries, err = 0;

	if (!sa->all) {
		err = vm_get(s, sa->id, &vm);
		if (err) {
			vm_perror(s, "get stats of", sa->id, err);
			return -1;
		}
		return sample_add(smp, vm.id, vm.state) ? 0 : -1;
	}
	for (tries = 0; tries < DUMP_TRIES; tries++) {
		sample_free(smp);
		msg = svmm_msg(s, SHADOWVMM_CMD_VM_GET, NLM_F_DUMP);
		if (!msg) {
			err = -ENOMEM;
			break;
		}
		err = svmm_request(s, msg, add_vm, smp);
		if (err != -EAGAIN)
			break;
	}
	if (err) {
		svmm_perror(s, "list VMs", err);
		return -1;
	}
	return 0;
}

/* Every VM's counters. Return: 0, or -1 (printed). */
static int take_sample(struct svmm *s, const struct stats_args *sa,
		       struct sample *smp)
{
	size_t i, kept = 0;
	int err;

	if (list_vms(s, sa, smp))
		return -1;
	for (i = 0; i < smp->nr; i++) {
		struct vm_stats *v = &smp->vms[i];

		err = stats_get(s, v);
		/* A VM destroyed since the list is no error, for all VMs. */
		if (err == -ENOENT && sa->all) {
			stat_list_free(&v->now);
			continue;
		}
		if (err) {
			vm_perror(s, "get stats of", v->id, err);
			return -1;
		}
		smp->vms[kept++] = *v;
	}
	smp->nr = kept;
	return 0;
}

/* Rates of @now against the same VMs in @before. */
static void link_samples(struct sample *now, const struct sample *before)
{
	size_t i, j;

	for (i = 0; i < now->nr; i++) {
		struct vm_stats *v = &now->vms[i];

		v->before = NULL;
		for (j = 0; before && j < before->nr; j++) {
			if (before->vms[j].id != v->id)
				continue;
			v->before = &before->vms[j].now;
			v->seconds = v->clock - before->vms[j].clock;
		}
	}
}

static bool any_running(const struct sample *smp)
{
	size_t i;

	for (i = 0; i < smp->nr; i++)
		if (smp->vms[i].state == SHADOWVMM_VM_RUNNING)
			return true;
	return false;
}

/* Sleep until @deadline (monotonic). Return: false if interrupted. */
static bool sleep_until(double deadline)
{
	struct timespec ts;
	double left;

	while (!interrupted) {
		left = deadline - clock_seconds(CLOCK_MONOTONIC);
		if (left <= 0)
			return true;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
	return false;
}

static const regex_t *filter_of(const struct stats_args *sa)
{
	return sa->has_filter ? &sa->filter : NULL;
}

static void title(const struct stats_args *sa)
{
	char when[32];
	time_t now = time(NULL);

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&now));
	if (sa->all)
		printf("shadowvmm stats, all VMs, every %gs: %s\n", sa->seconds, when);
	else
		printf("shadowvmm stats, VM %" PRIu32 ", every %gs: %s\n", sa->id,
		       sa->seconds, when);
}

/* One refresh, or the one-shot output. Return: 0, or -1 (printed). */
static int show(const struct stats_args *sa, const struct sample *smp,
		bool screen)
{
	const regex_t *filter = filter_of(sa);
	size_t i;

	if (json_output) {
		if (sa->all)
			putchar('[');
		for (i = 0; i < smp->nr; i++) {
			if (i)
				putchar(',');
			stats_print_json(stdout, &smp->vms[i], filter);
		}
		puts(sa->all ? "]" : "");
	} else if (sa->csv) {
		for (i = 0; i < smp->nr; i++)
			stats_print_csv(stdout, &smp->vms[i], filter);
	} else {
		/* Home, clear: the screen is drawn again, as watch(1) does. */
		if (screen)
			fputs("\033[H\033[J", stdout);
		if (sa->watch)
			title(sa);
		for (i = 0; i < smp->nr; i++) {
			const struct vm_stats *v = &smp->vms[i];

			if (sa->watch || sa->all)
				printf("%sVM %" PRIu32 " (%s)\n", i || sa->watch ? "\n" : "",
				       v->id, vm_state_name(v->state));
			if (stats_print_table(stdout, v, filter)) {
				fprintf(stderr, "shadowvmm: %s\n", strerror(ENOMEM));
				return -1;
			}
		}
		if (sa->watch && !screen)
			putchar('\n');
	}
	if (fflush(stdout)) {
		fprintf(stderr, "shadowvmm: stats: write: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int stats_once(struct svmm *s, const struct stats_args *sa)
{
	struct sample first = {}, second = {};
	const struct sample *shown = &first;
	int err = -1;

	if (take_sample(s, sa, &first))
		goto out;
	/* Counters of VMs that do not run stand still: no need to wait. */
	if (any_running(&first) &&
	    sleep_until(clock_seconds(CLOCK_MONOTONIC) + ONCE_SECONDS)) {
		if (take_sample(s, sa, &second))
			goto out;
		link_samples(&second, &first);
		shown = &second;
	}
	if (sa->csv)
		stats_print_csv_header(stdout);
	err = show(sa, shown, false);
out:
	sample_free(&first);
	sample_free(&second);
	return err;
}

static int stats_watch(struct svmm *s, const struct stats_args *sa)
{
	bool screen = !json_output && !sa->csv && isatty(STDOUT_FILENO);
	struct sample before = {}, now = {};
	double next;
	uint32_t n = 0;
	int err = -1;

	if (take_sample(s, sa, &before))
		goto out;
	next = clock_seconds(CLOCK_MONOTONIC);
	if (sa->csv)
		stats_print_csv_header(stdout);
	/* A terminal shows the totals at once; the rates follow. */
	if (screen && show(sa, &before, true))
		goto out;
	for (;;) {
		next += sa->seconds;
		if (!sleep_until(next))
			break;
		if (take_sample(s, sa, &now))
			goto out;
		link_samples(&now, &before);
		if (show(sa, &now, screen))
			goto out;
		sample_free(&before);
		before = now;
		memset(&now, 0, sizeof(now));
		if (sa->count && ++n == sa->count)
			break;
	}
	err = 0;
out:
	sample_free(&before);
	sample_free(&now);
	return err;
}

int cmd_stats(int argc, char **argv)
{
	struct sigaction sa_int = { .sa_handler = on_signal };
	struct stats_args sa = {};
	struct svmm s;
	int ret;

	ret = parse_args(argc, argv, &sa);
	if (ret)
		goto out;
	ret = EXIT_ERROR;
	if (svmm_connect(&s))
		goto out;
	/* Ctrl-C ends a watch normally, as it ends top or watch. */
	sigemptyset(&sa_int.sa_mask);
	sigaction(SIGINT, &sa_int, NULL);
	sigaction(SIGTERM, &sa_int, NULL);
	if (!(sa.watch ? stats_watch(&s, &sa) : stats_once(&s, &sa)))
		ret = EXIT_OK;
	svmm_close(&s);
out:
	if (sa.has_filter)
		regfree(&sa.filter);
	return ret;
}
