// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>
#include <linux/slab.h>
#include "console.h"

static void put_pattern(struct shadowvmm_console *con, u64 from, size_t len)
{
	u8 byte;

	for (; len; len--, from++) {
		byte = from % 251;
		shadowvmm_console_put(con, &byte, 1);
	}
}

static void reads_in_order(struct kunit *test)
{
	struct shadowvmm_console con;
	u64 next, dropped;
	u8 buf[8];

	KUNIT_ASSERT_EQ(test, shadowvmm_console_init(&con), 0);
	shadowvmm_console_put(&con, "hello", 5);
	KUNIT_EXPECT_EQ(test, shadowvmm_console_get(&con, 0, buf, 3, &next,
						    &dropped), 3UL);
	KUNIT_EXPECT_EQ(test, next, 3ULL);
	KUNIT_EXPECT_EQ(test, dropped, 0ULL);
	KUNIT_EXPECT_EQ(test, shadowvmm_console_get(&con, next, buf, 8, &next,
						    &dropped), 2UL);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "lo", 2), 0);
	/* At the end, and past it, there is nothing. */
	KUNIT_EXPECT_EQ(test, shadowvmm_console_get(&con, 5, buf, 8, &next,
						    &dropped), 0UL);
	KUNIT_EXPECT_EQ(test, shadowvmm_console_get(&con, 99, buf, 8, &next,
						    &dropped), 0UL);
	KUNIT_EXPECT_EQ(test, next, 5ULL);
	shadowvmm_console_free(&con);
}

static void slow_reader_learns_what_it_lost(struct kunit *test)
{
	const size_t total = SHADOWVMM_CONSOLE_SIZE * 2 + 100;
	struct shadowvmm_console con;
	u64 next, dropped, pos;
	size_t got, i;
	u8 *buf;

	buf = kunit_kmalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, shadowvmm_console_init(&con), 0);
	put_pattern(&con, 0, total);

	got = shadowvmm_console_get(&con, 10, buf, 4096, &next, &dropped);
	KUNIT_EXPECT_EQ(test, dropped, (u64)(total - SHADOWVMM_CONSOLE_SIZE - 10));
	KUNIT_EXPECT_EQ(test, got, 4096UL);
	/* The bytes that survive are the newest, in stream order. */
	for (pos = next - got, i = 0; i < got; i++, pos++)
		KUNIT_ASSERT_EQ(test, buf[i], (u8)(pos % 251));

	for (pos = next; pos < total; pos = next) {
		got = shadowvmm_console_get(&con, pos, buf, 4096, &next,
					    &dropped);
		KUNIT_ASSERT_EQ(test, dropped, 0ULL);
		KUNIT_ASSERT_GT(test, got, 0UL);
		for (i = 0; i < got; i++)
			KUNIT_ASSERT_EQ(test, buf[i], (u8)((pos + i) % 251));
	}
	KUNIT_EXPECT_EQ(test, next, (u64)total);
	shadowvmm_console_free(&con);
}

static struct kunit_case console_cases[] = {
	KUNIT_CASE(reads_in_order),
	KUNIT_CASE(slow_reader_learns_what_it_lost),
	{}
};

static struct kunit_suite console_suite = {
	.name = "shadowvmm_console",
	.test_cases = console_cases,
};

kunit_test_suite(console_suite);
