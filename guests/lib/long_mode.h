/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Long mode for these 32-bit guests: they go on running their 32-bit
 * code in compatibility mode under 4-level paging, with a 64-bit IDT and
 * TSS, and step into 64-bit mode only for the probes below and the
 * code user_call64() runs at CPL 3.
 */
#ifndef GUEST_LONG_MODE_H
#define GUEST_LONG_MODE_H

#include "paging.h"
#include "x86.h"

int long_mode_supported(void);
/* From protected mode, paging on or off; returns in compatibility mode. */
void long_mode_enter(const struct pgtable *pt);
/* Back to protected mode, paging off, with its IDT and TSS. */
void long_mode_leave(void);

/* Accesses at 64-bit addresses, from 64-bit mode; as probe.h's. */
int probe64_read(u64 va, u32 *value);
int probe64_write(u64 va, u32 value);

/*
 * FS and GS bases through the FSGSBASE instructions, from 64-bit mode:
 * BASE_KERNEL_GS reads GS's between two SWAPGS. A fault leaves its
 * vector in last_fault, as the probes do, and a read then returns 0.
 */
enum seg_base { BASE_FS, BASE_GS, BASE_KERNEL_GS };
u64 __rdbase64(u32 which);
void __wrbase64(u32 which, u64 value);

/* CPUID from 64-bit mode, where Intel CPUs report SYSCALL. */
struct cpuid cpuid64(u32 leaf, u32 subleaf);

/*
 * Runs fn, 64-bit code in the user pages, at CPL 3 with EDX = a, ECX = b
 * and RFLAGS = rflags; returns EAX at its int $0x80 (trap64.S).
 */
u32 user_call64(void (*fn)(void), u32 a, u32 b, u32 rflags);

/*
 * SYSCALL and SYSRETQ, CPL 3 to 0 and back (trap64.S). With LSTAR at
 * syscall_entry64, user_call64(user_syscall64, flags, 0, rflags) sets
 * flags in RFLAGS and makes a SYSCALL; syscall_entry64 records what it
 * finds in syscall_seen and makes a SYSRETQ to user_sysret64 with R11 =
 * syscall_seen.sysret_r11, which records what it finds in sysret_seen
 * and returns 0. Returning to user_syscall64_next, after the SYSCALL,
 * returns 1. user_syscall_ud64 makes a SYSCALL that may fault, and
 * returns after it.
 */
struct syscall_seen {
	u64 rcx, r11, rflags, rsp;
	u64 user_rflags, user_rsp;	/* RFLAGS, RSP before SYSCALL */
	u64 sysret_r11;			/* set by the caller */
	u32 cs, ss;
	u32 entries;
} __packed;

struct sysret_seen {
	u64 rflags, rsp;
	u32 cs, ss;
	u32 arrivals;
} __packed;

extern struct syscall_seen syscall_seen;
extern struct sysret_seen sysret_seen;
extern const u8 syscall_entry64[];
void user_syscall64(void);
extern const u8 user_syscall64_next[];
void user_syscall_ud64(void);

#endif
