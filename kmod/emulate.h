/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction emulator: decodes and carries out the few instruction
 * forms that write to page tables, so the shadow MMU can keep a
 * write-protected guest page table and its shadows in step with one exit
 * per store, and the loads and stores that reach device registers (the
 * local APIC), which trap on every access.
 * Pure: it sees instruction bytes, registers and one memory operand
 * through callbacks, never the VMCS or guest memory directly.
 */
#ifndef SHADOWVMM_EMULATE_H
#define SHADOWVMM_EMULATE_H

#include <linux/types.h>

/* The architectural limit: longer is #GP, however the bytes look. */
#define SHADOWVMM_MAX_INSN_LEN	15

/* The code segment's default sizes: CS.L and CS.D as the guest runs. */
enum shadowvmm_cpu_mode {
	SHADOWVMM_MODE_16,
	SHADOWVMM_MODE_32,
	SHADOWVMM_MODE_64,
};

enum shadowvmm_seg {
	SHADOWVMM_SEG_ES, SHADOWVMM_SEG_CS, SHADOWVMM_SEG_SS,
	SHADOWVMM_SEG_DS, SHADOWVMM_SEG_FS, SHADOWVMM_SEG_GS,
};

struct shadowvmm_emulate_ops {
	/* The base of segment @seg (0 for all but FS/GS in 64-bit mode). */
	u64 (*seg_base)(void *ctx, enum shadowvmm_seg seg);
	/*
	 * Read @size bytes of the memory operand at linear address @gva.
	 * Called exactly once per instruction, before any write and for a
	 * plain MOV store too (so device memory read here must have no side
	 * effects): the place to check @gva against the faulting address
	 * while nothing has changed yet.
	 */
	int (*read)(void *ctx, u64 gva, void *val, unsigned int size);
	/*
	 * Write them; for a LOCKed or implicitly atomic form, only if the
	 * operand still holds @old (-EAGAIN otherwise). @old is always what
	 * read returned, so a callback that cannot tell the forms apart may
	 * compare for every form: an unlocked store that loses a race is
	 * just retried. Called at most once, after read; a CMPXCHG* that
	 * finds a mismatch writes @old back (@val == @old), as hardware does,
	 * which also proves the value it loads was one atomic snapshot.
	 */
	int (*write)(void *ctx, u64 gva, const void *old, const void *val,
		     unsigned int size);
	void *ctx;
};

/* The instruction and the register state it runs against. */
struct shadowvmm_emulate {
	enum shadowvmm_cpu_mode mode;
	const u8 *insn;		/* bytes at CS:RIP */
	unsigned int insn_avail;	/* how many of them were fetched (<= 15) */
	unsigned long *gpr;	/* 16 GPRs, VMX order, RSP included */
	unsigned long *rflags;
	unsigned long rip;	/* of this instruction, for RIP-relative operands */
	/* Filled in on success (gva and size also before any callback): */
	unsigned int insn_len;
	u64 gva;		/* the memory operand's linear address */
	unsigned int size;	/* and its size in bytes */
};

int shadowvmm_emulate_seg_prefix(u8 b);
unsigned int shadowvmm_emulate_address_size(enum shadowvmm_cpu_mode mode,
					    bool prefix);
void shadowvmm_emulate_set_reg(unsigned long *reg, unsigned int size, u64 val);
int shadowvmm_emulate_access(struct shadowvmm_emulate *em,
			     const struct shadowvmm_emulate_ops *ops);
int shadowvmm_emulate_stos(struct shadowvmm_emulate *em,
			   const struct shadowvmm_emulate_ops *ops);

#endif
