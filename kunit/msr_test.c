// SPDX-License-Identifier: GPL-2.0
/*
 * Guest values that reach host registers or VMCS fields VM entry checks:
 * every MSR and control register a guest can write, with values the CPU
 * we describe accepts and values it refuses with #GP(0). A refused write
 * changes nothing and does not complete; an accepted one completes and
 * reads back, from the register the guest's code will really use (the
 * live MSR, or the VMCS field).
 *
 * The exits run the way run.c runs them: inside a "burst" that holds the
 * guest's KERNEL_GS_BASE and SYSCALL MSRs in this CPU with preemption off,
 * and puts the host's back at its end. Expectations are checked outside,
 * as a failing one may sleep.
 */
#include <kunit/test.h>
#include <linux/preempt.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>
#include "cpuid.h"
#include "dev/pio.h"
#include "exit.h"
#include "msr.h"
#include "paging.h"
#include "fake_host.h"
#include "test_vcpu.h"
#include "vm.h"

#define ENTRY		0x100000
#define LEN		2
#define RAM_SIZE	(8 << 20)

/* Around the 48-bit canonical boundaries, and one only LA57 would take. */
#define LOW_TOP		0x00007ffffffff000ULL
#define HIGH_BOTTOM	0xffff800000000000ULL
#define ABOVE_4G	0x0000000123456789ULL
#define NONCANON_47	0x0000800000000000ULL
#define NONCANON_57	0xff00000000000000ULL
#define NONCANON_63	0x8000000000000000ULL

static struct shadowvmm_vcpu *vcpu_new(struct kunit *test)
{
	return shadowvmm_test_vcpu_new(test, RAM_SIZE, ENTRY);
}

struct burst {
	u64 host_kernel_gs_base;
	struct shadowvmm_host_syscall_msrs host;
};

/* What run_burst() does around its entries. */
static void burst_begin(struct shadowvmm_vcpu *vcpu, struct burst *b)
{
	preempt_disable();
	rdmsrl(MSR_KERNEL_GS_BASE, b->host_kernel_gs_base);
	wrmsrl(MSR_KERNEL_GS_BASE, vcpu->kernel_gs_base);
	shadowvmm_syscall_msrs_load(vcpu, &b->host);
}

static void burst_end(struct shadowvmm_vcpu *vcpu, const struct burst *b)
{
	shadowvmm_syscall_msrs_put(vcpu, &b->host);
	rdmsrl(MSR_KERNEL_GS_BASE, vcpu->kernel_gs_base);
	wrmsrl(MSR_KERNEL_GS_BASE, b->host_kernel_gs_base);
	preempt_enable();
}

struct msr_result {
	u32 stop;
	bool gp;		/* #GP(0) queued */
	bool other_event;	/* anything else queued */
	unsigned long rip;
};

static struct msr_result msr_exit(struct shadowvmm_vcpu *vcpu, u32 reason,
				  u32 msr)
{
	struct shadowvmm_exit exit = { .reason = reason, .insn_len = LEN };
	struct msr_result r;

	vcpu->rip = ENTRY;
	vcpu->regs.gpr[VCPU_RCX] = msr;
	r.stop = shadowvmm_handle_exit(vcpu, &exit);
	r.gp = vcpu->event.pending && vcpu->event.vector == X86_TRAP_GP &&
	       vcpu->event.has_error_code && !vcpu->event.error_code;
	r.other_event = vcpu->event.pending && !r.gp;
	r.rip = vcpu->rip;
	vcpu->event.pending = false;
	return r;
}

static struct msr_result guest_wrmsr(struct shadowvmm_vcpu *vcpu, u32 msr,
				     u64 value)
{
	vcpu->regs.gpr[VCPU_RAX] = 0xdeadbeef00000000ULL | (u32)value;
	vcpu->regs.gpr[VCPU_RDX] = 0xdeadbeef00000000ULL | (value >> 32);
	return msr_exit(vcpu, EXIT_REASON_MSR_WRITE, msr);
}

