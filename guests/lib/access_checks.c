// SPDX-License-Identifier: GPL-2.0
/* NX, reserved bits, SMEP and SMAP, where PAE and 4-level paging agree. */
#include "access_checks.h"
#include "check.h"
#include "frame.h"
#include "probe.h"
#include "x86.h"

#define CODE_OFFSET	0x800		/* where code pages hold their RET */
/* A 2 MiB page frame is 2 MiB-aligned: bits 20:13 must be zero. */
#define PTE_BIG_RSVD	(1ull << 13)
#define BIG_SIZE	0x200000u
#define TAG(n)		(0x9ae00000u + (n))

static void map(const struct pgtable *pt, u32 va, u32 pa, u64 flags)
{
	pg_map(pt, va, pa, LEVEL_PTE, flags);
}

/* A frame with tag in its first word and a RET at CODE_OFFSET. */
static u32 code_frame(u32 tag)
{
	u32 pa = frame_alloc_tagged(tag);

	*(u8 *)(pa + CODE_OFFSET) = RET_OPCODE;
	return pa;
}

static int has_leaf7(void)
{
	return cpuid(0, 0).eax >= 7;
}

void check_nx(const struct pgtable *pt, u32 va, u32 pde_va)
{
	u32 user_va = va + PAGE_SIZE, absent_va = va + 2 * PAGE_SIZE;
	u32 x = code_frame(TAG(10)), u = code_frame(TAG(11));
	u32 pde = code_frame(TAG(12));
	u32 v;

	if (!(cpuid(0x80000001, 0).edx & CPUID_81_EDX_NX)) {
		check(0, "NX: CPUID lacks it");
		return;
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	map(pt, va, x, PTE_P | PTE_RW);
	map(pt, user_va, u, PTE_P | PTE_RW | PTE_US);
	map(pt, pde_va, pde, PTE_P | PTE_RW);
	flush_tlb();
	probe_exec(va + CODE_OFFSET);
	check_nofault("supervisor fetch from a page without NX");
	pte_change(pt, va, LEVEL_PTE, PTE_NX, 0);
	invlpg(va);
	probe_exec(va + CODE_OFFSET);
	check_pf(PF_P | PF_I, va + CODE_OFFSET,
		 "supervisor fetch from an NX page");
	probe_read(va, &v);
	check_value(v, TAG(10), "read of the NX page");
	user_exec(user_va + CODE_OFFSET);
	check_nofault("user fetch from a user page without NX");
	pte_change(pt, user_va, LEVEL_PTE, PTE_NX, 0);
	invlpg(user_va);
	user_exec(user_va + CODE_OFFSET);
	check_pf(PF_P | PF_U | PF_I, user_va + CODE_OFFSET,
		 "user fetch from an NX user page");
	pte_change(pt, pde_va, LEVEL_PDE, PTE_NX, 0);
	flush_tlb();
	probe_exec(pde_va + CODE_OFFSET);
	check_pf(PF_P | PF_I, pde_va + CODE_OFFSET,
		 "fetch through a PDE with NX, from a PTE without");
	probe_exec(absent_va);
	check_pf(PF_I, absent_va, "fetch from a page not present");

	/* Without EFER.NXE, bit 63 is just another reserved bit. */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_NXE);
	flush_tlb();
	probe_read(va, &v);
	check_pf_rsvd(0, va, "read of a page with NX, EFER.NXE=0");
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	flush_tlb();
	probe_read(va, &v);
	check_value(v, TAG(10), "the same read with EFER.NXE=1 again");
}

u64 reserved_address_bit(void)
{
	u32 bits = 36;	/* what the SDM says to assume without the leaf */

	if (cpuid(0x80000000, 0).eax >= 0x80000008)
		bits = cpuid(0x80000008, 0).eax & 0xff;
	return bits < 52 ? 1ull << bits : 0;
}

