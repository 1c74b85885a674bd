// SPDX-License-Identifier: GPL-2.0
/* The commands that only look at VMs: list, show. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "cmd.h"
#include "size.h"
#include "table.h"
#include "vmops.h"

/* A dump interrupted by a VM coming or going is simply asked again. */
#define DUMP_TRIES	5

/* Options of a read-only command: -j/--json only. Return: optind or -status. */
static int read_options(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{}
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":j", opts, NULL)) != -1) {
		if (c != 'j')
			return -option_error(argv[0], argv, c);
		json_output = true;
	}
	return optind;
}

/* The VM id that is a read-only command's one argument. */
static int one_vm_arg(int argc, char **argv, uint32_t *id)
{
	int i = read_options(argc, argv);

	if (i < 0)
		return -i;
	if (i == argc)
		return usage_error(argv[0], "missing the VM id");
	if (argc - i > 1)
		return usage_error(argv[0], "unexpected argument '%s'", argv[i + 1]);
	return parse_vm_arg(argv[0], argv[i], id);
}

struct vm_list {
	struct vm_info *vms;
	size_t nr, cap;
};

static int add_vm(struct nlattr **tb, void *arg)
{
	struct vm_list *l = arg;
	struct vm_info *vms;

	if (l->nr == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		vms = realloc(l->vms, l->cap * sizeof(*vms));
		if (!vms)
			return -ENOMEM;
		l->vms = vms;
	}
	return vm_info_parse(tb, &l->vms[l->nr++]);
}

static int dump_vms(struct svmm *s, struct vm_list *l)
{
	struct nl_msg *msg;
	int tries, err = 0;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		l->nr = 0;
		msg = svmm_msg(s, SHADOWVMM_CMD_VM_GET, NLM_F_DUMP);
		if (!msg)
			return -ENOMEM;
		err = svmm_request(s, msg, add_vm, l);
		if (err != -EAGAIN)
			break;
	}
	return err;
}

static int print_vm_table(const struct vm_list *l)
{
	char mem[32], why[256];
	struct table t;
	size_t i;
	int err;

	table_init(&t, 5, "rlrrl");
	table_cell(&t, "ID");
	table_cell(&t, "STATE");
	table_cell(&t, "MEM");
	table_cell(&t, "MMU_PAGES");
	table_cell(&t, "STOP");
	for (i = 0; i < l->nr; i++) {
		const struct vm_info *vm = &l->vms[i];

		format_size(vm->mem_size, mem, sizeof(mem));
		describe_stop(vm, why, sizeof(why));
		table_cellf(&t, "%" PRIu32, vm->id);
		table_cell(&t, vm_state_name(vm->state));
		table_cell(&t, mem);
		if (vm->has_mmu_pages_max)
			table_cellf(&t, "%" PRIu32, vm->mmu_pages_max);
		else
			table_cell(&t, "-");
		table_cell(&t, why);
	}
	err = table_print(&t, stdout, "");
	table_free(&t);
	return err;
}

int cmd_list(int argc, char **argv)
{
	struct vm_list l = {};
	struct svmm s;
	size_t i;
	int err;

	err = read_options(argc, argv);
	if (err < 0)
		return -err;
	if (err != argc)
		return usage_error(argv[0], "unexpected argument '%s'", argv[err]);
	if (svmm_connect(&s))
		return EXIT_ERROR;
	err = dump_vms(&s, &l);
	if (err) {
		svmm_perror(&s, "list VMs", err);
	} else if (json_output) {
		putchar('[');
		for (i = 0; i < l.nr; i++) {
			if (i)
				putchar(',');
			print_vm_json(stdout, &l.vms[i]);
		}
		puts("]");
	} else if (print_vm_table(&l)) {
		fprintf(stderr, "shadowvmm: %s\n", strerror(ENOMEM));
		err = -ENOMEM;
	}
	free(l.vms);
	svmm_close(&s);
	return err ? EXIT_ERROR : EXIT_OK;
}

static void print_vm_lines(const struct vm_info *vm)
{
	char mem[32], why[256], exit_name[VMX_EXIT_NAME_MAX];

	format_size(vm->mem_size, mem, sizeof(mem));
	printf("%-19s %" PRIu32 "\n", "vm_id:", vm->id);
	if (vm->serial)
		printf("%-19s %" PRIu64 "\n", "vm_serial:", vm->serial);
	printf("%-19s %s\n", "vm_state:", vm_state_name(vm->state));
	printf("%-19s %s (%" PRIu64 " bytes)\n", "mem_size:", mem, vm->mem_size);
	if (vm->has_mmu_pages_max)
		printf("%-19s %" PRIu32 " (shadow page-table pages)\n", "mmu_pages_max:",
		       vm->mmu_pages_max);
	if (vm->state != SHADOWVMM_VM_STOPPED)
		return;
	describe_stop(vm, why, sizeof(why));
	printf("%-19s %s: %s\n", "stop_reason:", stop_reason_name(vm->stop_reason), why);
	if (vm->has_exit_status)
		printf("%-19s %" PRIu32 "\n", "exit_status:", vm->exit_status);
	if (vm->has_exit_reason)
		printf("%-19s %" PRIu32 " (%s)\n", "exit_reason:", vm->exit_reason,
		       vm->stop_reason == SHADOWVMM_STOP_ENTRY_FAILED ?
		       "VM-instruction error" : vmx_exit_name(vm->exit_reason, exit_name));
	if (vm->has_qualification)
		printf("%-19s %#" PRIx64 "\n", "exit_qualification:", vm->qualification);
	if (vm->has_rip)
		printf("%-19s %#" PRIx64 "\n", "guest_rip:", vm->rip);
	if (vm->has_guest_addr)
		printf("%-19s %#" PRIx64 "\n", "guest_addr:", vm->guest_addr);
}

int cmd_show(int argc, char **argv)
{
	struct vm_info vm;
	struct svmm s;
	uint32_t id;
	int ret, err;

	ret = one_vm_arg(argc, argv, &id);
	if (ret)
		return ret;
	if (svmm_connect(&s))
		return EXIT_ERROR;
	err = vm_get(&s, id, &vm);
	if (err) {
		vm_perror(&s, "show", id, err);
	} else if (json_output) {
		print_vm_json(stdout, &vm);
		putchar('\n');
	} else {
		print_vm_lines(&vm);
	}
	svmm_close(&s);
	return err ? EXIT_ERROR : EXIT_OK;
}
