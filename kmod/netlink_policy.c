// SPDX-License-Identifier: GPL-2.0
#include "boot.h"
#include "netlink_policy.h"

/* Not const: 6.1's nla_policy points at them without const. */
static struct netlink_range_validation mem_size_range = {
	.min = SHADOWVMM_MEM_SIZE_MIN,
	.max = SHADOWVMM_MEM_SIZE_MAX,
};

static struct netlink_range_validation gpa_range = {
	.max = SHADOWVMM_MEM_SIZE_MAX - 1,
};

static struct netlink_range_validation module_size_range = {
	.min = 1,
	.max = SHADOWVMM_MEM_SIZE_MAX,
};

#define VM_ID_POLICY	NLA_POLICY_MIN(NLA_U32, 1)

const struct nla_policy shadowvmm_vm_create_policy[SHADOWVMM_A_MAX + 1] = {
	[SHADOWVMM_A_MEM_SIZE] = NLA_POLICY_FULL_RANGE(NLA_U64, &mem_size_range),
	[SHADOWVMM_A_MMU_PAGES_MAX] = NLA_POLICY_MIN(NLA_U32,
						     SHADOWVMM_MMU_PAGES_MIN),
};

const struct nla_policy shadowvmm_vm_id_policy[SHADOWVMM_A_MAX + 1] = {
	[SHADOWVMM_A_VM_ID] = VM_ID_POLICY,
};

const struct nla_policy shadowvmm_mem_write_policy[SHADOWVMM_A_MAX + 1] = {
	[SHADOWVMM_A_VM_ID] = VM_ID_POLICY,
	[SHADOWVMM_A_GPA] = NLA_POLICY_FULL_RANGE(NLA_U64, &gpa_range),
	[SHADOWVMM_A_DATA] = NLA_POLICY_RANGE(NLA_BINARY, 1,
					      SHADOWVMM_MEM_CHUNK_MAX),
};

const struct nla_policy shadowvmm_boot_module_policy[SHADOWVMM_A_MAX + 1] = {
	[SHADOWVMM_A_MODULE_ADDR] = NLA_POLICY_FULL_RANGE(NLA_U64, &gpa_range),
	[SHADOWVMM_A_MODULE_SIZE] = NLA_POLICY_FULL_RANGE(NLA_U64,
							  &module_size_range),
	[SHADOWVMM_A_MODULE_CMDLINE] = {
		.type = NLA_NUL_STRING,
		.len = SHADOWVMM_MODULE_CMDLINE_MAX - 1
	},
};

const struct nla_policy shadowvmm_boot_set_policy[SHADOWVMM_A_MAX + 1] = {
	[SHADOWVMM_A_VM_ID] = VM_ID_POLICY,
	[SHADOWVMM_A_BOOT_ENTRY] = { .type = NLA_U32 },
	[SHADOWVMM_A_BOOT_CMDLINE] = { .type = NLA_NUL_STRING,
				       .len = SHADOWVMM_CMDLINE_MAX - 1 },
	[SHADOWVMM_A_BOOT_PROTOCOL] = NLA_POLICY_MAX(NLA_U32,
						     SHADOWVMM_BOOT_LAST),
	[SHADOWVMM_A_BOOT_MODULE] =
		NLA_POLICY_NESTED(shadowvmm_boot_module_policy),
};

const struct nla_policy shadowvmm_translate_policy[SHADOWVMM_A_MAX + 1] = {
	[SHADOWVMM_A_VM_ID] = VM_ID_POLICY,
	[SHADOWVMM_A_GVA] = { .type = NLA_U64 },
	[SHADOWVMM_A_ACCESS] = NLA_POLICY_MASK(NLA_U32, SHADOWVMM_ACCESS_WRITE |
					       SHADOWVMM_ACCESS_USER |
					       SHADOWVMM_ACCESS_FETCH),
};

const struct nla_policy shadowvmm_console_write_policy[SHADOWVMM_A_MAX + 1] = {
	[SHADOWVMM_A_VM_ID] = VM_ID_POLICY,
	[SHADOWVMM_A_DATA] = NLA_POLICY_RANGE(NLA_BINARY, 1,
					      SHADOWVMM_CONSOLE_INPUT_MAX),
};

const struct nla_policy shadowvmm_console_read_policy[SHADOWVMM_A_MAX + 1] = {
	[SHADOWVMM_A_VM_ID] = VM_ID_POLICY,
	[SHADOWVMM_A_CONSOLE_OFFSET] = { .type = NLA_U64 },
};
