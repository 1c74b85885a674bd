/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_NETLINK_H
#define SHADOWVMM_NETLINK_H

#include <linux/types.h>

int shadowvmm_netlink_init(void);
void shadowvmm_netlink_exit(void);

#endif
