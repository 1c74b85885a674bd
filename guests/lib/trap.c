// SPDX-License-Identifier: GPL-2.0
/* Exceptions: recover the probes that expect them, stop on any other. */
#include "check.h"
#include "fixup.h"
#include "trap.h"
#include "x86.h"

struct trap_frame {
	u32 es, ds;
	u32 edi, esi, ebp, esp, ebx, edx, ecx, eax;	/* pusha */
	u32 vector, error;
	u32 eip, cs, eflags;
};

struct fault last_fault = { NO_FAULT, 0, 0, 0 };
struct exec_probe exec_probe;
int (*page_fault_hook)(u32 cr2, u32 error);

static int resume_at(u32 eip, u32 *resume)
{
	const struct fixup *f;

	for (f = __fixup_start; f < __fixup_end; f++) {
		if (f->from == eip) {
			*resume = f->to;
			return 1;
		}
	}
	if (exec_probe.target && eip == exec_probe.target) {
		*resume = exec_probe.resume;
		exec_probe.target = 0;
		return 1;
	}
	return 0;
}

void trap(struct trap_frame *f)
{
	u32 cr2 = f->vector == VECTOR_PF ? read_cr2() : 0;
	u32 resume;

	if (f->vector == VECTOR_PF && page_fault_hook &&
	    page_fault_hook(cr2, f->error))
		return;
	if (!resume_at(f->eip, &resume)) {
		bail_out("exception %u at eip=0x%08x, err=0x%x cr2=0x%08x",
			 f->vector, f->eip, f->error, cr2);
	}
	last_fault.vector = f->vector;
	last_fault.error = f->error;
	last_fault.cr2 = cr2;
	last_fault.cr2_high = 0;
	f->eip = resume;
}
