// SPDX-License-Identifier: GPL-2.0
/*
 * String port I/O, INS and OUTS with and without REP, the way a CPU does
 * it, at ports QEMU and shadowvmm both have: COM1's transmit register
 * (0x3f8: what REP OUTSB writes there is part of the output, each string
 * at most the 16 bytes a 16550's FIFO holds, sent once LSR says it is
 * empty), fw_cfg (selector 0x510, data 0x511: key 0, the signature, reads
 * "QEMU", then zeros past the item's end) and the POST port 0x80 (writes
 * ignored). First with paging off: the index register moving by the
 * element size (backwards with DF=1), ECX counting down to 0, REP with
 * ECX 0 doing nothing, bytes landing exactly where they should and not
 * past the count, a string across a page boundary and one of 5000 bytes.
 * Then through a PAE page table (lib/paging.c's identity map, and test
 * pages at 0x40000000): a string across two pages whose frames are out
 * of order; a #PF in the middle of a REP string, with the iterations
 * before it done (EDI or ESI, ECX and the bytes stored or sent), then
 * the page mapped and the string resumed, by hand and from a #PF handler
 * that pages on demand; a read-only page; CPL 3 with IOPL 0 and no I/O
 * bitmap; and the 16-bit address size (a 0x67 prefix), where only DI, SI
 * and CX are used and updated and DI wraps at 64 KiB.
 *
 * Not checked, as QEMU 7.2 and the SDM or shadowvmm differ:
 *
 *  - What a 16- or 32-bit IN from fw_cfg's data port reads. QEMU's
 *    traditional fw_cfg accepts only byte reads there: a wider one reads 0
 *    and takes no byte from the item; shadowvmm takes as many successive
 *    bytes as the width, the first lowest. INSW and INSD are checked at
 *    port 0x80 instead, where each element is what IN of its width reads.
 *  - Whether an INS whose store faults has read the port. The SDM allows
 *    it ("may read from the I/O port without writing to the memory
 *    location if an exception ... occurs due to the write"), and
 *    shadowvmm does; QEMU stores first and reads after. So a REP INSB
 *    that faulted is resumed after selecting the item again and skipping
 *    the bytes the iterations before the fault stored, and nothing checks
 *    the byte the faulting iteration may have taken.
 *
 * Everything else is the same in both and in the SDM: a fault leaves
 * EDI/ESI and ECX counting the iterations done, with EIP at the
 * instruction, the way any REP string instruction reports its progress.
 * Only fixed test addresses (CR2, the 16-bit DI) are printed, never where
 * the image put a buffer, so any correct x86 prints the same.
 */
#include "runtime.h"
#include "check.h"
#include "desc.h"
#include "fixup.h"
#include "frame.h"
#include "paging.h"
#include "trap.h"
#include "user_stub.h"
#include "x86.h"

#define COM1			0x3f8
#define COM1_LSR		0x3fd
#define LSR_THRE		0x20
#define UART_FIFO		16	/* bytes the transmit FIFO holds */
#define POST_PORT		0x80
#define FW_CFG_SELECTOR		0x510
#define FW_CFG_DATA		0x511
#define FW_CFG_SIGNATURE	0

#define CANARY			0xa5
#define BIG_COUNT		5000u

/* Test pages, outside the identity map: each check has its own pair. */
#define VA_SPLIT		0x40000000u	/* frames out of order */
#define VA_INS_NP		0x40010000u	/* second page not present */
#define VA_INS_NP_FIRST		0x40020000u	/* the page itself not present */
#define VA_INS_RO		0x40030000u	/* second page read-only */
#define VA_OUTS_NP		0x40040000u
#define VA_DEMAND		0x40050000u

/*
 * The 16-bit address size: registers whose upper halves must stay, and
 * what they hold after 4 bytes in and 15 bytes out, DI and SI wrapping.
 */
#define EDI16			0x1234fffeu
#define ECX16_IN		0x56780004u
#define EDI16_AFTER		0x12340002u
#define ECX16_IN_AFTER		0x56780000u
#define ESI16			0xabcdfff8u
#define ECX16_OUT		0x9abc000fu
#define ESI16_AFTER		0xabcd0007u
#define ECX16_OUT_AFTER		0x9abc0000u