static struct msr_result guest_rdmsr(struct shadowvmm_vcpu *vcpu, u32 msr,
				     u64 *value)
{
	struct msr_result r;

	vcpu->regs.gpr[VCPU_RAX] = ~0UL;
	vcpu->regs.gpr[VCPU_RDX] = ~0UL;
	r = msr_exit(vcpu, EXIT_REASON_MSR_READ, msr);
	/* RDMSR zero-extends into both halves. */
	*value = vcpu->regs.gpr[VCPU_RAX] | (vcpu->regs.gpr[VCPU_RDX] << 32);
	if ((vcpu->regs.gpr[VCPU_RAX] | vcpu->regs.gpr[VCPU_RDX]) >> 32)
		*value = ~0ULL;
	return r;
}

/* Where the guest's code finds the MSR, if not in RDMSR's answer alone. */
static bool live_value(const struct shadowvmm_vcpu *vcpu, u32 msr, u64 *value)
{
	switch (msr) {
	case MSR_KERNEL_GS_BASE:
	case MSR_STAR:
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_SYSCALL_MASK:
		rdmsrl(msr, *value);
		return true;
	case MSR_FS_BASE:
		*value = shadowvmm_fake_seg_base[SHADOWVMM_SEG_FS];
		return true;
	case MSR_GS_BASE:
		*value = shadowvmm_fake_seg_base[SHADOWVMM_SEG_GS];
		return true;
	case MSR_IA32_SYSENTER_ESP:
		*value = vcpu->sysenter_esp;
		return true;
	case MSR_IA32_SYSENTER_EIP:
		*value = vcpu->sysenter_eip;
		return true;
	}
	return false;
}

struct msr_case {
	const char *name;
	u32 msr;
	u64 value;
	bool ok;
	u64 ignored;		/* bits of an accepted value that do not stick */
};

/*
 * Each MSR holding an address: both canonical halves, a value above 4 GiB,
 * and three non-canonical ones.
 */
