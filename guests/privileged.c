// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile guest's instructions: the VMX ones, XSETBV, MOV DR, the
 * privileged ones from ring 3, RDMSR/WRMSR of random indexes and values,
 * and LGDT/LIDT of garbage followed by a far jump. Every one must end in
 * the exception the architecture gives a CPU that looks like CPUID says,
 * or stop the VM with a reason; none may reach the host.
 *
 *   privileged [insn]   what every x86 without VMX does the same way:
 *                       the VMX instructions, XSETBV/XGETBV, MOV DR from
 *                       ring 3 and to DR4/DR5, the privileged instructions
 *                       from ring 3 (QEMU compares these)
 *   privileged msr      RDMSR/WRMSR of random indexes and values (seeded):
 *                       each completes or raises #GP(0); QEMU compares
 *                       these too, although it never raises the #GP
 *   privileged arch     what CPUID decides: CR4.VMXE and CR4.SMXE
 *                       cannot be set; the VMX capability MSRs #GP
 *                       without VMX, IA32_FEATURE_CONTROL reads 1 (locked)
 *                       and refuses writes; the base and SYSENTER MSRs
 *                       refuse non-canonical values and keep canonical
 *                       ones; EFER and PAT refuse reserved bits; RDPMC
 *                       #GP without a PMU; RDTSCP, INVPCID, MONITOR and
 *                       MWAIT #UD where CPUID lacks them; the MTRRs
 *                       (CPUID.1:EDX.MTRR): MTRRCAP, DEF_TYPE, the fixed
 *                       and the 8 variable ranges with their values at
 *                       reset, valid types and reserved bits (MAXPHYADDR
 *                       up); IA32_MISC_ENABLE's value and the 3 bits that
 *                       may change; IA32_BIOS_SIGN_ID's revision; and #GP
 *                       for the machine-check, PLATFORM_INFO and
 *                       speculation-control MSRs CPUID hides. QEMU's TCG
 *                       reads unknown MSRs as zero, checks none of these
 *                       values, gives #UD for RDPMC and loops on a
 *                       reserved CR4 bit (an SVM #VMEXIT outside any
 *                       guest); SeaBIOS programs its own MTRRs: not
 *                       compared.
 *   privileged ports    IN and OUT of each width at every port below
 *                       0x400 (but the exit-status and console ports)
 *                       and 2048 random ones, with random values: none
 *                       faults at CPL 0. Not under QEMU, where some
 *                       ports reset the PC.
 *   privileged string-io  REP OUTSB and REP INSB, which must work
 *   privileged movdr    MOV to and from DR0, DR3, DR4-DR7 at CPL 0, and
 *                       a data breakpoint in DR0 that must raise #DB
 *   privileged task     a far jump to an available TSS: a task switch,
 *                       which must happen (or the VMM stops the VM
 *                       saying why)
 *   privileged gdt-limit|gdt-unbacked|gdt-garbage
 *                       LIDT of garbage, LGDT of garbage (a limit that
 *                       ends before the selector, a base in no RAM,
 *                       random bytes in RAM), then a far jump: a triple
 *                       fault
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "fixup.h"
#include "rand.h"
#include "trap.h"
#include "user_stub.h"
#include "x86.h"

#define CPUID_1_EDX_MCE		(1u << 7)
#define CPUID_1_EDX_MTRR	(1u << 12)
#define CPUID_1_EDX_MCA		(1u << 14)
#define CPUID_7_EDX_IBRS_IBPB	(1u << 26)
#define CPUID_7_EDX_ARCH_CAP	(1u << 29)
#define CPUID_1_ECX_VMX		(1u << 5)
#define CPUID_1_ECX_SMX		(1u << 6)
#define CPUID_1_ECX_XSAVE	(1u << 26)
#define CPUID_1_ECX_MONITOR	(1u << 3)
#define CPUID_7_EBX_INVPCID	(1u << 10)
#define CPUID_81_EDX_RDTSCP	(1u << 27)
#define CR4_DE			(1u << 3)
#define CR4_VMXE		(1u << 13)
#define CR4_SMXE		(1u << 14)
#define CR4_OSXSAVE		(1u << 18)

#define MSR_TESTS		1000
#define MSR_SEED		0x5eed0001u
#define GARBAGE_SEED		0x5eed0002u

#define MSR_FEATURE_CONTROL	0x3a
#define MSR_SPEC_CTRL		0x48
#define MSR_PRED_CMD		0x49
#define MSR_BIOS_SIGN_ID	0x8b
#define MSR_PLATFORM_INFO	0xce
#define MSR_MTRRCAP		0xfe
#define MSR_ARCH_CAPABILITIES	0x10a
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define MSR_MCG_CAP		0x179
#define MSR_MCG_STATUS		0x17a
#define MSR_MISC_ENABLE		0x1a0
#define MSR_MTRR_PHYSBASE(n)	(0x200 + 2 * (n))
#define MSR_MTRR_PHYSMASK(n)	(0x201 + 2 * (n))
#define MSR_PAT			0x277
#define MSR_MTRR_DEF_TYPE	0x2ff
#define MSR_VMX_FIRST		0x480
#define MSR_VMX_LAST		0x491
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102

/* Locked, VMX enabled in neither SMX nor outside it. */
#define FEATURE_CONTROL_LOCKED	0x1ull
#define FEATURE_CONTROL_VMX	0x5ull	/* lock, VMX outside SMX */
#define MTRRCAP_VALUE		0x508ull	/* VCNT 8, FIX, WC */
#define MTRR_DEF_TYPE_BOOT	0xc06ull	/* E, FE, default WB */
#define MTRR_FIXED_BOOT		0x0606060606060606ull	/* all WB */
/* Each valid type at least once: WB, WP, WT, WC, UC. */
#define MTRR_FIXED_VALID	0x0605040100060504ull
#define MTRR_VARIABLE		8
#define MTRR_TYPE_WB		6ull
#define MTRR_PHYSMASK_VALID	(1ull << 11)
#define MTRR_256M		0xfffffffff0000000ull
/* Fast strings, BTS unavailable, PEBS unavailable. */
#define MISC_ENABLE_BOOT	0x1801ull
/* Fast strings, automatic thermal control, xTPR disable: what may change. */
#define MISC_ENABLE_FLIPPED	(MISC_ENABLE_BOOT ^ \
				 (1ull << 0 | 1ull << 3 | 1ull << 23))
#define BIOS_SIGN_ID_VALUE	0x0000000100000000ull	/* revision 1 */

#define NONCANONICAL		0x0000800000000000ull
#define CANONICAL_HIGH		0xffff800000001000ull

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static void arm(void)
{
	last_fault.vector = NO_FAULT;
}