static struct pgtable kernel;

/* --- the instructions ------------------------------------------------------ */

struct sio {
	u32 esi, edi, ecx;
};

static inline void outw(u16 port, u16 value)
{
	asm volatile("outw %0, %1" : : "a" (value), "Nd" (port));
}

static inline u16 inw(u16 port)
{
	u16 value;

	asm volatile("inw %1, %0" : "=a" (value) : "Nd" (port));
	return value;
}

static inline u32 inl(u16 port)
{
	u32 value;

	asm volatile("inl %1, %0" : "=a" (value) : "Nd" (port));
	return value;
}

/*
 * One string instruction between before and after (std; ... cld), with
 * ESI, EDI and ECX in and out: a fault records itself in last_fault and
 * leaves them as the CPU reported them, and the code goes on after it.
 */
#define STRING_OP(name, before, insn, after)				\
static void name(u16 port, struct sio *r)				\
{									\
	last_fault.vector = NO_FAULT;					\
	asm volatile(before "\n"					\
		     "1: " insn "\n"					\
		     "2: " after "\n"					\
		     ".pushsection .fixup, \"a\"\n"			\
		     ".long 1b, 2b\n"					\
		     ".popsection"					\
		     : "+S" (r->esi), "+D" (r->edi), "+c" (r->ecx)	\
		     : "d" (port) : "memory", "cc");			\
}

STRING_OP(outsb, "", "outsb", "")
STRING_OP(rep_outsb, "", "rep outsb", "")
STRING_OP(rep_outsw, "", "rep outsw", "")
STRING_OP(rep_outsd, "", "rep outsl", "")
STRING_OP(std_rep_outsb, "std", "rep outsb", "cld")
STRING_OP(std_rep_outsd, "std", "rep outsl", "cld")
STRING_OP(insb, "", "insb", "")
STRING_OP(rep_insb, "", "rep insb", "")
STRING_OP(rep_insw, "", "rep insw", "")
STRING_OP(rep_insd, "", "rep insl", "")
STRING_OP(std_rep_insb, "std", "rep insb", "cld")
/* 67 f3 6c and 67 f3 6e: ES:DI or DS:SI, and CX. */
STRING_OP(addr16_rep_insb, "", "addr16 rep insb", "")
STRING_OP(addr16_rep_outsb, "", "addr16 rep outsb", "")

/*
 * At CPL 3, run by user_call() with EDX = the buffer, ECX = the count;
 * each returns ECX as the instruction left it.
 */
asm(".pushsection .user.text, \"ax\"\n"
    "user_rep_outsb:\n"
    "	mov %edx, %esi\n"
    "	mov $" __stringify(POST_PORT) ", %edx\n"
    "1:	rep outsb\n"
    "2:	mov %ecx, %eax\n"
    "	int $" __stringify(USER_RETURN_VECTOR) "\n"
    ".pushsection .fixup, \"a\"\n"
    ".long 1b, 2b\n"
    ".popsection\n"
    "user_rep_insb:\n"
    "	mov %edx, %edi\n"
    "	mov $" __stringify(POST_PORT) ", %edx\n"
    "1:	rep insb\n"
    "2:	mov %ecx, %eax\n"
    "	int $" __stringify(USER_RETURN_VECTOR) "\n"
    ".pushsection .fixup, \"a\"\n"
    ".long 1b, 2b\n"
    ".popsection\n"
    ".popsection");
void user_rep_outsb(void);
void user_rep_insb(void);

static u8 user_buf[16] __attribute__((section(".user.data"))) = "user buffer";

/* --- helpers ---------------------------------------------------------------- */

static void fw_cfg_select(u16 key)
{
	outw(FW_CFG_SELECTOR, key);
}

/* A 16550 with an empty FIFO takes UART_FIFO bytes without waiting. */
static void com1_wait_empty(void)
{
	while (!(inb(COM1_LSR) & LSR_THRE))
		;
}

static u32 length(const char *s)
{
	u32 n = 0;

	while (s[n])
		n++;
	return n;
}

static void copy(u8 *to, const char *from, u32 n)
{
	while (n--)
		*to++ = *from++;
}

static void fill(u8 *p, u8 value, u32 n)
{
	while (n--)
		*p++ = value;
}

