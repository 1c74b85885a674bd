// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: the only way in from user space. Handlers
 * turn attributes into calls on vm.c and replies; vm.c decides what is
 * allowed, and says why not in a message we hand back as the extack.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include "console.h"
#include "netlink.h"
#include "netlink_policy.h"
#include "vm.h"

/* Console bytes per CONSOLE_READ reply: one page-sized message. */
#define CONSOLE_READ_MAX	3072

static struct genl_family shadowvmm_family;

static const struct shadowvmm_why no_such_vm = {
	"VM_ID: no such VM", SHADOWVMM_A_VM_ID
};

/*
 * A required attribute the request lacks, at its top level or in @tb, the
 * attributes of @nest, is named twice in the extended ACK: by type
 * (NLMSGERR_ATTR_MISS_TYPE, for tools that decode it) and in words, @msg.
 */
static bool missing(struct genl_info *info, const struct nlattr *nest,
		    struct nlattr **tb, int type, const char *msg)
{
	if (!NL_REQ_ATTR_CHECK(info->extack, nest, nest ? tb : info->attrs,
			       type))
		return false;
	if (info->extack)
		info->extack->_msg = msg;
	return true;
}

/* Whether the request (or @nest, in @tb) lacks SHADOWVMM_A_<name>. */
#define MISSING(info, name)						\
	missing(info, NULL, NULL, SHADOWVMM_A_##name,			\
		"missing attribute " #name)
#define MISSING_IN(info, nest, tb, name)				\
	missing(info, nest, tb, SHADOWVMM_A_##name, "missing attribute " #name)

/* The @nth (from 0) top-level attribute of @type in the request. */
static const struct nlattr *nth_attr(struct genl_info *info, int type,
				     unsigned int nth)
{
	const struct nlattr *a;
	int rem;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		if (nla_type(a) == type && !nth--)
			return a;
	return NULL;
}

static void set_err(struct genl_info *info, const struct shadowvmm_why *why)
{
	/* NL_SET_ERR_MSG_ATTR() wants a literal; why->msg is static already. */
	if (info->extack && why->msg) {
		info->extack->_msg = why->msg;
		info->extack->bad_attr = why->attr ?
			nth_attr(info, why->attr, why->nth) : NULL;
	}
}

static int put_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, SHADOWVMM_A_PAD);
}

/* Attributes of a message about @vm, after its VM_ID; @arg is the caller's. */
typedef int (*fill_fn)(struct sk_buff *skb, struct shadowvmm_vm *vm,
		       const void *arg);

/*
 * Every message we send is about one VM: a header, VM_ID, then what @fill
 * adds. Replies, events and each VM of a dump differ only in the header.
 *
 * Return: the message's header, or NULL when @skb has no room for it (the
 * part already written is taken back).
 */
static void *put_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		     u8 cmd, fill_fn fill, struct shadowvmm_vm *vm,
		     const void *arg)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &shadowvmm_family, flags, cmd);
	if (!hdr)
		return NULL;
	if (nla_put_u32(skb, SHADOWVMM_A_VM_ID, vm->id) || fill(skb, vm, arg)) {
		genlmsg_cancel(skb, hdr);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return hdr;
}

/* The reply to @info: a message about @vm that @fill completes. */
static int send_reply(struct genl_info *info, fill_fn fill,
		      struct shadowvmm_vm *vm, const void *arg)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!skb)
		return -ENOMEM;
	if (!put_msg(skb, info->snd_portid, info->snd_seq, 0,
		     info->genlhdr->cmd, fill, vm, arg)) {
		nlmsg_free(skb);
		GENL_SET_ERR_MSG(info, "cannot build the reply");
		return -EMSGSIZE;
	}
	return genlmsg_reply(skb, info);
}

