// SPDX-License-Identifier: GPL-2.0
/*
 * The MC146818 real-time clock (rtc.h). The time is worked out from the
 * host's clock at each read, never counted by a timer of ours.
 */
#include <linux/bcd.h>
#include <linux/math64.h>
#include <linux/mc146818rtc.h>
#include <linux/time.h>
#include "dev/rtc.h"

/* The century, in the RAM where IBM put it and ACPI's FADT points. */
#define RTC_CENTURY		0x32

#define A_RESET			(RTC_REF_CLCK_32KHZ | 6)	/* rate 1024 Hz */
#define B_RESET			RTC_24H	/* BCD, 24-hour: what PC firmware sets */
#define HOUR_PM			0x80
/* The update cycle starts this long before each second ends. */
#define UIP_NS			(244 * NSEC_PER_USEC)

static const u8 time_regs[] = {
	RTC_SECONDS, RTC_MINUTES, RTC_HOURS, RTC_DAY_OF_WEEK,
	RTC_DAY_OF_MONTH, RTC_MONTH, RTC_YEAR, RTC_CENTURY,
};

void shadowvmm_rtc_reset(struct shadowvmm_rtc *rtc)
{
	*rtc = (struct shadowvmm_rtc){};
	rtc->ram[RTC_REG_A] = A_RESET;
	rtc->ram[RTC_REG_B] = B_RESET;
}

void shadowvmm_rtc_select(struct shadowvmm_rtc *rtc, u8 value)
{
	rtc->index = value % SHADOWVMM_RTC_REGS;
}

static bool time_reg(u8 reg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(time_regs); i++)
		if (time_regs[i] == reg)
			return true;
	return false;
}

static bool stopped(const struct shadowvmm_rtc *rtc)
{
	return rtc->ram[RTC_REG_B] & RTC_SET;
}

static u8 encode(const struct shadowvmm_rtc *rtc, unsigned int value)
{
	return rtc->ram[RTC_REG_B] & RTC_DM_BINARY ? value : bin2bcd(value);
}

static unsigned int decode(const struct shadowvmm_rtc *rtc, u8 value)
{
	return rtc->ram[RTC_REG_B] & RTC_DM_BINARY ? value : bcd2bin(value);
}

static time64_t guest_seconds(const struct shadowvmm_rtc *rtc, u64 now)
{
	return (time64_t)div_u64(now, NSEC_PER_SEC) + rtc->offset;
}

/* Time register @reg as the running clock shows it at @now. */
static u8 clock_reg(const struct shadowvmm_rtc *rtc, u8 reg, u64 now)
{
	unsigned int hour;
	struct tm tm;

	time64_to_tm(guest_seconds(rtc, now), 0, &tm);
	switch (reg) {
	case RTC_SECONDS:
		return encode(rtc, tm.tm_sec);
	case RTC_MINUTES:
		return encode(rtc, tm.tm_min);
	case RTC_HOURS:
		if (rtc->ram[RTC_REG_B] & RTC_24H)
			return encode(rtc, tm.tm_hour);
		hour = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12;
		return encode(rtc, hour) | (tm.tm_hour >= 12 ? HOUR_PM : 0);
	case RTC_DAY_OF_WEEK:
		return encode(rtc, tm.tm_wday + 1);	/* Sunday is 1 */
	case RTC_DAY_OF_MONTH:
		return encode(rtc, tm.tm_mday);
	case RTC_MONTH:
		return encode(rtc, tm.tm_mon + 1);
	case RTC_YEAR:
		return encode(rtc, (tm.tm_year + 1900) % 100);
	}
	return encode(rtc, (tm.tm_year + 1900) / 100);	/* RTC_CENTURY */
}

/* Stop the clock: its time registers into the RAM, to be read or set. */
static void freeze(struct shadowvmm_rtc *rtc, u64 now)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(time_regs); i++)
		rtc->ram[time_regs[i]] = clock_reg(rtc, time_regs[i], now);
}

/* Start it again from the time registers in the RAM. */
static void thaw(struct shadowvmm_rtc *rtc, u64 now)
{
	u8 *r = rtc->ram;
	unsigned int hour;
	time64_t t;

	if (r[RTC_REG_B] & RTC_24H)
		hour = decode(rtc, r[RTC_HOURS]);
	else	/* 12 AM is midnight, 12 PM noon */
		hour = decode(rtc, r[RTC_HOURS] & ~HOUR_PM) % 12 +
		       (r[RTC_HOURS] & HOUR_PM ? 12 : 0);
	t = mktime64(decode(rtc, r[RTC_CENTURY]) * 100 + decode(rtc, r[RTC_YEAR]),
		     decode(rtc, r[RTC_MONTH]), decode(rtc, r[RTC_DAY_OF_MONTH]),
		     hour, decode(rtc, r[RTC_MINUTES]), decode(rtc, r[RTC_SECONDS]));
	rtc->offset = t - (time64_t)div_u64(now, NSEC_PER_SEC);
}

u8 shadowvmm_rtc_read(struct shadowvmm_rtc *rtc, u64 now)
{
	u8 reg = rtc->index;
	u32 ns;

	if (time_reg(reg))
		return stopped(rtc) ? rtc->ram[reg] : clock_reg(rtc, reg, now);
	switch (reg) {
	case RTC_REG_A:
		div_u64_rem(now, NSEC_PER_SEC, &ns);
		if (!stopped(rtc) && ns >= NSEC_PER_SEC - UIP_NS)
			return rtc->ram[reg] | RTC_UIP;
		return rtc->ram[reg];
	case RTC_REG_C:
		return 0;	/* no interrupt flags: none is ever raised */
	case RTC_REG_D:
		return RTC_VRT;
	}
	return rtc->ram[reg];
}

void shadowvmm_rtc_write(struct shadowvmm_rtc *rtc, u8 value, u64 now)
{
	u8 reg = rtc->index;
	bool was_stopped = stopped(rtc);

	if (time_reg(reg)) {
		/* A running clock is set from where it is: freeze, set, go. */
		if (!was_stopped)
			freeze(rtc, now);
		rtc->ram[reg] = value;
		if (!was_stopped)
			thaw(rtc, now);
		return;
	}
	switch (reg) {
	case RTC_REG_A:
		rtc->ram[reg] = value & ~RTC_UIP;
		return;
	case RTC_REG_B:
		rtc->ram[reg] = value;
		if (!was_stopped && stopped(rtc))
			freeze(rtc, now);
		else if (was_stopped && !stopped(rtc))
			thaw(rtc, now);
		return;
	case RTC_REG_C:
	case RTC_REG_D:
		return;		/* read-only */
	}
	rtc->ram[reg] = value;
}