static int same(const u8 *p, const char *s, u32 n)
{
	while (n--)
		if (*p++ != (u8)*s++)
			return 0;
	return 1;
}

static int all(const u8 *p, u8 value, u32 n)
{
	while (n--)
		if (*p++ != value)
			return 0;
	return 1;
}

/* The page at va maps pa (0: none), and the TLB knows it. */
static void map(u32 va, u32 pa, u64 flags)
{
	if (pa)
		pg_map(&kernel, va, pa, LEVEL_PTE, PTE_P | flags);
	else
		pte_write(&kernel, va, LEVEL_PTE, 0);
	invlpg(va);
}

/* "+4", "-16", "+0" */
static void put_delta(const char *reg, int delta)
{
	printf("%s %c%u", reg, delta < 0 ? '-' : '+',
	       delta < 0 ? -(u32)delta : (u32)delta);
}

/*
 * No fault, the index register (ESI or EDI) moved delta bytes from start,
 * ECX is want_ecx: "rep insb: EDI +4, ECX 0".
 */
static void check_moved(const char *what, const char *reg, u32 start,
			u32 index, int delta, u32 ecx, u32 want_ecx)
{
	int faulted = last_fault.vector != NO_FAULT;
	int ok = !faulted && index - start == (u32)delta && ecx == want_ecx;

	check_start(ok, "%s: ", what);
	put_delta(reg, delta);
	printf(", ECX %u", want_ecx);
	if (ok) {
		check_end(ok, "%s", "");
	} else if (faulted) {
		check_end(ok, "got vector %u err=0x%x cr2=0x%08x",
			  last_fault.vector, last_fault.error, last_fault.cr2);
	} else {
		puts(" (got ");
		put_delta(reg, index - start);
		printf(", ECX %u)\n", ecx);
	}
}

/* After a fault: the index register at want (a test address), ECX left. */
static void check_stopped(const char *what, const char *reg, u32 index,
			  u32 want, u32 ecx, u32 want_ecx)
{
	int ok = index == want && ecx == want_ecx;

	check_start(ok, "%s: %s 0x%08x, ECX %u", what, reg, want, want_ecx);
	check_end(ok, "got %s 0x%08x, ECX %u", reg, index, ecx);
}

/* No fault, and the index register and ECX at fixed values. */
static void check_at(const char *what, const char *reg, u32 index, u32 want,
		     u32 ecx, u32 want_ecx)
{
	int ok = last_fault.vector == NO_FAULT && index == want &&
		 ecx == want_ecx;

	check_start(ok, "%s: %s 0x%08x, ECX 0x%x", what, reg, want, want_ecx);
	if (last_fault.vector != NO_FAULT)
		check_end(ok, "got vector %u err=0x%x cr2=0x%08x",
			  last_fault.vector, last_fault.error, last_fault.cr2);
	else
		check_end(ok, "got %s 0x%08x, ECX 0x%x", reg, index, ecx);
}

/* --- paging off --------------------------------------------------------------- */

static const char hello[] = " outsb: hello\n";
/* "# std rep outsb\n" backwards: std; rep outsb sends it from the end. */
static const char backwards[] = "\nbstuo per dts #";
_Static_assert(sizeof(hello) - 1 < UART_FIFO &&
	       sizeof(backwards) - 1 <= UART_FIFO, "strings the FIFO holds");

static u8 small[16];
static u8 big[3 * PAGE_SIZE] __aligned(PAGE_SIZE);

