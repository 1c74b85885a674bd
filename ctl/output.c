// SPDX-License-Identifier: GPL-2.0
/* Turning the family's attributes into words people and scripts read. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <asm/vmx.h>
#include <linux/shadowvmm.h>
#include "output.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Return: 0, or -EPROTO when the kernel left out what every VM has. */
int vm_info_parse(struct nlattr **tb, struct vm_info *vm)
{
	memset(vm, 0, sizeof(*vm));
	if (!tb[SHADOWVMM_A_VM_ID] || !tb[SHADOWVMM_A_VM_STATE])
		return -EPROTO;
	vm->id = nla_get_u32(tb[SHADOWVMM_A_VM_ID]);
	vm->state = nla_get_u32(tb[SHADOWVMM_A_VM_STATE]);
	if (tb[SHADOWVMM_A_VM_SERIAL])
		vm->serial = nla_get_u64(tb[SHADOWVMM_A_VM_SERIAL]);
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
	if (tb[SHADOWVMM_A_EXIT_QUALIFICATION]) {
		vm->has_qualification = true;
		vm->qualification = nla_get_u64(tb[SHADOWVMM_A_EXIT_QUALIFICATION]);
	}
	if (tb[SHADOWVMM_A_GUEST_RIP]) {
		vm->has_rip = true;
		vm->rip = nla_get_u64(tb[SHADOWVMM_A_GUEST_RIP]);
	}
	if (tb[SHADOWVMM_A_GUEST_ADDR]) {
		vm->has_guest_addr = true;
		vm->guest_addr = nla_get_u64(tb[SHADOWVMM_A_GUEST_ADDR]);
	}
	if (tb[SHADOWVMM_A_MMU_PAGES_MAX]) {
		vm->has_mmu_pages_max = true;
		vm->mmu_pages_max = nla_get_u32(tb[SHADOWVMM_A_MMU_PAGES_MAX]);
	}
	return 0;
}

/**
 * vm_info_is() - whether @vm describes the VM known as @id and @serial
 *
 * The id alone is not enough: once a VM is destroyed, the next VM created
 * gets its id, and an event of the old one may still be queued. A @serial
 * of 0 (a module that sends none) matches on the id alone.
 */
bool vm_info_is(const struct vm_info *vm, uint32_t id, uint64_t serial)
{
	return vm->id == id && (!serial || vm->serial == serial);
}

const char *vm_state_name(uint32_t state)
{
	static const char *const names[] = {
		[SHADOWVMM_VM_CREATED] = "created",
		[SHADOWVMM_VM_RUNNING] = "running",
		[SHADOWVMM_VM_STOPPED] = "stopped",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "unknown";
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
		[SHADOWVMM_STOP_NO_MEMORY] = "no_memory",
	};

	return reason < ARRAY_SIZE(names) ? names[reason] : "unknown";
}

const char *stat_unit_name(uint32_t unit)
{
	static const char *const names[] = {
		[SHADOWVMM_STAT_UNIT_NONE] = "none",
		[SHADOWVMM_STAT_UNIT_CYCLES] = "cycles",
		[SHADOWVMM_STAT_UNIT_BYTES] = "bytes",
		[SHADOWVMM_STAT_UNIT_PAGES] = "pages",
	};

	return unit < ARRAY_SIZE(names) ? names[unit] : "unknown";
}

const char *stat_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		[SHADOWVMM_STAT_CUMULATIVE] = "cumulative",
		[SHADOWVMM_STAT_INSTANT] = "instant",
		[SHADOWVMM_STAT_PEAK] = "peak",
	};

	return kind < ARRAY_SIZE(names) ? names[kind] : "unknown";
}

/* For JSON: the enum's names in lower case, as the other enums. */
const char *paging_mode_name(uint32_t mode)
{
	static const char *const names[] = {
		[SHADOWVMM_PAGING_OFF] = "off",
		[SHADOWVMM_PAGING_32] = "32",
		[SHADOWVMM_PAGING_PAE] = "pae",
		[SHADOWVMM_PAGING_4LEVEL] = "4level",
	};

	return mode < ARRAY_SIZE(names) ? names[mode] : "unknown";
}

/**
 * vmx_exit_name() - a VMX basic exit reason's name
 * @reason: the exit reason field; flag bits above 15 are ignored
 * @buf: where the name goes
 *
 * The kernel's list (VMX_EXIT_REASONS, which KVM's tracepoints print) in
 * lower case: the module's counters spell them so ("exits_cr_access").
 *
 * Return: @buf, or "unknown" in it for a reason the kernel's list lacks.
 */
