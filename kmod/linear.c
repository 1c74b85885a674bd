// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory by linear address (see linear.h). Every access walks the
 * guest's tables as the CPU would, setting accessed and dirty bits, and
 * fails with the walk's error code where the CPU would fault; memory
 * outside RAM reads all-ones and drops writes, as on a PC. A write to RAM
 * goes through the shadow MMU's store path, so that shadows of a page
 * table it lands in stay in step.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include "gmem.h"
#include "linear.h"
#include "paging.h"
#include "vm_types.h"

/**
 * shadowvmm_vcpu_cpu_mode() - the code segment's default sizes
 * @vcpu: the vCPU, as of its last exit
 *
 * Return: 16-, 32- or 64-bit.
 */
enum shadowvmm_cpu_mode shadowvmm_vcpu_cpu_mode(const struct shadowvmm_vcpu *vcpu)
{
	if (shadowvmm_vcpu_in_64bit_code(vcpu))
		return SHADOWVMM_MODE_64;
	return vcpu->cs_ar & VMX_AR_DB_MASK ? SHADOWVMM_MODE_32 : SHADOWVMM_MODE_16;
}

/**
 * shadowvmm_vcpu_cpl_access() - the access bits the privilege level adds
 * @vcpu: the vCPU, as of its last exit
 *
 * Return: SHADOWVMM_PF_USER at CPL 3, else 0.
 */
u32 shadowvmm_vcpu_cpl_access(const struct shadowvmm_vcpu *vcpu)
{
	return shadowvmm_vcpu_cpl(vcpu) == 3 ? SHADOWVMM_PF_USER : 0;
}

/* Each page of [gva, gva + len) in turn: its guest-physical address. */
static int linear_access(struct shadowvmm_vcpu *vcpu, u64 gva, u8 *buf,
			 unsigned int len, u32 access, bool write,
			 struct shadowvmm_walk *fault)
{
	struct shadowvmm_gmem *gmem = &vcpu->vm->gmem;
	struct shadowvmm_walk walk = {};
	struct shadowvmm_walk *w = fault ?: &walk;

	while (len) {
		unsigned int n = min_t(u64, len, PAGE_SIZE - offset_in_page(gva));

		int err = shadowvmm_mmu_walk(&vcpu->mmu, gva, access, w);

		w->gva = gva;	/* what CR2 says: the page that faults */
		if (err)
			return err;
		if (shadowvmm_mmu_is_mmio(&vcpu->mmu, w->gpa >> PAGE_SHIFT))
			return -EOPNOTSUPP;	/* device registers: not here */
		if (!shadowvmm_gmem_range_ok(gmem, w->gpa, n)) {
			if (!write)
				memset(buf, 0xff, n);
		} else if (write) {
			memcpy(gmem->ram + w->gpa, buf, n);
			shadowvmm_mmu_pte_write(&vcpu->mmu, w->gpa, n);
		} else {
			memcpy(buf, gmem->ram + w->gpa, n);
		}
		buf += n;
		gva += n;
		len -= n;
	}
	return 0;
}

/**
 * shadowvmm_linear_read() - read guest memory as an instruction would
 * @vcpu: the vCPU
 * @gva: the linear address
 * @buf: where the bytes go
 * @len: how many
 * @access: SHADOWVMM_PF_* bits of the access (fetch, user)
 * @fault: if not NULL, the walk that failed, for the #PF to inject
 *
 * Return: 0, -EFAULT where the guest would fault, -EOPNOTSUPP for the
 * APIC's page, or another error of the walk's (try again).
 */
int shadowvmm_linear_read(struct shadowvmm_vcpu *vcpu, u64 gva, void *buf,
			  unsigned int len, u32 access,
			  struct shadowvmm_walk *fault)
{
	return linear_access(vcpu, gva, buf, len, access, false, fault);
}

/**
 * shadowvmm_linear_write() - write guest memory as an instruction would
 * @vcpu: the vCPU
 * @gva: the linear address
 * @buf: the bytes
 * @len: how many
 * @access: SHADOWVMM_PF_* bits besides SHADOWVMM_PF_WRITE (user)
 * @fault: as for shadowvmm_linear_read()
 *
 * A write that crosses into a page it may not write has stored the bytes
 * before that page: callers write one element at a time, and an element
 * straddling two pages is rare enough (and its part store invisible to a
 * guest that then takes the #PF) to leave it so.
 *
 * Return: as shadowvmm_linear_read().
 */
int shadowvmm_linear_write(struct shadowvmm_vcpu *vcpu, u64 gva,
			   const void *buf, unsigned int len, u32 access,
			   struct shadowvmm_walk *fault)
{
	return linear_access(vcpu, gva, (u8 *)buf, len,
			     access | SHADOWVMM_PF_WRITE, true, fault);
}

/*
 * The bytes the CPU ran, read where the shadow maps them: as the CPU
 * fetched them, with no walk of the guest's tables.
 */
static bool fetch_mapped(struct shadowvmm_vcpu *vcpu, u64 pc, u8 *insn)
{
	struct shadowvmm_gmem *gmem = &vcpu->vm->gmem;
	unsigned int len = SHADOWVMM_MAX_INSN_LEN, n;
	u64 gpa;

	while (len) {
		n = min_t(unsigned int, len, PAGE_SIZE - offset_in_page(pc));
		if (!shadowvmm_mmu_mapped_gpa(&vcpu->mmu, pc, &gpa) ||
		    !shadowvmm_gmem_range_ok(gmem, gpa, n))
			return false;
		memcpy(insn, gmem->ram + gpa, n);
		insn += n;
		pc += n;
		len -= n;
	}
	return true;
}

/**
 * shadowvmm_fetch_insn() - the instruction bytes at CS:RIP
 * @vcpu: the vCPU, as of its last exit
 * @insn: where they go
 *
 * A short instruction may end a page that nothing maps after: then only
 * the bytes up to the end of its page are fetched.
 *
 * Return: how many bytes were fetched, 0 if none could be.
 */
unsigned int shadowvmm_fetch_insn(struct shadowvmm_vcpu *vcpu,
				  u8 insn[SHADOWVMM_MAX_INSN_LEN])
{
	u32 fetch = SHADOWVMM_PF_FETCH | shadowvmm_vcpu_cpl_access(vcpu);
	u64 pc = vcpu->rip;
	unsigned int n;

	/* 64-bit mode ignores CS's base; elsewhere addresses wrap at 4 GiB. */
	if (shadowvmm_vcpu_cpu_mode(vcpu) != SHADOWVMM_MODE_64)
		pc = (u32)(pc + shadowvmm_vmcs_seg_base(SHADOWVMM_SEG_CS));
	if (fetch_mapped(vcpu, pc, insn))
		return SHADOWVMM_MAX_INSN_LEN;
	if (!shadowvmm_linear_read(vcpu, pc, insn, SHADOWVMM_MAX_INSN_LEN,
				   fetch, NULL))
		return SHADOWVMM_MAX_INSN_LEN;
	n = min_t(unsigned int, SHADOWVMM_MAX_INSN_LEN,
		  PAGE_SIZE - offset_in_page(pc));
	return shadowvmm_linear_read(vcpu, pc, insn, n, fetch, NULL) ? 0 : n;
}
