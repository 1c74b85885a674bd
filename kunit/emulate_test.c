// SPDX-License-Identifier: GPL-2.0
/*
 * The instruction emulator over a table of encodings. Every expected value was
 * worked out by hand from the Intel SDM (instruction pages, ModRM/SIB
 * tables 2-1..2-3, and the 64-bit addressing rules of section 3.3.7), not
 * read back from the implementation: a table entry is a claim about what
 * the hardware does.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include <asm/processor-flags.h>
#include "emulate.h"

/* em->gpr's order; R8..R15 are also macros in asm/ptrace-abi.h. */
enum {
	GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
	GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15,
	NR_GPRS
};

#define M16	SHADOWVMM_MODE_16
#define M32	SHADOWVMM_MODE_32
#define M64	SHADOWVMM_MODE_64

#define FL	X86_EFLAGS_FIXED
#define F_CF	X86_EFLAGS_CF
#define F_PF	X86_EFLAGS_PF
#define F_AF	X86_EFLAGS_AF
#define F_ZF	X86_EFLAGS_ZF
#define F_SF	X86_EFLAGS_SF
#define F_OF	X86_EFLAGS_OF

/*
 * Segment bases the fake reports, all distinct. GS sits just below 4 GiB
 * outside 64-bit mode so that a linear address can wrap; in 64-bit mode
 * the fake still reports ES..DS bases, which the emulator must ignore.
 */
static const u64 legacy_base[] = {
	0x10000, 0x20000, 0x30000, 0x40000, 0x50000, 0xfffff000,
};

static const u64 long_base[] = {
	0x10000, 0x20000, 0x30000, 0x40000, 0xffff800000000000, 0x7f0000000000,
};

#define DS	0x40000
#define SS	0x30000
#define ES	0x10000
#define FS64	0xffff800000000000
#define GS64	0x7f0000000000

struct emu_reg {
	bool set;
	u8 reg;
	unsigned long val;
};

#define OUT(r, v)	{ .set = true, .reg = GPR_##r, .val = v }

struct emu_case {
	const char *name;
	enum shadowvmm_cpu_mode mode;
	u8 insn[16];
	unsigned int avail;		/* 0: 15 */
	unsigned long rip;
	unsigned long gpr[NR_GPRS];	/* before; the rest are zero */
	unsigned long flags;
	u64 mem[2];			/* the operand's bytes before */
	int read_err, write_err;	/* what the fake callbacks return */
	bool load;			/* reads memory only: no write */
	int ret;
	/* After, when ret is 0 (otherwise nothing may change): */
	unsigned int len, size;
	u64 gva;
	u64 mem_after[2];
	struct emu_reg out[2];		/* registers that change */
	unsigned long flags_after;
};

