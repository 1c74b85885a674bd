// SPDX-License-Identifier: GPL-2.0
/*
 * PAE paging: lib/paging_checks.c's checks with 4 KiB and 2 MiB pages,
 * then what only PAE has: PDPTEs, NX, reserved bits, and SMEP and SMAP.
 *
 * PDPTEs are checked only after a CR3 load: hardware reads the four of
 * them when CR3 is loaded (and #GPs there on a reserved bit), QEMU reads
 * them on every walk, so the two disagree about anything else.
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "frame.h"
#include "paging_checks.h"
#include "probe.h"
#include "x86.h"

#define TEST_VA		0x40000000u	/* 4 KiB pages, one page table */
#define VA(n)		(TEST_VA + (n) * PAGE_SIZE)
#define PDE_VA		0x40200000u	/* a page table of its own */
#define NX_PDE_VA	0x40400000u	/* another, for NX in the PDE */
#define RSVD_PDE_VA	0x40600000u	/* another, for a reserved bit */
#define FORK_VA		0x50000000u	/* two page tables of pages */
#define SPACE_VA	0x60000000u	/* different in each address space */
#define WINDOW_VA	0x7fe00000u	/* the last PDE maps its PD */
#define BIG_VA		0x80000000u	/* a 2 MiB page */
#define RSVD_BIG_VA	0x80400000u	/* a 2 MiB page with a reserved bit */
#define PDPTE3_VA	0xc0000000u	/* the last PDPTE's GiB */
#define CODE_OFFSET	0x800		/* where code pages hold their RET */
/* A 2 MiB page frame is 2 MiB-aligned: bits 20:13 must be zero. */
#define PTE_BIG_RSVD	(1ull << 13)
#define TAG(n)		(0x9ae00000u + (n))

static struct pgtable kernel;

