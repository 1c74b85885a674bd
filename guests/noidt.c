// SPDX-License-Identifier: GPL-2.0
/*
 * One exception with no IDT: "noidt N" raises vector N (0-31) after
 * loading an IDT of limit 0. Its delivery fails with #GP, that one's with
 * #DF, and the CPU shuts down: a triple fault, whichever path the
 * exception took (raised by the hardware in the guest, like #DE, or
 * injected by a VMM that intercepted the instruction, like #PF after a
 * shadow page-table walk, #GP from WRMSR or #UD from VMCALL).
 *
 * The vectors a program can raise directly are raised that way; the
 * others (NMI, #DF, reserved vectors, #MC, #VE, #CP, ...) with INT N,
 * which with no IDT fails the same way. Variants after the number:
 *   noidt N int     INT N whatever N is
 *   noidt 1 cpuid   single-step over CPUID, which a VMM emulates: the
 *                   #DB is still due after it
 *   noidt 6 vmcall  a #UD a VMM injects
 *   noidt 13 wrmsr  a #GP a VMM injects, for WRMSR of an MSR that does
 *                   not exist (13 alone: a selector past the GDT limit)
 * QEMU 7.2's TCG raises no #AC (17), no #XM (19) and no #GP for an
 * unknown MSR, so tests/guests-qemu.sh runs those three as INT N and
 * only shadowvmm (tests/e2e) runs them as they are.
 * QEMU resets on a triple fault (with -no-reboot: exits 0); shadowvmm
 * stops the VM with "triple fault at rip ...". Either way nothing after
 * the line "noidt: raising ..." may run: if it does, the guest says so
 * and exits 1.
 */
#include "runtime.h"
#include "desc.h"
#include "frame.h"
#include "paging.h"
#include "int_stubs.h"
#include "user_stub.h"
#include "x86.h"

#define CR0_MP		(1u << 1)
#define CR0_TS		(1u << 3)
#define CR0_NE		(1u << 5)
#define CR0_AM		(1u << 18)
#define CR4_OSFXSR	(1u << 9)
#define CR4_OSXMMEXCPT	(1u << 10)
#define EFLAGS_FIXED	(1u << 1)
#define EFLAGS_TF	(1u << 8)
#define EFLAGS_IOPL3	(3u << 12)

/* A data descriptor with P clear, for #NP and #SS. */
#define NP_SEL		0x40
#define SEG_DATA_NP	0x00cf12000000ffffull

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static u32 parse(const char *s, int *ok)
{
	u32 v = 0;

	*ok = *s != '\0';
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1000) {
			*ok = 0;
			return 0;
		}
		v = v * 10 + (*s - '0');
	}
	return v;
}

struct dtr {
	u16 limit;
	u32 base;
} __packed;

static u64 gdt_copy[16];
static u32 bound_pair[2] = { 0, 10 };
static u32 unaligned[2];

/* Our GDT and one more descriptor, not present. */
static void gdt_with_np(void)
{
	struct dtr gdtr;
	u32 i;

	asm volatile("sgdt %0" : "=m" (gdtr));
	for (i = 0; i <= gdtr.limit / 8 && i < ARRAY_SIZE(gdt_copy); i++)
		gdt_copy[i] = ((u64 *)gdtr.base)[i];
	gdt_copy[NP_SEL / 8] = SEG_DATA_NP;
	gdtr = (struct dtr){ sizeof(gdt_copy) - 1, (u32)gdt_copy };
	asm volatile("lgdt %0" : : "m" (gdtr) : "memory");
}

/*
 * #AC comes only at CPL 3: an unaligned load with EFLAGS.AC set. If it
 * is lost, the OUT after it (IOPL 3) ends the run with status 1, before
 * anything else could fault.
 */
USER_STUB(user_unaligned, "mov 1(%edx), %eax; mov $1, %eax; outl %eax, $0xf4");

static void __noreturn unaligned_at_cpl3(void)
{
	asm volatile("mov %0, %%ds\n\t"
		     "mov %0, %%es\n\t"
		     "push %0\n\t"
		     "push $user_stack_top\n\t"
		     "push %1\n\t"
		     "push %2\n\t"
		     "push %3\n\t"
		     "iret"
		     : : "r" (USER_DS), "i" (EFLAGS_FIXED | EFLAGS_IOPL3 | EFLAGS_AC),
		       "i" (USER_CS), "r" (user_unaligned), "d" (unaligned)
		     : "memory");
	__builtin_unreachable();
}

