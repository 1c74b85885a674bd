/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One TAP line per check: "ok 3 - user write to read-only page faults,
 * err=0x7 cr2=0x40005000". The text of a line never depends on the
 * outcome, only the "not " in front of it and a "(got ...)" after it, so
 * the expected output names exactly what each check demands.
 */
#ifndef GUEST_CHECK_H
#define GUEST_CHECK_H

#include "types.h"

__printf(2, 3) void check(int ok, const char *fmt, ...);
/* The last probe took a page fault with this error code and CR2. */
__printf(3, 4) void check_pf(u32 error, u64 cr2, const char *fmt, ...);
/* A reserved-bit page fault: error gets PF_P and PF_RSVD added. */
__printf(3, 4) void check_pf_rsvd(u32 error, u64 cr2, const char *fmt, ...);
/* The last probe raised another exception: #GP, #UD. */
__printf(3, 4) void check_exception(u32 vector, u32 error,
				    const char *fmt, ...);
/* The last probe completed. */
__printf(1, 2) void check_nofault(const char *fmt, ...);
/* The last probe completed and read want. */
__printf(3, 4) void check_value(u32 got, u32 want, const char *fmt, ...);
/*
 * A line that says what it saw when it fails: check_start() prints it up
 * to the end of the description, check_end() ends it, with " (" fmt ")"
 * only if the check failed: " (got 2 interrupts)", " (timed out)".
 */
__printf(2, 3) void check_start(int ok, const char *fmt, ...);
__printf(2, 3) void check_end(int ok, const char *fmt, ...);
/* The plan line; returns the exit status: 0 only if every check passed. */
int check_done(void);
/* Stops the run: what follows could not mean anything. */
__printf(1, 2) void __noreturn bail_out(const char *fmt, ...);

#endif