/*
 * One instruction that may fault, with its operands in EAX, ECX, EDX and
 * a memory operand at (%ebx): the trap handler resumes after it.
 */
#define TRY(insn, a, c, d, m)						\
	do {								\
		u32 __a = (a), __c = (c), __d = (d);			\
		arm();							\
		asm volatile(FIXUP_ASM("1: " insn "\n2:")		\
			     : "+a" (__a), "+c" (__c), "+d" (__d)	\
			     : "b" (m) : "memory", "cc");		\
	} while (0)

static u64 operand[2] __aligned(16);

static void vmx_instructions(void)
{
	check(!(cpuid(1, 0).ecx & CPUID_1_ECX_VMX), "CPUID offers no VMX");
	TRY("vmcall", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "VMCALL");
	TRY("vmxon (%%ebx)", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "VMXON");
	TRY("vmxoff", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "VMXOFF");
	TRY("vmclear (%%ebx)", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "VMCLEAR");
	TRY("vmptrld (%%ebx)", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "VMPTRLD");
	TRY("vmptrst (%%ebx)", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "VMPTRST");
	TRY("vmread %%eax, %%ecx", 0x6c00, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "VMREAD of HOST_CR0");
	TRY("vmwrite %%ecx, %%eax", 0x6c00, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "VMWRITE of HOST_CR0");
	TRY("vmlaunch", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "VMLAUNCH");
	TRY("vmresume", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "VMRESUME");
	TRY("invept (%%ebx), %%eax", 2, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "INVEPT (all contexts)");
	TRY("invvpid (%%ebx), %%eax", 2, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "INVVPID (all contexts)");
	TRY("vmfunc", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "VMFUNC 0");
	check(!(cpuid(1, 0).ecx & CPUID_1_ECX_SMX), "CPUID offers no SMX");
	TRY("getsec", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "GETSEC with CR4.SMXE clear");
}

static void xsetbv(void)
{
	static const struct {
		u32 index;
		u64 value;
	} garbage[] = {
		{ 0, 0 },			/* x87 state cannot go */
		{ 0, 0x8000000000000003ull },	/* a reserved bit */
		{ 0, 0x5 },			/* AVX without SSE */
		{ 1, 0x3 },			/* XCR1 is not writable */
		{ 0xdeadbeef, 0x3 },		/* no such XCR */
	};
	int xsave = cpuid(1, 0).ecx & CPUID_1_ECX_XSAVE;
	u32 cr4 = read_cr4() & ~CR4_OSXSAVE;
	u32 i;
	int ok;

	write_cr4(cr4);
	TRY("xsetbv", 3, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "XSETBV with CR4.OSXSAVE clear");
	TRY("xgetbv", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "XGETBV with CR4.OSXSAVE clear");
	/* Where CPUID lacks XSAVE, CR4.OSXSAVE is reserved: garbage can't get in. */
	TRY("mov %%eax, %%cr4", cr4 | CR4_OSXSAVE, 0, 0, operand);
	ok = xsave ? last_fault.vector == NO_FAULT :
		     last_fault.vector == VECTOR_GP;
	check(ok, "setting CR4.OSXSAVE works exactly when CPUID offers XSAVE");
	for (i = 0; i < ARRAY_SIZE(garbage); i++) {
		TRY("xsetbv", (u32)garbage[i].value, garbage[i].index,
		    (u32)(garbage[i].value >> 32), operand);
		ok = xsave ? last_fault.vector == VECTOR_GP &&
			     last_fault.error == 0 :
			     last_fault.vector == VECTOR_UD;
		check(ok, "XSETBV of XCR%x=0x%08x%08x is refused",
		      garbage[i].index, (u32)(garbage[i].value >> 32),
		      (u32)garbage[i].value);
	}
	write_cr4(cr4);
}

/* Each must #GP (or #UD) before it does anything. */

USER_STUB(user_mov_from_dr7, "mov %dr7, %eax");
USER_STUB(user_mov_to_dr0, "mov %eax, %dr0");
USER_STUB(user_mov_to_cr0, "mov %eax, %cr0");
USER_STUB(user_mov_from_cr3, "mov %cr3, %eax");
USER_STUB(user_hlt, "hlt");
USER_STUB(user_cli, "cli");
USER_STUB(user_lgdt, "lgdt (%edx)");
USER_STUB(user_lidt, "lidt (%edx)");
USER_STUB(user_ltr, "ltr %dx");
USER_STUB(user_rdmsr, "rdmsr");
USER_STUB(user_wrmsr, "wrmsr");
USER_STUB(user_invlpg, "invlpg (%edx)");
USER_STUB(user_invd, "invd");
USER_STUB(user_wbinvd, "wbinvd");
USER_STUB(user_clts, "clts");
USER_STUB(user_in, "inb $0x80, %al");
USER_STUB(user_out, "outb %al, $0x80");
USER_STUB(user_vmcall, "vmcall");
USER_STUB(user_vmxon, "vmxon (%edx)");

static void ring3(void)
{
	static const struct {
		void (*fn)(void);
		u32 vector;
		const char *what;
	} tests[] = {
		{ user_mov_from_dr7, VECTOR_GP, "MOV from DR7" },
		{ user_mov_to_dr0, VECTOR_GP, "MOV to DR0" },
		{ user_mov_to_cr0, VECTOR_GP, "MOV to CR0" },
		{ user_mov_from_cr3, VECTOR_GP, "MOV from CR3" },
		{ user_hlt, VECTOR_GP, "HLT" },
		{ user_cli, VECTOR_GP, "CLI (IOPL 0)" },
		{ user_lgdt, VECTOR_GP, "LGDT" },
		{ user_lidt, VECTOR_GP, "LIDT" },
		{ user_ltr, VECTOR_GP, "LTR" },
		{ user_rdmsr, VECTOR_GP, "RDMSR of EFER" },
		{ user_wrmsr, VECTOR_GP, "WRMSR of EFER" },
		{ user_invlpg, VECTOR_GP, "INVLPG" },
		{ user_invd, VECTOR_GP, "INVD" },
		{ user_wbinvd, VECTOR_GP, "WBINVD" },
		{ user_clts, VECTOR_GP, "CLTS" },
		{ user_in, VECTOR_GP, "IN (IOPL 0, no I/O bitmap)" },
		{ user_out, VECTOR_GP, "OUT (IOPL 0, no I/O bitmap)" },
		/*
		 * #UD outranks the privilege check for these. (Not XSETBV:
		 * the SDM gives no order between its #UD and #GP, and Bochs
		 * and QEMU differ.)
		 */
		{ user_vmcall, VECTOR_UD, "VMCALL" },
		{ user_vmxon, VECTOR_UD, "VMXON" },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		arm();
		/* EDX: a harmless address; ECX: EFER, for RDMSR/WRMSR. */
		user_call(tests[i].fn, (u32)operand, MSR_EFER);
		check_exception(tests[i].vector, 0, "%s at CPL 3", tests[i].what);
	}
}

