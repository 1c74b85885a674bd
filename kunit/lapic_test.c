// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC's register model and timer arithmetic, against the Intel
 * SDM (volume 3, chapter 11): priorities by class, IRR to ISR to EOI,
 * self-IPIs, the software-disabled state, the current count of one-shot
 * and periodic counts under every divider, and TSC-deadline mode. Times
 * are passed in, so the arithmetic is exact; the hrtimer really runs,
 * armed far in the future except where a test waits for it.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <asm/apicdef.h>
#include "dev/lapic.h"

/* A time no test reaches: the timers these tests arm never fire. */
static u64 far_future(void)
{
	return ktime_get_ns() + 1000ULL * NSEC_PER_SEC;
}

static atomic_t kicks;

static void count_kick(struct shadowvmm_lapic *apic)
{
	atomic_inc(&kicks);
}

static int lapic_init(struct kunit *test)
{
	struct shadowvmm_lapic *apic = kunit_kzalloc(test, sizeof(*apic),
						     GFP_KERNEL);

	if (!apic)
		return -ENOMEM;
	shadowvmm_lapic_init(apic, 2000000, count_kick);	/* 2 GHz TSC */
	atomic_set(&kicks, 0);
	test->priv = apic;
	return 0;
}

static void lapic_exit(struct kunit *test)
{
	shadowvmm_lapic_stop_timer(test->priv);
}

static void enable(struct shadowvmm_lapic *apic)
{
	shadowvmm_lapic_write(apic, APIC_SPIV, APIC_SPIV_APIC_ENABLED | 0xff, 0);
}

static void self_ipi(struct shadowvmm_lapic *apic, u32 mode_vector)
{
	shadowvmm_lapic_write(apic, APIC_ICR, APIC_DEST_SELF | mode_vector, 0);
}

static void reset_values(struct kunit *test)
{
	struct shadowvmm_lapic *apic = test->priv;

	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_ID, 0), 0U);
	/* Integrated (0x1X), six LVT entries. */
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_LVR, 0),
			0x50014U);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_SPIV, 0), 0xffU);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_DFR, 0),
			0xffffffffU);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_LVTT, 0),
			(u32)APIC_LVT_MASKED);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_LVT0, 0),
			(u32)APIC_LVT_MASKED);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), -1);
}

/* Writes keep only the bits a register has; read-only bits stay clear. */
static void writable_bits(struct kunit *test)
{
	struct shadowvmm_lapic *apic = test->priv;

	enable(apic);
	shadowvmm_lapic_write(apic, APIC_LVT0, ~0U, 0);
	/* Vector, delivery mode, polarity, trigger, mask: not 12 or 14. */
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_LVT0, 0),
			0x1a7ffU);
	shadowvmm_lapic_write(apic, APIC_LVTERR, ~0U, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_LVTERR, 0),
			0x100ffU);
	shadowvmm_lapic_write(apic, APIC_TDCR, ~0U, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_TDCR, 0), 0xbU);
	shadowvmm_lapic_write(apic, APIC_ICR, ~0U & ~0xc0000U, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_ICR, 0) &
			APIC_ICR_BUSY, 0U);
	shadowvmm_lapic_write(apic, APIC_TASKPRI, 0x1234, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_TASKPRI, 0),
			0x34U);
	shadowvmm_lapic_write(apic, APIC_ID, 0x5000000, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_ID, 0), 0U);
}

/* IRR -> ISR on acceptance, the highest ISR bit cleared by EOI. */
static void accept_and_eoi(struct kunit *test)
{
	struct shadowvmm_lapic *apic = test->priv;

	enable(apic);
	self_ipi(apic, 0x45);
	self_ipi(apic, 0x65);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_IRR + 0x20, 0),
			BIT(0x45 % 32));
	KUNIT_ASSERT_EQ(test, shadowvmm_lapic_pending_vector(apic), 0x65);
	shadowvmm_lapic_accept(apic, 0x65);
	/* 0x45 is below the priority class of 0x65 in service. */
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_PROCPRI, 0),
			0x60U);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), -1);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_ISR + 0x30, 0),
			BIT(0x65 % 32));
	shadowvmm_lapic_write(apic, APIC_EOI, 0, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_ISR + 0x30, 0),
			0U);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), 0x45);
	/* EOI with nothing in service changes nothing. */
	shadowvmm_lapic_write(apic, APIC_EOI, 0, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), 0x45);
}

