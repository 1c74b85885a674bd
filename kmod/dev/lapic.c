// SPDX-License-Identifier: GPL-2.0
/*
 * A local APIC in xAPIC mode, as the Intel SDM (volume 3, chapter 11)
 * describes one for a single CPU: interrupts come from the timer and from
 * IPIs the CPU sends itself; IPIs to other APIC IDs, INIT and SIPI are
 * accepted and go nowhere, as on a machine with one CPU.
 *
 * The timer runs on an hrtimer against CLOCK_MONOTONIC, counting a 1 GHz
 * bus clock divided as the divide configuration says, queued on the CPU
 * the vCPU runs on. Its callback, in interrupt context, touches nothing
 * but @timer_irq, @tsc_deadline and the kick; the fields it reads
 * (@timer_mode, @period_ns) change only while it is cancelled, but for
 * the timer's LVT entry, which it reads once.
 */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <asm/apicdef.h>
#include "dev/lapic.h"

#define LAPIC_LVR		(SHADOWVMM_LAPIC_VERSION | (SHADOWVMM_LAPIC_NR_LVT - 1) << 16)
/* Delivery status and remote IRR are the APIC's own: never written. */
#define LVT_BASIC		(APIC_VECTOR_MASK | APIC_LVT_MASKED)
#define LVT_TIMER_MODE		(3 << 17)	/* APIC_LVT_TIMER_* */
#define LVT_LINT		(LVT_BASIC | APIC_MODE_MASK | \
				 APIC_INPUT_POLARITY | APIC_LVT_LEVEL_TRIGGER)
#define SPIV_WRITABLE		0x3ff	/* vector, enable, focus checking */
#define ICR_LOW_WRITABLE	0xccfff /* all but delivery and remote read status */
#define ICR_SHORTHAND		(3 << 18)
#define TIMER_IRQ_PENDING	BIT(8)	/* in timer_irq, beside the vector */
#define TDCR_WRITABLE		0xb	/* the divide value: bits 3, 1 and 0 */
/* A guest cannot make the host take timer interrupts faster than this. */
#define LAPIC_MIN_PERIOD_NS	200000

static const u32 lvt_writable[SHADOWVMM_LAPIC_NR_LVT] = {
	[SHADOWVMM_LAPIC_LVT_TIMER] = LVT_BASIC | LVT_TIMER_MODE,
	[SHADOWVMM_LAPIC_LVT_THERMAL] = LVT_BASIC | APIC_MODE_MASK,
	[SHADOWVMM_LAPIC_LVT_PERF] = LVT_BASIC | APIC_MODE_MASK,
	[SHADOWVMM_LAPIC_LVT_LINT0] = LVT_LINT,
	[SHADOWVMM_LAPIC_LVT_LINT1] = LVT_LINT,
	[SHADOWVMM_LAPIC_LVT_ERROR] = LVT_BASIC,
};

static bool sw_enabled(const struct shadowvmm_lapic *apic)
{
	return apic->spiv & APIC_SPIV_APIC_ENABLED;
}

static u32 timer_mode_of(u32 lvt)
{
	return lvt & LVT_TIMER_MODE;
}

/* The highest vector set in a 256-bit register, or -1. */
static int highest_vector(const u32 *reg)
{
	int i;

	for (i = APIC_ISR_NR - 1; i >= 0; i--)
		if (reg[i])
			return i * 32 + __fls(reg[i]);
	return -1;
}

static u32 ppr(const struct shadowvmm_lapic *apic)
{
	int isrv = highest_vector(apic->isr);
	u32 isr_class = isrv < 0 ? 0 : isrv & 0xf0;

	return (apic->tpr & 0xf0) >= isr_class ? apic->tpr : isr_class;
}

/* Vectors 0-15 are illegal for fixed interrupts: the ESR says so. */
static void set_irr(struct shadowvmm_lapic *apic, u8 vector)
{
	if (vector < 16) {
		apic->esr_pending |= APIC_ESR_RECVILL;
		return;
	}
	apic->irr[vector / 32] |= BIT(vector % 32);
	apic->irr_pending = true;
}

/**
 * shadowvmm_lapic_set_irq() - a fixed interrupt from outside (the I/O APIC)
 * @apic: the local APIC
 * @vector: its vector
 *
 * Return: true when it is now pending in IRR; a software-disabled APIC
 * takes none, and vectors 0-15 are illegal (the ESR says so).
 */