static void debug_registers(void)
{
	u32 cr4 = read_cr4();

	write_cr4(cr4 | CR4_DE);
	TRY("mov %%dr4, %%eax", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "MOV from DR4 with CR4.DE set");
	TRY("mov %%eax, %%dr5", 0, 0, 0, operand);
	check_exception(VECTOR_UD, 0, "MOV to DR5 with CR4.DE set");
	write_cr4(cr4);
}

static void privileged_instructions(void)
{
	vmx_instructions();
	xsetbv();
	debug_registers();
	ring3();
	TRY("invd", 0, 0, 0, operand);
	check_nofault("INVD at CPL 0");
	TRY("wbinvd", 0, 0, 0, operand);
	check_nofault("WBINVD at CPL 0");
}

/* Indexes where MSRs live, and anywhere at all. */
static u32 random_msr(u32 *seed)
{
	u32 r = rand_next(seed);

	switch (r % 4) {
	case 0:
		return rand_below(seed, 0x2000);
	case 1:
		return 0xc0000000 + rand_below(seed, 0x2000);
	case 2:
		return 0x40000000 + rand_below(seed, 0x200);	/* hypervisors' */
	}
	return rand_next(seed);
}

/* MSRs a random write would take the guest out from under itself with. */
static int msr_unsafe(u32 msr)
{
	return msr == MSR_EFER;
}

/*
 * MSRs a VMM is likely to emulate or hand to the hardware, where a value
 * it does not check would reach the host: each gets random values too.
 */
static const u32 likely_msrs[] = {
	0x10,		/* TSC */
	0x1b,		/* APIC base */
	0x3a,		/* feature control */
	0x8b,		/* microcode revision */
	0x174, 0x175, 0x176,	/* SYSENTER CS, ESP, EIP */
	0x1d9,		/* DEBUGCTL */
	0x277,		/* PAT */
	0x2ff,		/* MTRR default type */
	0x480,		/* VMX basic */
	0x6e0,		/* TSC deadline */
	0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,	/* STAR ... FMASK */
	0xc0000100, 0xc0000101, 0xc0000102,	/* FS, GS, kernel GS base */
	0xc0000103,	/* TSC_AUX */
};

#define LIKELY_ROUNDS	8

static void random_msrs(void)
{
	u32 seed = MSR_SEED, i, msr, lo, hi, bad_rd = 0, bad_wr = 0;
	u32 n = ARRAY_SIZE(likely_msrs);

	for (i = 0; i < MSR_TESTS + n * LIKELY_ROUNDS; i++) {
		msr = i < MSR_TESTS ? random_msr(&seed) :
		      likely_msrs[(i - MSR_TESTS) % n];
		TRY("rdmsr", 0, msr, 0, operand);
		if (last_fault.vector != NO_FAULT &&
		    (last_fault.vector != VECTOR_GP || last_fault.error))
			bad_rd++;
		lo = rand_next(&seed);
		hi = rand_next(&seed);
		if (msr_unsafe(msr))
			continue;
		TRY("wrmsr", lo, msr, hi, operand);
		if (last_fault.vector != NO_FAULT &&
		    (last_fault.vector != VECTOR_GP || last_fault.error))
			bad_wr++;
	}
	check(!bad_rd,
	      "%u RDMSRs of random indexes, %u of likely ones, complete or raise #GP(0)",
	      MSR_TESTS, n * LIKELY_ROUNDS);
	if (bad_rd)
		printf("# %u did something else\n", bad_rd);
	check(!bad_wr,
	      "WRMSRs of random values to them complete or raise #GP(0)");
	if (bad_wr)
		printf("# %u did something else\n", bad_wr);
}

static u64 try_rdmsr(u32 msr)
{
	u32 a = 0, d = 0;

	arm();
	/* "memory": the trap handler writes last_fault behind our back. */
	asm volatile(FIXUP_ASM("1: rdmsr\n2:")
		     : "+a" (a), "+d" (d) : "c" (msr) : "memory");
	return a | (u64)d << 32;
}

static void try_wrmsr(u32 msr, u64 value)
{
	TRY("wrmsr", (u32)value, msr, (u32)(value >> 32), operand);
}

static void msr_base(u32 msr, const char *name)
{
	u64 old = try_rdmsr(msr), v;

	check_nofault("RDMSR of %s", name);
	try_wrmsr(msr, NONCANONICAL);
	check_exception(VECTOR_GP, 0, "WRMSR of non-canonical 0x%08x%08x to %s",
			(u32)(NONCANONICAL >> 32), (u32)NONCANONICAL, name);
	try_wrmsr(msr, CANONICAL_HIGH);
	check_nofault("WRMSR of canonical 0x%08x%08x to %s",
		      (u32)(CANONICAL_HIGH >> 32), (u32)CANONICAL_HIGH, name);
	v = try_rdmsr(msr);
	check(last_fault.vector == NO_FAULT && v == CANONICAL_HIGH,
	      "%s reads it back", name);
	if (v != CANONICAL_HIGH)
		printf("# got 0x%08x%08x\n", (u32)(v >> 32), (u32)v);
	try_wrmsr(msr, old);
}

/* For a "# " note: what the last probe did, then a newline. */
static void print_fault(void)
{
	if (last_fault.vector == NO_FAULT)
		puts("no fault\n");
	else
		printf("vector %u err=0x%x\n", last_fault.vector,
		       last_fault.error);
}

/* RDMSR that must complete and read want. */
static void check_rdmsr(u32 msr, u64 want, const char *name)
{
	u64 v = try_rdmsr(msr);
	int ok = last_fault.vector == NO_FAULT && v == want;

	check_start(ok, "RDMSR of %s gives 0x%08x%08x", name,
		    (u32)(want >> 32), (u32)want);
	if (ok || last_fault.vector != NO_FAULT)
		check_end(ok, "got vector %u err=0x%x", last_fault.vector,
			  last_fault.error);
	else
		check_end(ok, "got 0x%08x%08x", (u32)(v >> 32), (u32)v);
}

