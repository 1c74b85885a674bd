// SPDX-License-Identifier: GPL-2.0
/*
 * Long mode: 4-level paging with 4 KiB, 2 MiB and 1 GiB pages, the
 * checks of lib/paging_checks.c and lib/access_checks.c run from
 * compatibility mode, 64-bit addresses from 64-bit mode (above 4 GiB, in
 * the upper half, non-canonical), a PML4 that maps itself, the way out
 * of long mode into 32-bit and PAE paging and back in again, the
 * 64-bit MSRs keeping what is written to them, the FSGSBASE
 * instructions, and SYSCALL and SYSRETQ between 64-bit code at CPL 3 and
 * at CPL 0.
 *
 * QEMU loads only ELF32 multiboot images, so this one is too: the C is
 * 32-bit and runs in compatibility mode, and only lib/trap64.S is 64-bit.
 */
#include "runtime.h"
#include "access_checks.h"
#include "check.h"
#include "desc.h"
#include "fixup.h"
#include "frame.h"
#include "long_mode.h"
#include "paging_checks.h"
#include "probe.h"
#include "x86.h"

#define TEST_VA		0x40000000u	/* 4 KiB pages, one page table */
#define VA(n)		(TEST_VA + (n) * PAGE_SIZE)
#define PDE_VA		0x40200000u	/* a page table of its own */
#define NX_PDE_VA	0x40400000u	/* another, for NX in the PDE */
#define RSVD_PDE_VA	0x40600000u	/* another, for a reserved bit */
#define SWITCH_VA	0x48000000u	/* mapped by every mode's tables */
#define FORK_VA		0x50000000u	/* two page tables of pages */
#define SPACE_VA	0x60000000u	/* different in each address space */
#define WINDOW_VA	0x7fe00000u	/* the last PDE maps its PD */
#define BIG_VA		0x80000000u	/* a 2 MiB page */
#define RSVD_BIG_VA	0x80400000u	/* a 2 MiB page with a reserved bit */
#define GIB_VA		0xc0000000u	/* a 1 GiB page over RAM */
#define GIB_SIZE	0x40000000u
#define GIB_FRAME_ALIGN	0x1000000u	/* RAM used so far is below it */
#define HIGH_VA		0x0000008000000000ull	/* PML4E 1 */
#define UPPER_VA	0xffff800000000000ull	/* PML4E 256 */
#define NONCANONICAL_VA	0x0000800000000000ull
#define ABSENT_VA	0x0000010000005000ull	/* PML4E 2, never present */
#define SELF_SLOT	257ull			/* the PML4E mapping the PML4 */
/* A 1 GiB page frame is 1 GiB-aligned: bits 29:13 must be zero. */
#define PTE_BIG_RSVD	(1ull << 13)
#define SWITCH_ROUNDS	16
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define KERNEL_GS_VALUE		0xffff800012345000ull
#define FS_VALUE		0x00007f00aaaa1000ull
#define GS_VALUE		0xffff8000bbbb2000ull
#define FS_MSR_VALUE		0xffffffffcccc3000ull
#define CPUID_7_EBX_FSGSBASE	(1u << 0)
#define CR4_FSGSBASE		(1u << 16)
#define SYSENTER_ESP_VALUE	0xffffffff81234000ull
#define SYSENTER_EIP_VALUE	0x00007f0012345678ull
/* Some 20 million instructions: many host ticks, so many VM entries. */
#define SPIN_LOOPS		5000000u
/* SYSCALL's CS and SS from STAR[47:32]; SYSRET's from STAR[63:48]. */
#define STAR_VALUE		((u64)(USER_CS32 & ~3) << 48 | \
				 (u64)KERNEL_CS64 << 32)
