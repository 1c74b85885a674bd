// SPDX-License-Identifier: GPL-2.0
/*
 * Exit handlers fed synthetic exits: the decoded form run.c builds from
 * the VMCS. What each asserts is what a guest would observe afterwards.
 */
#include <kunit/test.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>
#include "dev/pio.h"
#include "exit.h"
#include "test_vcpu.h"
#include "vm.h"

#define ENTRY	0x100000
#define LEN	2
#define RAM_SIZE	(32 << 20)

static struct shadowvmm_vcpu *vcpu_new(struct kunit *test)
{
	return shadowvmm_test_vcpu_new(test, RAM_SIZE, ENTRY);
}

static u32 run(struct shadowvmm_vcpu *vcpu, u32 reason, u64 qualification)
{
	struct shadowvmm_exit exit = {
		.reason = reason,
		.qualification = qualification,
		.insn_len = LEN,
	};

	return shadowvmm_handle_exit(vcpu, &exit);
}

static u64 io(u16 port, unsigned int size, bool in, bool string)
{
	return (size - 1) | (in ? BIT(3) : 0) | (string ? BIT(4) : 0) |
	       ((u64)port << 16);
}

static u64 cr(unsigned int crn, unsigned int type, unsigned int gpr)
{
	return crn | (type << 4) | (gpr << 8);
}

static void expect_exception(struct kunit *test, struct shadowvmm_vcpu *vcpu,
			     u8 vector)
{
	KUNIT_EXPECT_TRUE(test, vcpu->event.pending);
	KUNIT_EXPECT_EQ(test, vcpu->event.vector, vector);
	/* A faulting instruction is not skipped. */
	KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY);
	vcpu->event.pending = false;
}

static void multiboot_entry_state(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RAX], 0x2badb002UL);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RBX], 0x9500UL);
	KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY);
	KUNIT_EXPECT_EQ(test, vcpu->cr0 & (X86_CR0_PE | X86_CR0_PG),
			(unsigned long)X86_CR0_PE);
	/* The hardware runs paged and protected whatever the guest sees. */
	KUNIT_EXPECT_EQ(test, vcpu->hw_cr0 & (X86_CR0_PE | X86_CR0_PG |
					      X86_CR0_NE),
			(unsigned long)(X86_CR0_PE | X86_CR0_PG | X86_CR0_NE));
	KUNIT_EXPECT_TRUE(test, vcpu->hw_cr4 & X86_CR4_VMXE);
	KUNIT_EXPECT_TRUE(test, vcpu->hw_cr4 & X86_CR4_PAE);
	KUNIT_EXPECT_EQ(test, vcpu->cr4, 0UL);
	KUNIT_EXPECT_FALSE(test, vcpu->rflags & X86_EFLAGS_IF);
}

static void hlt_stops_after_the_instruction(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_HLT, 0),
			(u32)SHADOWVMM_STOP_HALT);
	KUNIT_EXPECT_EQ(test, vcpu->stop.rip, (u64)ENTRY + LEN);
}

/* With interrupts on, HLT waits for one instead (run.c sleeps). */
static void hlt_with_interrupts_on_waits(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	vcpu->rflags |= X86_EFLAGS_IF;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_HLT, 0), 0U);
	KUNIT_EXPECT_TRUE(test, vcpu->halted);
	KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY + LEN);

	/* An interrupt it can take already: no wait at all. */
	vcpu->halted = false;
	shadowvmm_lapic_write(&vcpu->apic, APIC_SPIV, 0x1ff, 0);
	shadowvmm_lapic_write(&vcpu->apic, APIC_ICR, APIC_DEST_SELF | 0x40, 0);
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_HLT, 0), 0U);
	KUNIT_EXPECT_FALSE(test, vcpu->halted);
	KUNIT_EXPECT_EQ(test,
			vcpu->vm->stats.counter[SHADOWVMM_STAT_HALT_EXITS], 2ULL);
}

static void port_output_reaches_console(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	u64 next, dropped;
	u8 byte;

	vcpu->regs.gpr[VCPU_RAX] = 0xabcd0000 | 'Z';
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_IO_INSTRUCTION,
				  io(0x3f8, 1, false, false)), 0U);
	KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY + LEN);
	KUNIT_EXPECT_EQ(test, shadowvmm_console_get(&vcpu->vm->console, 0,
						    &byte, 1, &next, &dropped),
			1UL);
	KUNIT_EXPECT_EQ(test, byte, 'Z');
}

