/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_NETLINK_H
#define SHADOWVMM_NETLINK_H

#include <linux/types.h>

struct shadowvmm_vm;

int shadowvmm_netlink_init(void);
void shadowvmm_netlink_exit(void);
void shadowvmm_netlink_notify(struct shadowvmm_vm *vm, u32 event);
void shadowvmm_netlink_notify_stop(struct shadowvmm_vm *vm);

#endif