#define SFMASK_VALUE		(EFLAGS_AC | EFLAGS_DF | EFLAGS_IF)
/*
 * CPL 3 sets these before its SYSCALL (IF comes with user_call64). NT
 * shows that a flag SFMASK does not name is kept (Linux's SFMASK names
 * it, as a 64-bit IRET with NT set raises #GP). QEMU 7.2's SYSCALL
 * clears the arithmetic flags, which hardware keeps: R11 has CF, but
 * RFLAGS at LSTAR is compared without them.
 */
#define SYSCALL_FLAGS		(EFLAGS_NT | EFLAGS_AC | EFLAGS_DF | \
				 EFLAGS_CF)
#define SYSCALL_RFLAGS		(EFLAGS_FIXED | EFLAGS_IF | SYSCALL_FLAGS)
#define EFLAGS_ARITH		0x8d5u	/* OF SF ZF AF PF CF */
/* R11 for SYSRETQ: not what SYSCALL left there. */
#define SYSRET_RFLAGS		(EFLAGS_FIXED | EFLAGS_IF | EFLAGS_AC | \
				 EFLAGS_ZF | EFLAGS_PF)
/* The 8259s' interrupt masks: IF is set at CPL 3 here. */
#define PIC1_DATA		0x21
#define PIC2_DATA		0xa1
#define TAG(n)		(0x64b00000u + (n))

static struct pgtable kernel;

/* The sign extension that makes an address with bit 47 set canonical. */
static u64 canonical(u64 va)
{
	return va & (1ull << 47) ? va | 0xffff000000000000ull : va;
}

/*
 * Where the self-map shows the entry that maps va at level: SELF_SLOT in
 * the top "level" indexes, then va's own indexes shifted down as many.
 */
static u64 self_map_entry(u64 va, int level)
{
	u64 entry = ((va & 0xffffffffffffull) >> (9 * level)) & ~7ull;
	int k;

	for (k = 0; k < level; k++)
		entry |= SELF_SLOT << (39 - 9 * k);
	return canonical(entry);
}

static void check_long_mode(void)
{
	check(rdmsr(MSR_EFER) & EFER_LMA,
	      "EFER.LMA is set: long mode, running compatibility-mode code");
}

static void check_upper_levels(u32 va)
{
	check((pte_read(&kernel, va, LEVEL_PDPTE) & PTE_A) &&
	      (pte_read(&kernel, va, LEVEL_PML4E) & PTE_A),
	      "reads set A in the PDPTE and the PML4E too");
}

static void check_64bit_addresses(void)
{
	u32 high = frame_alloc_tagged(TAG(1));
	u32 upper = frame_alloc_tagged(TAG(2));
	u32 v;

	pg_map(&kernel, HIGH_VA, high, LEVEL_PTE, PTE_P | PTE_RW);
	pg_map(&kernel, UPPER_VA, upper, LEVEL_PTE, PTE_P | PTE_RW);
	flush_tlb();
	probe64_read(HIGH_VA, &v);
	check_value(v, TAG(1), "64-bit read at 0x0000008000000000");
	check(!probe64_write(HIGH_VA + 8, TAG(3)) &&
	      *(u32 *)(high + 8) == TAG(3) &&
	      (pte_read(&kernel, HIGH_VA, LEVEL_PTE) & PTE_D),
	      "64-bit write there reaches the frame and sets D");
	probe64_read(UPPER_VA, &v);
	check_value(v, TAG(2), "64-bit read at 0xffff800000000000");
	probe64_read(NONCANONICAL_VA, &v);
	check_exception(VECTOR_GP, 0, "64-bit non-canonical read");
	probe64_read(ABSENT_VA, &v);
	check_pf(0, ABSENT_VA, "64-bit read through a PML4E not present");

	/* INVLPG in compatibility mode cannot name these: reload CR3. */
	pte_change(&kernel, HIGH_VA, LEVEL_PTE, 0, PTE_P);
	flush_tlb();
	probe64_read(HIGH_VA, &v);
	check_pf(0, HIGH_VA, "64-bit read after unmap (CR3 reload)");
	pte_change(&kernel, HIGH_VA, LEVEL_PTE, PTE_P, 0);
	pte_change(&kernel, HIGH_VA, LEVEL_PML4E, PTE_PS, 0);
	flush_tlb();
	probe64_read(HIGH_VA, &v);
	check_pf_rsvd(0, HIGH_VA, "64-bit read through a PML4E with bit 7");
	pte_change(&kernel, HIGH_VA, LEVEL_PML4E, 0, PTE_PS);
	flush_tlb();
	probe64_read(HIGH_VA, &v);
	check_value(v, TAG(1), "64-bit read once bit 7 is clear again");
}

