// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>
#include <asm/tsc.h>
#include "cpuid.h"

#define LEAF1_ECX_VMX		BIT(5)
#define LEAF1_ECX_PCID		BIT(17)
#define LEAF1_ECX_X2APIC	BIT(21)
#define LEAF1_ECX_XSAVE		BIT(26)
#define LEAF1_ECX_AVX		BIT(28)
#define LEAF1_ECX_HYPERVISOR	BIT(31)
#define LEAF1_ECX_TSC_DEADLINE	BIT(24)
#define LEAF1_EDX_APIC		BIT(9)
#define LEAF6_EAX_ARAT		BIT(2)
#define LEAF1_EDX_SSE2		BIT(26)
#define LEAF1_EDX_MTRR		BIT(12)
#define LEAF7_EBX_FSGSBASE	BIT(0)
#define LEAF7_EBX_SMEP		BIT(7)
#define LEAF7_EBX_SMAP		BIT(20)
#define LEAF7_EBX_BMI1		BIT(3)
#define EXT1_EDX_SYSCALL	BIT(11)
#define EXT1_EDX_NX		BIT(20)
#define EXT1_EDX_PAGE1GB	BIT(26)
#define EXT1_EDX_RDTSCP		BIT(27)
#define EXT1_EDX_LM		BIT(29)

/* A host that has everything: the filter decides what the guest sees. */
static struct shadowvmm_cpuid everything(void)
{
	return (struct shadowvmm_cpuid){ ~0U, ~0U, ~0U, ~0U };
}

static void leaf1_hides_what_we_do_not_virtualize(struct kunit *test)
{
	struct shadowvmm_cpuid r = everything();

	shadowvmm_cpuid_filter(1, 0, &r);
	KUNIT_EXPECT_FALSE(test, r.ecx & LEAF1_ECX_VMX);
	KUNIT_EXPECT_FALSE(test, r.ecx & LEAF1_ECX_PCID);
	KUNIT_EXPECT_FALSE(test, r.ecx & LEAF1_ECX_X2APIC);
	KUNIT_EXPECT_FALSE(test, r.ecx & LEAF1_ECX_XSAVE);
	KUNIT_EXPECT_FALSE(test, r.ecx & LEAF1_ECX_AVX);
	KUNIT_EXPECT_TRUE(test, r.edx & LEAF1_EDX_MTRR);	/* msr.c */
	KUNIT_EXPECT_TRUE(test, r.edx & LEAF1_EDX_SSE2);
	KUNIT_EXPECT_TRUE(test, r.ecx & LEAF1_ECX_HYPERVISOR);
	/* One logical CPU with APIC ID 0. */
	KUNIT_EXPECT_EQ(test, r.ebx >> 16, 1U);
}

static void leaf1_keeps_absent_features_absent(struct kunit *test)
{
	struct shadowvmm_cpuid r = {};

	shadowvmm_cpuid_filter(1, 0, &r);
	/* But for what we emulate: the APIC and its TSC-deadline mode. */
	KUNIT_EXPECT_EQ(test, r.ecx,
			(u32)(LEAF1_ECX_HYPERVISOR | LEAF1_ECX_TSC_DEADLINE));
	KUNIT_EXPECT_EQ(test, r.edx, (u32)LEAF1_EDX_APIC);
}

/* abs_diff() came after 6.1. */
static u64 distance(u64 a, u64 b)
{
	return a > b ? a - b : b - a;
}

