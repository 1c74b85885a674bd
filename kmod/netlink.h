/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_NETLINK_H
#define SHADOWVMM_NETLINK_H

struct shadowvmm_vm;

int shadowvmm_netlink_init(void);
void shadowvmm_netlink_exit(void);
void shadowvmm_netlink_notify(struct shadowvmm_vm *vm);

#endif