bool shadowvmm_lapic_set_irq(struct shadowvmm_lapic *apic, u8 vector)
{
	if (!sw_enabled(apic))
		return false;
	set_irr(apic, vector);
	return vector >= 16;
}

static void deliver_to_self(struct shadowvmm_lapic *apic, u32 icr)
{
	switch (icr & APIC_MODE_MASK) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		if ((icr & APIC_VECTOR_MASK) < 16)
			apic->esr_pending |= APIC_ESR_SENDILL;
		/* A software-disabled APIC takes no fixed interrupt. */
		if (sw_enabled(apic))
			set_irr(apic, icr & APIC_VECTOR_MASK);
		break;
	case APIC_DM_NMI:
		apic->nmi_pending = true;
		break;
	default:
		/* SMI, INIT, SIPI and ExtINT: nothing here takes them. */
		break;
	}
}

/**
 * shadowvmm_lapic_match_dest() - whether a destination names this APIC
 * @apic: the APIC, ID 0
 * @logical: the destination mode is logical
 * @dest: the destination field, of an IPI or an I/O APIC message
 *
 * Return: true for ID 0, a logical match, or FFh, a broadcast in either
 * mode (as KVM has it).
 */
bool shadowvmm_lapic_match_dest(const struct shadowvmm_lapic *apic,
				bool logical, u8 dest)
{
	u8 logical_id = GET_APIC_LOGICAL_ID(apic->ldr);

	if (dest == APIC_ALL_CPUS)
		return true;
	if (!logical)
		return dest == 0;
	if (apic->dfr == APIC_DFR_FLAT)
		return dest & logical_id;
	/* Cluster model: the high nibble selects the cluster. */
	return (dest >> 4) == (logical_id >> 4) && (dest & logical_id & 0xf);
}

static void send_ipi(struct shadowvmm_lapic *apic)
{
	u32 icr = apic->icr_low;
	u8 dest = GET_XAPIC_DEST_FIELD(apic->icr_high);

	switch (icr & ICR_SHORTHAND) {
	case APIC_DEST_SELF:
	case APIC_DEST_ALLINC:
		deliver_to_self(apic, icr);
		break;
	case APIC_DEST_ALLBUT:
		break;		/* there is no other CPU */
	default:
		if (shadowvmm_lapic_match_dest(apic, icr & APIC_DEST_LOGICAL,
					       dest))
			deliver_to_self(apic, icr);
		break;
	}
}

static void eoi(struct shadowvmm_lapic *apic)
{
	int vector = highest_vector(apic->isr);

	if (vector >= 0)
		apic->isr[vector / 32] &= ~BIT(vector % 32);
}

/* The divide configuration's bits 3, 1 and 0 as a power of two. */
static unsigned int divide_shift(u32 tdcr)
{
	return (((tdcr & 3) | ((tdcr & 8) >> 1)) + 1) & 7;
}

static enum hrtimer_restart timer_expired(struct hrtimer *timer)
{
	struct shadowvmm_lapic *apic = container_of(timer, struct shadowvmm_lapic,
						    timer);
	u32 lvtt = READ_ONCE(apic->lvt[SHADOWVMM_LAPIC_LVT_TIMER]);
	u32 mode = READ_ONCE(apic->timer_mode);

	if (mode == APIC_LVT_TIMER_TSCDEADLINE)
		WRITE_ONCE(apic->tsc_deadline, 0);	/* it reads 0 once fired */
	/* The LVT entry as it is now decides: a masked expiry is lost. */
	if (!(lvtt & APIC_LVT_MASKED)) {
		atomic_set(&apic->timer_irq,
			   TIMER_IRQ_PENDING | (lvtt & APIC_VECTOR_MASK));
		apic->kick(apic);
	}
	if (mode != APIC_LVT_TIMER_PERIODIC)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(apic->period_ns));
	return HRTIMER_RESTART;
}

/**
 * shadowvmm_lapic_stop_timer() - cancel the timer, waiting for its callback
 * @apic: the APIC
 *
 * Context: may spin until a callback running on another CPU returns.
 */
void shadowvmm_lapic_stop_timer(struct shadowvmm_lapic *apic)
{
	hrtimer_cancel(&apic->timer);
	apic->period_ns = 0;
}

/*
 * On this CPU: the one the vCPU runs on, whose guest it must interrupt.
 * Not in hard-interrupt context on PREEMPT_RT, where the callback's
 * wake-up may not run there. A time past KTIME_MAX is never.
 */
