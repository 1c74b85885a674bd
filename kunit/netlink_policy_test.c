// SPDX-License-Identifier: GPL-2.0
/*
 * The per-operation policies, checked the way genetlink applies them
 * (strict validation) so every edge a client can hit is pinned down.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>
#include "netlink_policy.h"

struct attrs {
	struct sk_buff *skb;
	struct netlink_ext_ack extack;
	struct nlattr *tb[SHADOWVMM_A_MAX + 1];
};

static struct attrs *attrs_new(struct kunit *test)
{
	struct attrs *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	a->skb = alloc_skb(SHADOWVMM_MEM_CHUNK_MAX + 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a->skb);
	return a;
}

static int parse(struct attrs *a, const struct nla_policy *policy)
{
	int err;

	memset(&a->extack, 0, sizeof(a->extack));
	err = nla_parse(a->tb, SHADOWVMM_A_MAX, (struct nlattr *)a->skb->data,
			a->skb->len, policy, &a->extack);
	kfree_skb(a->skb);
	return err;
}

/* Refused, and the extack points at the attribute at fault. */
static void expect_refused(struct kunit *test, struct attrs *a,
			   const struct nla_policy *policy)
{
	KUNIT_EXPECT_LT(test, parse(a, policy), 0);
	KUNIT_EXPECT_NOT_NULL(test, a->extack.bad_attr);
}

static void vm_id_must_be_positive(struct kunit *test)
{
	struct attrs *a = attrs_new(test);

	nla_put_u32(a->skb, SHADOWVMM_A_VM_ID, 0);
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_vm_id_policy), -ERANGE);
	KUNIT_EXPECT_NOT_NULL(test, a->extack.bad_attr);

	a = attrs_new(test);
	nla_put_u32(a->skb, SHADOWVMM_A_VM_ID, 1);
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_vm_id_policy), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(a->tb[SHADOWVMM_A_VM_ID]), 1U);
}

static void unknown_attributes_are_rejected(struct kunit *test)
{
	struct attrs *a = attrs_new(test);

	/* MEM_SIZE exists, but VM_START takes only VM_ID. */
	nla_put_u32(a->skb, SHADOWVMM_A_VM_ID, 1);
	nla_put_u64_64bit(a->skb, SHADOWVMM_A_MEM_SIZE, 4 << 20,
			  SHADOWVMM_A_PAD);
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_vm_id_policy), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, a->extack._msg);

	a = attrs_new(test);
	nla_put_u32(a->skb, SHADOWVMM_A_MAX + 1, 1);
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_vm_id_policy), -EINVAL);
}

static void mem_size_range(struct kunit *test)
{
	static const struct {
		u64 size;
		int err;
	} cases[] = {
		{ SHADOWVMM_MEM_SIZE_MIN - 4096, -ERANGE },
		{ SHADOWVMM_MEM_SIZE_MIN, 0 },
		{ SHADOWVMM_MEM_SIZE_MAX, 0 },
		{ SHADOWVMM_MEM_SIZE_MAX + 4096, -ERANGE },
		{ ~0ULL, -ERANGE },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct attrs *a = attrs_new(test);

		nla_put_u64_64bit(a->skb, SHADOWVMM_A_MEM_SIZE, cases[i].size,
				  SHADOWVMM_A_PAD);
		KUNIT_EXPECT_EQ_MSG(test, parse(a, shadowvmm_vm_create_policy),
				    cases[i].err, "size %#llx", cases[i].size);
	}
}

static void mem_write_data_bounds(struct kunit *test)
{
	static u8 chunk[SHADOWVMM_MEM_CHUNK_MAX + 1];
	struct attrs *a = attrs_new(test);

	nla_put_u32(a->skb, SHADOWVMM_A_VM_ID, 1);
	nla_put_u64_64bit(a->skb, SHADOWVMM_A_GPA, 0x100000, SHADOWVMM_A_PAD);
	nla_put(a->skb, SHADOWVMM_A_DATA, SHADOWVMM_MEM_CHUNK_MAX, chunk);
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_mem_write_policy), 0);

	a = attrs_new(test);
	nla_put(a->skb, SHADOWVMM_A_DATA, SHADOWVMM_MEM_CHUNK_MAX + 1, chunk);
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_mem_write_policy), -ERANGE);

	a = attrs_new(test);
	nla_put(a->skb, SHADOWVMM_A_DATA, 0, chunk);
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_mem_write_policy), -ERANGE);

	a = attrs_new(test);
	nla_put_u64_64bit(a->skb, SHADOWVMM_A_GPA, SHADOWVMM_MEM_SIZE_MAX,
			  SHADOWVMM_A_PAD);
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_mem_write_policy), -ERANGE);
}

static void cmdline_must_be_terminated_and_bounded(struct kunit *test)
{
	static char line[SHADOWVMM_CMDLINE_MAX + 1];
	struct attrs *a = attrs_new(test);

	nla_put(a->skb, SHADOWVMM_A_BOOT_CMDLINE, 3, "abc");
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_boot_set_policy), -EINVAL);

	memset(line, 'x', sizeof(line));
	line[SHADOWVMM_CMDLINE_MAX - 1] = '\0';
	a = attrs_new(test);
	nla_put(a->skb, SHADOWVMM_A_BOOT_CMDLINE, SHADOWVMM_CMDLINE_MAX, line);
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_boot_set_policy), 0);

	line[SHADOWVMM_CMDLINE_MAX - 1] = 'x';
	line[SHADOWVMM_CMDLINE_MAX] = '\0';
	a = attrs_new(test);
	nla_put(a->skb, SHADOWVMM_A_BOOT_CMDLINE, SHADOWVMM_CMDLINE_MAX + 1,
		line);
	expect_refused(test, a, shadowvmm_boot_set_policy);
}

static void wrong_attribute_sizes(struct kunit *test)
{
	struct attrs *a = attrs_new(test);

	nla_put_u16(a->skb, SHADOWVMM_A_VM_ID, 1);
	expect_refused(test, a, shadowvmm_vm_id_policy);
	a = attrs_new(test);
	nla_put_u32(a->skb, SHADOWVMM_A_CONSOLE_OFFSET, 1);
	expect_refused(test, a, shadowvmm_console_read_policy);
}

static struct kunit_case netlink_policy_cases[] = {
	KUNIT_CASE(vm_id_must_be_positive),
	KUNIT_CASE(unknown_attributes_are_rejected),
	KUNIT_CASE(mem_size_range),
	KUNIT_CASE(mem_write_data_bounds),
	KUNIT_CASE(cmdline_must_be_terminated_and_bounded),
	KUNIT_CASE(wrong_attribute_sizes),
	{}
};

static struct kunit_suite netlink_policy_suite = {
	.name = "shadowvmm_netlink_policy",
	.test_cases = netlink_policy_cases,
};

kunit_test_suite(netlink_policy_suite);
