// SPDX-License-Identifier: GPL-2.0
/*
 * libnl glue: resolve the family, send a request, collect the replies, and
 * keep what the kernel said when it refused. libnl has no extended-ACK API
 * and reports its own -NLE_* codes instead of the kernel's errno, so both
 * are taken from the ACK here, as iw does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>
#include "genl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* A request in flight: the callbacks' shared state. */
struct request {
	struct svmm *s;
	const struct nlmsghdr *sent;
	uint8_t cmd;		/* the request's, which replies reuse */
	svmm_reply_fn fn;
	void *arg;
	int err;		/* first error: kernel errno or our own, negative */
	bool done;		/* ACK, error or NLMSG_DONE seen */
};

/* What every attribute should look like in a reply; libnl checks lengths. */
static struct nla_policy reply_policy[SHADOWVMM_A_MAX + 1] = {
	[SHADOWVMM_A_VM_ID]		= { .type = NLA_U32 },
	[SHADOWVMM_A_MEM_SIZE]		= { .type = NLA_U64 },
	[SHADOWVMM_A_VM_STATE]		= { .type = NLA_U32 },
	[SHADOWVMM_A_GPA]		= { .type = NLA_U64 },
	[SHADOWVMM_A_DATA]		= { .type = NLA_UNSPEC },
	[SHADOWVMM_A_BOOT_ENTRY]	= { .type = NLA_U32 },
	[SHADOWVMM_A_BOOT_CMDLINE]	= { .type = NLA_STRING },
	[SHADOWVMM_A_STOP_REASON]	= { .type = NLA_U32 },
	[SHADOWVMM_A_EXIT_STATUS]	= { .type = NLA_U32 },
	[SHADOWVMM_A_EXIT_REASON]	= { .type = NLA_U32 },
	[SHADOWVMM_A_EXIT_QUALIFICATION] = { .type = NLA_U64 },
	[SHADOWVMM_A_GUEST_RIP]		= { .type = NLA_U64 },
	[SHADOWVMM_A_GUEST_ADDR]	= { .type = NLA_U64 },
	[SHADOWVMM_A_CONSOLE_OFFSET]	= { .type = NLA_U64 },
	[SHADOWVMM_A_CONSOLE_DROPPED]	= { .type = NLA_U64 },
	[SHADOWVMM_A_STATS]		= { .type = NLA_NESTED },
	[SHADOWVMM_A_STAT]		= { .type = NLA_NESTED },
	[SHADOWVMM_A_STAT_NAME]		= { .type = NLA_STRING,
					    .maxlen = SHADOWVMM_STAT_NAME_MAX },
	[SHADOWVMM_A_STAT_VALUE]	= { .type = NLA_U64 },
	[SHADOWVMM_A_STAT_KIND]		= { .type = NLA_U32 },
	[SHADOWVMM_A_MMU_PAGES_MAX]	= { .type = NLA_U32 },
	[SHADOWVMM_A_GVA]		= { .type = NLA_U64 },
	[SHADOWVMM_A_ACCESS]		= { .type = NLA_U32 },
	[SHADOWVMM_A_PAGING_MODE]	= { .type = NLA_U32 },
	[SHADOWVMM_A_GUEST_WALK]	= { .type = NLA_NESTED },
	[SHADOWVMM_A_SHADOW_WALK]	= { .type = NLA_NESTED },
	[SHADOWVMM_A_WALK_ENTRY]	= { .type = NLA_NESTED },
	[SHADOWVMM_A_WALK_LEVEL]	= { .type = NLA_U32 },
	[SHADOWVMM_A_WALK_VALUE]	= { .type = NLA_U64 },
	[SHADOWVMM_A_WALK_ADDR]		= { .type = NLA_U64 },
	[SHADOWVMM_A_PF_ERROR_CODE]	= { .type = NLA_U32 },
	[SHADOWVMM_A_HPA]		= { .type = NLA_U64 },
	[SHADOWVMM_A_EVENT]		= { .type = NLA_U32 },
	[SHADOWVMM_A_TIMESTAMP]		= { .type = NLA_U64 },
	[SHADOWVMM_A_STAT_UNIT]		= { .type = NLA_U32 },
	[SHADOWVMM_A_VM_SERIAL]		= { .type = NLA_U64 },
	[SHADOWVMM_A_BOOT_PROTOCOL]	= { .type = NLA_U32 },
	[SHADOWVMM_A_BOOT_MODULE]	= { .type = NLA_NESTED },
	[SHADOWVMM_A_MODULE_ADDR]	= { .type = NLA_U64 },
	[SHADOWVMM_A_MODULE_SIZE]	= { .type = NLA_U64 },
	[SHADOWVMM_A_MODULE_CMDLINE]	= { .type = NLA_STRING },
};

