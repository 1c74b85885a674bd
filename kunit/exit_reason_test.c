// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>
#include <asm/vmx.h>
#include "exit_reason.h"

static const char *name(u32 exit_reason)
{
	static char buf[SHADOWVMM_EXIT_NAME_MAX];

	return shadowvmm_exit_reason_name(exit_reason, buf);
}

static void names_known_reasons(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, name(EXIT_REASON_HLT), "hlt");
	KUNIT_EXPECT_STREQ(test, name(EXIT_REASON_IO_INSTRUCTION),
			   "io_instruction");
	KUNIT_EXPECT_STREQ(test, name(EXIT_REASON_TRIPLE_FAULT), "triple_fault");
	KUNIT_EXPECT_STREQ(test, name(EXIT_REASON_CPUID), "cpuid");
	/* The spellings scripts know from exits_<reason>, and the longest. */
	KUNIT_EXPECT_STREQ(test, name(EXIT_REASON_CR_ACCESS), "cr_access");
	KUNIT_EXPECT_STREQ(test, name(EXIT_REASON_EXCEPTION_NMI),
			   "exception_nmi");
	KUNIT_EXPECT_STREQ(test, name(EXIT_REASON_TPR_BELOW_THRESHOLD),
			   "tpr_below_threshold");
}

static void ignores_flag_bits(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, name(VMX_EXIT_REASONS_FAILED_VMENTRY |
				      EXIT_REASON_INVALID_STATE),
			   "invalid_state");
}

static void unknown_reasons(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, name(35), "unknown");
	KUNIT_EXPECT_STREQ(test, name(0xffff), "unknown");
	KUNIT_EXPECT_STREQ(test, name(SHADOWVMM_EXIT_REASONS), "unknown");
}

static struct kunit_case exit_reason_cases[] = {
	KUNIT_CASE(names_known_reasons),
	KUNIT_CASE(ignores_flag_bits),
	KUNIT_CASE(unknown_reasons),
	{}
};

static struct kunit_suite exit_reason_suite = {
	.name = "shadowvmm_exit_reason",
	.test_cases = exit_reason_cases,
};

kunit_test_suite(exit_reason_suite);
