/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_NETLINK_POLICY_H
#define SHADOWVMM_NETLINK_POLICY_H

#include <net/netlink.h>
#include <linux/shadowvmm.h>

/*
 * One policy per operation, listing exactly the attributes it takes: with
 * strict validation anything else is rejected before a handler runs.
 */
extern const struct nla_policy shadowvmm_vm_create_policy[SHADOWVMM_A_MAX + 1];
extern const struct nla_policy shadowvmm_vm_id_policy[SHADOWVMM_A_MAX + 1];
extern const struct nla_policy shadowvmm_mem_write_policy[SHADOWVMM_A_MAX + 1];
extern const struct nla_policy shadowvmm_boot_set_policy[SHADOWVMM_A_MAX + 1];
/* Inside each SHADOWVMM_A_BOOT_MODULE of BOOT_SET. */
extern const struct nla_policy shadowvmm_boot_module_policy[SHADOWVMM_A_MAX + 1];
extern const struct nla_policy shadowvmm_console_read_policy[SHADOWVMM_A_MAX + 1];
extern const struct nla_policy shadowvmm_console_write_policy[SHADOWVMM_A_MAX + 1];
extern const struct nla_policy shadowvmm_translate_policy[SHADOWVMM_A_MAX + 1];

#endif
