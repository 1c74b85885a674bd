// SPDX-License-Identifier: GPL-2.0
/*
 * The instruction emulator (see emulate.h). It knows the few forms guests
 * use to write page-table entries and to reach device registers, and
 * declines everything else: a decline costs the caller an unprotect and a
 * native re-execution (or stops the VM, for device memory), a wrong store
 * corrupts the guest, so every doubt ends in -EOPNOTSUPP.
 *
 * Every form runs as read, compute, compare-and-write (a load stops after
 * the read). The write's compare
 * is what makes LOCKed and implicitly locked forms atomic against other
 * vCPUs, and registers and flags are committed only once the write has
 * succeeded, so a lost race (-EAGAIN) leaves the vCPU as it was.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <asm/page_types.h>
#include <asm/processor-flags.h>
#include "emulate.h"

/* Register numbers as ModRM and SIB encode them, which is em->gpr's order. */
enum { EM_RAX, EM_RCX, EM_RDX, EM_RBX, EM_RSP, EM_RBP, EM_RSI, EM_RDI };

#define REX_B		BIT(0)
#define REX_X		BIT(1)
#define REX_R		BIT(2)
#define REX_W		BIT(3)

enum em_op {
	EM_MOV, EM_LOAD, EM_XCHG, EM_CMPXCHG, EM_CMPXCHG8B, EM_OR, EM_AND, EM_XOR,
	EM_ADD, EM_SUB, EM_BTS, EM_BTR,
};

enum em_src {
	EM_SRC_REG,	/* ModRM.reg */
	EM_SRC_ACC,	/* AL, AX, EAX or RAX */
	EM_SRC_IMM8,	/* sign-extended to the operand size */
	EM_SRC_IMM,	/* operand-sized, but at most 32 bits sign-extended */
	EM_SRC_NONE,
};

#define EM_W		BIT(0)	/* opcode is the 8-bit form, opcode | 1 the full one */
#define EM_LOCK		BIT(1)	/* LOCK allowed; anywhere else it is #UD */
#define EM_0F		BIT(2)	/* behind the 0F escape */
#define EM_MOFFS	BIT(3)	/* no ModRM: an address-sized offset follows */
/* MOVZX: an 8- or 16-bit memory operand, the register operand-sized. */
#define EM_BYTE		BIT(4)
#define EM_WORD		BIT(5)

struct em_form {
	u8 opcode;
	s8 ext;		/* ModRM.reg of a group opcode, -1 if it is a register */
	u8 flags;
	u8 op;		/* enum em_op */
	u8 src;		/* enum em_src */
};

/*
 * Only memory operands: a register-direct ModRM is declined earlier.
 * MOV moffs, AL/eAX is what compilers emit for a store to a constant
 * address (an APIC register, say); ADD, SUB and XOR are the atomics'.
 * The loads (MOV and MOVZX into a register) are for device memory, where
 * every access traps, not only stores. The search is in order: MOV, what
 * a kernel writes its page tables with, comes first.
 */