static void check_outs(void)
{
	u32 words[4] = { 0x11112222, 0x33334444, 0x55556666, 0x77778888 };
	struct fault fault, rest;
	struct sio r, one;
	u32 start;

	/* One byte by OUTSB, the rest of the line by REP OUTSB; then checks. */
	com1_wait_empty();
	start = (u32)"#";
	r = (struct sio){ .esi = start, .ecx = 7 };
	outsb(COM1, &r);
	fault = last_fault;
	one = r;
	r = (struct sio){ .esi = (u32)hello, .ecx = length(hello) };
	rep_outsb(COM1, &r);
	rest = last_fault;
	last_fault = fault;
	check_moved("outsb (no rep) of \"#\" to COM1 (0x3f8) with ECX 7",
		    "ESI", start, one.esi, 1, one.ecx, 7);
	last_fault = rest;
	check_moved("rep outsb of \" outsb: hello\\n\" (14 bytes) to COM1",
		    "ESI", (u32)hello, r.esi, 14, r.ecx, 0);

	com1_wait_empty();
	start = (u32)backwards + length(backwards) - 1;
	r = (struct sio){ .esi = start, .ecx = length(backwards) };
	std_rep_outsb(COM1, &r);
	check_moved("std; rep outsb of 16 bytes from the last, to COM1",
		    "ESI", start, r.esi, -16, r.ecx, 0);

	start = (u32)words;
	r = (struct sio){ .esi = start, .ecx = 3 };
	rep_outsw(POST_PORT, &r);
	check_moved("rep outsw of 3 words to port 0x80", "ESI", start, r.esi,
		    6, r.ecx, 0);
	r = (struct sio){ .esi = start, .ecx = 3 };
	rep_outsd(POST_PORT, &r);
	check_moved("rep outsd of 3 dwords to port 0x80", "ESI", start, r.esi,
		    12, r.ecx, 0);
	start = (u32)&words[3];
	r = (struct sio){ .esi = start, .ecx = 3 };
	std_rep_outsd(POST_PORT, &r);
	check_moved("std; rep outsd of 3 dwords from the last, to port 0x80",
		    "ESI", start, r.esi, -12, r.ecx, 0);

	/* Nothing may reach the console: the expected output shows it. */
	com1_wait_empty();
	start = (u32)"# ECX 0: not sent\n";
	r = (struct sio){ .esi = start, .ecx = 0 };
	rep_outsb(COM1, &r);
	check_moved("rep outsb to COM1 with ECX 0 sends nothing", "ESI",
		    start, r.esi, 0, r.ecx, 0);
}