static const struct msr_case msr_cases[] = {
	{ "FS_BASE low half top", MSR_FS_BASE, LOW_TOP, true },
	{ "FS_BASE high half bottom", MSR_FS_BASE, HIGH_BOTTOM, true },
	{ "FS_BASE above 4 GiB", MSR_FS_BASE, ABOVE_4G, true },
	{ "FS_BASE non-canonical bit 47", MSR_FS_BASE, NONCANON_47, false },
	{ "FS_BASE canonical only with LA57", MSR_FS_BASE, NONCANON_57, false },
	{ "FS_BASE non-canonical bit 63", MSR_FS_BASE, NONCANON_63, false },
	{ "GS_BASE low half top", MSR_GS_BASE, LOW_TOP, true },
	{ "GS_BASE high half bottom", MSR_GS_BASE, HIGH_BOTTOM, true },
	{ "GS_BASE above 4 GiB", MSR_GS_BASE, ABOVE_4G, true },
	{ "GS_BASE non-canonical bit 47", MSR_GS_BASE, NONCANON_47, false },
	{ "GS_BASE canonical only with LA57", MSR_GS_BASE, NONCANON_57, false },
	{ "GS_BASE non-canonical bit 63", MSR_GS_BASE, NONCANON_63, false },
	{ "KERNEL_GS_BASE low half top", MSR_KERNEL_GS_BASE, LOW_TOP, true },
	{ "KERNEL_GS_BASE high half bottom", MSR_KERNEL_GS_BASE,
	  HIGH_BOTTOM, true },
	{ "KERNEL_GS_BASE above 4 GiB", MSR_KERNEL_GS_BASE, ABOVE_4G, true },
	{ "KERNEL_GS_BASE non-canonical bit 47", MSR_KERNEL_GS_BASE,
	  NONCANON_47, false },
	{ "KERNEL_GS_BASE canonical only with LA57", MSR_KERNEL_GS_BASE,
	  NONCANON_57, false },
	{ "KERNEL_GS_BASE non-canonical bit 63", MSR_KERNEL_GS_BASE,
	  NONCANON_63, false },
	{ "LSTAR low half top", MSR_LSTAR, LOW_TOP, true },
	{ "LSTAR high half bottom", MSR_LSTAR, HIGH_BOTTOM, true },
	{ "LSTAR above 4 GiB", MSR_LSTAR, ABOVE_4G, true },
	{ "LSTAR non-canonical bit 47", MSR_LSTAR, NONCANON_47, false },
	{ "LSTAR canonical only with LA57", MSR_LSTAR, NONCANON_57, false },
	{ "LSTAR non-canonical bit 63", MSR_LSTAR, NONCANON_63, false },
	{ "CSTAR low half top", MSR_CSTAR, LOW_TOP, true },
	{ "CSTAR high half bottom", MSR_CSTAR, HIGH_BOTTOM, true },
	{ "CSTAR above 4 GiB", MSR_CSTAR, ABOVE_4G, true },
	{ "CSTAR non-canonical bit 47", MSR_CSTAR, NONCANON_47, false },
	{ "CSTAR canonical only with LA57", MSR_CSTAR, NONCANON_57, false },
	{ "CSTAR non-canonical bit 63", MSR_CSTAR, NONCANON_63, false },
	{ "SYSENTER_ESP low half top", MSR_IA32_SYSENTER_ESP, LOW_TOP, true },
	{ "SYSENTER_ESP high half bottom", MSR_IA32_SYSENTER_ESP,
	  HIGH_BOTTOM, true },
	{ "SYSENTER_ESP above 4 GiB", MSR_IA32_SYSENTER_ESP, ABOVE_4G, true },
	{ "SYSENTER_ESP non-canonical bit 47", MSR_IA32_SYSENTER_ESP,
	  NONCANON_47, false },
	{ "SYSENTER_ESP canonical only with LA57", MSR_IA32_SYSENTER_ESP,
	  NONCANON_57, false },
	{ "SYSENTER_ESP non-canonical bit 63", MSR_IA32_SYSENTER_ESP,
	  NONCANON_63, false },
	{ "SYSENTER_EIP low half top", MSR_IA32_SYSENTER_EIP, LOW_TOP, true },
	{ "SYSENTER_EIP high half bottom", MSR_IA32_SYSENTER_EIP,
	  HIGH_BOTTOM, true },
	{ "SYSENTER_EIP above 4 GiB", MSR_IA32_SYSENTER_EIP, ABOVE_4G, true },
	{ "SYSENTER_EIP non-canonical bit 47", MSR_IA32_SYSENTER_EIP,
	  NONCANON_47, false },
	{ "SYSENTER_EIP canonical only with LA57", MSR_IA32_SYSENTER_EIP,
	  NONCANON_57, false },
	{ "SYSENTER_EIP non-canonical bit 63", MSR_IA32_SYSENTER_EIP,
	  NONCANON_63, false },
	{ "SYSENTER_CS", MSR_IA32_SYSENTER_CS, 0x10, true },
	{ "STAR as Linux sets it", MSR_STAR, 0x0023001000000000ULL, true },
	{ "SFMASK", MSR_SYSCALL_MASK, 0x47700, true },
	{ "SFMASK all 32 bits", MSR_SYSCALL_MASK, 0xffffffff, true },
	{ "SFMASK reserved bit 32", MSR_SYSCALL_MASK, BIT_ULL(32), false },
	{ "SFMASK reserved bit 63", MSR_SYSCALL_MASK, BIT_ULL(63) | 0x200,
	  false },
	{ "PAT power-on", MSR_IA32_CR_PAT, 0x0007040600070406ULL, true },
	{ "PAT every valid type", MSR_IA32_CR_PAT, 0x0007060504010000ULL,
	  true },
	{ "PAT all WB", MSR_IA32_CR_PAT, 0x0606060606060606ULL, true },
	{ "PAT type 2 in entry 0", MSR_IA32_CR_PAT, 0x0007040600070402ULL,
	  false },
	{ "PAT type 3 in entry 7", MSR_IA32_CR_PAT, 0x0307040600070406ULL,
	  false },
	{ "PAT type 8 in entry 1", MSR_IA32_CR_PAT, 0x0007040600070806ULL,
	  false },
	{ "PAT high bits in entry 4", MSR_IA32_CR_PAT, 0x0007048600070406ULL,
	  false },
	{ "EFER NXE", MSR_EFER, EFER_NX, true },
	{ "EFER LME with paging off", MSR_EFER, EFER_LME, true },
	{ "EFER NXE and LME", MSR_EFER, EFER_NX | EFER_LME, true },
	{ "EFER LMA written is ignored", MSR_EFER, EFER_LMA | EFER_NX, true,
	  EFER_LMA },
	{ "EFER SCE", MSR_EFER, EFER_SCE, true },
	{ "EFER reserved bit 1", MSR_EFER, BIT_ULL(1), false },
	{ "EFER reserved bit 9", MSR_EFER, BIT_ULL(9), false },
	{ "EFER SVME (AMD only)", MSR_EFER, EFER_SVME, false },
	{ "EFER reserved bit 63", MSR_EFER, BIT_ULL(63) | EFER_NX, false },
	/*
	 * What firmware owns: MISC_ENABLE and the MTRRs (MAXPHYADDR 36
	 * here): defType 0x2ff, FIX64K_00000 0x250, FIX4K_F8000 0x26f,
	 * PHYSBASE/PHYSMASK from 0x200, MTRRcap 0xfe.
	 */
	{ "MTRRdefType enabled, UC", 0x2ff, 0xc00, true },
	{ "MTRRdefType WB, fixed off", 0x2ff, 0x806, true },
	{ "MTRRdefType type 2", 0x2ff, 0xc02, false },
	{ "MTRRdefType UC- (PAT only)", 0x2ff, 0xc07, false },
	{ "MTRRdefType reserved bit 9", 0x2ff, 0xe06, false },
	{ "MTRR fixed every valid type", 0x250,
	  0x0006050401000605ULL, true },
	{ "MTRR fixed type 3", 0x26f, 0x0606060603060606ULL,
	  false },
	{ "MTRR PHYSBASE0 WB at 1 MiB", 0x200, 0x100006, true },
	{ "MTRR PHYSBASE0 reserved bit 8", 0x200, 0x100106, false },
	{ "MTRR PHYSBASE7 past MAXPHYADDR", 0x20e, BIT_ULL(36) | 6, false },
	{ "MTRR PHYSMASK0 1 MiB, valid", 0x201, 0xffff00800ULL, true },
	{ "MTRR PHYSMASK0 reserved bit 0", 0x201, 0xffff00801ULL, false },
	{ "MTRR PHYSMASK7 past MAXPHYADDR", 0x20f, BIT_ULL(36) | 0x800,
	  false },
	{ "MTRRcap is read-only", 0xfe, 0x508, false },
	{ "MISC_ENABLE fast strings off", MSR_IA32_MISC_ENABLE, 0x1800, true },
	{ "MISC_ENABLE xTPR off", MSR_IA32_MISC_ENABLE, 0x801801, true },
	{ "MISC_ENABLE limit CPUID", MSR_IA32_MISC_ENABLE, 0x401801, false },
	{ "MISC_ENABLE XD disable", MSR_IA32_MISC_ENABLE,
	  BIT_ULL(34) | 0x1801, false },
	{ "MISC_ENABLE BTS available", MSR_IA32_MISC_ENABLE, 0x1001, false },
	{ "FEATURE_CONTROL is locked", MSR_IA32_FEAT_CTL, 5, false },
	{ "APIC base as it is", MSR_IA32_APICBASE, 0xfee00900, true },
	{ "APIC base disabled", MSR_IA32_APICBASE, 0xfee00100, false },
	{ "APIC base x2APIC", MSR_IA32_APICBASE, 0xfee00d00, false },
};

