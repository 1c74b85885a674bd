// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC (xAPIC, MMIO at 0xfee00000) the way an OS uses it,
 * reached through a PAE page table that maps it PCD|PWT, supervisor,
 * writable, as Linux's fixmap does:
 *
 *   apic           IA32_APIC_BASE and CPUID; the MP table (Intel
 *                  MultiProcessor Specification 1.4) the firmware or
 *                  the VMM left for one CPU; the ID, version, SPIV,
 *                  TPR, LVT, ESR, divide, LDR and DFR registers; every
 *                  instruction form a compiler emits for a 32-bit MMIO
 *                  load or store, each read back through another;
 *                  self-IPIs with IF set and clear, their priority
 *                  against each other and against the TPR, with ISR,
 *                  IRR and PPR seen from inside and outside the handler;
 *                  self-NMIs: taken with IF clear, blocked until the
 *                  handler's IRET, using neither ISR nor IRR, and taken
 *                  inside an interrupt handler; self-NMIs and self-IPIs
 *                  whose frame push is the first access to a new stack
 *                  page (or page table); the timer one-shot, periodic,
 *                  masked and stopped
 *   apic deadline  the TSC-deadline timer (CPUID.1:ECX[24]). QEMU's TCG
 *                  has none, so there every line is "not ok" and the
 *                  status 1: only shadowvmm's e2e runs it.
 *   apic idle      the timer periodic at 100 Hz, "apic: idle", then
 *                  sti; hlt for ever, counting ticks: an idle guest must
 *                  not burn host CPU
 *
 * The timer counts at 1 GHz divided by the divide configuration in
 * QEMU, KVM and shadowvmm, but nothing printed depends on how fast: every
 * wait for an interrupt stops when it arrives (or at a timeout of at
 * least a second), and every wait for none is measured on the TSC, as
 * long as the count takes at 1 GHz whatever the TSC's rate
 * (TSC_PER_NS_MAX). Hardware's timer runs at its bus or crystal clock,
 * slower: there those waits check less, never wrongly. Counts, times and
 * addresses that vary are never printed, so any correct x86 prints the
 * same.
 *
 * Where QEMU 7.2's APIC differs from the SDM, nothing is checked:
 * loads and stores narrower than 32 bits (QEMU reads 0 and drops the
 * write; the SDM makes them model-specific, and Linux never issues them:
 * its apic_read()/apic_write() are volatile u32 accesses, which GCC never
 * narrows), LVT writes while the APIC is software-disabled (the SDM
 * keeps their mask bit set, QEMU stores what is written), and what a
 * write to the ESR latches (QEMU never clears it, so it reads 0 after
 * the write only because no check touches a register that does not
 * exist, which would set an error bit for good).
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "frame.h"
#include "irq.h"
#include "paging.h"
#include "x86.h"

#define CPUID_1_EDX_TSC		(1u << 4)
#define CPUID_1_EDX_APIC	(1u << 9)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)

#define MSR_APIC_BASE		0x1b
#define MSR_TSC_DEADLINE	0x6e0
/* The default base, BSP (bit 8) and global enable (bit 11). */
#define APIC_BASE_VALUE		0xfee00900ull

#define APIC_BASE		0xfee00000u
#define APIC_ID			0x20
#define APIC_VERSION		0x30
#define APIC_TPR		0x80
#define APIC_PPR		0xa0
#define APIC_EOI		0xb0
#define APIC_LDR		0xd0
#define APIC_DFR		0xe0
#define APIC_SPIV		0xf0
#define APIC_ISR		0x100
#define APIC_IRR		0x200
#define APIC_ESR		0x280
#define APIC_ICR_LOW		0x300
#define APIC_ICR_HIGH		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_THERMAL	0x330
#define APIC_LVT_PERF		0x340
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_LVT_ERROR		0x370
#define APIC_TIMER_INITIAL	0x380
#define APIC_TIMER_CURRENT	0x390
#define APIC_TIMER_DIVIDE	0x3e0

#define SPIV_ENABLE		(1u << 8)
#define SPIV_VALUE		(SPIV_ENABLE | VEC_SPURIOUS)
#define LVT_DM_NMI		(4u << 8)
#define LVT_DM_EXTINT		(7u << 8)
#define LVT_MASKED		(1u << 16)
#define LVT_PERIODIC		(1u << 17)
#define LVT_DEADLINE		(2u << 17)
#define ICR_DM_NMI		(4u << 8)	/* the vector field is ignored */
#define ICR_BUSY		(1u << 12)	/* delivery status */
#define ICR_SELF		(1u << 18)	/* shorthand 01 */
#define DIVIDE_1		0xb

/* Flat logical mode, logical ID bit 0: what Linux's flat driver writes. */
#define LDR_VALUE		0x01000000u
#define DFR_FLAT		0xffffffffu

/*
 * Vectors: one per check, so a late or doubled interrupt shows in the
 * check it belongs to. TPR_HIGH blocks VEC_LOW's class (4) and lets
 * VEC_HIGH's (6) through.
 */
#define VEC_IPI			0x40
#define VEC_PENDING		0x41
#define VEC_DEST		0x42
#define VEC_LOW			0x45
#define VEC_TIMER		0x50
#define VEC_HIGH		0x65
#define VEC_SPURIOUS		0xff
#define TPR_HIGH		0x50

/* The 8259s' interrupt mask registers. */
#define PIC1_DATA		0x21
#define PIC2_DATA		0xa1

/*
 * The TSC's rate is not architectural: no TSC runs more cycles than this
 * a nanosecond, so a wait of N ns counted at this rate lasts at least
 * N ns (on a 2 GHz TSC, four times as long).
 */
#define TSC_PER_NS_MAX		8ull
#define TIMEOUT_CYCLES		(1000000000ull * TSC_PER_NS_MAX) /* >= 1 s */
/*
 * Only an interrupt ends HLT, and none but the one waited for comes: more
 * wake-ups than this mean HLT did not halt.
 */
#define MAX_HALTS		1000u
/*
 * Tries at arming a timer and reading or cancelling it before it runs
 * out: QEMU's TCG now and then holds the guest for milliseconds between
 * two instructions, and an SMI can on hardware (race_free()).
 */
#define RACE_TRIES		5u

/*
 * How long a self-NMI that must wait (NMIs blocked) gets to come in
 * wrongly, and how long after one NMI a second that should not exist
 * gets to show: the IPI reaches the CPU in far less.
 */
#define NMI_HOLD_NS		1000000ull	/* 1 ms */

#define ONESHOT_COUNT		2000000u	/* 2 ms at divide-by-1 */
#define PERIODIC_COUNT		1000000u	/* 1 ms */
#define PERIODIC_TICKS		3u
#define IDLE_COUNT		10000000u	/* 100 Hz */
/* A deadline near enough to wait for, far enough to disarm in time. */
#define DEADLINE_CYCLES		4000000ull
#define FAR_DEADLINE_CYCLES	(1ull << 40)

/* The TPR's linear address, for the absolute forms (moffs, disp32). */
#define TPR_VA			(APIC_BASE + APIC_TPR)
#define TPR_ABS			"0xfee00080"
_Static_assert(APIC_BASE + APIC_TPR == 0xfee00080u, "TPR_ABS is the TPR");

static struct pgtable kernel;

/* What the interrupt handler saw: counts, order, and the last one's view. */
static volatile u32 taken[IDT_VECTORS];
static volatile u32 order[4], orders;
static volatile u32 seen_isr, seen_isr_after_eoi, seen_ppr;
/* Interrupts on a vector no check sends: none is expected, ever. */
static volatile u32 stray;

/*
 * What the NMI handler saw: how many came, how deeply nested each was
 * on entry and what it interrupted (the first few), the deepest nesting,
 * and whether it was inside 0x40's handler, with 0x40 in service.
 */
#define NMI_LOG			4
static volatile u32 nmis, nmi_depth, nmi_max_depth;
static volatile u32 nmi_entry_depth[NMI_LOG], nmi_eip[NMI_LOG];
static volatile u32 nmi_eflags[NMI_LOG], nmi_cs[NMI_LOG];
/* Where each frame was: fresh_check() wants it on its new stack page. */
static volatile u32 nmi_frame[NMI_LOG];
static volatile u32 nmis_in_ipi, nmi_saw_ipi_isr;
/* The next NMI sends another from its handler, and counts what came. */
static volatile int nmi_resend;
static volatile u32 nmis_in_first;
/* Set while 0x40's NMI-sending handler runs, cleared before its EOI. */
static volatile int in_ipi_handler;

static const u8 expected_vectors[] = {
	VEC_IPI, VEC_PENDING, VEC_DEST, VEC_LOW, VEC_TIMER, VEC_HIGH,
};

static inline u32 apic_read(u32 reg)
{
	return READ_ONCE(*(u32 *)(APIC_BASE + reg));
}

static inline void apic_write(u32 reg, u32 value)
{
	WRITE_ONCE(*(u32 *)(APIC_BASE + reg), value);
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return lo | (u64)hi << 32;
}

static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* The vector's bit in the ISR or IRR: 8 registers of 32, 16 bytes apart. */
static int vector_bit(u32 reg, u32 vector)
{
	return apic_read(reg + 0x10 * (vector / 32)) >> (vector % 32) & 1;
}

static int in_service(u32 vector)
{
	return vector_bit(APIC_ISR, vector);
}

static int requested(u32 vector)
{
	return vector_bit(APIC_IRR, vector);
}

/* Every ISR (or IRR) register reads zero. */
static int all_clear(u32 reg)
{
	u32 i, bits = 0;

	for (i = 0; i < 8; i++)
		bits |= apic_read(reg + 0x10 * i);
	return bits == 0;
}

