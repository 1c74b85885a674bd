// SPDX-License-Identifier: GPL-2.0
/*
 * shadowvmm run: create, load, start, stream the console and exit with the
 * guest's status, then destroy the VM, whatever happened in between.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>
#include "cmd.h"
#include "size.h"

/* How often to look at the VM when no event has come, as a safety net. */
#define POLL_MS		20
#define CHECK_EVERY	50

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

struct run {
	uint32_t id;
	bool stopped;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[SHADOWVMM_A_MAX + 1];
	struct run *run = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SHADOWVMM_A_MAX, NULL) ||
	    !tb[SHADOWVMM_A_VM_ID] || !tb[SHADOWVMM_A_VM_STATE])
		return NL_OK;
	if (nla_get_u32(tb[SHADOWVMM_A_VM_ID]) == run->id &&
	    nla_get_u32(tb[SHADOWVMM_A_VM_STATE]) == SHADOWVMM_VM_STOPPED)
		run->stopped = true;
	return NL_OK;
}

static int drain_console(struct svmm *s, uint32_t id, uint64_t *offset,
			 uint64_t *dropped)
{
	long n;

	do {
		n = console_read(s, id, offset, dropped);
	} while (n > 0);
	if (n < 0)
		svmm_perror(s, "console", n);
	return n < 0 ? EXIT_ERROR : EXIT_OK;
}

/* Follow the console until the VM stops or we are interrupted. */
static int follow(struct svmm *s, struct nl_sock *events, struct run *run,
		  uint64_t *dropped)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(events), .events = POLLIN };
	uint64_t offset = 0;
	struct vm_info vm;
	unsigned int idle = 0;
	long n;

	nl_socket_modify_cb(events, NL_CB_VALID, NL_CB_CUSTOM, on_event, run);
	while (!run->stopped && !interrupted) {
		n = console_read(s, run->id, &offset, dropped);
		if (n < 0) {
			svmm_perror(s, "console", n);
			return EXIT_ERROR;
		}
		if (n > 0)
			continue;
		if (poll(&pfd, 1, POLL_MS) > 0)
			nl_recvmsgs_default(events);
		/* Events can be lost when the socket overruns: ask. */
		if (++idle % CHECK_EVERY == 0 && !vm_get(s, run->id, &vm) &&
		    vm.state == SHADOWVMM_VM_STOPPED)
			run->stopped = true;
	}
	return drain_console(s, run->id, &offset, dropped);
}

static int report(struct svmm *s, uint32_t id)
{
	struct vm_info vm;
	char why[200];
	int err;

	err = vm_get(s, id, &vm);
	if (err) {
		svmm_perror(s, "run", err);
		return EXIT_ERROR;
	}
	if (vm.stop_reason == SHADOWVMM_STOP_DEBUG_EXIT)
		return vm.exit_status & 0xff;
	describe_stop(&vm, why, sizeof(why));
	fprintf(stderr, "shadowvmm: VM %" PRIu32 " %s\n", id, why);
	return EXIT_ERROR;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "cmdline", required_argument, NULL, 'c' },
		{}
	};
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t mem_size = DEFAULT_MEM_SIZE, dropped = 0;
	struct guest_image img = {};
	const char *args = NULL;
	struct nl_sock *events;
	struct run run = {};
	struct svmm s;
	int c, ret, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "m:c:", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_size(optarg, &mem_size))
				return usage_error(argv[0], "bad size '%s'", optarg);
			break;
		case 'c':
			args = optarg;
			break;
		default:
			return usage_error(argv[0], "unknown option");
		}
	}
	if (argc - optind != 1)
		return usage_error(argv[0], "expects exactly one guest image");
	/* A bad image is reported before anything else can go wrong. */
	ret = image_open(&img, argv[optind], mem_size);
	if (ret)
		return ret;

	ret = connect_family(&s);
	if (ret)
		goto free_image;
	err = svmm_events_open(&s, &events);
	if (err) {
		fprintf(stderr, "shadowvmm: run: cannot subscribe to VM events: %s\n", strerror(-err));
		svmm_close(&s);
		ret = EXIT_ERROR;
		goto free_image;
	}
	if (vm_create(&s, mem_size, &run.id)) {
		ret = EXIT_ERROR;
		goto close;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	ret = load_image(&s, run.id, &img, args);
	if (ret)
		goto destroy;
	if (vm_simple(&s, SHADOWVMM_CMD_VM_START, run.id, "start")) {
		ret = EXIT_ERROR;
		goto destroy;
	}
	ret = follow(&s, events, &run, &dropped);
	if (dropped)
		fprintf(stderr, "shadowvmm: console: %" PRIu64 " bytes were lost before they could be read\n", dropped);
	if (interrupted) {
		vm_simple(&s, SHADOWVMM_CMD_VM_STOP, run.id, "stop");
		fprintf(stderr, "shadowvmm: interrupted: VM %" PRIu32 " stopped and destroyed\n", run.id);
		ret = 128 + interrupted;
	} else if (!ret) {
		ret = report(&s, run.id);
	}
destroy:
	vm_simple(&s, SHADOWVMM_CMD_VM_DESTROY, run.id, "destroy");
close:
	nl_socket_free(events);
	svmm_close(&s);
free_image:
	image_close(&img);
	return ret;
}
