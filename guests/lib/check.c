// SPDX-License-Identifier: GPL-2.0
/* TAP lines for the checks, and the exit status they add up to. */
#include "runtime.h"
#include "check.h"
#include "trap.h"
#include "x86.h"

static int checks, failures;

static void begin(int ok, const char *fmt, va_list ap)
{
	if (!ok)
		failures++;
	printf("%sok %d - ", ok ? "" : "not ", ++checks);
	vprintf(fmt, ap);
}

/* What the last probe really did, for a failing line. */
static void end(int ok)
{
	if (ok)
		puts("\n");
	else if (last_fault.vector == NO_FAULT)
		puts(" (got no fault)\n");
	else if (last_fault.cr2_high)
		printf(" (got vector %u err=0x%x cr2=0x%08x%08x)\n",
		       last_fault.vector, last_fault.error,
		       last_fault.cr2_high, last_fault.cr2);
	else
		printf(" (got vector %u err=0x%x cr2=0x%08x)\n",
		       last_fault.vector, last_fault.error, last_fault.cr2);
}

void check(int ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	begin(ok, fmt, ap);
	va_end(ap);
	puts("\n");
}

void check_start(int ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	begin(ok, fmt, ap);
	va_end(ap);
}

void check_end(int ok, const char *fmt, ...)
{
	va_list ap;

	if (!ok) {
		puts(" (");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		puts(")");
	}
	puts("\n");
}

/* 8 hex digits, or 16 for an address only long mode has. */
static void print_address(u64 va)
{
	if (va >> 32)
		printf("0x%08x%08x", (u32)(va >> 32), (u32)va);
	else
		printf("0x%08x", (u32)va);
}

static void vcheck_pf(u32 error, u64 cr2, u32 ignore, const char *fmt,
		      va_list ap)
{
	int ok = last_fault.vector == VECTOR_PF &&
		 (last_fault.error & ~ignore) == (error & ~ignore) &&
		 last_fault.cr2 == (u32)cr2 &&
		 last_fault.cr2_high == (u32)(cr2 >> 32);

	begin(ok, fmt, ap);
	printf(" faults, err=0x%x", error);
	if (ignore & PF_P)
		puts(" (P not compared)");
	puts(" cr2=");
	print_address(cr2);
	end(ok);
}

void check_pf(u32 error, u64 cr2, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcheck_pf(error, cr2, 0, fmt, ap);
	va_end(ap);
}

/*
 * Hardware sets P in the error code of a reserved-bit fault (the entry
 * was present), and so do Bochs and KVM; QEMU 7.2, the oracle, leaves it
 * clear. Only the bits both agree on can make output every one of them
 * prints the same.
 */
void check_pf_rsvd(u32 error, u64 cr2, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcheck_pf(error | PF_P | PF_RSVD, cr2, PF_P, fmt, ap);
	va_end(ap);
}

void check_exception(u32 vector, u32 error, const char *fmt, ...)
{
	int ok = last_fault.vector == vector && last_fault.error == error;
	va_list ap;

	va_start(ap, fmt);
	begin(ok, fmt, ap);
	va_end(ap);
	printf(" raises vector %u err=0x%x", vector, error);
	end(ok);
}

void check_nofault(const char *fmt, ...)
{
	int ok = last_fault.vector == NO_FAULT;
	va_list ap;

	va_start(ap, fmt);
	begin(ok, fmt, ap);
	va_end(ap);
	puts(" succeeds");
	end(ok);
}

void check_value(u32 got, u32 want, const char *fmt, ...)
{
	int ok = last_fault.vector == NO_FAULT && got == want;
	va_list ap;

	va_start(ap, fmt);
	begin(ok, fmt, ap);
	va_end(ap);
	printf(" gives 0x%08x", want);
	if (!ok && last_fault.vector == NO_FAULT)
		printf(" (got 0x%08x)\n", got);
	else
		end(ok);
}

int check_done(void)
{
	printf("1..%d\n", checks);
	return failures ? 1 : 0;
}

void bail_out(const char *fmt, ...)
{
	va_list ap;

	puts("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	puts("\n");
	exit(1);
}
