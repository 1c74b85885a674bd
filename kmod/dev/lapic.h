/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's local APIC (xAPIC mode): registers, interrupt priority and
 * the timer. Pure but for the timer's hrtimer: the vCPU thread owns every
 * register; the hrtimer only notes an unmasked expiry's vector in
 * @timer_irq and calls @kick (to wake a halted vCPU), and the vCPU folds
 * it into IRR before it next enters the guest.
 */
#ifndef SHADOWVMM_DEV_LAPIC_H
#define SHADOWVMM_DEV_LAPIC_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/types.h>
#include <asm/apicdef.h>

#define SHADOWVMM_LAPIC_BASE		0xfee00000ULL
/* IA32_APIC_BASE of the boot CPU: the base, enabled (bit 11), BSP (8). */
#define SHADOWVMM_LAPIC_BASE_MSR	(SHADOWVMM_LAPIC_BASE | BIT(11) | BIT(8))
#define SHADOWVMM_LAPIC_VERSION		0x14	/* integrated, as KVM's */
/* The timer counts a 1 GHz bus clock, as KVM's and QEMU's do. */
#define SHADOWVMM_LAPIC_BUS_HZ		1000000000U

/* The local vector table, in register order from 0x320. */
enum shadowvmm_lapic_lvt {
	SHADOWVMM_LAPIC_LVT_TIMER,
	SHADOWVMM_LAPIC_LVT_THERMAL,
	SHADOWVMM_LAPIC_LVT_PERF,
	SHADOWVMM_LAPIC_LVT_LINT0,
	SHADOWVMM_LAPIC_LVT_LINT1,
	SHADOWVMM_LAPIC_LVT_ERROR,
	SHADOWVMM_LAPIC_NR_LVT
};

struct shadowvmm_lapic {
	/* The registers, up to nmi_pending: RESET clears them but a few. */
	u32 tpr, spiv, ldr, dfr, esr, esr_pending, icr_low, icr_high;
	u32 lvt[SHADOWVMM_LAPIC_NR_LVT];
	u32 divide_config, initial_count;
	/* 256-bit vectors, as the APIC's eight 32-bit registers each. */
	u32 isr[APIC_ISR_NR], irr[APIC_ISR_NR];
	/*
	 * IRR may hold a vector: set with one, cleared when the CPU takes
	 * the last. Every entry asks for the pending vector, mostly of an
	 * empty IRR: this saves scanning it.
	 */
	bool irr_pending;
	bool nmi_pending;

	/* The timer: when the count was loaded and what one period lasts. */
	struct hrtimer timer;
	u32 timer_mode;		/* APIC_LVT_TIMER_*, changed with it stopped */
	u64 count_start_ns;
	u64 period_ns;
	u64 tsc_deadline;	/* 0: not armed */
	u32 tsc_khz;
	atomic_t timer_irq;	/* an expiry's vector, not yet in IRR */
	void (*kick)(struct shadowvmm_lapic *apic);	/* in IRQ context */
};

void shadowvmm_lapic_init(struct shadowvmm_lapic *apic, u32 tsc_khz,
			  void (*kick)(struct shadowvmm_lapic *apic));
void shadowvmm_lapic_reset(struct shadowvmm_lapic *apic);
void shadowvmm_lapic_stop_timer(struct shadowvmm_lapic *apic);
void shadowvmm_lapic_follow_cpu(struct shadowvmm_lapic *apic);
u32 shadowvmm_lapic_read(struct shadowvmm_lapic *apic, u32 offset, u64 now);
void shadowvmm_lapic_write(struct shadowvmm_lapic *apic, u32 offset, u32 val,
			   u64 now);
u64 shadowvmm_lapic_tsc_deadline(const struct shadowvmm_lapic *apic);
void shadowvmm_lapic_set_tsc_deadline(struct shadowvmm_lapic *apic,
				      u64 deadline, u64 tsc, u64 now);
void shadowvmm_lapic_set_tpr(struct shadowvmm_lapic *apic, u32 tpr);
void shadowvmm_lapic_sync_timer(struct shadowvmm_lapic *apic);
int shadowvmm_lapic_pending_vector(const struct shadowvmm_lapic *apic);
void shadowvmm_lapic_accept(struct shadowvmm_lapic *apic, u8 vector);
bool shadowvmm_lapic_set_irq(struct shadowvmm_lapic *apic, u8 vector);
bool shadowvmm_lapic_match_dest(const struct shadowvmm_lapic *apic,
				bool logical, u8 dest);
bool shadowvmm_lapic_has_event(const struct shadowvmm_lapic *apic);

#endif