static void port_input_merges_into_rax(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	vcpu->regs.gpr[VCPU_RAX] = 0x12345678;
	run(vcpu, EXIT_REASON_IO_INSTRUCTION, io(0x3fd, 1, true, false));
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RAX], 0x12345660UL);
	run(vcpu, EXIT_REASON_IO_INSTRUCTION, io(0x80, 2, true, false));
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RAX], 0x1234ffffUL);
	/* A 32-bit IN replaces all of EAX. */
	vcpu->regs.gpr[VCPU_RAX] = 0;
	run(vcpu, EXIT_REASON_IO_INSTRUCTION, io(0x1234, 4, true, false));
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RAX], 0xffffffffUL);
}

static void debug_exit_reports_status(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	vcpu->regs.gpr[VCPU_RAX] = 42;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_IO_INSTRUCTION,
				  io(0xf4, 4, false, false)),
			(u32)SHADOWVMM_STOP_DEBUG_EXIT);
	KUNIT_EXPECT_EQ(test, vcpu->stop.exit_status, 42U);
	KUNIT_EXPECT_EQ(test, vcpu->stop.reason,
			(u32)SHADOWVMM_STOP_DEBUG_EXIT);
}

/* io() for INS/OUTS, with REP (bit 5) */
static u64 io_rep(u16 port, unsigned int size, bool in)
{
	return io(port, size, in, true) | BIT(5);
}

/* REP OUTSB to COM1: the bytes reach the console, RSI and RCX move. */
static void string_io_out(struct kunit *test)
{
	static const u8 code[] = { 0xf3, 0x6e };	/* rep outsb */
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	u8 *ram = vcpu->vm->gmem.ram;
	u64 next, dropped;
	char out[8] = {};

	memcpy(ram + ENTRY, code, sizeof(code));
	memcpy(ram + 0x5000, "hi!", 3);
	vcpu->regs.gpr[VCPU_RSI] = 0x5000;
	vcpu->regs.gpr[VCPU_RCX] = 3;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_IO_INSTRUCTION,
				  io_rep(0x3f8, 1, false)), 0U);
	KUNIT_EXPECT_EQ(test, shadowvmm_console_get(&vcpu->vm->console, 0,
						    out, sizeof(out), &next,
						    &dropped), 3UL);
	KUNIT_EXPECT_STREQ(test, out, "hi!");
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RSI], 0x5003UL);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RCX], 0UL);
	KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY + sizeof(code));
}

/*
 * REP INSW backwards (DF set) with a 16-bit address size: only DI and CX
 * move, by the element size; an unassigned port reads all-ones.
 */
static void string_io_in_backwards(struct kunit *test)
{
	static const u8 code[] = { 0x67, 0x66, 0xf3, 0x6d };	/* rep insw */
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	u8 *ram = vcpu->vm->gmem.ram;

	memcpy(ram + ENTRY, code, sizeof(code));
	vcpu->rflags |= X86_EFLAGS_DF;
	vcpu->regs.gpr[VCPU_RDI] = 0xabc06002;
	vcpu->regs.gpr[VCPU_RCX] = 0x12340002;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_IO_INSTRUCTION,
				  io_rep(0x80, 2, true)), 0U);
	/* ES base 0: DI 0x6002 and 0x6000, not EDI. */
	KUNIT_EXPECT_EQ(test, *(u32 *)(ram + 0x6000), 0xffffffffU);
	KUNIT_EXPECT_EQ(test, *(u16 *)(ram + 0x6004), 0U);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RDI], 0xabc05ffeUL);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RCX], 0x12340000UL);
	KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY + sizeof(code));
}

/* REP with a zero count does nothing but complete. */
static void string_io_zero_count(struct kunit *test)
{
	static const u8 code[] = { 0xf3, 0x6c };	/* rep insb */
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	memcpy(vcpu->vm->gmem.ram + ENTRY, code, sizeof(code));
	vcpu->regs.gpr[VCPU_RDI] = 0x6000;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_IO_INSTRUCTION,
				  io_rep(0x80, 1, true)), 0U);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RDI], 0x6000UL);
	KUNIT_EXPECT_EQ(test, *(u8 *)(vcpu->vm->gmem.ram + 0x6000), 0);
	KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY + sizeof(code));
}