static void check_ins(void)
{
	struct sio r;
	u32 start, i, moved = 1;
	u16 w;
	u32 l;
	int ok;

	/* INSB one at a time, then REP INSB, the signature both times. */
	fill(small, CANARY, sizeof(small));
	fw_cfg_select(FW_CFG_SIGNATURE);
	start = (u32)small + 4;
	r = (struct sio){ .edi = start, .ecx = 9 };
	for (i = 0; i < 4; i++) {
		insb(FW_CFG_DATA, &r);
		moved &= r.edi == start + i + 1 && r.ecx == 9;
	}
	ok = moved && same(small + 4, "QEMU", 4) && all(small, CANARY, 4) &&
	     all(small + 8, CANARY, 8);
	check(ok, "insb x4 from fw_cfg (0x511), key 0: \"QEMU\", EDI +1 and ECX 9 each time, nothing else written");

	fill(small, CANARY, sizeof(small));
	fw_cfg_select(FW_CFG_SIGNATURE);
	r = (struct sio){ .edi = start, .ecx = 4 };
	rep_insb(FW_CFG_DATA, &r);
	check_moved("rep insb of 4 from fw_cfg key 0", "EDI", start, r.edi,
		    4, r.ecx, 0);
	check(same(small + 4, "QEMU", 4), "it stored \"QEMU\"");
	check(all(small, CANARY, 4) && all(small + 8, CANARY, 8),
	      "the 4 bytes before it and the 8 after are untouched");

	fill(small, CANARY, sizeof(small));
	fw_cfg_select(FW_CFG_SIGNATURE);
	start = (u32)small + 7;
	r = (struct sio){ .edi = start, .ecx = 4 };
	std_rep_insb(FW_CFG_DATA, &r);
	check_moved("std; rep insb of 4 from fw_cfg key 0 at the last byte",
		    "EDI", start, r.edi, -4, r.ecx, 0);
	check(same(small + 4, "UMEQ", 4) && all(small, CANARY, 4) &&
	      all(small + 8, CANARY, 8),
	      "it stored \"UMEQ\" from the lowest address up, nothing else");

	/* Across a page boundary, past the item's end, 1024 and more. */
	fill(big, CANARY, sizeof(big));
	fw_cfg_select(FW_CFG_SIGNATURE);
	start = (u32)big + 2;
	r = (struct sio){ .edi = start, .ecx = BIG_COUNT };
	rep_insb(FW_CFG_DATA, &r);
	check_moved("rep insb of 5000 from fw_cfg key 0", "EDI", start, r.edi,
		    BIG_COUNT, r.ecx, 0);
	check(same(big + 2, "QEMU", 4) && all(big + 6, 0, BIG_COUNT - 4) &&
	      all(big, CANARY, 2) && big[2 + BIG_COUNT] == CANARY,
	      "it stored \"QEMU\" and 4996 zeros (past the item's end), nothing else");

	fill(big, CANARY, sizeof(big));
	fw_cfg_select(FW_CFG_SIGNATURE);
	start = (u32)big + PAGE_SIZE - 2;
	r = (struct sio){ .edi = start, .ecx = 4 };
	rep_insb(FW_CFG_DATA, &r);
	check_moved("rep insb of 4 at 2 bytes before a 4 KiB boundary", "EDI",
		    start, r.edi, 4, r.ecx, 0);
	check(same(big + PAGE_SIZE - 2, "QEMU", 4) &&
	      big[PAGE_SIZE - 3] == CANARY && big[PAGE_SIZE + 2] == CANARY,
	      "\"QE\" landed before the boundary and \"MU\" after it");

	/* ECX 0: no store and no read of the port. */
	fill(small, CANARY, sizeof(small));
	fw_cfg_select(FW_CFG_SIGNATURE);
	start = (u32)small + 4;
	r = (struct sio){ .edi = start, .ecx = 0 };
	rep_insb(FW_CFG_DATA, &r);
	check_moved("rep insb with ECX 0", "EDI", start, r.edi, 0, r.ecx, 0);
	check(all(small, CANARY, sizeof(small)) && inb(FW_CFG_DATA) == 'Q',
	      "it stored nothing and took no byte: inb reads 'Q' next");

	/* Wide elements at port 0x80: each is what IN of its width reads. */
	w = inw(POST_PORT);
	fill(small, CANARY, sizeof(small));
	start = (u32)small + 2;
	r = (struct sio){ .edi = start, .ecx = 3 };
	rep_insw(POST_PORT, &r);
	check_moved("rep insw of 3 from port 0x80", "EDI", start, r.edi, 6,
		    r.ecx, 0);
	ok = all(small, CANARY, 2) && all(small + 8, CANARY, 8);
	for (i = 0; i < 3; i++)
		ok &= small[2 + 2 * i] == (u8)w && small[3 + 2 * i] == w >> 8;
	check(ok, "it stored what inw reads there, 3 times, nothing else");

	l = inl(POST_PORT);
	fill(small, CANARY, sizeof(small));
	start = (u32)small;
	r = (struct sio){ .edi = start, .ecx = 3 };
	rep_insd(POST_PORT, &r);
	check_moved("rep insd of 3 from port 0x80", "EDI", start, r.edi, 12,
		    r.ecx, 0);
	ok = all(small + 12, CANARY, 4);
	for (i = 0; i < 12; i++)
		ok &= small[i] == (u8)(l >> 8 * (i % 4));
	check(ok, "it stored what inl reads there, 3 times, nothing else");
}

/* --- paging on ---------------------------------------------------------------- */

