// SPDX-License-Identifier: GPL-2.0
/* shadowvmm translate: one guest address through both page walks. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "cmd.h"
#include "size.h"
#include "translate.h"
#include "vmops.h"

static int parse_walk(struct nlattr *list, struct walk_entry *e,
		      unsigned int *nr)
{
	struct nlattr *tb[SHADOWVMM_A_MAX + 1];
	struct nlattr *nest;
	int rem;

	*nr = 0;
	if (!list)
		return 0;
	nla_for_each_nested(nest, list, rem) {
		if (nla_type(nest) != SHADOWVMM_A_WALK_ENTRY)
			continue;
		if (*nr == WALK_MAX || svmm_parse_nested(tb, nest) ||
		    !tb[SHADOWVMM_A_WALK_LEVEL] || !tb[SHADOWVMM_A_WALK_VALUE])
			return -EPROTO;
		e[*nr].level = nla_get_u32(tb[SHADOWVMM_A_WALK_LEVEL]);
		e[*nr].value = nla_get_u64(tb[SHADOWVMM_A_WALK_VALUE]);
		e[*nr].has_addr = tb[SHADOWVMM_A_WALK_ADDR];
		if (e[*nr].has_addr)
			e[*nr].addr = nla_get_u64(tb[SHADOWVMM_A_WALK_ADDR]);
		(*nr)++;
	}
	return 0;
}

static int on_translation(struct nlattr **tb, void *arg)
{
	struct translation *t = arg;

	if (!tb[SHADOWVMM_A_PAGING_MODE] ||
	    (!tb[SHADOWVMM_A_GPA] && !tb[SHADOWVMM_A_PF_ERROR_CODE]))
		return -EPROTO;
	t->mode = nla_get_u32(tb[SHADOWVMM_A_PAGING_MODE]);
	if (tb[SHADOWVMM_A_GVA])
		t->gva = nla_get_u64(tb[SHADOWVMM_A_GVA]);
	t->has_gpa = tb[SHADOWVMM_A_GPA];
	if (t->has_gpa)
		t->gpa = nla_get_u64(tb[SHADOWVMM_A_GPA]);
	t->has_pf = tb[SHADOWVMM_A_PF_ERROR_CODE];
	if (t->has_pf)
		t->pf_error_code = nla_get_u32(tb[SHADOWVMM_A_PF_ERROR_CODE]);
	t->has_hpa = tb[SHADOWVMM_A_HPA];
	if (t->has_hpa)
		t->hpa = nla_get_u64(tb[SHADOWVMM_A_HPA]);
	if (parse_walk(tb[SHADOWVMM_A_GUEST_WALK], t->guest, &t->nr_guest) ||
	    parse_walk(tb[SHADOWVMM_A_SHADOW_WALK], t->shadow, &t->nr_shadow))
		return -EPROTO;
	return 0;
}

static int translate(struct svmm *s, struct translation *t)
{
	struct nl_msg *msg = svmm_msg(s, SHADOWVMM_CMD_TRANSLATE, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, SHADOWVMM_A_VM_ID, t->vm_id) < 0 ||
	    nla_put_u64(msg, SHADOWVMM_A_GVA, t->gva) < 0 ||
	    nla_put_u32(msg, SHADOWVMM_A_ACCESS, t->access) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return svmm_request(s, msg, on_translation, t);
}

int cmd_translate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "write", no_argument, NULL, 'w' },
		{ "user", no_argument, NULL, 'u' },
		{ "fetch", no_argument, NULL, 'x' },
		{ "json", no_argument, NULL, 'j' },
		{}
	};
	struct translation t = {};
	struct svmm s;
	int c, ret, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":j", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			t.access |= SHADOWVMM_ACCESS_WRITE;
			break;
		case 'u':
			t.access |= SHADOWVMM_ACCESS_USER;
			break;
		case 'x':
			t.access |= SHADOWVMM_ACCESS_FETCH;
			break;
		case 'j':
			json_output = true;
			break;
		default:
			return option_error(argv[0], argv, c);
		}
	}
	if ((t.access & SHADOWVMM_ACCESS_WRITE) && (t.access & SHADOWVMM_ACCESS_FETCH))
		return usage_error(argv[0], "--write and --fetch exclude each other");
	if (argc - optind < 2)
		return usage_error(argv[0], "needs a VM id and a guest virtual address");
	if (argc - optind > 2)
		return usage_error(argv[0], "unexpected argument '%s'", argv[optind + 2]);
	ret = parse_vm_arg(argv[0], argv[optind], &t.vm_id);
	if (ret)
		return ret;
	if (parse_address(argv[optind + 1], &t.gva))
		return usage_error(argv[0], "bad address '%s' (0x and hex digits, or decimal)",
				   argv[optind + 1]);
	if (svmm_connect(&s))
		return EXIT_ERROR;
	err = translate(&s, &t);
	if (err)
		vm_perror(&s, "translate in", t.vm_id, err);
	else if (json_output)
		print_translation_json(stdout, &t);
	else
		print_translation(stdout, &t);
	svmm_close(&s);
	return err ? EXIT_ERROR : EXIT_OK;
}