static void on_interrupt(u32 vector, const struct irq_frame *frame)
{
	u32 i;

	taken[vector]++;
	if (orders < ARRAY_SIZE(order))
		order[orders] = vector;
	orders++;
	for (i = 0; i < ARRAY_SIZE(expected_vectors); i++)
		if (vector == expected_vectors[i])
			break;
	if (i == ARRAY_SIZE(expected_vectors))
		stray++;
	seen_isr = in_service(vector);
	seen_ppr = apic_read(APIC_PPR);
	/* A spurious-vector interrupt sets no ISR bit, so it wants no EOI. */
	if (vector == VEC_SPURIOUS)
		return;
	apic_write(APIC_EOI, 0);
	seen_isr_after_eoi = in_service(vector);
}

/* With IF clear: each check starts with nothing seen. */
static void reset_log(void)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(expected_vectors); i++)
		taken[expected_vectors[i]] = 0;
	orders = 0;
	seen_isr = seen_isr_after_eoi = seen_ppr = 0;
}

static void self_ipi(u32 vector)
{
	apic_write(APIC_ICR_HIGH, 0);
	apic_write(APIC_ICR_LOW, ICR_SELF | vector);
}

/* Shorthand self, delivery mode NMI, vector field 0. */
static void self_nmi(void)
{
	apic_write(APIC_ICR_HIGH, 0);
	apic_write(APIC_ICR_LOW, ICR_SELF | ICR_DM_NMI);
}

/* At least cycles TSC cycles, with IF as it is. */
static void delay_cycles(u64 cycles)
{
	u64 end = rdtsc() + cycles;

	while (rdtsc() < end)
		cpu_relax();
}

static void delay_ns(u64 ns)
{
	delay_cycles(ns * TSC_PER_NS_MAX);
}

/* Busy-waits, with IF as it is, until vector was taken n times. */
static int spin_until_taken(u32 vector, u32 n)
{
	u64 end = rdtsc() + TIMEOUT_CYCLES;

	while (taken[vector] < n) {
		if (rdtsc() >= end)
			return 0;
		cpu_relax();
	}
	return 1;
}

/* As above, with IF set while it waits. */
static int wait_taken(u32 vector, u32 n)
{
	int ok;

	irq_enable();
	ok = spin_until_taken(vector, n);
	irq_disable();
	return ok;
}

/* Busy-waits, with IF as it is (NMIs ignore it), for the nth NMI. */
static int spin_until_nmis(u32 n)
{
	u64 end = rdtsc() + TIMEOUT_CYCLES;

	while (nmis < n) {
		if (rdtsc() >= end)
			return 0;
		cpu_relax();
	}
	return 1;
}

/*
 * An IPI may take a moment to reach the IRR on hardware: wait for its
 * bit, or for the handler, should the vector (wrongly) be delivered.
 */
static int wait_requested(u32 vector)
{
	u64 end = rdtsc() + TIMEOUT_CYCLES;

	while (!requested(vector) && !taken[vector]) {
		if (rdtsc() >= end)
			return 0;
		cpu_relax();
	}
	return requested(vector);
}

/*
 * With IF clear: sti; hlt until the timer's vector was taken n times.
 * HLT only while armed() says the timer will fire again; one that ran
 * out without an interrupt gets a busy wait instead, so that a lost
 * interrupt is a "timed out" line, not a guest halted for good.
 */
static int halt_until(u32 vector, u32 n, int (*armed)(void))
{
	u64 end = rdtsc() + TIMEOUT_CYCLES;
	u32 halts = 0;

	while (taken[vector] < n) {
		if (rdtsc() >= end || halts++ >= MAX_HALTS)
			return 0;
		if (!armed())
			return wait_taken(vector, n);
		/* STI's shadow covers HLT: nothing slips in between. */
		asm volatile("sti; hlt; cli" : : : "memory");
	}
	return 1;
}

static int oneshot_armed(void)
{
	return apic_read(APIC_TIMER_CURRENT) != 0;
}

static int periodic_armed(void)
{
	return apic_read(APIC_TIMER_INITIAL) != 0 &&
	       !(apic_read(APIC_LVT_TIMER) & LVT_MASKED);
}

static int deadline_armed(void)
{
	return rdmsr(MSR_TSC_DEADLINE) != 0;
}

/* "(timed out)" if the wait ran out, else how many arrived. */
static void end_count(int ok, int timed_out, u32 count)
{
	if (timed_out)
		check_end(ok, "timed out");
	else
		check_end(ok, "got %u interrupts", count);
}

/*
 * arm() then cancel(), with IF clear. A host that holds the guest between
 * the two for longer than the timer's count lets it fire first, as it
 * should: the IRR then shows the interrupt, which is taken, and the pair
 * tried again. Returns 0 if every try raced so.
 */
static int race_free(void (*arm)(void), void (*cancel)(void))
{
	u32 tries;

	for (tries = 0; tries < RACE_TRIES; tries++) {
		reset_log();
		arm();
		cancel();
		if (!requested(VEC_TIMER))
			return 1;
		wait_taken(VEC_TIMER, 1);
	}
	reset_log();
	return 0;
}

/* --- identity ------------------------------------------------------------- */

static void check_identity(void)
{
	struct cpuid id = cpuid(1, 0);
	u64 base = rdmsr(MSR_APIC_BASE);
	u32 version;

	check(id.edx & CPUID_1_EDX_APIC, "CPUID.1:EDX.APIC (bit 9) is set");
	if (!(id.edx & CPUID_1_EDX_APIC))
		bail_out("no local APIC");
	check_start(base == APIC_BASE_VALUE,
		    "IA32_APIC_BASE (MSR 0x1b) gives 0x%08x: BSP, enabled, at 0x%08x",
		    (u32)APIC_BASE_VALUE, APIC_BASE);
	check_end(base == APIC_BASE_VALUE, "got 0x%08x%08x",
		  (u32)(base >> 32), (u32)base);
	check(apic_read(APIC_ID) >> 24 == id.ebx >> 24,
	      "APIC ID (0x20) bits 31:24 match CPUID.1:EBX[31:24]");
	/* Properties, not the value: integrated APICs differ in both. */
	version = apic_read(APIC_VERSION);
	check((version & 0xff) >= 0x10 && (version & 0xff) <= 0x15 &&
	      (version >> 16 & 0xff) >= 5,
	      "version (0x30): an integrated APIC (0x10-0x15), max LVT entry at least 5");
}

/* --- the MP table --------------------------------------------------------- */

/*
 * The Intel MultiProcessor Specification 1.4 tables, found the way Linux
 * finds them (smp_scan_config()): a floating pointer in the EBDA's first
 * KB, base memory's last KB or 0xf0000-0xfffff, and the configuration
 * table it points to. Only what the specification fixes is checked,
 * what SeaBIOS (QEMU's firmware) and a minimal table for one CPU, one
 * processor entry and one ISA bus entry, share: nothing printed names an
 * OEM, counts buses or I/O APICs, or gives an address.
 */
#define MP_FLOAT_SIG		0x5f504d5fu	/* "_MP_" */
#define MP_FLOAT_LEN		16
#define MP_CONFIG_SIG		0x504d4350u	/* "PCMP" */
#define MP_CONFIG_HEADER	44

/* The floating pointer's fields. */
#define MPF_POINTER		4
#define MPF_LENGTH		8	/* in 16-byte units */
#define MPF_REVISION		9
#define MPF_FEATURE1		11

/* The configuration table header's. */
#define MPC_LENGTH		4	/* base table bytes, with header */
#define MPC_REVISION		6
#define MPC_ENTRIES		34
#define MPC_LAPIC		36

/* Base table entry types, and the processor entry's fields. */
#define MP_PROCESSOR		0
#define MP_LOCAL_INT		4
#define MP_PROCESSOR_LEN	20
#define MP_OTHER_LEN		8
#define MPP_APIC_ID		1
#define MPP_FLAGS		3
#define MPP_ENABLED		(1u << 0)
#define MPP_BSP			(1u << 1)

/* The BIOS data area word holding the EBDA's segment, for an asm load. */
#define BDA_EBDA_SEGMENT	"0x40e"
#define BASE_MEMORY_LAST_KB	0x9fc00u
#define BASE_MEMORY_END		0xa0000u
#define BIOS_ROM		0xf0000u
#define BIOS_ROM_SIZE		0x10000u

/*
 * The EBDA's segment, read in setup() before paging: the kernel's page
 * table leaves page 0 out. Everything else below 1 MiB is identity-mapped.
 */
static u32 ebda_segment;

/* Physical [pa, pa + len) readable through the identity map. */
static int mp_mapped(u32 pa, u32 len)
{
	return pa >= PAGE_SIZE && pa + len >= pa && pa + len <= frame_ram_end();
}

static u32 mp_u8(u32 pa)
{
	return READ_ONCE(*(const u8 *)pa);
}

static u32 mp_u16(u32 pa)
{
	return mp_u8(pa) | mp_u8(pa + 1) << 8;
}

static u32 mp_u32(u32 pa)
{
	return mp_u16(pa) | mp_u16(pa + 2) << 16;
}

/* The low 8 bits of the sum of len bytes: 0 for a good checksum. */
static u32 mp_sum(u32 pa, u32 len)
{
	u32 sum = 0;

	while (len--)
		sum += mp_u8(pa++);
	return sum & 0xff;
}

/* The first floating pointer in [start, start + len), 16-byte aligned. */
static u32 mp_scan(u32 start, u32 len)
{
	u32 pa;

	if (!mp_mapped(start, len))
		return 0;
	for (pa = start; pa < start + len; pa += MP_FLOAT_LEN)
		if (mp_u32(pa) == MP_FLOAT_SIG && mp_u8(pa + MPF_LENGTH) == 1 &&
		    mp_sum(pa, MP_FLOAT_LEN) == 0)
			return pa;
	return 0;
}

