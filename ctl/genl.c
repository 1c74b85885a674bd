// SPDX-License-Identifier: GPL-2.0
/*
 * libnl glue: resolve the family, send a request, collect replies, and
 * keep what the kernel said when it refused (libnl has no extended-ACK
 * API, so the error message is parsed here, as iw does).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>
#include "genl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

struct request {
	struct svmm *s;
	svmm_reply_fn fn;
	void *arg;
	int err;
	bool done;
	const struct nlmsghdr *sent;
};

static const char *const attr_names[SHADOWVMM_A_MAX + 1] = {
	[SHADOWVMM_A_VM_ID] = "VM_ID",
	[SHADOWVMM_A_MEM_SIZE] = "MEM_SIZE",
	[SHADOWVMM_A_VM_STATE] = "VM_STATE",
	[SHADOWVMM_A_GPA] = "GPA",
	[SHADOWVMM_A_DATA] = "DATA",
	[SHADOWVMM_A_BOOT_ENTRY] = "BOOT_ENTRY",
	[SHADOWVMM_A_BOOT_CMDLINE] = "BOOT_CMDLINE",
	[SHADOWVMM_A_CONSOLE_OFFSET] = "CONSOLE_OFFSET",
};

const char *svmm_attr_name(int attr)
{
	if (attr > 0 && attr <= SHADOWVMM_A_MAX && attr_names[attr])
		return attr_names[attr];
	return "attribute";
}

int svmm_open(struct svmm *s)
{
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->sk = nl_socket_alloc();
	if (!s->sk)
		return -ENOMEM;
	if (genl_connect(s->sk)) {
		nl_socket_free(s->sk);
		return -ENOTCONN;
	}
	setsockopt(nl_socket_get_fd(s->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	s->family = genl_ctrl_resolve(s->sk, SHADOWVMM_GENL_NAME);
	if (s->family < 0) {
		nl_socket_free(s->sk);
		return -ENOENT;
	}
	return 0;
}

void svmm_close(struct svmm *s)
{
	nl_socket_free(s->sk);
	s->sk = NULL;
}

struct nl_msg *svmm_msg(struct svmm *s, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc_size(SHADOWVMM_MEM_CHUNK_MAX + 4096);

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, s->family, 0,
				flags, cmd, SHADOWVMM_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	struct nlattr *tb[SHADOWVMM_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SHADOWVMM_A_MAX, NULL) < 0) {
		req->err = -EPROTO;
		return NL_STOP;
	}
	if (req->fn && req->fn(tb, req->arg) < 0)
		return NL_STOP;
	return NL_OK;
}

/* Which attribute of the request an NLMSGERR_ATTR_OFFS offset points at. */
static int attr_at_offset(const struct nlmsghdr *sent, uint32_t offset)
{
	const struct nlattr *nla;
	int rem;

	if (!sent)
		return -1;
	nla = (const struct nlattr *)((const char *)nlmsg_data(sent) + GENL_HDRLEN);
	rem = sent->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (; nla_ok(nla, rem); nla = nla_next(nla, &rem))
		if ((const char *)nla - (const char *)sent == (long)offset)
			return nla_type(nla);
	return -1;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)err - 1;
	struct request *req = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int ack_len = sizeof(*nlh) + sizeof(int) + sizeof(*nlh);
	struct svmm *s = req->s;

	req->err = err->error;
	req->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		ack_len += err->msg.nlmsg_len - sizeof(*nlh);
	if ((int)nlh->nlmsg_len <= ack_len ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + ack_len),
		      nlh->nlmsg_len - ack_len, NULL))
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(s->ext_msg, sizeof(s->ext_msg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
#ifdef NLMSGERR_ATTR_MISS_TYPE
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		s->missing_attr = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
#endif
	if (tb[NLMSGERR_ATTR_OFFS])
		s->bad_attr = attr_at_offset(req->sent,
					     nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct request *req = arg;

	/* libnl ignores a dump's error, which arrives in NLMSG_DONE. */
	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) &&
	    *(int *)nlmsg_data(nlh) < 0)
		req->err = *(int *)nlmsg_data(nlh);
	req->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	req->done = true;
	return NL_STOP;
}

/**
 * svmm_request() - send @msg (consumed) and handle every reply
 *
 * Return: 0 or a negative errno; on kernel errors s->ext_msg and friends
 * say more.
 */
int svmm_request(struct svmm *s, struct nl_msg *msg, svmm_reply_fn fn,
		 void *arg)
{
	struct request req = { .s = s, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	s->ext_msg[0] = '\0';
	s->missing_attr = -1;
	s->bad_attr = -1;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &req);

	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	req.sent = nlmsg_hdr(msg);
	err = nl_send_auto(s->sk, msg);
	if (err < 0) {
		req.err = -EIO;
		goto out;
	}
	while (!req.done && !req.err) {
		err = nl_recvmsgs(s->sk, cb);
		if (err < 0 && !req.err) {
			req.err = err == -NLE_DUMP_INTR ? -EAGAIN : -EIO;
			break;
		}
	}
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return req.err;
}

static int ignore_seq(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

/* A second socket subscribed to "events", for VM state changes. */
int svmm_events_open(struct svmm *s, struct nl_sock **events)
{
	struct nl_sock *sk = nl_socket_alloc();
	int grp;

	if (!sk)
		return -ENOMEM;
	if (genl_connect(sk))
		goto fail;
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, ignore_seq, NULL);
	grp = genl_ctrl_resolve_grp(sk, SHADOWVMM_GENL_NAME, SHADOWVMM_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(sk, grp))
		goto fail;
	nl_socket_set_nonblocking(sk);
	*events = sk;
	return 0;
fail:
	nl_socket_free(sk);
	return -EIO;
}

/* One line on stderr naming the cause, with the kernel's words if any. */
void svmm_perror(struct svmm *s, const char *what, int err)
{
	if (err == -EPERM) {
		fprintf(stderr, "shadowvmm: %s: permission denied: need CAP_NET_ADMIN (run as root)\n", what);
		return;
	}
	if (s->missing_attr > 0) {
		fprintf(stderr, "shadowvmm: %s: %s: missing attribute %s\n", what,
			strerror(-err), svmm_attr_name(s->missing_attr));
		return;
	}
	if (s->ext_msg[0] && s->bad_attr > 0 &&
	    !strstr(s->ext_msg, svmm_attr_name(s->bad_attr)))
		fprintf(stderr, "shadowvmm: %s: %s: %s: %s\n", what, strerror(-err),
			svmm_attr_name(s->bad_attr), s->ext_msg);
	else if (s->ext_msg[0])
		fprintf(stderr, "shadowvmm: %s: %s: %s\n", what, strerror(-err),
			s->ext_msg);
	else
		fprintf(stderr, "shadowvmm: %s: %s\n", what, strerror(-err));
}
