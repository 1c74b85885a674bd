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
#include <unistd.h>
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
	bool no_input;		/* -n: stdin stays ours, as ssh -n */
	struct boot_opts boot;
	uint64_t mem_size;
	uint32_t mmu_pages;
};

/**
 * boot_opts_add_module() - take one --module FILE[,STRING]
 *
 * Return: EXIT_OK, or EXIT_USAGE with the error printed.
 */
int boot_opts_add_module(const char *cmd, struct boot_opts *opts,
			 const char *arg)
{
	if (opts->nr_modules == SHADOWVMM_BOOT_MODULES_MAX)
		return usage_error(cmd, "more than %d modules",
				   SHADOWVMM_BOOT_MODULES_MAX);
	if (!arg[0] || arg[0] == ',')
		return usage_error(cmd, "--module '%s': no file name", arg);
	opts->modules[opts->nr_modules++] = arg;
	return EXIT_OK;
}

static int parse_args(int argc, char **argv, struct run_args *ra)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "mmu-pages", required_argument, NULL, 'p' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "module", required_argument, NULL, 'M' },
		{ "no-input", no_argument, NULL, 'n' },
		{}
	};
	int c;

	ra->mem_size = DEFAULT_MEM_SIZE;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":m:c:n", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_size(optarg, &ra->mem_size))
				return usage_error(argv[0], "bad size '%s'", optarg);
			break;
		case 'p':
			if (parse_mmu_pages(argv[0], optarg, &ra->mmu_pages))
				return EXIT_USAGE;
			break;
		case 'c':
			ra->boot.args = optarg;
			break;
		case 'i':
			ra->boot.initrd = optarg;
			break;
		case 'M':
			if (boot_opts_add_module(argv[0], &ra->boot, optarg))
				return EXIT_USAGE;
			break;
		case 'n':
			ra->no_input = true;
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

/*
 * The guest's exit status, or 1; @how gets how it ended, for the summary:
 * "VM 3 exited with status 0", "VM 3 stopped: triple fault at rip ...".
 */
static int guest_status(const struct vm_info *vm, char *how, size_t len)
{
	char why[256];

	if (vm->stop_reason == SHADOWVMM_STOP_DEBUG_EXIT && vm->has_exit_status) {
		snprintf(how, len, "VM %" PRIu32 " exited with status %" PRIu32,
			 vm->id, vm->exit_status & 0xff);
		return vm->exit_status & 0xff;
	}
	describe_stop(vm, why, sizeof(why));
	snprintf(how, len, "VM %" PRIu32 " stopped: %s", vm->id, why);
	return EXIT_ERROR;
}

/*
 * Start the loaded VM and follow it. Return: the command's exit status;
 * *@started says whether the guest ran, and @how how it ended ("" when an
 * error was printed instead).
 */
static int run_vm(struct svmm *s, struct nl_sock *events,
		  const struct vm_info *created, bool no_input, bool *started,
		  char *how, size_t len)
{
	/*
	 * Ids are reused: a stop of an earlier VM with this id may be queued
	 * on @events, joined before ours was created. The serial tells.
	 */
	struct console con = { .id = created->id, .serial = created->serial };
	uint32_t id = created->id;
	struct console_input in;
	struct vm_info vm;
	int err, ret;

	if (interrupted)
		return 128 + interrupted;
	err = vm_op(s, SHADOWVMM_CMD_VM_START, id);
	if (err) {
		vm_perror(s, "start", id, err);
		return EXIT_ERROR;
	}
	*started = true;
	if (console_input_open(&in, no_input ? -1 : STDIN_FILENO))
		return EXIT_ERROR;
	ret = console_follow(s, events, &con, &in, &interrupted, &vm);
	console_input_close(&in);
	console_report_dropped(&con);
	if (ret < 0)
		return EXIT_ERROR;
	if (ret == CONSOLE_INTERRUPTED)
		return 128 + interrupted;
	if (ret == CONSOLE_DETACHED) {
		/* This VM lives only as long as the command: it goes too. */
		vm_op(s, SHADOWVMM_CMD_VM_STOP, id);
		snprintf(how, len, "VM %" PRIu32 " stopped: detached (Ctrl-])", id);
		return EXIT_ERROR;
	}
	return guest_status(&vm, how, len);
}

static uint64_t stat_value(const struct stat_list *l, const char *name)
{
	const struct stat_entry *e = stat_list_find(l, name);

	return e ? e->value : 0;
}

/*
 * The last line, as time(1) ends with one: how the guest ended and what it
 * cost, "VM 3 exited with status 0: 5321 exits, 310 page faults (290 fixed
 * + 20 guest), 81234567 guest cycles". Errors that ended the run early
 * were printed already: then nothing is added.
 */
static void summary(struct svmm *s, uint32_t id, const char *how)
{
	struct stat_list l = {};
	uint64_t fixed, guest;

	if (!how[0])
		return;
	if (vm_stats_get(s, id, &l)) {
		fprintf(stderr, "shadowvmm: %s\n", how);
		stat_list_free(&l);
		return;
	}
	fixed = stat_value(&l, "pf_fixed");
	guest = stat_value(&l, "pf_guest");
	fprintf(stderr, "shadowvmm: %s%s %" PRIu64 " exits, %" PRIu64 " page faults (%" PRIu64 " fixed + %" PRIu64 " guest), %" PRIu64 " guest cycles\n",
		how, strchr(how, ':') ? ";" : ":", stat_value(&l, "exits"),
		fixed + guest, fixed, guest, stat_value(&l, "guest_cycles"));
	stat_list_free(&l);
}

int cmd_run(int argc, char **argv)
{
	struct run_args ra = {};
	struct guest_image img;
	struct nl_sock *events;
	struct vm_info created;
	bool started = false;
	char how[320] = "";
	struct svmm s;
	uint32_t id;
	int ret, err;

	ret = parse_args(argc, argv, &ra);
	if (ret)
		return ret;
	/* A bad image is reported before any VM exists. */
	err = image_open(&img, ra.path, &ra.boot, ra.mem_size);
	if (err)
		return err == -2 ? EXIT_USAGE : EXIT_ERROR;
	ret = EXIT_ERROR;
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
	err = vm_create(&s, ra.mem_size, ra.mmu_pages, &created);
	if (err) {
		svmm_perror(&s, "create VM", err);
		goto close_events;
	}
	id = created.id;
	err = vm_load(&s, id, &img, &interrupted);
	if (err == -EINTR)
		ret = 128 + interrupted;
	else if (!err)
		ret = run_vm(&s, events, &created, ra.no_input, &started, how, sizeof(how));

	if (interrupted) {
		/* The VM may have stopped on its own meanwhile: not an error. */
		vm_op(&s, SHADOWVMM_CMD_VM_STOP, id);
		snprintf(how, sizeof(how), "%s: VM %" PRIu32 " stopped and destroyed",
			 strsignal(interrupted), id);
		ret = 128 + interrupted;
	}
	/* The counters go with the VM: read them first. */
	if (started)
		summary(&s, id, how);
	else if (how[0])
		fprintf(stderr, "shadowvmm: %s\n", how);
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
	return ret;
}