/* Linux trusts these and skips calibrating against a PIT. */
static void tsc_and_bus_rates_are_known(struct kunit *test)
{
	struct shadowvmm_cpuid r = everything();

	shadowvmm_cpuid_filter(0x15, 0, &r);
	KUNIT_ASSERT_NE(test, r.eax, 0U);
	KUNIT_EXPECT_EQ(test, r.ecx, 1000000000U);	/* the APIC timer's */
	/* Linux 6.1 multiplies in 32 bits: it must not overflow. */
	KUNIT_EXPECT_LE(test, (u64)r.ecx / 1000 * r.ebx, (u64)U32_MAX);
	KUNIT_EXPECT_LE(test, distance((u64)r.ecx / 1000 * r.ebx / r.eax,
				       (u64)tsc_khz), (u64)tsc_khz / 4000 + 1);
	r = everything();
	shadowvmm_cpuid_filter(0x16, 0, &r);
	KUNIT_EXPECT_EQ(test, r.eax, tsc_khz / 1000);
	KUNIT_EXPECT_EQ(test, r.ecx, 1000U);
	r = everything();
	shadowvmm_cpuid_filter(6, 0, &r);
	KUNIT_EXPECT_EQ(test, r.eax, (u32)LEAF6_EAX_ARAT);
	KUNIT_EXPECT_EQ(test, r.ecx, 0U);
}

/*
 * The ratio for TSCs from Bochs's to a fast server's: what Linux 6.1
 * computes from it in 32 bits is the TSC's rate, within 1 in 4000.
 */
static void tsc_ratio_survives_32_bits(struct kunit *test)
{
	static const u32 rates_khz[] = {
		1, 2755, 50000, 1000000, 2000000, 2893437, 3600000, 4294967,
		5000000,
	};
	unsigned int i;
	u32 num, den, got;

	for (i = 0; i < ARRAY_SIZE(rates_khz); i++) {
		shadowvmm_cpuid_tsc_ratio(rates_khz[i], &num, &den);
		KUNIT_ASSERT_NE(test, den, 0U);
		KUNIT_EXPECT_LE_MSG(test, (u64)1000000 * num, (u64)U32_MAX,
				    "%u kHz", rates_khz[i]);
		got = 1000000U * num / den;	/* as native_calibrate_tsc() */
		KUNIT_EXPECT_LE_MSG(test, distance(got, rates_khz[i]),
				    rates_khz[i] / 4000 + 1, "%u kHz: %u/%u",
				    rates_khz[i], num, den);
	}
	/* Exact where lowest terms allow: Bochs's 50 MHz is 1/20. */
	shadowvmm_cpuid_tsc_ratio(50000, &num, &den);
	KUNIT_EXPECT_EQ(test, num, 1U);
	KUNIT_EXPECT_EQ(test, den, 20U);
}

static void max_leaves_are_capped(struct kunit *test)
{
	struct shadowvmm_cpuid r = { .eax = 0x20 };

	shadowvmm_cpuid_filter(0, 0, &r);
	KUNIT_EXPECT_EQ(test, r.eax, 0x16U);
	r = (struct shadowvmm_cpuid){ .eax = 0x80000023 };
	shadowvmm_cpuid_filter(0x80000000, 0, &r);
	KUNIT_EXPECT_EQ(test, r.eax, 0x80000008U);
	/* A host with fewer leaves keeps its own maximum. */
	r = (struct shadowvmm_cpuid){ .eax = 5 };
	shadowvmm_cpuid_filter(0, 0, &r);
	KUNIT_EXPECT_EQ(test, r.eax, 5U);
}

static void leaf7_is_an_allow_list(struct kunit *test)
{
	struct shadowvmm_cpuid r = everything();

	shadowvmm_cpuid_filter(7, 0, &r);
	/* The shadow MMU enforces SMEP and SMAP; PKU it does not. */
	KUNIT_EXPECT_TRUE(test, r.ebx & LEAF7_EBX_SMEP);
	KUNIT_EXPECT_TRUE(test, r.ebx & LEAF7_EBX_SMAP);
	/* FS and GS bases are guest state: their instructions need no exit. */
	KUNIT_EXPECT_TRUE(test, r.ebx & LEAF7_EBX_FSGSBASE);
	KUNIT_EXPECT_TRUE(test, r.ebx & LEAF7_EBX_BMI1);
	KUNIT_EXPECT_EQ(test, r.ecx, 0U);
	KUNIT_EXPECT_EQ(test, r.edx, 0U);
	r = everything();
	shadowvmm_cpuid_filter(7, 1, &r);
	KUNIT_EXPECT_EQ(test, r.eax | r.ebx | r.ecx | r.edx, 0U);
}

