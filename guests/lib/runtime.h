/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GUEST_RUNTIME_H
#define GUEST_RUNTIME_H

#include <stdarg.h>
#include "multiboot.h"

/* Each guest provides main(); argv[0] is the image name from the loader. */
int main(int argc, char **argv, const struct multiboot_info *mbi);

void guest_start(u32 magic, const struct multiboot_info *mbi);
int cmdline_split(const struct multiboot_info *mbi, char **argv, int max);

void serial_init(void);
void putchar(int c);
void puts(const char *s);
__printf(1, 2) void printf(const char *fmt, ...);
__printf(1, 0) void vprintf(const char *fmt, va_list ap);
void __noreturn exit(u32 status);

/*
 * What the loader left in EFLAGS, CR0 and CR4, recorded by the entry code
 * (entry.S, pvh_entry.S) before it changed anything.
 */
extern u32 entry_eflags, entry_cr0, entry_cr4;

static inline void outb(u16 port, u8 value)
{
	asm volatile("outb %0, %1" : : "a" (value), "Nd" (port));
}

static inline void outl(u16 port, u32 value)
{
	asm volatile("outl %0, %1" : : "a" (value), "Nd" (port));
}

static inline u8 inb(u16 port)
{
	u8 value;

	asm volatile("inb %1, %0" : "=a" (value) : "Nd" (port));
	return value;
}

#endif