static u32 mp_find(void)
{
	u32 ebda = ebda_segment << 4;
	u32 fp = 0;

	/* No EBDA (no firmware) reads 0; an EBDA above base memory is none. */
	if (ebda && ebda + 1024 <= BASE_MEMORY_END)
		fp = mp_scan(ebda, 1024);
	if (!fp)
		fp = mp_scan(BASE_MEMORY_LAST_KB, 1024);
	if (!fp)
		fp = mp_scan(BIOS_ROM, BIOS_ROM_SIZE);
	return fp;
}

/*
 * The lines from first on need what an earlier one did not find: each is
 * "not ok" and says why, so the plan stays the same.
 */
static void mp_not_run(const char *const *what, u32 first, u32 n,
		       const char *missing)
{
	for (; first < n; first++) {
		check_start(0, "%s", what[first]);
		check_end(0, "not run: %s", missing);
	}
}

static int mp_revision_ok(u32 revision)
{
	return revision == 1 || revision == 4;
}

/* What walking the base table's entries found. */
struct mp_walk {
	u32 entries;		/* walked, up to an unknown type */
	u32 overrun;		/* an entry ran past the base table */
	u32 end;		/* the offset the walk stopped at */
	u32 enabled;		/* processor entries flagged enabled */
	u32 flags, apic_id;	/* the first enabled one's */
};

static void mp_walk(u32 cfg, u32 length, struct mp_walk *w)
{
	u32 off = MP_CONFIG_HEADER;
	u32 type, size;

	*w = (struct mp_walk){ 0 };
	while (off < length) {
		type = mp_u8(cfg + off);
		if (type > MP_LOCAL_INT)
			break;
		size = type == MP_PROCESSOR ? MP_PROCESSOR_LEN : MP_OTHER_LEN;
		if (off + size > length) {
			w->overrun = 1;
			break;
		}
		if (type == MP_PROCESSOR &&
		    (mp_u8(cfg + off + MPP_FLAGS) & MPP_ENABLED) &&
		    !w->enabled++) {
			w->flags = mp_u8(cfg + off + MPP_FLAGS);
			w->apic_id = mp_u8(cfg + off + MPP_APIC_ID);
		}
		w->entries++;
		off += size;
	}
	w->end = off;
}

static void check_mp(void)
{
	static const char *const what[] = {
		"MP floating pointer (\"_MP_\", 16-byte aligned, length 1, checksum 0) in the EBDA's first KB, base memory's last KB or 0xf0000-0xfffff",
		"its spec revision (byte 9) is 1 or 4",
		"its feature byte 1 is 0: a configuration table, no default configuration",
		"the configuration table it points to reads \"PCMP\", its base table at least the 44-byte header",
		"the base table's bytes sum to 0 (checksum)",
		"the configuration table's spec revision (byte 6) is 1 or 4",
		"its local APIC address (byte 36) is 0xfee00000",
		"entries walked by type (processor 20 bytes, bus, I/O APIC, I/O and local interrupt 8): none runs past the base table length",
		"the entry count (byte 34) is the number walked, up to an unknown type",
		"exactly one processor entry enabled (flags bit 0)",
		"it is the BSP (flags bit 1)",
		"its local APIC ID is the APIC ID register's (0x20) bits 31:24",
	};
	u32 n = ARRAY_SIZE(what), fp, cfg, length = 0, v, id;
	struct mp_walk w;

	fp = mp_find();
	check(fp != 0, "%s", what[0]);
	if (!fp) {
		mp_not_run(what, 1, n, "no MP floating pointer");
		return;
	}
	v = mp_u8(fp + MPF_REVISION);
	check_start(mp_revision_ok(v), "%s", what[1]);
	check_end(mp_revision_ok(v), "got %u", v);
	v = mp_u8(fp + MPF_FEATURE1);
	check_start(v == 0, "%s", what[2]);
	check_end(v == 0, "got %u", v);
	if (v) {
		mp_not_run(what, 3, n, "a default configuration");
		return;
	}

	cfg = mp_u32(fp + MPF_POINTER);
	if (mp_mapped(cfg, MP_CONFIG_HEADER))
		length = mp_u16(cfg + MPC_LENGTH);
	v = length >= MP_CONFIG_HEADER && mp_mapped(cfg, length) &&
	    mp_u32(cfg) == MP_CONFIG_SIG;
	check_start(v, "%s", what[3]);
	check_end(v, "pointer 0x%08x, length %u", cfg, length);
	if (!v) {
		mp_not_run(what, 4, n, "no configuration table");
		return;
	}
	v = mp_sum(cfg, length);
	check_start(v == 0, "%s", what[4]);
	check_end(v == 0, "got 0x%02x", v);
	v = mp_u8(cfg + MPC_REVISION);
	check_start(mp_revision_ok(v), "%s", what[5]);
	check_end(mp_revision_ok(v), "got %u", v);
	v = mp_u32(cfg + MPC_LAPIC);
	check_start(v == APIC_BASE, "%s", what[6]);
	check_end(v == APIC_BASE, "got 0x%08x", v);

	mp_walk(cfg, length, &w);
	check_start(!w.overrun, "%s", what[7]);
	check_end(!w.overrun, "entry %u at offset %u, length %u",
		  w.entries, w.end, length);
	v = mp_u16(cfg + MPC_ENTRIES);
	check_start(v == w.entries, "%s", what[8]);
	check_end(v == w.entries,
		  "got %u, walked %u, stopped at offset %u of %u",
		  v, w.entries, w.end, length);
	check_start(w.enabled == 1, "%s", what[9]);
	check_end(w.enabled == 1, "got %u", w.enabled);
	if (!w.enabled) {
		mp_not_run(what, 10, n, "no processor enabled");
		return;
	}
	check_start(w.flags & MPP_BSP, "%s", what[10]);
	check_end(w.flags & MPP_BSP, "flags 0x%02x", w.flags);
	id = apic_read(APIC_ID) >> 24;
	check_start(w.apic_id == id, "%s", what[11]);
	check_end(w.apic_id == id, "got %u, the register %u", w.apic_id, id);
}

/* --- registers ------------------------------------------------------------ */

static void check_enable(void)
{
	/*
	 * Not SPIV's value at boot: reset clears bit 8, but firmware may set
	 * it: QEMU's SeaBIOS leaves 0x1ff, shadowvmm runs no firmware.
	 */
	apic_write(APIC_SPIV, VEC_SPURIOUS);
	check_value(apic_read(APIC_SPIV), VEC_SPURIOUS,
		    "SPIV (0xf0) software-disabled (bit 8 clear), read back");
	apic_write(APIC_SPIV, SPIV_VALUE);
	check_value(apic_read(APIC_SPIV), SPIV_VALUE,
		    "SPIV enabled, spurious vector 0xff, read back");
	apic_write(APIC_TPR, 0x20);
	check_value(apic_read(APIC_TPR), 0x20, "TPR (0x80) 0x20 read back");
	apic_write(APIC_TPR, 0);
	check_value(apic_read(APIC_TPR), 0, "TPR 0 read back");
}

/*
 * The instruction forms, on the TPR, whose low 8 bits all read back what
 * was written: a load or store of each, with the base in each register a
 * compiler might pick, with 8- and 32-bit displacements, with an index,
 * at an absolute address, as MOV moffs, and as MOV of an immediate.
 * Inline assembly, so the encoding is the one named (checked with
 * objdump). EBP as a base always takes a displacement: (%ebp) is 45 00.
 */
#define LOAD(name, insn, ...)						\
static u32 name(void)							\
{									\
	u32 v;								\
									\
	asm volatile(insn : __VA_ARGS__ : "memory");			\
	return v;							\
}

#define STORE(name, insn, ...)						\
static void name(u32 value)						\
{									\
	asm volatile(insn : : __VA_ARGS__ : "memory");			\
}

/* MOV of an immediate: the value is in the instruction. */
#define STORE_IMM(name, insn, imm, ...)				\
static void name(u32 value)						\
{									\
	asm volatile(insn : : "i" (imm), __VA_ARGS__ : "memory");	\
}

LOAD(load_a1, "mov " TPR_ABS ", %0", "=a" (v) :)
LOAD(load_8b_00, "mov (%1), %0", "=a" (v) : "0" (TPR_VA))
LOAD(load_8b_0b, "mov (%1), %0", "=c" (v) : "b" (TPR_VA))
LOAD(load_8b_11, "mov (%1), %0", "=d" (v) : "c" (TPR_VA))
LOAD(load_8b_1a, "mov (%1), %0", "=b" (v) : "d" (TPR_VA))
LOAD(load_8b_36, "mov (%1), %0", "=S" (v) : "0" (TPR_VA))
LOAD(load_8b_3f, "mov (%1), %0", "=D" (v) : "0" (TPR_VA))
LOAD(load_8b_45,
     "push %%ebp\n\tmov %1, %%ebp\n\tmov (%%ebp), %0\n\tpop %%ebp",
     "=a" (v) : "c" (TPR_VA))
LOAD(load_8b_41, "mov 0x70(%1), %0", "=a" (v) : "c" (TPR_VA - 0x70))
LOAD(load_8b_82, "mov 0x80(%1), %0", "=a" (v) : "d" (APIC_BASE))
LOAD(load_8b_04, "mov (%1,%2,4), %0",
     "=a" (v) : "b" (APIC_BASE), "S" (APIC_TPR / 4))
LOAD(load_8b_0d, "mov " TPR_ABS ", %0", "=c" (v) :)

#define IMM_C7_00	0x7e
#define IMM_C7_41	0x8e
#define IMM_C7_05	0x9e

STORE(store_a3, "mov %0, " TPR_ABS, "a" (value))
STORE(store_89_08, "mov %0, (%1)", "c" (value), "a" (TPR_VA))
STORE(store_89_13, "mov %0, (%1)", "d" (value), "b" (TPR_VA))
STORE(store_89_3e, "mov %0, (%1)", "D" (value), "S" (TPR_VA))
STORE(store_89_45,
      "push %%ebp\n\tmov %1, %%ebp\n\tmov %0, (%%ebp)\n\tpop %%ebp",
      "a" (value), "c" (TPR_VA))