static void check_split(void)
{
	/* Allocated in order, mapped the other way round. */
	u32 first = frame_alloc(), second = frame_alloc();
	u8 *low = (u8 *)second, *high = (u8 *)first;
	static const char text[] = "# split outsb\n";
	struct sio r;
	u32 start;
	u16 w;
	int ok;

	_Static_assert(sizeof(text) - 1 == 14, "7 bytes on either side");

	map(VA_SPLIT, second, PTE_RW);
	map(VA_SPLIT + PAGE_SIZE, first, PTE_RW);
	fill(low, CANARY, PAGE_SIZE);
	fill(high, CANARY, PAGE_SIZE);

	fw_cfg_select(FW_CFG_SIGNATURE);
	start = VA_SPLIT + PAGE_SIZE - 2;
	r = (struct sio){ .edi = start, .ecx = 4 };
	rep_insb(FW_CFG_DATA, &r);
	check_moved("rep insb of 4 across two pages whose frames are out of order",
		    "EDI", start, r.edi, 4, r.ecx, 0);
	check(same(low + PAGE_SIZE - 2, "QE", 2) && same(high, "MU", 2) &&
	      low[PAGE_SIZE - 3] == CANARY && high[2] == CANARY,
	      "\"QE\" is at the end of the first page's frame, \"MU\" at the start of the second's");

	/* 7 bytes on either side. */
	copy(low + PAGE_SIZE - 7, text, 7);
	copy(high, text + 7, 7);
	com1_wait_empty();
	start = VA_SPLIT + PAGE_SIZE - 7;
	r = (struct sio){ .esi = start, .ecx = 14 };
	rep_outsb(COM1, &r);
	check_moved("rep outsb of \"# split outsb\\n\" across them to COM1",
		    "ESI", start, r.esi, 14, r.ecx, 0);

	/* A word whose bytes are in both frames. */
	w = inw(POST_PORT);
	fill(low, CANARY, PAGE_SIZE);
	fill(high, CANARY, PAGE_SIZE);
	start = VA_SPLIT + PAGE_SIZE - 1;
	r = (struct sio){ .edi = start, .ecx = 2 };
	rep_insw(POST_PORT, &r);
	check_moved("rep insw of 2 from port 0x80 at 1 byte before the boundary",
		    "EDI", start, r.edi, 4, r.ecx, 0);
	ok = low[PAGE_SIZE - 1] == (u8)w && high[0] == w >> 8 &&
	     high[1] == (u8)w && high[2] == w >> 8 &&
	     low[PAGE_SIZE - 2] == CANARY && high[3] == CANARY;
	check(ok, "the first word straddles the frames, low byte first, nothing else written");

	map(VA_SPLIT, 0, 0);
	map(VA_SPLIT + PAGE_SIZE, 0, 0);
	frame_free(first);
	frame_free(second);
}

/*
 * REP INSB of 4 at 2 bytes before a page that is not present, or
 * read-only: "QE" stored, then the fault. The page mapped writable, the
 * rest of the string goes on from where the fault left it, with fw_cfg
 * at the same place in the item (see the top of the file).
 */
static void check_ins_fault(u32 va, u64 second_flags, u32 error,
			    const char *what)
{
	u32 first = frame_alloc(), second = frame_alloc();
	u8 *low = (u8 *)first, *high = (u8 *)second;
	u32 start = va + PAGE_SIZE - 2;
	struct sio r;

	fill(low, CANARY, PAGE_SIZE);
	fill(high, CANARY, PAGE_SIZE);
	map(va, first, PTE_RW);
	if (second_flags)
		map(va + PAGE_SIZE, second, second_flags);
	fw_cfg_select(FW_CFG_SIGNATURE);
	r = (struct sio){ .edi = start, .ecx = 4 };
	rep_insb(FW_CFG_DATA, &r);
	check_pf(error, va + PAGE_SIZE,
		 "rep insb of 4 at 2 bytes before a %s page", what);
	check_stopped("the 2 iterations before it done", "EDI", r.edi,
		      va + PAGE_SIZE, r.ecx, 2);
	check(same(low + PAGE_SIZE - 2, "QE", 2) &&
	      low[PAGE_SIZE - 3] == CANARY && all(high, CANARY, PAGE_SIZE),
	      "\"QE\" stored before the page, nothing on it");

	map(va + PAGE_SIZE, second, PTE_RW);
	fw_cfg_select(FW_CFG_SIGNATURE);
	inb(FW_CFG_DATA);
	inb(FW_CFG_DATA);
	rep_insb(FW_CFG_DATA, &r);
	check_moved("page mapped writable, the same rep insb resumed", "EDI",
		    start, r.edi, 4, r.ecx, 0);
	check(same(high, "MU", 2) && high[2] == CANARY,
	      "\"MU\" stored at the start of the page");

	map(va, 0, 0);
	map(va + PAGE_SIZE, 0, 0);
	frame_free(first);
	frame_free(second);
}

static void check_ins_fault_first(void)
{
	u32 start = VA_INS_NP_FIRST;
	struct sio r = { .edi = start, .ecx = 4 };

	fw_cfg_select(FW_CFG_SIGNATURE);
	rep_insb(FW_CFG_DATA, &r);
	check_pf(PF_W, start, "rep insb of 4 at the first byte of a not-present page");
	check_stopped("no iteration done", "EDI", r.edi, start, r.ecx, 4);
}