static void msr_case_desc(const struct msr_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %#llx", c->name, c->value);
}

KUNIT_ARRAY_PARAM(msr, msr_cases, msr_case_desc);

static void msr_write(struct kunit *test)
{
	const struct msr_case *c = test->param_value;
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	struct msr_result before, w, after, next;
	u64 old, now, later, live_before = 0, live_after = 0;
	bool has_live;
	struct burst b;

	burst_begin(vcpu, &b);
	before = guest_rdmsr(vcpu, c->msr, &old);
	live_value(vcpu, c->msr, &live_before);
	vcpu->dirty = 0;
	w = guest_wrmsr(vcpu, c->msr, c->value);
	after = guest_rdmsr(vcpu, c->msr, &now);
	has_live = live_value(vcpu, c->msr, &live_after);
	burst_end(vcpu, &b);
	/* The next burst must still give the guest what it wrote. */
	burst_begin(vcpu, &b);
	next = guest_rdmsr(vcpu, c->msr, &later);
	burst_end(vcpu, &b);

	KUNIT_ASSERT_FALSE(test, before.gp || before.other_event);
	KUNIT_EXPECT_EQ(test, w.stop, 0U);
	KUNIT_EXPECT_FALSE(test, w.other_event);
	KUNIT_EXPECT_EQ(test, after.stop | next.stop, 0U);
	KUNIT_EXPECT_FALSE(test, after.gp || next.gp);
	if (c->ok) {
		KUNIT_EXPECT_FALSE(test, w.gp);
		KUNIT_EXPECT_EQ(test, w.rip, (unsigned long)ENTRY + LEN);
		KUNIT_EXPECT_EQ(test, now, c->value & ~c->ignored);
		KUNIT_EXPECT_EQ(test, later, c->value & ~c->ignored);
		if (has_live)
			KUNIT_EXPECT_EQ(test, live_after, c->value & ~c->ignored);
		if (c->msr == MSR_IA32_SYSENTER_ESP ||
		    c->msr == MSR_IA32_SYSENTER_EIP ||
		    c->msr == MSR_IA32_SYSENTER_CS)
			KUNIT_EXPECT_TRUE(test,
					  vcpu->dirty & VCPU_DIRTY_SYSENTER);
	} else {
		KUNIT_EXPECT_TRUE(test, w.gp);
		KUNIT_EXPECT_EQ(test, w.rip, (unsigned long)ENTRY);
		KUNIT_EXPECT_EQ(test, now, old);
		KUNIT_EXPECT_EQ(test, later, old);
		if (has_live)
			KUNIT_EXPECT_EQ(test, live_after, live_before);
		KUNIT_EXPECT_FALSE(test, vcpu->dirty & VCPU_DIRTY_SYSENTER);
	}
}

