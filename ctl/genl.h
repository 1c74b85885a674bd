/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_GENL_H
#define SHADOWVMM_CTL_GENL_H

#include <stdbool.h>
#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/shadowvmm.h>

/* What the kernel said about the last refused request (extended ACK). */
struct svmm_ack {
	char msg[256];		/* NLMSGERR_ATTR_MSG, or "" */
	int missing_attr;	/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
	int bad_attr;		/* attribute NLMSGERR_ATTR_OFFS points at, or -1 */
	char allowed[96];	/* what NLMSGERR_ATTR_POLICY allows, or "" */
};

/* A connection to the shadowvmm family. */
struct svmm {
	struct nl_sock *sk;
	int family;
	struct svmm_ack ack;
};

/*
 * Called for each reply (or event) with its attributes, validated against
 * the family's types. A negative return is the request's result.
 */
typedef int (*svmm_reply_fn)(struct nlattr **tb, void *arg);

int svmm_open(struct svmm *s);
void svmm_close(struct svmm *s);
int svmm_family_version(void);
struct nl_msg *svmm_msg(struct svmm *s, uint8_t cmd, int flags);
int svmm_request(struct svmm *s, struct nl_msg *msg, svmm_reply_fn fn,
		 void *arg);
int svmm_parse_nested(struct nlattr **tb, struct nlattr *nest);

int svmm_events_open(struct nl_sock **events);
int svmm_events_read(struct nl_sock *events, svmm_reply_fn fn, void *arg);

const char *svmm_attr_name(int attr);
void svmm_perror(const struct svmm *s, const char *what, int err);

#endif