static const struct em_form em_forms[] = {
	{ 0x88, -1, EM_W,			EM_MOV,		EM_SRC_REG },
	{ 0xc6,  0, EM_W,			EM_MOV,		EM_SRC_IMM },
	{ 0x00, -1, EM_W | EM_LOCK,		EM_ADD,		EM_SRC_REG },
	{ 0x08, -1, EM_W | EM_LOCK,		EM_OR,		EM_SRC_REG },
	{ 0x20, -1, EM_W | EM_LOCK,		EM_AND,		EM_SRC_REG },
	{ 0x28, -1, EM_W | EM_LOCK,		EM_SUB,		EM_SRC_REG },
	{ 0x30, -1, EM_W | EM_LOCK,		EM_XOR,		EM_SRC_REG },
	{ 0x80,  0, EM_W | EM_LOCK,		EM_ADD,		EM_SRC_IMM },
	{ 0x80,  1, EM_W | EM_LOCK,		EM_OR,		EM_SRC_IMM },
	{ 0x80,  4, EM_W | EM_LOCK,		EM_AND,		EM_SRC_IMM },
	{ 0x80,  5, EM_W | EM_LOCK,		EM_SUB,		EM_SRC_IMM },
	{ 0x80,  6, EM_W | EM_LOCK,		EM_XOR,		EM_SRC_IMM },
	{ 0x83,  0, EM_LOCK,			EM_ADD,		EM_SRC_IMM8 },
	{ 0x83,  1, EM_LOCK,			EM_OR,		EM_SRC_IMM8 },
	{ 0x83,  4, EM_LOCK,			EM_AND,		EM_SRC_IMM8 },
	{ 0x83,  5, EM_LOCK,			EM_SUB,		EM_SRC_IMM8 },
	{ 0x83,  6, EM_LOCK,			EM_XOR,		EM_SRC_IMM8 },
	{ 0x86, -1, EM_W | EM_LOCK,		EM_XCHG,	EM_SRC_REG },
	{ 0x8a, -1, EM_W,			EM_LOAD,	EM_SRC_REG },
	{ 0xa0, -1, EM_W | EM_MOFFS,		EM_LOAD,	EM_SRC_ACC },
	{ 0xb6, -1, EM_0F | EM_BYTE,		EM_LOAD,	EM_SRC_REG },
	{ 0xb7, -1, EM_0F | EM_WORD,		EM_LOAD,	EM_SRC_REG },
	{ 0xa2, -1, EM_W | EM_MOFFS,		EM_MOV,		EM_SRC_ACC },
	{ 0xab, -1, EM_0F | EM_LOCK,		EM_BTS,		EM_SRC_REG },
	{ 0xb3, -1, EM_0F | EM_LOCK,		EM_BTR,		EM_SRC_REG },
	{ 0xb0, -1, EM_0F | EM_W | EM_LOCK,	EM_CMPXCHG,	EM_SRC_REG },
	{ 0xba,  5, EM_0F | EM_LOCK,		EM_BTS,		EM_SRC_IMM8 },
	{ 0xba,  6, EM_0F | EM_LOCK,		EM_BTR,		EM_SRC_IMM8 },
	{ 0xc7,  1, EM_0F | EM_LOCK,		EM_CMPXCHG8B,	EM_SRC_NONE },
};

/* The 16-bit addressing forms, by ModRM.rm; -1 is no register. */
static const s8 em_base16[8] = {
	EM_RBX, EM_RBX, EM_RBP, EM_RBP, -1, -1, EM_RBP, EM_RBX
};

static const s8 em_index16[8] = {
	EM_RSI, EM_RDI, EM_RSI, EM_RDI, EM_RSI, EM_RDI, -1, -1
};

struct em_insn {
	const u8 *bytes;
	unsigned int len, limit;
	enum shadowvmm_cpu_mode mode;
	const struct em_form *form;
	bool lock, opsize_prefix, asize_prefix;
	u8 rex, modrm;
	int seg;		/* an override, or -1 */
	enum shadowvmm_seg def_seg;
	unsigned int size, asize;	/* operand and address size, bytes */
	unsigned int reg_size;	/* of the register operand: MOVZX's is wider */
	bool rip_rel;
	u64 ea, imm;
};

static u64 em_trunc(u64 v, unsigned int size)
{
	return size >= 8 ? v : v & (BIT_ULL(size * 8) - 1);
}

/* @ea as an address-sized offset into the segment at @base. */
static u64 em_linear(const struct em_insn *d, u64 base, u64 ea)
{
	u64 gva = base + em_trunc(ea, d->asize);

	/* Outside 64-bit mode linear addresses wrap at 4 GiB. */
	return d->mode == SHADOWVMM_MODE_64 ? gva : (u32)gva;
}