static const struct emu_case cases[] = {
	/* MOV r/m, reg: sizes, addressing forms, segments */
	{ "mov64", M64, { 0x48, 0x89, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x8000000012345067 },
	  .flags = FL, .len = 3, .size = 8, .gva = 0x1000,
	  .mem_after = { 0x8000000012345067 }, .flags_after = FL },
	{ "mov32 keeps the bytes above", M32, { 0x89, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0xdeadbeef12345067 },
	  .mem = { ~0ULL }, .flags = FL, .len = 2, .size = 4, .gva = DS + 0x1000,
	  .mem_after = { 0xffffffff12345067 }, .flags_after = FL },
	{ "mov16 [bx+si+disp8]", M16, { 0x89, 0x40, 0x10 },
	  .gpr = { [GPR_RBX] = 0x100, [GPR_RSI] = 0x20, [GPR_RAX] = 0x5678 },
	  .mem = { ~0ULL }, .len = 3, .size = 2, .gva = DS + 0x130,
	  .mem_after = { 0xffffffffffff5678 } },
	{ "mov16 [bp+di-2] is SS", M16, { 0x89, 0x43, 0xfe },
	  .gpr = { [GPR_RBP] = 0x200, [GPR_RDI] = 0x10, [GPR_RAX] = 0x1234 },
	  .len = 3, .size = 2, .gva = SS + 0x20e, .mem_after = { 0x1234 } },
	{ "mov16 [bx+disp16] wraps at 64K", M16, { 0x89, 0x87, 0xf0, 0xff },
	  .gpr = { [GPR_RBX] = 0xabcd0020, [GPR_RAX] = 0x1 },
	  .len = 4, .size = 2, .gva = DS + 0x10, .mem_after = { 0x1 } },
	{ "mov16 [disp16]", M16, { 0x89, 0x06, 0x34, 0x12 },
	  .gpr = { [GPR_RAX] = 0xbeef, [GPR_RBP] = 0x5000 },
	  .len = 4, .size = 2, .gva = DS + 0x1234, .mem_after = { 0xbeef } },
	{ "mov16 66h is 32-bit", M16, { 0x66, 0x89, 0x07 },
	  .gpr = { [GPR_RBX] = 0x100, [GPR_RAX] = 0x12345678 },
	  .len = 3, .size = 4, .gva = DS + 0x100, .mem_after = { 0x12345678 } },
	{ "mov16 67h is [edi]", M16, { 0x67, 0x89, 0x07 },
	  .gpr = { [GPR_RDI] = 0x12345, [GPR_RAX] = 0xffff },
	  .len = 3, .size = 2, .gva = DS + 0x12345, .mem_after = { 0xffff } },
	{ "mov32 67h is [bx]", M32, { 0x67, 0x89, 0x07 },
	  .gpr = { [GPR_RBX] = 0x10100, [GPR_RAX] = 0xcafef00d },
	  .len = 3, .size = 4, .gva = DS + 0x100, .mem_after = { 0xcafef00d } },
	{ "mov32 66h is 16-bit", M32, { 0x66, 0x89, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x11223344 },
	  .mem = { ~0ULL }, .len = 3, .size = 2, .gva = DS + 0x1000,
	  .mem_after = { 0xffffffffffff3344 } },
	{ "mov32 [eax+ecx*4+disp8]", M32, { 0x89, 0x54, 0x88, 0x10 },
	  .gpr = { [GPR_RAX] = 0x1000, [GPR_RCX] = 3, [GPR_RDX] = 0x77 },
	  .len = 4, .size = 4, .gva = DS + 0x101c, .mem_after = { 0x77 } },
	{ "mov32 [ecx*8+disp32] no base", M32,
	  { 0x89, 0x1c, 0xcd, 0x00, 0x20, 0x00, 0x00 },
	  .gpr = { [GPR_RCX] = 2, [GPR_RBX] = 0x99, [GPR_RBP] = 0x5000 },
	  .len = 7, .size = 4, .gva = DS + 0x2010, .mem_after = { 0x99 } },
	{ "mov32 [esp+8] is SS", M32, { 0x89, 0x44, 0x24, 0x08 },
	  .gpr = { [GPR_RSP] = 0x7000, [GPR_RAX] = 1 },
	  .len = 4, .size = 4, .gva = SS + 0x7008, .mem_after = { 1 } },
	{ "mov32 [ebp+4] is SS", M32, { 0x89, 0x45, 0x04 },
	  .gpr = { [GPR_RBP] = 0x6000, [GPR_RAX] = 2 },
	  .len = 3, .size = 4, .gva = SS + 0x6004, .mem_after = { 2 } },
	{ "mov32 [disp32]", M32, { 0x89, 0x05, 0x78, 0x56, 0x34, 0x12 },
	  .gpr = { [GPR_RAX] = 3 },
	  .len = 6, .size = 4, .gva = DS + 0x12345678, .mem_after = { 3 } },
	{ "mov32 gs: linear wraps at 4G", M32, { 0x65, 0x89, 0x07 },
	  .gpr = { [GPR_RDI] = 0x2000, [GPR_RAX] = 4 },
	  .len = 3, .size = 4, .gva = 0x1000, .mem_after = { 4 } },
	{ "mov32 es:", M32, { 0x26, 0x89, 0x07 },
	  .gpr = { [GPR_RDI] = 0x100, [GPR_RAX] = 5 },
	  .len = 3, .size = 4, .gva = ES + 0x100, .mem_after = { 5 } },
	{ "mov32 ds:[ebp+4]", M32, { 0x3e, 0x89, 0x45, 0x04 },
	  .gpr = { [GPR_RBP] = 0x6000, [GPR_RAX] = 6 },
	  .len = 4, .size = 4, .gva = DS + 0x6004, .mem_after = { 6 } },
	{ "mov32 [eax] SIB without index", M32, { 0x89, 0x0c, 0x20 },
	  .gpr = { [GPR_RAX] = 0x1000, [GPR_RSP] = 0x500, [GPR_RCX] = 7 },
	  .len = 3, .size = 4, .gva = DS + 0x1000, .mem_after = { 7 } },
	{ "mov64 [rip+disp32]", M64, { 0x48, 0x89, 0x05, 0x10, 0, 0, 0 },
	  .rip = 0xffffffff81000000, .gpr = { [GPR_RAX] = 5 },
	  .len = 7, .size = 8, .gva = 0xffffffff81000017, .mem_after = { 5 } },
	{ "mov64 [rip-16], imm32 counts the imm", M64,
	  { 0x48, 0xc7, 0x05, 0xf0, 0xff, 0xff, 0xff, 0x01, 0, 0, 0 },
	  .rip = 0xffffffff81000000, .mem = { ~0ULL },
	  .len = 11, .size = 8, .gva = 0xffffffff80fffffb, .mem_after = { 1 } },
	{ "mov64 67h [eip+disp32]", M64, { 0x67, 0x89, 0x05, 0, 1, 0, 0 },
	  .rip = 0x10000fff0, .gpr = { [GPR_RAX] = 6 },
	  .len = 7, .size = 4, .gva = 0x100f7, .mem_after = { 6 } },
	{ "mov64 REX.B does not turn RIP-relative into r13", M64,
	  { 0x41, 0x89, 0x05, 0x00, 0x10, 0x00, 0x00 },
	  .rip = 0x400000, .gpr = { [GPR_R13] = 0x999000, [GPR_RAX] = 8 },
	  .len = 7, .size = 4, .gva = 0x401007, .mem_after = { 8 } },
	{ "mov64 SIB base 101b with REX.B is disp32", M64,
	  { 0x41, 0x89, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00 },
	  .gpr = { [GPR_R13] = 0x999000, [GPR_RAX] = 9 },
	  .len = 8, .size = 4, .gva = 0x1000, .mem_after = { 9 } },
	{ "mov64 fs:", M64, { 0x64, 0x48, 0x89, 0x07 },
	  .gpr = { [GPR_RDI] = 0x10, [GPR_RAX] = 1 },
	  .len = 4, .size = 8, .gva = FS64 + 0x10, .mem_after = { 1 } },
	{ "mov64 es: has no base", M64, { 0x26, 0x48, 0x89, 0x07 },
	  .gpr = { [GPR_RDI] = 0x10, [GPR_RAX] = 2 },
	  .len = 4, .size = 8, .gva = 0x10, .mem_after = { 2 } },
	{ "mov64 [rsp] has no SS base", M64, { 0x48, 0x89, 0x04, 0x24 },
	  .gpr = { [GPR_RSP] = 0x7ff000, [GPR_RAX] = 3 },
	  .len = 4, .size = 8, .gva = 0x7ff000, .mem_after = { 3 } },
	{ "mov64 gs: 67h", M64, { 0x65, 0x67, 0x89, 0x07 },
	  .gpr = { [GPR_RDI] = 0xffffffff00001000, [GPR_RAX] = 4 },
	  .len = 4, .size = 4, .gva = GS64 + 0x1000, .mem_after = { 4 } },
	{ "mov64 REX.WRXB [r12+r13*2+disp8], r15", M64,
	  { 0x4f, 0x89, 0x7c, 0x6c, 0x7f },
	  .gpr = { [GPR_R12] = 0x100000, [GPR_R13] = 0x80,
		   [GPR_R15] = 0x1122334455667788 },
	  .len = 5, .size = 8, .gva = 0x10017f,
	  .mem_after = { 0x1122334455667788 } },
	{ "mov64 REX.X index 100b is r12", M64, { 0x42, 0x89, 0x0c, 0xa0 },
	  .gpr = { [GPR_RAX] = 0x1000, [GPR_R12] = 0x10, [GPR_RCX] = 0xabcdef },
	  .len = 4, .size = 4, .gva = 0x1040, .mem_after = { 0xabcdef } },
	{ "mov32 ah", M32, { 0x88, 0x27 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x1234 }, .mem = { ~0ULL },
	  .len = 2, .size = 1, .gva = DS + 0x1000,
	  .mem_after = { 0xffffffffffffff12 } },
	{ "mov64 spl with REX", M64, { 0x40, 0x88, 0x27 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RSP] = 0x7ff0 },
	  .len = 3, .size = 1, .gva = 0x1000, .mem_after = { 0xf0 } },
	{ "mov64 r12b", M64, { 0x44, 0x88, 0x27 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_R12] = 0x1234 },
	  .len = 3, .size = 1, .gva = 0x1000, .mem_after = { 0x34 } },
	{ "mov64 REX then 66h: REX ignored", M64, { 0x48, 0x66, 0x89, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x1122334455667788 },
	  .len = 4, .size = 2, .gva = 0x1000, .mem_after = { 0x7788 } },
	{ "mov64 REX.W beats 66h", M64, { 0x66, 0x48, 0x89, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x1122334455667788 },
	  .len = 4, .size = 8, .gva = 0x1000,
	  .mem_after = { 0x1122334455667788 } },

	/* MOV r/m, imm */
	{ "mov byte imm8", M64, { 0xc6, 0x07, 0x80 },
	  .gpr = { [GPR_RDI] = 0x1000 },
	  .len = 3, .size = 1, .gva = 0x1000, .mem_after = { 0x80 } },
	{ "mov16 word imm16", M16, { 0xc7, 0x07, 0x34, 0x12 },
	  .gpr = { [GPR_RBX] = 0x100 },
	  .len = 4, .size = 2, .gva = DS + 0x100, .mem_after = { 0x1234 } },
	{ "mov32 66h word imm16", M32, { 0x66, 0xc7, 0x07, 0x34, 0x12 },
	  .gpr = { [GPR_RDI] = 0x1000 }, .mem = { ~0ULL },
	  .len = 5, .size = 2, .gva = DS + 0x1000,
	  .mem_after = { 0xffffffffffff1234 } },
	{ "mov32 dword imm32", M32, { 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12 },
	  .gpr = { [GPR_RDI] = 0x1000 },
	  .len = 6, .size = 4, .gva = DS + 0x1000, .mem_after = { 0x12345678 } },
	{ "mov64 qword imm32 sign-extends", M64,
	  { 0x48, 0xc7, 0x07, 0x00, 0x00, 0x00, 0x80 },
	  .gpr = { [GPR_RDI] = 0x1000 },
	  .len = 7, .size = 8, .gva = 0x1000,
	  .mem_after = { 0xffffffff80000000 } },

	/* XCHG: the register gets the old memory value */
	{ "xchg64", M64, { 0x48, 0x87, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x2222 }, .mem = { 0x1111 },
	  .len = 3, .size = 8, .gva = 0x1000, .mem_after = { 0x2222 },
	  .out = { OUT(RAX, 0x1111) } },
	{ "xchg32 zero-extends", M64, { 0x87, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0xffffffff00000002 },
	  .mem = { 0xaaaaaaaa00000005 },
	  .len = 2, .size = 4, .gva = 0x1000,
	  .mem_after = { 0xaaaaaaaa00000002 }, .out = { OUT(RAX, 5) } },
	{ "xchg16 merges", M64, { 0x66, 0x87, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0xffffffffffff0002 },
	  .mem = { 0x1234 },
	  .len = 3, .size = 2, .gva = 0x1000, .mem_after = { 0x0002 },
	  .out = { OUT(RAX, 0xffffffffffff1234) } },
	{ "xchg8 ah", M32, { 0x86, 0x27 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x11223344 },
	  .mem = { 0x99 }, .len = 2, .size = 1, .gva = DS + 0x1000,
	  .mem_after = { 0x33 }, .out = { OUT(RAX, 0x11229944) } },
	{ "xchg8 dil, its own base", M64, { 0x40, 0x86, 0x3f },
	  .gpr = { [GPR_RDI] = 0x1000 }, .mem = { 0x5a },
	  .len = 3, .size = 1, .gva = 0x1000, .mem_after = { 0x00 },
	  .out = { OUT(RDI, 0x105a) } },
	{ "lock xchg", M32, { 0xf0, 0x87, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 1 }, .mem = { 2 },
	  .len = 3, .size = 4, .gva = DS + 0x1000, .mem_after = { 1 },
	  .out = { OUT(RAX, 2) } },

	/* CMPXCHG: flags of CMP accumulator, memory */
	{ "lock cmpxchg64 equal", M64, { 0xf0, 0x48, 0x0f, 0xb1, 0x0f },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x1003, [GPR_RCX] = 0x2007 },
	  .mem = { 0x1003 }, .flags = FL | F_CF | F_AF | F_SF | F_OF,
	  .len = 5, .size = 8, .gva = 0x1000, .mem_after = { 0x2007 },
	  .flags_after = FL | F_ZF | F_PF },
	{ "lock cmpxchg64 differ", M64, { 0xf0, 0x48, 0x0f, 0xb1, 0x0f },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x1000, [GPR_RCX] = 0x2007 },
	  .mem = { 0x2000 }, .flags = FL,
	  .len = 5, .size = 8, .gva = 0x1000, .mem_after = { 0x2000 },
	  .out = { OUT(RAX, 0x2000) },
	  .flags_after = FL | F_CF | F_PF | F_SF },
	{ "cmpxchg32 differ zero-extends", M64, { 0x0f, 0xb1, 0x0f },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0xffffffff00000001 },
	  .mem = { 0xaaaaaaaa00000002 }, .flags = FL,
	  .len = 3, .size = 4, .gva = 0x1000,
	  .mem_after = { 0xaaaaaaaa00000002 }, .out = { OUT(RAX, 2) },
	  .flags_after = FL | F_CF | F_PF | F_AF | F_SF },
	{ "cmpxchg32 equal keeps rax", M64, { 0x0f, 0xb1, 0x0f },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0xffffffff00000005,
		   [GPR_RCX] = 0x1234567800000009 },
	  .mem = { 0xaaaaaaaa00000005 }, .flags = FL | F_CF | F_AF | F_SF | F_OF,
	  .len = 3, .size = 4, .gva = 0x1000,
	  .mem_after = { 0xaaaaaaaa00000009 },
	  .flags_after = FL | F_ZF | F_PF },
	{ "cmpxchg8 differ, signed overflow", M32, { 0x0f, 0xb0, 0x0f },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x1180, [GPR_RCX] = 0x55 },
	  .mem = { 0x7f }, .flags = FL,
	  .len = 3, .size = 1, .gva = DS + 0x1000, .mem_after = { 0x7f },
	  .out = { OUT(RAX, 0x117f) }, .flags_after = FL | F_OF | F_AF },
	{ "cmpxchg8 from ah", M32, { 0x0f, 0xb0, 0x27 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x5500 },
	  .mem = { 0x00 }, .flags = FL,
	  .len = 3, .size = 1, .gva = DS + 0x1000, .mem_after = { 0x55 },
	  .flags_after = FL | F_ZF | F_PF },
	{ "cmpxchg16 [bx] in 16-bit mode", M16, { 0x0f, 0xb1, 0x0f },
	  .gpr = { [GPR_RBX] = 0x300, [GPR_RAX] = 0x8000, [GPR_RCX] = 0x4321 },
	  .mem = { 0x8000 }, .flags = FL,
	  .len = 3, .size = 2, .gva = DS + 0x300, .mem_after = { 0x4321 },
	  .flags_after = FL | F_ZF | F_PF },
	{ "cmpxchg16 differ merges ax", M64, { 0x66, 0x0f, 0xb1, 0x0f },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0xffffffffffff0001 },
	  .mem = { 0x0003 }, .flags = FL,
	  .len = 4, .size = 2, .gva = 0x1000, .mem_after = { 0x0003 },
	  .out = { OUT(RAX, 0xffffffffffff0003) },
	  .flags_after = FL | F_CF | F_AF | F_SF },

	/* CMPXCHG8B/16B: ZF only */
	{ "lock cmpxchg8b equal", M32, { 0xf0, 0x0f, 0xc7, 0x0e },
	  .gpr = { [GPR_RSI] = 0x1000, [GPR_RDX] = 0x11111111,
		   [GPR_RAX] = 0x22222222, [GPR_RCX] = 0x33333333,
		   [GPR_RBX] = 0x44444444 },
	  .mem = { 0x1111111122222222 }, .flags = FL | F_CF | F_AF | F_SF | F_OF,
	  .len = 4, .size = 8, .gva = DS + 0x1000,
	  .mem_after = { 0x3333333344444444 },
	  .flags_after = FL | F_CF | F_AF | F_SF | F_OF | F_ZF },
	{ "cmpxchg8b differ zero-extends", M64, { 0x0f, 0xc7, 0x0e },
	  .gpr = { [GPR_RSI] = 0x1000, [GPR_RAX] = 0xaaaaaaaa00000001,
		   [GPR_RDX] = 0xbbbbbbbb00000002 },
	  .mem = { 0x0000000300000004 }, .flags = FL | F_ZF,
	  .len = 3, .size = 8, .gva = 0x1000,
	  .mem_after = { 0x0000000300000004 },
	  .out = { OUT(RAX, 4), OUT(RDX, 3) }, .flags_after = FL },
	{ "cmpxchg16b equal", M64, { 0x48, 0x0f, 0xc7, 0x0e },
	  .gpr = { [GPR_RSI] = 0x2000, [GPR_RAX] = 0x1111, [GPR_RDX] = 0x2222,
		   [GPR_RBX] = 0x3333, [GPR_RCX] = 0x4444 },
	  .mem = { 0x1111, 0x2222 }, .flags = FL,
	  .len = 4, .size = 16, .gva = 0x2000, .mem_after = { 0x3333, 0x4444 },
	  .flags_after = FL | F_ZF },
	{ "cmpxchg16b differ", M64, { 0xf0, 0x48, 0x0f, 0xc7, 0x0e },
	  .gpr = { [GPR_RSI] = 0x2000, [GPR_RAX] = 2, [GPR_RDX] = 1 },
	  .mem = { 5, 6 }, .flags = FL | F_ZF,
	  .len = 5, .size = 16, .gva = 0x2000, .mem_after = { 5, 6 },
	  .out = { OUT(RAX, 5), OUT(RDX, 6) }, .flags_after = FL },

	/* OR/AND: OF=CF=0, SF ZF PF from the result, AF left alone */
	{ "lock or64", M64, { 0xf0, 0x48, 0x09, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x67 }, .mem = { 0x1000 },
	  .flags = FL | F_CF | F_OF | F_AF | F_ZF,
	  .len = 4, .size = 8, .gva = 0x1000, .mem_after = { 0x1067 },
	  .flags_after = FL | F_AF },
	{ "and64 negative", M64, { 0x48, 0x21, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x8000000000000f0f },
	  .mem = { 0xffffffff00000fff }, .flags = FL,
	  .len = 3, .size = 8, .gva = 0x1000,
	  .mem_after = { 0x8000000000000f0f }, .flags_after = FL | F_SF | F_PF },
	{ "and32 zero", M32, { 0x21, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x0f0f0f0f },
	  .mem = { 0xf0f0f0f0 }, .flags = FL,
	  .len = 2, .size = 4, .gva = DS + 0x1000, .mem_after = { 0 },
	  .flags_after = FL | F_ZF | F_PF },
	{ "or8 bh", M32, { 0x08, 0x3b },
	  .gpr = { [GPR_RBX] = 0x8000 }, .mem = { 0x01 }, .flags = FL,
	  .len = 2, .size = 1, .gva = DS + 0x8000, .mem_after = { 0x81 },
	  .flags_after = FL | F_SF | F_PF },
	{ "or64 imm8 sign-extends", M64, { 0x48, 0x83, 0x0f, 0xff },
	  .gpr = { [GPR_RDI] = 0x1000 }, .mem = { 0x1234 }, .flags = FL,
	  .len = 4, .size = 8, .gva = 0x1000, .mem_after = { ~0ULL },
	  .flags_after = FL | F_SF | F_PF },
	{ "and16 imm16", M32, { 0x66, 0x81, 0x27, 0x00, 0xf0 },
	  .gpr = { [GPR_RDI] = 0x1000 }, .mem = { 0xffffffffffff1234 },
	  .flags = FL, .len = 5, .size = 2, .gva = DS + 0x1000,
	  .mem_after = { 0xffffffffffff1000 }, .flags_after = FL | F_PF },
	{ "and64 imm32 sign-extends", M64,
	  { 0x48, 0x81, 0x27, 0x00, 0xf0, 0xff, 0xff },
	  .gpr = { [GPR_RDI] = 0x1000 }, .mem = { 0x8000000000001067 },
	  .flags = FL, .len = 7, .size = 8, .gva = 0x1000,
	  .mem_after = { 0x8000000000001000 }, .flags_after = FL | F_SF | F_PF },
	{ "or8 imm8 [edi+1]", M32, { 0x80, 0x4f, 0x01, 0x80 },
	  .gpr = { [GPR_RDI] = 0x1000 }, .mem = { 0x01 }, .flags = FL,
	  .len = 4, .size = 1, .gva = DS + 0x1001, .mem_after = { 0x81 },
	  .flags_after = FL | F_SF | F_PF },
	{ "and16 [bp+si], imm8 in 16-bit mode", M16, { 0x83, 0x22, 0xfe },
	  .gpr = { [GPR_RBP] = 0x100, [GPR_RSI] = 0x10 }, .mem = { 0x0003 },
	  .flags = FL | F_PF, .len = 3, .size = 2, .gva = SS + 0x110,
	  .mem_after = { 0x0002 }, .flags_after = FL },

	/* XOR like OR; ADD and SUB set all six flags from the result */
	{ "lock xor32", M32, { 0xf0, 0x31, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0xff }, .mem = { 0x0f },
	  .flags = FL | F_CF | F_OF | F_AF, .len = 3, .size = 4,
	  .gva = DS + 0x1000, .mem_after = { 0xf0 },
	  .flags_after = FL | F_AF | F_PF },
	{ "lock add32 imm8 0 to the stack, the barrier idiom", M32,
	  { 0xf0, 0x83, 0x44, 0x24, 0xfc, 0x00 },
	  .gpr = { [GPR_RSP] = 0x7000 }, .mem = { 0x80000000 },
	  .flags = FL | F_CF | F_ZF, .len = 6, .size = 4, .gva = SS + 0x6ffc,
	  .mem_after = { 0x80000000 }, .flags_after = FL | F_SF | F_PF },
	{ "add8 carries, half-carries and overflows", M32, { 0x00, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x88 }, .mem = { 0x88 },
	  .flags = FL, .len = 2, .size = 1, .gva = DS + 0x1000,
	  .mem_after = { 0x10 }, .flags_after = FL | F_CF | F_AF | F_OF },
	{ "add64 to zero", M64, { 0xf0, 0x48, 0x01, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 1 }, .mem = { ~0ULL },
	  .flags = FL, .len = 4, .size = 8, .gva = 0x1000, .mem_after = { 0 },
	  .flags_after = FL | F_CF | F_AF | F_ZF | F_PF },
	{ "lock sub32 borrows", M32, { 0xf0, 0x29, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 1 }, .mem = { 0 },
	  .flags = FL, .len = 3, .size = 4, .gva = DS + 0x1000,
	  .mem_after = { 0xffffffff },
	  .flags_after = FL | F_CF | F_AF | F_SF | F_PF },
	{ "sub16 imm16 overflows", M32, { 0x66, 0x81, 0x2f, 0x01, 0x00 },
	  .gpr = { [GPR_RDI] = 0x1000 }, .mem = { 0x8000 }, .flags = FL,
	  .len = 5, .size = 2, .gva = DS + 0x1000, .mem_after = { 0x7fff },
	  .flags_after = FL | F_AF | F_OF | F_PF },

	/* MOV moffs, AL/eAX: an address-sized offset, DS unless overridden */
	{ "mov32 moffs from eax", M32, { 0xa3, 0x30, 0x03, 0xe0, 0xfe },
	  .gpr = { [GPR_RAX] = 0xdeadbeef00000123 }, .mem = { ~0ULL },
	  .len = 5, .size = 4, .gva = (DS + 0xfee00330) & 0xffffffff,
	  .mem_after = { 0xffffffff00000123 } },
	{ "mov8 fs: moffs from al", M32, { 0x64, 0xa2, 0x00, 0x10, 0x00, 0x00 },
	  .gpr = { [GPR_RAX] = 0x1234 }, .len = 6, .size = 1,
	  .gva = 0x50000 + 0x1000, .mem_after = { 0x34 } },
	{ "mov16 moffs16 in 16-bit mode", M16, { 0xa3, 0x34, 0x12 },
	  .gpr = { [GPR_RAX] = 0xbeef }, .len = 3, .size = 2,
	  .gva = DS + 0x1234, .mem_after = { 0xbeef } },
	{ "mov64 moffs64 from rax", M64,
	  { 0x48, 0xa3, 0x08, 0x03, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00 },
	  .gpr = { [GPR_RAX] = 0x1122334455667788 }, .len = 10, .size = 8,
	  .gva = 0xfee00308, .mem_after = { 0x1122334455667788 } },
	{ "mov32 moffs64 from eax", M64,
	  { 0xa3, 0x00, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00 },
	  .gpr = { [GPR_RAX] = 0x1122334455667788 }, .mem = { ~0ULL },
	  .len = 9, .size = 4, .gva = 0xfee00000,
	  .mem_after = { 0xffffffff55667788 } },
	{ "mov32 67h moffs32 in 64-bit mode", M64,
	  { 0x67, 0xa3, 0xb0, 0x00, 0xe0, 0xfe },
	  .gpr = { [GPR_RAX] = 0 }, .mem = { ~0ULL }, .len = 6, .size = 4,
	  .gva = 0xfee000b0, .mem_after = { 0xffffffff00000000 } },

	/* Loads, for device memory: MOV and MOVZX into a register */
	{ "mov32 load", M32, { 0x8b, 0x47, 0x20 }, .load = true,
	  .gpr = { [GPR_RDI] = 0xfee00000, [GPR_RAX] = ~0UL },
	  .mem = { 0x1122334455667788 }, .len = 3, .size = 4,
	  .gva = DS + 0xfee00020, .mem_after = { 0x1122334455667788 },
	  .out = { OUT(RAX, 0x55667788) } },
	{ "mov64 load into r9, REX.R", M64, { 0x4c, 0x8b, 0x0e }, .load = true,
	  .gpr = { [GPR_RSI] = 0xffffffffff5fd0f0 },
	  .mem = { 0x1122334455667788 }, .len = 3, .size = 8,
	  .gva = 0xffffffffff5fd0f0, .mem_after = { 0x1122334455667788 },
	  .out = { OUT(R9, 0x1122334455667788) } },
	{ "mov32 load zero-extends in 64-bit mode", M64, { 0x8b, 0x0e },
	  .load = true, .gpr = { [GPR_RSI] = 0x1000, [GPR_RCX] = ~0UL },
	  .mem = { 0xaabbccdd }, .len = 2, .size = 4, .gva = 0x1000,
	  .mem_after = { 0xaabbccdd }, .out = { OUT(RCX, 0xaabbccdd) } },
	{ "mov8 load into ch merges", M32, { 0x8a, 0x2f }, .load = true,
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RCX] = 0x11223344 },
	  .mem = { 0xee }, .len = 2, .size = 1, .gva = DS + 0x1000,
	  .mem_after = { 0xee }, .out = { OUT(RCX, 0x1122ee44) } },
	{ "mov16 load merges", M32, { 0x66, 0x8b, 0x07 }, .load = true,
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x11223344 },
	  .mem = { 0xbeef }, .len = 3, .size = 2, .gva = DS + 0x1000,
	  .mem_after = { 0xbeef }, .out = { OUT(RAX, 0x1122beef) } },
	{ "mov32 eax from moffs", M32, { 0xa1, 0x30, 0x03, 0xe0, 0xfe },
	  .load = true, .gpr = { [GPR_RAX] = 0xdead },
	  .mem = { 0x12345678 }, .len = 5, .size = 4,
	  .gva = (DS + 0xfee00330) & 0xffffffff, .mem_after = { 0x12345678 },
	  .out = { OUT(RAX, 0x12345678) } },
	{ "mov8 al from moffs", M32, { 0xa0, 0x00, 0x10, 0x00, 0x00 },
	  .load = true, .gpr = { [GPR_RAX] = 0x1234 }, .mem = { 0x56 },
	  .len = 5, .size = 1, .gva = DS + 0x1000, .mem_after = { 0x56 },
	  .out = { OUT(RAX, 0x1256) } },
	{ "mov64 rax from moffs64", M64,
	  { 0x48, 0xa1, 0x80, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00 },
	  .load = true, .mem = { 0x1122334455667788 }, .len = 10, .size = 8,
	  .gva = 0xfee00080, .mem_after = { 0x1122334455667788 },
	  .out = { OUT(RAX, 0x1122334455667788) } },
	{ "movzx byte into r32", M32, { 0x0f, 0xb6, 0x17 }, .load = true,
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RDX] = ~0UL },
	  .mem = { 0xf0f1 }, .len = 3, .size = 1, .gva = DS + 0x1000,
	  .mem_after = { 0xf0f1 }, .out = { OUT(RDX, 0xf1) } },
	{ "movzx word into r64", M64, { 0x48, 0x0f, 0xb7, 0x17 }, .load = true,
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RDX] = ~0UL },
	  .mem = { 0x12345678 }, .len = 4, .size = 2, .gva = 0x1000,
	  .mem_after = { 0x12345678 }, .out = { OUT(RDX, 0x5678) } },
	{ "movzx byte with an empty REX into esi", M64,
	  { 0x40, 0x0f, 0xb6, 0x37 }, .load = true,
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RSI] = ~0UL }, .mem = { 0x7f },
	  .len = 4, .size = 1, .gva = 0x1000, .mem_after = { 0x7f },
	  .out = { OUT(RSI, 0x7f) } },
	{ "lock mov load is #UD", M32, { 0xf0, 0x8b, 0x07 },
	  .ret = -EOPNOTSUPP },

	/* BTS/BTR: CF is the old bit; the register offset moves the EA */
	{ "lock bts64", M64, { 0xf0, 0x48, 0x0f, 0xab, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 5 }, .flags = FL | F_CF | F_ZF,
	  .len = 5, .size = 8, .gva = 0x1000, .mem_after = { 0x20 },
	  .flags_after = FL | F_ZF },
	{ "bts64 bit already set", M64, { 0x48, 0x0f, 0xab, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 5 }, .mem = { 0x20 },
	  .flags = FL, .len = 4, .size = 8, .gva = 0x1000, .mem_after = { 0x20 },
	  .flags_after = FL | F_CF },
	{ "bts32 offset -1 is bit 31 one dword down", M32, { 0x0f, 0xab, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0xffffffff }, .flags = FL,
	  .len = 3, .size = 4, .gva = DS + 0xffc, .mem_after = { 0x80000000 },
	  .flags_after = FL },
	{ "bts64 offset 130 is bit 2 two qwords up", M64,
	  { 0x48, 0x0f, 0xab, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 130 }, .mem = { 0x4 },
	  .flags = FL, .len = 4, .size = 8, .gva = 0x1010, .mem_after = { 0x4 },
	  .flags_after = FL | F_CF },
	{ "btr16 offset -16 is one word down", M32,
	  { 0x66, 0x0f, 0xb3, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x1234fff0 },
	  .mem = { 0xffff }, .flags = FL,
	  .len = 4, .size = 2, .gva = DS + 0xffe, .mem_after = { 0xfffe },
	  .flags_after = FL | F_CF },
	{ "bts32 offset is signed 32-bit in 64-bit mode", M64,
	  { 0x0f, 0xab, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0xffffffe0 }, .flags = FL,
	  .len = 3, .size = 4, .gva = 0xffc, .mem_after = { 1 },
	  .flags_after = FL },
	{ "bts16 offset -32768 wraps in 16-bit addressing", M16,
	  { 0x0f, 0xab, 0x07 },
	  .gpr = { [GPR_RBX] = 0x10, [GPR_RAX] = 0x8000 }, .flags = FL,
	  .len = 3, .size = 2, .gva = DS + 0xf010, .mem_after = { 1 },
	  .flags_after = FL },
	{ "btr32 imm8 33 is bit 1", M32, { 0x0f, 0xba, 0x37, 0x21 },
	  .gpr = { [GPR_RDI] = 0x1000 }, .mem = { 0x3 }, .flags = FL,
	  .len = 4, .size = 4, .gva = DS + 0x1000, .mem_after = { 0x1 },
	  .flags_after = FL | F_CF },
	{ "bts16 imm8 19 is bit 3", M32, { 0x66, 0x0f, 0xba, 0x2f, 0x13 },
	  .gpr = { [GPR_RDI] = 0x1000 }, .flags = FL | F_CF,
	  .len = 5, .size = 2, .gva = DS + 0x1000, .mem_after = { 0x8 },
	  .flags_after = FL },
	{ "bts64 imm8 63", M64, { 0x48, 0x0f, 0xba, 0x2f, 0x3f },
	  .gpr = { [GPR_RDI] = 0x1000 }, .flags = FL,
	  .len = 5, .size = 8, .gva = 0x1000,
	  .mem_after = { 0x8000000000000000 }, .flags_after = FL },

	/* Limits */
	{ "15 bytes", M32,
	  { 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
	    0x3e, 0x3e, 0x89, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 1 },
	  .len = 15, .size = 4, .gva = DS + 0x1000, .mem_after = { 1 } },

	/* Declined */
	{ "16 bytes", M32,
	  { 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
	    0x3e, 0x3e, 0x3e, 0x89, 0x07 }, .avail = 16, .ret = -EOPNOTSUPP },
	{ "past insn_avail in the opcode", M64, { 0x48, 0x89, 0x07 },
	  .avail = 2, .ret = -EOPNOTSUPP },
	{ "past insn_avail in disp32", M32, { 0x89, 0x05, 0x78, 0x56, 0x34 },
	  .avail = 4, .ret = -EOPNOTSUPP },
	{ "past insn_avail in imm32", M32, { 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12 },
	  .avail = 5, .ret = -EOPNOTSUPP },
	{ "rep", M32, { 0xf3, 0x89, 0x07 }, .ret = -EOPNOTSUPP },
	{ "xacquire lock cmpxchg", M32, { 0xf2, 0xf0, 0x0f, 0xb1, 0x0f },
	  .ret = -EOPNOTSUPP },
	{ "mov to a register", M32, { 0x89, 0xc0 }, .ret = -EOPNOTSUPP },
	{ "lock mov is #UD", M32, { 0xf0, 0x89, 0x07 }, .ret = -EOPNOTSUPP },
	{ "lock or to a register is #UD", M32, { 0xf0, 0x09, 0xc0 },
	  .ret = -EOPNOTSUPP },
	{ "cmpxchg8b to a register is #UD", M32, { 0x0f, 0xc7, 0xc9 },
	  .ret = -EOPNOTSUPP },
	{ "cmpxchg8b with 66h", M32, { 0x66, 0x0f, 0xc7, 0x0e },
	  .ret = -EOPNOTSUPP },
	{ "cmpxchg16b misaligned is #GP", M64, { 0x48, 0x0f, 0xc7, 0x0e },
	  .gpr = { [GPR_RSI] = 0x2008 }, .ret = -EOPNOTSUPP },
	{ "lock mov moffs is #UD", M32, { 0xf0, 0xa3, 0, 0, 0, 0 },
	  .ret = -EOPNOTSUPP },
	{ "sbb", M32, { 0x19, 0x07 }, .ret = -EOPNOTSUPP },
	{ "C7 /1", M32, { 0xc7, 0x0f, 1, 0, 0, 0 }, .ret = -EOPNOTSUPP },
	{ "bt stores nothing", M32, { 0x0f, 0xba, 0x27, 0x01 },
	  .ret = -EOPNOTSUPP },
	{ "48h is DEC outside 64-bit mode", M32, { 0x48, 0x89, 0x07 },
	  .ret = -EOPNOTSUPP },
	{ "two segment overrides", M32, { 0x26, 0x64, 0x89, 0x07 },
	  .ret = -EOPNOTSUPP },

	/* Failing callbacks leave registers, flags and memory alone */
	{ "lock cmpxchg loses the race", M64, { 0xf0, 0x48, 0x0f, 0xb1, 0x0f },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x1000, [GPR_RCX] = 0x2007 },
	  .mem = { 0x2000 }, .flags = FL | F_ZF, .write_err = -EAGAIN,
	  .ret = -EAGAIN },
	{ "xchg loses the race", M64, { 0x48, 0x87, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 0x2222 }, .mem = { 0x1111 },
	  .write_err = -EAGAIN, .ret = -EAGAIN },
	{ "cmpxchg16b loses the race", M64, { 0x48, 0x0f, 0xc7, 0x0e },
	  .gpr = { [GPR_RSI] = 0x2000, [GPR_RAX] = 2, [GPR_RDX] = 1 },
	  .mem = { 5, 6 }, .flags = FL | F_ZF, .write_err = -EAGAIN,
	  .ret = -EAGAIN },
	{ "or fails to read", M64, { 0x48, 0x09, 0x07 },
	  .gpr = { [GPR_RDI] = 0x1000, [GPR_RAX] = 1 }, .flags = FL | F_CF,
	  .read_err = -EFAULT, .ret = -EFAULT },
};