static void map(u32 va, u32 pa, u64 flags)
{
	pg_map(&kernel, va, pa, LEVEL_PTE, flags);
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

static void check_pdptes(void)
{
	u32 a = frame_alloc_tagged(TAG(1)), b = frame_alloc_tagged(TAG(2));
	u32 v;

	probe_read(PDPTE3_VA, &v);
	check_pf(0, PDPTE3_VA, "read through a PDPTE not present");
	map(PDPTE3_VA, a, PTE_P | PTE_RW);
	flush_tlb();
	probe_read(PDPTE3_VA, &v);
	check_value(v, TAG(1), "read through the PDPTE once present");
	/* A whole new PD under the same PDPTE. */
	pte_write(&kernel, PDPTE3_VA, LEVEL_PDPTE, 0);
	map(PDPTE3_VA, b, PTE_P | PTE_RW);
	flush_tlb();
	probe_read(PDPTE3_VA, &v);
	check_value(v, TAG(2), "read through a PDPTE pointing at a new PD");
}

static void check_nx(void)
{
	u32 x = code_frame(TAG(10)), u = code_frame(TAG(11));
	u32 pde = code_frame(TAG(12));
	u32 va = VA(20), user_va = VA(21), absent_va = VA(22);
	u32 v;

	if (!(cpuid(0x80000001, 0).edx & CPUID_81_EDX_NX)) {
		check(0, "NX: CPUID lacks it");
		return;
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	map(va, x, PTE_P | PTE_RW);
	map(user_va, u, PTE_P | PTE_RW | PTE_US);
	map(NX_PDE_VA, pde, PTE_P | PTE_RW);
	flush_tlb();
	probe_exec(va + CODE_OFFSET);
	check_nofault("supervisor fetch from a page without NX");
	pte_change(&kernel, va, LEVEL_PTE, PTE_NX, 0);
	invlpg(va);
	probe_exec(va + CODE_OFFSET);
	check_pf(PF_P | PF_I, va + CODE_OFFSET,
		 "supervisor fetch from an NX page");
	probe_read(va, &v);
	check_value(v, TAG(10), "read of the NX page");
	user_exec(user_va + CODE_OFFSET);
	check_nofault("user fetch from a user page without NX");
	pte_change(&kernel, user_va, LEVEL_PTE, PTE_NX, 0);
	invlpg(user_va);
	user_exec(user_va + CODE_OFFSET);
	check_pf(PF_P | PF_U | PF_I, user_va + CODE_OFFSET,
		 "user fetch from an NX user page");
	pte_change(&kernel, NX_PDE_VA, LEVEL_PDE, PTE_NX, 0);
	flush_tlb();
	probe_exec(NX_PDE_VA + CODE_OFFSET);
	check_pf(PF_P | PF_I, NX_PDE_VA + CODE_OFFSET,
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

/* The lowest physical-address bit the CPU does not have, or 0 if none. */
static u64 reserved_address_bit(void)
{
	u32 bits = 36;	/* what the SDM says to assume without the leaf */

	if (cpuid(0x80000000, 0).eax >= 0x80000008)
		bits = cpuid(0x80000008, 0).eax & 0xff;
	return bits < 52 ? 1ull << bits : 0;
}

static void check_reserved(void)
{
	u64 bit = reserved_address_bit();
	u32 a = code_frame(TAG(20)), b = frame_alloc_tagged(TAG(21));
	u32 big = frame_alloc_range(2 << 20, 2 << 20);
	u32 va = VA(24), fetch_err = 0, v;

	if (!bit) {
		check(0, "MAXPHYADDR leaves no reserved address bit");
		return;
	}
	/* Printing MAXPHYADDR would tie the output to one CPU model. */
	pte_write(&kernel, va, LEVEL_PTE, a | PTE_P | PTE_RW | bit);
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
	pte_change(&kernel, va, LEVEL_PTE, PTE_US, 0);
	invlpg(va);
	user_read(va, &v);
	check_pf_rsvd(PF_U, va, "user read through that PTE");
	pte_change(&kernel, va, LEVEL_PTE, 0, bit);
	invlpg(va);
	probe_read(va, &v);
	check_value(v, TAG(20), "read once the bit is clear again");
	/* Reserved bits count only in present entries. */
	pte_write(&kernel, va, LEVEL_PTE, a | bit);
	invlpg(va);
	probe_read(va, &v);
	check_pf(0, va, "read through a PTE not present, with that bit set");

	map(RSVD_PDE_VA, b, PTE_P | PTE_RW);
	pte_change(&kernel, RSVD_PDE_VA, LEVEL_PDE, bit, 0);
	flush_tlb();
	probe_read(RSVD_PDE_VA, &v);
	check_pf_rsvd(0, RSVD_PDE_VA,
		      "read through a PDE with a bit set above MAXPHYADDR");
	pte_change(&kernel, RSVD_PDE_VA, LEVEL_PDE, 0, bit);
	flush_tlb();

	*(u32 *)big = TAG(22);
	pg_map(&kernel, RSVD_BIG_VA, big, LEVEL_PDE,
	       PTE_P | PTE_RW | PTE_BIG_RSVD);
	flush_tlb();
	probe_read(RSVD_BIG_VA, &v);
	check_pf_rsvd(0, RSVD_BIG_VA,
		      "read of a 2 MiB page with address bit 13 set");
	pte_change(&kernel, RSVD_BIG_VA, LEVEL_PDE, 0, PTE_BIG_RSVD);
	invlpg(RSVD_BIG_VA);
	probe_read(RSVD_BIG_VA, &v);
	check_value(v, TAG(22), "read once bit 13 is clear again");
}

static void check_smep(void)
{
	u32 u = code_frame(TAG(30)), va = VA(26), v;

	if (!has_leaf7() || !(cpuid(7, 0).ebx & CPUID_7_EBX_SMEP)) {
		check(0, "SMEP: CPUID lacks it");
		return;
	}
	map(va, u, PTE_P | PTE_RW | PTE_US);
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

static void check_smap(void)
{
	u32 u = frame_alloc_tagged(TAG(40)), va = VA(27), v;
	int faulted;

	if (!has_leaf7() || !(cpuid(7, 0).ebx & CPUID_7_EBX_SMAP)) {
		check(0, "SMAP: CPUID lacks it");
		return;
	}
	map(va, u, PTE_P | PTE_RW | PTE_US);
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

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	puts("# pae: PAE paging, 4 KiB and 2 MiB pages, NX, SMEP, SMAP\n");
	desc_init();
	frame_init(mbi);
	if (!(cpuid(1, 0).edx & CPUID_1_EDX_PAE)) {
		check(0, "PAE: CPUID lacks it");
		return check_done();
	}
	pgtable_init(&kernel, PAGING_PAE);
	paging_enable(&kernel);

	check_accessed_dirty(&kernel, VA(0));
	check_remap(&kernel, VA(1), 0);
	check_remap(&kernel, VA(2), 1);
	check_write_protect(&kernel, VA(3), VA(9));
	check_user(&kernel, VA(4), PDE_VA);
	check_big_page(&kernel, BIG_VA);
	check_self_map(&kernel, WINDOW_VA, VA(9));
	check_address_spaces(&kernel, SPACE_VA);
	check_fork(&kernel, FORK_VA);
	if (cpuid(1, 0).edx & CPUID_1_EDX_PGE)
		check_global(&kernel, VA(16));
	else
		check(0, "global pages: CPUID lacks PGE");
	check_pdptes();
	check_nx();
	check_reserved();
	check_smep();
	check_smap();
	return check_done();
}