/* SWAPGS changes KERNEL_GS_BASE without an exit: RDMSR must see that. */
static void kernel_gs_base_reads_the_cpu(struct kunit *test)
{
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	struct msr_result r1, r2;
	u64 v1, v2;
	struct burst b;

	vcpu->kernel_gs_base = HIGH_BOTTOM;
	burst_begin(vcpu, &b);
	r1 = guest_rdmsr(vcpu, MSR_KERNEL_GS_BASE, &v1);
	wrmsrl(MSR_KERNEL_GS_BASE, LOW_TOP);	/* as SWAPGS would */
	r2 = guest_rdmsr(vcpu, MSR_KERNEL_GS_BASE, &v2);
	burst_end(vcpu, &b);

	KUNIT_EXPECT_EQ(test, r1.stop | r2.stop, 0U);
	KUNIT_EXPECT_EQ(test, v1, HIGH_BOTTOM);
	KUNIT_EXPECT_EQ(test, v2, LOW_TOP);
	KUNIT_EXPECT_EQ(test, vcpu->kernel_gs_base, LOW_TOP);
}

/* The host gets its SYSCALL MSRs back; outside a burst none are touched. */
static void syscall_msrs_are_lent_and_returned(struct kunit *test)
{
	static const u32 msrs[] = {
		MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK,
	};
	static const u64 guest[] = {
		0x001b000800000000ULL, HIGH_BOTTOM + 0x1000, LOW_TOP, 0x700,
	};
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	u64 host[4], in_burst[4], after[4], outside[4], next[4];
	struct msr_result w[4], o[4];
	struct burst b;
	unsigned int i;

	preempt_disable();
	for (i = 0; i < 4; i++)
		rdmsrl(msrs[i], host[i]);
	burst_begin(vcpu, &b);
	for (i = 0; i < 4; i++) {
		w[i] = guest_wrmsr(vcpu, msrs[i], guest[i]);
		rdmsrl(msrs[i], in_burst[i]);
	}
	burst_end(vcpu, &b);
	for (i = 0; i < 4; i++)
		rdmsrl(msrs[i], after[i]);
	/* Not loaded: the write is kept for the next burst only. */
	for (i = 0; i < 4; i++) {
		o[i] = guest_wrmsr(vcpu, msrs[i], guest[i] ^ BIT(16));
		rdmsrl(msrs[i], outside[i]);
	}
	burst_begin(vcpu, &b);
	for (i = 0; i < 4; i++)
		rdmsrl(msrs[i], next[i]);
	burst_end(vcpu, &b);
	preempt_enable();

	for (i = 0; i < 4; i++) {
		KUNIT_EXPECT_FALSE_MSG(test, w[i].gp || o[i].gp, "msr %#x",
				       msrs[i]);
		KUNIT_EXPECT_EQ_MSG(test, in_burst[i], guest[i], "msr %#x",
				    msrs[i]);
		KUNIT_EXPECT_EQ_MSG(test, after[i], host[i], "msr %#x",
				    msrs[i]);
		KUNIT_EXPECT_EQ_MSG(test, outside[i], host[i], "msr %#x",
				    msrs[i]);
		KUNIT_EXPECT_EQ_MSG(test, next[i], guest[i] ^ BIT(16),
				    "msr %#x", msrs[i]);
	}
	KUNIT_EXPECT_FALSE(test, vcpu->syscall_msrs_loaded);
}