struct fake {
	const struct emu_case *c;
	u64 mem[2];
	unsigned int reads, writes;
	u64 read_gva, write_gva;
	unsigned int read_size, write_size;
};

static u64 fake_seg_base(void *ctx, enum shadowvmm_seg seg)
{
	struct fake *f = ctx;

	return f->c->mode == M64 ? long_base[seg] : legacy_base[seg];
}

static int fake_read(void *ctx, u64 gva, void *val, unsigned int size)
{
	struct fake *f = ctx;

	f->reads++;
	f->read_gva = gva;
	f->read_size = size;
	if (f->c->read_err)
		return f->c->read_err;
	memcpy(val, f->mem, min_t(unsigned int, size, sizeof(f->mem)));
	return 0;
}

/* Compares always, as a caller that cannot tell the forms apart would. */
static int fake_write(void *ctx, u64 gva, const void *old, const void *val,
		      unsigned int size)
{
	struct fake *f = ctx;

	f->writes++;
	f->write_gva = gva;
	f->write_size = size;
	size = min_t(unsigned int, size, sizeof(f->mem));
	if (f->c->write_err)
		return f->c->write_err;
	if (memcmp(old, f->mem, size))
		return -EAGAIN;
	memcpy(f->mem, val, size);
	return 0;
}