static void check_self_map_pml4(void)
{
	u64 slot_va = canonical(SELF_SLOT << 39);
	u32 z = frame_alloc_tagged(TAG(10)), va = VA(9), next = VA(10);
	int level, wrong = 0;
	u32 v;

	pte_write(&kernel, slot_va, LEVEL_PML4E,
		  kernel.root | PTE_P | PTE_RW);
	flush_tlb();
	for (level = LEVEL_PTE; level <= LEVEL_PML4E; level++) {
		probe64_read(self_map_entry(va, level), &v);
		wrong += v != (u32)pte_read(&kernel, va, level);
	}
	check(!wrong,
	      "PTE, PDE, PDPTE, PML4E read through a self-mapping PML4E match");
	probe64_write(self_map_entry(next, LEVEL_PTE), z | PTE_P | PTE_RW);
	invlpg(next);
	probe_read(next, &v);
	check_value(v, TAG(10), "page mapped by a PTE written through it");
	probe64_write(self_map_entry(next, LEVEL_PTE), 0);
	invlpg(next);
	probe_read(next, &v);
	check_pf(0, next, "read after a PTE cleared through it");
	pte_write(&kernel, slot_va, LEVEL_PML4E, 0);
	flush_tlb();
	probe64_read(self_map_entry(va, LEVEL_PTE), &v);
	check_pf(0, self_map_entry(va, LEVEL_PTE),
		 "64-bit read of the window once the PML4E is gone");
}

static void check_gib_page(void)
{
	u32 pa, v;

	if (!(cpuid(0x80000001, 0).edx & CPUID_81_EDX_1G)) {
		check(0, "1 GiB pages: CPUID lacks them");
		return;
	}
	/* A frame at a fixed address, so CR2 below does not follow _end. */
	pa = frame_alloc_range(PAGE_SIZE, GIB_FRAME_ALIGN);
	*(u32 *)pa = TAG(20);
	/* Over RAM from physical 0: a frame shows at GIB_VA + its address. */
	pg_map(&kernel, GIB_VA, 0, LEVEL_PDPTE, PTE_P | PTE_RW);
	flush_tlb();
	probe_read(GIB_VA + pa, &v);
	check_value(v, TAG(20), "read of a frame through a 1 GiB page");
	check((pte_read(&kernel, GIB_VA, LEVEL_PDPTE) & (PTE_A | PTE_D)) ==
	      PTE_A, "the read set A and not D in the 1 GiB PDPTE");
	check(!probe_write(GIB_VA + pa + 4, TAG(21)) &&
	      *(u32 *)(pa + 4) == TAG(21) &&
	      (pte_read(&kernel, GIB_VA, LEVEL_PDPTE) & PTE_D),
	      "a write through it reaches the frame and sets D");
	pte_change(&kernel, GIB_VA, LEVEL_PDPTE, 0, PTE_RW);
	invlpg(GIB_VA + GIB_SIZE / 2);	/* any address in the page will do */
	probe_write(GIB_VA + pa, 0);
	check_pf(PF_P | PF_W, GIB_VA + pa,
		 "write to the 1 GiB page made read-only (INVLPG)");
	pte_change(&kernel, GIB_VA, LEVEL_PDPTE, PTE_BIG_RSVD, 0);
	invlpg(GIB_VA);
	probe_read(GIB_VA + pa, &v);
	check_pf_rsvd(0, GIB_VA + pa,
		      "read of a 1 GiB page with address bit 13 set");
	pte_change(&kernel, GIB_VA, LEVEL_PDPTE, 0, PTE_BIG_RSVD | PTE_P);
	invlpg(GIB_VA);
	probe_read(GIB_VA + pa, &v);
	check_pf(0, GIB_VA + pa, "read of the unmapped 1 GiB page");
}