/* 8 bytes before the page, 8 on it. */
static const char resumed[] = "# resumed outsb\n";
_Static_assert(sizeof(resumed) - 1 == 16, "8 and 8 bytes");

static void check_outs_fault(void)
{
	u32 first = frame_alloc(), second = frame_alloc();
	u32 start = VA_OUTS_NP + PAGE_SIZE - 8;
	struct fault fault, resume;
	struct sio r, stopped;

	copy((u8 *)first + PAGE_SIZE - 8, resumed, 8);
	copy((u8 *)second, resumed + 8, 8);
	map(VA_OUTS_NP, first, PTE_RW);
	com1_wait_empty();
	r = (struct sio){ .esi = start, .ecx = 16 };
	rep_outsb(COM1, &r);
	fault = last_fault;
	stopped = r;
	/* Resumed before any line is printed, so that its line stays whole. */
	map(VA_OUTS_NP + PAGE_SIZE, second, PTE_RW);
	com1_wait_empty();
	rep_outsb(COM1, &r);
	resume = last_fault;

	last_fault = fault;
	check_pf(0, VA_OUTS_NP + PAGE_SIZE,
		 "rep outsb of \"# resumed outsb\\n\" to COM1 from 8 bytes before a not-present page");
	check_stopped("the 8 iterations before it done", "ESI", stopped.esi,
		      VA_OUTS_NP + PAGE_SIZE, stopped.ecx, 8);
	last_fault = resume;
	check_moved("page mapped, the same rep outsb resumed", "ESI", start,
		    r.esi, 16, r.ecx, 0);

	map(VA_OUTS_NP, 0, 0);
	map(VA_OUTS_NP + PAGE_SIZE, 0, 0);
	frame_free(first);
	frame_free(second);
}

/* A #PF handler that maps the one page it is told about, once. */
static u32 demand_frame, demand_calls, demand_cr2, demand_error;

static int demand_map(u32 cr2, u32 error)
{
	if ((cr2 & ~(PAGE_SIZE - 1)) != VA_DEMAND + PAGE_SIZE ||
	    demand_calls++)
		return 0;
	demand_cr2 = cr2;
	demand_error = error;
	/* The FIFO takes the rest of the string now. */
	com1_wait_empty();
	map(VA_DEMAND + PAGE_SIZE, demand_frame, PTE_RW);
	return 1;
}

/* 6 bytes before the page, 15 on it: each part fits the FIFO. */
static const char demand[] = "# demand-paged outsb\n";
_Static_assert(sizeof(demand) - 1 - 6 <= UART_FIFO, "the part on the page");

static void check_demand(void)
{
	u32 first = frame_alloc(), second = frame_alloc();
	u32 start = VA_DEMAND + PAGE_SIZE - 6;
	u32 n = length(demand);
	struct sio r = { .esi = start, .ecx = n };
	int ok;

	copy((u8 *)first + PAGE_SIZE - 6, demand, 6);
	copy((u8 *)second, demand + 6, n - 6);
	map(VA_DEMAND, first, PTE_RW);
	demand_frame = second;
	page_fault_hook = demand_map;
	/* 21 bytes: the first 6, then the rest once the handler saw LSR empty. */
	com1_wait_empty();
	rep_outsb(COM1, &r);
	page_fault_hook = 0;
	ok = demand_calls == 1 && demand_cr2 == VA_DEMAND + PAGE_SIZE &&
	     demand_error == 0;
	check_start(ok, "rep outsb of \"# demand-paged outsb\\n\" from 6 bytes before a not-present page: the #PF handler maps it once, err=0x0 cr2=0x%08x",
		    VA_DEMAND + PAGE_SIZE);
	check_end(ok, "got %u calls, err=0x%x cr2=0x%08x", demand_calls,
		  demand_error, demand_cr2);
	check_moved("the instruction restarted and finished", "ESI", start,
		    r.esi, n, r.ecx, 0);

	map(VA_DEMAND, 0, 0);
	map(VA_DEMAND + PAGE_SIZE, 0, 0);
	frame_free(first);
	frame_free(second);
}