static int put_stop(struct sk_buff *skb, const struct shadowvmm_stop *stop)
{
	if (nla_put_u32(skb, SHADOWVMM_A_STOP_REASON, stop->reason))
		return -EMSGSIZE;
	switch (stop->reason) {
	case SHADOWVMM_STOP_NONE:
		return 0;
	case SHADOWVMM_STOP_DEBUG_EXIT:
		if (nla_put_u32(skb, SHADOWVMM_A_EXIT_STATUS, stop->exit_status))
			return -EMSGSIZE;
		break;
	case SHADOWVMM_STOP_UNHANDLED_EXIT:
	case SHADOWVMM_STOP_ENTRY_FAILED:
	case SHADOWVMM_STOP_TRIPLE_FAULT:
		if (nla_put_u32(skb, SHADOWVMM_A_EXIT_REASON, stop->exit_reason) ||
		    put_u64(skb, SHADOWVMM_A_EXIT_QUALIFICATION,
			    stop->qualification))
			return -EMSGSIZE;
		break;
	case SHADOWVMM_STOP_BAD_ACCESS:
		if (put_u64(skb, SHADOWVMM_A_GUEST_ADDR, stop->guest_addr))
			return -EMSGSIZE;
		break;
	}
	return put_u64(skb, SHADOWVMM_A_GUEST_RIP, stop->rip);
}

/* One VM's description: VM_GET and VM_CREATE replies, dumps and events. */
static int put_vm(struct sk_buff *skb, struct shadowvmm_vm *vm,
		  const void *unused)
{
	struct shadowvmm_stop stop;
	u32 state = shadowvmm_vm_status(vm, &stop);

	if (put_u64(skb, SHADOWVMM_A_VM_SERIAL, vm->serial) ||
	    nla_put_u32(skb, SHADOWVMM_A_VM_STATE, state) ||
	    put_u64(skb, SHADOWVMM_A_MEM_SIZE, vm->gmem.size) ||
	    nla_put_u32(skb, SHADOWVMM_A_MMU_PAGES_MAX, vm->mmu_pages_max) ||
	    put_stop(skb, &stop))
		return -EMSGSIZE;
	return 0;
}

/* @event: the enum shadowvmm_vm_event to send with the VM's description. */
static int put_event(struct sk_buff *skb, struct shadowvmm_vm *vm,
		     const void *event)
{
	return put_vm(skb, vm, NULL) ?:
	       nla_put_u32(skb, SHADOWVMM_A_EVENT, *(const u32 *)event) ?:
	       put_u64(skb, SHADOWVMM_A_TIMESTAMP, ktime_get_real_ns());
}

/* Multicast a step in a VM's life to "events", if anyone listens. */
static void notify(struct shadowvmm_vm *vm, u32 event)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&shadowvmm_family, &init_net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (put_msg(skb, 0, 0, 0, SHADOWVMM_CMD_VM_NOTIFY, put_event, vm,
		    &event))
		genlmsg_multicast(&shadowvmm_family, skb, 0, 0, GFP_KERNEL);
	else
		nlmsg_free(skb);
}

static int vm_create(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *size = info->attrs[SHADOWVMM_A_MEM_SIZE];
	struct nlattr *pages = info->attrs[SHADOWVMM_A_MMU_PAGES_MAX];
	struct shadowvmm_why why = {};
	struct shadowvmm_vm *vm;
	int err;

	if (MISSING(info, MEM_SIZE))
		return -EINVAL;
	err = shadowvmm_vm_create(nla_get_u64(size),
				  pages ? nla_get_u32(pages) : 0, &vm, &why);
	if (err) {
		set_err(info, &why);
		return err;
	}
	/* Before the reply: nobody can start the VM before it is announced. */
	notify(vm, SHADOWVMM_EVENT_CREATED);
	err = send_reply(info, put_vm, vm, NULL);
	if (err) {
		GENL_SET_ERR_MSG(info, "no room for the reply: VM destroyed");
		shadowvmm_vm_destroy(vm->id);
	}
	shadowvmm_vm_put(vm);
	return err;
}

