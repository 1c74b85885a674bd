/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink for the test tools (nlfuzz, nlrace): build any
 * message byte by byte, resolve the family with CTRL_CMD_GETFAMILY, and
 * read the kernel's answers with their extended ACK. No libnl, so that a
 * message can be as wrong as a test wants and the tools link statically.
 */
#ifndef NLGENL_H
#define NLGENL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "../../include/uapi/linux/shadowvmm.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define NL_BUF	(128 * 1024)

/* One message under construction, attributes appended in order. */
struct nlb {
	unsigned char buf[NL_BUF];
	size_t len;
	size_t nest[16];
	int depth;
};

/* What the kernel answered to one request. */
struct nlans {
	int err;		/* 0 or a negative errno */
	int terminal;		/* an NLMSG_ERROR or NLMSG_DONE arrived */
	int done;		/* it was NLMSG_DONE (a dump's end) */
	int replies;		/* family messages before the terminal */
	int has_msg, has_offs, has_miss;
	char msg[256];
	uint32_t vm_id;		/* SHADOWVMM_A_VM_ID of the last reply, or 0 */
	uint32_t vm_state;	/* SHADOWVMM_A_VM_STATE of the last reply */
	int has_state;
};

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void nlb_start(struct nlb *b, uint16_t type, uint16_t flags,
			     uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *h = (struct nlmsghdr *)b->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(b->buf + NLMSG_HDRLEN);

	memset(b->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	g->cmd = cmd;
	g->version = version;
	b->len = NLMSG_HDRLEN + GENL_HDRLEN;
	b->depth = 0;
}

/* Append an attribute with @len bytes of @data (NULL: zeros). */
static inline void nlb_put(struct nlb *b, uint16_t type, const void *data,
			   size_t len)
{
	struct nlattr *a = (struct nlattr *)(b->buf + b->len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	if (b->len + total > sizeof(b->buf) - 64)
		return;
	memset(a, 0, total);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (data)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	b->len += total;
}

static inline void nlb_u32(struct nlb *b, uint16_t type, uint32_t v)
{
	nlb_put(b, type, &v, 4);
}

static inline void nlb_u64(struct nlb *b, uint16_t type, uint64_t v)
{
	nlb_put(b, type, &v, 8);
}

static inline void nlb_str(struct nlb *b, uint16_t type, const char *s)
{
	nlb_put(b, type, s, strlen(s) + 1);
}

static inline void nlb_nest_start(struct nlb *b, uint16_t type)
{
	if (b->depth >= 16)
		return;
	b->nest[b->depth++] = b->len;
	nlb_put(b, type | NLA_F_NESTED, NULL, 0);
}

static inline void nlb_nest_end(struct nlb *b)
{
	struct nlattr *a;

	if (!b->depth)
		return;
	a = (struct nlattr *)(b->buf + b->nest[--b->depth]);
	a->nla_len = b->buf + b->len - (unsigned char *)a;
}

/* Set nlmsg_len to the bytes written so far and the sequence number. */
static inline struct nlmsghdr *nlb_end(struct nlb *b, uint32_t seq)
{
	struct nlmsghdr *h = (struct nlmsghdr *)b->buf;

	h->nlmsg_len = b->len;
	h->nlmsg_seq = seq;
	return h;
}

/*
 * A socket that asks for extended ACKs and for errors without the request
 * echoed (so every answer fits), with a receive timeout: an answer that
 * takes longer than @timeout seconds counts as none.
 */
static inline int nl_open(int timeout)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = timeout };
	int one = 1, bufsz = 1 << 20;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = -errno;

		close(fd);
		return e;
	}
	/* Only a larger buffer for dumps; failing to get it is harmless. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	return fd;
}

static inline int nl_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	do {
		n = sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}

/* The extended ACK attributes that follow an error or a dump's end. */
static inline void nl_parse_tlvs(const unsigned char *p, size_t len,
				 struct nlans *a)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *t = (const struct nlattr *)p;
		size_t l = t->nla_len;

		if (l < NLA_HDRLEN || l > len)
			break;
		switch (t->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			a->has_msg = l > NLA_HDRLEN &&
				     ((const char *)t)[NLA_HDRLEN];
			snprintf(a->msg, sizeof(a->msg), "%.*s",
				 (int)(l - NLA_HDRLEN),
				 (const char *)t + NLA_HDRLEN);
			break;
		case NLMSGERR_ATTR_OFFS:
			a->has_offs = 1;
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			a->has_miss = 1;
			break;
		}
		l = NLA_ALIGN(l);
		if (l > len)
			break;
		p += l;
		len -= l;
	}
}