static void unknown_msrs_raise_gp(struct kunit *test)
{
	static const u32 msrs[] = {
		/* What CPUID hides: MCA, speculation controls, RDTSCP. */
		MSR_IA32_DEBUGCTLMSR, MSR_IA32_MCG_CAP, MSR_IA32_MCG_STATUS,
		MSR_IA32_SPEC_CTRL, MSR_IA32_PRED_CMD, MSR_IA32_ARCH_CAPABILITIES,
		MSR_PLATFORM_INFO, MSR_TSC_AUX, 0x210 /* PHYSBASE8 */,
		0x40000000, 0xc0010000, 0x12345678,
	};
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	struct msr_result r;
	unsigned int i;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(msrs); i++) {
		r = guest_wrmsr(vcpu, msrs[i], 0);
		KUNIT_EXPECT_TRUE_MSG(test, r.gp, "wrmsr %#x", msrs[i]);
		KUNIT_EXPECT_EQ(test, r.rip, (unsigned long)ENTRY);
		r = guest_rdmsr(vcpu, msrs[i], &v);
		KUNIT_EXPECT_TRUE_MSG(test, r.gp, "rdmsr %#x", msrs[i]);
	}
	KUNIT_EXPECT_EQ(test,
			vcpu->vm->stats.counter[SHADOWVMM_STAT_MSR_UNHANDLED],
			2ULL * ARRAY_SIZE(msrs));
}

/* Control registers: MOV to CRn from RAX, in a given EFER and CR4. */
struct cr_case {
	const char *name;
	u8 cr;
	u64 value;
	bool ok;
	u64 reads;
	u64 efer;		/* the state before the write */
	u64 cr4;
};

#define CR_OK(n, c, v, r)		{ n, c, v, true, r, 0, 0 }
#define CR_GP(n, c, v)			{ n, c, v, false, 0, 0, 0 }
#define CR_OK_IN(n, c, v, r, e, c4)	{ n, c, v, true, r, e, c4 }
#define CR_GP_IN(n, c, v, e, c4)	{ n, c, v, false, 0, e, c4 }

#define PE	X86_CR0_PE
#define ET	X86_CR0_ET
#define LONG_MODE	(EFER_LME | EFER_LMA)