static const char *const names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "coprocessor segment overrun", "#TS", "#NP", "#SS", "#GP",
	"#PF", "reserved 15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	"reserved 22", "reserved 23", "reserved 24", "reserved 25",
	"reserved 26", "reserved 27", "#HV", "#VC", "#SX", "reserved 31",
};

static void raise(u32 vector, const char *variant, const struct multiboot_info *mbi)
{
	static const struct dtr no_idt = { 0, 0 };
	static struct pgtable pt;
	u32 x = 0;

	/* What each one needs in place before the IDT goes. */
	switch (vector) {
	case 11:
	case 12:
		gdt_with_np();
		break;
	case 14:
		frame_init(mbi);
		pgtable_init(&pt, PAGING_32);
		paging_enable(&pt);
		break;
	case 16:
		write_cr0((read_cr0() | CR0_NE | CR0_MP) & ~CR0_TS);
		break;
	case 17:
		write_cr0(read_cr0() | CR0_AM);
		break;
	case 19:
		write_cr0(read_cr0() & ~CR0_TS);
		write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
		break;
	}
	printf("noidt: raising vector %u (%s%s%s) with no IDT\n", vector,
	       names[vector], *variant ? ", " : "", variant);
	asm volatile("lidt %0" : : "m" (no_idt) : "memory");

	if (streq(variant, "int")) {
		int_n(vector);
		goto lost;
	}
	switch (vector) {
	case 0:
		asm volatile("divl %1" : "+a" (x) : "r" (0u) : "edx");
		break;
	case 1:
		if (streq(variant, "cpuid")) {
			/*
			 * The #DB is due right after CPUID. If a VMM that
			 * emulates CPUID drops it, the OUT that follows (also
			 * emulated) ends the run with status 1 before any
			 * instruction of the guest's own could trap instead.
			 */
			asm volatile("pushf; orl %0, (%%esp); popf; cpuid;"
				     "mov $1, %%eax; outl %%eax, $0xf4"
				     : : "i" (EFLAGS_TF), "a" (0)
				     : "ebx", "ecx", "edx", "memory");
		} else {
			asm volatile("pushf; orl %0, (%%esp); popf; nop"
				     : : "i" (EFLAGS_TF) : "memory");
		}
		break;
	case 3:
		asm volatile("int3");
		break;
	case 4:
		asm volatile("mov $0x7fffffff, %%eax; inc %%eax; into"
			     : : : "eax", "cc");
		break;
	case 5:
		asm volatile("bound %0, %1" : : "r" (11), "m" (bound_pair));
		break;
	case 6:
		if (streq(variant, "vmcall"))
			asm volatile("vmcall");
		else
			asm volatile("ud2");
		break;
	case 7:
		write_cr0(read_cr0() | CR0_TS);
		asm volatile("fninit");
		break;
	case 11:
		asm volatile("mov %0, %%fs" : : "r" (NP_SEL));
		break;
	case 12:
		asm volatile("mov %0, %%ss" : : "r" (NP_SEL));
		break;
	case 13:
		if (streq(variant, "wrmsr"))
			wrmsr(0xdeadbeef, 0);
		else
			asm volatile("mov %0, %%ds" : : "r" (0xfff8));
		break;
	case 14:
		asm volatile("mov 0, %0" : "=r" (x) : : "memory");
		break;
	case 16:
		/* Divide by zero unmasked, then the next x87 wait reports it. */
		asm volatile("fninit; fldcw %0; fld1; fdivs %1; fwait"
			     : : "m" ((u16){ 0x37b }), "m" ((u32){ 0 }));
		break;
	case 17:
		unaligned_at_cpl3();
		break;
	case 19:
		/* 0/0 with the invalid-operation exception unmasked. */
		asm volatile("ldmxcsr %0; xorps %%xmm0, %%xmm0; divss %%xmm0, %%xmm0"
			     : : "m" ((u32){ 0x1f00 }));
		break;
	default:
		int_n(vector);
		break;
	}
lost:
	puts("noidt: still running: the exception was lost\n");
	exit(1);
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	u32 vector;
	int ok;

	vector = argc > 1 ? parse(argv[1], &ok) : 0;
	if (argc < 2 || !ok || vector > 31) {
		puts("usage: noidt VECTOR [int|cpuid|vmcall|wrmsr] (VECTOR 0-31)\n");
		return 2;
	}
	desc_init();
	raise(vector, argc > 2 ? argv[2] : "", mbi);
	return 1;
}