/* A long string is done a chunk per exit: RIP stays until RCX is 0. */
static void string_io_in_chunks(struct kunit *test)
{
	static const u8 code[] = { 0xf3, 0x6c };	/* rep insb */
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	unsigned int exits = 0;

	memcpy(vcpu->vm->gmem.ram + ENTRY, code, sizeof(code));
	vcpu->regs.gpr[VCPU_RDI] = 0x10000;
	vcpu->regs.gpr[VCPU_RCX] = 5000;
	while (vcpu->rip == ENTRY && exits < 10) {
		KUNIT_ASSERT_EQ(test, run(vcpu, EXIT_REASON_IO_INSTRUCTION,
					  io_rep(0x80, 1, true)), 0U);
		exits++;
	}
	KUNIT_EXPECT_GT(test, exits, 1U);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RCX], 0UL);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RDI], 0x10000UL + 5000);
	KUNIT_EXPECT_EQ(test, *(u8 *)(vcpu->vm->gmem.ram + 0x10000 + 4999),
			0xff);
	KUNIT_EXPECT_EQ(test, *(u8 *)(vcpu->vm->gmem.ram + 0x10000 + 5000), 0);
}

/* OUTS to isa-debug-exit stops the VM with the value as the status. */
static void string_io_debug_exit(struct kunit *test)
{
	static const u8 code[] = { 0x6e };		/* outsb */
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	memcpy(vcpu->vm->gmem.ram + ENTRY, code, sizeof(code));
	*(u8 *)(vcpu->vm->gmem.ram + 0x7000) = 42;
	vcpu->regs.gpr[VCPU_RSI] = 0x7000;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_IO_INSTRUCTION,
				  io(0xf4, 1, false, true)),
			(u32)SHADOWVMM_STOP_DEBUG_EXIT);
	KUNIT_EXPECT_EQ(test, vcpu->stop.exit_status, 42U);
}

static void cpuid_marks_a_hypervisor(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	vcpu->regs.gpr[VCPU_RAX] = 1;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_CPUID, 0), 0U);
	KUNIT_EXPECT_TRUE(test, vcpu->regs.gpr[VCPU_RCX] & BIT(31));
	KUNIT_EXPECT_FALSE(test, vcpu->regs.gpr[VCPU_RCX] & BIT(5));
	KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY + LEN);
}

static void cr0_writes(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	vcpu->regs.gpr[VCPU_RDX] = X86_CR0_PE | X86_CR0_TS | X86_CR0_MP;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_CR_ACCESS, cr(0, 0, 2)), 0U);
	KUNIT_EXPECT_EQ(test, vcpu->cr0, (unsigned long)(X86_CR0_PE | X86_CR0_TS |
							X86_CR0_MP | X86_CR0_ET));
	KUNIT_EXPECT_TRUE(test, vcpu->hw_cr0 & X86_CR0_TS);
	KUNIT_EXPECT_TRUE(test, vcpu->hw_cr0 & X86_CR0_PG);
	KUNIT_EXPECT_TRUE(test, vcpu->dirty & VCPU_DIRTY_CR);

	/* CLTS clears TS in both views. */
	vcpu->rip = ENTRY;
	run(vcpu, EXIT_REASON_CR_ACCESS, cr(0, 2, 0));
	KUNIT_EXPECT_FALSE(test, vcpu->cr0 & X86_CR0_TS);
	KUNIT_EXPECT_FALSE(test, vcpu->hw_cr0 & X86_CR0_TS);

	/* Reserved high bits: #GP. */
	vcpu->rip = ENTRY;
	vcpu->regs.gpr[VCPU_RDX] = BIT_ULL(32) | X86_CR0_PE;
	run(vcpu, EXIT_REASON_CR_ACCESS, cr(0, 0, 2));
	expect_exception(test, vcpu, X86_TRAP_GP);
	/* PG without PE: #GP. */
	vcpu->regs.gpr[VCPU_RDX] = X86_CR0_PG;
	run(vcpu, EXIT_REASON_CR_ACCESS, cr(0, 0, 2));
	expect_exception(test, vcpu, X86_TRAP_GP);
}

static void real_mode_stops(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	vcpu->regs.gpr[VCPU_RAX] = 0;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_CR_ACCESS, cr(0, 0, 0)),
			(u32)SHADOWVMM_STOP_UNHANDLED_EXIT);
	KUNIT_EXPECT_EQ(test, vcpu->stop.exit_reason,
			(u32)EXIT_REASON_CR_ACCESS);
}