static void map_switch(const struct pgtable *pt, u32 page, u32 user)
{
	pg_map(pt, SWITCH_VA, page, LEVEL_PTE, PTE_P | PTE_RW);
	pg_map(pt, SWITCH_VA + PAGE_SIZE, user, LEVEL_PTE,
	       PTE_P | PTE_RW | PTE_US);
}

/* Out of long mode to 32-bit and PAE paging, and back, many times. */
static void check_mode_switches(void)
{
	struct pgtable flat, pae;
	u32 a = frame_alloc_tagged(TAG(30)), b = frame_alloc_tagged(TAG(31));
	u32 c = frame_alloc_tagged(TAG(32)), u = frame_alloc_tagged(TAG(33));
	int i, wrong = 0;
	u32 v;

	map_switch(&kernel, a, u);
	flush_tlb();
	probe_read(SWITCH_VA, &v);
	check_value(v, TAG(30), "read in long mode before leaving it");
	long_mode_leave();
	check(!(rdmsr(MSR_EFER) & (EFER_LMA | EFER_LME)) &&
	      !(read_cr0() & CR0_PG),
	      "left long mode: EFER.LMA and LME clear, paging off");
	pgtable_init(&flat, PAGING_32);
	map_switch(&flat, b, u);
	paging_enable(&flat);
	probe_read(SWITCH_VA, &v);
	check_value(v, TAG(31), "32-bit paging after long mode");
	user_read(SWITCH_VA + PAGE_SIZE, &v);
	check_value(v, TAG(33), "user read there, through the 32-bit IDT");
	paging_disable();
	pgtable_init(&pae, PAGING_PAE);
	map_switch(&pae, c, u);
	paging_enable(&pae);
	probe_read(SWITCH_VA, &v);
	check_value(v, TAG(32), "PAE paging after that");

	long_mode_enter(&kernel);
	probe_read(SWITCH_VA, &v);
	check_value(v, TAG(30), "long mode again, with its old tables");
	user_read(SWITCH_VA + PAGE_SIZE, &v);
	check_value(v, TAG(33), "user read there, through the 64-bit IDT");
	for (i = 0; i < SWITCH_ROUNDS; i++) {
		long_mode_leave();
		paging_enable(i & 1 ? &pae : &flat);
		wrong += peek(SWITCH_VA) != (i & 1 ? TAG(32) : TAG(31));
		paging_disable();
		long_mode_enter(&kernel);
		wrong += peek(SWITCH_VA) != TAG(30);
	}
	check(!wrong,
	      "%d round trips out of long mode and back: each sees its page",
	      SWITCH_ROUNDS);
}

/*
 * The MSRs 64-bit system software sets up, written here from
 * compatibility mode, must keep what was written, all 64 bits of it, for
 * as long as the guest runs: a VMM that holds one in the CPU only while
 * it runs the guest must not lose a write when it switches to the host.
 */