STORE(store_89_42, "mov %0, 0x70(%1)", "a" (value), "d" (TPR_VA - 0x70))
STORE(store_89_8b, "mov %0, 0x80(%1)", "c" (value), "b" (APIC_BASE))
STORE(store_89_14, "mov %0, (%1,%2,4)",
      "d" (value), "a" (APIC_BASE), "D" (APIC_TPR / 4))
STORE(store_89_15, "mov %0, " TPR_ABS, "d" (value))
STORE_IMM(store_c7_00, "movl %0, (%1)", IMM_C7_00, "a" (TPR_VA))
STORE_IMM(store_c7_41, "movl %0, 0x70(%1)", IMM_C7_41, "c" (TPR_VA - 0x70))

/* No register at all: STORE_IMM would want one. */
static void store_c7_05(u32 value)
{
	asm volatile("movl %0, " TPR_ABS : : "i" (IMM_C7_05) : "memory");
}

/* Linux's apic_write() on CPUs with the 11AP erratum: XCHG, not MOV. */
static u32 xchg_87_08(u32 value)
{
	asm volatile("xchg %0, (%1)" : "+c" (value) : "a" (TPR_VA) : "memory");
	return value;
}

static const struct {
	const char *insn;
	u32 (*load)(void);
} loads[] = {
	{ "a1 mov moffs,%eax", load_a1 },
	{ "8b 00 mov (%eax),%eax", load_8b_00 },
	{ "8b 0b mov (%ebx),%ecx", load_8b_0b },
	{ "8b 11 mov (%ecx),%edx", load_8b_11 },
	{ "8b 1a mov (%edx),%ebx", load_8b_1a },
	{ "8b 36 mov (%esi),%esi", load_8b_36 },
	{ "8b 3f mov (%edi),%edi", load_8b_3f },
	{ "8b 45 00 mov 0x0(%ebp),%eax", load_8b_45 },
	{ "8b 41 70 mov 0x70(%ecx),%eax", load_8b_41 },
	{ "8b 82 mov 0x80(%edx),%eax", load_8b_82 },
	{ "8b 04 b3 mov (%ebx,%esi,4),%eax", load_8b_04 },
	{ "8b 0d mov abs32,%ecx", load_8b_0d },
};

static const struct {
	const char *insn;
	void (*store)(u32 value);
	u32 value;
} stores[] = {
	{ "89 08 mov %ecx,(%eax)", store_89_08, 0x0e },
	{ "89 13 mov %edx,(%ebx)", store_89_13, 0x1e },
	{ "89 3e mov %edi,(%esi)", store_89_3e, 0x2e },
	{ "89 45 00 mov %eax,0x0(%ebp)", store_89_45, 0x3e },
	{ "89 42 70 mov %eax,0x70(%edx)", store_89_42, 0x4e },
	{ "89 8b mov %ecx,0x80(%ebx)", store_89_8b, 0x5e },
	{ "89 14 b8 mov %edx,(%eax,%edi,4)", store_89_14, 0x6e },
	{ "89 15 mov %edx,abs32", store_89_15, 0xae },
	{ "c7 00 movl $imm32,(%eax)", store_c7_00, IMM_C7_00 },
	{ "c7 41 70 movl $imm32,0x70(%ecx)", store_c7_41, IMM_C7_41 },
	{ "c7 05 movl $imm32,abs32", store_c7_05, IMM_C7_05 },
};

static void check_forms(void)
{
	u32 i, old;

	/* Each value differs from the last, so a dropped store shows. */
	for (i = 0; i < ARRAY_SIZE(loads); i++) {
		store_a3(0x11 * (i + 1));
		check_value(loads[i].load(), 0x11 * (i + 1),
			    "TPR stored by a3 mov %%eax,moffs, loaded by %s,",
			    loads[i].insn);
	}
	for (i = 0; i < ARRAY_SIZE(stores); i++) {
		stores[i].store(stores[i].value);
		check_value(load_a1(), stores[i].value,
			    "TPR stored by %s, loaded by a1,", stores[i].insn);
	}
	store_a3(0x5a);
	old = xchg_87_08(0xa5);
	check_value(old, 0x5a, "TPR xchg 87 08 xchg %%ecx,(%%eax) loads the old");
	check_value(load_a1(), 0xa5, "TPR stored by that xchg, loaded by a1,");
	apic_write(APIC_TPR, 0);
	check_value(apic_read(APIC_TPR), 0, "TPR back to 0");
}

static void check_lvt(void)
{
	static const struct {
		u32 reg;
		const char *name;
		u32 value;
	} lvt[] = {
		/* Masked, with what Linux programs into each. */
		{ APIC_LVT_LINT0, "LINT0 (0x350), ExtINT", LVT_DM_EXTINT },
		{ APIC_LVT_LINT1, "LINT1 (0x360), NMI", LVT_DM_NMI },
		{ APIC_LVT_ERROR, "error (0x370), vector 0xfe", 0xfe },
		{ APIC_LVT_TIMER, "timer (0x320), vector 0xec", 0xec },
		{ APIC_LVT_THERMAL, "thermal (0x330), vector 0xfa", 0xfa },
		{ APIC_LVT_PERF, "perf counter (0x340), NMI", LVT_DM_NMI },
	};
	static const u32 divides[] = { 0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xa, 0xb };
	u32 i, got = 0, bad = 0;

	for (i = 0; i < ARRAY_SIZE(lvt); i++) {
		apic_write(lvt[i].reg, LVT_MASKED | lvt[i].value);
		check_value(apic_read(lvt[i].reg), LVT_MASKED | lvt[i].value,
			    "LVT %s, masked, read back", lvt[i].name);
	}
	/*
	 * A write latches the errors since the last one and clears the rest:
	 * the first drops whatever came before this guest, the second finds
	 * none since (no check touches a register that does not exist).
	 */
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
	check_value(apic_read(APIC_ESR), 0, "ESR (0x280) after writing 0");

	/* Bits 0, 1 and 3 are the divider; bit 2 is reserved. */
	for (i = 0; i < ARRAY_SIZE(divides); i++) {
		apic_write(APIC_TIMER_DIVIDE, divides[i]);
		got = apic_read(APIC_TIMER_DIVIDE);
		if (got != divides[i]) {
			bad = divides[i];
			break;
		}
	}
	check_start(i == ARRAY_SIZE(divides),
		    "divide configuration (0x3e0) keeps each of its 8 values");
	check_end(i == ARRAY_SIZE(divides), "got 0x%x for 0x%x", got, bad);
	apic_write(APIC_TIMER_DIVIDE, DIVIDE_1);

	apic_write(APIC_DFR, DFR_FLAT);
	check_value(apic_read(APIC_DFR), DFR_FLAT, "DFR (0xe0) flat model");
	apic_write(APIC_LDR, LDR_VALUE);
	check_value(apic_read(APIC_LDR), LDR_VALUE, "LDR (0xd0) logical ID 1");
}

/* --- interrupts ----------------------------------------------------------- */

/* Delivery status goes back to idle once the IPI is sent. */
static int icr_idle(void)
{
	u64 end = rdtsc() + TIMEOUT_CYCLES;

	while (apic_read(APIC_ICR_LOW) & ICR_BUSY) {
		if (rdtsc() >= end)
			return 0;
		cpu_relax();
	}
	return 1;
}

static void check_self_ipi(void)
{
	int ok, timed_out;

	reset_log();
	irq_enable();
	self_ipi(VEC_IPI);
	timed_out = !spin_until_taken(VEC_IPI, 1);
	irq_disable();
	ok = taken[VEC_IPI] == 1;
	check_start(ok, "self-IPI 0x40 (ICR 0x%08x) with IF=1: handled once",
		    ICR_SELF | VEC_IPI);
	end_count(ok, timed_out, taken[VEC_IPI]);
	check(icr_idle(), "ICR delivery status (bit 12) reads idle after it");
	check(seen_isr, "ISR bit of 0x40 set in its handler");
	check_value(seen_ppr, 0x40, "PPR (0xa0) in that handler, TPR 0,");
	check(!seen_isr_after_eoi && !in_service(VEC_IPI),
	      "ISR bit of 0x40 clear after the EOI (0xb0)");
}

static void check_pending(void)
{
	int ok;

	reset_log();
	self_ipi(VEC_PENDING);
	ok = wait_requested(VEC_PENDING);
	check(ok && !taken[VEC_PENDING],
	      "self-IPI 0x41 with IF=0: not handled, its IRR bit (0x220) set");
	asm volatile("sti; nop; cli" : : : "memory");
	check_start(taken[VEC_PENDING] == 1, "sti; nop: handled once");
	check_end(taken[VEC_PENDING] == 1, "got %u interrupts",
		  taken[VEC_PENDING]);
	check(!requested(VEC_PENDING) && !in_service(VEC_PENDING),
	      "IRR and ISR bits of 0x41 clear after it");
}

static void check_destination(void)
{
	int ok, timed_out;

	reset_log();
	irq_enable();
	apic_write(APIC_ICR_HIGH, apic_read(APIC_ID) & 0xff000000);
	apic_write(APIC_ICR_LOW, VEC_DEST);
	timed_out = !spin_until_taken(VEC_DEST, 1);
	irq_disable();
	ok = taken[VEC_DEST] == 1;
	check_start(ok,
		    "IPI 0x42 to the APIC's own ID, physical, no shorthand: handled once");
	end_count(ok, timed_out, taken[VEC_DEST]);
}