static struct shadowvmm_exit page_fault(u64 gva, u32 error_code)
{
	return (struct shadowvmm_exit){
		.reason = EXIT_REASON_EXCEPTION_NMI,
		.intr_info = INTR_INFO_VALID_MASK | INTR_TYPE_HARD_EXCEPTION |
			     X86_TRAP_PF,
		.intr_error_code = error_code,
		.qualification = gva,
		.insn_len = LEN,
	};
}

/*
 * The APIC page is never mapped: each access is a #PF exit that the
 * emulator carries out on the registers, whatever the form.
 */
static void apic_page_accesses(struct kunit *test)
{
	static const u8 code[] = {
		0xc7, 0x05, 0x80, 0x00, 0xe0, 0xfe, 0x20, 0, 0, 0, /* movl $0x20 */
		0x8b, 0x1d, 0x80, 0x00, 0xe0, 0xfe,	/* mov 0xfee00080, %ebx */
		0xa1, 0x30, 0x00, 0xe0, 0xfe,		/* mov 0xfee00030, %eax */
	};
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	struct shadowvmm_exit exit;

	memcpy(vcpu->vm->gmem.ram + ENTRY, code, sizeof(code));
	exit = page_fault(0xfee00080, 0x2);
	KUNIT_EXPECT_EQ(test, shadowvmm_handle_exit(vcpu, &exit), 0U);
	KUNIT_EXPECT_EQ(test, vcpu->apic.tpr, 0x20U);
	KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY + 10);

	exit = page_fault(0xfee00080, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_handle_exit(vcpu, &exit), 0U);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RBX], 0x20UL);
	exit = page_fault(0xfee00030, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_handle_exit(vcpu, &exit), 0U);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RAX], 0x50014UL);
	KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY + sizeof(code));
	KUNIT_EXPECT_EQ(test,
			vcpu->vm->stats.counter[SHADOWVMM_STAT_MMIO_EXITS], 3ULL);
	KUNIT_EXPECT_FALSE(test, vcpu->event.pending);

	/* Code fetched from there has nothing to run natively: stop. */
	exit = page_fault(0xfee00000, 0x10);
	KUNIT_EXPECT_EQ(test, shadowvmm_handle_exit(vcpu, &exit),
			(u32)SHADOWVMM_STOP_BAD_ACCESS);
	KUNIT_EXPECT_EQ(test, vcpu->stop.guest_addr, 0xfee00000ULL);
}

/* Guest paging on: its own faults reach it, the rest the shadow fixes. */
static void guest_paging_faults(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	u32 *pd = vcpu->vm->gmem.ram + 0x1000;
	struct shadowvmm_exit exit;

	/* One 4 MiB page at 4 MiB, read-only, mapping guest 0. */
	pd[1] = 0x00000000 | 0x81;
	vcpu->regs.gpr[VCPU_RAX] = 0x1000;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_CR_ACCESS, cr(3, 0, 0)), 0U);
	vcpu->regs.gpr[VCPU_RAX] = X86_CR4_PSE;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_CR_ACCESS, cr(4, 0, 0)), 0U);
	vcpu->regs.gpr[VCPU_RAX] = X86_CR0_PE | X86_CR0_PG | X86_CR0_WP;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_CR_ACCESS, cr(0, 0, 0)), 0U);
	KUNIT_EXPECT_TRUE(test, vcpu->hw_cr0 & X86_CR0_WP);
	KUNIT_EXPECT_TRUE(test, vcpu->dirty & VCPU_DIRTY_PAGING);
	KUNIT_EXPECT_EQ(test, vcpu->mmu.pg.mode, SHADOWVMM_PAGING_32);

	/* Nothing mapped at 8 MiB: the guest's #PF, not present, CR2 set. */
	vcpu->rip = ENTRY;
	exit = page_fault(0x800123, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_handle_exit(vcpu, &exit), 0U);
	expect_exception(test, vcpu, X86_TRAP_PF);
	KUNIT_EXPECT_EQ(test, vcpu->cr2, 0x800123UL);

	/* A read at 4 MiB is ours to fill; the A bit appears in the PDE. */
	exit = page_fault(0x400000, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_handle_exit(vcpu, &exit), 0U);
	KUNIT_EXPECT_FALSE(test, vcpu->event.pending);
	KUNIT_EXPECT_TRUE(test, pd[1] & 0x20);
	KUNIT_EXPECT_EQ(test,
			vcpu->vm->stats.counter[SHADOWVMM_STAT_PF_FIXED], 1ULL);

	/* A supervisor write with CR0.WP set: protection fault, W and P. */
	exit = page_fault(0x400000, 0x3);
	KUNIT_EXPECT_EQ(test, shadowvmm_handle_exit(vcpu, &exit), 0U);
	KUNIT_EXPECT_TRUE(test, vcpu->event.pending);
	KUNIT_EXPECT_EQ(test, vcpu->event.error_code, 0x3U);
	vcpu->event.pending = false;
}