/*
 * By id, not through vm_doit()'s lookup: between that lookup and a destroy
 * by id, another request could destroy the VM and a new one take its id.
 */
static int vm_destroy(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (MISSING(info, VM_ID))
		return -EINVAL;
	err = shadowvmm_vm_destroy(nla_get_u32(info->attrs[SHADOWVMM_A_VM_ID]));
	if (err == -ENOENT)
		set_err(info, &no_such_vm);
	return err;
}

/*
 * As many VMs as fit in each message, in id order. A VM created or
 * destroyed between two messages marks the dump interrupted
 * (NLM_F_DUMP_INTR): user space asks again for a consistent list.
 */
static int vm_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	/* cb->args[0]: the lowest VM id not dumped yet. */
	u32 next = cb->args[0] ? cb->args[0] : 1;
	struct shadowvmm_vm *vm;
	void *hdr;

	cb->seq = shadowvmm_vm_generation();
	while ((vm = shadowvmm_vm_get_next(&next))) {
		hdr = put_msg(skb, NETLINK_CB(cb->skb).portid,
			      cb->nlh->nlmsg_seq, NLM_F_MULTI,
			      SHADOWVMM_CMD_VM_GET, put_vm, vm, NULL);
		shadowvmm_vm_put(vm);
		/* A full buffer ends this part; user space asks for more. */
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		cb->args[0] = ++next;
	}
	return skb->len;
}

/* One BOOT_MODULE, already validated against its policy. */
static int parse_module(struct genl_info *info, struct nlattr *nest,
			struct shadowvmm_boot_module *m)
{
	struct nlattr *tb[SHADOWVMM_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, SHADOWVMM_A_MAX, nest,
			       shadowvmm_boot_module_policy, info->extack);
	if (err)
		return err;
	if (MISSING_IN(info, nest, tb, MODULE_ADDR) ||
	    MISSING_IN(info, nest, tb, MODULE_SIZE))
		return -EINVAL;
	m->addr = nla_get_u64(tb[SHADOWVMM_A_MODULE_ADDR]);
	m->size = nla_get_u64(tb[SHADOWVMM_A_MODULE_SIZE]);
	if (tb[SHADOWVMM_A_MODULE_CMDLINE]) {
		m->cmdline = nla_strdup(tb[SHADOWVMM_A_MODULE_CMDLINE],
					GFP_KERNEL_ACCOUNT);
		if (!m->cmdline)
			return -ENOMEM;
	}
	return 0;
}

static int parse_boot(struct genl_info *info, struct shadowvmm_boot *boot)
{
	struct nlattr *protocol = info->attrs[SHADOWVMM_A_BOOT_PROTOCOL];
	struct nlattr *cmdline = info->attrs[SHADOWVMM_A_BOOT_CMDLINE];
	struct nlattr *a;
	int rem, err;

	boot->entry = nla_get_u32(info->attrs[SHADOWVMM_A_BOOT_ENTRY]);
	boot->protocol = protocol ? nla_get_u32(protocol) :
				    SHADOWVMM_BOOT_MULTIBOOT;
	boot->cmdline = kstrdup(cmdline ? nla_data(cmdline) : "",
				GFP_KERNEL_ACCOUNT);
	if (!boot->cmdline)
		return -ENOMEM;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != SHADOWVMM_A_BOOT_MODULE)
			continue;
		if (boot->nr_modules == SHADOWVMM_BOOT_MODULES_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "BOOT_MODULE: more than SHADOWVMM_BOOT_MODULES_MAX modules");
			return -E2BIG;
		}
		err = parse_module(info, a, &boot->modules[boot->nr_modules++]);
		if (err)
			return err;
	}
	return 0;
}

static int boot_set(struct genl_info *info, struct shadowvmm_vm *vm,
		    struct shadowvmm_why *why)
{
	struct shadowvmm_boot boot = {};
	int err;