static void check_priority(void)
{
	int ok, timed_out;

	reset_log();
	self_ipi(VEC_LOW);
	self_ipi(VEC_HIGH);
	ok = wait_requested(VEC_LOW) && wait_requested(VEC_HIGH);
	check(ok && !orders, "self-IPIs 0x45 and 0x65 with IF=0: both pending");
	/* Both, so that neither is left to land in the next check. */
	irq_enable();
	timed_out = !spin_until_taken(VEC_HIGH, 1) ||
		    !spin_until_taken(VEC_LOW, 1);
	irq_disable();
	ok = orders == 2 && order[0] == VEC_HIGH && order[1] == VEC_LOW;
	check_start(ok, "after sti: handled 0x65, then 0x45");
	if (timed_out)
		check_end(ok, "timed out");
	else
		check_end(ok, "got %u interrupts, first 0x%x", orders,
			  order[0]);
}

static void check_tpr(void)
{
	int ok, timed_out;

	reset_log();
	apic_write(APIC_TPR, TPR_HIGH);
	check_value(apic_read(APIC_PPR), TPR_HIGH,
		    "PPR with TPR 0x50 and nothing in service");
	irq_enable();
	self_ipi(VEC_LOW);
	ok = wait_requested(VEC_LOW);
	check(ok && !taken[VEC_LOW],
	      "self-IPI 0x45 with TPR 0x50, IF=1: held in the IRR");
	self_ipi(VEC_HIGH);
	timed_out = !spin_until_taken(VEC_HIGH, 1);
	ok = taken[VEC_HIGH] == 1 && !taken[VEC_LOW];
	check_start(ok, "self-IPI 0x65 above it: handled once, 0x45 still held");
	end_count(ok, timed_out, orders);
	check_value(seen_ppr, 0x60, "PPR in 0x65's handler, TPR 0x50,");
	apic_write(APIC_TPR, 0);
	timed_out = !spin_until_taken(VEC_LOW, 1);
	irq_disable();
	ok = taken[VEC_LOW] == 1 && orders == 2;
	check_start(ok, "TPR 0: 0x45 handled once");
	end_count(ok, timed_out, taken[VEC_LOW]);
}

/* --- NMI ------------------------------------------------------------------ */

/*
 * Vector 2, through lib/irq.c's NMI gate. It writes no EOI: an NMI sets
 * no ISR bit. nmi_resend makes it send a second self-NMI and wait, which
 * must stay pending until its IRET.
 */
static void on_nmi(const struct irq_frame *frame)
{
	u32 n = nmis++;

	nmi_depth++;
	if (nmi_depth > nmi_max_depth)
		nmi_max_depth = nmi_depth;
	if (n < NMI_LOG) {
		nmi_entry_depth[n] = nmi_depth;
		nmi_eip[n] = frame->eip;
		nmi_eflags[n] = frame->eflags;
		nmi_cs[n] = frame->cs;
		nmi_frame[n] = (u32)frame;
	}
	if (in_ipi_handler) {
		nmis_in_ipi++;
		nmi_saw_ipi_isr = in_service(VEC_IPI);
	}
	if (nmi_resend) {
		nmi_resend = 0;
		self_nmi();
		delay_ns(NMI_HOLD_NS);
		nmis_in_first = nmis;
	}
	nmi_depth--;
}

static void reset_nmi(void)
{
	u32 i;

	nmis = nmi_depth = nmi_max_depth = 0;
	for (i = 0; i < NMI_LOG; i++)
		nmi_entry_depth[i] = nmi_eip[i] = nmi_eflags[i] = 0;
	for (i = 0; i < NMI_LOG; i++)
		nmi_cs[i] = nmi_frame[i] = 0;
	nmis_in_ipi = nmi_saw_ipi_isr = 0;
	nmi_resend = 0;
	nmis_in_first = 0;
}

/* 0x40's handler for the last check: a self-NMI, with IF clear. */
static volatile int nmi_prompt;

static void on_ipi_send_nmi(u32 vector, const struct irq_frame *frame)
{
	in_ipi_handler = 1;
	self_nmi();
	nmi_prompt = spin_until_nmis(1);
	in_ipi_handler = 0;
	on_interrupt(vector, frame);
}

static void end_nmis(int ok, int timed_out)
{
	if (timed_out)
		check_end(ok, "timed out");
	else
		check_end(ok, "got %u NMIs, deepest nesting %u", nmis,
			  nmi_max_depth);
}

static void check_nmi(void)
{
	int ok, timed_out;

	/* IF is clear, as everywhere outside a wait. */
	reset_log();
	reset_nmi();
	self_nmi();
	timed_out = !spin_until_nmis(1);
	delay_ns(NMI_HOLD_NS);
	ok = !timed_out && nmis == 1 && !(nmi_eflags[0] & EFLAGS_IF);
	check_start(ok,
		    "self-NMI (ICR 0x%08x, vector field 0) with IF=0: vector 2 handled once",
		    ICR_SELF | ICR_DM_NMI);
	end_nmis(ok, timed_out);
	check(icr_idle(), "ICR delivery status reads idle after it");

	reset_nmi();
	nmi_resend = 1;
	self_nmi();
	timed_out = !spin_until_nmis(2);
	delay_ns(NMI_HOLD_NS);
	ok = !timed_out && nmis_in_first == 1 && nmi_max_depth == 1;
	check_start(ok,
		    "self-NMI sent in the NMI handler: not taken there (blocked until IRET)");
	end_nmis(ok, timed_out);
	/*
	 * Pending at the IRET, it comes before the instruction the IRET
	 * returns to: both frames name that one.
	 */
	ok = !timed_out && nmis == 2 && nmi_entry_depth[0] == 1 &&
	     nmi_entry_depth[1] == 1 && nmi_eip[1] == nmi_eip[0];
	check_start(ok,
		    "taken right after that handler's IRET, at the EIP it returned to: twice, one after the other");
	if (!timed_out && nmis == 2 && nmi_max_depth == 1)
		check_end(ok, "the second interrupted another instruction");
	else
		end_nmis(ok, timed_out);

	check_start(!orders, "no interrupt on a vector other than 2 for them");
	check_end(!orders, "got %u, first 0x%x", orders, order[0]);
	check(all_clear(APIC_ISR) && all_clear(APIC_IRR),
	      "ISR and IRR all clear after them, no EOI written");

	reset_log();
	reset_nmi();
	nmi_prompt = 0;
	irq_install(VEC_IPI, on_ipi_send_nmi);
	irq_enable();
	self_ipi(VEC_IPI);
	timed_out = !spin_until_taken(VEC_IPI, 1);
	irq_disable();
	irq_install(VEC_IPI, on_interrupt);
	ok = !timed_out && nmi_prompt && taken[VEC_IPI] == 1 && nmis == 1 &&
	     nmis_in_ipi == 1 && nmi_max_depth == 1;
	check_start(ok,
		    "self-NMI in 0x40's handler (IF=0): taken at once, nested in it");
	if (timed_out || !nmi_prompt)
		check_end(ok, "timed out");
	else
		check_end(ok, "got %u NMIs, %u in the handler, 0x40 %u times",
			  nmis, nmis_in_ipi, taken[VEC_IPI]);
	check(nmi_saw_ipi_isr, "ISR bit of 0x40 set in that NMI's handler");
}

/* --- interrupts onto a fresh stack page ----------------------------------- */

/*
 * An event whose frame push is the first access to its stack page through
 * the current tables: a shadow MMU that fills its entries lazily has none
 * for the page yet (or for its page table), so the delivery itself faults
 * into the VMM, which must fill the entry and deliver the event again,
 * exactly once (for an NMI under VMX, with blocking by NMI cleared first).
 * The guest sees none of that: the handler runs once, the frame is just
 * below the ESP the interrupted code had, and that code goes on.
 *
 * Each page gets a new frame and a linear address nothing used before,
 * supervisor and writable (INVLPG after), and is reached first by the
 * delivery: ESP is switched to its top in fresh_sti_nop() or
 * fresh_send_wait() below, and the whole handler runs there. The page
 * table of FRESH_PAGE()'s region is in use before the first one (the
 * PDPTE, PD and table made for FRESH_WARM, written and read), so only the
 * PTE is new; each FRESH_TABLE() starts a 2 MiB region with no PDE, so
 * its mapping also makes a new page table and the delivery needs both
 * levels filled.
 */
#define FRESH_BASE		0x40000000u
#define FRESH_WARM		FRESH_BASE
/* Every other page, so a handler overrunning its page faults. */
#define FRESH_PAGE(n)		(FRESH_BASE + 0x2000u * ((n) + 1))
#define FRESH_TABLE(n)		(FRESH_BASE + 0x200000u * ((n) + 1))
/* Below ESP, the three words an interrupt pushes at CPL 0. */
#define FRAME_BYTES		12u

/* What the interrupted code holds across the event. */
#define SENTINEL_EAX		0xa5a5000a
#define SENTINEL_EBX		0xa5a5000b
#define SENTINEL_EDX		0xa5a5000d
#define SENTINEL_ESI		0xa5a50051
#define SENTINEL_EDI		0xa5a500d1

/* The ICR's low word for fresh_send_wait()'s absolute store. */
#define ICR_ABS			"0xfee00300"
_Static_assert(APIC_BASE + APIC_ICR_LOW == 0xfee00300u, "ICR_ABS is the ICR");

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

/* What fresh_sti_nop() and fresh_send_wait() take and give back. */
struct fresh_run {
	u32 top;			/* in: ESP while the event comes */
	u32 icr;			/* in: fresh_send_wait()'s ICR low */
	const volatile u32 *count;	/* in: nonzero once it was handled */
	u32 deadline_lo, deadline_hi;	/* in: when to stop waiting (TSC) */
	u32 esp;			/* out: ESP once the code went on */
	u32 eax, ebx, edx, esi, edi;	/* out: the registers then */
	u32 cf;				/* out: CF then (fresh_sti_nop()) */
};