/* A fault while the hardware delivered a #PF turns into #DF. */
static void fault_during_delivery(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	struct shadowvmm_exit exit;

	vcpu->regs.gpr[VCPU_RAX] = 0x1000;
	run(vcpu, EXIT_REASON_CR_ACCESS, cr(3, 0, 0));
	vcpu->regs.gpr[VCPU_RAX] = X86_CR0_PE | X86_CR0_PG;
	run(vcpu, EXIT_REASON_CR_ACCESS, cr(0, 0, 0));
	vcpu->rip = ENTRY;
	exit = page_fault(0x800000, 0x2);
	exit.idt_vectoring_info = INTR_INFO_VALID_MASK |
				  INTR_TYPE_HARD_EXCEPTION | X86_TRAP_PF |
				  INTR_INFO_DELIVER_CODE_MASK;
	KUNIT_EXPECT_EQ(test, shadowvmm_handle_exit(vcpu, &exit), 0U);
	expect_exception(test, vcpu, X86_TRAP_DF);

	/* And a fault delivering #DF shuts the guest down. */
	exit.idt_vectoring_info = INTR_INFO_VALID_MASK |
				  INTR_TYPE_HARD_EXCEPTION | X86_TRAP_DF;
	KUNIT_EXPECT_EQ(test, shadowvmm_handle_exit(vcpu, &exit),
			(u32)SHADOWVMM_STOP_TRIPLE_FAULT);
}

/* A fault the VMM fixes redelivers the event it interrupted. */
static void fixed_fault_redelivers_event(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	struct shadowvmm_exit exit = page_fault(0x5000, 0x2);

	exit.idt_vectoring_info = INTR_INFO_VALID_MASK |
				  INTR_TYPE_SOFT_INTR | 0x80;
	KUNIT_EXPECT_EQ(test, shadowvmm_handle_exit(vcpu, &exit), 0U);
	KUNIT_EXPECT_TRUE(test, vcpu->event.pending);
	KUNIT_EXPECT_EQ(test, vcpu->event.vector, 0x80);
	KUNIT_EXPECT_EQ(test, vcpu->event.type, (u32)INTR_TYPE_SOFT_INTR);
	KUNIT_EXPECT_EQ(test, vcpu->event.insn_len, (u32)LEN);
}

static void cr3_reads_back_and_cr4_is_checked(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	vcpu->regs.gpr[VCPU_RSI] = 0x123000;
	run(vcpu, EXIT_REASON_CR_ACCESS, cr(3, 0, VCPU_RSI));
	run(vcpu, EXIT_REASON_CR_ACCESS, cr(3, 1, VCPU_RDI));
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RDI], 0x123000UL);
	/* Through RSP, which lives in the VMCS, not the register file. */
	run(vcpu, EXIT_REASON_CR_ACCESS, cr(3, 1, VCPU_RSP));
	KUNIT_EXPECT_EQ(test, vcpu->rsp, 0x123000UL);

	vcpu->rip = ENTRY;
	vcpu->regs.gpr[VCPU_RAX] = X86_CR4_VMXE;
	run(vcpu, EXIT_REASON_CR_ACCESS, cr(4, 0, VCPU_RAX));
	expect_exception(test, vcpu, X86_TRAP_GP);
	KUNIT_EXPECT_EQ(test, vcpu->cr4, 0UL);

	vcpu->regs.gpr[VCPU_RAX] = X86_CR4_PSE | X86_CR4_OSFXSR;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_CR_ACCESS,
				  cr(4, 0, VCPU_RAX)), 0U);
	KUNIT_EXPECT_EQ(test, vcpu->cr4,
			(unsigned long)(X86_CR4_PSE | X86_CR4_OSFXSR));
	/* PSE means nothing to the hardware while the guest pages nothing. */
	KUNIT_EXPECT_FALSE(test, vcpu->hw_cr4 & X86_CR4_PSE);
	KUNIT_EXPECT_TRUE(test, vcpu->hw_cr4 & X86_CR4_OSFXSR);
}