void check_reserved(const struct pgtable *pt, u32 va, u32 pde_va,
		    u32 big_va)
{
	u64 bit = reserved_address_bit();
	u32 a = code_frame(TAG(20)), b = frame_alloc_tagged(TAG(21));
	u32 big = frame_alloc_range(BIG_SIZE, BIG_SIZE);
	u32 fetch_err = 0, v;

	if (!bit) {
		check(0, "MAXPHYADDR leaves no reserved address bit");
		return;
	}
	/* Printing MAXPHYADDR would tie the output to one CPU model. */
	pte_write(pt, va, LEVEL_PTE, a | PTE_P | PTE_RW | bit);
	flush_tlb();
	probe_read(va, &v);
	check_pf_rsvd(0, va,
		      "read through a PTE with a bit set above MAXPHYADDR");
	probe_write(va, 0);
	check_pf_rsvd(PF_W, va, "write through that PTE");
	if (rdmsr(MSR_EFER) & EFER_NXE)
		fetch_err |= PF_I;
	probe_exec(va + CODE_OFFSET);
	check_pf_rsvd(fetch_err, va + CODE_OFFSET, "fetch through that PTE");
	pte_change(pt, va, LEVEL_PTE, PTE_US, 0);
	invlpg(va);
	user_read(va, &v);
	check_pf_rsvd(PF_U, va, "user read through that PTE");
	pte_change(pt, va, LEVEL_PTE, 0, bit);
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(20), "read once the bit is clear again");
	/* Reserved bits count only in present entries. */
	pte_write(pt, va, LEVEL_PTE, a | bit);
	invlpg(va);
	probe_read(va, &v);
	check_pf(0, va, "read through a PTE not present, with that bit set");

	map(pt, pde_va, b, PTE_P | PTE_RW);
	pte_change(pt, pde_va, LEVEL_PDE, bit, 0);
	flush_tlb();
	probe_read(pde_va, &v);
	check_pf_rsvd(0, pde_va,
		      "read through a PDE with a bit set above MAXPHYADDR");
	pte_change(pt, pde_va, LEVEL_PDE, 0, bit);
	flush_tlb();

	*(u32 *)big = TAG(22);
	pg_map(pt, big_va, big, LEVEL_PDE, PTE_P | PTE_RW | PTE_BIG_RSVD);
	flush_tlb();
	probe_read(big_va, &v);
	check_pf_rsvd(0, big_va,
		      "read of a 2 MiB page with address bit 13 set");
	pte_change(pt, big_va, LEVEL_PDE, 0, PTE_BIG_RSVD);
	invlpg(big_va);
	probe_read(big_va, &v);
	check_value(v, TAG(22), "read once bit 13 is clear again");
}

void check_smep(const struct pgtable *pt, u32 va)
{
	u32 u = code_frame(TAG(30)), v;

	if (!has_leaf7() || !(cpuid(7, 0).ebx & CPUID_7_EBX_SMEP)) {
		check(0, "SMEP: CPUID lacks it");
		return;
	}
	map(pt, va, u, PTE_P | PTE_RW | PTE_US);
	flush_tlb();
	probe_exec(va + CODE_OFFSET);
	check_nofault("supervisor fetch from a user page, CR4.SMEP=0");
	write_cr4(read_cr4() | CR4_SMEP);
	flush_tlb();
	probe_exec(va + CODE_OFFSET);
	check_pf(PF_P | PF_I, va + CODE_OFFSET,
		 "supervisor fetch from a user page, CR4.SMEP=1");
	user_exec(va + CODE_OFFSET);
	check_nofault("user fetch from it, CR4.SMEP=1");
	probe_read(va, &v);
	check_value(v, TAG(30), "supervisor read of it, CR4.SMEP=1");
	write_cr4(read_cr4() & ~CR4_SMEP);
	flush_tlb();
}

void check_smap(const struct pgtable *pt, u32 va)
{
	u32 u = frame_alloc_tagged(TAG(40)), v;
	int faulted;

	if (!has_leaf7() || !(cpuid(7, 0).ebx & CPUID_7_EBX_SMAP)) {
		check(0, "SMAP: CPUID lacks it");
		return;
	}
	map(pt, va, u, PTE_P | PTE_RW | PTE_US);
	write_cr4(read_cr4() | CR4_SMAP);
	flush_tlb();
	probe_read(va, &v);
	check_pf(PF_P, va, "supervisor read of a user page, CR4.SMAP=1");
	probe_write(va, 0);
	check_pf(PF_P | PF_W, va, "supervisor write to it, CR4.SMAP=1");
	stac();
	faulted = probe_read(va, &v);
	clac();
	check(!faulted && v == TAG(40),
	      "supervisor read of it after STAC (EFLAGS.AC=1)");
	stac();
	faulted = probe_write(va, TAG(41));
	clac();
	check(!faulted && *(u32 *)u == TAG(41),
	      "supervisor write to it after STAC");
	probe_read(va, &v);
	check_pf(PF_P, va, "supervisor read of it after CLAC");
	user_read(va, &v);
	check_value(v, TAG(41), "user read of it, CR4.SMAP=1");
	write_cr4(read_cr4() & ~CR4_SMAP);
	flush_tlb();
}