	if (MISSING(info, BOOT_ENTRY))
		return -EINVAL;
	err = parse_boot(info, &boot);
	if (!err)
		err = shadowvmm_vm_set_boot(vm, &boot, why);
	shadowvmm_boot_free(&boot);
	return err;
}

static int put_stat(void *ctx, const char *name, u64 value, u32 kind,
		    u32 unit)
{
	struct sk_buff *skb = ctx;
	struct nlattr *stat = nla_nest_start(skb, SHADOWVMM_A_STAT);

	if (!stat || nla_put_string(skb, SHADOWVMM_A_STAT_NAME, name) ||
	    put_u64(skb, SHADOWVMM_A_STAT_VALUE, value) ||
	    nla_put_u32(skb, SHADOWVMM_A_STAT_KIND, kind) ||
	    nla_put_u32(skb, SHADOWVMM_A_STAT_UNIT, unit))
		return -EMSGSIZE;
	nla_nest_end(skb, stat);
	return 0;
}

static int put_stats(struct sk_buff *skb, struct shadowvmm_vm *vm,
		     const void *unused)
{
	struct nlattr *stats = nla_nest_start(skb, SHADOWVMM_A_STATS);

	if (!stats || shadowvmm_stats_for_each(&vm->stats, put_stat, skb))
		return -EMSGSIZE;
	nla_nest_end(skb, stats);
	return 0;
}

/* @offset: CONSOLE_OFFSET, where the reader is in the output; NULL: 0. */
static int put_console(struct sk_buff *skb, struct shadowvmm_vm *vm,
		       const void *offset)
{
	u64 from = offset ? nla_get_u64(offset) : 0, next, dropped;
	struct nlattr *data;
	size_t len;

	data = nla_reserve(skb, SHADOWVMM_A_DATA, CONSOLE_READ_MAX);
	if (!data)
		return -EMSGSIZE;
	len = shadowvmm_console_get(&vm->console, from, nla_data(data),
				    CONSOLE_READ_MAX, &next, &dropped);
	/* Give back what the reservation did not use. */
	nlmsg_trim(skb, (u8 *)data + nla_total_size(len));
	data->nla_len = nla_attr_size(len);
	return put_u64(skb, SHADOWVMM_A_CONSOLE_OFFSET, next) ?:
	       put_u64(skb, SHADOWVMM_A_CONSOLE_DROPPED, dropped);
}

/* TRANSLATE's answer: the address asked about, seen by both tables. */
struct translate_reply {
	u64 gva;
	struct shadowvmm_translation t;
};