/* TPR: a vector is taken only when its class is above the TPR's. */
static void task_priority(struct kunit *test)
{
	struct shadowvmm_lapic *apic = test->priv;

	enable(apic);
	shadowvmm_lapic_write(apic, APIC_TASKPRI, 0x50, 0);
	self_ipi(apic, 0x5f);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), -1);
	self_ipi(apic, 0x60);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), 0x60);
	shadowvmm_lapic_set_tpr(apic, 0x70);		/* MOV CR8, 7 */
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), -1);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_PROCPRI, 0),
			0x70U);
	shadowvmm_lapic_set_tpr(apic, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), 0x60);
}

/* Destinations: self, all, all-but-self, physical and logical IDs. */
static void ipi_destinations(struct kunit *test)
{
	struct shadowvmm_lapic *apic = test->priv;

	enable(apic);
	shadowvmm_lapic_write(apic, APIC_ICR, APIC_DEST_ALLBUT | 0x40, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), -1);
	shadowvmm_lapic_write(apic, APIC_ICR2, 1 << 24, 0);
	shadowvmm_lapic_write(apic, APIC_ICR, 0x41, 0);		/* APIC ID 1 */
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), -1);
	shadowvmm_lapic_write(apic, APIC_ICR, APIC_DM_INIT, 0);
	shadowvmm_lapic_write(apic, APIC_ICR, APIC_DM_STARTUP | 0x10, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), -1);
	KUNIT_EXPECT_FALSE(test, apic->nmi_pending);
	shadowvmm_lapic_write(apic, APIC_ICR2, 0, 0);
	shadowvmm_lapic_write(apic, APIC_ICR, 0x42, 0);		/* APIC ID 0 */
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), 0x42);
	shadowvmm_lapic_write(apic, APIC_LDR, 1 << 24, 0);
	shadowvmm_lapic_write(apic, APIC_ICR2, 3 << 24, 0);
	shadowvmm_lapic_write(apic, APIC_ICR, APIC_DEST_LOGICAL | 0x50, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), 0x50);
	shadowvmm_lapic_write(apic, APIC_ICR, APIC_DEST_ALLINC | 0x60, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), 0x60);
	shadowvmm_lapic_write(apic, APIC_ICR, APIC_DEST_SELF | APIC_DM_NMI, 0);
	KUNIT_EXPECT_TRUE(test, apic->nmi_pending);
	KUNIT_EXPECT_TRUE(test, shadowvmm_lapic_has_event(apic));
}

/* Illegal vectors go nowhere and show in the ESR once it is written. */
static void illegal_vector(struct kunit *test)
{
	struct shadowvmm_lapic *apic = test->priv;

	enable(apic);
	self_ipi(apic, 0x0f);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), -1);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_ESR, 0), 0U);
	shadowvmm_lapic_write(apic, APIC_ESR, 0, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_ESR, 0),
			(u32)(APIC_ESR_SENDILL | APIC_ESR_RECVILL));
	shadowvmm_lapic_write(apic, APIC_ESR, 0, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_ESR, 0), 0U);
}

/* Software-disabled: LVTs stay masked and fixed IPIs are not taken. */
static void software_disabled(struct kunit *test)
{
	struct shadowvmm_lapic *apic = test->priv;

	shadowvmm_lapic_write(apic, APIC_LVTT, 0x40, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_LVTT, 0),
			(u32)APIC_LVT_MASKED | 0x40);
	self_ipi(apic, 0x40);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), -1);
	enable(apic);
	shadowvmm_lapic_write(apic, APIC_LVTT, 0x40, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_LVTT, 0), 0x40U);
	shadowvmm_lapic_write(apic, APIC_SPIV, 0xff, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_LVTT, 0),
			(u32)APIC_LVT_MASKED | 0x40);
}