#define FR_TOP			0
#define FR_ICR			4
#define FR_COUNT		8
#define FR_DEADLINE_LO		12
#define FR_DEADLINE_HI		16
#define FR_ESP			20
#define FR_EAX			24
#define FR_EBX			28
#define FR_EDX			32
#define FR_ESI			36
#define FR_EDI			40
#define FR_CF			44
_Static_assert(__builtin_offsetof(struct fresh_run, icr) == FR_ICR &&
	       __builtin_offsetof(struct fresh_run, count) == FR_COUNT &&
	       __builtin_offsetof(struct fresh_run, deadline_lo) ==
	       FR_DEADLINE_LO &&
	       __builtin_offsetof(struct fresh_run, deadline_hi) ==
	       FR_DEADLINE_HI &&
	       __builtin_offsetof(struct fresh_run, esp) == FR_ESP &&
	       __builtin_offsetof(struct fresh_run, eax) == FR_EAX &&
	       __builtin_offsetof(struct fresh_run, ebx) == FR_EBX &&
	       __builtin_offsetof(struct fresh_run, edx) == FR_EDX &&
	       __builtin_offsetof(struct fresh_run, esi) == FR_ESI &&
	       __builtin_offsetof(struct fresh_run, edi) == FR_EDI &&
	       __builtin_offsetof(struct fresh_run, cf) == FR_CF,
	       "FR_* are struct fresh_run's offsets");

#define FR(field)		__stringify(FR_##field) "(%ecx)"

/*
 * Both are called with a struct fresh_run * (cdecl) and IF clear, keep
 * the caller's ESP in EBP (the interrupt entry saves every register) and
 * ECX on the struct, and touch nothing through ESP while it is r->top.
 *
 * fresh_sti_nop(): an interrupt is already pending in the IRR. ESP goes to
 * r->top with the sentinels in the other registers and CF set, then
 * sti; nop: STI's shadow holds the interrupt for the NOP, so it comes
 * right after it, at fresh_sti_nop_resume, the frame its first push.
 *
 * fresh_send_wait(): ESP goes to r->top, then the ICR write sends the
 * event (IF as the caller left it), and the loop spins on *r->count until
 * the handler made it nonzero, or the TSC reaches the deadline. The event
 * comes somewhere in [fresh_send_wait_sent, fresh_send_wait_done).
 */
asm(".text\n"
    ".globl fresh_sti_nop, fresh_sti_nop_resume\n"
    ".type fresh_sti_nop, @function\n"
    "fresh_sti_nop:\n"
    "	push %ebp\n"
    "	push %ebx\n"
    "	push %esi\n"
    "	push %edi\n"
    "	mov 20(%esp), %ecx\n"
    "	mov %esp, %ebp\n"
    "	mov $" __stringify(SENTINEL_EAX) ", %eax\n"
    "	mov $" __stringify(SENTINEL_EBX) ", %ebx\n"
    "	mov $" __stringify(SENTINEL_EDX) ", %edx\n"
    "	mov $" __stringify(SENTINEL_ESI) ", %esi\n"
    "	mov $" __stringify(SENTINEL_EDI) ", %edi\n"
    "	stc\n"
    "	mov " FR(TOP) ", %esp\n"
    "	sti\n"
    "	nop\n"
    "fresh_sti_nop_resume:\n"
    "	cli\n"
    "	xchg %ebp, %esp\n"
    "	setc " FR(CF) "\n"
    "	mov %ebp, " FR(ESP) "\n"
    "	mov %eax, " FR(EAX) "\n"
    "	mov %ebx, " FR(EBX) "\n"
    "	mov %edx, " FR(EDX) "\n"
    "	mov %esi, " FR(ESI) "\n"
    "	mov %edi, " FR(EDI) "\n"
    "	pop %edi\n"
    "	pop %esi\n"
    "	pop %ebx\n"
    "	pop %ebp\n"
    "	ret\n"
    ".size fresh_sti_nop, . - fresh_sti_nop\n"
    "\n"
    ".globl fresh_send_wait, fresh_send_wait_sent, fresh_send_wait_done\n"
    ".type fresh_send_wait, @function\n"
    "fresh_send_wait:\n"
    "	push %ebp\n"
    "	push %ebx\n"
    "	push %esi\n"
    "	push %edi\n"
    "	mov 20(%esp), %ecx\n"
    "	mov %esp, %ebp\n"
    "	mov $" __stringify(SENTINEL_EBX) ", %ebx\n"
    "	mov $" __stringify(SENTINEL_ESI) ", %esi\n"
    "	mov $" __stringify(SENTINEL_EDI) ", %edi\n"
    "	mov " FR(ICR) ", %eax\n"
    "	mov " FR(TOP) ", %esp\n"
    "	mov %eax, " ICR_ABS "\n"
    "fresh_send_wait_sent:\n"
    "	mov " FR(COUNT) ", %eax\n"
    "	cmpl $0, (%eax)\n"
    "	jne fresh_send_wait_done\n"
    "	pause\n"
    "	rdtsc\n"
    "	sub " FR(DEADLINE_LO) ", %eax\n"
    "	sbb " FR(DEADLINE_HI) ", %edx\n"
    "	jb fresh_send_wait_sent\n"
    "fresh_send_wait_done:\n"
    "	xchg %ebp, %esp\n"
    "	mov %ebp, " FR(ESP) "\n"
    "	mov %ebx, " FR(EBX) "\n"
    "	mov %esi, " FR(ESI) "\n"
    "	mov %edi, " FR(EDI) "\n"
    "	pop %edi\n"
    "	pop %esi\n"
    "	pop %ebx\n"
    "	pop %ebp\n"
    "	ret\n"
    ".size fresh_send_wait, . - fresh_send_wait\n");

void fresh_sti_nop(struct fresh_run *r);
void fresh_send_wait(struct fresh_run *r);
extern const u8 fresh_sti_nop_resume[];
extern const u8 fresh_send_wait_sent[], fresh_send_wait_done[];

enum fresh_event {
	FRESH_PENDING,	/* 0x40 sent with IF=0, then fresh_sti_nop() */
	FRESH_IPI,	/* 0x40 sent by fresh_send_wait(), IF=1 */
	FRESH_NMI,	/* a self-NMI sent by fresh_send_wait(), IF=0 */
};

static const struct {
	const char *what;
	enum fresh_event event;
	int new_table;
} fresh_cases[] = {
	{ "self-IPI 0x40 sent with IF=0, then sti; nop with ESP at the top of a page never touched (new PTE)",
	  FRESH_PENDING, 0 },
	{ "self-IPI 0x40 sent with IF=1 and ESP at the top of another page never touched",
	  FRESH_IPI, 0 },
	{ "self-NMI sent with IF=0 and ESP at the top of a page never touched",
	  FRESH_NMI, 0 },
	{ "self-NMI again, ESP on another page never touched",
	  FRESH_NMI, 0 },
	{ "self-NMI, ESP on a page never touched in a new page table (new PDE)",
	  FRESH_NMI, 1 },
	{ "self-IPI 0x40 sent with IF=0, then sti; nop, ESP on a page never touched in a new page table (new PDE)",
	  FRESH_PENDING, 1 },
};

/* The first 0x40's frame, from on_fresh_ipi(). */
static volatile u32 ipi_frame, ipi_eip, ipi_cs, ipi_eflags;

static void on_fresh_ipi(u32 vector, const struct irq_frame *frame)
{
	if (!taken[vector]) {
		ipi_frame = (u32)frame;
		ipi_eip = frame->eip;
		ipi_cs = frame->cs;
		ipi_eflags = frame->eflags;
	}
	on_interrupt(vector, frame);
}

/* A new frame at va, a linear address no check used: its address. */
static u32 fresh_map(u32 va, int new_table)
{
	u32 pa;

	if (pte_read(&kernel, va, LEVEL_PTE) ||
	    !pte_read(&kernel, va, LEVEL_PDE) != !!new_table)
		bail_out("fresh stack page 0x%08x in use", va);
	pa = frame_alloc();
	pg_map(&kernel, va, pa, LEVEL_PTE, PTE_P | PTE_RW);
	invlpg(va);
	return pa;
}