static void arm(struct shadowvmm_lapic *apic, u64 now, u64 ns)
{
	hrtimer_start(&apic->timer, ktime_add_safe(ns_to_ktime(now),
						   ns_to_ktime(ns)),
		      HRTIMER_MODE_ABS_PINNED);
}

/**
 * shadowvmm_lapic_follow_cpu() - move an armed timer to this CPU
 * @apic: the APIC, whose vCPU now runs here
 *
 * Context: preemption off; may wait for the callback on the old CPU.
 */
void shadowvmm_lapic_follow_cpu(struct shadowvmm_lapic *apic)
{
	if (hrtimer_cancel(&apic->timer))
		hrtimer_start_expires(&apic->timer, HRTIMER_MODE_ABS_PINNED);
}

static void load_count(struct shadowvmm_lapic *apic, u32 count, u64 now)
{
	shadowvmm_lapic_stop_timer(apic);
	apic->initial_count = count;
	if (!count)
		return;
	apic->count_start_ns = now;
	apic->period_ns = (u64)count << divide_shift(apic->divide_config);
	if (apic->timer_mode == APIC_LVT_TIMER_PERIODIC)
		apic->period_ns = max_t(u64, apic->period_ns,
					LAPIC_MIN_PERIOD_NS);
	arm(apic, now, apic->period_ns);
}

static u32 current_count(const struct shadowvmm_lapic *apic, u64 now)
{
	u64 elapsed;

	if (!apic->period_ns || apic->timer_mode == APIC_LVT_TIMER_TSCDEADLINE)
		return 0;
	elapsed = now - apic->count_start_ns;
	if (apic->timer_mode == APIC_LVT_TIMER_PERIODIC)
		div64_u64_rem(elapsed, apic->period_ns, &elapsed);
	else if (elapsed >= apic->period_ns)
		return 0;
	elapsed >>= divide_shift(apic->divide_config);
	return apic->initial_count - min_t(u64, elapsed, apic->initial_count);
}

/*
 * Switching the timer's mode stops it: the count and a TSC deadline
 * belong to the old mode. (Hardware keeps counting across a switch
 * between one-shot and periodic; OSes load a new count after it anyway.)
 */
static void write_lvt_timer(struct shadowvmm_lapic *apic, u32 val)
{
	u32 mode = timer_mode_of(val);

	/* Mode 11b is reserved: the APIC counts as in one-shot mode. */
	if (mode == LVT_TIMER_MODE)
		mode = APIC_LVT_TIMER_ONESHOT;
	if (mode != apic->timer_mode) {
		shadowvmm_lapic_stop_timer(apic);
		apic->initial_count = 0;
		apic->tsc_deadline = 0;
		WRITE_ONCE(apic->timer_mode, mode);
	}
	/* The timer's callback reads the mask bit. */
	WRITE_ONCE(apic->lvt[SHADOWVMM_LAPIC_LVT_TIMER], val);
}

static void write_spiv(struct shadowvmm_lapic *apic, u32 val)
{
	unsigned int i;

	apic->spiv = val & SPIV_WRITABLE;
	if (sw_enabled(apic))
		return;
	/* Software-disabled: every LVT entry masked, expiries dropped. */
	for (i = 0; i < SHADOWVMM_LAPIC_NR_LVT; i++)
		WRITE_ONCE(apic->lvt[i], apic->lvt[i] | APIC_LVT_MASKED);
	atomic_set(&apic->timer_irq, 0);
}

/**
 * shadowvmm_lapic_read() - read an APIC register
 * @apic: the APIC
 * @offset: the register's offset in the APIC page, 16-byte aligned
 * @now: CLOCK_MONOTONIC in ns, for the timer's current count
 *
 * Return: the register; 0 for write-only and reserved ones.
 */