/* The current count: 1 GHz divided by 1, 2, ... 128. */
static void one_shot_count(struct kunit *test)
{
	static const struct { u32 tdcr, shift; } dividers[] = {
		{ APIC_TDR_DIV_1, 0 }, { APIC_TDR_DIV_2, 1 },
		{ APIC_TDR_DIV_4, 2 }, { APIC_TDR_DIV_16, 4 },
		{ APIC_TDR_DIV_128, 7 },
	};
	struct shadowvmm_lapic *apic = test->priv;
	u64 far = far_future();
	unsigned int i;

	enable(apic);
	shadowvmm_lapic_write(apic, APIC_LVTT, 0x40, 0);
	for (i = 0; i < ARRAY_SIZE(dividers); i++) {
		u32 shift = dividers[i].shift;

		shadowvmm_lapic_write(apic, APIC_TDCR, dividers[i].tdcr, 0);
		shadowvmm_lapic_write(apic, APIC_TMICT, 1000000, far);
		KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_TMCCT, far),
				1000000U);
		KUNIT_EXPECT_EQ(test,
				shadowvmm_lapic_read(apic, APIC_TMCCT,
						     far + (250000ULL << shift)),
				750000U);
		KUNIT_EXPECT_EQ(test,
				shadowvmm_lapic_read(apic, APIC_TMCCT,
						     far + (1000000ULL << shift)),
				0U);
		KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_TMICT, 0),
				1000000U);
	}
	/* Writing 0 stops the count. */
	shadowvmm_lapic_write(apic, APIC_TMICT, 0, far);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_TMCCT, far), 0U);
	KUNIT_EXPECT_FALSE(test, hrtimer_active(&apic->timer));
}

static void periodic_count(struct kunit *test)
{
	struct shadowvmm_lapic *apic = test->priv;
	u64 far = far_future();

	enable(apic);
	shadowvmm_lapic_write(apic, APIC_LVTT, APIC_LVT_TIMER_PERIODIC | 0x40,
			      0);
	shadowvmm_lapic_write(apic, APIC_TDCR, APIC_TDR_DIV_2, 0);
	shadowvmm_lapic_write(apic, APIC_TMICT, 1000000, far);
	/* Period 2 ms: 2.5 periods in, half a count is left. */
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_TMCCT,
						   far + 5000000), 500000U);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_TMCCT,
						   far + 4000000), 1000000U);
	/* A switch to one-shot stops the count. */
	shadowvmm_lapic_write(apic, APIC_LVTT, 0x40, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_TMICT, 0), 0U);
	KUNIT_EXPECT_FALSE(test, hrtimer_active(&apic->timer));
}

/* A short count really expires: one interrupt, one kick, count at 0. */
static void timer_fires(struct kunit *test)
{
	struct shadowvmm_lapic *apic = test->priv;
	int i;

	enable(apic);
	shadowvmm_lapic_write(apic, APIC_LVTT, 0x40, 0);
	shadowvmm_lapic_write(apic, APIC_TMICT, 100000, ktime_get_ns());
	for (i = 0; i < 1000 && !atomic_read(&kicks); i++)
		usleep_range(1000, 2000);
	KUNIT_ASSERT_EQ(test, atomic_read(&kicks), 1);
	/* Nothing in IRR until the vCPU syncs the timer. */
	KUNIT_EXPECT_FALSE(test, shadowvmm_lapic_has_event(apic));
	shadowvmm_lapic_sync_timer(apic);
	KUNIT_EXPECT_TRUE(test, shadowvmm_lapic_has_event(apic));
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), 0x40);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_TMCCT,
						   ktime_get_ns()), 0U);
	usleep_range(5000, 6000);
	KUNIT_EXPECT_EQ(test, atomic_read(&kicks), 1);
}