/* WRMSR that must complete, and RDMSR give the value back. */
static void check_wrmsr(u32 msr, u64 value, const char *name)
{
	u32 vector, error;
	u64 v;
	int ok;

	try_wrmsr(msr, value);
	vector = last_fault.vector;
	error = last_fault.error;
	v = try_rdmsr(msr);
	ok = vector == NO_FAULT && last_fault.vector == NO_FAULT && v == value;
	check_start(ok, "WRMSR of 0x%08x%08x to %s completes and reads back",
		    (u32)(value >> 32), (u32)value, name);
	if (vector != NO_FAULT)
		check_end(ok, "got vector %u err=0x%x", vector, error);
	else if (last_fault.vector != NO_FAULT)
		check_end(ok, "RDMSR got vector %u err=0x%x",
			  last_fault.vector, last_fault.error);
	else
		check_end(ok, "read 0x%08x%08x", (u32)(v >> 32), (u32)v);
}

/* WRMSR that must raise #GP(0); why says what is wrong with value. */
static void check_wrmsr_gp(u32 msr, u64 value, const char *name,
			   const char *why)
{
	try_wrmsr(msr, value);
	check_exception(VECTOR_GP, 0, "WRMSR to %s with %s", name, why);
}

/* RDMSR and WRMSR of an MSR CPUID says is not there: both #GP(0). */
static void check_msr_absent(u32 msr, const char *name, u64 value,
			     int offered, const char *cpuid_says)
{
	int ok;

	try_rdmsr(msr);
	ok = !offered && last_fault.vector == VECTOR_GP && !last_fault.error;
	check(ok, "RDMSR of %s raises #GP(0), %s", name, cpuid_says);
	if (offered) {
		puts("# CPUID offers it\n");
	} else if (!ok) {
		puts("# got ");
		print_fault();
	}
	try_wrmsr(msr, value);
	ok = !offered && last_fault.vector == VECTOR_GP && !last_fault.error;
	check(ok, "WRMSR of 0x%x to %s raises #GP(0), %s", (u32)value, name,
	      cpuid_says);
	if (!offered && !ok) {
		puts("# got ");
		print_fault();
	}
}

/* Locked at reset, VMX off in and out of SMX: writes are refused. */
static void feature_control(void)
{
	try_wrmsr(MSR_FEATURE_CONTROL, FEATURE_CONTROL_LOCKED);
	check_exception(VECTOR_GP, 0,
			"WRMSR of 1 to IA32_FEATURE_CONTROL (locked)");
	try_wrmsr(MSR_FEATURE_CONTROL, FEATURE_CONTROL_VMX);
	check_exception(VECTOR_GP, 0,
			"WRMSR of 5 (VMX outside SMX) to IA32_FEATURE_CONTROL");
	check_rdmsr(MSR_FEATURE_CONTROL, FEATURE_CONTROL_LOCKED,
		    "IA32_FEATURE_CONTROL after them");
}

static const u32 mtrr_fixed[] = {
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d,
	0x26e, 0x26f,
};

/* No memory types: an MTRR holds UC 0, WC 1, WT 4, WP 5 or WB 6. */
static const u8 mtrr_bad_types[] = { 2, 3, 7, 8, 0x16, 0x46, 0x80, 0xff };

/* Each MSR of list whose RDMSR does not give want: returns how many. */
static u32 msrs_not(const u32 *list, u32 n, u64 want, const char *what)
{
	u32 i, bad = 0;
	u64 v;

	for (i = 0; i < n; i++) {
		v = try_rdmsr(list[i]);
		if (last_fault.vector == NO_FAULT && v == want)
			continue;
		if (bad++ >= 4)
			continue;
		printf("# %s MSR 0x%x: ", what, list[i]);
		if (last_fault.vector == NO_FAULT)
			printf("read 0x%08x%08x\n", (u32)(v >> 32), (u32)v);
		else
			print_fault();
	}
	return bad;
}

static void mtrr_fixed_range(void)
{
	u32 i, b, bad = 0, n = ARRAY_SIZE(mtrr_fixed);
	u64 v;

	check(!msrs_not(mtrr_fixed, n, MTRR_FIXED_BOOT, "fixed"),
	      "RDMSR of each of the 11 fixed-range MTRRs gives 0x0606060606060606");
	for (i = 0; i < n; i++) {
		try_wrmsr(mtrr_fixed[i], MTRR_FIXED_VALID);
		bad += last_fault.vector != NO_FAULT;
	}
	bad += msrs_not(mtrr_fixed, n, MTRR_FIXED_VALID, "fixed");
	check(!bad,
	      "WRMSR of 0x%08x%08x (types 6 5 4 1 0) to each completes and reads back",
	      (u32)(MTRR_FIXED_VALID >> 32), (u32)MTRR_FIXED_VALID);
	for (i = 0; i < n; i++)
		try_wrmsr(mtrr_fixed[i], MTRR_FIXED_BOOT);
	/* Each byte of each, one at a time, an invalid type. */
	bad = 0;
	for (i = 0; i < n; i++) {
		for (b = 0; b < 8; b++) {
			v = MTRR_FIXED_BOOT & ~(0xffull << 8 * b);
			v |= (u64)mtrr_bad_types[(i + b) % 8] << 8 * b;
			try_wrmsr(mtrr_fixed[i], v);
			if (last_fault.vector == VECTOR_GP && !last_fault.error)
				continue;
			if (bad++ >= 4)
				continue;
			printf("# MSR 0x%x, 0x%08x%08x: ", mtrr_fixed[i],
			       (u32)(v >> 32), (u32)v);
			print_fault();
		}
	}
	check(!bad,
	      "WRMSR to them of an invalid type (2 3 7 8 0x16 0x46 0x80 0xff) in any one byte raises #GP(0)");
	check(!msrs_not(mtrr_fixed, n, MTRR_FIXED_BOOT, "fixed"),
	      "and each still gives 0x0606060606060606 after them");
}

