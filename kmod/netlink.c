// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: the only way in from user space. Handlers
 * turn attributes into calls on vm.c and replies; vm.c decides what is
 * allowed, and says why not in a message we hand back as the extack.
 */
#include <linux/module.h>
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
 * A required attribute the request lacks is named twice in the extended
 * ACK: by type (NLMSGERR_ATTR_MISS_TYPE, for tools that decode it) and in
 * words, @msg.
 */
static bool missing(struct genl_info *info, int type, const char *msg)
{
	if (!GENL_REQ_ATTR_CHECK(info, type))
		return false;
	if (info->extack)
		info->extack->_msg = msg;
	return true;
}

/* True when the request lacks SHADOWVMM_A_<name>. */
#define MISSING(info, name) \
	missing(info, SHADOWVMM_A_##name, "missing attribute " #name)

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

/* Return: the VM named by the request's VM_ID with a reference, or ERR_PTR. */
static struct shadowvmm_vm *lookup_vm(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SHADOWVMM_A_VM_ID];
	struct shadowvmm_vm *vm;

	if (MISSING(info, VM_ID))
		return ERR_PTR(-EINVAL);
	vm = shadowvmm_vm_get(nla_get_u32(attr));
	if (!vm) {
		set_err(info, &no_such_vm);
		return ERR_PTR(-ENOENT);
	}
	return vm;
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
		    nla_put_u64_64bit(skb, SHADOWVMM_A_EXIT_QUALIFICATION,
				      stop->qualification, SHADOWVMM_A_PAD))
			return -EMSGSIZE;
		break;
	case SHADOWVMM_STOP_BAD_ACCESS:
		if (nla_put_u64_64bit(skb, SHADOWVMM_A_GUEST_ADDR,
				      stop->guest_addr, SHADOWVMM_A_PAD))
			return -EMSGSIZE;
		break;
	}
	return nla_put_u64_64bit(skb, SHADOWVMM_A_GUEST_RIP, stop->rip,
				 SHADOWVMM_A_PAD);
}

/* One VM's description: VM_GET replies, dumps and events share it. */
static int put_vm(struct sk_buff *skb, struct shadowvmm_vm *vm)
{
	struct shadowvmm_stop stop;
	u32 state = shadowvmm_vm_status(vm, &stop);

	if (nla_put_u32(skb, SHADOWVMM_A_VM_ID, vm->id) ||
	    nla_put_u64_64bit(skb, SHADOWVMM_A_VM_SERIAL, vm->serial,
			      SHADOWVMM_A_PAD) ||
	    nla_put_u32(skb, SHADOWVMM_A_VM_STATE, state) ||
	    nla_put_u64_64bit(skb, SHADOWVMM_A_MEM_SIZE, vm->gmem.size,
			      SHADOWVMM_A_PAD) ||
	    nla_put_u32(skb, SHADOWVMM_A_MMU_PAGES_MAX, vm->mmu_pages_max) ||
	    put_stop(skb, &stop))
		return -EMSGSIZE;
	return 0;
}

/* A message describing @vm; @cb is the dump's, checked for consistency. */
static int fill_vm(struct sk_buff *skb, struct shadowvmm_vm *vm, u8 cmd,
		   u32 portid, u32 seq, int flags, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &shadowvmm_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (put_vm(skb, vm)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int reply_vm(struct genl_info *info, struct shadowvmm_vm *vm)
{
	struct sk_buff *skb;
	int err;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	err = fill_vm(skb, vm, info->genlhdr->cmd, info->snd_portid,
		      info->snd_seq, 0, NULL);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	return genlmsg_reply(skb, info);
}

/* Multicast a step in a VM's life to "events", if anyone listens. */
static void notify(struct shadowvmm_vm *vm, u32 event)
{
	u64 now = ktime_get_real_ns();
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&shadowvmm_family, &init_net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &shadowvmm_family, 0,
			  SHADOWVMM_CMD_VM_NOTIFY);
	if (!hdr || put_vm(skb, vm) ||
	    nla_put_u32(skb, SHADOWVMM_A_EVENT, event) ||
	    nla_put_u64_64bit(skb, SHADOWVMM_A_TIMESTAMP, now, SHADOWVMM_A_PAD))
		goto free;
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&shadowvmm_family, skb, 0, 0, GFP_KERNEL);
	return;
free:
	nlmsg_free(skb);
}