/* @n bytes of the instruction, little-endian and sign-extended. */
static int em_fetch(struct em_insn *d, unsigned int n, u64 *val)
{
	u64 v = 0;
	unsigned int i;

	if (d->len + n > d->limit)
		return -EOPNOTSUPP;
	for (i = 0; i < n; i++)
		v |= (u64)d->bytes[d->len + i] << (8 * i);
	d->len += n;
	*val = sign_extend64(v, 8 * n - 1);
	return 0;
}

/* The next instruction byte. */
static int em_next(struct em_insn *d)
{
	return d->len < d->limit ? d->bytes[d->len++] : -EOPNOTSUPP;
}

/* Segment override prefixes, by enum shadowvmm_seg. */
static const u8 em_seg_prefixes[] = {
	[SHADOWVMM_SEG_ES] = 0x26, [SHADOWVMM_SEG_CS] = 0x2e,
	[SHADOWVMM_SEG_SS] = 0x36, [SHADOWVMM_SEG_DS] = 0x3e,
	[SHADOWVMM_SEG_FS] = 0x64, [SHADOWVMM_SEG_GS] = 0x65,
};

/**
 * shadowvmm_emulate_seg_prefix() - the segment a prefix byte overrides to
 * @b: an instruction byte
 *
 * Return: enum shadowvmm_seg, or -1 if @b is no segment override.
 */
int shadowvmm_emulate_seg_prefix(u8 b)
{
	unsigned int seg;

	for (seg = 0; seg < ARRAY_SIZE(em_seg_prefixes); seg++)
		if (em_seg_prefixes[seg] == b)
			return seg;
	return -1;
}

/* Returns the opcode byte after the prefixes, or an error. */
static int em_prefixes(struct em_insn *d)
{
	int b, seg;

	for (;;) {
		b = em_next(d);
		if (b < 0)
			return b;
		seg = shadowvmm_emulate_seg_prefix(b);
		if (seg >= 0) {
			/* Two different overrides: not worth guessing. */
			if (d->seg >= 0 && d->seg != seg)
				return -EOPNOTSUPP;
			d->seg = seg;
		} else if (b == 0xf0) {
			d->lock = true;
		} else if (b == 0x66) {
			d->opsize_prefix = true;
		} else if (b == 0x67) {
			d->asize_prefix = true;
		} else if ((b & 0xf0) == 0x40 && d->mode == SHADOWVMM_MODE_64) {
			/* Outside 64-bit mode 40h-4Fh are INC/DEC: declined. */
			d->rex = b;
			continue;
		} else {
			/* F2h/F3h (REP, XACQUIRE/XRELEASE) end up here too. */
			return b;
		}
		/* A REX prefix counts only right before the opcode. */
		d->rex = 0;
	}
}

static const struct em_form *em_find_form(bool escaped, u8 opcode, u8 modrm)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(em_forms); i++) {
		const struct em_form *f = &em_forms[i];

		if (!!(f->flags & EM_0F) == escaped &&
		    f->opcode == (f->flags & EM_W ? opcode & ~1 : opcode) &&
		    (f->ext < 0 || f->ext == ((modrm >> 3) & 7)))
			return f;
	}
	return NULL;
}

static int em_decode_ea16(struct em_insn *d, const unsigned long *gpr)
{
	unsigned int mod = d->modrm >> 6, rm = d->modrm & 7;
	int base = em_base16[rm], index = em_index16[rm];
	u64 disp = 0;

	if (mod == 0 && rm == 6) {
		base = -1;
		mod = 2;	/* no register: a 16-bit displacement alone */
	}
	if (mod && em_fetch(d, mod == 1 ? 1 : 2, &disp))
		return -EOPNOTSUPP;
	d->ea = disp;
	if (base >= 0)
		d->ea += gpr[base];
	if (index >= 0)
		d->ea += gpr[index];
	if (base == EM_RBP)
		d->def_seg = SHADOWVMM_SEG_SS;
	return 0;
}