static const char *const attr_names[SHADOWVMM_A_MAX + 1] = {
	[SHADOWVMM_A_PAD]		= "PAD",
	[SHADOWVMM_A_VM_ID]		= "VM_ID",
	[SHADOWVMM_A_MEM_SIZE]		= "MEM_SIZE",
	[SHADOWVMM_A_VM_STATE]		= "VM_STATE",
	[SHADOWVMM_A_GPA]		= "GPA",
	[SHADOWVMM_A_DATA]		= "DATA",
	[SHADOWVMM_A_BOOT_ENTRY]	= "BOOT_ENTRY",
	[SHADOWVMM_A_BOOT_CMDLINE]	= "BOOT_CMDLINE",
	[SHADOWVMM_A_STOP_REASON]	= "STOP_REASON",
	[SHADOWVMM_A_EXIT_STATUS]	= "EXIT_STATUS",
	[SHADOWVMM_A_EXIT_REASON]	= "EXIT_REASON",
	[SHADOWVMM_A_EXIT_QUALIFICATION] = "EXIT_QUALIFICATION",
	[SHADOWVMM_A_GUEST_RIP]		= "GUEST_RIP",
	[SHADOWVMM_A_GUEST_ADDR]	= "GUEST_ADDR",
	[SHADOWVMM_A_CONSOLE_OFFSET]	= "CONSOLE_OFFSET",
	[SHADOWVMM_A_CONSOLE_DROPPED]	= "CONSOLE_DROPPED",
	[SHADOWVMM_A_STATS]		= "STATS",
	[SHADOWVMM_A_STAT]		= "STAT",
	[SHADOWVMM_A_STAT_NAME]		= "STAT_NAME",
	[SHADOWVMM_A_STAT_VALUE]	= "STAT_VALUE",
	[SHADOWVMM_A_STAT_KIND]		= "STAT_KIND",
	[SHADOWVMM_A_MMU_PAGES_MAX]	= "MMU_PAGES_MAX",
	[SHADOWVMM_A_GVA]		= "GVA",
	[SHADOWVMM_A_ACCESS]		= "ACCESS",
	[SHADOWVMM_A_PAGING_MODE]	= "PAGING_MODE",
	[SHADOWVMM_A_GUEST_WALK]	= "GUEST_WALK",
	[SHADOWVMM_A_SHADOW_WALK]	= "SHADOW_WALK",
	[SHADOWVMM_A_WALK_ENTRY]	= "WALK_ENTRY",
	[SHADOWVMM_A_WALK_LEVEL]	= "WALK_LEVEL",
	[SHADOWVMM_A_WALK_VALUE]	= "WALK_VALUE",
	[SHADOWVMM_A_WALK_ADDR]		= "WALK_ADDR",
	[SHADOWVMM_A_PF_ERROR_CODE]	= "PF_ERROR_CODE",
	[SHADOWVMM_A_HPA]		= "HPA",
	[SHADOWVMM_A_EVENT]		= "EVENT",
	[SHADOWVMM_A_TIMESTAMP]		= "TIMESTAMP",
	[SHADOWVMM_A_STAT_UNIT]		= "STAT_UNIT",
	[SHADOWVMM_A_VM_SERIAL]		= "VM_SERIAL",
	[SHADOWVMM_A_BOOT_PROTOCOL]	= "BOOT_PROTOCOL",
	[SHADOWVMM_A_BOOT_MODULE]	= "BOOT_MODULE",
	[SHADOWVMM_A_MODULE_ADDR]	= "MODULE_ADDR",
	[SHADOWVMM_A_MODULE_SIZE]	= "MODULE_SIZE",
	[SHADOWVMM_A_MODULE_CMDLINE]	= "MODULE_CMDLINE",
};