static void mtrr_variable_range(void)
{
	u32 maxphys = cpuid(0x80000000, 0).eax >= 0x80000008 ?
		      cpuid(0x80000008, 0).eax & 0xff : 36;
	u32 regs[2 * MTRR_VARIABLE], i;
	u64 top, above, mask;
	int ok;

	if (maxphys < 32 || maxphys > 52) {
		printf("# MAXPHYADDR %u from CPUID: 36 instead\n", maxphys);
		maxphys = 36;
	}
	top = 1ull << (maxphys - 1);
	above = 1ull << maxphys;
	mask = (above - 1) & MTRR_256M;

	for (i = 0; i < ARRAY_SIZE(regs); i++)
		regs[i] = MSR_MTRR_PHYSBASE(0) + i;
	check(!msrs_not(regs, ARRAY_SIZE(regs), 0, "variable"),
	      "RDMSR of each IA32_MTRR_PHYSBASE0-7 and PHYSMASK0-7 gives 0");
	/* No line names MAXPHYADDR: only its place is architectural. */
	try_wrmsr(MSR_MTRR_PHYSBASE(7), top | MTRR_TYPE_WB);
	ok = last_fault.vector == NO_FAULT &&
	     try_rdmsr(MSR_MTRR_PHYSBASE(7)) == (top | MTRR_TYPE_WB);
	try_wrmsr(MSR_MTRR_PHYSMASK(7), mask | MTRR_PHYSMASK_VALID);
	check(ok,
	      "WRMSR to IA32_MTRR_PHYSBASE7 of WB at bit MAXPHYADDR-1 completes and reads back");
	ok = last_fault.vector == NO_FAULT &&
	     try_rdmsr(MSR_MTRR_PHYSMASK(7)) == (mask | MTRR_PHYSMASK_VALID);
	check(ok,
	      "WRMSR to IA32_MTRR_PHYSMASK7 of a valid 256 MiB mask up to MAXPHYADDR completes and reads back");
	try_wrmsr(MSR_MTRR_PHYSMASK(7), 0);
	try_wrmsr(MSR_MTRR_PHYSBASE(7), 0);

	check_wrmsr_gp(MSR_MTRR_PHYSBASE(0), 2, "IA32_MTRR_PHYSBASE0",
		       "type 2");
	check_wrmsr_gp(MSR_MTRR_PHYSBASE(0), 7, "IA32_MTRR_PHYSBASE0",
		       "type 7");
	check_wrmsr_gp(MSR_MTRR_PHYSBASE(0), 1ull << 8 | MTRR_TYPE_WB,
		       "IA32_MTRR_PHYSBASE0", "reserved bit 8");
	check_wrmsr_gp(MSR_MTRR_PHYSBASE(0), 1ull << 11 | MTRR_TYPE_WB,
		       "IA32_MTRR_PHYSBASE0", "reserved bit 11");
	check_wrmsr_gp(MSR_MTRR_PHYSBASE(0), above | MTRR_TYPE_WB,
		       "IA32_MTRR_PHYSBASE0", "bit MAXPHYADDR");
	check_wrmsr_gp(MSR_MTRR_PHYSBASE(0), 1ull << 63 | MTRR_TYPE_WB,
		       "IA32_MTRR_PHYSBASE0", "bit 63");
	check_wrmsr_gp(MSR_MTRR_PHYSMASK(0), MTRR_PHYSMASK_VALID | 1,
		       "IA32_MTRR_PHYSMASK0", "reserved bit 0");
	check_wrmsr_gp(MSR_MTRR_PHYSMASK(0), MTRR_PHYSMASK_VALID | 1ull << 10,
		       "IA32_MTRR_PHYSMASK0", "reserved bit 10");
	check_wrmsr_gp(MSR_MTRR_PHYSMASK(0),
		       mask | above | MTRR_PHYSMASK_VALID,
		       "IA32_MTRR_PHYSMASK0", "bit MAXPHYADDR");
	check_wrmsr_gp(MSR_MTRR_PHYSMASK(0), 1ull << 63 | MTRR_PHYSMASK_VALID,
		       "IA32_MTRR_PHYSMASK0", "bit 63");
	check(!msrs_not(regs, ARRAY_SIZE(regs), 0, "variable"),
	      "and each gives 0 again after them");

	/* VCNT is 8: there is no ninth pair. */
	try_rdmsr(MSR_MTRR_PHYSBASE(8));
	check_exception(VECTOR_GP, 0, "RDMSR of 0x210 (PHYSBASE8, past VCNT)");
	try_rdmsr(MSR_MTRR_PHYSMASK(8));
	check_exception(VECTOR_GP, 0, "RDMSR of 0x211 (PHYSMASK8)");
	try_wrmsr(MSR_MTRR_PHYSBASE(8), 0);
	check_exception(VECTOR_GP, 0, "WRMSR of 0 to 0x210 (PHYSBASE8)");
	try_wrmsr(MSR_MTRR_PHYSMASK(8), 0);
	check_exception(VECTOR_GP, 0, "WRMSR of 0 to 0x211 (PHYSMASK8)");
}

static void mtrrs(void)
{
	check(cpuid(1, 0).edx & CPUID_1_EDX_MTRR,
	      "CPUID.1:EDX.MTRR (bit 12) is set");
	check_rdmsr(MSR_MTRRCAP, MTRRCAP_VALUE,
		    "IA32_MTRRCAP (VCNT 8, FIX, WC)");
	try_wrmsr(MSR_MTRRCAP, MTRRCAP_VALUE);
	check_exception(VECTOR_GP, 0,
			"WRMSR of its own value to IA32_MTRRCAP");

	check_rdmsr(MSR_MTRR_DEF_TYPE, MTRR_DEF_TYPE_BOOT,
		    "IA32_MTRR_DEF_TYPE (E, FE, WB)");
	check_wrmsr(MSR_MTRR_DEF_TYPE, 0, "IA32_MTRR_DEF_TYPE");
	check_wrmsr(MSR_MTRR_DEF_TYPE, 0x805, "IA32_MTRR_DEF_TYPE");
	check_wrmsr(MSR_MTRR_DEF_TYPE, MTRR_DEF_TYPE_BOOT,
		    "IA32_MTRR_DEF_TYPE");
	check_wrmsr_gp(MSR_MTRR_DEF_TYPE, 0xc02, "IA32_MTRR_DEF_TYPE",
		       "type 2");
	check_wrmsr_gp(MSR_MTRR_DEF_TYPE, 0xc07, "IA32_MTRR_DEF_TYPE",
		       "type 7");
	check_wrmsr_gp(MSR_MTRR_DEF_TYPE, 0xc86, "IA32_MTRR_DEF_TYPE",
		       "type 0x86");
	check_wrmsr_gp(MSR_MTRR_DEF_TYPE, 0xe06, "IA32_MTRR_DEF_TYPE",
		       "reserved bit 9");
	check_wrmsr_gp(MSR_MTRR_DEF_TYPE, 0x1c06, "IA32_MTRR_DEF_TYPE",
		       "reserved bit 12");
	check_wrmsr_gp(MSR_MTRR_DEF_TYPE, 1ull << 63 | MTRR_DEF_TYPE_BOOT,
		       "IA32_MTRR_DEF_TYPE", "reserved bit 63");
	check_rdmsr(MSR_MTRR_DEF_TYPE, MTRR_DEF_TYPE_BOOT,
		    "IA32_MTRR_DEF_TYPE after them");
	mtrr_fixed_range();
	mtrr_variable_range();
}