static int vm_create(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SHADOWVMM_A_MEM_SIZE];
	struct nlattr *pages = info->attrs[SHADOWVMM_A_MMU_PAGES_MAX];
	struct shadowvmm_why why = {};
	struct shadowvmm_vm *vm;
	int err;

	if (MISSING(info, MEM_SIZE))
		return -EINVAL;
	err = shadowvmm_vm_create(nla_get_u64(attr),
				  pages ? nla_get_u32(pages) : 0, &vm, &why);
	if (err) {
		set_err(info, &why);
		return err;
	}
	/* Before the reply: nobody can start the VM before it is announced. */
	notify(vm, SHADOWVMM_EVENT_CREATED);
	err = reply_vm(info, vm);
	if (err) {
		GENL_SET_ERR_MSG(info, "no room for the reply: VM destroyed");
		shadowvmm_vm_destroy(vm->id);
	}
	shadowvmm_vm_put(vm);
	return err;
}

static int vm_destroy(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SHADOWVMM_A_VM_ID];
	int err;

	if (MISSING(info, VM_ID))
		return -EINVAL;
	err = shadowvmm_vm_destroy(nla_get_u32(attr));
	if (err == -ENOENT)
		set_err(info, &no_such_vm);
	return err;
}

static int vm_get(struct sk_buff *skb, struct genl_info *info)
{
	struct shadowvmm_vm *vm = lookup_vm(info);
	int err;

	if (IS_ERR(vm))
		return PTR_ERR(vm);
	err = reply_vm(info, vm);
	if (err)
		GENL_SET_ERR_MSG(info, "cannot build the reply");
	shadowvmm_vm_put(vm);
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
	int err = 0;

	cb->seq = shadowvmm_vm_generation();
	while ((vm = shadowvmm_vm_get_next(&next))) {
		err = fill_vm(skb, vm, SHADOWVMM_CMD_VM_GET,
			      NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			      NLM_F_MULTI, cb);
		shadowvmm_vm_put(vm);
		if (err)
			break;
		cb->args[0] = ++next;
	}
	/* A full message ends this part of the dump; user space asks again. */
	return err == -EMSGSIZE ? skb->len : err;
}

static int mem_write(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *data = info->attrs[SHADOWVMM_A_DATA];
	struct shadowvmm_why why = {};
	struct shadowvmm_vm *vm;
	int err;

	if (MISSING(info, GPA) || MISSING(info, DATA))
		return -EINVAL;
	vm = lookup_vm(info);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	err = shadowvmm_vm_write_mem(vm,
				     nla_get_u64(info->attrs[SHADOWVMM_A_GPA]),
				     nla_data(data), nla_len(data), &why);
	if (err)
		set_err(info, &why);
	shadowvmm_vm_put(vm);
	return err;
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
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, SHADOWVMM_A_MODULE_ADDR)) {
		NL_SET_ERR_MSG(info->extack, "missing attribute MODULE_ADDR");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, SHADOWVMM_A_MODULE_SIZE)) {
		NL_SET_ERR_MSG(info->extack, "missing attribute MODULE_SIZE");
		return -EINVAL;
	}
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

static int boot_set(struct sk_buff *skb, struct genl_info *info)
{
	struct shadowvmm_boot boot = {};
	struct shadowvmm_why why = {};
	struct shadowvmm_vm *vm;
	int err;

	if (MISSING(info, BOOT_ENTRY))
		return -EINVAL;
	vm = lookup_vm(info);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	err = parse_boot(info, &boot);
	if (!err) {
		err = shadowvmm_vm_set_boot(vm, &boot, &why);
		if (err)
			set_err(info, &why);
	}
	shadowvmm_boot_free(&boot);
	shadowvmm_vm_put(vm);
	return err;
}

/* VM_START and VM_STOP: an operation on one VM that only acks. */
static int vm_control(struct genl_info *info,
		      int (*op)(struct shadowvmm_vm *vm,
				struct shadowvmm_why *why))
{
	struct shadowvmm_vm *vm = lookup_vm(info);
	struct shadowvmm_why why = {};
	int err;

	if (IS_ERR(vm))
		return PTR_ERR(vm);
	err = op(vm, &why);
	if (err)
		set_err(info, &why);
	shadowvmm_vm_put(vm);
	return err;
}

static int vm_start(struct sk_buff *skb, struct genl_info *info)
{
	return vm_control(info, shadowvmm_vm_start);
}

static int vm_stop(struct sk_buff *skb, struct genl_info *info)
{
	return vm_control(info, shadowvmm_vm_stop);
}