const char *svmm_attr_name(int attr)
{
	if (attr > 0 && attr <= SHADOWVMM_A_MAX && attr_names[attr])
		return attr_names[attr];
	return "unknown attribute";
}

/* libnl's error codes, back to the errno they mostly came from. */
static int nlerr_to_errno(int nlerr)
{
	switch (-nlerr) {
	case 0:
		return 0;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_INTR:
		return -EINTR;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_DUMP_INTR:
		/* The VM list changed under the dump: the caller retries. */
		return -EAGAIN;
	default:
		return -EPROTO;
	}
}

int svmm_open(struct svmm *s)
{
	int one = 1, err;

	memset(s, 0, sizeof(*s));
	s->sk = nl_socket_alloc();
	if (!s->sk)
		return -ENOMEM;
	err = genl_connect(s->sk);
	if (err < 0)
		goto fail;
	/*
	 * Extended ACKs carry the kernel's reason; capped ACKs leave out the
	 * echo of our request (a 16 KiB MEM_WRITE) from every error. Kernels
	 * without either still answer, just less helpfully: ignore failures.
	 */
	setsockopt(nl_socket_get_fd(s->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(s->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/* Let libnl size its receive buffer to the largest reply. */
	nl_socket_enable_msg_peek(s->sk);
	s->family = genl_ctrl_resolve(s->sk, SHADOWVMM_GENL_NAME);
	if (s->family < 0) {
		err = s->family;
		goto fail;
	}
	return 0;
fail:
	nl_socket_free(s->sk);
	s->sk = NULL;
	return nlerr_to_errno(err);
}

/**
 * svmm_family_version() - the version of the family the running module
 * registered, without loading it
 *
 * Resolving the family by name would autoload the module (its alias); a
 * dump of every family does not.
 *
 * Return: the version, -ENOENT when the family is not registered, or
 * another negative errno.
 */
int svmm_family_version(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct genl_family *family;
	struct nl_cache *cache;
	int err;

	if (!sk)
		return -ENOMEM;
	err = genl_connect(sk);
	if (!err)
		err = genl_ctrl_alloc_cache(sk, &cache);
	if (err) {
		nl_socket_free(sk);
		return nlerr_to_errno(err);
	}
	family = genl_ctrl_search_by_name(cache, SHADOWVMM_GENL_NAME);
	err = family ? (int)genl_family_get_version(family) : -ENOENT;
	if (family)
		genl_family_put(family);
	nl_cache_free(cache);
	nl_socket_free(sk);
	return err;
}

void svmm_close(struct svmm *s)
{
	nl_socket_free(s->sk);
	s->sk = NULL;
}

struct nl_msg *svmm_msg(struct svmm *s, uint8_t cmd, int flags)
{
	/* Room for the largest request: a MEM_WRITE chunk and its header. */
	struct nl_msg *msg = nlmsg_alloc_size(SHADOWVMM_MEM_CHUNK_MAX + 1024);

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, s->family, 0,
				flags, cmd, SHADOWVMM_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static void set_err(struct request *req, int err)
{
	if (!req->err)
		req->err = err;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[SHADOWVMM_A_MAX + 1];
	struct request *req = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err;

	if (!genlmsg_valid_hdr(nlh, 0)) {
		set_err(req, -EPROTO);
		return NL_SKIP;
	}
	/* Replies reuse the request's command; anything else is not ours. */
	if (genlmsg_hdr(nlh)->cmd != req->cmd)
		return NL_SKIP;
	if (genlmsg_parse(nlh, 0, tb, SHADOWVMM_A_MAX, reply_policy) < 0) {
		set_err(req, -EPROTO);
		return NL_SKIP;
	}
	/* On a callback error keep reading: the rest of a dump must drain. */
	if (req->fn && !req->err) {
		err = req->fn(tb, req->arg);
		if (err < 0)
			set_err(req, err);
	}
	return NL_OK;
}

int svmm_parse_nested(struct nlattr **tb, struct nlattr *nest)
{
	return nla_parse_nested(tb, SHADOWVMM_A_MAX, nest, reply_policy) < 0 ?
	       -EPROTO : 0;
}

/* Which attribute of the request an NLMSGERR_ATTR_OFFS offset points at. */
static int attr_at_offset(const struct nlmsghdr *sent, uint32_t offset)
{
	const struct nlattr *nla;
	int rem;

	nla = (const struct nlattr *)((const char *)nlmsg_data(sent) + GENL_HDRLEN);
	rem = sent->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (; nla_ok(nla, rem); nla = nla_next(nla, &rem))
		if ((const char *)nla - (const char *)sent == (long)offset)
			return nla_type(nla);
	return -1;
}

/*
 * What the policy the kernel quotes with a refusal allows, in words:
 * "1..4294967295", "length 1..16384", "bits 0x16".
 */
static void parse_policy(struct svmm_ack *ack, struct nlattr *policy)
{
	struct nlattr *tb[NL_POLICY_TYPE_ATTR_MAX + 1];

	if (nla_parse_nested(tb, NL_POLICY_TYPE_ATTR_MAX, policy, NULL) < 0)
		return;
	if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] && tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U])
		snprintf(ack->allowed, sizeof(ack->allowed), "%llu..%llu",
			 (unsigned long long)nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]),
			 (unsigned long long)nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]));
	else if (tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH])
		snprintf(ack->allowed, sizeof(ack->allowed), "length %u..%u",
			 tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH] ?
			 nla_get_u32(tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH]) : 0,
			 nla_get_u32(tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH]));
	else if (tb[NL_POLICY_TYPE_ATTR_MASK])
		snprintf(ack->allowed, sizeof(ack->allowed), "bits %#llx",
			 (unsigned long long)nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MASK]));
}