const char *vmx_exit_name(uint32_t reason, char buf[VMX_EXIT_NAME_MAX])
{
	static const struct {
		uint32_t reason;
		const char *name;
	} names[] = { VMX_EXIT_REASONS };
	const char *name = "unknown";
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].reason == (reason & 0xffff))
			name = names[i].name;
	for (i = 0; name[i] && i < VMX_EXIT_NAME_MAX - 1; i++)
		buf[i] = tolower((unsigned char)name[i]);
	buf[i] = '\0';
	return buf;
}

/* VM-instruction errors (SDM vol. 3, 31.4) a VM entry can end with. */
static const char *vm_insn_error_name(uint32_t err)
{
	switch (err) {
	case 4:
		return "VMLAUNCH with non-clear VMCS";
	case 5:
		return "VMRESUME with non-launched VMCS";
	case 6:
		return "VMRESUME after VMXOFF";
	case 7:
		return "invalid control fields";
	case 8:
		return "invalid host-state fields";
	case 26:
		return "events blocked by MOV SS";
	default:
		return NULL;
	}
}

/* Why a VM stopped, as one phrase: "triple fault at rip 0x100234". */
void describe_stop(const struct vm_info *vm, char *buf, size_t len)
{
	char exit_name[VMX_EXIT_NAME_MAX];
	const char *what;

	switch (vm->stop_reason) {
	case SHADOWVMM_STOP_DEBUG_EXIT:
		snprintf(buf, len, "exited with status %" PRIu32, vm->exit_status);
		break;
	case SHADOWVMM_STOP_HALT:
		snprintf(buf, len, "halted without writing an exit status");
		break;
	case SHADOWVMM_STOP_TRIPLE_FAULT:
		snprintf(buf, len, "triple fault at rip %#" PRIx64, vm->rip);
		break;
	case SHADOWVMM_STOP_UNHANDLED_EXIT:
		snprintf(buf, len, "unhandled exit reason %" PRIu32 " (%s) qualification %#" PRIx64 " at rip %#" PRIx64,
			 vm->exit_reason & 0xffff, vmx_exit_name(vm->exit_reason, exit_name),
			 vm->qualification, vm->rip);
		break;
	case SHADOWVMM_STOP_ENTRY_FAILED:
		what = vm_insn_error_name(vm->exit_reason);
		snprintf(buf, len, "VM entry failed (VM-instruction error %" PRIu32 "%s%s)",
			 vm->exit_reason, what ? ": " : "", what ? what : "");
		break;
	case SHADOWVMM_STOP_BAD_ACCESS:
		snprintf(buf, len, "bad access to guest address %#" PRIx64 " at rip %#" PRIx64,
			 vm->guest_addr, vm->rip);
		break;
	case SHADOWVMM_STOP_USER:
		snprintf(buf, len, "stopped by user");
		break;
	case SHADOWVMM_STOP_HOST:
		snprintf(buf, len, "stopped by the host (module unload or reboot)");
		break;
	case SHADOWVMM_STOP_NO_MEMORY:
		snprintf(buf, len, "the host ran out of memory for shadow page tables");
		break;
	case SHADOWVMM_STOP_NONE:
		snprintf(buf, len, "-");
		break;
	default:
		snprintf(buf, len, "stop reason %" PRIu32, vm->stop_reason);
		break;
	}
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Keys are the attribute names in snake_case; numbers stay raw. */
void print_vm_json(FILE *f, const struct vm_info *vm)
{
	fprintf(f, "{\"vm_id\":%" PRIu32, vm->id);
	if (vm->serial)
		fprintf(f, ",\"vm_serial\":%" PRIu64, vm->serial);
	fprintf(f, ",\"vm_state\":\"%s\",\"mem_size\":%" PRIu64,
		vm_state_name(vm->state), vm->mem_size);
	if (vm->has_mmu_pages_max)
		fprintf(f, ",\"mmu_pages_max\":%" PRIu32, vm->mmu_pages_max);
	fprintf(f, ",\"stop_reason\":\"%s\"", stop_reason_name(vm->stop_reason));
	if (vm->has_exit_status)
		fprintf(f, ",\"exit_status\":%" PRIu32, vm->exit_status);
	if (vm->has_exit_reason)
		fprintf(f, ",\"exit_reason\":%" PRIu32, vm->exit_reason);
	if (vm->has_qualification)
		fprintf(f, ",\"exit_qualification\":%" PRIu64, vm->qualification);
	if (vm->has_rip)
		fprintf(f, ",\"guest_rip\":%" PRIu64, vm->rip);
	if (vm->has_guest_addr)
		fprintf(f, ",\"guest_addr\":%" PRIu64, vm->guest_addr);
	fputc('}', f);
}