static const struct cr_case cr_cases[] = {
	CR_OK("CR0 PE", 0, PE, PE | ET),
	CR_OK("CR0 MP TS", 0, PE | X86_CR0_MP | X86_CR0_TS,
	      PE | ET | X86_CR0_MP | X86_CR0_TS),
	CR_OK("CR0 NE WP AM", 0, PE | X86_CR0_NE | X86_CR0_WP | X86_CR0_AM,
	      PE | ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_AM),
	CR_OK("CR0 CD NW", 0, PE | X86_CR0_CD | X86_CR0_NW,
	      PE | ET | X86_CR0_CD | X86_CR0_NW),
	CR_OK("CR0 reserved bits 31:0 are ignored", 0,
	      PE | BIT(6) | BIT(15) | BIT(17) | BIT(28), PE | ET),
	CR_GP("CR0 reserved bit 32", 0, PE | BIT_ULL(32)),
	CR_GP("CR0 reserved bit 63", 0, PE | BIT_ULL(63)),
	CR_GP("CR0 PG without PE", 0, X86_CR0_PG),
	CR_GP("CR0 NW without CD", 0, PE | X86_CR0_NW),
	CR_GP_IN("CR0 PG with LME, no PAE", 0, PE | X86_CR0_PG, EFER_LME, 0),
	CR_OK_IN("CR0 PG with LME and PAE", 0, PE | X86_CR0_PG,
		 PE | ET | X86_CR0_PG, EFER_LME, X86_CR4_PAE),

	CR_OK("CR4 PSE", 4, X86_CR4_PSE, X86_CR4_PSE),
	CR_OK("CR4 PAE", 4, X86_CR4_PAE, X86_CR4_PAE),
	CR_OK("CR4 PGE DE", 4, X86_CR4_PGE | X86_CR4_DE,
	      X86_CR4_PGE | X86_CR4_DE),
	CR_OK("CR4 TSD PCE", 4, X86_CR4_TSD | X86_CR4_PCE,
	      X86_CR4_TSD | X86_CR4_PCE),
	CR_OK("CR4 OSFXSR OSXMMEXCPT", 4, X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT,
	      X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT),
	CR_GP("CR4 VME (hidden)", 4, X86_CR4_VME),
	CR_GP("CR4 PVI (hidden)", 4, X86_CR4_PVI),
	CR_GP("CR4 MCE (hidden)", 4, X86_CR4_MCE),
	CR_GP("CR4 UMIP (hidden)", 4, X86_CR4_UMIP),
	CR_GP("CR4 LA57 (hidden)", 4, X86_CR4_LA57),
	CR_GP("CR4 VMXE (hidden)", 4, X86_CR4_VMXE),
	CR_GP("CR4 SMXE (hidden)", 4, X86_CR4_SMXE),
	CR_GP("CR4 reserved bit 15", 4, BIT(15)),
	CR_GP("CR4 PCIDE (hidden)", 4, X86_CR4_PCIDE),
	CR_GP("CR4 OSXSAVE (hidden)", 4, X86_CR4_OSXSAVE),
	CR_GP("CR4 PKE (hidden)", 4, X86_CR4_PKE),
	CR_GP("CR4 CET (hidden)", 4, X86_CR4_CET),
	CR_GP("CR4 reserved bit 32", 4, BIT_ULL(32) | X86_CR4_PSE),
	CR_GP("CR4 reserved bit 63", 4, BIT_ULL(63)),
	CR_GP_IN("CR4 PAE cleared in long mode", 4, X86_CR4_PSE, LONG_MODE,
		 X86_CR4_PAE),
	CR_OK_IN("CR4 PGE in long mode", 4, X86_CR4_PAE | X86_CR4_PGE,
		 X86_CR4_PAE | X86_CR4_PGE, LONG_MODE, X86_CR4_PAE),

	CR_OK("CR8 15", 8, 0xf, 0xf),
	CR_GP("CR8 reserved bit 4", 8, 0x10),
	CR_GP("CR8 reserved bit 63", 8, BIT_ULL(63)),

	CR_OK_IN("CR3 below MAXPHYADDR", 3, 0xfffff000ULL, 0xfffff000ULL, LONG_MODE,
		 X86_CR4_PAE),
	CR_GP_IN("CR3 at MAXPHYADDR", 3, BIT_ULL(36), LONG_MODE, X86_CR4_PAE),
	CR_GP_IN("CR3 bit 63 without PCIDE", 3, BIT_ULL(63), LONG_MODE,
		 X86_CR4_PAE),
};

static void cr_case_desc(const struct cr_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %#llx", c->name, c->value);
}

KUNIT_ARRAY_PARAM(cr, cr_cases, cr_case_desc);

static u64 cr_value(const struct shadowvmm_vcpu *vcpu, u8 cr)
{
	switch (cr) {
	case 0:
		return vcpu->cr0;
	case 3:
		return vcpu->cr3;
	case 4:
		return vcpu->cr4;
	}
	return vcpu->apic.tpr >> 4;
}

static u32 mov_to_cr(struct shadowvmm_vcpu *vcpu, u8 cr, u64 value)
{
	struct shadowvmm_exit exit = {
		.reason = EXIT_REASON_CR_ACCESS,
		.qualification = cr | (VCPU_RAX << 8),
		.insn_len = LEN,
	};

	vcpu->rip = ENTRY;
	vcpu->regs.gpr[VCPU_RAX] = value;
	return shadowvmm_handle_exit(vcpu, &exit);
}