/* The attributes of a family message that the tools read back. */
static inline void nl_parse_reply(const struct nlmsghdr *h, struct nlans *a)
{
	const unsigned char *p = (const unsigned char *)h + NLMSG_HDRLEN +
				 GENL_HDRLEN;
	long len = (long)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	while (len >= NLA_HDRLEN) {
		const struct nlattr *t = (const struct nlattr *)p;

		if (t->nla_len < NLA_HDRLEN || t->nla_len > len)
			break;
		if (t->nla_type == SHADOWVMM_A_VM_ID && t->nla_len == 8)
			memcpy(&a->vm_id, p + NLA_HDRLEN, 4);
		if (t->nla_type == SHADOWVMM_A_VM_STATE && t->nla_len == 8) {
			memcpy(&a->vm_state, p + NLA_HDRLEN, 4);
			a->has_state = 1;
		}
		p += NLA_ALIGN(t->nla_len);
		len -= NLA_ALIGN(t->nla_len);
	}
}

/*
 * Fold an NLMSG_ERROR (an ACK or a refusal) or NLMSG_DONE (a dump's end)
 * into @a. Return: 0, or -EPROTO when it is too short to be one.
 */
static inline int nl_parse_terminal(const struct nlmsghdr *h, struct nlans *a)
{
	size_t off;

	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);

		off = NLMSG_HDRLEN + sizeof(*e);
		if (h->nlmsg_len < off)
			return -EPROTO;
		a->err = e->error;
		if (!(h->nlmsg_flags & NLM_F_CAPPED))
			off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	} else {
		off = NLMSG_HDRLEN + sizeof(int);
		if (h->nlmsg_len < off)
			return -EPROTO;
		memcpy(&a->err, NLMSG_DATA(h), sizeof(int));
		a->done = 1;
	}
	a->terminal++;
	if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && h->nlmsg_len > off)
		nl_parse_tlvs((const unsigned char *)h + off, h->nlmsg_len - off,
			      a);
	return 0;
}

/*
 * Read one datagram and fold every message in it that answers @seq into
 * @a; a message for another sequence number goes to @other (if not NULL)
 * or is counted in a->replies of nothing: the caller decides.
 *
 * Return: 0, -EAGAIN on timeout, -EPROTO on a malformed answer, or -errno.
 */
typedef void (*nl_other_fn)(void *ctx, const struct nlmsghdr *h);

static inline int nl_recv_one(int fd, uint32_t seq, struct nlans *a,
			      nl_other_fn other, void *ctx)
{
	static __thread unsigned char buf[NL_BUF];
	struct nlmsghdr *h;
	ssize_t n;
	int left;

	do {
		n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (n > (ssize_t)sizeof(buf))
		return -EMSGSIZE;
	left = n;
	for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, left);
	     h = NLMSG_NEXT(h, left)) {
		if (h->nlmsg_seq != seq) {
			if (other)
				other(ctx, h);
			continue;
		}
		if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE) {
			if (nl_parse_terminal(h, a))
				return -EPROTO;
		} else {
			a->replies++;
			nl_parse_reply(h, a);
		}
	}
	if (left)
		return -EPROTO;
	return 0;
}

/* Read until @seq's ACK, error or dump end arrives. */
static inline int nl_wait(int fd, uint32_t seq, struct nlans *a,
			  nl_other_fn other, void *ctx)
{
	int err;

	while (!a->terminal) {
		err = nl_recv_one(fd, seq, a, other, ctx);
		if (err)
			return err;
	}
	return 0;
}