static void emulate_case(struct kunit *test)
{
	const struct emu_case *c = test->param_value;
	struct fake f = { .c = c };
	const struct shadowvmm_emulate_ops ops = {
		.seg_base = fake_seg_base,
		.read = fake_read,
		.write = fake_write,
		.ctx = &f,
	};
	unsigned long gpr[NR_GPRS], want[NR_GPRS], flags = c->flags;
	struct shadowvmm_emulate em = {
		.mode = c->mode,
		.insn = c->insn,
		.insn_avail = c->avail ?: 15,
		.gpr = gpr,
		.rflags = &flags,
		.rip = c->rip,
	};
	unsigned int i;
	int ret;

	memcpy(gpr, c->gpr, sizeof(gpr));
	memcpy(want, c->gpr, sizeof(want));
	memcpy(f.mem, c->mem, sizeof(f.mem));

	ret = shadowvmm_emulate_access(&em, &ops);
	KUNIT_ASSERT_EQ(test, ret, c->ret);

	if (ret) {
		KUNIT_EXPECT_EQ(test, flags, c->flags);
		KUNIT_EXPECT_EQ(test, f.mem[0], c->mem[0]);
		KUNIT_EXPECT_EQ(test, f.mem[1], c->mem[1]);
		if (ret == -EOPNOTSUPP)
			KUNIT_EXPECT_EQ(test, f.reads + f.writes, 0U);
	} else {
		KUNIT_EXPECT_EQ(test, em.insn_len, c->len);
		KUNIT_EXPECT_EQ(test, em.gva, c->gva);
		KUNIT_EXPECT_EQ(test, em.size, c->size);
		KUNIT_EXPECT_EQ(test, f.reads, 1U);
		KUNIT_EXPECT_EQ(test, f.read_gva, c->gva);
		KUNIT_EXPECT_EQ(test, f.read_size, c->size);
		KUNIT_EXPECT_EQ(test, f.writes, c->load ? 0U : 1U);
		if (!c->load) {
			KUNIT_EXPECT_EQ(test, f.write_gva, c->gva);
			KUNIT_EXPECT_EQ(test, f.write_size, c->size);
		}
		KUNIT_EXPECT_EQ(test, f.mem[0], c->mem_after[0]);
		KUNIT_EXPECT_EQ(test, f.mem[1], c->mem_after[1]);
		KUNIT_EXPECT_EQ(test, flags, c->flags_after);
		for (i = 0; i < ARRAY_SIZE(c->out); i++)
			if (c->out[i].set)
				want[c->out[i].reg] = c->out[i].val;
	}
	for (i = 0; i < NR_GPRS; i++)
		KUNIT_EXPECT_EQ_MSG(test, gpr[i], want[i], "register %u", i);
}