/* Keep the extended-ACK attributes that follow an error or a DONE. */
static void parse_ack_tlvs(struct request *req, const struct nlmsghdr *nlh,
			   size_t tlv_offset)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct svmm_ack *ack = &req->s->ack;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= tlv_offset)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + tlv_offset),
		      nlh->nlmsg_len - tlv_offset, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(ack->msg, tb[NLMSGERR_ATTR_MSG], sizeof(ack->msg));
	if (tb[NLMSGERR_ATTR_MISS_TYPE] && nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4)
		ack->missing_attr = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4)
		ack->bad_attr = attr_at_offset(req->sent,
					       nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_POLICY])
		parse_policy(ack, tb[NLMSGERR_ATTR_POLICY]);
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	/* libnl hands us the payload; the header sits just before it. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct request *req = arg;
	size_t payload = sizeof(*e);

	(void)who;
	set_err(req, e->error);
	req->done = true;
	/* Without NETLINK_CAP_ACK (old kernels) our request is echoed whole. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		payload += e->msg.nlmsg_len - NLMSG_HDRLEN;
	parse_ack_tlvs(req, nlh, NLMSG_HDRLEN + NLMSG_ALIGN(payload));
	return NL_STOP;
}

/* libnl does not look at a dump's result, which arrives in NLMSG_DONE. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct request *req = arg;
	int err;

	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0)
			set_err(req, err);
		parse_ack_tlvs(req, nlh, NLMSG_LENGTH(sizeof(int)));
	}
	req->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

/**
 * svmm_request() - send @msg (consumed) and pass every reply to @fn
 *
 * Waits for the ACK, or for NLMSG_DONE on a dump.
 *
 * Return: 0; the kernel's negative errno, with s->ack saying more; -EAGAIN
 * when a dump was interrupted by a change (retry it); or @fn's error.
 */
int svmm_request(struct svmm *s, struct nl_msg *msg, svmm_reply_fn fn,
		 void *arg)
{
	struct request req = { .s = s, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	memset(&s->ack, 0, sizeof(s->ack));
	s->ack.missing_attr = -1;
	s->ack.bad_attr = -1;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &req);

	req.sent = nlmsg_hdr(msg);
	req.cmd = genlmsg_hdr(nlmsg_hdr(msg))->cmd;
	/* nl_send_auto() adds NLM_F_ACK: every doit ends in an ACK or error. */
	err = nl_send_auto(s->sk, msg);
	if (err < 0) {
		req.err = nlerr_to_errno(err);
		goto out;
	}
	while (!req.done) {
		err = nl_recvmsgs(s->sk, cb);
		/* Our callbacks stop libnl with the kernel's errno already kept. */
		if (err < 0 && !req.done) {
			set_err(&req, nlerr_to_errno(err));
			break;
		}
		if (err == -NLE_DUMP_INTR)
			set_err(&req, -EAGAIN);
	}
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return req.err;
}