/*
 * One well-formed request of @family, flags REQUEST|ACK: send and wait.
 * Return: 0 when answered (a->err holds the kernel's verdict), else -errno.
 */
static inline int nl_call(int fd, struct nlb *b, uint32_t seq, struct nlans *a)
{
	int err;

	memset(a, 0, sizeof(*a));
	nlb_end(b, seq);
	err = nl_send(fd, b->buf, b->len);
	if (err)
		return err;
	return nl_wait(fd, seq, a, NULL, NULL);
}

struct nl_family {
	uint16_t id;
	uint32_t events;	/* the "events" group's id, 0 if not found */
};

static inline void nl_parse_groups(const unsigned char *p, long len,
				   struct nl_family *f)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *g = (const struct nlattr *)p;
		const unsigned char *q = p + NLA_HDRLEN;
		long l = g->nla_len - NLA_HDRLEN;
		const char *name = NULL;
		uint32_t id = 0;

		if (g->nla_len < NLA_HDRLEN || g->nla_len > len)
			return;
		while (l >= NLA_HDRLEN) {
			const struct nlattr *t = (const struct nlattr *)q;

			if (t->nla_len < NLA_HDRLEN || t->nla_len > l)
				break;
			if (t->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
				name = (const char *)q + NLA_HDRLEN;
			if (t->nla_type == CTRL_ATTR_MCAST_GRP_ID &&
			    t->nla_len == 8)
				memcpy(&id, q + NLA_HDRLEN, 4);
			q += NLA_ALIGN(t->nla_len);
			l -= NLA_ALIGN(t->nla_len);
		}
		if (name && !strcmp(name, SHADOWVMM_MCGRP_EVENTS))
			f->events = id;
		p += NLA_ALIGN(g->nla_len);
		len -= NLA_ALIGN(g->nla_len);
	}
}

/* CTRL_CMD_GETFAMILY "shadowvmm". Return: 0 or -errno (-ENOENT: absent). */
static inline int nl_resolve(int fd, struct nl_family *f)
{
	static __thread struct nlb b;
	static __thread unsigned char buf[NL_BUF];
	struct nlmsghdr *h;
	int got = 0, err = 0;
	ssize_t n;

	memset(f, 0, sizeof(*f));
	nlb_start(&b, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
		  CTRL_CMD_GETFAMILY, 1);
	nlb_str(&b, CTRL_ATTR_FAMILY_NAME, SHADOWVMM_GENL_NAME);
	nlb_end(&b, 1);
	err = nl_send(fd, b.buf, b.len);
	if (err)
		return err;
	while (!got) {
		int left;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		left = n;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, left);
		     h = NLMSG_NEXT(h, left)) {
			const unsigned char *p;
			long len;

			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				got = 1;
				if (e->error)
					return e->error;
				continue;
			}
			if (h->nlmsg_type != GENL_ID_CTRL)
				continue;
			p = (unsigned char *)h + NLMSG_HDRLEN + GENL_HDRLEN;
			len = (long)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			while (len >= NLA_HDRLEN) {
				const struct nlattr *t = (const struct nlattr *)p;

				if (t->nla_len < NLA_HDRLEN || t->nla_len > len)
					break;
				if (t->nla_type == CTRL_ATTR_FAMILY_ID)
					memcpy(&f->id, p + NLA_HDRLEN, 2);
				if ((t->nla_type & NLA_TYPE_MASK) ==
				    CTRL_ATTR_MCAST_GROUPS)
					nl_parse_groups(p + NLA_HDRLEN,
							t->nla_len - NLA_HDRLEN,
							f);
				p += NLA_ALIGN(t->nla_len);
				len -= NLA_ALIGN(t->nla_len);
			}
		}
	}
	return f->id ? 0 : -ENOENT;
}

static inline const char *errname(int err)
{
	switch (-err) {
	case 0: return "ok";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case EBUSY: return "EBUSY";
	case ENOSPC: return "ENOSPC";
	case EMSGSIZE: return "EMSGSIZE";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOMEM: return "ENOMEM";
	case ESHUTDOWN: return "ESHUTDOWN";
	case E2BIG: return "E2BIG";
	case ENOBUFS: return "ENOBUFS";
	case EFAULT: return "EFAULT";
	case EPROTO: return "EPROTO";
	default: return NULL;
	}
}