static int em_decode_ea32(struct em_insn *d, const unsigned long *gpr)
{
	unsigned int mod = d->modrm >> 6, rm = d->modrm & 7;
	int base = rm | (d->rex & REX_B ? 8 : 0);
	u64 sib, disp = 0;

	if (rm == 4) {
		unsigned int index;

		if (em_fetch(d, 1, &sib))
			return -EOPNOTSUPP;
		/* Index 100b means none, but REX.X makes it R12. */
		index = ((sib >> 3) & 7) | (d->rex & REX_X ? 8 : 0);
		if (index != EM_RSP)
			d->ea = (u64)gpr[index] << ((sib >> 6) & 3);
		/* REX.B does not rescue base 101b without a displacement. */
		base = (sib & 7) | (d->rex & REX_B ? 8 : 0);
		if ((sib & 7) == 5 && mod == 0)
			base = -1;
	} else if (rm == 5 && mod == 0) {
		base = -1;
		d->rip_rel = d->mode == SHADOWVMM_MODE_64;
	}
	if ((mod || base < 0) && em_fetch(d, mod == 1 ? 1 : 4, &disp))
		return -EOPNOTSUPP;
	d->ea += disp;
	if (base >= 0)
		d->ea += gpr[base];
	if (base == EM_RSP || base == EM_RBP)
		d->def_seg = SHADOWVMM_SEG_SS;
	return 0;
}

/* An operation's size in a general register, from mode and prefixes. */
static unsigned int em_operand_size(const struct em_insn *d)
{
	if (d->rex & REX_W)
		return 8;
	return (d->mode == SHADOWVMM_MODE_16) != d->opsize_prefix ? 2 : 4;
}

/**
 * shadowvmm_emulate_address_size() - an instruction's address size
 * @mode: the code segment's default sizes
 * @prefix: whether the instruction has the 67h prefix
 *
 * Return: the size in bytes.
 */
unsigned int shadowvmm_emulate_address_size(enum shadowvmm_cpu_mode mode,
					    bool prefix)
{
	static const u8 asize[][2] = {
		[SHADOWVMM_MODE_16] = { 2, 4 },
		[SHADOWVMM_MODE_32] = { 4, 2 },
		[SHADOWVMM_MODE_64] = { 8, 4 },
	};

	return asize[mode][prefix];
}

static int em_decode(struct em_insn *d, const struct shadowvmm_emulate *em)
{
	const struct em_form *f;
	bool escaped = false;
	int op, modrm;

	op = em_prefixes(d);
	if (op == 0x0f) {
		op = em_next(d);
		escaped = true;
	}
	if (op < 0)
		return op;
	/* A0h-A3h, MOV moffs: the only forms here without a ModRM. */
	if (!escaped && (op & ~3) == 0xa0) {
		f = em_find_form(escaped, op, 0);
	} else {
		modrm = em_next(d);
		/* Every form here accesses memory; mod 11b never faults. */
		if (modrm < 0 || (modrm >> 6) == 3)
			return -EOPNOTSUPP;
		d->modrm = modrm;
		f = em_find_form(escaped, op, modrm);
	}
	if (!f || (d->lock && !(f->flags & EM_LOCK)))
		return -EOPNOTSUPP;
	d->form = f;

	if (f->op == EM_CMPXCHG8B && d->opsize_prefix)
		return -EOPNOTSUPP;	/* the SDM does not say: decline */
	d->reg_size = em_operand_size(d);
	if ((f->flags & EM_W) && !(op & 1))
		d->reg_size = 1;
	if (f->op == EM_CMPXCHG8B)
		d->size = d->rex & REX_W ? 16 : 8;
	else
		d->size = f->flags & EM_BYTE ? 1 : f->flags & EM_WORD ? 2 : d->reg_size;

	d->asize = shadowvmm_emulate_address_size(d->mode, d->asize_prefix);

	if (f->flags & EM_MOFFS) {
		/* The offset is as wide as an address: 8 bytes in 64-bit mode. */
		if (em_fetch(d, d->asize, &d->ea))
			return -EOPNOTSUPP;
	} else if (d->asize == 2 ? em_decode_ea16(d, em->gpr) :
				   em_decode_ea32(d, em->gpr)) {
		return -EOPNOTSUPP;
	}

	if (f->src == EM_SRC_IMM8 && em_fetch(d, 1, &d->imm))
		return -EOPNOTSUPP;
	if (f->src == EM_SRC_IMM && em_fetch(d, min(d->size, 4U), &d->imm))
		return -EOPNOTSUPP;

	/* Relative to the next instruction, so after any immediate. */
	if (d->rip_rel)
		d->ea += em->rip + d->len;
	return 0;
}

