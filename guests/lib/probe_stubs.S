/* SPDX-License-Identifier: GPL-2.0 */
/* The faulting instructions themselves, each with its fixup entry. */
#include "fixup.h"
#include "desc.h"

	.section .note.GNU-stack, "", @progbits

	.text
/* u32 __probe_read(u32 va) */
	.globl __probe_read
__probe_read:
	mov 4(%esp), %edx
	xor %eax, %eax
1:	mov (%edx), %eax
2:	ret
	FIXUP(1b, 2b)

/* void __probe_write(u32 va, u32 value) */
	.globl __probe_write
__probe_write:
	mov 4(%esp), %edx
	mov 8(%esp), %eax
1:	mov %eax, (%edx)
2:	ret
	FIXUP(1b, 2b)

/* void __probe_exec(u32 va): exec_probe names va and probe_exec_resume. */
	.globl __probe_exec, probe_exec_resume
__probe_exec:
	mov 4(%esp), %eax
	call *%eax
	ret
probe_exec_resume:
	add $4, %esp		/* the return address the call pushed */
	ret

/* void __probe_load_cr3(u32 cr3): PAE checks the PDPTEs right here. */
	.globl __probe_load_cr3
__probe_load_cr3:
	mov 4(%esp), %eax
1:	mov %eax, %cr3
2:	ret
	FIXUP(1b, 2b)

/*
 * The same at CPL 3, run by user_call() with EDX = va, ECX = value; each
 * goes back to ring 0 with int $0x80, EAX holding the result.
 */
	.section .user.text, "ax"
	.globl user_read_stub, user_write_stub, user_exec_stub
	.globl user_exec_resume
user_read_stub:
	xor %eax, %eax
1:	mov (%edx), %eax
2:	int $USER_RETURN_VECTOR
	FIXUP(1b, 2b)

user_write_stub:
1:	mov %ecx, (%edx)
2:	int $USER_RETURN_VECTOR
	FIXUP(1b, 2b)

user_exec_stub:
	call *%edx
	int $USER_RETURN_VECTOR
user_exec_resume:
	add $4, %esp
	int $USER_RETURN_VECTOR
