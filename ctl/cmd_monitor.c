// SPDX-License-Identifier: GPL-2.0
/*
 * shadowvmm monitor: print the module's VM events as they come, one line
 * (or one JSON object) each, until interrupted; as "ip monitor" does.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netlink/genl/genl.h>
#include "cmd.h"
#include "size.h"
#include "vmops.h"

/* Room for a socket's worth of events while we print: 300 VMs at once. */
#define EVENTS_RCVBUF	(1 << 20)

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static const char *vm_event_name(uint32_t event)
{
	static const char *const names[] = {
		[SHADOWVMM_EVENT_CREATED] = "created",
		[SHADOWVMM_EVENT_STARTED] = "started",
		[SHADOWVMM_EVENT_HALTED] = "halted",
		[SHADOWVMM_EVENT_CRASHED] = "crashed",
		[SHADOWVMM_EVENT_STOPPED] = "stopped",
		[SHADOWVMM_EVENT_DESTROYED] = "destroyed",
	};

	return event < sizeof(names) / sizeof(names[0]) ? names[event] : "unknown";
}

struct monitor {
	bool all;
	uint32_t id;		/* the one VM to follow, unless @all */
	int err;		/* writing to stdout failed */
};

/* "2026-11-29 08:12:03.123456", local time. */
static void format_time(uint64_t ns, char *buf, size_t len)
{
	time_t sec = ns / 1000000000;
	struct tm tm;
	size_t n;

	localtime_r(&sec, &tm);
	n = strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06u", (unsigned int)(ns % 1000000000 / 1000));
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void print_text(uint64_t ns, uint32_t event, const struct vm_info *vm)
{
	char when[64], what[256] = "";

	format_time(ns, when, sizeof(when));
	switch (event) {
	case SHADOWVMM_EVENT_CREATED:
		strcpy(what, "mem ");
		format_size(vm->mem_size, what + 4, sizeof(what) - 4);
		break;
	case SHADOWVMM_EVENT_HALTED:
	case SHADOWVMM_EVENT_CRASHED:
	case SHADOWVMM_EVENT_STOPPED:
		describe_stop(vm, what, sizeof(what));
		break;
	}
	if (what[0])
		printf("%s  VM %" PRIu32 "  %-9s  %s\n", when, vm->id,
		       vm_event_name(event), what);
	else
		printf("%s  VM %" PRIu32 "  %s\n", when, vm->id, vm_event_name(event));
}

/* The VM's own JSON object, with the event's members in front. */
static int print_json(uint64_t ns, uint32_t event, const struct vm_info *vm)
{
	char *obj = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&obj, &len);

	if (!f)
		return -ENOMEM;
	print_vm_json(f, vm);
	if (fclose(f) || len < 2) {
		free(obj);
		return -ENOMEM;
	}
	printf("{\"timestamp\":%" PRIu64 ",\"event\":\"%s\",%s\n", ns,
	       vm_event_name(event), obj + 1);
	free(obj);
	return 0;
}

static int on_event(struct nlattr **tb, void *arg)
{
	struct monitor *m = arg;
	struct vm_info vm;
	uint32_t event;
	uint64_t ns;

	if (vm_info_parse(tb, &vm) || !tb[SHADOWVMM_A_EVENT])
		return 0;
	if (!m->all && vm.id != m->id)
		return 0;
	event = nla_get_u32(tb[SHADOWVMM_A_EVENT]);
	/* Older modules do not say when: then it is when we heard. */
	ns = tb[SHADOWVMM_A_TIMESTAMP] ? nla_get_u64(tb[SHADOWVMM_A_TIMESTAMP]) :
					 now_ns();
	if (json_output)
		m->err = print_json(ns, event, &vm);
	else
		print_text(ns, event, &vm);
	/* Each event as it comes, also into a pipe or a file. */
	if (fflush(stdout) || ferror(stdout))
		m->err = -errno;
	return 0;
}

static int parse_args(int argc, char **argv, struct monitor *m)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{}
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":j", opts, NULL)) != -1) {
		if (c != 'j')
			return option_error(argv[0], argv, c);
		json_output = true;
	}
	m->all = optind == argc;
	if (argc - optind > 1)
		return usage_error(argv[0], "unexpected argument '%s'", argv[optind + 1]);
	return m->all ? EXIT_OK : parse_vm_arg(argv[0], argv[optind], &m->id);
}

static int watch(struct nl_sock *events, struct monitor *m)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(events), .events = POLLIN };
	int err;

	while (!interrupted) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "shadowvmm: monitor: poll: %s\n", strerror(errno));
			return EXIT_ERROR;
		}
		err = svmm_events_read(events, on_event, m);
		if (m->err) {
			fprintf(stderr, "shadowvmm: monitor: write: %s\n", strerror(-m->err));
			return EXIT_ERROR;
		}
		if (err == -ENOBUFS) {
			/* Say so and go on: the next events still come. */
			fprintf(stderr, "shadowvmm: monitor: events lost (the socket overran)\n");
		} else if (err) {
			fprintf(stderr, "shadowvmm: monitor: %s\n", strerror(-err));
			return EXIT_ERROR;
		}
	}
	return EXIT_OK;
}

int cmd_monitor(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct monitor m = {};
	struct nl_sock *events;
	struct svmm s;
	int ret, err;

	ret = parse_args(argc, argv, &m);
	if (ret)
		return ret;
	/* Says in one line when the module is missing; loads it if it can. */
	if (svmm_connect(&s))
		return EXIT_ERROR;
	err = svmm_events_open(&events);
	if (err) {
		svmm_perror(&s, "monitor: join the events group", err);
		svmm_close(&s);
		return EXIT_ERROR;
	}
	nl_socket_set_buffer_size(events, EVENTS_RCVBUF, 0);
	/* Ctrl-C ends the watch, not the process in the middle of a line. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = watch(events, &m);
	nl_socket_free(events);
	svmm_close(&s);
	return ret;
}