/* ModRM.reg as a register number, and whether it names AH, CH, DH or BH. */
static unsigned int em_reg(const struct em_insn *d, bool *high8)
{
	unsigned int reg = ((d->modrm >> 3) & 7) | (d->rex & REX_R ? 8 : 0);

	*high8 = d->reg_size == 1 && !d->rex && reg >= 4;
	return *high8 ? reg - 4 : reg;
}

static u64 em_reg_read(const unsigned long *gpr, unsigned int reg, bool high8,
		       unsigned int size)
{
	return em_trunc(high8 ? gpr[reg] >> 8 : gpr[reg], size);
}

/**
 * shadowvmm_emulate_set_reg() - write a result, address or count to a GPR
 * @reg: the register
 * @size: the operand or address size in bytes
 * @val: the value
 *
 * 8- and 16-bit values merge into the register; 32-bit ones zero-extend.
 * Outside 64-bit mode the upper half is undefined, so zero-extending there
 * too is as right as anything (and what KVM does).
 */
void shadowvmm_emulate_set_reg(unsigned long *reg, unsigned int size, u64 val)
{
	if (size < 4)
		*reg = (*reg & ~em_trunc(~0ULL, size)) | em_trunc(val, size);
	else
		*reg = em_trunc(val, size);
}

static void em_reg_write(unsigned long *gpr, unsigned int reg, bool high8,
			 unsigned int size, u64 val)
{
	if (high8)
		gpr[reg] = (gpr[reg] & ~0xff00UL) | (val & 0xff) << 8;
	else
		shadowvmm_emulate_set_reg(&gpr[reg], size, val);
}

#define EM_ARITH_FLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

static unsigned long em_result_flags(u64 res, unsigned int size)
{
	unsigned long f = 0;

	if (!em_trunc(res, size))
		f |= X86_EFLAGS_ZF;
	if ((res >> (size * 8 - 1)) & 1)
		f |= X86_EFLAGS_SF;
	if (!(hweight8(res & 0xff) & 1))
		f |= X86_EFLAGS_PF;
	return f;
}

/* OR, AND and XOR: AF is undefined; hardware-faithful means leave it. */
static unsigned long em_logic_flags(unsigned long flags, u64 res,
				    unsigned int size)
{
	return (flags & ~(EM_ARITH_FLAGS & ~X86_EFLAGS_AF)) |
	       em_result_flags(res, size);
}

/*
 * ADD and SUB set all six flags from the result; so does CMPXCHG, as CMP
 * accumulator, memory (a SUB that keeps no result).
 */
static unsigned long em_add_sub_flags(unsigned long flags, u64 a, u64 b,
				      bool sub, unsigned int size)
{
	u64 res = em_trunc(sub ? a - b : a + b, size);
	u64 overflow = sub ? (a ^ b) & (a ^ res) : (a ^ res) & (b ^ res);
	unsigned long f = em_result_flags(res, size);

	if (sub ? a < b : res < a)
		f |= X86_EFLAGS_CF;
	if ((overflow >> (size * 8 - 1)) & 1)
		f |= X86_EFLAGS_OF;
	if ((a ^ b ^ res) & 0x10)
		f |= X86_EFLAGS_AF;
	return (flags & ~EM_ARITH_FLAGS) | f;
}