/* A masked timer's expiry is lost, not held, and wakes nobody. */
static void masked_expiry_is_lost(struct kunit *test)
{
	struct shadowvmm_lapic *apic = test->priv;
	int i;

	enable(apic);
	shadowvmm_lapic_write(apic, APIC_LVTT, APIC_LVT_MASKED | 0x40, 0);
	shadowvmm_lapic_write(apic, APIC_TMICT, 100000, ktime_get_ns());
	for (i = 0; i < 1000 && hrtimer_active(&apic->timer); i++)
		usleep_range(1000, 2000);
	KUNIT_ASSERT_FALSE(test, hrtimer_active(&apic->timer));
	KUNIT_EXPECT_EQ(test, atomic_read(&kicks), 0);
	shadowvmm_lapic_sync_timer(apic);
	KUNIT_EXPECT_FALSE(test, shadowvmm_lapic_has_event(apic));
	shadowvmm_lapic_write(apic, APIC_LVTT, 0x40, 0);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), -1);
}

static void tsc_deadline(struct kunit *test)
{
	struct shadowvmm_lapic *apic = test->priv;
	u64 now = ktime_get_ns();
	int i;

	enable(apic);
	/* Outside deadline mode the MSR reads 0 and ignores writes. */
	shadowvmm_lapic_set_tsc_deadline(apic, 5000, 0, now);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_tsc_deadline(apic), 0ULL);
	shadowvmm_lapic_write(apic, APIC_LVTT, APIC_LVT_TIMER_TSCDEADLINE | 0x40,
			      0);
	/* 2 GHz: 2e12 cycles ahead is 1000 s. */
	shadowvmm_lapic_set_tsc_deadline(apic, 2000000000000ULL + 77, 77, now);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_tsc_deadline(apic),
			2000000000000ULL + 77);
	KUNIT_EXPECT_EQ(test, ktime_to_ns(hrtimer_get_expires(&apic->timer)),
			(s64)(now + 1000ULL * NSEC_PER_SEC));
	/* ~0 means never: past what a ktime_t holds, not wrapped to now. */
	shadowvmm_lapic_set_tsc_deadline(apic, ~0ULL, 77, now);
	KUNIT_EXPECT_EQ(test, hrtimer_get_expires(&apic->timer), KTIME_MAX);
	/* The count registers do nothing in this mode. */
	shadowvmm_lapic_write(apic, APIC_TMICT, 5, now);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_read(apic, APIC_TMICT, now), 0U);
	/* 0 disarms; a deadline passed fires at once and then reads 0. */
	shadowvmm_lapic_set_tsc_deadline(apic, 0, 77, now);
	KUNIT_EXPECT_FALSE(test, hrtimer_active(&apic->timer));
	shadowvmm_lapic_set_tsc_deadline(apic, 10, 77, ktime_get_ns());
	for (i = 0; i < 1000 && !atomic_read(&kicks); i++)
		usleep_range(1000, 2000);
	KUNIT_ASSERT_EQ(test, atomic_read(&kicks), 1);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_tsc_deadline(apic), 0ULL);
	shadowvmm_lapic_sync_timer(apic);
	KUNIT_EXPECT_EQ(test, shadowvmm_lapic_pending_vector(apic), 0x40);
}

static struct kunit_case lapic_cases[] = {
	KUNIT_CASE(reset_values),
	KUNIT_CASE(writable_bits),
	KUNIT_CASE(accept_and_eoi),
	KUNIT_CASE(task_priority),
	KUNIT_CASE(ipi_destinations),
	KUNIT_CASE(illegal_vector),
	KUNIT_CASE(software_disabled),
	KUNIT_CASE(one_shot_count),
	KUNIT_CASE(periodic_count),
	KUNIT_CASE(timer_fires),
	KUNIT_CASE(masked_expiry_is_lost),
	KUNIT_CASE(tsc_deadline),
	{}
};

static struct kunit_suite lapic_suite = {
	.name = "shadowvmm_lapic",
	.init = lapic_init,
	.exit = lapic_exit,
	.test_cases = lapic_cases,
};

kunit_test_suite(lapic_suite);