static void msrs(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	vcpu->regs.gpr[VCPU_RCX] = MSR_IA32_CR_PAT;
	run(vcpu, EXIT_REASON_MSR_READ, 0);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RAX], 0x00070406UL);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RDX], 0x00070406UL);

	vcpu->rip = ENTRY;
	vcpu->regs.gpr[VCPU_RCX] = MSR_IA32_CR_PAT;
	vcpu->regs.gpr[VCPU_RAX] = 0x02;	/* reserved memory type */
	vcpu->regs.gpr[VCPU_RDX] = 0;
	run(vcpu, EXIT_REASON_MSR_WRITE, 0);
	expect_exception(test, vcpu, X86_TRAP_GP);

	vcpu->regs.gpr[VCPU_RCX] = MSR_EFER;
	vcpu->regs.gpr[VCPU_RAX] = BIT(1);	/* reserved */
	run(vcpu, EXIT_REASON_MSR_WRITE, 0);
	expect_exception(test, vcpu, X86_TRAP_GP);
	vcpu->regs.gpr[VCPU_RAX] = EFER_NX;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_MSR_WRITE, 0), 0U);
	KUNIT_EXPECT_EQ(test, vcpu->efer, (u64)EFER_NX);

	/* The APIC stays where it is, enabled, in xAPIC mode. */
	vcpu->regs.gpr[VCPU_RCX] = MSR_IA32_APICBASE;
	run(vcpu, EXIT_REASON_MSR_READ, 0);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RAX], 0xfee00900UL);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RDX], 0UL);
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_MSR_WRITE, 0), 0U);
	vcpu->rip = ENTRY;
	vcpu->regs.gpr[VCPU_RAX] = 0xfee00d00;	/* x2APIC */
	run(vcpu, EXIT_REASON_MSR_WRITE, 0);
	expect_exception(test, vcpu, X86_TRAP_GP);
	vcpu->regs.gpr[VCPU_RAX] = 0xfec00900;	/* moved */
	run(vcpu, EXIT_REASON_MSR_WRITE, 0);
	expect_exception(test, vcpu, X86_TRAP_GP);

	/* What firmware leaves: MTRRs on, write-back; one microcode. */
	vcpu->regs.gpr[VCPU_RCX] = 0x2ff;	/* MTRRdefType */
	run(vcpu, EXIT_REASON_MSR_READ, 0);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RAX], 0xc06UL);
	vcpu->regs.gpr[VCPU_RCX] = 0xfe;	/* MTRRcap */
	run(vcpu, EXIT_REASON_MSR_READ, 0);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RAX], 0x508UL);
	vcpu->regs.gpr[VCPU_RCX] = MSR_IA32_UCODE_REV;
	run(vcpu, EXIT_REASON_MSR_READ, 0);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RDX], 1UL);

	vcpu->rip = ENTRY;
	vcpu->regs.gpr[VCPU_RCX] = MSR_IA32_MCG_CAP;
	run(vcpu, EXIT_REASON_MSR_READ, 0);
	expect_exception(test, vcpu, X86_TRAP_GP);
	KUNIT_EXPECT_EQ(test,
			vcpu->vm->stats.counter[SHADOWVMM_STAT_MSR_UNHANDLED],
			1ULL);
}

static void interrupts_and_timer_resume_the_guest(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_EXTERNAL_INTERRUPT, 0), 0U);
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_PREEMPTION_TIMER, 0), 0U);
	/* Nothing the guest executed completed: RIP stays. */
	KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY);
	KUNIT_EXPECT_FALSE(test, vcpu->event.pending);
}

static void fatal_exits(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	struct shadowvmm_exit pf = page_fault(0x7000000, 0);

	/* Beyond RAM reads all-ones; a store we cannot decode stops. */
	KUNIT_EXPECT_EQ(test, shadowvmm_handle_exit(vcpu, &pf), 0U);
	pf = page_fault(0x7000000, 0x2);
	KUNIT_EXPECT_EQ(test, shadowvmm_handle_exit(vcpu, &pf),
			(u32)SHADOWVMM_STOP_BAD_ACCESS);
	KUNIT_EXPECT_EQ(test, vcpu->stop.guest_addr, 0x7000000ULL);

	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_TRIPLE_FAULT, 0),
			(u32)SHADOWVMM_STOP_TRIPLE_FAULT);
	KUNIT_EXPECT_EQ(test, run(vcpu, VMX_EXIT_REASONS_FAILED_VMENTRY |
				  EXIT_REASON_INVALID_STATE, 0),
			(u32)SHADOWVMM_STOP_ENTRY_FAILED);
	KUNIT_EXPECT_EQ(test, vcpu->stop.exit_reason,
			(u32)EXIT_REASON_INVALID_STATE);
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_XSAVES, 0x55),
			(u32)SHADOWVMM_STOP_UNHANDLED_EXIT);
	KUNIT_EXPECT_EQ(test, vcpu->stop.exit_reason, (u32)EXIT_REASON_XSAVES);
	KUNIT_EXPECT_EQ(test, vcpu->stop.qualification, 0x55ULL);
}