/* Only fast strings, automatic thermal control and xTPR may change. */
static void misc_enable(void)
{
	static const struct {
		u64 value;
		const char *why;
	} refused[] = {
		{ MISC_ENABLE_BOOT & ~(1ull << 11),
		  "BTS unavailable (bit 11) cleared" },
		{ MISC_ENABLE_BOOT & ~(1ull << 12),
		  "PEBS unavailable (bit 12) cleared" },
		{ MISC_ENABLE_BOOT | 1ull << 18,
		  "ENABLE MONITOR FSM (bit 18) set" },
		{ MISC_ENABLE_BOOT | 1ull << 22,
		  "limit CPUID maxval (bit 22) set" },
		{ MISC_ENABLE_BOOT | 1ull << 34,
		  "XD bit disable (bit 34) set" },
	};
	u32 i;

	check_rdmsr(MSR_MISC_ENABLE, MISC_ENABLE_BOOT,
		    "IA32_MISC_ENABLE (fast strings, BTS and PEBS unavailable)");
	check_wrmsr(MSR_MISC_ENABLE, MISC_ENABLE_FLIPPED,
		    "IA32_MISC_ENABLE (bits 0, 3, 23 changed)");
	check_wrmsr(MSR_MISC_ENABLE, MISC_ENABLE_BOOT,
		    "IA32_MISC_ENABLE (as it was)");
	for (i = 0; i < ARRAY_SIZE(refused); i++)
		check_wrmsr_gp(MSR_MISC_ENABLE, refused[i].value,
			       "IA32_MISC_ENABLE", refused[i].why);
	check_rdmsr(MSR_MISC_ENABLE, MISC_ENABLE_BOOT,
		    "IA32_MISC_ENABLE after them");
}

/* The microcode revision, read the way the SDM says: write 0, CPUID(1). */
static void bios_sign_id(void)
{
	try_wrmsr(MSR_BIOS_SIGN_ID, 0);
	check_nofault("WRMSR of 0 to IA32_BIOS_SIGN_ID");
	cpuid(1, 0);
	check_rdmsr(MSR_BIOS_SIGN_ID, BIOS_SIGN_ID_VALUE,
		    "IA32_BIOS_SIGN_ID after CPUID(1) (revision 1 in EDX)");
	try_wrmsr(MSR_BIOS_SIGN_ID, 0x123456789abcdef0ull);
	check_nofault("WRMSR of 0x123456789abcdef0 to IA32_BIOS_SIGN_ID");
}

/* MSRs of what CPUID hides: machine checks, the speculation controls. */
static void msrs_hidden(void)
{
	u32 edx1 = cpuid(1, 0).edx;
	u32 edx7 = cpuid(0, 0).eax >= 7 ? cpuid(7, 0).edx : 0;
	int mc = edx1 & (CPUID_1_EDX_MCE | CPUID_1_EDX_MCA);

	check_msr_absent(MSR_MCG_CAP, "IA32_MCG_CAP", 0, mc,
			 "CPUID.1:EDX offering neither MCE nor MCA (bits 7, 14)");
	check_msr_absent(MSR_MCG_STATUS, "IA32_MCG_STATUS", 0, mc,
			 "CPUID.1:EDX offering neither MCE nor MCA (bits 7, 14)");
	check_msr_absent(MSR_PLATFORM_INFO, "MSR_PLATFORM_INFO", 0, 0,
			 "model-specific, not on this model");
	check_msr_absent(MSR_ARCH_CAPABILITIES, "IA32_ARCH_CAPABILITIES", 0,
			 edx7 & CPUID_7_EDX_ARCH_CAP,
			 "CPUID.7.0:EDX offering no ARCH_CAPABILITIES (bit 29)");
	check_msr_absent(MSR_SPEC_CTRL, "IA32_SPEC_CTRL", 1,
			 edx7 & CPUID_7_EDX_IBRS_IBPB,
			 "CPUID.7.0:EDX offering no IBRS/IBPB (bit 26)");
	check_msr_absent(MSR_PRED_CMD, "IA32_PRED_CMD", 1,
			 edx7 & CPUID_7_EDX_IBRS_IBPB,
			 "CPUID.7.0:EDX offering no IBRS/IBPB (bit 26)");
}

/* Instructions of features CPUID does not offer must not work either. */
static void features_hidden(void)
{
	TRY("rdtscp", 0, 0, 0, operand);
	check(!(cpuid(0x80000001, 0).edx & CPUID_81_EDX_RDTSCP) &&
	      last_fault.vector == VECTOR_UD,
	      "RDTSCP raises #UD, CPUID offering no RDTSCP");
	TRY("invpcid (%%ebx), %%eax", 2, 0, 0, operand);
	check(!(cpuid(7, 0).ebx & CPUID_7_EBX_INVPCID) &&
	      last_fault.vector == VECTOR_UD,
	      "INVPCID raises #UD, CPUID offering no INVPCID");
	TRY("monitor", (u32)operand, 0, 0, operand);
	check(!(cpuid(1, 0).ecx & CPUID_1_ECX_MONITOR) &&
	      last_fault.vector == VECTOR_UD,
	      "MONITOR raises #UD, CPUID offering no MONITOR");
	TRY("mwait", 0, 0, 0, operand);
	check(!(cpuid(1, 0).ecx & CPUID_1_ECX_MONITOR) &&
	      last_fault.vector == VECTOR_UD,
	      "MWAIT raises #UD, CPUID offering no MONITOR");
}

