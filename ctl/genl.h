/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_GENL_H
#define SHADOWVMM_CTL_GENL_H

#include <stdbool.h>
#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/shadowvmm.h>

/* A connection to the shadowvmm family. */
struct svmm {
	struct nl_sock *sk;
	int family;
	/* What the kernel said about the last failed request. */
	char ext_msg[256];
	int missing_attr;	/* from NLMSGERR_ATTR_MISS_TYPE, or -1 */
	int bad_attr;		/* attribute NLMSGERR_ATTR_OFFS points at, or -1 */
};

/* Called for each reply message with its parsed attributes. */
typedef int (*svmm_reply_fn)(struct nlattr **tb, void *arg);

int svmm_open(struct svmm *s);
void svmm_close(struct svmm *s);
struct nl_msg *svmm_msg(struct svmm *s, uint8_t cmd, int flags);
int svmm_request(struct svmm *s, struct nl_msg *msg, svmm_reply_fn fn,
		 void *arg);
int svmm_events_open(struct svmm *s, struct nl_sock **events);
const char *svmm_attr_name(int attr);
void svmm_perror(struct svmm *s, const char *what, int err);

#endif