/*
 * CMPXCHG8B/16B. On a mismatch the old value is written back, as hardware
 * does: the write's compare then proves that what EDX:EAX receives was one
 * atomic snapshot, which a 16-byte read alone cannot promise.
 */
static int em_cmpxchg_double(struct shadowvmm_emulate *em,
			     const struct shadowvmm_emulate_ops *ops,
			     unsigned long *gpr, unsigned long *flags)
{
	u64 old[2] = {}, cmp[2] = {}, val[2] = {};
	int err;

	if (em->size == 8) {
		cmp[0] = (u32)gpr[EM_RAX] | (u64)(u32)gpr[EM_RDX] << 32;
		val[0] = (u32)gpr[EM_RBX] | (u64)(u32)gpr[EM_RCX] << 32;
	} else {
		cmp[0] = gpr[EM_RAX];
		cmp[1] = gpr[EM_RDX];
		val[0] = gpr[EM_RBX];
		val[1] = gpr[EM_RCX];
	}
	err = ops->read(ops->ctx, em->gva, old, em->size);
	if (err)
		return err;
	if (old[0] == cmp[0] && old[1] == cmp[1]) {
		*flags |= X86_EFLAGS_ZF;
	} else {
		*flags &= ~X86_EFLAGS_ZF;
		memcpy(val, old, sizeof(val));
	}
	err = ops->write(ops->ctx, em->gva, old, val, em->size);
	if (err || (*flags & X86_EFLAGS_ZF))
		return err;
	if (em->size == 8) {
		gpr[EM_RAX] = (u32)old[0];
		gpr[EM_RDX] = old[0] >> 32;
	} else {
		gpr[EM_RAX] = old[0];
		gpr[EM_RDX] = old[1];
	}
	return 0;
}

static int em_execute(struct shadowvmm_emulate *em,
		      const struct shadowvmm_emulate_ops *ops,
		      const struct em_insn *d, unsigned long *gpr,
		      unsigned long *flags)
{
	unsigned int size = d->size, bit = 0;
	u64 old = 0, val, src = em_trunc(d->imm, size);
	bool high8 = false;
	unsigned int reg = 0;
	int err;

	if (d->form->src == EM_SRC_REG) {
		reg = em_reg(d, &high8);
		src = em_reg_read(gpr, reg, high8, d->reg_size);
	} else if (d->form->src == EM_SRC_ACC) {
		src = em_reg_read(gpr, EM_RAX, false, size);
	}
	if (d->form->op == EM_BTS || d->form->op == EM_BTR)
		bit = src & (size * 8 - 1);

	err = ops->read(ops->ctx, em->gva, &old, size);
	if (err)
		return err;

	switch (d->form->op) {
	case EM_LOAD:
		em_reg_write(gpr, d->form->src == EM_SRC_ACC ? EM_RAX : reg,
			     high8, d->reg_size, old);
		return 0;
	case EM_MOV:
	case EM_XCHG:
		val = src;
		break;
	case EM_CMPXCHG:
		/*
		 * A mismatch writes the old value back, as hardware does, so
		 * that the accumulator is loaded from an atomic snapshot.
		 */
		*flags = em_add_sub_flags(*flags, em_trunc(gpr[EM_RAX], size),
					  old, true, size);
		val = *flags & X86_EFLAGS_ZF ? src : old;
		break;
	case EM_OR:
		val = old | src;
		*flags = em_logic_flags(*flags, val, size);
		break;
	case EM_AND:
		val = old & src;
		*flags = em_logic_flags(*flags, val, size);
		break;
	case EM_XOR:
		val = old ^ src;
		*flags = em_logic_flags(*flags, val, size);
		break;
	case EM_ADD:
	case EM_SUB:
		val = em_trunc(d->form->op == EM_SUB ? old - src : old + src, size);
		*flags = em_add_sub_flags(*flags, old, src,
					  d->form->op == EM_SUB, size);
		break;
	default:	/* BTS, BTR: OF, SF, AF and PF are undefined: kept */
		val = d->form->op == EM_BTS ? old | BIT_ULL(bit) :
					      old & ~BIT_ULL(bit);
		*flags &= ~X86_EFLAGS_CF;
		if (old & BIT_ULL(bit))
			*flags |= X86_EFLAGS_CF;
		break;
	}
	/* Registers change only once the store has landed. */
	err = ops->write(ops->ctx, em->gva, &old, &val, size);
	if (err)
		return err;
	if (d->form->op == EM_XCHG)
		em_reg_write(gpr, reg, high8, size, old);
	else if (d->form->op == EM_CMPXCHG && !(*flags & X86_EFLAGS_ZF))
		em_reg_write(gpr, EM_RAX, false, size, old);
	return 0;
}

