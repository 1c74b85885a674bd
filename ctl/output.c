// SPDX-License-Identifier: GPL-2.0
/* Turning the family's attributes into words people and scripts read. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/shadowvmm.h>
#include "output.h"

void vm_info_parse(struct nlattr **tb, struct vm_info *vm)
{
	memset(vm, 0, sizeof(*vm));
	if (tb[SHADOWVMM_A_VM_ID])
		vm->id = nla_get_u32(tb[SHADOWVMM_A_VM_ID]);
	if (tb[SHADOWVMM_A_VM_STATE])
		vm->state = nla_get_u32(tb[SHADOWVMM_A_VM_STATE]);
	if (tb[SHADOWVMM_A_MEM_SIZE])
		vm->mem_size = nla_get_u64(tb[SHADOWVMM_A_MEM_SIZE]);
	if (tb[SHADOWVMM_A_STOP_REASON])
		vm->stop_reason = nla_get_u32(tb[SHADOWVMM_A_STOP_REASON]);
	if (tb[SHADOWVMM_A_EXIT_STATUS]) {
		vm->has_exit_status = true;
		vm->exit_status = nla_get_u32(tb[SHADOWVMM_A_EXIT_STATUS]);
	}
	if (tb[SHADOWVMM_A_EXIT_REASON]) {
		vm->has_exit_reason = true;
		vm->exit_reason = nla_get_u32(tb[SHADOWVMM_A_EXIT_REASON]);
	}
	if (tb[SHADOWVMM_A_EXIT_QUALIFICATION])
		vm->qualification = nla_get_u64(tb[SHADOWVMM_A_EXIT_QUALIFICATION]);
	if (tb[SHADOWVMM_A_GUEST_RIP])
		vm->rip = nla_get_u64(tb[SHADOWVMM_A_GUEST_RIP]);
	if (tb[SHADOWVMM_A_GUEST_ADDR]) {
		vm->has_guest_addr = true;
		vm->guest_addr = nla_get_u64(tb[SHADOWVMM_A_GUEST_ADDR]);
	}
}

const char *vm_state_name(uint32_t state)
{
	static const char *const names[] = {
		[SHADOWVMM_VM_CREATED] = "created",
		[SHADOWVMM_VM_RUNNING] = "running",
		[SHADOWVMM_VM_STOPPED] = "stopped",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

const char *stop_reason_name(uint32_t reason)
{
	static const char *const names[] = {
		[SHADOWVMM_STOP_NONE] = "none",
		[SHADOWVMM_STOP_DEBUG_EXIT] = "debug_exit",
		[SHADOWVMM_STOP_HALT] = "halt",
		[SHADOWVMM_STOP_TRIPLE_FAULT] = "triple_fault",
		[SHADOWVMM_STOP_UNHANDLED_EXIT] = "unhandled_exit",
		[SHADOWVMM_STOP_ENTRY_FAILED] = "entry_failed",
		[SHADOWVMM_STOP_BAD_ACCESS] = "bad_access",
		[SHADOWVMM_STOP_USER] = "user",
		[SHADOWVMM_STOP_HOST] = "host",
	};

	return reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "unknown";
}

/* Why a VM stopped, as one phrase: "triple fault at rip 0x100234". */
void describe_stop(const struct vm_info *vm, char *buf, size_t len)
{
	switch (vm->stop_reason) {
	case SHADOWVMM_STOP_DEBUG_EXIT:
		snprintf(buf, len, "exited with status %" PRIu32, vm->exit_status);
		break;
	case SHADOWVMM_STOP_HALT:
		snprintf(buf, len, "halted without writing an exit status (rip %#" PRIx64 ")", vm->rip);
		break;
	case SHADOWVMM_STOP_TRIPLE_FAULT:
		snprintf(buf, len, "triple fault at rip %#" PRIx64, vm->rip);
		break;
	case SHADOWVMM_STOP_UNHANDLED_EXIT:
		snprintf(buf, len, "unhandled VM exit, reason %" PRIu32 " qualification %#" PRIx64 " at rip %#" PRIx64,
			 vm->exit_reason, vm->qualification, vm->rip);
		break;
	case SHADOWVMM_STOP_ENTRY_FAILED:
		snprintf(buf, len, "VM entry failed (error %" PRIu32 ") at rip %#" PRIx64, vm->exit_reason, vm->rip);
		break;
	case SHADOWVMM_STOP_BAD_ACCESS:
		snprintf(buf, len, "access to %#" PRIx64 " outside guest RAM at rip %#" PRIx64, vm->guest_addr, vm->rip);
		break;
	case SHADOWVMM_STOP_USER:
		snprintf(buf, len, "stopped by the user");
		break;
	case SHADOWVMM_STOP_HOST:
		snprintf(buf, len, "stopped by the host (module unload or reboot)");
		break;
	default:
		snprintf(buf, len, "%s", vm_state_name(vm->state));
		break;
	}
}

void print_vm_json(FILE *f, const struct vm_info *vm)
{
	fprintf(f, "{\"vm_id\":%" PRIu32 ",\"vm_state\":\"%s\",\"mem_size\":%" PRIu64 ",\"stop_reason\":\"%s\"",
		vm->id, vm_state_name(vm->state), vm->mem_size, stop_reason_name(vm->stop_reason));
	if (vm->has_exit_status)
		fprintf(f, ",\"exit_status\":%" PRIu32, vm->exit_status);
	if (vm->has_exit_reason)
		fprintf(f, ",\"exit_reason\":%" PRIu32 ",\"exit_qualification\":%" PRIu64, vm->exit_reason, vm->qualification);
	if (vm->has_guest_addr)
		fprintf(f, ",\"guest_addr\":%" PRIu64, vm->guest_addr);
	if (vm->state == SHADOWVMM_VM_STOPPED)
		fprintf(f, ",\"guest_rip\":%" PRIu64, vm->rip);
	fprintf(f, "}\n");
}