u32 shadowvmm_lapic_read(struct shadowvmm_lapic *apic, u32 offset, u64 now)
{
	switch (offset) {
	case APIC_ID:
		return 0;
	case APIC_LVR:
		return LAPIC_LVR;
	case APIC_TASKPRI:
		return apic->tpr;
	case APIC_PROCPRI:
		return ppr(apic);
	case APIC_LDR:
		return apic->ldr;
	case APIC_DFR:
		return apic->dfr;
	case APIC_SPIV:
		return apic->spiv;
	case APIC_ISR ... APIC_ISR + 0x70:
		return apic->isr[(offset - APIC_ISR) / 16];
	case APIC_IRR ... APIC_IRR + 0x70:
		shadowvmm_lapic_sync_timer(apic);
		return apic->irr[(offset - APIC_IRR) / 16];
	case APIC_ESR:
		return apic->esr;
	case APIC_ICR:
		return apic->icr_low;	/* delivery is instant: never busy */
	case APIC_ICR2:
		return apic->icr_high;
	case APIC_LVTT ... APIC_LVTERR:
		return apic->lvt[(offset - APIC_LVTT) / 16];
	case APIC_TMICT:
		return apic->timer_mode == APIC_LVT_TIMER_TSCDEADLINE ?
		       0 : apic->initial_count;
	case APIC_TMCCT:
		return current_count(apic, now);
	case APIC_TDCR:
		return apic->divide_config;
	}
	/* APR, RRD, TMR (nothing is level-triggered), EOI and the rest. */
	return 0;
}

/**
 * shadowvmm_lapic_write() - write an APIC register
 * @apic: the APIC
 * @offset: the register's offset in the APIC page, 16-byte aligned
 * @val: the value; bits the register does not have are dropped
 * @now: CLOCK_MONOTONIC in ns, for the timer
 *
 * Context: may cancel the hrtimer (shadowvmm_lapic_stop_timer()).
 */
void shadowvmm_lapic_write(struct shadowvmm_lapic *apic, u32 offset, u32 val,
			   u64 now)
{
	unsigned int lvt;

	switch (offset) {
	case APIC_TASKPRI:
		shadowvmm_lapic_set_tpr(apic, val);
		break;
	case APIC_EOI:
		eoi(apic);
		break;
	case APIC_LDR:
		apic->ldr = val & APIC_LDR_MASK;
		break;
	case APIC_DFR:
		apic->dfr = val | APIC_DFR_CLUSTER;	/* bits 27:0 read 1 */
		break;
	case APIC_SPIV:
		write_spiv(apic, val);
		break;
	case APIC_ESR:
		/* A write latches the errors seen since the last one. */
		apic->esr = apic->esr_pending;
		apic->esr_pending = 0;
		break;
	case APIC_ICR:
		apic->icr_low = val & ICR_LOW_WRITABLE;
		send_ipi(apic);
		break;
	case APIC_ICR2:
		apic->icr_high = val & SET_XAPIC_DEST_FIELD(0xff);
		break;
	case APIC_LVTT ... APIC_LVTERR:
		lvt = (offset - APIC_LVTT) / 16;
		val &= lvt_writable[lvt];
		if (!sw_enabled(apic))
			val |= APIC_LVT_MASKED;
		if (lvt == SHADOWVMM_LAPIC_LVT_TIMER)
			write_lvt_timer(apic, val);
		else
			apic->lvt[lvt] = val;
		break;
	case APIC_TMICT:
		if (apic->timer_mode != APIC_LVT_TIMER_TSCDEADLINE)
			load_count(apic, val, now);
		break;
	case APIC_TDCR:
		/* Takes effect with the next count loaded. */
		apic->divide_config = val & TDCR_WRITABLE;
		break;
	}
}

/**
 * shadowvmm_lapic_tsc_deadline() - what RDMSR IA32_TSC_DEADLINE returns
 * @apic: the APIC
 *
 * Return: the armed deadline; 0 once it fired or outside deadline mode.
 */
u64 shadowvmm_lapic_tsc_deadline(const struct shadowvmm_lapic *apic)
{
	if (apic->timer_mode != APIC_LVT_TIMER_TSCDEADLINE)
		return 0;
	return READ_ONCE(apic->tsc_deadline);
}

/**
 * shadowvmm_lapic_set_tsc_deadline() - WRMSR IA32_TSC_DEADLINE
 * @apic: the APIC
 * @deadline: the guest TSC value to fire at; 0 disarms
 * @tsc: the guest TSC now
 * @now: CLOCK_MONOTONIC in ns now
 *
 * Ignored outside TSC-deadline mode, as the SDM says. A deadline already
 * passed fires at once.
 */
void shadowvmm_lapic_set_tsc_deadline(struct shadowvmm_lapic *apic,
				      u64 deadline, u64 tsc, u64 now)
{
	u64 ns = 0;

	if (apic->timer_mode != APIC_LVT_TIMER_TSCDEADLINE)
		return;
	shadowvmm_lapic_stop_timer(apic);
	apic->tsc_deadline = deadline;
	if (!deadline)
		return;
	/* A deadline too far to count in ns (~0 for "never") is never. */
	if (deadline > tsc)
		ns = (deadline - tsc) / apic->tsc_khz > KTIME_MAX / USEC_PER_SEC ?
		     KTIME_MAX :
		     mul_u64_u32_div(deadline - tsc, USEC_PER_SEC, apic->tsc_khz);
	arm(apic, now, ns);
}

