// SPDX-License-Identifier: GPL-2.0
/*
 * Names for VMX basic exit reasons: the kernel's own list, VMX_EXIT_REASONS
 * (the one KVM's tracepoints print), in lower case, as our counters
 * ("exits_cr_access") and the CLI spell them.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <asm/vmx.h>
#include "exit_reason.h"

static const struct {
	u32 reason;
	const char *name;
} vmx_exit_reasons[] = { VMX_EXIT_REASONS };

/**
 * shadowvmm_exit_reason_name() - the name of a VMX exit reason
 * @exit_reason: the full exit reason field; flag bits above 15 are ignored
 * @buf: where the name goes
 *
 * Return: @buf, holding a lower-case name such as "cr_access", or
 * "unknown" for a reason the kernel's list does not have.
 */
const char *shadowvmm_exit_reason_name(u32 exit_reason,
				       char buf[SHADOWVMM_EXIT_NAME_MAX])
{
	u16 basic = shadowvmm_exit_basic(exit_reason);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmx_exit_reasons); i++)
		if (vmx_exit_reasons[i].reason == basic)
			break;
	strscpy(buf, i < ARRAY_SIZE(vmx_exit_reasons) ?
		vmx_exit_reasons[i].name : "unknown", SHADOWVMM_EXIT_NAME_MAX);
	string_lower(buf, buf);
	return buf;
}