static int put_stat(void *ctx, const char *name, u64 value, u32 kind,
		    u32 unit)
{
	struct sk_buff *skb = ctx;
	struct nlattr *stat;

	stat = nla_nest_start(skb, SHADOWVMM_A_STAT);
	if (!stat ||
	    nla_put_string(skb, SHADOWVMM_A_STAT_NAME, name) ||
	    nla_put_u64_64bit(skb, SHADOWVMM_A_STAT_VALUE, value,
			      SHADOWVMM_A_PAD) ||
	    nla_put_u32(skb, SHADOWVMM_A_STAT_KIND, kind) ||
	    nla_put_u32(skb, SHADOWVMM_A_STAT_UNIT, unit))
		return -EMSGSIZE;
	nla_nest_end(skb, stat);
	return 0;
}

static int stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct shadowvmm_vm *vm = lookup_vm(info);
	struct sk_buff *msg;
	struct nlattr *stats;
	void *hdr;
	int err = -EMSGSIZE;

	if (IS_ERR(vm))
		return PTR_ERR(vm);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	hdr = genlmsg_put_reply(msg, info, &shadowvmm_family, 0,
				info->genlhdr->cmd);
	if (!hdr || nla_put_u32(msg, SHADOWVMM_A_VM_ID, vm->id))
		goto free;
	stats = nla_nest_start(msg, SHADOWVMM_A_STATS);
	if (!stats || shadowvmm_stats_for_each(&vm->stats, put_stat, msg))
		goto free;
	nla_nest_end(msg, stats);
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
	goto out;
free:
	GENL_SET_ERR_MSG(info, "the counters do not fit in one reply");
	nlmsg_free(msg);
out:
	shadowvmm_vm_put(vm);
	return err;
}

static int console_write(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *data = info->attrs[SHADOWVMM_A_DATA];
	struct shadowvmm_why why = {};
	struct shadowvmm_vm *vm;
	int err;

	if (MISSING(info, DATA))
		return -EINVAL;
	vm = lookup_vm(info);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	err = shadowvmm_vm_console_write(vm, nla_data(data), nla_len(data), &why);
	if (err)
		set_err(info, &why);
	shadowvmm_vm_put(vm);
	return err;
}

static int console_read(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *offset_attr = info->attrs[SHADOWVMM_A_CONSOLE_OFFSET];
	u64 offset = offset_attr ? nla_get_u64(offset_attr) : 0;
	struct shadowvmm_vm *vm = lookup_vm(info);
	u64 next, dropped;
	struct sk_buff *msg;
	struct nlattr *data;
	size_t len;
	void *hdr;
	int err = -EMSGSIZE;

	if (IS_ERR(vm))
		return PTR_ERR(vm);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	hdr = genlmsg_put_reply(msg, info, &shadowvmm_family, 0,
				info->genlhdr->cmd);
	if (!hdr || nla_put_u32(msg, SHADOWVMM_A_VM_ID, vm->id))
		goto free;
	data = nla_reserve(msg, SHADOWVMM_A_DATA, CONSOLE_READ_MAX);
	if (!data)
		goto free;
	len = shadowvmm_console_get(&vm->console, offset, nla_data(data),
				    CONSOLE_READ_MAX, &next, &dropped);
	/* Give back what the reservation did not use. */
	nlmsg_trim(msg, (u8 *)data + nla_total_size(len));
	data->nla_len = nla_attr_size(len);
	if (nla_put_u64_64bit(msg, SHADOWVMM_A_CONSOLE_OFFSET, next,
			      SHADOWVMM_A_PAD) ||
	    nla_put_u64_64bit(msg, SHADOWVMM_A_CONSOLE_DROPPED, dropped,
			      SHADOWVMM_A_PAD))
		goto free;
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
	goto out;
free:
	GENL_SET_ERR_MSG(info, "cannot build the reply");
	nlmsg_free(msg);
out:
	shadowvmm_vm_put(vm);
	return err;
}

