// SPDX-License-Identifier: GPL-2.0
/*
 * nlreq: send the shadowvmm family any request, well-formed or not, and
 * say what the kernel answered. The e2e error cases use it to break every
 * rule of every policy, which the CLI never does.
 *
 *   nlreq CMD [ATTR=TYPE:VALUE]...    one request; its replies and its ACK
 *   nlreq --dump CMD [ATTR=...]...    a dump, counting its datagrams
 *
 * CMD and ATTR are the uapi names without their prefix (VM_GET, VM_ID) or
 * numbers. TYPE:VALUE is u8:N, u16:N, u32:N, u64:N, str:TEXT (with its
 * NUL), strn:TEXT (without), fill:N (N bytes of 0xa5) or empty:.
 *
 * On a refusal it prints one line on stdout,
 *   error=ERANGE msg='integer out of range' bad=VM_ID missing=-
 * and the line the CLI would print on stderr; exit status 1. A request
 * the kernel accepts prints "ok" (and "reply CMD" per reply); status 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "../genl.h"

#define ERRNO(e) [e] = #e
static const char *const errno_names[] = {
	ERRNO(EPERM), ERRNO(ENOENT), ERRNO(EINVAL), ERRNO(ERANGE),
	ERRNO(EBUSY), ERRNO(ENOSPC), ERRNO(EMSGSIZE), ERRNO(EOPNOTSUPP),
	ERRNO(ENOMEM), ERRNO(ESHUTDOWN), ERRNO(EPROTO), ERRNO(EAGAIN),
	ERRNO(ENODATA), ERRNO(ENOBUFS), ERRNO(ESRCH),
};

static const char *const cmd_names[SHADOWVMM_CMD_MAX + 1] = {
	[SHADOWVMM_CMD_VM_CREATE] = "VM_CREATE",
	[SHADOWVMM_CMD_VM_DESTROY] = "VM_DESTROY",
	[SHADOWVMM_CMD_VM_GET] = "VM_GET",
	[SHADOWVMM_CMD_MEM_WRITE] = "MEM_WRITE",
	[SHADOWVMM_CMD_BOOT_SET] = "BOOT_SET",
	[SHADOWVMM_CMD_VM_START] = "VM_START",
	[SHADOWVMM_CMD_VM_STOP] = "VM_STOP",
	[SHADOWVMM_CMD_STATS_GET] = "STATS_GET",
	[SHADOWVMM_CMD_CONSOLE_READ] = "CONSOLE_READ",
	[SHADOWVMM_CMD_VM_NOTIFY] = "VM_NOTIFY",
	[SHADOWVMM_CMD_TRANSLATE] = "TRANSLATE",
	[SHADOWVMM_CMD_CONSOLE_WRITE] = "CONSOLE_WRITE",
};

static int usage(const char *why, const char *arg)
{
	fprintf(stderr, "nlreq: %s '%s' (usage: nlreq [--dump] CMD [ATTR=TYPE:VALUE]...)\n",
		why, arg);
	return 2;
}

static int lookup(const char *name, int max, const char *(*name_of)(int))
{
	char *end;
	long n = strtol(name, &end, 0);
	int i;

	if (*name && !*end)
		return n >= 0 && n <= 65535 ? (int)n : -1;
	for (i = 1; i <= max; i++)
		if (!strcmp(name, name_of(i)))
			return i;
	return -1;
}

static const char *cmd_name(int cmd)
{
	return cmd <= SHADOWVMM_CMD_MAX && cmd_names[cmd] ? cmd_names[cmd] : "?";
}

/* ATTR=TYPE:VALUE into @msg. Return: 0 or the usage status. */
static int put_attr(struct nl_msg *msg, const char *arg)
{
	const char *eq = strchr(arg, '='), *colon = eq ? strchr(eq, ':') : NULL;
	char name[64], type[16];
	unsigned long long v;
	const char *value;
	int attr, err;

	if (!colon || eq - arg >= (long)sizeof(name) ||
	    colon - eq - 1 >= (long)sizeof(type))
		return usage("bad attribute", arg);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
	snprintf(type, sizeof(type), "%.*s", (int)(colon - eq - 1), eq + 1);
	value = colon + 1;
	attr = lookup(name, SHADOWVMM_A_MAX, svmm_attr_name);
	if (attr < 0)
		return usage("unknown attribute", name);
	v = strtoull(value, NULL, 0);
	if (!strcmp(type, "u8")) {
		err = nla_put_u8(msg, attr, v);
	} else if (!strcmp(type, "u16")) {
		err = nla_put_u16(msg, attr, v);
	} else if (!strcmp(type, "u32")) {
		err = nla_put_u32(msg, attr, v);
	} else if (!strcmp(type, "u64")) {
		err = nla_put_u64(msg, attr, v);
	} else if (!strcmp(type, "str")) {
		err = nla_put_string(msg, attr, value);
	} else if (!strcmp(type, "strn")) {
		err = nla_put(msg, attr, strlen(value), value);
	} else if (!strcmp(type, "empty")) {
		err = nla_put(msg, attr, 0, NULL);
	} else if (!strcmp(type, "fill")) {
		void *buf = malloc(v ? v : 1);

		if (!buf)
			return 1;
		memset(buf, 0xa5, v);
		err = nla_put(msg, attr, v, buf);
		free(buf);
	} else {
		return usage("unknown type", type);
	}
	if (err < 0) {
		fprintf(stderr, "nlreq: %s does not fit in the message\n", arg);
		return 1;
	}
	return 0;
}

