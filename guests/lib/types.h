/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's spellings for types and attributes, with no libc around. */
#ifndef GUEST_TYPES_H
#define GUEST_TYPES_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#define __packed		__attribute__((packed))
#define __noreturn		__attribute__((noreturn))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __aligned(n)		__attribute__((aligned(n)))

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Memory the CPU (A and D bits) or another mapping changes behind our back. */
#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val)	(*(volatile typeof(x) *)&(x) = (val))

#endif
