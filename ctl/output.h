/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_OUTPUT_H
#define SHADOWVMM_CTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netlink/attr.h>

/* A VM as VM_GET replies, dumps and VM_NOTIFY events describe it. */
struct vm_info {
	uint32_t id;
	uint64_t serial;	/* 0: a module too old to send VM_SERIAL */
	uint32_t state;
	uint64_t mem_size;
	uint32_t stop_reason;
	bool has_exit_status, has_exit_reason, has_qualification;
	bool has_rip, has_guest_addr, has_mmu_pages_max;
	uint32_t mmu_pages_max;
	uint32_t exit_status;
	uint32_t exit_reason;
	uint64_t qualification;
	uint64_t rip;
	uint64_t guest_addr;
};

int vm_info_parse(struct nlattr **tb, struct vm_info *vm);
bool vm_info_is(const struct vm_info *vm, uint32_t id, uint64_t serial);
const char *vm_state_name(uint32_t state);
const char *stop_reason_name(uint32_t reason);
const char *stat_kind_name(uint32_t kind);
const char *stat_unit_name(uint32_t unit);
const char *paging_mode_name(uint32_t mode);
/* Room for the longest exit reason name, "tpr_below_threshold". */
#define VMX_EXIT_NAME_MAX	24
const char *vmx_exit_name(uint32_t reason, char buf[VMX_EXIT_NAME_MAX]);
void describe_stop(const struct vm_info *vm, char *buf, size_t len);

void json_string(FILE *f, const char *s);
void print_vm_json(FILE *f, const struct vm_info *vm);

#endif