static int on_reply(struct nlattr **tb, void *arg)
{
	(void)tb;
	printf("reply %s\n", (const char *)arg);
	return 0;
}

/* The dump by hand, one datagram at a time: how many did it take? */
static int dump(struct svmm *s, struct nl_msg *msg)
{
	unsigned int datagrams = 0, messages = 0;
	bool intr = false, done = false;
	struct sockaddr_nl who;
	unsigned char *buf;
	int n, err = 0;

	n = nl_send_auto(s->sk, msg);
	nlmsg_free(msg);
	if (n < 0) {
		fprintf(stderr, "nlreq: send: %s\n", nl_geterror(n));
		return 1;
	}
	while (!done) {
		struct nlmsghdr *nlh;

		n = nl_recv(s->sk, &who, &buf, NULL);
		if (n <= 0) {
			fprintf(stderr, "nlreq: recv: %s\n", nl_geterror(n));
			return 1;
		}
		datagrams++;
		for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, n); nlh = nlmsg_next(nlh, &n)) {
			intr |= nlh->nlmsg_flags & NLM_F_DUMP_INTR;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				memcpy(&err, nlmsg_data(nlh), sizeof(err));
				done = true;
			} else if (nlh->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)nlmsg_data(nlh))->error;
				done = true;
			} else if (nlh->nlmsg_type == s->family) {
				messages++;
			}
		}
		free(buf);
	}
	printf("dump: %u messages in %u datagrams%s, status %d\n", messages,
	       datagrams, intr ? ", interrupted" : "", err);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	bool do_dump = argc > 1 && !strcmp(argv[1], "--dump");
	const char *name;
	char bad[16];
	struct nl_msg *msg;
	struct svmm s;
	int cmd, i, err;

	if (do_dump) {
		argc--;
		argv++;
	}
	if (argc < 2)
		return usage("missing", "CMD");
	cmd = lookup(argv[1], SHADOWVMM_CMD_MAX, cmd_name);
	if (cmd < 0 || cmd > 255)
		return usage("unknown command", argv[1]);
	err = svmm_open(&s);
	if (err) {
		fprintf(stderr, "nlreq: cannot open the family: %s\n", strerror(-err));
		return 1;
	}
	msg = svmm_msg(&s, cmd, do_dump ? NLM_F_DUMP : 0);
	if (!msg)
		return 1;
	for (i = 2; i < argc; i++) {
		err = put_attr(msg, argv[i]);
		if (err)
			return err;
	}
	if (do_dump)
		return dump(&s, msg);
	err = svmm_request(&s, msg, on_reply, argv[1]);
	if (!err) {
		printf("ok\n");
		return 0;
	}
	name = -err < (int)(sizeof(errno_names) / sizeof(errno_names[0])) ?
	       errno_names[-err] : NULL;
	if (s.ack.bad_attr > SHADOWVMM_A_MAX)
		snprintf(bad, sizeof(bad), "%d", s.ack.bad_attr);
	else
		snprintf(bad, sizeof(bad), "%s", s.ack.bad_attr > 0 ?
			 svmm_attr_name(s.ack.bad_attr) : "-");
	printf("error=%s msg='%s' bad=%s missing=%s allowed='%s'\n",
	       name ? name : "?", s.ack.msg, bad,
	       s.ack.missing_attr > 0 ? svmm_attr_name(s.ack.missing_attr) : "-",
	       s.ack.allowed);
	fflush(stdout);
	svmm_perror(&s, argv[1], err);
	svmm_close(&s);
	return 1;
}