static int put_walk_entry(struct sk_buff *skb, int level, u64 value,
			  const u64 *addr)
{
	struct nlattr *nest = nla_nest_start(skb, SHADOWVMM_A_WALK_ENTRY);

	if (!nest || nla_put_u32(skb, SHADOWVMM_A_WALK_LEVEL, level) ||
	    put_u64(skb, SHADOWVMM_A_WALK_VALUE, value) ||
	    (addr && put_u64(skb, SHADOWVMM_A_WALK_ADDR, *addr)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_translation(struct sk_buff *skb, struct shadowvmm_vm *vm,
			   const void *arg)
{
	const struct translate_reply *r = arg;
	const struct shadowvmm_translation *t = &r->t;
	const struct shadowvmm_walk *walk = &t->walk;
	int level, bottom = max(walk->level, 1);
	struct nlattr *nest;

	if (put_u64(skb, SHADOWVMM_A_GVA, r->gva) ||
	    nla_put_u32(skb, SHADOWVMM_A_PAGING_MODE, t->mode))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, SHADOWVMM_A_GUEST_WALK);
	if (!nest)
		return -EMSGSIZE;
	for (level = walk->top_level; level && level >= bottom; level--) {
		bool in_cpu = t->mode == SHADOWVMM_PAGING_PAE && level == 3;

		if (put_walk_entry(skb, level, walk->entry[level],
				   in_cpu ? NULL : &walk->entry_gpa[level]))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	if (t->walk_err ?
	    nla_put_u32(skb, SHADOWVMM_A_PF_ERROR_CODE, walk->error_code) :
	    put_u64(skb, SHADOWVMM_A_GPA, walk->gpa))
		return -EMSGSIZE;

	nest = nla_nest_start(skb, SHADOWVMM_A_SHADOW_WALK);
	if (!nest)
		return -EMSGSIZE;
	for (level = t->shadow_top; level >= t->shadow_bottom; level--)
		if (put_walk_entry(skb, level, t->shadow[level], NULL))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	if (t->mapped && put_u64(skb, SHADOWVMM_A_HPA, t->hpa))
		return -EMSGSIZE;
	return 0;
}

static int translate(struct genl_info *info, struct shadowvmm_vm *vm,
		     struct shadowvmm_why *why)
{
	struct nlattr *access = info->attrs[SHADOWVMM_A_ACCESS];
	struct translate_reply *r;
	int err;

	if (MISSING(info, GVA))
		return -EINVAL;
	r = kmalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->gva = nla_get_u64(info->attrs[SHADOWVMM_A_GVA]);
	err = shadowvmm_vm_translate(vm, r->gva,
				     access ? nla_get_u32(access) : 0,
				     &r->t, why);
	if (!err)
		err = send_reply(info, put_translation, vm, r);
	kfree(r);
	return err;
}

/*
 * Every operation but VM_CREATE and VM_DESTROY acts on one VM that exists:
 * look it up once, then one switch. What vm.c refuses comes back in @why,
 * the message and the attribute at fault for the extack.
 */
static int vm_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs, *data = attrs[SHADOWVMM_A_DATA];
	struct nlattr *gpa = attrs[SHADOWVMM_A_GPA];
	struct shadowvmm_why why = {};
	struct shadowvmm_vm *vm;
	int err;

	if (MISSING(info, VM_ID))
		return -EINVAL;
	vm = shadowvmm_vm_get(nla_get_u32(attrs[SHADOWVMM_A_VM_ID]));
	if (!vm) {
		set_err(info, &no_such_vm);
		return -ENOENT;
	}
	switch (info->genlhdr->cmd) {
	case SHADOWVMM_CMD_VM_GET:
		err = send_reply(info, put_vm, vm, NULL);
		break;
	case SHADOWVMM_CMD_MEM_WRITE:
		if (MISSING(info, GPA) || MISSING(info, DATA))
			err = -EINVAL;
		else
			err = shadowvmm_vm_write_mem(vm, nla_get_u64(gpa),
						     nla_data(data),
						     nla_len(data), &why);
		break;
	case SHADOWVMM_CMD_BOOT_SET:
		err = boot_set(info, vm, &why);
		break;
	case SHADOWVMM_CMD_VM_START:
		err = shadowvmm_vm_start(vm, &why);
		break;
	case SHADOWVMM_CMD_VM_STOP:
		err = shadowvmm_vm_stop(vm, &why);
		break;
	case SHADOWVMM_CMD_STATS_GET:
		err = send_reply(info, put_stats, vm, NULL);
		if (err == -EMSGSIZE)
			GENL_SET_ERR_MSG(info,
					 "the counters do not fit in one reply");
		break;
	case SHADOWVMM_CMD_CONSOLE_WRITE:
		if (MISSING(info, DATA))
			err = -EINVAL;
		else
			err = shadowvmm_vm_console_write(vm, nla_data(data),
							 nla_len(data), &why);
		break;
	case SHADOWVMM_CMD_CONSOLE_READ:
		err = send_reply(info, put_console, vm,
				 attrs[SHADOWVMM_A_CONSOLE_OFFSET]);
		break;
	case SHADOWVMM_CMD_TRANSLATE:
		err = translate(info, vm, &why);
		break;
	default:
		err = -EOPNOTSUPP;
		break;
	}
	if (err)
		set_err(info, &why);
	shadowvmm_vm_put(vm);
	return err;
}

#define OP(_cmd, _doit, _policy, ...) {					\
	.cmd = _cmd, .doit = _doit, .policy = _policy,			\
	.maxattr = SHADOWVMM_A_MAX, .flags = GENL_ADMIN_PERM, __VA_ARGS__ \
}

static const struct genl_ops shadowvmm_ops[] = {
	OP(SHADOWVMM_CMD_VM_CREATE, vm_create, shadowvmm_vm_create_policy),
	OP(SHADOWVMM_CMD_VM_DESTROY, vm_destroy, shadowvmm_vm_id_policy),
	OP(SHADOWVMM_CMD_VM_GET, vm_doit, shadowvmm_vm_id_policy,
	   .dumpit = vm_dump),
	OP(SHADOWVMM_CMD_MEM_WRITE, vm_doit, shadowvmm_mem_write_policy),
	OP(SHADOWVMM_CMD_BOOT_SET, vm_doit, shadowvmm_boot_set_policy),
	OP(SHADOWVMM_CMD_VM_START, vm_doit, shadowvmm_vm_id_policy),
	OP(SHADOWVMM_CMD_VM_STOP, vm_doit, shadowvmm_vm_id_policy),
	OP(SHADOWVMM_CMD_STATS_GET, vm_doit, shadowvmm_vm_id_policy),
	OP(SHADOWVMM_CMD_CONSOLE_WRITE, vm_doit,
	   shadowvmm_console_write_policy),
	OP(SHADOWVMM_CMD_CONSOLE_READ, vm_doit, shadowvmm_console_read_policy),
	OP(SHADOWVMM_CMD_TRANSLATE, vm_doit, shadowvmm_translate_policy),
};

/*
 * Events tell every VM's exit status: joining "events" needs CAP_NET_ADMIN,
 * as the operations do. Generic netlink checks the group's flags when a
 * socket joins (genl_bind()). The flag is GENL_MCAST_CAP_NET_ADMIN since
 * 6.7 and in the stable kernels that took that fix (Debian's 6.1 among
 * them); the first form of the fix read the operations' flag
 * GENL_UNS_ADMIN_PERM here instead. Older kernels check no group's flags at
 * all, and give a family no hook to: Documentation/netlink.rst says so.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define EVENTS_GROUP_FLAGS	GENL_MCAST_CAP_NET_ADMIN
#else
#define EVENTS_GROUP_FLAGS	GENL_UNS_ADMIN_PERM
#endif

static const struct genl_multicast_group shadowvmm_mcgrps[] = {
	{ .name = SHADOWVMM_MCGRP_EVENTS, .flags = EVENTS_GROUP_FLAGS },
};

static struct genl_family shadowvmm_family __ro_after_init = {
	.name = SHADOWVMM_GENL_NAME,
	.version = SHADOWVMM_GENL_VERSION,
	.maxattr = SHADOWVMM_A_MAX,
	.netnsok = false,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = shadowvmm_ops,
	.n_ops = ARRAY_SIZE(shadowvmm_ops),
	.mcgrps = shadowvmm_mcgrps,
	.n_mcgrps = ARRAY_SIZE(shadowvmm_mcgrps),
};

static int vm_event(struct notifier_block *nb, unsigned long event, void *vm)
{
	notify(vm, event);
	return NOTIFY_DONE;
}

/* Registered only while the family is: nothing is sent once it is gone. */
static struct notifier_block vm_events = { .notifier_call = vm_event };

int __init shadowvmm_netlink_init(void)
{
	int err = genl_register_family(&shadowvmm_family);

	if (!err)
		shadowvmm_vm_register_notifier(&vm_events);
	return err;
}

void shadowvmm_netlink_exit(void)
{
	shadowvmm_vm_unregister_notifier(&vm_events);
	genl_unregister_family(&shadowvmm_family);
}

MODULE_ALIAS_GENL_FAMILY(SHADOWVMM_GENL_NAME);