/**
 * shadowvmm_emulate_access() - carry out a guest instruction's memory access
 * @em: the instruction and register state; on success insn_len, gva and
 *	size describe it and the registers and RFLAGS are updated
 * @ops: segment bases and the memory operand
 *
 * Decodes one MOV (ModRM or moffs, either direction), MOVZX, XCHG,
 * CMPXCHG, CMPXCHG8B/16B, OR, AND, XOR, ADD, SUB, BTS or BTR with a memory
 * operand, reads the operand once and writes it at most once (a load not
 * at all; CMPXCHG writes the old value back on a mismatch, as hardware
 * does).
 * Declined with -EOPNOTSUPP, for the caller to run natively: any other
 * instruction, REP/REPNE prefixes, a register operand only, LOCK where it
 * is #UD, conflicting segment overrides, a misaligned CMPXCHG16B, and
 * bytes past insn_avail or 15.
 *
 * Return: 0, -EOPNOTSUPP, or the callbacks' error (then the registers and
 * RFLAGS are untouched, so the caller may retry on -EAGAIN).
 */
int shadowvmm_emulate_access(struct shadowvmm_emulate *em,
			     const struct shadowvmm_emulate_ops *ops)
{
	struct em_insn d = {
		.bytes = em->insn,
		.limit = min_t(unsigned int, em->insn_avail, SHADOWVMM_MAX_INSN_LEN),
		.mode = em->mode,
		.seg = -1,
		.def_seg = SHADOWVMM_SEG_DS,
	};
	unsigned long flags = *em->rflags;
	enum shadowvmm_seg seg;
	u64 base = 0;
	int err;

	if (em->mode > SHADOWVMM_MODE_64)
		return -EOPNOTSUPP;
	err = em_decode(&d, em);
	if (err)
		return err;

	/* The register form's signed offset can reach outside the operand. */
	if ((d.form->op == EM_BTS || d.form->op == EM_BTR) &&
	    d.form->src == EM_SRC_REG) {
		bool high8;
		s64 off = sign_extend64(em->gpr[em_reg(&d, &high8)],
					d.size * 8 - 1);

		d.ea += (off >> (3 + ilog2(d.size))) * d.size;
	}

	seg = d.seg >= 0 ? d.seg : d.def_seg;
	/* 64-bit mode ignores every base but FS and GS. */
	if (d.mode != SHADOWVMM_MODE_64 || seg == SHADOWVMM_SEG_FS ||
	    seg == SHADOWVMM_SEG_GS)
		base = ops->seg_base(ops->ctx, seg);
	em->gva = em_linear(&d, base, d.ea);
	em->size = d.size;
	/* Misaligned CMPXCHG16B is #GP: let the guest take it natively. */
	if (d.size == 16 && ((em->gva | d.ea) & 15))
		return -EOPNOTSUPP;

	if (d.form->op == EM_CMPXCHG8B)
		err = em_cmpxchg_double(em, ops, em->gpr, &flags);
	else
		err = em_execute(em, ops, &d, em->gpr, &flags);
	if (err)
		return err;

	*em->rflags = flags;
	em->insn_len = d.len;
	return 0;
}