static void hidden_instructions_raise_ud(struct kunit *test)
{
	static const u32 reasons[] = {
		EXIT_REASON_VMCALL, EXIT_REASON_VMON, EXIT_REASON_VMLAUNCH,
		EXIT_REASON_MWAIT_INSTRUCTION, EXIT_REASON_MONITOR_INSTRUCTION,
	};
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reasons); i++) {
		KUNIT_EXPECT_EQ(test, run(vcpu, reasons[i], 0), 0U);
		expect_exception(test, vcpu, X86_TRAP_UD);
	}
}

static void debug_register_faults(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	const u64 from_dr = BIT(4);

	/* CPL 3: #GP, whichever register and direction. */
	vcpu->cs_ar |= 3 << 5;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_DR_ACCESS, 7 | from_dr), 0U);
	expect_exception(test, vcpu, X86_TRAP_GP);
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_DR_ACCESS, 0), 0U);
	expect_exception(test, vcpu, X86_TRAP_GP);
	vcpu->cs_ar &= ~(3 << 5);

	/* DR4 and DR5 with CR4.DE set: #UD. */
	vcpu->cr4 |= X86_CR4_DE;
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_DR_ACCESS, 4 | from_dr), 0U);
	expect_exception(test, vcpu, X86_TRAP_UD);
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_DR_ACCESS, 5), 0U);
	expect_exception(test, vcpu, X86_TRAP_UD);

	vcpu->cr4 &= ~X86_CR4_DE;
}

/* MOV DR qualification: register, direction, general-purpose register. */
static u64 dr(unsigned int drn, bool from, unsigned int gpr)
{
	return drn | (from ? BIT(4) : 0) | (gpr << 8);
}

/* What a guest at CPL 0 reads back from each register, as a CPU would. */
static void debug_register_values(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	unsigned int i;

	vcpu->event.pending = false;
	/* The power-on values. */
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(6, true, VCPU_RBX));
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RBX], 0xffff0ff0UL);
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(7, true, VCPU_RBX));
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RBX], 0x400UL);

	/* DR0-DR3 hold any address; 32-bit code writes 32 bits. */
	for (i = 0; i < 4; i++) {
		vcpu->regs.gpr[VCPU_RAX] = 0xdead00000000UL | (0x1000 << i);
		vcpu->rip = ENTRY;
		KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_DR_ACCESS,
					  dr(i, false, VCPU_RAX)), 0U);
		KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY + LEN);
		run(vcpu, EXIT_REASON_DR_ACCESS, dr(i, true, VCPU_RCX));
		KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RCX],
				(unsigned long)(0x1000 << i));
	}
	/* DR6: the status bits stick, the rest read fixed. */
	vcpu->regs.gpr[VCPU_RAX] = 0;
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(6, false, VCPU_RAX));
	KUNIT_EXPECT_EQ(test, vcpu->dr6, 0xffff0ff0UL);
	vcpu->regs.gpr[VCPU_RAX] = 0xffffffff;
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(6, false, VCPU_RAX));
	KUNIT_EXPECT_EQ(test, vcpu->dr6, 0xffffefffUL);
	/* DR7: bit 10 reads as one, 11, 12, 14 and 15 as zero; to the VMCS. */
	vcpu->dirty = 0;
	vcpu->regs.gpr[VCPU_RAX] = 0x000fd803;
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(7, false, VCPU_RAX));
	KUNIT_EXPECT_EQ(test, vcpu->dr7, 0x000f0403UL);
	KUNIT_EXPECT_TRUE(test, vcpu->dirty & VCPU_DIRTY_DR7);
	/* Without CR4.DE, DR4 and DR5 are DR6 and DR7. */
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(5, true, VCPU_RDX));
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RDX], 0x000f0403UL);
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(4, true, VCPU_RDX));
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RDX], 0xffffefffUL);
	KUNIT_EXPECT_FALSE(test, vcpu->event.pending);
}

