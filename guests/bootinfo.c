// SPDX-License-Identifier: GPL-2.0
/*
 * What the loader hands over, in TAP: the entry state, the command line,
 * the memory map and the modules with a checksum of their bytes. Built
 * twice: bootinfo.elf, a multiboot guest (main()), and pvh.elf and
 * pvh64.elf, PVH guests entered through lib/pvh_entry.S (pvh_start_c()).
 * Only what QEMU's -kernel and shadowvmm both promise is printed: no
 * addresses (modules go elsewhere under each), no memory map entries
 * (QEMU's PVH map is one RAM range from 0, shadowvmm's the PC's), no
 * module paths (they differ with the directory the runner loads from).
 */
#include "runtime.h"
#include "check.h"
#include "pvh.h"
#include "sections.h"

#define MB		0x100000ull
#define KB		1024
#define PAGE_SIZE	4096
/* The longest string printed; a longer one is not NUL-terminated. */
#define STRING_MAX	4096
/* More memory map entries than any PC has: a garbage count. */
#define MEMMAP_MAX	128
/* Base memory a PC has as RAM at least: 0 to the EBDA's usual start. */
#define BASE_RAM	(639 * KB)

#define EFLAGS_IF	(1u << 9)
#define CR0_PE		(1u << 0)
#define CR0_PG		(1u << 31)

/* 32-bit FNV-1a: any changed, lost or moved byte changes it. */
static u32 fnv1a(const u8 *p, u32 len)
{
	u32 hash = 0x811c9dc5;

	while (len--) {
		hash ^= *p++;
		hash *= 0x01000193;
	}
	return hash;
}

/* An address the guest can read with paging off: below 4 GiB. */
static int addressable(u64 addr, u64 size)
{
	return addr && addr < (1ull << 32) && size <= (1ull << 32) - addr;
}

/*
 * Print the NUL-terminated string at @s, at most STRING_MAX bytes of it,
 * control characters, quotes and backslashes escaped. Return: whether
 * the NUL came in time.
 */
