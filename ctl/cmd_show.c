// SPDX-License-Identifier: GPL-2.0
/* The commands that only look: list, show, stats. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "cmd.h"
#include "size.h"
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

static void print_vm_table(const struct vm_list *l)
{
	int id_w = 2, mem_w = 3, n;
	char mem[32], why[256];
	size_t i;

	for (i = 0; i < l->nr; i++) {
		n = snprintf(NULL, 0, "%" PRIu32, l->vms[i].id);
		if (n > id_w)
			id_w = n;
		format_size(l->vms[i].mem_size, mem, sizeof(mem));
		n = strlen(mem);
		if (n > mem_w)
			mem_w = n;
	}
	printf("%*s  %-7s  %*s  %s\n", id_w, "ID", "STATE", mem_w, "MEM", "STOP");
	for (i = 0; i < l->nr; i++) {
		const struct vm_info *vm = &l->vms[i];

		format_size(vm->mem_size, mem, sizeof(mem));
		describe_stop(vm, why, sizeof(why));
		printf("%*" PRIu32 "  %-7s  %*s  %s\n", id_w, vm->id,
		       vm_state_name(vm->state), mem_w, mem, why);
	}
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
	} else {
		print_vm_table(&l);
	}
	free(l.vms);
	svmm_close(&s);
	return err ? EXIT_ERROR : EXIT_OK;
}

static void print_vm_lines(const struct vm_info *vm)
{
	char mem[32], why[256];

	format_size(vm->mem_size, mem, sizeof(mem));
	printf("%-19s %" PRIu32 "\n", "vm_id:", vm->id);
	printf("%-19s %s\n", "vm_state:", vm_state_name(vm->state));
	printf("%-19s %s (%" PRIu64 " bytes)\n", "mem_size:", mem, vm->mem_size);
	if (vm->state != SHADOWVMM_VM_STOPPED)
		return;
	describe_stop(vm, why, sizeof(why));
	printf("%-19s %s: %s\n", "stop_reason:", stop_reason_name(vm->stop_reason), why);
	if (vm->has_exit_status)
		printf("%-19s %" PRIu32 "\n", "exit_status:", vm->exit_status);
	if (vm->has_exit_reason)
		printf("%-19s %" PRIu32 " (%s)\n", "exit_reason:", vm->exit_reason,
		       vm->stop_reason == SHADOWVMM_STOP_ENTRY_FAILED ?
		       "VM-instruction error" : vmx_exit_name(vm->exit_reason));
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

struct stat_entry {
	char name[SHADOWVMM_STAT_NAME_MAX];
	uint64_t value;
	uint32_t kind;
};

struct stat_list {
	struct stat_entry *stats;
	size_t nr, cap;
};

static int add_stat(struct stat_list *l, struct nlattr *nest)
{
	struct nlattr *tb[SHADOWVMM_A_MAX + 1];
	struct stat_entry *e;

	if (svmm_parse_nested(tb, nest) || !tb[SHADOWVMM_A_STAT_NAME] ||
	    !tb[SHADOWVMM_A_STAT_VALUE])
		return -EPROTO;
	if (l->nr == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		e = realloc(l->stats, l->cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		l->stats = e;
	}
	e = &l->stats[l->nr++];
	nla_strlcpy(e->name, tb[SHADOWVMM_A_STAT_NAME], sizeof(e->name));
	e->value = nla_get_u64(tb[SHADOWVMM_A_STAT_VALUE]);
	e->kind = tb[SHADOWVMM_A_STAT_KIND] ?
		  nla_get_u32(tb[SHADOWVMM_A_STAT_KIND]) : SHADOWVMM_STAT_CUMULATIVE;
	return 0;
}

/* The kernel describes each counter: keep them in the order it sent. */
static int on_stats(struct nlattr **tb, void *arg)
{
	struct nlattr *stat;
	int rem, err;

	if (!tb[SHADOWVMM_A_STATS])
		return 0;
	nla_for_each_nested(stat, tb[SHADOWVMM_A_STATS], rem) {
		if (nla_type(stat) != SHADOWVMM_A_STAT)
			continue;
		err = add_stat(arg, stat);
		if (err)
			return err;
	}
	return 0;
}

static void print_stats(uint32_t id, const struct stat_list *l)
{
	int name_w = 4, value_w = 5, n;
	size_t i;

	if (json_output) {
		printf("{\"vm_id\":%" PRIu32 ",\"stats\":[", id);
		for (i = 0; i < l->nr; i++) {
			printf("%s{\"stat_name\":", i ? "," : "");
			json_string(stdout, l->stats[i].name);
			printf(",\"stat_value\":%" PRIu64 ",\"stat_kind\":\"%s\"}",
			       l->stats[i].value, stat_kind_name(l->stats[i].kind));
		}
		puts("]}");
		return;
	}
	for (i = 0; i < l->nr; i++) {
		n = strlen(l->stats[i].name);
		if (n > name_w)
			name_w = n;
		n = snprintf(NULL, 0, "%" PRIu64, l->stats[i].value);
		if (n > value_w)
			value_w = n;
	}
	printf("%-*s  %*s  %s\n", name_w, "NAME", value_w, "VALUE", "KIND");
	for (i = 0; i < l->nr; i++)
		printf("%-*s  %*" PRIu64 "  %s\n", name_w, l->stats[i].name,
		       value_w, l->stats[i].value, stat_kind_name(l->stats[i].kind));
}

int cmd_stats(int argc, char **argv)
{
	struct stat_list l = {};
	struct nl_msg *msg;
	struct svmm s;
	uint32_t id;
	int ret, err;

	ret = one_vm_arg(argc, argv, &id);
	if (ret)
		return ret;
	if (svmm_connect(&s))
		return EXIT_ERROR;
	msg = svmm_msg(&s, SHADOWVMM_CMD_STATS_GET, 0);
	if (!msg || nla_put_u32(msg, SHADOWVMM_A_VM_ID, id) < 0) {
		nlmsg_free(msg);
		err = -ENOMEM;
	} else {
		err = svmm_request(&s, msg, on_stats, &l);
	}
	if (err)
		vm_perror(&s, "get stats of", id, err);
	else
		print_stats(id, &l);
	free(l.stats);
	svmm_close(&s);
	return err ? EXIT_ERROR : EXIT_OK;
}