static void fresh_check(u32 n, u32 c, u32 va)
{
	enum fresh_event event = fresh_cases[c].event;
	int new_table = fresh_cases[c].new_table;
	struct fresh_run r = { 0 };
	u32 pa = fresh_map(va, new_table);
	u32 count, others, frame, eip, cs, eflags, eip_lo, eip_end, want_if;
	const u32 *words;
	u64 deadline, pte, pde;
	int timed_out, clear, ok;

	r.top = va + PAGE_SIZE;
	reset_log();
	reset_nmi();
	ipi_frame = ipi_eip = ipi_cs = ipi_eflags = 0;
	irq_install(VEC_IPI, on_fresh_ipi);
	if (event == FRESH_PENDING) {
		self_ipi(VEC_IPI);
		timed_out = !wait_requested(VEC_IPI);
		fresh_sti_nop(&r);
		eip_lo = (u32)fresh_sti_nop_resume;
		eip_end = eip_lo + 1;
		want_if = EFLAGS_IF;
	} else {
		apic_write(APIC_ICR_HIGH, 0);
		deadline = rdtsc() + TIMEOUT_CYCLES;
		r.deadline_lo = deadline;
		r.deadline_hi = deadline >> 32;
		if (event == FRESH_NMI) {
			r.icr = ICR_SELF | ICR_DM_NMI;
			r.count = &nmis;
			want_if = 0;
		} else {
			r.icr = ICR_SELF | VEC_IPI;
			r.count = &taken[VEC_IPI];
			want_if = EFLAGS_IF;
			irq_enable();
		}
		fresh_send_wait(&r);
		irq_disable();
		timed_out = !*r.count;
		eip_lo = (u32)fresh_send_wait_sent;
		eip_end = (u32)fresh_send_wait_done;
	}
	/* An event delivered twice would show by now. */
	irq_enable();
	delay_ns(NMI_HOLD_NS);
	irq_disable();
	irq_install(VEC_IPI, on_interrupt);

	if (event == FRESH_NMI) {
		count = nmis;
		others = orders;
		frame = nmi_frame[0];
		eip = nmi_eip[0];
		cs = nmi_cs[0];
		eflags = nmi_eflags[0];
	} else {
		count = taken[VEC_IPI];
		others = orders - count;
		frame = ipi_frame;
		eip = ipi_eip;
		cs = ipi_cs;
		eflags = ipi_eflags;
	}
	clear = all_clear(APIC_ISR) && all_clear(APIC_IRR);
	ok = !timed_out && count == 1 && !others && clear;
	check_start(ok, "fresh stack %u, %s: handled once, nothing else, ISR and IRR clear after",
		    n, fresh_cases[c].what);
	if (timed_out)
		check_end(ok, "timed out");
	else
		check_end(ok, "got %u, %u others, ISR and IRR %s", count,
			  others, clear ? "clear" : "not clear");

	/* The frame's words, read back through the identity map. */
	words = (const u32 *)(pa + PAGE_SIZE - FRAME_BYTES);
	ok = count && frame == r.top - FRAME_BYTES && words[0] == eip &&
	     words[1] == cs && words[2] == eflags;
	check_start(ok,
		    "fresh stack %u: its frame pushed on that page, at that ESP - 12, found in the page's frame",
		    n);
	if (!count)
		check_end(ok, "not handled");
	else if (frame != r.top - FRAME_BYTES)
		check_end(ok, "got it %d bytes below that ESP",
			  (int)(r.top - frame));
	else
		check_end(ok, "not in the page's frame");

	ok = count && eip >= eip_lo && eip < eip_end && cs == KERNEL_CS &&
	     (eflags & EFLAGS_IF) == want_if;
	if (event == FRESH_PENDING)
		check_start(ok,
			    "fresh stack %u: saved EIP the instruction after the nop, CS 0x%02x, EFLAGS.IF 1",
			    n, KERNEL_CS);
	else
		check_start(ok,
			    "fresh stack %u: saved EIP in the wait after the ICR write, CS 0x%02x, EFLAGS.IF %u",
			    n, KERNEL_CS, want_if ? 1 : 0);
	check_end(ok, "got EIP %d bytes from it, CS 0x%x, EFLAGS 0x%x",
		  (int)(eip - eip_lo), cs, eflags);

	pte = pte_read(&kernel, va, LEVEL_PTE);
	pde = pte_read(&kernel, va, LEVEL_PDE);
	ok = (pte & PTE_A) && (pte & PTE_D) && (!new_table || (pde & PTE_A));
	check_start(ok, "fresh stack %u: %s by the push", n,
		    new_table ? "A set in the new PDE, A and D in the PTE" :
				"A and D set in its PTE");
	check_end(ok, "got PDE A %u, PTE A %u D %u", !!(pde & PTE_A),
		  !!(pte & PTE_A), !!(pte & PTE_D));

	ok = r.esp == r.top && r.ebx == SENTINEL_EBX &&
	     r.esi == SENTINEL_ESI && r.edi == SENTINEL_EDI;
	if (event == FRESH_PENDING) {
		ok = ok && r.eax == SENTINEL_EAX && r.edx == SENTINEL_EDX &&
		     r.cf;
		check_start(ok,
			    "fresh stack %u: went on after the IRET, ESP at the page's top, EAX, EBX, EDX, ESI, EDI and CF kept",
			    n);
		check_end(ok,
			  "got ESP %d bytes below the top, EAX 0x%08x EBX 0x%08x EDX 0x%08x ESI 0x%08x EDI 0x%08x CF %u",
			  (int)(r.top - r.esp), r.eax, r.ebx, r.edx, r.esi,
			  r.edi, r.cf);
	} else {
		check_start(ok,
			    "fresh stack %u: went on after the IRET, ESP at the page's top, EBX, ESI and EDI kept",
			    n);
		check_end(ok,
			  "got ESP %d bytes below the top, EBX 0x%08x ESI 0x%08x EDI 0x%08x",
			  (int)(r.top - r.esp), r.ebx, r.esi, r.edi);
	}
}

static void check_fresh_stacks(void)
{
	u32 c, pages = 0, tables = 0, va;

	/* FRESH_PAGE()'s tables made and walked: only their PTEs are new. */
	pg_map(&kernel, FRESH_WARM, frame_alloc(), LEVEL_PTE, PTE_P | PTE_RW);
	invlpg(FRESH_WARM);
	poke(FRESH_WARM, 0x5a5a5a5a);
	if (peek(FRESH_WARM) != 0x5a5a5a5a)
		bail_out("the page at 0x%08x does not read back", FRESH_WARM);
	for (c = 0; c < ARRAY_SIZE(fresh_cases); c++) {
		va = fresh_cases[c].new_table ? FRESH_TABLE(tables++) :
						FRESH_PAGE(pages++);
		fresh_check(c + 1, c, va);
	}
}

/* --- timer ---------------------------------------------------------------- */

static void check_oneshot(void)
{
	u32 current, tries;
	int ok, timed_out;

	apic_write(APIC_TIMER_DIVIDE, DIVIDE_1);
	apic_write(APIC_LVT_TIMER, VEC_TIMER);
	for (tries = 0; tries < RACE_TRIES; tries++) {
		reset_log();
		apic_write(APIC_TIMER_INITIAL, ONESHOT_COUNT);
		current = apic_read(APIC_TIMER_CURRENT);
		/*
		 * 0 only if the host held us past the count between the two,
		 * and then the timer fires: take that and try again.
		 */
		if (current || !wait_requested(VEC_TIMER))
			break;
		wait_taken(VEC_TIMER, 1);
	}
	check(current && current <= ONESHOT_COUNT,
	      "one-shot 0x50, divide by 1, count %u: current count (0x390) right after is in 1..%u",
	      ONESHOT_COUNT, ONESHOT_COUNT);
	timed_out = !halt_until(VEC_TIMER, 1, oneshot_armed);
	check_start(!timed_out, "sti; hlt until it fires");
	check_end(!timed_out, "timed out");
	irq_enable();
	delay_ns(2 * ONESHOT_COUNT);
	irq_disable();
	ok = taken[VEC_TIMER] == 1;
	check_start(ok, "fired once, and still once twice its count later");
	check_end(ok, "got %u interrupts", taken[VEC_TIMER]);
	check_value(apic_read(APIC_TIMER_CURRENT), 0,
		    "current count after it fired");
}

