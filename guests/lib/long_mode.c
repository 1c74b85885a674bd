// SPDX-License-Identifier: GPL-2.0
/* Into long mode and out again, and the 64-bit IDT and TSS it needs. */
#include "check.h"
#include "desc.h"
#include "long_mode.h"
#include "trap.h"
#include "trap64.h"
#include "x86.h"

#define GATE_INT64	0x8e	/* present, 64-bit interrupt gate */
#define GATE_DPL3	0x60
#define IST_TRAPS	1
#define IST_STACK_SIZE	8192

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3, iomap_base;
} __packed;

struct gate64 {
	u64 low, high;
};

static struct tss64 tss;
static struct gate64 idt[IDT_VECTORS];
static u8 ist_stack[IST_STACK_SIZE] __aligned(16);

/*
 * Every gate switches to the IST stack: the upper half of RSP is not
 * defined after compatibility mode, so the CPU must not push onto it.
 */
static struct gate64 gate(const void *handler, u8 type)
{
	u32 offset = (u32)handler;
	struct gate64 g = {
		.low = (offset & 0xffff) | (u64)KERNEL_CS64 << 16 |
		       (u64)IST_TRAPS << 32 | (u64)type << 40 |
		       (u64)(offset >> 16) << 48,
	};

	return g;
}

static void long_mode_init(void)
{
	int v;

	tss.rsp[0] = (u32)ist_stack + IST_STACK_SIZE;
	tss.ist[IST_TRAPS - 1] = tss.rsp[0];
	tss.iomap_base = sizeof(tss);
	for (v = 0; v < EXCEPTION_VECTORS; v++)
		idt[v] = gate(trap64_stubs + v * TRAP_STUB_SIZE, GATE_INT64);
	idt[USER_RETURN_VECTOR] = gate(user_return64, GATE_INT64 | GATE_DPL3);
}

int long_mode_supported(void)
{
	return cpuid(0x80000000, 0).eax >= 0x80000001 &&
	       (cpuid(0x80000001, 0).edx & CPUID_81_EDX_LM);
}

void long_mode_enter(const struct pgtable *pt)
{
	static int ready;

	if (!ready) {
		long_mode_init();
		ready = 1;
	}
	paging_disable();
	/* EFER.LME, then CR0.PG: long mode, in compatibility mode. */
	paging_enable(pt);
	idt_load(idt, sizeof(idt));
	tss_load(&tss, sizeof(tss));
}

void long_mode_leave(void)
{
	/* Only compatibility mode may do this, and leaves long mode so. */
	paging_disable();
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_LME);
	desc_protected();
}

int probe64_read(u64 va, u32 *value)
{
	last_fault.vector = NO_FAULT;
	*value = __probe64_read(va, va >> 32);
	return last_fault.vector != NO_FAULT;
}

int probe64_write(u64 va, u32 value)
{
	last_fault.vector = NO_FAULT;
	__probe64_write(va, va >> 32, value);
	return last_fault.vector != NO_FAULT;
}

struct cpuid cpuid64(u32 leaf, u32 subleaf)
{
	struct cpuid r;

	__cpuid64(leaf, subleaf, &r);
	return r;
}

void trap64_report(void)
{
	bail_out("exception %u at rip=0x%08x, err=0x%x cr2=0x%08x%08x",
		 last_fault.vector, trap64_rip, last_fault.error,
		 last_fault.cr2_high, last_fault.cr2);
}