static void long_mode_and_syscall_offered(struct kunit *test)
{
	struct shadowvmm_cpuid r = everything();

	shadowvmm_cpuid_filter(0x80000001, 0, &r);
	KUNIT_EXPECT_TRUE(test, r.edx & EXT1_EDX_LM);
	KUNIT_EXPECT_TRUE(test, r.edx & EXT1_EDX_NX);
	KUNIT_EXPECT_TRUE(test, r.edx & EXT1_EDX_PAGE1GB);
	/* Its MSRs are lent to the guest for each burst. */
	KUNIT_EXPECT_TRUE(test, r.edx & EXT1_EDX_SYSCALL);
	KUNIT_EXPECT_FALSE(test, r.edx & EXT1_EDX_RDTSCP);
}

/* LA57 is hidden: a 57-bit host describes a 48-bit CPU to the guest. */
static void linear_width_is_48_bits(struct kunit *test)
{
	struct shadowvmm_cpuid r = everything();

	r.eax = 0x3934;		/* 57-bit linear, 52-bit physical */
	shadowvmm_cpuid_filter(0x80000008, 0, &r);
	KUNIT_EXPECT_EQ(test, r.eax, 0x3034U);
	KUNIT_EXPECT_EQ(test, r.ebx | r.ecx | r.edx, 0U);
	r.eax = 0xff003027;	/* 48-bit linear, 39-bit physical */
	shadowvmm_cpuid_filter(0x80000008, 0, &r);
	KUNIT_EXPECT_EQ(test, r.eax, 0x3027U);
}

static void unknown_leaves_read_zero(struct kunit *test)
{
	static const u32 leaves[] = { 3, 5, 0xa, 0xb, 0xd, 0x12, 0x14, 0x80000007 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(leaves); i++) {
		struct shadowvmm_cpuid r = everything();

		shadowvmm_cpuid_filter(leaves[i], 0, &r);
		KUNIT_EXPECT_EQ_MSG(test, r.eax | r.ebx | r.ecx | r.edx, 0U,
				    "leaf %#x", leaves[i]);
	}
}

static void hypervisor_leaf_names_us(struct kunit *test)
{
	struct shadowvmm_cpuid r = {};
	char sig[13] = {};

	shadowvmm_cpuid_filter(SHADOWVMM_CPUID_SIGNATURE, 0, &r);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	KUNIT_EXPECT_STREQ(test, sig, "ShadowVMMShV");
	KUNIT_EXPECT_EQ(test, r.eax, (u32)SHADOWVMM_CPUID_SIGNATURE);
}

static struct kunit_case cpuid_cases[] = {
	KUNIT_CASE(leaf1_hides_what_we_do_not_virtualize),
	KUNIT_CASE(leaf1_keeps_absent_features_absent),
	KUNIT_CASE(max_leaves_are_capped),
	KUNIT_CASE(tsc_and_bus_rates_are_known),
	KUNIT_CASE(tsc_ratio_survives_32_bits),
	KUNIT_CASE(leaf7_is_an_allow_list),
	KUNIT_CASE(long_mode_and_syscall_offered),
	KUNIT_CASE(linear_width_is_48_bits),
	KUNIT_CASE(unknown_leaves_read_zero),
	KUNIT_CASE(hypervisor_leaf_names_us),
	{}
};

static struct kunit_suite cpuid_suite = {
	.name = "shadowvmm_cpuid",
	.test_cases = cpuid_cases,
};

kunit_test_suite(cpuid_suite);
