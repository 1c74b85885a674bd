// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/tsc.h>
#include "vmx.h"

#define WB_BASIC(rev)	((u64)(rev) | (4096ULL << 32) | (6ULL << 50) | \
			 BIT_ULL(54) | BIT_ULL(55))
#define ALLOW(must, may)	((u64)(may) << 32 | (must))

static void fit_control_combines_bits(struct kunit *test)
{
	u32 out;

	KUNIT_EXPECT_EQ(test, shadowvmm_vmx_fit_control(0x5, 0x8,
							ALLOW(0x10, 0xff), &out),
			0);
	KUNIT_EXPECT_EQ(test, out, 0x1dU);
	/* An optional bit the CPU cannot set is left out. */
	KUNIT_EXPECT_EQ(test, shadowvmm_vmx_fit_control(0x1, 0x100,
							ALLOW(0, 0xff), &out),
			0);
	KUNIT_EXPECT_EQ(test, out, 0x1U);
	/* A required one makes it fail. */
	KUNIT_EXPECT_EQ(test, shadowvmm_vmx_fit_control(0x100, 0,
							ALLOW(0, 0xff), &out),
			-EOPNOTSUPP);
}

static struct shadowvmm_vmx_msrs capable_cpu(void)
{
	return (struct shadowvmm_vmx_msrs){
		.basic = WB_BASIC(0x12),
		.pin_based = ALLOW(0x16, ~0U),
		.proc_based = ALLOW(0x0401e172, ~0U),
		.exit_ctls = ALLOW(0x00036dff, ~0U),
		.entry_ctls = ALLOW(0x000011ff, ~0U),
		.cr0_fixed0 = 0x80000021, .cr0_fixed1 = 0xffffffff,
		.cr4_fixed0 = 0x2000, .cr4_fixed1 = 0x3767ff,
		.misc = 5, .tsc_khz = 2000000,
	};
}

static void fit_caps_on_a_capable_cpu(struct kunit *test)
{
	struct shadowvmm_vmx_msrs msrs = capable_cpu();
	struct shadowvmm_vmx_caps caps;
	const char *why;

	KUNIT_ASSERT_EQ(test, shadowvmm_vmx_fit_caps(&msrs, &caps, &why), 0);
	KUNIT_EXPECT_EQ(test, caps.revision_id, 0x12U);
	KUNIT_EXPECT_TRUE(test, caps.pin_based & PIN_BASED_EXT_INTR_MASK);
	KUNIT_EXPECT_TRUE(test, caps.pin_based & PIN_BASED_NMI_EXITING);
	KUNIT_EXPECT_TRUE(test, caps.proc_based & CPU_BASED_CR3_LOAD_EXITING);
	KUNIT_EXPECT_TRUE(test, caps.proc_based & CPU_BASED_UNCOND_IO_EXITING);
	KUNIT_EXPECT_TRUE(test, caps.proc_based & CPU_BASED_HLT_EXITING);
	KUNIT_EXPECT_TRUE(test, caps.exit_ctls & VM_EXIT_HOST_ADDR_SPACE_SIZE);
	KUNIT_EXPECT_TRUE(test, caps.entry_ctls & VM_ENTRY_LOAD_IA32_EFER);
	KUNIT_EXPECT_FALSE(test, caps.entry_ctls & VM_ENTRY_IA32E_MODE);
	/* Must-be-one bits always survive. */
	KUNIT_EXPECT_EQ(test, caps.pin_based & 0x16, 0x16U);
	/* 1 ms of a 2 GHz TSC, counted in units of 2^5 ticks. */
	KUNIT_EXPECT_TRUE(test, caps.pin_based & PIN_BASED_VMX_PREEMPTION_TIMER);
	KUNIT_EXPECT_EQ(test, caps.preemption_timer, 2000000U >> 5);
}

static void no_preemption_timer_is_fine(struct kunit *test)
{
	struct shadowvmm_vmx_msrs msrs = capable_cpu();
	struct shadowvmm_vmx_caps caps;
	const char *why;

	msrs.pin_based = ALLOW(0x16, 0x3f);
	KUNIT_ASSERT_EQ(test, shadowvmm_vmx_fit_caps(&msrs, &caps, &why), 0);
	KUNIT_EXPECT_EQ(test, caps.preemption_timer, 0U);
}

static void fit_caps_refuses_what_we_need(struct kunit *test)
{
	struct shadowvmm_vmx_msrs msrs;
	struct shadowvmm_vmx_caps caps;
	const char *why;

	msrs = capable_cpu();
	msrs.basic &= ~(0xfULL << 50);		/* uncacheable VMCS */
	KUNIT_EXPECT_EQ(test, shadowvmm_vmx_fit_caps(&msrs, &caps, &why),
			-EOPNOTSUPP);
	msrs = capable_cpu();
	msrs.basic += 4096ULL << 32;		/* a VMCS bigger than a page */
	KUNIT_EXPECT_EQ(test, shadowvmm_vmx_fit_caps(&msrs, &caps, &why),
			-EOPNOTSUPP);
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, "VMCS region size"));
	msrs = capable_cpu();
	msrs.pin_based = ALLOW(0x16, 0x17);	/* no NMI exiting */
	KUNIT_EXPECT_EQ(test, shadowvmm_vmx_fit_caps(&msrs, &caps, &why),
			-EOPNOTSUPP);
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, "NMI"));
	msrs = capable_cpu();
	msrs.exit_ctls = ALLOW(0x36dff, 0x36dff & ~VM_EXIT_LOAD_IA32_EFER);
	KUNIT_EXPECT_EQ(test, shadowvmm_vmx_fit_caps(&msrs, &caps, &why),
			-EOPNOTSUPP);
}

/* The real CPU: only where there is VMX (Bochs), never under QEMU TCG. */
static void this_cpu_fits(struct kunit *test)
{
	struct shadowvmm_vmx_msrs msrs;
	struct shadowvmm_vmx_caps caps;
	const char *why;

	if (!boot_cpu_has(X86_FEATURE_VMX))
		kunit_skip(test, "this CPU has no VMX");
	rdmsrl(MSR_IA32_VMX_BASIC, msrs.basic);
	rdmsrl(MSR_IA32_VMX_TRUE_PINBASED_CTLS, msrs.pin_based);
	rdmsrl(MSR_IA32_VMX_TRUE_PROCBASED_CTLS, msrs.proc_based);
	rdmsrl(MSR_IA32_VMX_TRUE_EXIT_CTLS, msrs.exit_ctls);
	rdmsrl(MSR_IA32_VMX_TRUE_ENTRY_CTLS, msrs.entry_ctls);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, msrs.cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, msrs.cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, msrs.cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, msrs.cr4_fixed1);
	rdmsrl(MSR_IA32_VMX_MISC, msrs.misc);
	msrs.tsc_khz = tsc_khz;
	KUNIT_EXPECT_EQ_MSG(test, shadowvmm_vmx_fit_caps(&msrs, &caps, &why),
			    0, "%s", why);
}

static struct kunit_case vmx_caps_cases[] = {
	KUNIT_CASE(fit_control_combines_bits),
	KUNIT_CASE(fit_caps_on_a_capable_cpu),
	KUNIT_CASE(fit_caps_refuses_what_we_need),
	KUNIT_CASE(no_preemption_timer_is_fine),
	KUNIT_CASE(this_cpu_fits),
	{}
};

static struct kunit_suite vmx_caps_suite = {
	.name = "shadowvmm_vmx_caps",
	.test_cases = vmx_caps_cases,
};

kunit_test_suite(vmx_caps_suite);