/**
 * shadowvmm_lapic_set_tpr() - MOV to CR8: the TPR's priority class
 * @apic: the APIC
 * @tpr: the new TPR, bits 7:0
 */
void shadowvmm_lapic_set_tpr(struct shadowvmm_lapic *apic, u32 tpr)
{
	apic->tpr = tpr & APIC_TPRI_MASK;
}

/**
 * shadowvmm_lapic_sync_timer() - turn the timer's expiries into IRR
 * @apic: the APIC
 *
 * Several expiries not yet served are one interrupt, as a vector is one
 * bit in IRR.
 */
void shadowvmm_lapic_sync_timer(struct shadowvmm_lapic *apic)
{
	int irq;

	/* Every entry comes here: no locked exchange when nothing fired. */
	if (!atomic_read(&apic->timer_irq))
		return;
	irq = atomic_xchg(&apic->timer_irq, 0);
	if (irq)
		set_irr(apic, irq & APIC_VECTOR_MASK);
}

/**
 * shadowvmm_lapic_pending_vector() - the interrupt the CPU would take next
 * @apic: the APIC, its timer synced
 *
 * Return: the highest vector in IRR whose priority class is above the
 * processor priority, or -1.
 */
int shadowvmm_lapic_pending_vector(const struct shadowvmm_lapic *apic)
{
	int irrv;

	if (!apic->irr_pending)
		return -1;
	irrv = highest_vector(apic->irr);
	if (irrv < 0 || (irrv & 0xf0) <= (ppr(apic) & 0xf0))
		return -1;
	return irrv;
}

/**
 * shadowvmm_lapic_accept() - the CPU took @vector: IRR to ISR
 * @apic: the APIC
 * @vector: what shadowvmm_lapic_pending_vector() returned
 */
void shadowvmm_lapic_accept(struct shadowvmm_lapic *apic, u8 vector)
{
	apic->irr[vector / 32] &= ~BIT(vector % 32);
	apic->isr[vector / 32] |= BIT(vector % 32);
	apic->irr_pending = highest_vector(apic->irr) >= 0;
}

/**
 * shadowvmm_lapic_has_event() - whether a halted CPU would wake
 * @apic: the APIC, its timer synced
 *
 * Return: true if an interrupt can be taken or an NMI is pending.
 */
bool shadowvmm_lapic_has_event(const struct shadowvmm_lapic *apic)
{
	return apic->nmi_pending || shadowvmm_lapic_pending_vector(apic) >= 0;
}

/**
 * shadowvmm_lapic_reset() - the APIC's state after RESET
 * @apic: the APIC, initialised
 *
 * Context: cancels the timer.
 */
void shadowvmm_lapic_reset(struct shadowvmm_lapic *apic)
{
	unsigned int i;

	shadowvmm_lapic_stop_timer(apic);
	memset(apic, 0, offsetofend(struct shadowvmm_lapic, nmi_pending));
	apic->spiv = APIC_VECTOR_MASK;		/* software-disabled */
	apic->dfr = APIC_DFR_FLAT;
	for (i = 0; i < SHADOWVMM_LAPIC_NR_LVT; i++)
		apic->lvt[i] = APIC_LVT_MASKED;
	apic->timer_mode = APIC_LVT_TIMER_ONESHOT;
	apic->tsc_deadline = 0;
	atomic_set(&apic->timer_irq, 0);
}

/**
 * shadowvmm_lapic_init() - set up an APIC, in its RESET state
 * @apic: the APIC
 * @tsc_khz: the guest TSC's rate, for TSC-deadline mode
 * @kick: called from the timer's hard-interrupt context after an expiry:
 *	  wakes the vCPU or makes it leave the guest
 */
void shadowvmm_lapic_init(struct shadowvmm_lapic *apic, u32 tsc_khz,
			  void (*kick)(struct shadowvmm_lapic *apic))
{
	hrtimer_init(&apic->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	apic->timer.function = timer_expired;
	apic->tsc_khz = tsc_khz ?: 1;
	apic->kick = kick;
	shadowvmm_lapic_reset(apic);
}