static void check_msrs(void)
{
	volatile u32 i;

	wrmsr(MSR_KERNEL_GS_BASE, KERNEL_GS_VALUE);
	wrmsr(MSR_SYSENTER_ESP, SYSENTER_ESP_VALUE);
	wrmsr(MSR_SYSENTER_EIP, SYSENTER_EIP_VALUE);
	check(rdmsr(MSR_KERNEL_GS_BASE) == KERNEL_GS_VALUE,
	      "KERNEL_GS_BASE reads back 0x%x%08x",
	      (u32)(KERNEL_GS_VALUE >> 32), (u32)KERNEL_GS_VALUE);
	for (i = 0; i < SPIN_LOOPS; i++)
		;
	check(rdmsr(MSR_KERNEL_GS_BASE) == KERNEL_GS_VALUE,
	      "and still does after %u loops", SPIN_LOOPS);
	check(rdmsr(MSR_SYSENTER_ESP) == SYSENTER_ESP_VALUE &&
	      rdmsr(MSR_SYSENTER_EIP) == SYSENTER_EIP_VALUE,
	      "SYSENTER_ESP and SYSENTER_EIP keep all 64 bits");
}

/* Print a base that differs from the one expected. */
static void show_base(u64 got, u64 want)
{
	if (got != want)
		printf("# got 0x%08x%08x\n", (u32)(got >> 32), (u32)got);
}

/*
 * FS and GS bases are guest state: RDFSBASE, WRFSBASE, RDGSBASE and
 * WRGSBASE, offered by CPUID and enabled by CR4.FSGSBASE, reach them
 * with no VMM in the way, and must agree with the MSRs and SWAPGS, and
 * keep what they wrote over many VM exits.
 */
static void check_fsgsbase(void)
{
	volatile u32 i;
	u64 got;

	if (!(cpuid(7, 0).ebx & CPUID_7_EBX_FSGSBASE)) {
		check(0, "FSGSBASE: CPUID lacks it");
		return;
	}
	last_fault.vector = NO_FAULT;
	__rdbase64(BASE_FS);
	check_exception(VECTOR_UD, 0, "RDFSBASE with CR4.FSGSBASE clear");
	write_cr4(read_cr4() | CR4_FSGSBASE);
	check(read_cr4() & CR4_FSGSBASE, "CR4.FSGSBASE (bit 16) sets");

	last_fault.vector = NO_FAULT;
	__wrbase64(BASE_FS, FS_VALUE);
	__wrbase64(BASE_GS, GS_VALUE);
	check_nofault("WRFSBASE and WRGSBASE");
	got = rdmsr(MSR_FS_BASE);
	check(got == FS_VALUE, "FS_BASE reads what WRFSBASE wrote, 0x%08x%08x",
	      (u32)(FS_VALUE >> 32), (u32)FS_VALUE);
	show_base(got, FS_VALUE);
	got = rdmsr(MSR_GS_BASE);
	check(got == GS_VALUE, "GS_BASE reads what WRGSBASE wrote, 0x%08x%08x",
	      (u32)(GS_VALUE >> 32), (u32)GS_VALUE);
	show_base(got, GS_VALUE);

	wrmsr(MSR_FS_BASE, FS_MSR_VALUE);
	wrmsr(MSR_KERNEL_GS_BASE, KERNEL_GS_VALUE);
	got = __rdbase64(BASE_FS);
	check(got == FS_MSR_VALUE, "RDFSBASE reads what WRMSR wrote");
	show_base(got, FS_MSR_VALUE);
	got = __rdbase64(BASE_KERNEL_GS);
	check(got == KERNEL_GS_VALUE, "RDGSBASE after SWAPGS reads KERNEL_GS_BASE");
	show_base(got, KERNEL_GS_VALUE);
	got = __rdbase64(BASE_GS);
	check(got == GS_VALUE, "and after SWAPGS again, the GS base");
	show_base(got, GS_VALUE);

	__wrbase64(BASE_FS, FS_VALUE);
	for (i = 0; i < SPIN_LOOPS; i++)
		;
	check(__rdbase64(BASE_FS) == FS_VALUE &&
	      __rdbase64(BASE_GS) == GS_VALUE &&
	      __rdbase64(BASE_KERNEL_GS) == KERNEL_GS_VALUE,
	      "all three bases still hold after %u loops", SPIN_LOOPS);

	__wrbase64(BASE_FS, 0);
	__wrbase64(BASE_GS, 0);
	write_cr4(read_cr4() & ~CR4_FSGSBASE);
	last_fault.vector = NO_FAULT;
	__wrbase64(BASE_GS, GS_VALUE);
	check_exception(VECTOR_UD, 0, "WRGSBASE with CR4.FSGSBASE clear again");
	check(rdmsr(MSR_GS_BASE) == 0, "and leaves GS_BASE alone");
}

