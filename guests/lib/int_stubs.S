/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INT 0 to INT 31, each followed by RET, 8 bytes apart: int_stubs.h
 * calls the one for a vector chosen at run time.
 */
	.section .note.GNU-stack, "", @progbits

	.text
	.align 8
	.globl int_stubs
int_stubs:
	vector = 0
	.rept 32
	.align 8
	.byte 0xcd, vector	/* INT imm8, even for 3 and 4 */
	ret
	vector = vector + 1
	.endr
