// SPDX-License-Identifier: GPL-2.0
/*
 * shadowvmm console: a VM's serial output from the start, or followed with
 * stdin typed into the guest.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "console.h"
#include "vmops.h"

int cmd_console(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "no-input", no_argument, NULL, 'n' },
		{}
	};
	/* Ctrl-C simply ends a follow: there is no VM of ours to clean up. */
	static volatile sig_atomic_t never;
	struct nl_sock *events = NULL;
	struct console_input in;
	struct console con = {};
	bool follow = false, no_input = false;
	struct vm_info vm;
	struct svmm s;
	int c, ret, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":fn", opts, NULL)) != -1) {
		if (c == 'f')
			follow = true;
		else if (c == 'n')
			no_input = true;
		else
			return option_error(argv[0], argv, c);
	}
	if (optind == argc)
		return usage_error(argv[0], "missing the VM id");
	if (argc - optind > 1)
		return usage_error(argv[0], "unexpected argument '%s'", argv[optind + 1]);
	ret = parse_vm_arg(argv[0], argv[optind], &con.id);
	if (ret)
		return ret;
	if (svmm_connect(&s))
		return EXIT_ERROR;
	signal(SIGPIPE, SIG_IGN);
	if (!follow) {
		ret = console_drain(&s, &con) ? EXIT_ERROR : EXIT_OK;
		goto out;
	}
	err = svmm_events_open(&events);
	if (err) {
		svmm_perror(&s, "listen to VM events", err);
		ret = EXIT_ERROR;
		goto out;
	}
	if (console_input_open(&in, no_input ? -1 : STDIN_FILENO)) {
		ret = EXIT_ERROR;
	} else {
		/* Detaching leaves the VM running, as virsh console does. */
		ret = console_follow(&s, events, &con, &in, &never, &vm) < 0 ?
			EXIT_ERROR : EXIT_OK;
		console_input_close(&in);
	}
	nl_socket_free(events);
out:
	if (!ret)
		console_report_dropped(&con);
	svmm_close(&s);
	return ret;
}
