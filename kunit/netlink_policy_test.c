// SPDX-License-Identifier: GPL-2.0
/*
 * The per-operation policies, checked the way genetlink applies them
 * (strict validation) so every edge a client can hit is pinned down.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/skbuff.h>
#include "boot.h"
#include "netlink_policy.h"

struct attrs {
	struct sk_buff *skb;
	struct netlink_ext_ack extack;
	struct nlattr *tb[SHADOWVMM_A_MAX + 1];
};

/*
 * The skb lives until the test ends, as the parsed attributes and the
 * extack's bad_attr point into it.
 */
static int policy_skb_init(struct kunit_resource *res, void *context)
{
	res->data = alloc_skb(SHADOWVMM_MEM_CHUNK_MAX + 1024, GFP_KERNEL);
	return res->data ? 0 : -ENOMEM;
}

static void policy_skb_free(struct kunit_resource *res)
{
	kfree_skb(res->data);
}

static struct attrs *attrs_new(struct kunit *test)
{
	struct attrs *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	a->skb = kunit_alloc_resource(test, policy_skb_init, policy_skb_free, GFP_KERNEL,
				      NULL);
	KUNIT_ASSERT_NOT_NULL(test, a->skb);
	return a;
}

static int parse(struct attrs *a, const struct nla_policy *policy)
{
	memset(&a->extack, 0, sizeof(a->extack));
	return nla_parse(a->tb, SHADOWVMM_A_MAX, (struct nlattr *)a->skb->data,
			 a->skb->len, policy, &a->extack);
}

/* Refused, and the extack points at the attribute at fault. */
static void expect_refused(struct kunit *test, struct attrs *a,
			   const struct nla_policy *policy)
{
	KUNIT_EXPECT_LT(test, parse(a, policy), 0);
	KUNIT_EXPECT_NOT_NULL(test, a->extack.bad_attr);
}

/*
 * Refused with @err, the extack message @msg (what the CLI prints) and the
 * offending attribute @type marked.
 */
static void expect_rejection(struct kunit *test, struct attrs *a,
			     const struct nla_policy *policy, int err,
			     int type, const char *msg)
{
	KUNIT_EXPECT_EQ(test, parse(a, policy), err);
	KUNIT_ASSERT_NOT_NULL(test, a->extack._msg);
	KUNIT_EXPECT_STREQ(test, a->extack._msg, msg);
	KUNIT_ASSERT_NOT_NULL(test, a->extack.bad_attr);
	KUNIT_EXPECT_EQ(test, nla_type(a->extack.bad_attr), type);
}

/* Each operation's policy and the attributes it takes: nothing else. */
static const struct op_policy {
	const char *op;
	const struct nla_policy *policy;
	int attrs[6];
} op_policies[] = {
	{ "VM_CREATE", shadowvmm_vm_create_policy,
	  { SHADOWVMM_A_MEM_SIZE, SHADOWVMM_A_MMU_PAGES_MAX } },
	{ "VM_DESTROY, VM_GET, VM_START, VM_STOP, STATS_GET",
	  shadowvmm_vm_id_policy, { SHADOWVMM_A_VM_ID } },
	{ "MEM_WRITE", shadowvmm_mem_write_policy,
	  { SHADOWVMM_A_VM_ID, SHADOWVMM_A_GPA, SHADOWVMM_A_DATA } },
	{ "BOOT_SET", shadowvmm_boot_set_policy,
	  { SHADOWVMM_A_VM_ID, SHADOWVMM_A_BOOT_ENTRY,
	    SHADOWVMM_A_BOOT_CMDLINE, SHADOWVMM_A_BOOT_PROTOCOL,
	    SHADOWVMM_A_BOOT_MODULE } },
	{ "CONSOLE_WRITE", shadowvmm_console_write_policy,
	  { SHADOWVMM_A_VM_ID, SHADOWVMM_A_DATA } },
	{ "CONSOLE_READ", shadowvmm_console_read_policy,
	  { SHADOWVMM_A_VM_ID, SHADOWVMM_A_CONSOLE_OFFSET } },
	{ "TRANSLATE", shadowvmm_translate_policy,
	  { SHADOWVMM_A_VM_ID, SHADOWVMM_A_GVA, SHADOWVMM_A_ACCESS } },
};

static bool op_takes(const struct op_policy *op, int type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(op->attrs); i++)
		if (op->attrs[i] == type)
			return true;
	return false;
}

