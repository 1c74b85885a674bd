/* SPDX-License-Identifier: GPL-2.0 */
/* The privileged instructions and register bits the MMU guests use. */
#ifndef GUEST_X86_H
#define GUEST_X86_H

#include "types.h"

#define CR0_WP		(1u << 16)
#define CR0_PG		(1u << 31)

#define CR4_PSE		(1u << 4)
#define CR4_PAE		(1u << 5)
#define CR4_PGE		(1u << 7)
#define CR4_SMEP	(1u << 20)
#define CR4_SMAP	(1u << 21)

#define EFLAGS_FIXED	(1u << 1)
#define EFLAGS_CF	(1u << 0)
#define EFLAGS_PF	(1u << 2)
#define EFLAGS_ZF	(1u << 6)
#define EFLAGS_IF	(1u << 9)
#define EFLAGS_DF	(1u << 10)
#define EFLAGS_NT	(1u << 14)
#define EFLAGS_AC	(1u << 18)

#define MSR_EFER	0xc0000080
#define EFER_SCE	(1u << 0)
#define EFER_LME	(1u << 8)
#define EFER_LMA	(1u << 10)
#define EFER_NXE	(1u << 11)

/* Page-fault error code bits. */
#define PF_P		(1u << 0)
#define PF_W		(1u << 1)
#define PF_U		(1u << 2)
#define PF_RSVD		(1u << 3)
#define PF_I		(1u << 4)

#define VECTOR_DB	1
#define VECTOR_UD	6
#define VECTOR_GP	13
#define VECTOR_PF	14

/* CPUID feature bits: leaf, register and bit in one place. */
#define CPUID_1_EDX_PSE		(1u << 3)
#define CPUID_1_EDX_PAE		(1u << 6)
#define CPUID_1_EDX_PGE		(1u << 13)
#define CPUID_7_EBX_SMEP	(1u << 7)
#define CPUID_7_EBX_SMAP	(1u << 20)
#define CPUID_81_EDX_SYSCALL	(1u << 11)
#define CPUID_81_EDX_NX		(1u << 20)
#define CPUID_81_EDX_1G		(1u << 26)
#define CPUID_81_EDX_LM		(1u << 29)

struct cpuid {
	u32 eax, ebx, ecx, edx;
};

static inline struct cpuid cpuid(u32 leaf, u32 subleaf)
{
	struct cpuid r;

	asm volatile("cpuid"
		     : "=a" (r.eax), "=b" (r.ebx), "=c" (r.ecx), "=d" (r.edx)
		     : "a" (leaf), "c" (subleaf));
	return r;
}

#define DEFINE_CR(n)						\
static inline u32 read_cr##n(void)					\
{									\
	u32 value;							\
									\
	asm volatile("mov %%cr" #n ", %0" : "=r" (value));		\
	return value;							\
}									\
static inline void write_cr##n(u32 value)				\
{									\
	asm volatile("mov %0, %%cr" #n : : "r" (value) : "memory");	\
}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr));
	return lo | (u64)hi << 32;
}

static inline void wrmsr(u32 msr, u64 value)
{
	asm volatile("wrmsr"
		     : : "c" (msr), "a" ((u32)value), "d" ((u32)(value >> 32))
		     : "memory");
}

static inline void invlpg(u32 va)
{
	asm volatile("invlpg (%0)" : : "r" (va) : "memory");
}

/* A CR3 reload flushes every non-global translation. */
static inline void flush_tlb(void)
{
	write_cr3(read_cr3());
}

/* Toggling CR4.PGE flushes the global translations too. */
static inline void flush_tlb_all(void)
{
	u32 cr4 = read_cr4();

	if (cr4 & CR4_PGE) {
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		flush_tlb();
	}
}

/* stac/clac are #UD without SMAP: only call them once CPUID says so. */
static inline void stac(void)
{
	asm volatile("stac" : : : "memory");
}

static inline void clac(void)
{
	asm volatile("clac" : : : "memory");
}

#endif