static void msr_architecture(void)
{
	u32 msr, bad = 0, cr4 = read_cr4();
	u64 v;

	check(!(cpuid(1, 0).ecx & (CPUID_1_ECX_VMX | CPUID_1_ECX_SMX)),
	      "CPUID offers neither VMX nor SMX");
	/* QEMU 7.2's TCG loops here: one reason this set is not compared. */
	TRY("mov %%eax, %%cr4", cr4 | CR4_VMXE, 0, 0, operand);
	check_exception(VECTOR_GP, 0, "setting CR4.VMXE");
	TRY("mov %%eax, %%cr4", cr4 | CR4_SMXE, 0, 0, operand);
	check_exception(VECTOR_GP, 0, "setting CR4.SMXE");
	write_cr4(cr4);
	for (msr = MSR_VMX_FIRST; msr <= MSR_VMX_LAST; msr++) {
		v = try_rdmsr(msr);
		if (last_fault.vector == VECTOR_GP)
			continue;
		if (bad++ < 4)
			printf("# MSR 0x%x: vector %u, read 0x%08x%08x\n", msr,
			       last_fault.vector, (u32)(v >> 32), (u32)v);
	}
	check(!bad, "RDMSR of each VMX capability MSR raises #GP");
	check_rdmsr(MSR_FEATURE_CONTROL, FEATURE_CONTROL_LOCKED,
		    "IA32_FEATURE_CONTROL (locked, VMX off)");
	msr_base(MSR_FS_BASE, "IA32_FS_BASE");
	msr_base(MSR_GS_BASE, "IA32_GS_BASE");
	msr_base(MSR_KERNEL_GS_BASE, "IA32_KERNEL_GS_BASE");
	msr_base(MSR_SYSENTER_ESP, "IA32_SYSENTER_ESP");
	msr_base(MSR_SYSENTER_EIP, "IA32_SYSENTER_EIP");
	try_wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 0x2);
	check_exception(VECTOR_GP, 0, "WRMSR of EFER with reserved bit 1");
	try_wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1ull << 40);
	check_exception(VECTOR_GP, 0, "WRMSR of EFER with reserved bit 40");
	try_wrmsr(MSR_PAT, 0x0007040600070402ull);
	check_exception(VECTOR_GP, 0, "WRMSR of PAT with reserved type 2");
	try_wrmsr(MSR_PAT, 0x0007040600070408ull);
	check_exception(VECTOR_GP, 0, "WRMSR of PAT with type 8");
	v = try_rdmsr(MSR_PAT);
	check(v == 0x0007040600070406ull, "PAT kept its power-on value");
	TRY("rdpmc", 0, 0, 0, operand);
	check_exception(VECTOR_GP, 0, "RDPMC of counter 0 (CPUID has no PMU)");
	features_hidden();
	feature_control();
	mtrrs();
	misc_enable();
	bios_sign_id();
	msrs_hidden();
}

static void watchpoint(void);

/* MOV DR at CPL 0 must work: the registers are the guest's. */
static void debug_register_values(void)
{
	u32 v;

	TRY("mov %%eax, %%dr0", 0x12345678, 0, 0, operand);
	check_nofault("MOV to DR0");
	asm volatile("mov %%dr0, %0" : "=r" (v));
	check_value(v, 0x12345678, "MOV from DR0");
	TRY("mov %%eax, %%dr3", 0xfffff000, 0, 0, operand);
	asm volatile("mov %%dr3, %0" : "=r" (v));
	check_value(v, 0xfffff000, "MOV to and from DR3");
	/* Breakpoints defined, none enabled: bit 10 reads as one. */
	TRY("mov %%eax, %%dr7", 0x000f0000, 0, 0, operand);
	asm volatile("mov %%dr7, %0" : "=r" (v));
	check_value(v, 0x000f0400, "MOV to and from DR7");
	TRY("mov %%eax, %%dr7", 0x400, 0, 0, operand);
	check_nofault("MOV of DR7's reset value");
	/* DR6: the status bits are kept, the others read fixed. */
	asm volatile("mov %0, %%dr6" : : "r" (0));
	asm volatile("mov %%dr6, %0" : "=r" (v));
	check_value(v, 0xffff0ff0, "MOV of 0 to and from DR6");
	/* Without CR4.DE, DR4 and DR5 are DR6 and DR7. */
	asm volatile("mov %0, %%cr4" : : "r" (read_cr4() & ~CR4_DE));
	asm volatile("mov %0, %%dr7" : : "r" (0x00100400));
	asm volatile("mov %%dr5, %0" : "=r" (v));
	check_value(v, 0x00100400, "MOV from DR5 without CR4.DE (DR7)");
	asm volatile("mov %%dr4, %0" : "=r" (v));
	check_value(v, 0xffff0ff0, "MOV from DR4 without CR4.DE (DR6)");
	watchpoint();
}

/*
 * A data breakpoint of the guest's own: DR0 on a word, DR7 enabling it
 * for writes. The store completes and then raises #DB, a trap, whose
 * handler resumes after it; DR6 names breakpoint 0.
 */
static void watchpoint(void)
{
	static volatile u32 watched;
	u32 v;

	asm volatile("mov %0, %%dr0" : : "r" (&watched));
	asm volatile("mov %0, %%dr6" : : "r" (0));
	/* L0, R/W0 = 01 (writes), LEN0 = 11 (4 bytes) */
	asm volatile("mov %0, %%dr7" : : "r" (0x000d0401));
	arm();
	asm volatile("1: movl $1, (%0)\n2:\n"
		     ".pushsection .fixup, \"a\"\n"
		     ".long 2b, 2b\n"
		     ".popsection" : : "r" (&watched) : "memory");
	check_exception(VECTOR_DB, 0, "a write to the word DR0 watches");
	arm();
	check_value(watched, 1, "the watched write completed before the #DB");
	asm volatile("mov %%dr6, %0" : "=r" (v));
	check_value(v & 0xf, 1, "DR6 names breakpoint 0");
	asm volatile("mov %0, %%dr7" : : "r" (0x400));
	arm();
	watched = 2;
	check_nofault("no #DB once DR7 disables the breakpoint");
}

#define PORT_SEED	0x5eed0005u
#define RANDOM_PORTS	2048

/* Ports whose writes end the run or print: the status and the console. */
static int port_reserved(u32 port)
{
	return (port >= 0xf4 && port <= 0xf7) ||
	       (port >= 0x3f8 && port <= 0x3ff);
}

/*
 * IN and OUT of every width at every port below 0x400 and at random
 * ones above, with random values: a VMM emulates every one (no I/O
 * reaches the host), and none faults at CPL 0. Not run under QEMU: a
 * PC has ports that reset it.
 */
static void io_ports(void)
{
	u32 seed = PORT_SEED, i, port, bad = 0, n = 0;

	for (i = 0; i < 0x400 + RANDOM_PORTS; i++) {
		port = i < 0x400 ? i : rand_below(&seed, 0x10000);
		if (port_reserved(port) || port_reserved(port + 3))
			continue;
		n++;
		TRY("inb %%dx, %%al", 0, 0, port, operand);
		bad += last_fault.vector != NO_FAULT;
		TRY("inw %%dx, %%ax", 0, 0, port, operand);
		bad += last_fault.vector != NO_FAULT;
		TRY("inl %%dx, %%eax", 0, 0, port, operand);
		bad += last_fault.vector != NO_FAULT;
		/* The PIC masks and the like may take anything. */
		TRY("outb %%al, %%dx", rand_next(&seed), 0, port, operand);
		bad += last_fault.vector != NO_FAULT;
		TRY("outw %%ax, %%dx", rand_next(&seed), 0, port, operand);
		bad += last_fault.vector != NO_FAULT;
		TRY("outl %%eax, %%dx", rand_next(&seed), 0, port, operand);
		bad += last_fault.vector != NO_FAULT;
	}
	check(!bad && n > 0x300,
	      "IN and OUT of each width at every port below 0x400 and %u random ones",
	      RANDOM_PORTS);
}