/**
 * shadowvmm_emulate_stos() - carry out a STOS, REP or not, within one page
 * @em: the instruction and registers; em->gva and em->size come out as
 *	the first element's linear address and size, em->insn_len as the
 *	instruction's length once it has completed, or 0 while elements
 *	remain for the guest to go on with
 * @ops: seg_base; read, called once before any write with the first
 *	 element, to check it against the faulting address (so not for
 *	 device memory, where reads have effects); write, called once per
 *	 element with @old NULL
 *
 * What a kernel clears a page table with (Linux zeroes its live early
 * top-level table with REP STOSL before it reloads CR3): each element
 * stored into the page of the first one goes through @ops, so every
 * store keeps the shadows in step, and RDI and RCX move as the CPU would
 * move them. Elements past the page are left to the guest, which faults
 * again only if that page is protected too, so one exit does at most a
 * page and the instruction always makes progress.
 *
 * Return: 0, -EOPNOTSUPP for any other instruction, or the callbacks'
 * error before the first element (nothing changed then).
 */
int shadowvmm_emulate_stos(struct shadowvmm_emulate *em,
			   const struct shadowvmm_emulate_ops *ops)
{
	struct em_insn d = {
		.bytes = em->insn,
		.limit = min_t(unsigned int, em->insn_avail, SHADOWVMM_MAX_INSN_LEN),
		.mode = em->mode,
		.seg = -1,
	};
	unsigned long *gpr = em->gpr;
	u64 base = 0, di, count, val, first, page;
	bool rep = false;
	unsigned int size;
	int op, err = 0;
	s64 step;

	op = em_prefixes(&d);
	if (op == 0xf3) {
		rep = true;
		op = em_prefixes(&d);
	}
	if ((op != 0xaa && op != 0xab) || d.lock)
		return -EOPNOTSUPP;
	size = op == 0xaa ? 1 : em_operand_size(&d);
	d.asize = shadowvmm_emulate_address_size(d.mode, d.asize_prefix);

	/* The destination is always ES:rDI; overrides do not apply. */
	if (d.mode != SHADOWVMM_MODE_64)
		base = ops->seg_base(ops->ctx, SHADOWVMM_SEG_ES);
	di = em_trunc(gpr[EM_RDI], d.asize);
	count = rep ? em_trunc(gpr[EM_RCX], d.asize) : 1;
	if (!count)
		return -EOPNOTSUPP;	/* stores nothing, so never faults */
	step = *em->rflags & X86_EFLAGS_DF ? -(s64)size : size;
	val = em_trunc(gpr[EM_RAX], size);
	em->size = size;
	em->gva = em_linear(&d, base, di);
	page = em->gva & PAGE_MASK;
	err = ops->read(ops->ctx, em->gva, &first, size);
	if (err)
		return err;

	do {
		u64 gva = em_linear(&d, base, di);

		if ((gva & PAGE_MASK) != page ||
		    (gva & ~PAGE_MASK) + size > PAGE_SIZE)
			break;
		err = ops->write(ops->ctx, gva, NULL, &val, size);
		if (err)
			break;
		di += step;
		count--;
	} while (count);
	/* A failed first element changes nothing; a later one stops there. */
	if (em_trunc(di, d.asize) == em_trunc(gpr[EM_RDI], d.asize))
		return err ?: -EOPNOTSUPP;

	shadowvmm_emulate_set_reg(&gpr[EM_RDI], d.asize, di);
	if (rep)
		shadowvmm_emulate_set_reg(&gpr[EM_RCX], d.asize, count);
	em->insn_len = count ? 0 : d.len;
	return 0;
}