/* 64-bit code: all 64 bits, and #GP for the upper half of DR6 and DR7. */
static void debug_registers_in_64bit_code(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	vcpu->event.pending = false;
	vcpu->efer |= EFER_LMA | EFER_LME;
	vcpu->cs_ar |= BIT(13);		/* CS.L */
	vcpu->regs.gpr[VCPU_RAX] = 0xffff800012345678UL;
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(2, false, VCPU_RAX));
	KUNIT_EXPECT_EQ(test, vcpu->db[2], 0xffff800012345678UL);
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(2, true, VCPU_RDI));
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RDI], 0xffff800012345678UL);

	vcpu->rip = ENTRY;
	vcpu->regs.gpr[VCPU_RAX] = BIT_ULL(32);
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(7, false, VCPU_RAX));
	expect_exception(test, vcpu, X86_TRAP_GP);
	KUNIT_EXPECT_EQ(test, vcpu->dr7, 0x400UL);
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(6, false, VCPU_RAX));
	expect_exception(test, vcpu, X86_TRAP_GP);
	KUNIT_EXPECT_EQ(test, vcpu->dr6, 0xffff0ff0UL);
}

/* DR7.GD: the next MOV DR is a #DB fault instead, with DR6.BD, GD clear. */
static void debug_register_general_detect(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);

	vcpu->event.pending = false;
	vcpu->regs.gpr[VCPU_RAX] = BIT(13) | 1;
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(7, false, VCPU_RAX));
	vcpu->dr6 |= 0x3;	/* B0 and B1 from an earlier #DB */
	vcpu->rip = ENTRY;
	vcpu->regs.gpr[VCPU_RCX] = 0x5555;
	run(vcpu, EXIT_REASON_DR_ACCESS, dr(0, true, VCPU_RCX));
	expect_exception(test, vcpu, X86_TRAP_DB);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RCX], 0x5555UL);
	KUNIT_EXPECT_EQ(test, vcpu->dr6, 0xffff2ff0UL);
	KUNIT_EXPECT_EQ(test, vcpu->dr7, 0x401UL);
	/* The handler's own MOV DR then works. */
	KUNIT_EXPECT_EQ(test, run(vcpu, EXIT_REASON_DR_ACCESS,
				  dr(6, true, VCPU_RCX)), 0U);
	KUNIT_EXPECT_EQ(test, vcpu->regs.gpr[VCPU_RCX], 0xffff2ff0UL);
}

static struct kunit_case exit_cases[] = {
	KUNIT_CASE(multiboot_entry_state),
	KUNIT_CASE(hlt_stops_after_the_instruction),
	KUNIT_CASE(hlt_with_interrupts_on_waits),
	KUNIT_CASE(apic_page_accesses),
	KUNIT_CASE(port_output_reaches_console),
	KUNIT_CASE(port_input_merges_into_rax),
	KUNIT_CASE(debug_exit_reports_status),
	KUNIT_CASE(string_io_out),
	KUNIT_CASE(string_io_in_backwards),
	KUNIT_CASE(string_io_zero_count),
	KUNIT_CASE(string_io_in_chunks),
	KUNIT_CASE(string_io_debug_exit),
	KUNIT_CASE(cpuid_marks_a_hypervisor),
	KUNIT_CASE(cr0_writes),
	KUNIT_CASE(real_mode_stops),
	KUNIT_CASE(guest_paging_faults),
	KUNIT_CASE(fault_during_delivery),
	KUNIT_CASE(fixed_fault_redelivers_event),
	KUNIT_CASE(cr3_reads_back_and_cr4_is_checked),
	KUNIT_CASE(msrs),
	KUNIT_CASE(interrupts_and_timer_resume_the_guest),
	KUNIT_CASE(fatal_exits),
	KUNIT_CASE(hidden_instructions_raise_ud),
	KUNIT_CASE(debug_register_faults),
	KUNIT_CASE(debug_register_values),
	KUNIT_CASE(debug_registers_in_64bit_code),
	KUNIT_CASE(debug_register_general_detect),
	{}
};

static struct kunit_suite exit_suite = {
	.name = "shadowvmm_exit",
	.exit = shadowvmm_test_vcpu_exit,
	.test_cases = exit_cases,
};

kunit_test_suite(exit_suite);
