// SPDX-License-Identifier: GPL-2.0
/*
 * shadowvmm run: create, load, start, stream the console, and exit with the
 * guest's status; the VM is destroyed whatever happens in between.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "console.h"
#include "size.h"
#include "vmops.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

struct run_args {
	const char *path;
	const char *args;
	uint64_t mem_size;
};

static int parse_args(int argc, char **argv, struct run_args *ra)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "cmdline", required_argument, NULL, 'c' },
		{}
	};
	int c;

	ra->mem_size = DEFAULT_MEM_SIZE;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":m:c:", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_size(optarg, &ra->mem_size))
				return usage_error(argv[0], "bad size '%s'", optarg);
			break;
		case 'c':
			ra->args = optarg;
			break;
		default:
			return option_error(argv[0], argv, c);
		}
	}
	if (optind == argc)
		return usage_error(argv[0], "missing the guest image");
	if (argc - optind > 1)
		return usage_error(argv[0], "unexpected argument '%s'", argv[optind + 1]);
	ra->path = argv[optind];
	return EXIT_OK;
}

/* SIGINT and SIGTERM stop the VM instead of leaving it behind. */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed stdout is a write error we report, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
}

/* The guest's exit status, or 1 with one line saying how it ended. */
static int guest_status(const struct vm_info *vm)
{
	char why[256];

	if (vm->stop_reason == SHADOWVMM_STOP_DEBUG_EXIT && vm->has_exit_status)
		return vm->exit_status & 0xff;
	describe_stop(vm, why, sizeof(why));
	fprintf(stderr, "shadowvmm: VM %" PRIu32 " stopped: %s\n", vm->id, why);
	return EXIT_ERROR;
}

/* Start the loaded VM and follow it. Return: the command's exit status. */
static int run_vm(struct svmm *s, struct nl_sock *events, uint32_t id)
{
	struct console con = { .id = id };
	struct vm_info vm;
	int err, ret;

	if (interrupted)
		return 128 + interrupted;
	err = vm_op(s, SHADOWVMM_CMD_VM_START, id);
	if (err) {
		vm_perror(s, "start", id, err);
		return EXIT_ERROR;
	}
	ret = console_follow(s, events, &con, &interrupted, &vm);
	console_report_dropped(&con);
	if (ret < 0)
		return EXIT_ERROR;
	if (ret > 0)
		return 128 + interrupted;
	return guest_status(&vm);
}

int cmd_run(int argc, char **argv)
{
	struct run_args ra = {};
	struct guest_image img;
	struct nl_sock *events;
	char *cmdline;
	struct svmm s;
	uint32_t id;
	int ret, err;

	ret = parse_args(argc, argv, &ra);
	if (ret)
		return ret;
	cmdline = boot_cmdline(ra.path, ra.args);
	if (!cmdline)
		return EXIT_USAGE;
	/* A bad image is reported before any VM exists. */
	ret = EXIT_ERROR;
	if (image_open(&img, ra.path, ra.mem_size))
		goto free_cmdline;
	if (svmm_connect(&s))
		goto close_image;
	/* Join "events" before VM_START, or the stop event could be missed. */
	err = svmm_events_open(&events);
	if (err) {
		if (err == -EPERM)
			svmm_perror(&s, "run", err);
		else
			fprintf(stderr, "shadowvmm: cannot listen to VM events: %s\n",
				strerror(-err));
		goto close;
	}
	catch_signals();
	err = vm_create(&s, ra.mem_size, &id);
	if (err) {
		svmm_perror(&s, "create VM", err);
		goto close_events;
	}
	err = vm_load(&s, id, &img, cmdline, &interrupted);
	if (err == -EINTR)
		ret = 128 + interrupted;
	else if (!err)
		ret = run_vm(&s, events, id);

	if (interrupted) {
		/* The VM may have stopped on its own meanwhile: not an error. */
		vm_op(&s, SHADOWVMM_CMD_VM_STOP, id);
		fprintf(stderr, "shadowvmm: %s: VM %" PRIu32 " stopped and destroyed\n",
			strsignal(interrupted), id);
		ret = 128 + interrupted;
	}
	err = vm_op(&s, SHADOWVMM_CMD_VM_DESTROY, id);
	if (err && err != -ENOENT) {
		vm_perror(&s, "destroy", id, err);
		ret = EXIT_ERROR;
	}
close_events:
	nl_socket_free(events);
close:
	svmm_close(&s);
close_image:
	image_close(&img);
free_cmdline:
	free(cmdline);
	return ret;
}
