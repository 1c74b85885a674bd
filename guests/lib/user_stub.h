/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A ring-3 stub for user_call(): runs one instruction that may fault
 * (EDX and ECX hold user_call()'s a and b), then goes back to ring 0
 * with int $0x80; the trap handler resumes a faulting instruction there.
 */
#ifndef GUEST_USER_STUB_H
#define GUEST_USER_STUB_H

#include "desc.h"

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define USER_STUB(name, insn)						\
	asm(".pushsection .user.text, \"ax\"\n"				\
	    ".globl " #name "\n"					\
	    #name ":\n"							\
	    "1: " insn "\n"						\
	    "2: int $" __stringify(USER_RETURN_VECTOR) "\n"		\
	    ".pushsection .fixup, \"a\"\n"				\
	    ".long 1b, 2b\n"						\
	    ".popsection\n"						\
	    ".popsection");						\
	void name(void)

#endif
