// SPDX-License-Identifier: GPL-2.0
/*
 * shadowvmm: drive the shadowvmm kernel module over generic netlink.
 * One table of subcommands, as wg(8) keeps them.
 */
#include <stdio.h>
#include <string.h>
#include <linux/shadowvmm.h>
#include "cmd.h"

bool json_output;

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *help;
} commands[] = {
	{ "run", cmd_run, "GUEST.elf [--mem SIZE] [--cmdline ARGS]",
	  "run a guest, stream its console, exit with its status" },
	{ "create", cmd_create, "[--mem SIZE]", "create a VM and print its id" },
	{ "load", cmd_load, "VM GUEST.elf [--cmdline ARGS]",
	  "load a multiboot image into a created VM" },
	{ "start", cmd_start, "VM", "start a loaded VM" },
	{ "stop", cmd_stop, "VM", "stop a running VM" },
	{ "destroy", cmd_destroy, "VM", "stop a VM if it runs and free it" },
	{ "list", cmd_list, "", "list VMs" },
	{ "show", cmd_show, "VM", "show a VM's state and why it stopped" },
	{ "stats", cmd_stats, "VM", "show a VM's counters" },
	{ "console", cmd_console, "VM [--follow]", "print a VM's console output" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "usage: shadowvmm [-j|--json] COMMAND [ARGS]\n\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-8s %-40s %s\n", commands[i].name, commands[i].args,
			commands[i].help);
	fprintf(f, "  %-8s %-40s %s\n", "help", "[COMMAND]", "show this, or one command's usage");
	fprintf(f, "\nSIZE takes K, M and G suffixes (default --mem 32M).\n"
		   "Exit status: 0 success (run: the guest's status), 1 error, 2 usage.\n");
}

static const struct command *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int help(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	cmd = find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "shadowvmm: help: unknown command '%s'\n", argv[1]);
		return EXIT_USAGE;
	}
	printf("usage: shadowvmm %s %s\n  %s\n", cmd->name, cmd->args, cmd->help);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	while (argc > 1 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "-j") || !strcmp(argv[1], "--json")) {
			json_output = true;
		} else if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
			printf("shadowvmm %s (netlink family %s version %d)\n",
			       SHADOWVMM_VERSION, SHADOWVMM_GENL_NAME, SHADOWVMM_GENL_VERSION);
			return EXIT_OK;
		} else {
			fprintf(stderr, "shadowvmm: unknown option '%s'\n", argv[1]);
			usage(stderr);
			return EXIT_USAGE;
		}
		argc--;
		argv++;
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);
	cmd = find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "shadowvmm: unknown command '%s' (see 'shadowvmm help')\n", argv[1]);
		return EXIT_USAGE;
	}
	return cmd->fn(argc - 1, argv + 1);
}