/* WRMSR that may fault, as the probes do: the fault is in last_fault. */
static void try_wrmsr(u32 msr, u64 value)
{
	last_fault.vector = NO_FAULT;
	asm volatile(FIXUP_ASM("1: wrmsr\n2:")
		     : : "c" (msr), "a" ((u32)value),
		       "d" ((u32)(value >> 32)) : "memory");
}

/*
 * SYSCALL from 64-bit code at CPL 3 to LSTAR at CPL 0, and SYSRETQ back,
 * as a 64-bit kernel uses them: STAR names the segments, SFMASK the flags
 * SYSCALL clears (IF, so that the kernel starts with interrupts off, as
 * well as AC and DF). Only with EFER.SCE set; without it, #UD.
 */
static void check_syscall(void)
{
	u32 lstar = (u32)syscall_entry64, got;

	check(cpuid64(0x80000001, 0).edx & CPUID_81_EDX_SYSCALL,
	      "CPUID.80000001H:EDX.SYSCALL (bit 11) is set in 64-bit mode");
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	check(rdmsr(MSR_EFER) & EFER_SCE, "EFER.SCE (bit 0) sets");
	wrmsr(MSR_STAR, STAR_VALUE);
	wrmsr(MSR_LSTAR, lstar);
	wrmsr(MSR_SFMASK, SFMASK_VALUE);
	check(rdmsr(MSR_STAR) == STAR_VALUE && rdmsr(MSR_LSTAR) == lstar &&
	      rdmsr(MSR_SFMASK) == SFMASK_VALUE,
	      "STAR 0x%08x%08x, LSTAR and SFMASK 0x%08x read back",
	      (u32)(STAR_VALUE >> 32), (u32)STAR_VALUE, SFMASK_VALUE);
	try_wrmsr(MSR_CSTAR, lstar);
	check_nofault("WRMSR of CSTAR (compatibility-mode SYSCALL's target)");

	/* Nothing may interrupt the CPL 3 code, which runs with IF set. */
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	syscall_seen = (struct syscall_seen){ .sysret_r11 = SYSRET_RFLAGS };
	sysret_seen = (struct sysret_seen){ 0 };
	got = user_call64(user_syscall64, SYSCALL_FLAGS, 0,
			  EFLAGS_FIXED | EFLAGS_IF);
	check(syscall_seen.entries == 1,
	      "SYSCALL from 64-bit code at CPL 3 reaches LSTAR");
	check(syscall_seen.cs == KERNEL_CS64 && syscall_seen.ss == KERNEL_SS64,
	      "there CPL 0, CS 0x%x (STAR[47:32]), SS 0x%x (STAR[47:32] + 8)",
	      KERNEL_CS64, KERNEL_SS64);
	if (syscall_seen.cs != KERNEL_CS64 || syscall_seen.ss != KERNEL_SS64)
		printf("# got CS 0x%x, SS 0x%x\n", syscall_seen.cs,
		       syscall_seen.ss);
	check(syscall_seen.rcx == (u32)user_syscall64_next,
	      "RCX holds the address after the SYSCALL, all 64 bits");
	check(syscall_seen.user_rflags == SYSCALL_RFLAGS &&
	      syscall_seen.r11 == SYSCALL_RFLAGS,
	      "R11 holds RFLAGS from before it, 0x%08x (NT AC DF IF CF)",
	      SYSCALL_RFLAGS);
	check((syscall_seen.rflags & ~EFLAGS_ARITH) ==
	      (SYSCALL_RFLAGS & ~SFMASK_VALUE & ~EFLAGS_ARITH),
	      "RFLAGS is that with SFMASK's AC DF IF cleared, 0x%08x (arithmetic flags not compared)",
	      SYSCALL_RFLAGS & ~SFMASK_VALUE);
	if (syscall_seen.r11 != SYSCALL_RFLAGS ||
	    (syscall_seen.rflags & ~EFLAGS_ARITH) !=
	    (SYSCALL_RFLAGS & ~SFMASK_VALUE & ~EFLAGS_ARITH))
		printf("# got R11 0x%08x%08x, RFLAGS 0x%08x%08x\n",
		       (u32)(syscall_seen.r11 >> 32), (u32)syscall_seen.r11,
		       (u32)(syscall_seen.rflags >> 32),
		       (u32)syscall_seen.rflags);
	check(!got && sysret_seen.arrivals == 1,
	      "SYSRETQ returns to CPL 3 at RCX, which LSTAR's code moved");
	check(sysret_seen.cs == USER_CS64 && sysret_seen.ss == USER_DS64,
	      "there CS 0x%x (STAR[63:48] + 16 | 3), SS 0x%x (STAR[63:48] + 8 | 3)",
	      USER_CS64, USER_DS64);
	if (sysret_seen.cs != USER_CS64 || sysret_seen.ss != USER_DS64)
		printf("# got CS 0x%x, SS 0x%x\n", sysret_seen.cs,
		       sysret_seen.ss);
	check(sysret_seen.rflags == SYSRET_RFLAGS,
	      "RFLAGS from R11, 0x%08x (AC IF ZF PF)", SYSRET_RFLAGS);
	if (sysret_seen.rflags != SYSRET_RFLAGS)
		printf("# got 0x%08x%08x\n", (u32)(sysret_seen.rflags >> 32),
		       (u32)sysret_seen.rflags);
	check(syscall_seen.rsp == syscall_seen.user_rsp &&
	      sysret_seen.rsp == syscall_seen.user_rsp,
	      "RSP stays the user's through SYSCALL and SYSRETQ");

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_SCE);
	last_fault.vector = NO_FAULT;
	user_call64(user_syscall_ud64, 0, 0, EFLAGS_FIXED);
	check_exception(VECTOR_UD, 0, "SYSCALL at CPL 3 with EFER.SCE clear");
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	puts("# long: 4-level paging in long mode, and out of it again\n");
	desc_init();
	frame_init(mbi);
	if (!long_mode_supported()) {
		check(0, "long mode: CPUID lacks it");
		return check_done();
	}
	pgtable_init(&kernel, PAGING_4LEVEL);
	long_mode_enter(&kernel);

	check_long_mode();
	check_accessed_dirty(&kernel, VA(0));
	check_upper_levels(VA(0));
	check_remap(&kernel, VA(1), 0);
	check_remap(&kernel, VA(2), 1);
	check_write_protect(&kernel, VA(3), VA(9));
	check_user(&kernel, VA(4), PDE_VA);
	check_big_page(&kernel, BIG_VA);
	check_gib_page();
	check_self_map(&kernel, WINDOW_VA, VA(9));
	check_self_map_pml4();
	check_64bit_addresses();
	check_address_spaces(&kernel, SPACE_VA);
	check_fork(&kernel, FORK_VA);
	if (cpuid(1, 0).edx & CPUID_1_EDX_PGE)
		check_global(&kernel, VA(16));
	else
		check(0, "global pages: CPUID lacks PGE");
	check_nx(&kernel, VA(20), NX_PDE_VA);
	check_reserved(&kernel, VA(24), RSVD_PDE_VA, RSVD_BIG_VA);
	check_smep(&kernel, VA(26));
	check_smap(&kernel, VA(27));
	check_mode_switches();
	check_msrs();
	check_fsgsbase();
	check_syscall();
	return check_done();
}