/*
 * STOS, with and without REP, over one page: the fake page starts at
 * the linear address of the first element, rounded down, and every
 * element written lands in it, so the test sees the whole result.
 */
struct stos_case {
	const char *name;
	enum shadowvmm_cpu_mode mode;
	u8 insn[8];
	unsigned long rax, rcx, rdi, flags;
	int read_err;
	int ret;
	/* After, when ret is 0: */
	unsigned int len, size, writes;
	u64 gva, first, last;	/* first element, and bytes [first, last) */
	unsigned long rcx_after, rdi_after;
};

static const struct stos_case stos_cases[] = {
	{ "rep stosl clears a 32-bit page table", M32, { 0xf3, 0xab }, 0,
	  0x3fe, 0x1000, FL, 0, 0, 2, 4, 0x3fe, 0x11000, 0x11000, 0x11ff8,
	  0, 0x1ff8 },
	{ "rep stosl stops at the end of the page", M32, { 0xf3, 0xab },
	  0x5a5a5a5a, 4, 0x1ff8, FL, 0, 0, 0, 4, 2, 0x11ff8, 0x11ff8,
	  0x12000, 2, 0x2000 },
	{ "rep stosl with DF set goes down", M32, { 0xf3, 0xab }, 0x01020304,
	  3, 0x1008, FL | X86_EFLAGS_DF, 0, 0, 2, 4, 3, 0x11008, 0x11000,
	  0x1100c, 0, 0x0ffc },
	{ "rep stosq in 64-bit mode ignores ES's base", M64,
	  { 0xf3, 0x48, 0xab }, 0x1122334455667788, 2, 0x7000, FL, 0, 0, 3,
	  8, 2, 0x7000, 0x7000, 0x7010, 0, 0x7010 },
	{ "32-bit addresses in 64-bit mode zero-extend", M64,
	  { 0x67, 0xf3, 0xab }, 0, 0xffffffff00000002, 0xffffffff00001000,
	  FL, 0, 0, 3, 4, 2, 0x1000, 0x1000, 0x1008, 0, 0x1008 },
	{ "stosb in 16-bit mode keeps DI's upper bits", M16, { 0xaa }, 0x77,
	  0, 0xabcd0010, FL, 0, 0, 1, 1, 1, 0x10010, 0x10010, 0x10011, 0,
	  0xabcd0011 },
	{ "rep with a zero count stores nothing", M32, { 0xf3, 0xab }, 0, 0,
	  0x1000, FL, 0, -EOPNOTSUPP },
	{ "repne stos is not a string store we know", M32, { 0xf2, 0xab },
	  0, 1, 0x1000, FL, 0, -EOPNOTSUPP },
	{ "lock stos is #UD", M32, { 0xf0, 0xab }, 0, 1, 0x1000, FL, 0,
	  -EOPNOTSUPP },
	{ "movs is not stos", M32, { 0xf3, 0xa5 }, 0, 1, 0x1000, FL, 0,
	  -EOPNOTSUPP },
	{ "a first element elsewhere changes nothing", M32, { 0xf3, 0xab }, 0,
	  2, 0x1000, FL, -EINVAL, -EINVAL },
};