/*
 * svmm_events_open() - a second socket in the "events" group
 *
 * Separate from the request socket so that waiting for an event never
 * swallows a reply, or a reply an event. Non-blocking: poll() its fd.
 */
int svmm_events_open(struct nl_sock **events)
{
	struct nl_sock *sk = nl_socket_alloc();
	int grp, err;

	if (!sk)
		return -ENOMEM;
	err = genl_connect(sk);
	if (err < 0)
		goto fail;
	grp = genl_ctrl_resolve_grp(sk, SHADOWVMM_GENL_NAME, SHADOWVMM_MCGRP_EVENTS);
	if (grp < 0) {
		err = grp;
		goto fail;
	}
	err = nl_socket_add_membership(sk, grp);
	if (err < 0)
		goto fail;
	/* Events carry no sequence number of ours. */
	nl_socket_disable_seq_check(sk);
	err = nl_socket_set_nonblocking(sk);
	if (err < 0)
		goto fail;
	*events = sk;
	return 0;
fail:
	nl_socket_free(sk);
	return nlerr_to_errno(err);
}

struct event_ctx {
	svmm_reply_fn fn;
	void *arg;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[SHADOWVMM_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct event_ctx *ctx = arg;

	if (!genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_hdr(nlh)->cmd != SHADOWVMM_CMD_VM_NOTIFY ||
	    genlmsg_parse(nlh, 0, tb, SHADOWVMM_A_MAX, reply_policy) < 0)
		return NL_SKIP;
	ctx->fn(tb, ctx->arg);
	return NL_OK;
}

/*
 * svmm_events_read() - hand every queued VM_NOTIFY to @fn, without blocking
 *
 * Return: 0, or a negative errno; -ENOBUFS means events were lost (the
 * socket overran), so the caller must ask for the state it waits for.
 */
int svmm_events_read(struct nl_sock *events, svmm_reply_fn fn, void *arg)
{
	struct event_ctx ctx = { .fn = fn, .arg = arg };
	struct nl_cb *sk_cb = nl_socket_get_cb(events);
	struct nl_cb *cb = nl_cb_clone(sk_cb);
	int n;

	nl_cb_put(sk_cb);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &ctx);
	/* One datagram per call; stop when the socket is empty. */
	do {
		n = nl_recvmsgs_report(events, cb);
	} while (n > 0);
	nl_cb_put(cb);
	if (n == -NLE_NOMEM)	/* what libnl makes of ENOBUFS */
		return -ENOBUFS;
	return n == -NLE_AGAIN ? 0 : nlerr_to_errno(n);
}

/*
 * svmm_perror() - one line on stderr: "shadowvmm: WHAT: ERROR[: KERNEL]"
 */
void svmm_perror(const struct svmm *s, const char *what, int err)
{
	const struct svmm_ack *ack = &s->ack;
	const char *bad;

	if (err == -EPERM) {
		fprintf(stderr, "shadowvmm: permission denied: need CAP_NET_ADMIN (run as root)\n");
		return;
	}
	if (ack->missing_attr > 0 &&
	    !strstr(ack->msg, svmm_attr_name(ack->missing_attr))) {
		fprintf(stderr, "shadowvmm: %s: %s: missing attribute %s%s%s\n", what,
			strerror(-err), svmm_attr_name(ack->missing_attr),
			ack->msg[0] ? ": " : "", ack->msg);
		return;
	}
	if (!ack->msg[0]) {
		fprintf(stderr, "shadowvmm: %s: %s\n", what, strerror(-err));
		return;
	}
	/* Name the attribute at fault unless the message already does. */
	bad = ack->bad_attr > 0 && ack->bad_attr <= SHADOWVMM_A_MAX ?
	      svmm_attr_name(ack->bad_attr) : NULL;
	if (bad && strstr(ack->msg, bad))
		bad = NULL;
	fprintf(stderr, "shadowvmm: %s: %s: %s%s%s%s%s%s\n", what, strerror(-err),
		bad ? bad : "", bad ? ": " : "", ack->msg,
		ack->allowed[0] ? " (allowed: " : "", ack->allowed,
		ack->allowed[0] ? ")" : "");
}