static void op_policy_desc(const struct op_policy *op, char *desc)
{
	strscpy(desc, op->op, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(op_policy, op_policies, op_policy_desc);

/*
 * Every attribute an operation does not take is refused by name, whatever
 * its type; as is an attribute type the family does not have. Replies'
 * attributes (STATS, HPA, ...) and PAD are not accepted in requests.
 */
static void only_listed_attributes_pass(struct kunit *test)
{
	const struct op_policy *op = test->param_value;
	struct attrs *a;
	int type;

	for (type = 1; type <= SHADOWVMM_A_MAX; type++) {
		if (op_takes(op, type)) {
			KUNIT_EXPECT_NE_MSG(test, op->policy[type].type, NLA_UNSPEC,
					    "attribute %d has no type", type);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, op->policy[type].type, NLA_UNSPEC,
				    "attribute %d is in the policy", type);
		a = attrs_new(test);
		nla_put_u32(a->skb, type, 1);
		expect_rejection(test, a, op->policy, -EINVAL, type,
				 "Unsupported attribute");
	}
	a = attrs_new(test);
	nla_put_u32(a->skb, SHADOWVMM_A_MAX + 1, 1);
	expect_rejection(test, a, op->policy, -EINVAL, SHADOWVMM_A_MAX + 1,
			 "Unknown attribute type");
}

/* Integers: wrong width, out of range, reserved flag bits. */
static void integer_violations(struct kunit *test)
{
	struct attrs *a = attrs_new(test);

	nla_put_u64_64bit(a->skb, SHADOWVMM_A_VM_ID, 1, SHADOWVMM_A_PAD);
	expect_rejection(test, a, shadowvmm_console_read_policy, -EINVAL,
			 SHADOWVMM_A_VM_ID, "invalid attribute length");

	a = attrs_new(test);
	nla_put_u32(a->skb, SHADOWVMM_A_MEM_SIZE, 4 << 20);
	expect_rejection(test, a, shadowvmm_vm_create_policy, -EINVAL,
			 SHADOWVMM_A_MEM_SIZE, "invalid attribute length");

	a = attrs_new(test);
	nla_put_u32(a->skb, SHADOWVMM_A_VM_ID, 0);
	expect_rejection(test, a, shadowvmm_mem_write_policy, -ERANGE,
			 SHADOWVMM_A_VM_ID, "integer out of range");

	a = attrs_new(test);
	nla_put_u64_64bit(a->skb, SHADOWVMM_A_MEM_SIZE,
			  SHADOWVMM_MEM_SIZE_MIN - 1, SHADOWVMM_A_PAD);
	expect_rejection(test, a, shadowvmm_vm_create_policy, -ERANGE,
			 SHADOWVMM_A_MEM_SIZE, "integer out of range");

	a = attrs_new(test);
	nla_put_u32(a->skb, SHADOWVMM_A_MMU_PAGES_MAX,
		    SHADOWVMM_MMU_PAGES_MIN - 1);
	expect_rejection(test, a, shadowvmm_vm_create_policy, -ERANGE,
			 SHADOWVMM_A_MMU_PAGES_MAX, "integer out of range");

	a = attrs_new(test);
	nla_put_u32(a->skb, SHADOWVMM_A_MMU_PAGES_MAX, SHADOWVMM_MMU_PAGES_MIN);
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_vm_create_policy), 0);

	a = attrs_new(test);
	nla_put_u32(a->skb, SHADOWVMM_A_ACCESS, SHADOWVMM_ACCESS_WRITE |
		    SHADOWVMM_ACCESS_USER | SHADOWVMM_ACCESS_FETCH);
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_translate_policy), 0);

	a = attrs_new(test);
	nla_put_u32(a->skb, SHADOWVMM_A_ACCESS, 1);	/* the P bit */
	expect_rejection(test, a, shadowvmm_translate_policy, -EINVAL,
			 SHADOWVMM_A_ACCESS, "reserved bit set");
}