static u8 io_buffer[64];

/* String I/O: a CPU does it (stringio checks it in detail). */
static void string_io(void)
{
	u32 i;

	for (i = 0; i < sizeof(io_buffer); i++)
		io_buffer[i] = i;
	asm volatile("cld; rep outsb"
		     : "+S" ((u32){ (u32)io_buffer }), "+c" ((u32){ 64 })
		     : "d" (0x80) : "memory");
	check_nofault("REP OUTSB of 64 bytes to port 0x80");
	asm volatile("cld; rep insb"
		     : "+D" ((u32){ (u32)io_buffer }), "+c" ((u32){ 64 })
		     : "d" (0x80) : "memory");
	check_nofault("REP INSB of 64 bytes from port 0x80");
}

struct dtr {
	u16 limit;
	u32 base;
} __packed;

static u8 garbage_table[4096] __aligned(4096);

#define TSS2_SEL	0x40
#define TSS_AVAILABLE	0x89
#define TASK_STACK_SIZE	4096

/* A 32-bit TSS, as much of it as a task switch loads. */
struct tss32 {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2;
	u32 cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iomap_base;
} __packed;

static struct tss32 tss2;
static u64 gdt_copy[16];
static u8 task_stack[TASK_STACK_SIZE] __aligned(16);

static void __noreturn task_entry(void)
{
	puts("privileged: running in the new task\n");
	exit(0);
}

/*
 * A far jump to an available TSS: a task switch, which a CPU carries
 * out and a VMM must either emulate or refuse by stopping the VM.
 */
static void __noreturn task_switch(void)
{
	struct dtr gdtr;
	u32 base = (u32)&tss2, i;

	asm volatile("sgdt %0" : "=m" (gdtr));
	for (i = 0; i <= gdtr.limit / 8 && i < ARRAY_SIZE(gdt_copy); i++)
		gdt_copy[i] = ((u64 *)gdtr.base)[i];
	gdt_copy[TSS2_SEL / 8] = (sizeof(tss2) - 1) |
				 (u64)(base & 0xffffff) << 16 |
				 (u64)TSS_AVAILABLE << 40 |
				 (u64)(base >> 24) << 56;
	gdtr = (struct dtr){ sizeof(gdt_copy) - 1, (u32)gdt_copy };
	asm volatile("lgdt %0" : : "m" (gdtr) : "memory");

	tss2.cr3 = read_cr3();
	tss2.eip = (u32)task_entry;
	tss2.eflags = 0x2;
	tss2.esp = (u32)task_stack + TASK_STACK_SIZE - 16;
	tss2.cs = KERNEL_CS;
	tss2.ss = KERNEL_DS;
	tss2.ds = KERNEL_DS;
	tss2.es = KERNEL_DS;
	tss2.fs = KERNEL_DS;
	tss2.gs = KERNEL_DS;
	tss2.iomap_base = sizeof(tss2);
	puts("privileged: a far jump to a TSS\n");
	asm volatile("ljmp %0, $0" : : "i" (TSS2_SEL) : "memory");
	puts("privileged: the task switch did not happen\n");
	exit(1);
}

static void __noreturn far_jump(const char *how, struct dtr gdt, struct dtr idt)
{
	printf("privileged: %s, then a far jump\n", how);
	asm volatile("lidt %0\n\t"
		     "lgdt %1\n\t"
		     "ljmp $0x08, $1f\n"
		     "1:"
		     : : "m" (idt), "m" (gdt) : "memory");
	puts("privileged: the far jump went through\n");
	exit(1);
}

static void __noreturn garbage_tables(const char *how)
{
	u32 seed = GARBAGE_SEED, i;
	struct dtr idt = { 0, 0 };

	if (streq(how, "gdt-limit")) {
		/* The selector is past the limit: #GP, no IDT, shutdown. */
		struct dtr gdt = { 7, (u32)garbage_table };

		far_jump("LIDT limit 0, LGDT limit 7", gdt, idt);
	} else if (streq(how, "gdt-unbacked")) {
		/* Tables in no RAM at all: what reads there decides nothing. */
		struct dtr gdt = { 0xffff, 0xdead0000 };

		idt = (struct dtr){ 0xffff, 0xbeef0000 };
		far_jump("LIDT and LGDT of bases in no RAM", gdt, idt);
	}
	/*
	 * Random bytes with every descriptor's P bit clear (bit 47), so
	 * neither the code segment nor any gate can be used.
	 */
	for (i = 0; i < sizeof(garbage_table); i++)
		garbage_table[i] = rand_next(&seed);
	for (i = 0; i < sizeof(garbage_table); i += 8)
		garbage_table[i + 5] &= 0x7f;
	idt = (struct dtr){ 0x7ff, (u32)garbage_table };
	far_jump("LIDT and LGDT of random bytes",
		 (struct dtr){ 0x7ff, (u32)garbage_table + 2048 }, idt);
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	const char *what = argc > 1 ? argv[1] : "insn";

	desc_init();
	if (streq(what, "insn")) {
		puts("# privileged: VMX, XSETBV, MOV DR and ring-3 instructions\n");
		privileged_instructions();
	} else if (streq(what, "msr")) {
		puts("# privileged: RDMSR/WRMSR of random indexes and values\n");
		random_msrs();
	} else if (streq(what, "arch")) {
		puts("# privileged: the registers CPUID decides about\n");
		msr_architecture();
	} else if (streq(what, "movdr")) {
		puts("# privileged: MOV DR at CPL 0\n");
		debug_register_values();
	} else if (streq(what, "ports")) {
		puts("# privileged: IN and OUT at every port\n");
		io_ports();
	} else if (streq(what, "string-io")) {
		puts("# privileged: string I/O\n");
		arm();
		string_io();
	} else if (streq(what, "task")) {
		task_switch();
	} else if (streq(what, "gdt-limit") || streq(what, "gdt-unbacked") ||
		   streq(what, "gdt-garbage")) {
		garbage_tables(what);
	} else {
		puts("usage: privileged [insn|msr|arch|ports|string-io|movdr|task|");
		puts("gdt-limit|gdt-unbacked|gdt-garbage]\n");
		return 2;
	}
	return check_done();
}
