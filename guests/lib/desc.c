// SPDX-License-Identifier: GPL-2.0
/*
 * The flat 32-bit GDT (with 64-bit code segments, laid out for SYSCALL),
 * a TSS for ring-3 faults, and the exception IDT.
 */
#include "desc.h"

#define TRAP_STACK_SIZE		8192

/* access byte, flags nibble: present, DPL, code/data, granularity, size */
#define SEG(access, flags) \
	(0xffffull | (u64)(access) << 40 | 0xfull << 48 | (u64)(flags) << 52)
#define SEG_CODE32(dpl)	SEG(0x9a | (dpl) << 5, 0xc)
#define SEG_DATA(dpl)	SEG(0x92 | (dpl) << 5, 0xc)
#define SEG_CODE64(dpl)	SEG(0x9a | (dpl) << 5, 0xa)
#define GATE_INT32	0x8e	/* present, 32-bit interrupt gate */
#define GATE_DPL3	0x60
#define TSS_AVAILABLE	0x89

struct tss32 {
	u32 link;
	u32 esp0, ss0;
	u32 unused[22];
	u16 trap, iomap_base;
} __packed;

struct dtr {
	u16 limit;
	u32 base;
} __packed;

static u64 gdt[] = {
	[KERNEL_CS / 8] = SEG_CODE32(0),
	[KERNEL_DS / 8] = SEG_DATA(0),
	[USER_CS / 8] = SEG_CODE32(3),
	[USER_DS / 8] = SEG_DATA(3),
	[TSS_SEL / 8 + 1] = 0,	/* the upper half of a 64-bit TSS */
	[KERNEL_CS64 / 8] = SEG_CODE64(0),
	[KERNEL_SS64 / 8] = SEG_DATA(0),
	[USER_CS32 / 8] = SEG_CODE32(3),
	[USER_DS64 / 8] = SEG_DATA(3),
	[USER_CS64 / 8] = SEG_CODE64(3),
};

static struct tss32 tss;
static u64 idt[IDT_VECTORS];
static u8 trap_stack[TRAP_STACK_SIZE] __aligned(16);

static u64 gate(const void *handler, u8 type)
{
	u32 offset = (u32)handler;

	return (offset & 0xffff) | (u64)KERNEL_CS << 16 | (u64)type << 40 |
	       (u64)(offset >> 16) << 48;
}

void tss_load(const void *tss_base, u32 size)
{
	u32 base = (u32)tss_base;

	/* Available, not busy: LTR refuses a busy one. */
	gdt[TSS_SEL / 8] = (size - 1) | (u64)(base & 0xffffff) << 16 |
			   (u64)TSS_AVAILABLE << 40 |
			   (u64)(base >> 24) << 56;
	gdt[TSS_SEL / 8 + 1] = 0;
	asm volatile("ltr %w0" : : "r" (TSS_SEL) : "memory");
}

void idt_load(const void *base, u32 size)
{
	struct dtr idtr = { size - 1, (u32)base };

	asm volatile("lidt %0" : : "m" (idtr) : "memory");
}

void idt_set(u32 vector, const void *handler)
{
	idt[vector] = gate(handler, GATE_INT32);
}

void desc_protected(void)
{
	idt_load(idt, sizeof(idt));
	tss_load(&tss, sizeof(tss));
}

void desc_init(void)
{
	struct dtr gdtr = { sizeof(gdt) - 1, (u32)gdt };
	int v;

	/* Faults from ring 3 switch to this stack; no I/O bitmap. */
	tss.esp0 = (u32)trap_stack + TRAP_STACK_SIZE;
	tss.ss0 = KERNEL_DS;
	tss.iomap_base = sizeof(tss);
	for (v = 0; v < EXCEPTION_VECTORS; v++)
		idt[v] = gate(trap_stubs + v * TRAP_STUB_SIZE, GATE_INT32);
	idt[USER_RETURN_VECTOR] = gate(user_return, GATE_INT32 | GATE_DPL3);

	asm volatile("lgdt %0\n\t"
		     "ljmp %1, $1f\n"
		     "1:\tmov %2, %%ds\n\t"
		     "mov %2, %%es\n\t"
		     "mov %2, %%ss\n\t"
		     "mov %2, %%fs\n\t"
		     "mov %2, %%gs"
		     : : "m" (gdtr), "i" (KERNEL_CS), "r" (KERNEL_DS)
		     : "memory");
	desc_protected();
}