static void cr_write(struct kunit *test)
{
	const struct cr_case *c = test->param_value;
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	u64 old, efer;

	vcpu->efer = c->efer;
	vcpu->cr4 = c->cr4;
	old = cr_value(vcpu, c->cr);
	efer = vcpu->efer;
	KUNIT_EXPECT_EQ(test, mov_to_cr(vcpu, c->cr, c->value), 0U);
	if (c->ok) {
		KUNIT_EXPECT_FALSE(test, vcpu->event.pending);
		KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY + LEN);
		KUNIT_EXPECT_EQ(test, cr_value(vcpu, c->cr), c->reads);
	} else {
		KUNIT_EXPECT_TRUE(test, vcpu->event.pending);
		KUNIT_EXPECT_EQ(test, vcpu->event.vector, X86_TRAP_GP);
		KUNIT_EXPECT_EQ(test, vcpu->event.error_code, 0U);
		KUNIT_EXPECT_EQ(test, vcpu->rip, (unsigned long)ENTRY);
		KUNIT_EXPECT_EQ(test, cr_value(vcpu, c->cr), old);
		KUNIT_EXPECT_EQ(test, vcpu->efer, efer);
	}
	/* Turning paging on with LME set enters long mode. */
	if (c->ok && c->cr == 0 && (c->value & X86_CR0_PG) &&
	    (c->efer & EFER_LME))
		KUNIT_EXPECT_TRUE(test, vcpu->efer & EFER_LMA);
}

/*
 * FSGSBASE, SMEP and SMAP exist for the guest exactly when its CPUID says
 * so, and reach the hardware's CR4 then: FSGSBASE's instructions run
 * without an exit, and SMEP and SMAP are enforced on our tables.
 */
static void cr4_follows_guest_cpuid(struct kunit *test)
{
	static const struct {
		u64 cr4;
		u32 ebx;
	} bits[] = {
		{ X86_CR4_FSGSBASE, BIT(0) },
		{ X86_CR4_SMEP, BIT(7) },
		{ X86_CR4_SMAP, BIT(20) },
	};
	struct shadowvmm_vcpu *vcpu = vcpu_new(test);
	unsigned long cr0 = vcpu->cr0;
	struct shadowvmm_cpuid r = {};
	unsigned int i;

	if (cpuid_eax(0) >= 7)
		shadowvmm_cpuid_guest(7, 0, &r);
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		bool has = r.ebx & bits[i].ebx;

		vcpu->cr4 = 0;
		KUNIT_EXPECT_EQ(test, mov_to_cr(vcpu, 4, bits[i].cr4), 0U);
		KUNIT_EXPECT_EQ_MSG(test, vcpu->event.pending, !has,
				    "CR4 %#llx, CPUID.7.EBX %#x", bits[i].cr4,
				    r.ebx);
		KUNIT_EXPECT_EQ(test, (u64)vcpu->cr4, has ? bits[i].cr4 : 0);
		/* With paging off the hardware's CR4 leaves SMEP and SMAP out. */
		vcpu->cr0 |= X86_CR0_PE | X86_CR0_PG;
		KUNIT_EXPECT_EQ(test, (u64)(shadowvmm_hw_cr4(vcpu) & bits[i].cr4),
				has ? bits[i].cr4 : 0);
		vcpu->cr0 = cr0;
		vcpu->event.pending = false;
	}
}

static struct kunit_case msr_test_cases[] = {
	KUNIT_CASE_PARAM(msr_write, msr_gen_params),
	KUNIT_CASE(kernel_gs_base_reads_the_cpu),
	KUNIT_CASE(syscall_msrs_are_lent_and_returned),
	KUNIT_CASE(unknown_msrs_raise_gp),
	KUNIT_CASE_PARAM(cr_write, cr_gen_params),
	KUNIT_CASE(cr4_follows_guest_cpuid),
	{}
};

static struct kunit_suite msr_suite = {
	.name = "shadowvmm_msr",
	.exit = shadowvmm_test_vcpu_exit,
	.test_cases = msr_test_cases,
};

kunit_test_suite(msr_suite);