/*
 * Tiny guests, written straight into RAM at 1 MiB (32-bit protected mode,
 * paging off, as multiboot starts them): no ELF loader needed.
 */
#define GUEST_BASE	0x100000u
/* jmp $ */
static const unsigned char guest_spin[] = { 0xeb, 0xfe };
/* out 0xf4, 3: the VM ends at once with exit status 3 */
static const unsigned char guest_exit[] = {
	0xb0, 0x03, 0xe6, 0xf4, 0xeb, 0xfe,
};
/* 200 times 'A' to COM1, then exit status 5 */
static const unsigned char guest_print[] = {
	0xb9, 0xc8, 0x00, 0x00, 0x00,	/* mov ecx, 200 */
	0xba, 0xf8, 0x03, 0x00, 0x00,	/* mov edx, 0x3f8 */
	0xb0, 0x41,			/* mov al, 'A' */
	0xee,				/* out dx, al */
	0xe2, 0xfd,			/* loop out */
	0xb0, 0x05, 0xe6, 0xf4,		/* out 0xf4, 5 */
	0xeb, 0xfe,
};

/* A request naming one VM (start, stop, destroy, get, stats, console). */
static inline int nl_vm_op(int fd, uint16_t fam, uint32_t *seq, uint8_t cmd,
			   uint32_t id, struct nlans *a)
{
	static __thread struct nlb b;

	nlb_start(&b, fam, NLM_F_REQUEST | NLM_F_ACK, cmd, 1);
	nlb_u32(&b, SHADOWVMM_A_VM_ID, id);
	if (cmd == SHADOWVMM_CMD_CONSOLE_READ)
		nlb_u64(&b, SHADOWVMM_A_CONSOLE_OFFSET, 0);
	return nl_call(fd, &b, ++*seq, a);
}

/*
 * Create a 2 MiB VM holding @code at GUEST_BASE with its boot state set.
 * Return: 0 with *id set, the kernel's errno (negative), or -errno.
 */
static inline int nl_vm_new(int fd, uint16_t fam, uint32_t *seq,
			    const unsigned char *code, size_t len,
			    uint32_t *id)
{
	static __thread struct nlb b;
	struct nlans a;
	int err;

	nlb_start(&b, fam, NLM_F_REQUEST | NLM_F_ACK,
		  SHADOWVMM_CMD_VM_CREATE, 1);
	nlb_u64(&b, SHADOWVMM_A_MEM_SIZE, SHADOWVMM_MEM_SIZE_MIN);
	err = nl_call(fd, &b, ++*seq, &a);
	if (err || a.err)
		return err ? err : a.err;
	if (!a.vm_id)
		return -EPROTO;
	*id = a.vm_id;
	nlb_start(&b, fam, NLM_F_REQUEST | NLM_F_ACK,
		  SHADOWVMM_CMD_MEM_WRITE, 1);
	nlb_u32(&b, SHADOWVMM_A_VM_ID, *id);
	nlb_u64(&b, SHADOWVMM_A_GPA, GUEST_BASE);
	nlb_put(&b, SHADOWVMM_A_DATA, code, len);
	err = nl_call(fd, &b, ++*seq, &a);
	if (!err && !a.err) {
		nlb_start(&b, fam, NLM_F_REQUEST | NLM_F_ACK,
			  SHADOWVMM_CMD_BOOT_SET, 1);
		nlb_u32(&b, SHADOWVMM_A_VM_ID, *id);
		nlb_u32(&b, SHADOWVMM_A_BOOT_ENTRY, GUEST_BASE);
		nlb_str(&b, SHADOWVMM_A_BOOT_CMDLINE, "nltool");
		err = nl_call(fd, &b, ++*seq, &a);
	}
	if (!err)
		err = a.err;
	if (err)
		nl_vm_op(fd, fam, seq, SHADOWVMM_CMD_VM_DESTROY, *id, &a);
	return err;
}

#endif /* NLGENL_H */