static void check_periodic(void)
{
	u32 before;
	int ok, timed_out;

	reset_log();
	apic_write(APIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	apic_write(APIC_TIMER_INITIAL, PERIODIC_COUNT);
	timed_out = !halt_until(VEC_TIMER, PERIODIC_TICKS, periodic_armed);
	check_start(!timed_out,
		    "periodic 0x50 (bits 18:17 = 01), count %u: sti; hlt until it fired %u times",
		    PERIODIC_COUNT, PERIODIC_TICKS);
	end_count(!timed_out, timed_out, taken[VEC_TIMER]);

	/*
	 * Masked, the count goes on but no interrupt comes. A period that
	 * ended before the mask may still be delivered after it: let it in
	 * first (the read-back orders the mask before the wait).
	 */
	apic_write(APIC_LVT_TIMER, LVT_MASKED | LVT_PERIODIC | VEC_TIMER);
	apic_read(APIC_LVT_TIMER);
	irq_enable();
	delay_ns(PERIODIC_COUNT);
	irq_disable();
	before = taken[VEC_TIMER];
	irq_enable();
	delay_ns(3 * PERIODIC_COUNT);
	irq_disable();
	ok = taken[VEC_TIMER] == before;
	check_start(ok, "masked (bit 16): no interrupt over 3 periods");
	check_end(ok, "got %u interrupts", taken[VEC_TIMER] - before);
	apic_write(APIC_TIMER_INITIAL, 0);
	check_value(apic_read(APIC_TIMER_CURRENT), 0,
		    "initial count 0 stops it: current count");
}

static void oneshot_arm(void)
{
	apic_write(APIC_LVT_TIMER, VEC_TIMER);
	apic_write(APIC_TIMER_INITIAL, ONESHOT_COUNT);
}

static void oneshot_cancel(void)
{
	apic_write(APIC_TIMER_INITIAL, 0);
}

/* The end of a line that waited for no interrupt after race_free(). */
static void end_quiet(int ok, int clean)
{
	if (!clean)
		check_end(ok, "fired before the cancel on each of %u tries",
			  RACE_TRIES);
	else
		check_end(ok, "got %u interrupts", taken[VEC_TIMER]);
}

static void check_cancel(void)
{
	int ok, clean;

	clean = race_free(oneshot_arm, oneshot_cancel);
	irq_enable();
	delay_ns(2 * ONESHOT_COUNT);
	irq_disable();
	ok = clean && taken[VEC_TIMER] == 0;
	check_start(ok,
		    "one-shot count %u, then initial count 0: no interrupt over twice its count",
		    ONESHOT_COUNT);
	end_quiet(ok, clean);
	check_value(apic_read(APIC_TIMER_CURRENT), 0,
		    "current count after the cancel");
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
}

/* --- EOI ------------------------------------------------------------------ */

static void check_stray_eoi(void)
{
	int ok, timed_out;

	check(all_clear(APIC_ISR) && all_clear(APIC_IRR),
	      "ISR (0x100-0x170) and IRR (0x200-0x270) all clear");
	apic_write(APIC_EOI, 0);
	reset_log();
	irq_enable();
	self_ipi(VEC_IPI);
	timed_out = !spin_until_taken(VEC_IPI, 1);
	irq_disable();
	ok = taken[VEC_IPI] == 1;
	check_start(ok, "EOI with nothing in service, then self-IPI 0x40: handled once");
	end_count(ok, timed_out, taken[VEC_IPI]);
	check(all_clear(APIC_ISR) && all_clear(APIC_IRR),
	      "ISR and IRR all clear after it");
}

static void check_no_stray(void)
{
	check_start(!stray, "no interrupt on a vector no check sent, 0xff included");
	check_end(!stray, "got %u", stray);
}

static void deadline_no_stray(const char *what)
{
	check_no_stray();
}

/* --- deadline ------------------------------------------------------------- */

static void deadline_mode(const char *what)
{
	apic_write(APIC_LVT_TIMER, LVT_DEADLINE | VEC_TIMER);
	check_value(apic_read(APIC_LVT_TIMER), LVT_DEADLINE | VEC_TIMER,
		    "%s", what);
}

/* In TSC-deadline mode the count registers are out of the game. */
static void deadline_current(const char *what)
{
	apic_write(APIC_TIMER_INITIAL, ONESHOT_COUNT);
	check_value(apic_read(APIC_TIMER_CURRENT), 0, "%s", what);
}

static void deadline_fires(const char *what)
{
	int timed_out;

	reset_log();
	wrmsr(MSR_TSC_DEADLINE, rdtsc() + DEADLINE_CYCLES);
	timed_out = !halt_until(VEC_TIMER, 1, deadline_armed);
	check_start(!timed_out, "%s", what);
	check_end(!timed_out, "timed out");
}

static void deadline_once(const char *what)
{
	irq_enable();
	delay_cycles(2 * DEADLINE_CYCLES);
	irq_disable();
	check_start(taken[VEC_TIMER] == 1, "%s", what);
	check_end(taken[VEC_TIMER] == 1, "got %u interrupts",
		  taken[VEC_TIMER]);
}

static void check_msr(u64 got, u64 want, const char *what)
{
	check_start(got == want, "%s", what);
	check_end(got == want, "got 0x%08x%08x", (u32)(got >> 32), (u32)got);
}

static void deadline_cleared(const char *what)
{
	check_msr(rdmsr(MSR_TSC_DEADLINE), 0, what);
}

static void deadline_read(const char *what)
{
	u64 deadline = rdtsc() + FAR_DEADLINE_CYCLES;
	u64 got;

	wrmsr(MSR_TSC_DEADLINE, deadline);
	got = rdmsr(MSR_TSC_DEADLINE);
	wrmsr(MSR_TSC_DEADLINE, 0);
	check_msr(got, deadline, what);
}

/*
 * No interrupt over twice DEADLINE_CYCLES, and the MSR reads 0; clean
 * says whether race_free() managed to cancel before the deadline.
 */
static void deadline_quiet(int clean, const char *what)
{
	u64 msr;
	int ok;

	irq_enable();
	delay_cycles(2 * DEADLINE_CYCLES);
	irq_disable();
	msr = rdmsr(MSR_TSC_DEADLINE);
	ok = clean && !taken[VEC_TIMER] && !msr;
	check_start(ok, "%s", what);
	if (!clean || msr == 0)
		end_quiet(ok, clean);
	else
		check_end(ok, "got %u interrupts, MSR 0x%08x%08x",
			  taken[VEC_TIMER], (u32)(msr >> 32), (u32)msr);
}

static void deadline_arm(void)
{
	apic_write(APIC_LVT_TIMER, LVT_DEADLINE | VEC_TIMER);
	wrmsr(MSR_TSC_DEADLINE, rdtsc() + DEADLINE_CYCLES);
}

static void deadline_zero(void)
{
	wrmsr(MSR_TSC_DEADLINE, 0);
}

static void deadline_disarm(const char *what)
{
	deadline_quiet(race_free(deadline_arm, deadline_zero), what);
}

/* TSC >= deadline already: the interrupt comes at once. */
static void deadline_past(const char *what)
{
	int timed_out;

	reset_log();
	wrmsr(MSR_TSC_DEADLINE, 1);
	timed_out = !wait_taken(VEC_TIMER, 1);
	check_start(!timed_out, "%s", what);
	check_end(!timed_out, "timed out");
}

/* Leaving TSC-deadline mode disarms the timer. */
static void deadline_to_oneshot(void)
{
	apic_write(APIC_LVT_TIMER, VEC_TIMER);
}

static void deadline_leave(const char *what)
{
	deadline_quiet(race_free(deadline_arm, deadline_to_oneshot), what);
}

/* Outside TSC-deadline mode the MSR reads 0 and ignores writes. */
static void deadline_ignored(const char *what)
{
	reset_log();
	apic_write(APIC_TIMER_INITIAL, 0);
	wrmsr(MSR_TSC_DEADLINE, rdtsc() + DEADLINE_CYCLES);
	deadline_quiet(1, what);
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
}

static const struct {
	void (*run)(const char *what);
	const char *what;
} deadline_checks[] = {
	{ deadline_mode,
	  "LVT timer 0x50 in TSC-deadline mode (bits 18:17 = 10) read back" },
	{ deadline_current,
	  "initial count written in that mode: current count" },
	{ deadline_fires,
	  "IA32_TSC_DEADLINE (MSR 0x6e0) ahead of the TSC: sti; hlt until it fires" },
	{ deadline_once,
	  "fired once, and still once twice as long later" },
	{ deadline_cleared,
	  "IA32_TSC_DEADLINE reads 0 once it fired" },
	{ deadline_read,
	  "IA32_TSC_DEADLINE reads back a deadline not yet reached" },
	{ deadline_disarm,
	  "deadline armed, then 0 written: no interrupt, reads 0" },
	{ deadline_past,
	  "a deadline the TSC has passed fires at once" },
	{ deadline_leave,
	  "deadline armed, then LVT to one-shot: no interrupt, reads 0" },
	{ deadline_ignored,
	  "one-shot mode: a deadline written is ignored, no interrupt, reads 0" },
	{ deadline_no_stray,
	  "no interrupt on a vector no check sent, 0xff included" },
};

static void check_deadline(void)
{
	int have = cpuid(1, 0).ecx & CPUID_1_ECX_TSC_DEADLINE;
	u32 i;

	check(have, "CPUID.1:ECX.TSC_DEADLINE (bit 24) is set");
	for (i = 0; i < ARRAY_SIZE(deadline_checks); i++) {
		if (have) {
			deadline_checks[i].run(deadline_checks[i].what);
			continue;
		}
		/* Without it, the MSR is #GP and the mode reserved. */
		check_start(0, "%s", deadline_checks[i].what);
		check_end(0, "not run: no TSC-deadline timer");
	}
}

/* --- idle ----------------------------------------------------------------- */

static volatile u32 ticks;

static void on_tick(u32 vector, const struct irq_frame *frame)
{
	ticks++;
	apic_write(APIC_EOI, 0);
}

static void __noreturn idle(void)
{
	irq_install(VEC_TIMER, on_tick);
	apic_write(APIC_TIMER_DIVIDE, DIVIDE_1);
	apic_write(APIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	apic_write(APIC_TIMER_INITIAL, IDLE_COUNT);
	puts("apic: idle\n");
	for (;;)
		asm volatile("sti; hlt; cli" : : : "memory");
}

/* --- setup ---------------------------------------------------------------- */

static void setup(const struct multiboot_info *mbi)
{
	u32 v;

	if (!(cpuid(1, 0).edx & CPUID_1_EDX_PAE))
		bail_out("CPUID lacks PAE");
	if (!(cpuid(1, 0).edx & CPUID_1_EDX_TSC))
		bail_out("CPUID lacks the TSC");
	desc_init();
	for (v = EXCEPTION_VECTORS; v < IDT_VECTORS; v++)
		if (v != USER_RETURN_VECTOR)
			irq_install(v, on_interrupt);
	nmi_install(on_nmi);
	/*
	 * The loader may leave the 8259s unmasked, their timer running, and
	 * (QEMU does) LINT0 in ExtINT mode: their vectors would land on the
	 * exception gates. Masked here, LINT0 masked before the first STI.
	 */
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	/*
	 * Page 0 stays unmapped: the EBDA's segment is read now, with paging
	 * off (an asm load, as GCC warns of a constant pointer into page 0).
	 */
	asm volatile("movzwl " BDA_EBDA_SEGMENT ", %0"
		     : "=r" (ebda_segment) : : "memory");
	frame_init(mbi);
	pgtable_init(&kernel, PAGING_PAE);
	pg_map(&kernel, APIC_BASE, APIC_BASE, LEVEL_PTE,
	       PTE_P | PTE_RW | PTE_PCD | PTE_PWT);
	paging_enable(&kernel);
}

/* The deadline and idle modes: what check_enable() and check_lvt() do. */
static void apic_on(void)
{
	if (!(cpuid(1, 0).edx & CPUID_1_EDX_APIC))
		bail_out("no local APIC");
	apic_write(APIC_SPIV, SPIV_VALUE);
	apic_write(APIC_LVT_LINT0, LVT_MASKED | LVT_DM_EXTINT);
	apic_write(APIC_LVT_LINT1, LVT_MASKED | LVT_DM_NMI);
	apic_write(APIC_LVT_ERROR, LVT_MASKED | 0xfe);
	apic_write(APIC_TPR, 0);
}

static int usage(void)
{
	puts("apic: usage: apic [deadline|idle]\n");
	return 2;
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	if (argc > 2 || (argc == 2 && !streq(argv[1], "deadline") &&
			 !streq(argv[1], "idle")))
		return usage();
	setup(mbi);
	if (argc == 2 && streq(argv[1], "idle")) {
		apic_on();
		idle();
	}
	if (argc == 2) {
		puts("# apic: the TSC-deadline timer\n");
		apic_on();
		check_deadline();
		return check_done();
	}

	puts("# apic: local APIC through a PAE page table, PCD|PWT\n");
	check_identity();
	check_mp();
	check_enable();
	check_forms();
	check_lvt();
	check_self_ipi();
	check_pending();
	check_destination();
	check_priority();
	check_tpr();
	check_nmi();
	check_fresh_stacks();
	check_oneshot();
	check_periodic();
	check_cancel();
	check_stray_eoi();
	check_no_stray();
	return check_done();
}