static int print_string(const char *s)
{
	int i;

	for (i = 0; i < STRING_MAX; i++) {
		u8 c = s[i];

		if (!c)
			return 1;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	return 0;
}

/* The end of a check whose line ends in a quoted string. */
static void end_string(int ok, u64 addr)
{
	putchar('"');
	if (addr)
		check_end(ok, "no NUL in %u bytes", STRING_MAX);
	else
		check_end(ok, "none given");
}

/*
 * A PVH string: 'command line "a b"' (@module < 0), or 'module 0:
 * command line "x=1"'.
 */
static void check_string(u64 addr, int module)
{
	int ok = addressable(addr, 1);

	if (module < 0)
		check_start(ok, "command line \"");
	else
		check_start(ok, "module %d: command line \"", module);
	if (ok)
		ok = print_string((const char *)(u32)addr);
	end_string(ok, addr);
}

/* What both protocols promise at the entry; PVH also has CR4 0. */
static void check_entry(int pvh)
{
	check_start(!(entry_eflags & EFLAGS_IF), "EFLAGS.IF clear at entry");
	check_end(!(entry_eflags & EFLAGS_IF), "EFLAGS 0x%x", entry_eflags);
	check_start((entry_cr0 & (CR0_PE | CR0_PG)) == CR0_PE,
		    "CR0.PE set and CR0.PG clear at entry");
	check_end((entry_cr0 & (CR0_PE | CR0_PG)) == CR0_PE, "CR0 0x%x",
		  entry_cr0);
	if (pvh) {
		check_start(!entry_cr4, "CR4 0 at entry");
		check_end(!entry_cr4, "CR4 0x%x", entry_cr4);
	}
}

/* A module, whichever protocol described it. */
struct module {
	u64 addr;
	u64 size;
};

/*
 * The checks every module gets: its bytes, its place. @ram_end: where
 * RAM ends; @in_ram: 0, or a stricter test of the whole range.
 */
static void check_module(u32 i, const struct module *m, u64 ram_end,
			 int (*in_ram)(u64 addr, u64 size))
{
	int ok = m->size && addressable(m->addr, m->size);
	u32 hash = ok ? fnv1a((const u8 *)(u32)m->addr, m->size) : 0;

	check_start(ok, "module %u: %u bytes, FNV-1a 0x%08x", i, (u32)m->size,
		    hash);
	check_end(ok, "at 0x%x, %u bytes", (u32)m->addr, (u32)m->size);
	check_start(!(m->addr & (PAGE_SIZE - 1)), "module %u: page-aligned", i);
	check_end(!(m->addr & (PAGE_SIZE - 1)), "at 0x%x", (u32)m->addr);
	ok = ok && m->addr >= (u32)_end && m->addr + m->size <= ram_end &&
	     (!in_ram || in_ram(m->addr, m->size));
	check_start(ok, "module %u: in RAM, above the image", i);
	check_end(ok, "0x%x-0x%x, the image ends at 0x%x, RAM ends at 0x%x",
		  (u32)m->addr, (u32)(m->addr + m->size), (u32)_end,
		  (u32)ram_end);
}

/* No two modules share a byte. */
static void check_disjoint(const struct module *mods, u32 n)
{
	u32 i, j;
	int ok = 1;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (mods[i].addr < mods[j].addr + mods[j].size &&
			    mods[j].addr < mods[i].addr + mods[i].size)
				ok = 0;
	check(ok, "modules do not overlap");
}

/* ---- multiboot: bootinfo.elf ---------------------------------------- */

/* At most this many modules are looked at: shadowvmm's limit. */
#define MODULES_MAX	8

/*
 * The module's string, "<file name> <string>", with the directory of the
 * file name left out: "/any/dir/x.bin a b" prints as "x.bin a b".
 */
static void check_mb_string(u32 i, u32 addr)
{
	const char *s = (const char *)addr, *base;
	int ok = addr != 0, n;

	check_start(ok, "module %u: string \"", i);
	if (ok) {
		base = s;
		for (n = 0; n < STRING_MAX && s[n] && s[n] != ' '; n++)
			if (s[n] == '/')
				base = s + n + 1;
		ok = print_string(base);
	}
	end_string(ok, addr);
}

int main(int argc, char **argv, const struct multiboot_info *mbi)
{
	const struct multiboot_mod_list *list;
	struct module mods[MODULES_MAX];
	u64 ram_end;
	u32 i, n;
	int ok;

	check_entry(0);
	/* argv[0] is the image's path, which differs: the rest does not. */
	check_start(1, "arguments after the image name \"");
	for (i = 1; i < (u32)argc; i++)
		printf("%s%s", i > 1 ? " " : "", argv[i]);
	puts("\"");
	check_end(1, "-");

	ok = mbi->flags & MULTIBOOT_INFO_MEMORY;
	check(ok, "mem_upper given");
	ram_end = ok ? MB + (u64)mbi->mem_upper * KB : 0;

	n = mbi->flags & MULTIBOOT_INFO_MODS ? mbi->mods_count : 0;
	ok = (mbi->flags & MULTIBOOT_INFO_MODS) && n <= MODULES_MAX &&
	     (!n || mbi->mods_addr);
	check_start(ok, "mods_count %u", n);
	check_end(ok, "flags 0x%x, mods_addr 0x%x", mbi->flags,
		  mbi->mods_addr);
	if (!ok)
		n = 0;
	list = (const struct multiboot_mod_list *)mbi->mods_addr;
	for (i = 0; i < n; i++) {
		ok = list[i].mod_end > list[i].mod_start;
		mods[i].addr = list[i].mod_start;
		mods[i].size = ok ? list[i].mod_end - list[i].mod_start : 0;
		check_module(i, &mods[i], ram_end, 0);
		check_mb_string(i, list[i].cmdline);
	}
	if (n > 1)
		check_disjoint(mods, n);
	return check_done();
}

/* ---- PVH: pvh.elf, pvh64.elf ------------------------------------------ */

static const struct hvm_memmap_table_entry *memmap;
static u32 memmap_entries;

/* The range is RAM (type 1) in the memory map, from end to end. */
static int pvh_in_ram(u64 addr, u64 size)
{
	u64 pos = addr, end = addr + size;
	u32 i;

	/* The map is sorted and disjoint (checked before this is used). */
	for (i = 0; i < memmap_entries && pos < end; i++) {
		const struct hvm_memmap_table_entry *e = &memmap[i];

		if (e->type == XEN_HVM_MEMMAP_TYPE_RAM && e->addr <= pos &&
		    pos < e->addr + e->size)
			pos = e->addr + e->size;
	}
	return pos >= end;
}

/* Some RAM (type 1) in the memory map overlaps the range. */
static int pvh_any_ram(u64 addr, u64 size)
{
	u32 i;

	for (i = 0; i < memmap_entries; i++)
		if (memmap[i].type == XEN_HVM_MEMMAP_TYPE_RAM &&
		    memmap[i].addr < addr + size &&
		    addr < memmap[i].addr + memmap[i].size)
			return 1;
	return 0;
}

/*
 * The memory map: sorted and disjoint, a PC's base memory, and RAM from
 * 1 MiB to its top without a hole. The top itself differs: QEMU's map is
 * SeaBIOS's, which keeps the top 128 KiB of RAM for its tables, where
 * shadowvmm has no firmware and gives all of it; rounded up to a whole
 * MiB, both are the RAM the guest was given. Return: where RAM ends, or
 * 0 if the map is unusable.
 */
static u64 pvh_check_memmap(const struct hvm_start_info *info)
{
	u64 top = 0, above = 0, start, end;
	u32 i, n = info->memmap_entries;
	int ok;

	ok = n && n <= MEMMAP_MAX &&
	     addressable(info->memmap_paddr, n * sizeof(*memmap));
	check_start(ok, "memory map given");
	check_end(ok, "%u entries at 0x%x", n, (u32)info->memmap_paddr);
	if (!ok)
		return 0;
	memmap = (const struct hvm_memmap_table_entry *)(u32)info->memmap_paddr;
	for (i = 0; i < n && ok; i++)
		ok = memmap[i].size && (!i || memmap[i].addr >=
					memmap[i - 1].addr + memmap[i - 1].size);
	check_start(ok, "memory map sorted and disjoint, no empty entry");
	check_end(ok, "entry %u", i - 1);
	if (!ok)
		return 0;
	memmap_entries = n;

	for (i = 0; i < n; i++) {
		if (memmap[i].type != XEN_HVM_MEMMAP_TYPE_RAM)
			continue;
		end = memmap[i].addr + memmap[i].size;
		start = memmap[i].addr > MB ? memmap[i].addr : MB;
		if (end > start)
			above += end - start;
		if (end > top)
			top = end;
	}
	ok = top > MB && above == top - MB;
	check_start(ok, "RAM from 1 MiB to its top without a hole, %u MiB rounded up",
		    (u32)((top + MB - 1) / MB));
	check_end(ok, "%u KiB of RAM above 1 MiB, top at %u KiB",
		  (u32)(above / KB), (u32)(top / KB));
	check(pvh_in_ram(0, BASE_RAM), "RAM from 0 to %u KiB", BASE_RAM / KB);
	check(!pvh_any_ram(BASE_RAM, MB - BASE_RAM), "no RAM from %u KiB to 1 MiB",
	      BASE_RAM / KB);
	check(pvh_in_ram(MB, (u32)_end - MB), "the image is in RAM");
	return ok ? top : 0;
}

void pvh_start_c(const struct hvm_start_info *info)
{
	const struct hvm_modlist_entry *list;
	struct module mods[MODULES_MAX];
	u64 ram_end;
	u32 i, n;
	int ok;

	serial_init();
	check_entry(1);
	ok = info->magic == XEN_HVM_START_MAGIC_VALUE;
	check_start(ok, "start_info magic 0x%08x", XEN_HVM_START_MAGIC_VALUE);
	check_end(ok, "got 0x%08x at 0x%x", info->magic, (u32)info);
	if (!ok)
		bail_out("no start_info in EBX");
	check_start(info->version == 1, "start_info version 1");
	check_end(info->version == 1, "got %u", info->version);
	check_start(!info->flags, "start_info flags 0");
	check_end(!info->flags, "got 0x%x", info->flags);
	check_string(info->cmdline_paddr, -1);

	ram_end = info->version >= 1 ? pvh_check_memmap(info) : 0;

	n = info->nr_modules;
	ok = n <= MODULES_MAX &&
	     (!n || addressable(info->modlist_paddr, n * sizeof(*list)));
	check_start(ok, "nr_modules %u", n);
	check_end(ok, "modlist_paddr 0x%x", (u32)info->modlist_paddr);
	if (!ok)
		n = 0;
	list = (const struct hvm_modlist_entry *)(u32)info->modlist_paddr;
	for (i = 0; i < n; i++) {
		mods[i].addr = list[i].paddr;
		mods[i].size = list[i].size;
		check_module(i, &mods[i], ram_end, ram_end ? pvh_in_ram : 0);
		if (list[i].cmdline_paddr)
			check_string(list[i].cmdline_paddr, i);
		else
			check(1, "module %u: no command line", i);
	}
	if (n > 1)
		check_disjoint(mods, n);
	exit(check_done());
}