struct stos_fake {
	enum shadowvmm_cpu_mode mode;
	int read_err;
	u64 page;
	u8 mem[4096];
	unsigned int reads, writes;
	bool outside;
};

static u64 stos_seg_base(void *ctx, enum shadowvmm_seg seg)
{
	struct stos_fake *f = ctx;

	return f->mode == M64 ? long_base[seg] : legacy_base[seg];
}

static int stos_read(void *ctx, u64 gva, void *val, unsigned int size)
{
	struct stos_fake *f = ctx;

	f->reads++;
	memset(val, 0, size);
	return f->read_err;
}

static int stos_write(void *ctx, u64 gva, const void *old, const void *val,
		      unsigned int size)
{
	struct stos_fake *f = ctx;

	f->writes++;
	if (old || gva < f->page || gva + size > f->page + sizeof(f->mem)) {
		f->outside = true;
		return -EINVAL;
	}
	memcpy(f->mem + (gva - f->page), val, size);
	return 0;
}

static void stos_case(struct kunit *test)
{
	const struct stos_case *c = test->param_value;
	struct stos_fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	const struct shadowvmm_emulate_ops ops = {
		.seg_base = stos_seg_base,
		.read = stos_read,
		.write = stos_write,
		.ctx = f,
	};
	unsigned long gpr[NR_GPRS] = {}, flags = c->flags;
	struct shadowvmm_emulate em = {
		.mode = c->mode,
		.insn = c->insn,
		.insn_avail = sizeof(c->insn),
		.gpr = gpr,
		.rflags = &flags,
	};
	u64 i;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->mode = c->mode;
	f->read_err = c->read_err;
	f->page = c->gva & ~0xfffULL;
	memset(f->mem, 0xee, sizeof(f->mem));
	gpr[GPR_RAX] = c->rax;
	gpr[GPR_RCX] = c->rcx;
	gpr[GPR_RDI] = c->rdi;
	ret = shadowvmm_emulate_stos(&em, &ops);
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	if (ret) {
		KUNIT_EXPECT_EQ(test, f->writes, 0U);
		KUNIT_EXPECT_EQ(test, flags, c->flags);
		KUNIT_EXPECT_EQ(test, gpr[GPR_RCX], c->rcx);
		KUNIT_EXPECT_EQ(test, gpr[GPR_RDI], c->rdi);
		return;
	}
	KUNIT_EXPECT_FALSE(test, f->outside);
	KUNIT_EXPECT_EQ(test, f->reads, 1U);
	KUNIT_EXPECT_EQ(test, em.gva, c->gva);
	KUNIT_EXPECT_EQ(test, em.size, c->size);
	KUNIT_EXPECT_EQ(test, em.insn_len, c->len);
	KUNIT_EXPECT_EQ(test, f->writes, c->writes);
	KUNIT_EXPECT_EQ(test, gpr[GPR_RCX], c->rcx_after);
	KUNIT_EXPECT_EQ(test, gpr[GPR_RDI], c->rdi_after);
	for (i = f->page; i < f->page + sizeof(f->mem); i++) {
		u8 want = 0xee;

		if (i >= c->first && i < c->last)
			want = c->rax >> (((i - c->first) % c->size) * 8);
		KUNIT_EXPECT_EQ_MSG(test, f->mem[i - f->page], want,
				    "byte at %#llx", i);
		if (f->mem[i - f->page] != want)
			break;
	}
}

static void stos_desc(const struct stos_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(stos, stos_cases, stos_desc);

static void case_desc(const struct emu_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(emulate, cases, case_desc);

static struct kunit_case emulate_cases[] = {
	KUNIT_CASE_PARAM(emulate_case, emulate_gen_params),
	KUNIT_CASE_PARAM(stos_case, stos_gen_params),
	{}
};

static struct kunit_suite emulate_suite = {
	.name = "shadowvmm_emulate",
	.test_cases = emulate_cases,
};

kunit_test_suite(emulate_suite);
