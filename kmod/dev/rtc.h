/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_DEV_RTC_H
#define SHADOWVMM_DEV_RTC_H

#include <linux/types.h>

#define SHADOWVMM_RTC_INDEX	0x70	/* bit 7 masks NMIs on a PC */
#define SHADOWVMM_RTC_DATA	0x71
#define SHADOWVMM_RTC_REGS	128

/*
 * The PC's real-time clock and CMOS RAM, a Motorola MC146818 at ports
 * 0x70 (register select) and 0x71 (data), as every PC has one. The time
 * of day is the host's UTC plus what the guest set it to, in BCD or
 * binary, 24- or 12-hour as register B says; register A shows an update
 * in progress in the last 244 us of each second, as the chip does, so
 * that a reader that waits for UIP to clear, as Linux does, reads
 * a consistent time; register D says the battery is good; the other
 * 114 bytes are RAM. The clock raises no interrupts: periodic, alarm and
 * update-ended flags never set, and register C reads 0.
 *
 * A PC without one reads 0xff from both ports: an update that never
 * ends, which costs Linux a second at boot and another when its driver
 * probes.
 */
struct shadowvmm_rtc {
	u8 index;			/* the register selected */
	/*
	 * Registers A and B, the alarm and the RAM; the time registers
	 * only while register B's SET bit stops the clock.
	 */
	u8 ram[SHADOWVMM_RTC_REGS];
	s64 offset;			/* seconds from the host's UTC */
};

void shadowvmm_rtc_reset(struct shadowvmm_rtc *rtc);
void shadowvmm_rtc_select(struct shadowvmm_rtc *rtc, u8 value);
/* @now: the host's real time, in ns since the epoch (ktime_get_real_ns) */
u8 shadowvmm_rtc_read(struct shadowvmm_rtc *rtc, u64 now);
void shadowvmm_rtc_write(struct shadowvmm_rtc *rtc, u8 value, u64 now);

#endif
