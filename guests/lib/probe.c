// SPDX-License-Identifier: GPL-2.0
/* C faces for probe.S: reset the record, run the access, report. */
#include "desc.h"
#include "probe.h"
#include "probe_stubs.h"

static void arm(void)
{
	last_fault.vector = NO_FAULT;
}

static int faulted(void)
{
	return last_fault.vector != NO_FAULT;
}

int probe_read(u32 va, u32 *value)
{
	arm();
	*value = __probe_read(va);
	return faulted();
}

int probe_write(u32 va, u32 value)
{
	arm();
	__probe_write(va, value);
	return faulted();
}

int probe_exec(u32 va)
{
	arm();
	exec_probe.target = va;
	exec_probe.resume = (u32)probe_exec_resume;
	__probe_exec(va);
	exec_probe.target = 0;
	return faulted();
}

int probe_load_cr3(u32 cr3)
{
	arm();
	__probe_load_cr3(cr3);
	return faulted();
}

int user_read(u32 va, u32 *value)
{
	arm();
	*value = user_call(user_read_stub, va, 0);
	return faulted();
}

int user_write(u32 va, u32 value)
{
	arm();
	user_call(user_write_stub, va, value);
	return faulted();
}

int user_exec(u32 va)
{
	arm();
	exec_probe.target = va;
	exec_probe.resume = (u32)user_exec_resume;
	user_call(user_exec_stub, va, 0);
	exec_probe.target = 0;
	return faulted();
}