static int put_walk_entry(struct sk_buff *msg, int level, u64 value,
			  const u64 *addr)
{
	struct nlattr *nest = nla_nest_start(msg, SHADOWVMM_A_WALK_ENTRY);

	if (!nest || nla_put_u32(msg, SHADOWVMM_A_WALK_LEVEL, level) ||
	    nla_put_u64_64bit(msg, SHADOWVMM_A_WALK_VALUE, value,
			      SHADOWVMM_A_PAD) ||
	    (addr && nla_put_u64_64bit(msg, SHADOWVMM_A_WALK_ADDR, *addr,
				       SHADOWVMM_A_PAD)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_translation(struct sk_buff *msg,
			   const struct shadowvmm_translation *t)
{
	const struct shadowvmm_walk *walk = &t->walk;
	int level, bottom = max(walk->level, 1);
	struct nlattr *nest;

	if (nla_put_u32(msg, SHADOWVMM_A_PAGING_MODE, t->mode))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, SHADOWVMM_A_GUEST_WALK);
	if (!nest)
		return -EMSGSIZE;
	for (level = walk->top_level; level && level >= bottom; level--) {
		bool in_cpu = t->mode == SHADOWVMM_PAGING_PAE && level == 3;

		if (put_walk_entry(msg, level, walk->entry[level],
				   in_cpu ? NULL : &walk->entry_gpa[level]))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	if (t->walk_err ?
	    nla_put_u32(msg, SHADOWVMM_A_PF_ERROR_CODE, walk->error_code) :
	    nla_put_u64_64bit(msg, SHADOWVMM_A_GPA, walk->gpa, SHADOWVMM_A_PAD))
		return -EMSGSIZE;

	nest = nla_nest_start(msg, SHADOWVMM_A_SHADOW_WALK);
	if (!nest)
		return -EMSGSIZE;
	for (level = t->shadow_top; level >= t->shadow_bottom; level--)
		if (put_walk_entry(msg, level, t->shadow[level], NULL))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	if (t->mapped &&
	    nla_put_u64_64bit(msg, SHADOWVMM_A_HPA, t->hpa, SHADOWVMM_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int translate(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *access = info->attrs[SHADOWVMM_A_ACCESS];
	struct shadowvmm_translation *t;
	struct shadowvmm_why why = {};
	struct shadowvmm_vm *vm;
	struct sk_buff *msg;
	void *hdr;
	u64 gva;
	int err;

	if (MISSING(info, GVA))
		return -EINVAL;
	vm = lookup_vm(info);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	gva = nla_get_u64(info->attrs[SHADOWVMM_A_GVA]);
	err = -ENOMEM;
	t = kmalloc(sizeof(*t), GFP_KERNEL);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!t || !msg)
		goto out;
	err = shadowvmm_vm_translate(vm, gva, access ? nla_get_u32(access) : 0,
				     t, &why);
	if (err) {
		set_err(info, &why);
		goto out;
	}
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &shadowvmm_family, 0,
				info->genlhdr->cmd);
	if (!hdr || nla_put_u32(msg, SHADOWVMM_A_VM_ID, vm->id) ||
	    nla_put_u64_64bit(msg, SHADOWVMM_A_GVA, gva, SHADOWVMM_A_PAD) ||
	    put_translation(msg, t)) {
		GENL_SET_ERR_MSG(info, "cannot build the reply");
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
	msg = NULL;
out:
	nlmsg_free(msg);
	kfree(t);
	shadowvmm_vm_put(vm);
	return err;
}

#define OP(_cmd, _doit, _policy) {					\
	.cmd = _cmd, .doit = _doit, .policy = _policy,			\
	.maxattr = SHADOWVMM_A_MAX, .flags = GENL_ADMIN_PERM,		\
}

static const struct genl_ops shadowvmm_ops[] = {
	OP(SHADOWVMM_CMD_VM_CREATE, vm_create, shadowvmm_vm_create_policy),
	OP(SHADOWVMM_CMD_VM_DESTROY, vm_destroy, shadowvmm_vm_id_policy),
	{
		.cmd = SHADOWVMM_CMD_VM_GET,
		.doit = vm_get,
		.dumpit = vm_dump,
		.policy = shadowvmm_vm_id_policy,
		.maxattr = SHADOWVMM_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	OP(SHADOWVMM_CMD_MEM_WRITE, mem_write, shadowvmm_mem_write_policy),
	OP(SHADOWVMM_CMD_BOOT_SET, boot_set, shadowvmm_boot_set_policy),
	OP(SHADOWVMM_CMD_VM_START, vm_start, shadowvmm_vm_id_policy),
	OP(SHADOWVMM_CMD_VM_STOP, vm_stop, shadowvmm_vm_id_policy),
	OP(SHADOWVMM_CMD_STATS_GET, stats_get, shadowvmm_vm_id_policy),
	OP(SHADOWVMM_CMD_CONSOLE_WRITE, console_write,
	   shadowvmm_console_write_policy),
	OP(SHADOWVMM_CMD_CONSOLE_READ, console_read,
	   shadowvmm_console_read_policy),
	OP(SHADOWVMM_CMD_TRANSLATE, translate, shadowvmm_translate_policy),
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
