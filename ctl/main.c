// SPDX-License-Identifier: GPL-2.0
/*
 * shadowvmm: drive the shadowvmm kernel module over generic netlink.
 * One table of subcommands, as wg(8) keeps them; each lives in cmd_*.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/shadowvmm.h>
#include "cmd.h"
#include "genl.h"
#include "size.h"

#ifndef SHADOWVMM_VERSION
#define SHADOWVMM_VERSION "unknown"
#endif

bool json_output;

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *description;
} commands[] = {
	{ "run", cmd_run, "KERNEL [--mem SIZE] [--mmu-pages N] [--cmdline STR] [--initrd FILE] [--module FILE[,STR]]... [-n]",
	  "run a guest to its end; exit with its status" },
	{ "create", cmd_create, "[--mem SIZE] [--mmu-pages N] [-j]",
	  "create a VM and print its id" },
	{ "load", cmd_load, "VM GUEST.elf [--cmdline STR] [--initrd FILE] [--module FILE[,STR]]...",
	  "load a multiboot image into a created VM" },
	{ "start", cmd_start, "VM", "start a loaded VM" },
	{ "stop", cmd_stop, "VM", "stop a running VM" },
	{ "destroy", cmd_destroy, "VM", "stop a VM if it runs, and free it" },
	{ "list", cmd_list, "[-j]", "list the VMs" },
	{ "show", cmd_show, "[-j] VM", "show a VM's state and why it stopped" },
	{ "stats", cmd_stats, "[VM] [--watch SECS [--count N]] [-f REGEX] [--csv|-j]",
	  "counters, rates and exits by reason (all VMs without VM)" },
	{ "console", cmd_console, "VM [--follow [-n]]",
	  "print a VM's console output; with --follow, type stdin into it" },
	{ "monitor", cmd_monitor, "[-j] [VM]",
	  "print VM events as they happen (all VMs without VM), until interrupted" },
	{ "translate", cmd_translate, "VM GVA [--write] [--user] [--fetch] [-j]",
	  "walk a guest address through the guest's and the shadow page tables" },
	{ "help", cmd_help, "[COMMAND]", "show this, or one command's usage" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "Usage: shadowvmm [-j|--json] COMMAND [ARGS]\n"
		   "       shadowvmm --help | --version\n\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %s %s\n        %s\n", commands[i].name, commands[i].usage,
			commands[i].description);
	fprintf(f, "\nVM is a VM id. SIZE is bytes, or with a K, M or G suffix (default --mem 32M).\n"
		   "Exit status: 0 success (run: the guest's exit status), 1 error, 2 usage error.\n");
}

static void command_usage(FILE *f, const struct command *cmd)
{
	fprintf(f, "Usage: shadowvmm %s %s\n  %s\n", cmd->name, cmd->usage,
		cmd->description);
}

/* One line: what was wrong, and how the command is used. */
int usage_error(const char *name, const char *fmt, ...)
{
	const struct command *cmd = find_command(name);
	va_list ap;

	fprintf(stderr, "shadowvmm: %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, " (usage: shadowvmm %s %s)", cmd->name, cmd->usage);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* What getopt_long() (with a leading ':' in optstring) complained about. */
int option_error(const char *cmd, char **argv, int c)
{
	if (c == ':')
		return usage_error(cmd, "option '%s' needs an argument", argv[optind - 1]);
	if (optopt)
		return usage_error(cmd, "unknown option '-%c'", optopt);
	return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int parse_vm_arg(const char *cmd, const char *text, uint32_t *id)
{
	if (parse_vm_id(text, id))
		return usage_error(cmd, "bad VM id '%s'", text);
	return EXIT_OK;
}

/* The module checks the upper bound (its mmu_pages_max parameter). */
int parse_mmu_pages(const char *cmd, const char *text, uint32_t *pages)
{
	if (parse_count(text, pages) || *pages < SHADOWVMM_MMU_PAGES_MIN)
		return usage_error(cmd, "bad page count '%s' (at least %d)", text,
				   SHADOWVMM_MMU_PAGES_MIN);
	return EXIT_OK;
}

static int cmd_help(int argc, char **argv)
{
	const struct command *cmd;

	if (argc > 2)
		return usage_error("help", "takes at most one command");
	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd)
		return usage_error("help", "unknown command '%s'", argv[1]);
	command_usage(stdout, cmd);
	return EXIT_OK;
}

/* The tool's version, and the family version of the module if it runs. */
static void print_version(void)
{
	int version = svmm_family_version();

	printf("shadowvmm %s (netlink family %s version %d)\n", SHADOWVMM_VERSION,
	       SHADOWVMM_GENL_NAME, SHADOWVMM_GENL_VERSION);
	if (version == -ENOENT)
		printf("module: not loaded\n");
	else if (version < 0)
		printf("module: unknown (generic netlink: %s)\n", strerror(-version));
	else
		printf("module: netlink family %s version %d%s\n", SHADOWVMM_GENL_NAME,
		       version, version == SHADOWVMM_GENL_VERSION ? "" :
		       ", not the tool's: update one of them");
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	/* Every command reports its own option errors, in one line. */
	opterr = 0;
	while (argc > 1 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "-j") || !strcmp(argv[1], "--json")) {
			json_output = true;
		} else if (is_help(argv[1])) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
			print_version();
			return EXIT_OK;
		} else {
			fprintf(stderr, "shadowvmm: unknown option '%s' (see 'shadowvmm --help')\n",
				argv[1]);
			return EXIT_USAGE;
		}
		argc--;
		argv++;
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "shadowvmm: unknown command '%s' (see 'shadowvmm help')\n",
			argv[1]);
		return EXIT_USAGE;
	}
	/* "shadowvmm run --help" needs neither the module nor root. */
	if (argc > 2 && is_help(argv[2])) {
		command_usage(stdout, cmd);
		return EXIT_OK;
	}
	return cmd->fn(argc - 1, argv + 1);
}