/* The TSS has no I/O bitmap (its base is past the limit) and IOPL is 0. */
static void check_user(void)
{
	u32 ecx;

	last_fault.vector = NO_FAULT;
	ecx = user_call(user_rep_outsb, (u32)user_buf, 4);
	check_exception(VECTOR_GP, 0,
			"rep outsb to port 0x80 at CPL 3 with IOPL 0 and no I/O bitmap");
	check(ecx == 4, "ECX 4 after it");

	fill(user_buf, CANARY, sizeof(user_buf));
	last_fault.vector = NO_FAULT;
	ecx = user_call(user_rep_insb, (u32)user_buf, 4);
	check_exception(VECTOR_GP, 0, "rep insb from port 0x80 at CPL 3");
	check(ecx == 4 && all(user_buf, CANARY, sizeof(user_buf)),
	      "ECX 4 after it, nothing stored");
}

/*
 * The 16-bit address size: linear addresses below 64 KiB, so the pages
 * there (0x0000, 0xf000, 0x10000: the identity map's, or none) map test
 * frames for the while.
 */
static void check_addr16(void)
{
	u32 zero = frame_alloc(), top = frame_alloc(), above = frame_alloc();
	static const char text[] = "# addr16 outsb\n";
	struct sio r;
	int ok;

	_Static_assert(sizeof(text) - 1 == (ECX16_OUT & 0xffff), "the count");

	fill((u8 *)zero, CANARY, PAGE_SIZE);
	fill((u8 *)top, CANARY, PAGE_SIZE);
	fill((u8 *)above, CANARY, PAGE_SIZE);
	map(0, zero, PTE_RW);
	map(0xf000, top, PTE_RW);
	map(0x10000, above, PTE_RW);

	fw_cfg_select(FW_CFG_SIGNATURE);
	r = (struct sio){ .edi = EDI16, .ecx = ECX16_IN };
	addr16_rep_insb(FW_CFG_DATA, &r);
	check_at("addr16 rep insb (67 f3 6c) from EDI 0x1234fffe, ECX 0x56780004",
		 "EDI", r.edi, EDI16_AFTER, r.ecx, ECX16_IN_AFTER);
	ok = same((u8 *)top + PAGE_SIZE - 2, "QE", 2) &&
	     same((u8 *)zero, "MU", 2) && ((u8 *)zero)[2] == CANARY &&
	     ((u8 *)top)[PAGE_SIZE - 3] == CANARY &&
	     all((u8 *)above, CANARY, 4);
	check(ok, "\"QE\" at 0xfffe, DI wrapped: \"MU\" at 0x0000, nothing at 0x10000");

	copy((u8 *)top + PAGE_SIZE - 8, text, 8);
	copy((u8 *)zero, text + 8, 7);
	com1_wait_empty();
	r = (struct sio){ .esi = ESI16, .ecx = ECX16_OUT };
	addr16_rep_outsb(COM1, &r);
	check_at("addr16 rep outsb (67 f3 6e) of \"# addr16 outsb\\n\" to COM1 from ESI 0xabcdfff8, ECX 0x9abc000f",
		 "ESI", r.esi, ESI16_AFTER, r.ecx, ECX16_OUT_AFTER);

	map(0, 0, 0);
	map(0xf000, 0xf000, PTE_RW);
	map(0x10000, 0x10000, PTE_RW);
	frame_free(zero);
	frame_free(top);
	frame_free(above);
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	if (!(cpuid(1, 0).edx & CPUID_1_EDX_PAE))
		bail_out("CPUID lacks PAE");
	desc_init();
	frame_init(mbi);

	puts("# stringio: INS and OUTS at COM1, fw_cfg and port 0x80, paging off\n");
	check_outs();
	check_ins();

	puts("# stringio: through a PAE page table\n");
	pgtable_init(&kernel, PAGING_PAE);
	paging_enable(&kernel);
	check_split();
	check_ins_fault(VA_INS_NP, 0, PF_W, "not-present");
	check_ins_fault_first();
	check_ins_fault(VA_INS_RO, PTE_P, PF_P | PF_W, "read-only");
	check_outs_fault();
	check_demand();
	check_user();
	check_addr16();
	return check_done();
}