/* Strings and binaries: termination, length bounds. */
static void length_violations(struct kunit *test)
{
	static char line[SHADOWVMM_CMDLINE_MAX + 1];
	static u8 chunk[SHADOWVMM_MEM_CHUNK_MAX + 1];
	struct attrs *a = attrs_new(test);

	nla_put(a->skb, SHADOWVMM_A_BOOT_CMDLINE, 3, "abc");
	expect_rejection(test, a, shadowvmm_boot_set_policy, -EINVAL,
			 SHADOWVMM_A_BOOT_CMDLINE,
			 "Attribute failed policy validation");

	memset(line, 'x', sizeof(line));
	line[SHADOWVMM_CMDLINE_MAX] = '\0';
	a = attrs_new(test);
	nla_put(a->skb, SHADOWVMM_A_BOOT_CMDLINE, sizeof(line), line);
	expect_rejection(test, a, shadowvmm_boot_set_policy, -EINVAL,
			 SHADOWVMM_A_BOOT_CMDLINE,
			 "Attribute failed policy validation");

	a = attrs_new(test);
	nla_put(a->skb, SHADOWVMM_A_DATA, sizeof(chunk), chunk);
	expect_rejection(test, a, shadowvmm_mem_write_policy, -ERANGE,
			 SHADOWVMM_A_DATA, "binary attribute size out of range");

	a = attrs_new(test);
	nla_put(a->skb, SHADOWVMM_A_DATA, 0, chunk);
	expect_rejection(test, a, shadowvmm_mem_write_policy, -ERANGE,
			 SHADOWVMM_A_DATA, "binary attribute size out of range");
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

/* One BOOT_MODULE nest with @addr, @size and, if not NULL, @cmdline. */
static void put_module(struct attrs *a, u64 addr, u64 size, const char *cmdline)
{
	struct nlattr *nest = nla_nest_start(a->skb, SHADOWVMM_A_BOOT_MODULE);

	nla_put_u64_64bit(a->skb, SHADOWVMM_A_MODULE_ADDR, addr, SHADOWVMM_A_PAD);
	nla_put_u64_64bit(a->skb, SHADOWVMM_A_MODULE_SIZE, size, SHADOWVMM_A_PAD);
	if (cmdline)
		nla_put_string(a->skb, SHADOWVMM_A_MODULE_CMDLINE, cmdline);
	nla_nest_end(a->skb, nest);
}

/*
 * BOOT_SET's protocol and modules: known protocols only; every module
 * nest checked on its own, the attribute at fault inside it named; any
 * number of nests pass the policy (boot_set() counts them).
 */
static void boot_protocol_and_modules(struct kunit *test)
{
	static char line[SHADOWVMM_MODULE_CMDLINE_MAX + 1];
	struct attrs *a = attrs_new(test);

	nla_put_u32(a->skb, SHADOWVMM_A_BOOT_PROTOCOL, SHADOWVMM_BOOT_PVH);
	put_module(a, 0x200000, 4096, "initrd");
	put_module(a, 0x300000, 1, NULL);
	KUNIT_EXPECT_EQ(test, parse(a, shadowvmm_boot_set_policy), 0);

	a = attrs_new(test);
	nla_put_u32(a->skb, SHADOWVMM_A_BOOT_PROTOCOL, SHADOWVMM_BOOT_LAST + 1);
	expect_rejection(test, a, shadowvmm_boot_set_policy, -ERANGE,
			 SHADOWVMM_A_BOOT_PROTOCOL,
			 "integer out of range");

	a = attrs_new(test);
	put_module(a, 0x200000, 0, NULL);
	expect_rejection(test, a, shadowvmm_boot_set_policy, -ERANGE,
			 SHADOWVMM_A_MODULE_SIZE, "integer out of range");

	a = attrs_new(test);
	put_module(a, SHADOWVMM_MEM_SIZE_MAX, 1, NULL);
	expect_rejection(test, a, shadowvmm_boot_set_policy, -ERANGE,
			 SHADOWVMM_A_MODULE_ADDR, "integer out of range");

	memset(line, 'x', SHADOWVMM_MODULE_CMDLINE_MAX);
	a = attrs_new(test);
	put_module(a, 0x200000, 1, line);
	expect_rejection(test, a, shadowvmm_boot_set_policy, -EINVAL,
			 SHADOWVMM_A_MODULE_CMDLINE,
			 "Attribute failed policy validation");

	/* A module's nest takes only the module's attributes. */
	a = attrs_new(test);
	{
		struct nlattr *nest = nla_nest_start(a->skb,
						     SHADOWVMM_A_BOOT_MODULE);

		nla_put_u32(a->skb, SHADOWVMM_A_VM_ID, 1);
		nla_nest_end(a->skb, nest);
	}
	expect_rejection(test, a, shadowvmm_boot_set_policy, -EINVAL,
			 SHADOWVMM_A_VM_ID, "Unsupported attribute");
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
	KUNIT_CASE(boot_protocol_and_modules),
	KUNIT_CASE(vm_id_must_be_positive),
	KUNIT_CASE(unknown_attributes_are_rejected),
	KUNIT_CASE(mem_size_range),
	KUNIT_CASE(mem_write_data_bounds),
	KUNIT_CASE(cmdline_must_be_terminated_and_bounded),
	KUNIT_CASE(wrong_attribute_sizes),
	KUNIT_CASE_PARAM(only_listed_attributes_pass, op_policy_gen_params),
	KUNIT_CASE(integer_violations),
	KUNIT_CASE(length_violations),
	{}
};

static struct kunit_suite netlink_policy_suite = {
	.name = "shadowvmm_netlink_policy",
	.test_cases = netlink_policy_cases,
};

kunit_test_suite(netlink_policy_suite);
