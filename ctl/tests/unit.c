// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the CLI's pure parts: the multiboot and PVH ELF loaders
 * against images built here byte by byte, the command line and module
 * placement, size, id and address parsing, the
 * decoding and layout of translate, and the rates, CSV and JSON of stats.
 * One line per case, "PASS ctl/<case>" or "FAIL ctl/<case>: why"; non-zero
 * exit on any failure.
 *
 * "unit --write-image FILE" writes the valid test image instead, so the CLI
 * tests have a multiboot image without building the guests.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/shadowvmm.h>
#include <netlink/msg.h>
#include "../image.h"
#include "../multiboot.h"
#include "../pvh.h"
#include "../output.h"
#include "../size.h"
#include "../stats.h"
#include "../table.h"
#include "../translate.h"

#define IMG_SIZE	0x4000
#define HDR_OFF		0x1000
#define MEM		(32ULL << 20)

static int failed;

static void check(const char *name, int ok, const char *detail)
{
	if (ok) {
		printf("PASS ctl/%s\n", name);
	} else {
		printf("FAIL ctl/%s: %s\n", name, detail);
		failed = 1;
	}
}

struct img {
	uint8_t buf[IMG_SIZE];
	Elf32_Ehdr *eh;
	Elf32_Phdr *ph;
	size_t len;
};

static void put_header(struct img *img, size_t off, uint32_t flags)
{
	uint32_t header[3] = { MB_MAGIC, flags, -(MB_MAGIC + flags) };

	memcpy(img->buf + off, header, sizeof(header));
}

/*
 * A valid image: @phnum PT_LOAD segments of 0x1000 file bytes (the page at
 * HDR_OFF, which holds the multiboot header) and 0x2000 memory bytes, at
 * 1 MiB, 1 MiB + 64 KiB, ...
 */
static struct img *build(unsigned int phnum)
{
	static struct img img;
	unsigned int i;

	memset(&img, 0, sizeof(img));
	img.len = IMG_SIZE;
	img.eh = (Elf32_Ehdr *)img.buf;
	img.ph = (Elf32_Phdr *)(img.buf + sizeof(Elf32_Ehdr));
	memcpy(img.eh->e_ident, ELFMAG, SELFMAG);
	img.eh->e_ident[EI_CLASS] = ELFCLASS32;
	img.eh->e_ident[EI_DATA] = ELFDATA2LSB;
	img.eh->e_ident[EI_VERSION] = EV_CURRENT;
	img.eh->e_type = ET_EXEC;
	img.eh->e_machine = EM_386;
	img.eh->e_version = EV_CURRENT;
	img.eh->e_entry = 0x100000;
	img.eh->e_phoff = sizeof(Elf32_Ehdr);
	img.eh->e_ehsize = sizeof(Elf32_Ehdr);
	img.eh->e_phentsize = sizeof(Elf32_Phdr);
	img.eh->e_phnum = phnum;
	for (i = 0; i < phnum; i++) {
		img.ph[i].p_type = PT_LOAD;
		img.ph[i].p_offset = HDR_OFF;
		img.ph[i].p_paddr = 0x100000 + i * 0x10000;
		img.ph[i].p_vaddr = img.ph[i].p_paddr;
		img.ph[i].p_filesz = 0x1000;
		img.ph[i].p_memsz = 0x2000;
		img.ph[i].p_flags = PF_R | PF_X;
		img.ph[i].p_align = 0x1000;
	}
	put_header(&img, HDR_OFF, 0x3);
	/* hlt; jmp . at the entry, for anyone who runs it */
	memcpy(img.buf + HDR_OFF + 12, "\xf4\xeb\xfd", 3);
	return &img;
}

static void expect_ok(const char *name, struct img *img, uint64_t mem,
		      struct boot_image *out)
{
	char err[256] = "";

	check(name, !mb_parse(img->buf, img->len, mem, out, err, sizeof(err)), err);
}

static void expect_error(const char *name, struct img *img, uint64_t mem,
			 const char *words)
{
	struct boot_image out;
	char err[256] = "";
	char detail[400];

	if (!mb_parse(img->buf, img->len, mem, &out, err, sizeof(err))) {
		check(name, 0, "accepted a bad image");
		return;
	}
	snprintf(detail, sizeof(detail), "error '%s' does not say '%s'", err, words);
	check(name, strstr(err, words) != NULL, detail);
}

static void test_valid(void)
{
	struct boot_image out;
	struct img *img;

	img = build(2);
	expect_ok("multiboot-valid", img, MEM, &out);
	check("multiboot-valid-segments", out.entry == 0x100000 &&
	      out.nr_segments == 2 && out.segments[1].paddr == 0x110000 &&
	      out.segments[0].filesz == 0x1000 && out.segments[0].memsz == 0x2000 &&
	      out.segments[0].data == img->buf + HDR_OFF &&
	      out.header_offset == HDR_OFF, "wrong segments or entry");

	img = build(3);
	img->ph[1].p_type = PT_NOTE;
	img->ph[2].p_filesz = 0;	/* bss only */
	expect_ok("multiboot-skips-non-load", img, MEM, &out);
	check("multiboot-bss-segment", out.nr_segments == 2 &&
	      out.segments[1].filesz == 0 && out.segments[1].memsz == 0x2000,
	      "PT_NOTE kept or bss segment lost");

	img = build(1);
	img->ph[0].p_paddr = MEM - 0x2000;	/* ends exactly at the top */
	img->eh->e_entry = MEM - 0x2000;
	expect_ok("multiboot-fits-exactly", img, MEM, &out);

	img = build(1);
	img->ph[0].p_vaddr = 0xc0100000;	/* a higher-half kernel */
	img->eh->e_entry = 0xc0100010;
	expect_ok("multiboot-higher-half", img, MEM, &out);
	check("multiboot-higher-half-entry", out.entry == 0x100010,
	      "entry not translated to the segment's physical address");

	img = build(1);
	memset(img->buf + HDR_OFF, 0, 12);
	put_header(img, MB_SEARCH - 12, 0);	/* last 12 bytes of the window */
	expect_ok("multiboot-header-at-limit", img, MEM, &out);
}

static void test_elf_header(void)
{
	struct img *img;

	img = build(1);
	img->len = 20;
	expect_error("multiboot-truncated-header", img, MEM, "truncated ELF header");
	img = build(1);
	img->len = 2;
	expect_error("multiboot-truncated-magic", img, MEM, "truncated ELF header");
	img = build(1);
	img->buf[1] = 'X';
	expect_error("multiboot-bad-magic", img, MEM, "not an ELF file");
	img = build(1);
	img->eh->e_ident[EI_CLASS] = ELFCLASS64;
	expect_error("multiboot-elf64", img, MEM, "ELF64");
	img = build(1);
	img->eh->e_ident[EI_DATA] = ELFDATA2MSB;
	expect_error("multiboot-big-endian", img, MEM, "big-endian");
	img = build(1);
	img->eh->e_machine = EM_X86_64;
	expect_error("multiboot-wrong-machine", img, MEM, "not an ELF32 i386 executable");
	img = build(1);
	img->eh->e_type = ET_DYN;
	expect_error("multiboot-not-exec", img, MEM, "ELF type 3");
	img = build(1);
	img->eh->e_phnum = 0;
	expect_error("multiboot-no-phdrs", img, MEM, "no program headers");
	img = build(1);
	img->eh->e_phentsize = 40;
	expect_error("multiboot-phentsize", img, MEM, "entry size 40");
	img = build(1);
	img->len = 60;
	expect_error("multiboot-phdrs-truncated", img, MEM, "program header table");
	img = build(1);
	img->eh->e_phoff = 0xffffffe0;
	expect_error("multiboot-phdrs-out-of-bounds", img, MEM, "program header table");
	img = build(1);
	img->eh->e_phnum = 0xffff;
	expect_error("multiboot-phnum-out-of-bounds", img, MEM, "program header table");
}

static void test_multiboot_header(void)
{
	struct img *img;

	img = build(1);
	memset(img->buf + HDR_OFF, 0, 12);
	expect_error("multiboot-no-header", img, MEM, "no multiboot header");
	img = build(1);
	img->buf[HDR_OFF + 8]++;
	expect_error("multiboot-bad-checksum", img, MEM, "bad checksum");
	img = build(1);
	memset(img->buf + HDR_OFF, 0, 12);
	put_header(img, MB_SEARCH - 8, 0);	/* straddles the 8192-byte limit */
	expect_error("multiboot-header-straddles-limit", img, MEM, "no multiboot header");
	img = build(1);
	memset(img->buf + HDR_OFF, 0, 12);
	put_header(img, MB_SEARCH + 0x100, 0);
	expect_error("multiboot-header-beyond-8192", img, MEM, "no multiboot header");
	img = build(1);
	memset(img->buf + HDR_OFF, 0, 12);
	put_header(img, HDR_OFF + 2, 0);
	expect_error("multiboot-header-unaligned", img, MEM, "no multiboot header");
	img = build(1);
	put_header(img, HDR_OFF, 1u << 16);
	expect_error("multiboot-aout-kludge", img, MEM, "a.out kludge");
}

static void test_segments(void)
{
	struct img *img;

	img = build(1);
	img->ph[0].p_paddr = MEM - 0x1000;
	expect_error("multiboot-segment-beyond-ram", img, MEM, "larger than guest RAM");
	expect_error("multiboot-segment-beyond-ram-names-address", img, MEM, "0x1fff000");
	expect_error("multiboot-segment-beyond-ram-names-size", img, MEM, "32 MiB");
	img = build(1);
	img->ph[0].p_paddr = 0xfffff000;
	expect_error("multiboot-segment-wraps", img, MEM, "larger than guest RAM");
	img = build(1);
	expect_error("multiboot-ram-too-small", img, 1ULL << 20, "larger than guest RAM");
	img = build(2);
	img->ph[1].p_paddr = 0x101000;
	expect_error("multiboot-overlap", img, MEM, "overlap");
	img = build(2);
	img->ph[1].p_paddr = 0x100000;
	expect_error("multiboot-overlap-same", img, MEM, "overlap");
	img = build(1);
	img->ph[0].p_filesz = 0x2001;
	expect_error("multiboot-filesz-gt-memsz", img, MEM, "exceeds memory size");
	img = build(1);
	img->ph[0].p_memsz = 0;
	expect_error("multiboot-memsz-zero", img, MEM, "exceeds memory size");
	img = build(1);
	img->ph[0].p_filesz = 0x4000;
	img->ph[0].p_memsz = 0x4000;
	expect_error("multiboot-segment-truncated", img, MEM, "truncated");
	img = build(1);
	img->ph[0].p_offset = 0xfffff000;
	expect_error("multiboot-segment-offset-out-of-bounds", img, MEM, "truncated");
	img = build(1);
	img->ph[0].p_type = PT_NOTE;
	expect_error("multiboot-no-load-segments", img, MEM, "no loadable");
	img = build(1);
	img->eh->e_entry = MEM;
	expect_error("multiboot-entry-outside-ram", img, MEM, "entry point");
}

/*
 * A PVH kernel as a vmlinux is laid out: ELF64 x86-64, one PT_LOAD linked
 * at 0xffffffff81000000 and loaded at 16 MiB, and a PT_NOTE holding an
 * unrelated note and then Xen's PHYS32_ENTRY note, whose 8-byte value is
 * the 32-bit entry point.
 */
#define PVH_NOTE_OFF	0x200
#define PVH_LOAD_OFF	0x1000
#define PVH_PADDR	0x1000000ULL
#define PVH_ENTRY	0x1000040ULL

struct pvh_img {
	uint8_t buf[IMG_SIZE];
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;		/* [0] PT_LOAD, [1] PT_NOTE */
	size_t len;
};

static size_t put_note(uint8_t *p, const char *name, uint32_t type,
		       const void *desc, uint32_t descsz)
{
	Elf32_Nhdr nh = { strlen(name) + 1, descsz, type };
	size_t off = sizeof(nh);

	memcpy(p, &nh, sizeof(nh));
	memcpy(p + off, name, nh.n_namesz);
	off += (nh.n_namesz + 3) & ~3u;
	memcpy(p + off, desc, descsz);
	return off + ((descsz + 3) & ~3u);
}

static struct pvh_img *build_pvh(void)
{
	static struct pvh_img img;
	uint64_t entry = PVH_ENTRY;
	size_t notes;

	memset(&img, 0, sizeof(img));
	img.len = IMG_SIZE;
	img.eh = (Elf64_Ehdr *)img.buf;
	img.ph = (Elf64_Phdr *)(img.buf + sizeof(Elf64_Ehdr));
	memcpy(img.eh->e_ident, ELFMAG, SELFMAG);
	img.eh->e_ident[EI_CLASS] = ELFCLASS64;
	img.eh->e_ident[EI_DATA] = ELFDATA2LSB;
	img.eh->e_ident[EI_VERSION] = EV_CURRENT;
	img.eh->e_type = ET_EXEC;
	img.eh->e_machine = EM_X86_64;
	img.eh->e_version = EV_CURRENT;
	img.eh->e_entry = 0xffffffff81000000ULL;	/* startup_64: not used */
	img.eh->e_phoff = sizeof(Elf64_Ehdr);
	img.eh->e_ehsize = sizeof(Elf64_Ehdr);
	img.eh->e_phentsize = sizeof(Elf64_Phdr);
	img.eh->e_phnum = 2;
	img.ph[0].p_type = PT_LOAD;
	img.ph[0].p_offset = PVH_LOAD_OFF;
	img.ph[0].p_vaddr = 0xffffffff81000000ULL;
	img.ph[0].p_paddr = PVH_PADDR;
	img.ph[0].p_filesz = 0x1000;
	img.ph[0].p_memsz = 0x3000;
	img.ph[0].p_flags = PF_R | PF_X;
	notes = put_note(img.buf + PVH_NOTE_OFF, "GNU", 3, "abcdefgh", 8);
	notes += put_note(img.buf + PVH_NOTE_OFF + notes, "Xen",
			  PVH_NOTE_PHYS32_ENTRY, &entry, 8);
	img.ph[1].p_type = PT_NOTE;
	img.ph[1].p_offset = PVH_NOTE_OFF;
	img.ph[1].p_filesz = notes;
	img.ph[1].p_memsz = notes;
	return &img;
}

static void expect_image(const char *name, const uint8_t *buf, size_t len,
			 uint64_t mem, const char *words, struct boot_image *out)
{
	char err[512] = "", detail[700];
	int ret = boot_image_parse(buf, len, mem, out, err, sizeof(err));

	if (!words) {
		check(name, !ret, err);
		return;
	}
	if (!ret) {
		check(name, 0, "accepted a bad image");
		return;
	}
	snprintf(detail, sizeof(detail), "error '%s' does not say '%s'", err, words);
	check(name, strstr(err, words) != NULL, detail);
}

static void test_pvh(void)
{
	struct boot_image out;
	struct pvh_img *p;
	struct img *img;
	uint32_t e32 = 0x100000;

	p = build_pvh();
	expect_image("pvh-valid", p->buf, p->len, MEM, NULL, &out);
	check("pvh-valid-image", out.protocol == SHADOWVMM_BOOT_PVH &&
	      out.entry == PVH_ENTRY && out.nr_segments == 1 &&
	      out.segments[0].paddr == PVH_PADDR &&
	      out.segments[0].memsz == 0x3000 &&
	      out.segments[0].data == p->buf + PVH_LOAD_OFF,
	      "wrong protocol, entry or segment");

	/* An ELF32 kernel without a multiboot header, its note 4 bytes. */
	img = build(1);
	memset(img->buf + HDR_OFF, 0, 12);
	img->eh->e_phnum = 2;
	img->ph[1].p_type = PT_NOTE;
	img->ph[1].p_offset = 0x200;
	img->ph[1].p_filesz = put_note(img->buf + 0x200, "Xen",
				       PVH_NOTE_PHYS32_ENTRY, &e32, 4);
	expect_image("pvh-elf32", img->buf, img->len, MEM, NULL, &out);
	check("pvh-elf32-entry", out.protocol == SHADOWVMM_BOOT_PVH &&
	      out.entry == 0x100000, "wrong protocol or entry");
	/* With a multiboot header as well, multiboot wins, as in QEMU. */
	put_header(img, HDR_OFF, 0x3);
	expect_image("image-prefers-multiboot", img->buf, img->len, MEM, NULL, &out);
	check("image-prefers-multiboot-protocol",
	      out.protocol == SHADOWVMM_BOOT_MULTIBOOT, "took PVH");

	p = build_pvh();
	p->ph[1].p_type = PT_NULL;
	expect_image("pvh-no-note", p->buf, p->len, MEM,
		     "neither a multiboot header", &out);
	expect_image("pvh-no-note-names-note", p->buf, p->len, MEM,
		     "XEN_ELFNOTE_PHYS32_ENTRY", &out);
	p = build_pvh();
	/* The GNU note takes 24 bytes; the Xen note's name is 12 further. */
	p->buf[PVH_NOTE_OFF + 24 + 12] = 'Y';	/* "Xen" -> "Yen" */
	expect_image("pvh-other-owner", p->buf, p->len, MEM,
		     "neither a multiboot header", &out);
	p = build_pvh();
	p->ph[1].p_offset = IMG_SIZE - 8;
	expect_image("pvh-note-truncated", p->buf, p->len, MEM, "truncated", &out);
	p = build_pvh();
	p->buf[PVH_NOTE_OFF + 24 + 4] = 6;	/* the Xen note's descsz */
	expect_image("pvh-note-bad-descsz", p->buf, p->len, MEM, "want 4 or 8", &out);
	p = build_pvh();
	p->ph[1].p_filesz = 30;		/* cuts the Xen note short */
	expect_image("pvh-note-cut-short", p->buf, p->len, MEM,
		     "neither a multiboot header", &out);
	p = build_pvh();
	p->buf[PVH_NOTE_OFF + 24 + 16 + 3] = 0x02;	/* entry 0x2000040 */
	expect_image("pvh-entry-outside-ram", p->buf, p->len, MEM, "entry point", &out);
	expect_image("pvh-ram-too-small", build_pvh()->buf, IMG_SIZE, 16ULL << 20,
		     "larger than guest RAM", &out);
	p = build_pvh();
	p->eh->e_machine = EM_AARCH64;
	expect_image("pvh-wrong-machine", p->buf, p->len, MEM, "not an x86 kernel", &out);
	p = build_pvh();
	p->eh->e_phentsize = sizeof(Elf32_Phdr);
	expect_image("pvh-phentsize", p->buf, p->len, MEM, "entry size 32", &out);
	expect_image("image-not-elf", (const uint8_t *)"hello, world", 12, MEM,
		     "not an ELF file", &out);
}

static void test_boot_args(void)
{
	struct boot_image mb = { .protocol = SHADOWVMM_BOOT_MULTIBOOT,
				 .nr_segments = 1,
				 .segments = { { 0x100000, 0x1000, 0x2800 } } };
	struct boot_image pvh = { .protocol = SHADOWVMM_BOOT_PVH,
				  .nr_segments = 1,
				  .segments = { { 0x1000000, 0x1000, 0x3000 } } };
	struct boot_opts opts = { .args = "a=1", .initrd = "initrd.gz",
				  .nr_modules = 2,
				  .modules = { "mod.bin,x y", "other" } };
	struct guest_modules mods = {};
	char err[256] = "";
	char *c;
	unsigned int i;

	c = boot_cmdline(&mb, "guests/hello.elf", "a=1");
	check("cmdline-multiboot", c && !strcmp(c, "guests/hello.elf a=1"), c ? c : "NULL");
	free(c);
	c = boot_cmdline(&pvh, "vmlinux", "console=ttyS0");
	check("cmdline-pvh", c && !strcmp(c, "console=ttyS0"), c ? c : "NULL");
	free(c);
	c = boot_cmdline(&pvh, "vmlinux", NULL);
	check("cmdline-pvh-empty", c && !strcmp(c, ""), c ? c : "NULL");
	free(c);

	check("modules-name-pvh", !modules_name(&pvh, &opts, &mods, err, sizeof(err)) &&
	      mods.nr == 3 && !strcmp(mods.mod[0].path, "initrd.gz") &&
	      !mods.mod[0].string && !strcmp(mods.mod[1].path, "mod.bin") &&
	      !strcmp(mods.mod[1].string, "x y") && !mods.mod[2].string,
	      "initrd not first, or wrong paths or strings");
	mods.mod[0].len = 5000;		/* two pages */
	mods.mod[1].len = 4096;
	mods.mod[2].len = 1;
	check("modules-place-pvh", !modules_place(&pvh, MEM, &mods, err, sizeof(err)) &&
	      mods.mod[0].addr == MEM - 0x2000 && mods.mod[1].addr == MEM - 0x3000 &&
	      mods.mod[2].addr == MEM - 0x4000, "not top-down from the end of RAM");
	mods.mod[0].len = MEM - 0x1003000 + 1;
	check("modules-place-pvh-full", modules_place(&pvh, MEM, &mods, err, sizeof(err)) &&
	      strstr(err, "initrd.gz") && strstr(err, "--mem"), err);
	for (i = 0; i < mods.nr; i++) {
		free(mods.mod[i].path);
		free(mods.mod[i].string);
	}

	check("modules-name-multiboot", !modules_name(&mb, &opts, &mods, err, sizeof(err)) &&
	      !strcmp(mods.mod[0].string, "initrd.gz") &&
	      !strcmp(mods.mod[1].string, "mod.bin x y") &&
	      !strcmp(mods.mod[2].string, "other"),
	      "strings are not QEMU's \"FILE STRING\"");
	mods.mod[0].len = 5000;
	mods.mod[1].len = 4096;
	mods.mod[2].len = 1;
	check("modules-place-multiboot", !modules_place(&mb, MEM, &mods, err, sizeof(err)) &&
	      mods.mod[0].addr == 0x103000 && mods.mod[1].addr == 0x105000 &&
	      mods.mod[2].addr == 0x106000, "not packed after the image");
	for (i = 0; i < mods.nr; i++) {
		free(mods.mod[i].path);
		free(mods.mod[i].string);
	}

	opts.nr_modules = 1;
	opts.modules[0] = "m,0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345";
	check("modules-string-too-long", modules_name(&pvh, &opts, &mods, err, sizeof(err)) &&
	      strstr(err, "at most 255"), err);
	for (i = 0; i < mods.nr; i++) {
		free(mods.mod[i].path);
		free(mods.mod[i].string);
	}
}

static void test_sizes(void)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} good[] = {
		{ "4096", 4096 }, { "0", 0 }, { "32M", 32ULL << 20 },
		{ "2m", 2ULL << 20 }, { "1G", 1ULL << 30 }, { "1g", 1ULL << 30 },
		{ "64K", 64 << 10 }, { "64k", 64 << 10 }, { "64KiB", 64 << 10 },
		{ "16MB", 16ULL << 20 }, { "1T", 1ULL << 40 },
	};
	static const char *const bad[] = {
		"12Q", "", "M", "-1M", " 1M", "+1M", "1.5M", "1M ", "1MBx",
		"1KK", "0x100", "99999999999999999999", "99999999999G",
	};
	char detail[128];
	uint64_t size;
	unsigned int i;
	uint32_t id;
	char buf[32];

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(detail, sizeof(detail), "'%s' not parsed as %llu", good[i].text,
			 (unsigned long long)good[i].bytes);
		size = ~0ULL;
		if (parse_size(good[i].text, &size) || size != good[i].bytes) {
			check("size-parse", 0, detail);
			return;
		}
	}
	check("size-parse", 1, "");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(detail, sizeof(detail), "'%s' accepted", bad[i]);
		if (!parse_size(bad[i], &size)) {
			check("size-rejects", 0, detail);
			return;
		}
	}
	check("size-rejects", 1, "");

	format_size(32ULL << 20, buf, sizeof(buf));
	check("size-format-mib", !strcmp(buf, "32M"), buf);
	format_size(12345, buf, sizeof(buf));
	check("size-format-bytes", !strcmp(buf, "12345"), buf);

	check("vm-id-valid", !parse_vm_id("7", &id) && id == 7 &&
	      !parse_vm_id("4294967295", &id) && id == 4294967295u, "7 or 2^32-1");
	check("vm-id-rejects", parse_vm_id("0", &id) && parse_vm_id("x", &id) &&
	      parse_vm_id("", &id) && parse_vm_id("-1", &id) && parse_vm_id("1x", &id) &&
	      parse_vm_id("4294967296", &id), "a bad id was accepted");
}

/* check() that @got is @want, showing both when not. */
static void check_str(const char *name, const char *got, const char *want)
{
	char detail[2048];

	snprintf(detail, sizeof(detail), "got '%s', want '%s'", got, want);
	check(name, !strcmp(got, want), detail);
}

/* What a printer wrote, as one malloc()ed string. */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *capture_start(struct capture *c)
{
	c->buf = NULL;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

static char *capture_end(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static void test_parsers(void)
{
	uint64_t addr;
	double secs;
	uint32_t n;

	check("address-parse", !parse_address("0x40000000", &addr) && addr == 0x40000000 &&
	      !parse_address("0XFFFF800000000000", &addr) && addr == 0xffff800000000000ULL &&
	      !parse_address("4096", &addr) && addr == 4096 &&
	      !parse_address("0", &addr) && addr == 0, "hex or decimal");
	check("address-rejects", parse_address("", &addr) && parse_address("0x", &addr) &&
	      parse_address("-1", &addr) && parse_address("ff", &addr) &&
	      parse_address("0x1g", &addr) && parse_address(" 1", &addr) &&
	      parse_address("0x10000000000000000", &addr), "a bad address was accepted");
	check("seconds-parse", !parse_seconds("2", &secs) && secs == 2 &&
	      !parse_seconds("0.5", &secs) && secs == 0.5 &&
	      !parse_seconds(".1", &secs) && secs == 0.1, "2, 0.5, .1");
	check("seconds-rejects", parse_seconds("0", &secs) && parse_seconds("0.01", &secs) &&
	      parse_seconds("-1", &secs) && parse_seconds("inf", &secs) &&
	      parse_seconds("nan", &secs) && parse_seconds("0x10", &secs) &&
	      parse_seconds("1s", &secs) && parse_seconds("", &secs) &&
	      parse_seconds("100000", &secs), "a bad interval was accepted");
	check("count-parse", !parse_count("2", &n) && n == 2 && parse_count("0", &n) &&
	      parse_count("x", &n), "2 accepted, 0 and x refused");
}

static void test_flags(void)
{
	char buf[64];

	entry_flags(ENTRY_32, 2, 0x01ff3027, buf, sizeof(buf));
	check_str("flags-32-pde", buf, "P RW US -   -   A   -      ");
	entry_flags(ENTRY_32, 1, 0x01ff5063, buf, sizeof(buf));
	check_str("flags-32-pte", buf, "P RW -  -   -   A D    -   ");
	entry_flags(ENTRY_64, 1, 0x8000000123458065ULL, buf, sizeof(buf));
	check_str("flags-64-pte-read-only-nx", buf, "P -  US -   -   A D    - NX");
	entry_flags(ENTRY_PDPTE, 3, 0x123456001ULL, buf, sizeof(buf));
	check_str("flags-pae-pdpte", buf, "P       -   -              ");
	entry_flags(ENTRY_64, 2, 0x80000000002000e7ULL, buf, sizeof(buf));
	check_str("flags-64-2m-page", buf, "P RW US -   -   A D PS - NX");
	entry_flags(ENTRY_64, 4, 0x3003, buf, sizeof(buf));
	check_str("flags-64-pml4e", buf, "P RW -  -   -   -        - ");
	entry_flags(ENTRY_64, 1, 0x123458066ULL, buf, sizeof(buf));
	check_str("flags-not-present", buf, "not present");
	check("flags-formats", guest_entry_format(SHADOWVMM_PAGING_32, 2) == ENTRY_32 &&
	      guest_entry_format(SHADOWVMM_PAGING_PAE, 3) == ENTRY_PDPTE &&
	      guest_entry_format(SHADOWVMM_PAGING_PAE, 2) == ENTRY_64 &&
	      guest_entry_format(SHADOWVMM_PAGING_4LEVEL, 3) == ENTRY_64 &&
	      shadow_entry_format(3, 3) == ENTRY_PDPTE && shadow_entry_format(4, 3) == ENTRY_64,
	      "wrong layout for a mode and level");
	check_str("level-names", level_name(4), "PML4E");
	check_str("level-name-pte", level_name(1), "PTE");
}

static void test_frames(void)
{
	char buf[64];

	/* PSE-36: bits 20:13 of a 4 MiB PDE are address bits 39:32. */
	check("frame-32-4m-pse36", entry_frame(ENTRY_32, 2, 0x00c00083 | 5 << 13) ==
	      0x500c00000ULL, "PSE-36 bits ignored");
	check("frame-32-table", entry_frame(ENTRY_32, 2, 0x01ff3f7f) == 0x01ff3000,
	      "flag bits kept");
	check("frame-64-2m", entry_frame(ENTRY_64, 2, 0x80000000003000e7ULL) == 0x200000,
	      "2 MiB page: bits 20:12 kept");
	check("frame-64-1g", entry_frame(ENTRY_64, 3, 0x7fffe0e7ULL) == 0x40000000,
	      "1 GiB page: bits 29:12 kept");
	check("frame-64-nx-table", entry_frame(ENTRY_64, 2, 0x8000000123457027ULL) ==
	      0x123457000ULL, "NX or flags kept");
	check("leaf-pte-bit7-is-pat", entry_is_leaf(ENTRY_64, 1, 0x80) &&
	      !entry_is_leaf(ENTRY_PDPTE, 3, 0x80) && !entry_is_leaf(ENTRY_64, 4, 0x80) &&
	      entry_is_leaf(ENTRY_64, 3, 0x80), "PS read where it means nothing");
	entry_maps(ENTRY_32, 2, 0x00400083, buf, sizeof(buf));
	check_str("maps-4m-page", buf, "4M page 0x400000");
	entry_maps(ENTRY_64, 1, 0x5063, buf, sizeof(buf));
	check_str("maps-4k-page", buf, "4K page 0x5000");
	entry_maps(ENTRY_64, 3, 0x6007, buf, sizeof(buf));
	check_str("maps-table", buf, "table 0x6000");
	entry_maps(ENTRY_64, 3, 0x6006, buf, sizeof(buf));
	check_str("maps-not-present", buf, "");
}

static void test_pf_error(void)
{
	char buf[128];

	describe_pf_error(0, buf, sizeof(buf));
	check_str("pf-not-present", buf, "0x0: page not present on a supervisor read");
	describe_pf_error(3, buf, sizeof(buf));
	check_str("pf-write-protect", buf, "0x3 (P W): protection violation on a supervisor write");
	describe_pf_error(7, buf, sizeof(buf));
	check_str("pf-user-write", buf, "0x7 (P W U): protection violation on a user write");
	describe_pf_error(9, buf, sizeof(buf));
	check_str("pf-reserved", buf, "0x9 (P RSVD): reserved bit set in an entry on a supervisor read");
	describe_pf_error(0x15, buf, sizeof(buf));
	check_str("pf-user-fetch", buf, "0x15 (P U I/D): protection violation on a user fetch");
	describe_access(SHADOWVMM_ACCESS_USER | SHADOWVMM_ACCESS_WRITE, buf, sizeof(buf));
	check_str("access-words", buf, "user write");
}

/* A 32-bit guest's mapped page, shadowed read-only by a PAE shadow. */
static const struct translation mapped = {
	.vm_id = 3, .gva = 0x40000123, .access = SHADOWVMM_ACCESS_WRITE,
	.mode = SHADOWVMM_PAGING_32,
	.guest = { { 2, 0x01ff3027, true, 0x01ff2400 },
		   { 1, 0x01ff5063, true, 0x01ff3000 } },
	.nr_guest = 2,
	.shadow = { { 3, 0x123456001ULL, false, 0 }, { 2, 0x123457027ULL, false, 0 },
		    { 1, 0x8000000123458065ULL, false, 0 } },
	.nr_shadow = 3, .has_gpa = true, .gpa = 0x1ff5123,
	.has_hpa = true, .hpa = 0x123458123,
};

/* Where the column headed @word starts on the line holding it. */
static long column_of(const char *text, const char *line_start, const char *word)
{
	const char *line = strstr(text, line_start), *hit, *end;

	if (!line)
		return -1;
	end = strchr(line, '\n');
	hit = strstr(line, word);
	return hit && (!end || hit < end) ? hit - line : -1;
}

static void test_translation_output(void)
{
	struct translation t = mapped;
	struct capture c;
	char *out;

	print_translation(capture_start(&c), &t);
	out = capture_end(&c);
	check("translate-human-heading",
	      strstr(out, "VM 3: GVA 0x40000123, supervisor write, 32-bit paging\n") != NULL, out);
	check("translate-human-gpa", strstr(out, "  => GPA 0x1ff5123\n") != NULL, out);
	check("translate-human-hpa", strstr(out, "  => HPA 0x123458123\n") != NULL, out);
	check("translate-human-write-protected",
	      strstr(out, "read-only in the shadow: the page holds a guest page table") != NULL, out);
	check("translate-human-chain",
	      strstr(out, "GVA 0x40000123 -> GPA 0x1ff5123 -> HPA 0x123458123\n") != NULL, out);
	/* Every row's flags and frame sit under their headings. */
	check("translate-human-aligned",
	      column_of(out, "  LEVEL  ENTRY       AT GPA", "MAPS") ==
	      column_of(out, "  PTE    0x01ff5063", "4K page") &&
	      column_of(out, "  LEVEL  ENTRY       AT GPA", "P RW") ==
	      column_of(out, "  PDE    0x01ff3027", "P RW") &&
	      column_of(out, "  LEVEL  ENTRY               P", "MAPS") ==
	      column_of(out, "  PDPTE  0x0000000123456001", "table") &&
	      column_of(out, "  LEVEL  ENTRY               P", "MAPS") > 0, out);
	check("translate-human-no-trailing-blanks", !strstr(out, " \n"), out);
	free(out);

	print_translation_json(capture_start(&c), &t);
	out = capture_end(&c);
	check_str("translate-json-mapped", out,
		  "{\"vm_id\":3,\"gva\":1073742115,\"access\":2,\"paging_mode\":\"32\","
		  "\"guest_walk\":[{\"walk_level\":2,\"walk_value\":33501223,\"walk_addr\":33498112},"
		  "{\"walk_level\":1,\"walk_value\":33509475,\"walk_addr\":33501184}],"
		  "\"gpa\":33509667,\"shadow_walk\":[{\"walk_level\":3,\"walk_value\":4886716417},"
		  "{\"walk_level\":2,\"walk_value\":4886720551},"
		  "{\"walk_level\":1,\"walk_value\":9223372041741500517}],\"hpa\":4886724899}\n");
	free(out);

	/* PAE, a missing PTE: the guest faults, the shadow stops at its PDE. */
	memset(&t, 0, sizeof(t));
	t.vm_id = 1;
	t.gva = 0x1000;
	t.mode = SHADOWVMM_PAGING_PAE;
	t.guest[0] = (struct walk_entry){ 3, 0x5001, false, 0 };
	t.guest[1] = (struct walk_entry){ 2, 0x6007, true, 0x5000 };
	t.guest[2] = (struct walk_entry){ 1, 0, true, 0x6008 };
	t.nr_guest = 3;
	t.has_pf = true;
	t.shadow[0] = (struct walk_entry){ 3, 0x7001, false, 0 };
	t.shadow[1] = (struct walk_entry){ 2, 0, false, 0 };
	t.nr_shadow = 2;
	print_translation(capture_start(&c), &t);
	out = capture_end(&c);
	check("translate-human-pf",
	      strstr(out, "  => guest #PF, error code 0x0: page not present on a supervisor read\n") != NULL, out);
	check("translate-human-pdpte-in-cpu",
	      strstr(out, "  PDPTE  0x0000000000005001  (in the CPU)  P       -   -") != NULL, out);
	check("translate-human-not-present",
	      strstr(out, "  PTE    0x0000000000000000  0x6008        not present\n") != NULL, out);
	check("translate-human-shadow-unmapped",
	      strstr(out, "  => not mapped in the shadow at level 2 (PDE): the next access exits to the VMM") != NULL, out);
	free(out);
	print_translation_json(capture_start(&c), &t);
	out = capture_end(&c);
	check_str("translate-json-fault", out,
		  "{\"vm_id\":1,\"gva\":4096,\"access\":0,\"paging_mode\":\"pae\","
		  "\"guest_walk\":[{\"walk_level\":3,\"walk_value\":20481},"
		  "{\"walk_level\":2,\"walk_value\":24583,\"walk_addr\":20480},"
		  "{\"walk_level\":1,\"walk_value\":0,\"walk_addr\":24584}],"
		  "\"pf_error_code\":0,\"shadow_walk\":[{\"walk_level\":3,\"walk_value\":28673},"
		  "{\"walk_level\":2,\"walk_value\":0}]}\n");
	free(out);

	/* Clean in the guest: the shadow waits for the first write. */
	t = mapped;
	t.guest[1].value &= ~0x40ULL;
	print_translation(capture_start(&c), &t);
	out = capture_end(&c);
	check("translate-human-clean-page",
	      strstr(out, "read-only in the shadow while the guest's D bit is clear: a write exits to the VMM first\n") != NULL, out);
	free(out);

	/* The guest maps it, the shadow does not yet. */
	t = mapped;
	t.access = 0;
	t.shadow[2].value = 0;
	t.has_hpa = false;
	print_translation(capture_start(&c), &t);
	out = capture_end(&c);
	check("translate-human-fill-on-access",
	      strstr(out, "  => not mapped in the shadow at level 1 (PTE) (filled on the next access)\n") != NULL &&
	      strstr(out, "GVA 0x40000123 -> GPA 0x1ff5123 -> not in the shadow yet\n") != NULL, out);
	free(out);
}

/* exits from 1000 to 3000 in 2 s, per reason, and one instant counter. */
static void sample(struct stat_list *before, struct vm_stats *v)
{
	memset(before, 0, sizeof(*before));
	memset(v, 0, sizeof(*v));
	v->id = 2;
	v->state = SHADOWVMM_VM_RUNNING;
	v->timestamp = 1700000000.5;
	stat_list_add(before, "exits", 1000, SHADOWVMM_STAT_CUMULATIVE);
	stat_list_add(before, "exits_cpuid", 400, SHADOWVMM_STAT_CUMULATIVE);
	stat_list_add(before, "exit_cycles_cpuid", 40000, SHADOWVMM_STAT_CUMULATIVE);
	stat_list_add(&v->now, "exits", 3000, SHADOWVMM_STAT_CUMULATIVE);
	stat_list_add(&v->now, "pf_fixed", 12, SHADOWVMM_STAT_CUMULATIVE);
	stat_list_add(&v->now, "mmu_shadow_pages", 42, SHADOWVMM_STAT_INSTANT);
	v->now.stats[v->now.nr - 1].unit = SHADOWVMM_STAT_UNIT_PAGES;
	stat_list_add(&v->now, "exits_cpuid", 900, SHADOWVMM_STAT_CUMULATIVE);
	stat_list_add(&v->now, "exit_cycles_cpuid", 90000, SHADOWVMM_STAT_CUMULATIVE);
	stat_list_add(&v->now, "exits_io_instruction", 2100, SHADOWVMM_STAT_CUMULATIVE);
	stat_list_add(&v->now, "exit_cycles_io_instruction", 2100 * 3456,
		      SHADOWVMM_STAT_CUMULATIVE);
	v->before = before;
	v->seconds = 2.0;
}

static void test_rates(void)
{
	struct stat_list before;
	struct stat_entry back = { "exits", 10, SHADOWVMM_STAT_CUMULATIVE,
				   SHADOWVMM_STAT_UNIT_NONE };
	struct vm_stats v;
	double r = -1;

	sample(&before, &v);
	check("rate-cumulative", stat_rate(&v, stat_list_find(&v.now, "exits"), &r) &&
	      r == 1000.0, "(3000 - 1000) / 2 s");
	check("rate-new-counter-from-zero",
	      stat_rate(&v, stat_list_find(&v.now, "exits_io_instruction"), &r) && r == 1050.0,
	      "a counter the first sample lacked counts from 0");
	check("rate-not-for-instant",
	      !stat_rate(&v, stat_list_find(&v.now, "mmu_shadow_pages"), &r),
	      "an instant counter got a rate");
	check("rate-never-negative", stat_rate(&v, &back, &r) && r == 0, "a counter went back");
	v.before = NULL;
	check("rate-unknown-without-sample",
	      !stat_rate(&v, stat_list_find(&v.now, "exits"), &r),
	      "a running VM's rate without an earlier sample");
	v.state = SHADOWVMM_VM_STOPPED;
	check("rate-zero-when-stopped",
	      stat_rate(&v, stat_list_find(&v.now, "exits"), &r) && r == 0,
	      "a stopped VM's counters stand still");
	stat_list_free(&before);
	stat_list_free(&v.now);
}

static void test_stats_output(void)
{
	struct stat_list before;
	struct vm_stats v;
	struct capture c;
	regex_t re;
	char *out;

	sample(&before, &v);
	stats_print_table(capture_start(&c), &v, NULL);
	out = capture_end(&c);
	check_str("stats-table", out,
		  "Event             Total  Rate/s\n"
		  "exits              3000  1000.0\n"
		  "pf_fixed             12     6.0\n"
		  "mmu_shadow_pages     42          (instant)\n"
		  "\n"
		  "Exits by reason       Count  %Exits  Rate/s  Avg cycles\n"
		  "exits_io_instruction   2100  70.00%  1050.0        3456\n"
		  "exits_cpuid             900  30.00%   250.0         100\n");
	free(out);

	regcomp(&re, "^exits_c|fixed", REG_EXTENDED | REG_NOSUB);
	check("stats-filter", stat_selected(&re, "exits_cpuid") &&
	      stat_selected(&re, "pf_fixed") && !stat_selected(&re, "exits") &&
	      !stat_selected(&re, "exit_cycles_cpuid") && stat_selected(NULL, "x"),
	      "wrong counters selected");
	stats_print_table(capture_start(&c), &v, &re);
	out = capture_end(&c);
	check_str("stats-table-filtered", out,
		  "Event     Total  Rate/s\n"
		  "pf_fixed     12     6.0\n"
		  "\n"
		  "Exits by reason  Count  %Exits  Rate/s  Avg cycles\n"
		  "exits_cpuid        900  30.00%   250.0         100\n");
	free(out);
	regfree(&re);

	/* Cycles without their exits selected are plain counters. */
	regcomp(&re, "cycles", REG_EXTENDED | REG_NOSUB);
	stats_print_table(capture_start(&c), &v, &re);
	out = capture_end(&c);
	check_str("stats-table-cycles-only", out,
		  "Event                         Total     Rate/s\n"
		  "exit_cycles_cpuid             90000    25000.0\n"
		  "exit_cycles_io_instruction  7257600  3628800.0\n");
	free(out);
	regfree(&re);

	capture_start(&c);
	stats_print_csv_header(c.f);
	v.now.nr = 4;
	stats_print_csv(c.f, &v, NULL);
	out = capture_end(&c);
	check_str("stats-csv", out,
		  "timestamp,vm_id,stat_name,stat_kind,stat_value,rate\n"
		  "1700000000.500,2,exits,cumulative,3000,1000.000\n"
		  "1700000000.500,2,pf_fixed,cumulative,12,6.000\n"
		  "1700000000.500,2,mmu_shadow_pages,instant,42,\n"
		  "1700000000.500,2,exits_cpuid,cumulative,900,250.000\n");
	free(out);

	stats_print_json(capture_start(&c), &v, NULL);
	out = capture_end(&c);
	check_str("stats-json", out,
		  "{\"vm_id\":2,\"vm_state\":\"running\",\"timestamp\":1700000000.500,"
		  "\"interval\":2.000,\"stats\":["
		  "{\"stat_name\":\"exits\",\"stat_value\":3000,\"stat_kind\":\"cumulative\",\"stat_unit\":\"none\",\"rate\":1000.000},"
		  "{\"stat_name\":\"pf_fixed\",\"stat_value\":12,\"stat_kind\":\"cumulative\",\"stat_unit\":\"none\",\"rate\":6.000},"
		  "{\"stat_name\":\"mmu_shadow_pages\",\"stat_value\":42,\"stat_kind\":\"instant\",\"stat_unit\":\"pages\"},"
		  "{\"stat_name\":\"exits_cpuid\",\"stat_value\":900,\"stat_kind\":\"cumulative\",\"stat_unit\":\"none\",\"rate\":250.000}]}");
	free(out);
	v.before = NULL;
	stats_print_json(capture_start(&c), &v, NULL);
	out = capture_end(&c);
	check("stats-json-no-rate-without-sample", !strstr(out, "rate") && !strstr(out, "interval"), out);
	free(out);
	stat_list_free(&before);
	stat_list_free(&v.now);
}

static void test_table_and_vm_json(void)
{
	struct vm_info vm = { .id = 4, .state = SHADOWVMM_VM_CREATED, .mem_size = 32 << 20,
			      .has_mmu_pages_max = true, .mmu_pages_max = 64 };
	struct capture c;
	struct table t;
	char *out;

	table_init(&t, 3, "lrl");
	table_cell(&t, "NAME");
	table_cell(&t, "N");
	table_cell(&t, "");
	table_cell(&t, "a");
	table_cellf(&t, "%d", 12345);
	table_cell(&t, "note");
	table_print(&t, capture_start(&c), "> ");
	out = capture_end(&c);
	check_str("table-aligned", out, "> NAME      N\n> a     12345  note\n");
	free(out);
	table_free(&t);

	print_vm_json(capture_start(&c), &vm);
	out = capture_end(&c);
	check_str("vm-json-mmu-pages", out,
		  "{\"vm_id\":4,\"vm_state\":\"created\",\"mem_size\":33554432,"
		  "\"mmu_pages_max\":64,\"stop_reason\":\"none\"}");
	free(out);
}

/* A VM as a VM_NOTIFY of a stopped VM describes it, parsed as the CLI does. */
static int parse_stopped(uint32_t id, uint64_t serial, uint32_t status,
			 struct vm_info *vm)
{
	struct nlattr *tb[SHADOWVMM_A_MAX + 1];
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *nlh;
	int err = -1;

	if (!msg)
		return -1;
	if (nla_put_u32(msg, SHADOWVMM_A_VM_ID, id) < 0 ||
	    (serial && nla_put_u64(msg, SHADOWVMM_A_VM_SERIAL, serial) < 0) ||
	    nla_put_u32(msg, SHADOWVMM_A_VM_STATE, SHADOWVMM_VM_STOPPED) < 0 ||
	    nla_put_u32(msg, SHADOWVMM_A_STOP_REASON, SHADOWVMM_STOP_DEBUG_EXIT) < 0 ||
	    nla_put_u32(msg, SHADOWVMM_A_EXIT_STATUS, status) < 0 ||
	    nla_put_u32(msg, SHADOWVMM_A_EVENT, SHADOWVMM_EVENT_HALTED) < 0)
		goto out;
	nlh = nlmsg_hdr(msg);
	if (nla_parse(tb, SHADOWVMM_A_MAX, nlmsg_attrdata(nlh, 0),
		      nlmsg_attrlen(nlh, 0), NULL) < 0)
		goto out;
	err = vm_info_parse(tb, vm);
out:
	nlmsg_free(msg);
	return err;
}

/*
 * "shadowvmm run" made VM 1, serial 8; the end of an earlier VM 1 (serial
 * 5) is still queued on its events socket and must not be taken for it.
 */
static void test_event_matching(void)
{
	struct vm_info vm;
	struct capture c;
	char *out;

	check("event-parse-serial",
	      !parse_stopped(1, 5, 2, &vm) && vm.id == 1 && vm.serial == 5 &&
	      vm.has_exit_status && vm.exit_status == 2,
	      "VM_SERIAL not parsed from a VM_NOTIFY");
	check("event-earlier-vm-same-id", !vm_info_is(&vm, 1, 8),
	      "the stop of an earlier VM 1 (serial 5) taken for VM 1 serial 8");
	check("event-own-vm",
	      !parse_stopped(1, 8, 0, &vm) && vm_info_is(&vm, 1, 8),
	      "the stop of VM 1 serial 8 not taken for its own");
	check("event-other-id",
	      !parse_stopped(2, 8, 0, &vm) && !vm_info_is(&vm, 1, 8),
	      "VM 2's stop taken for VM 1's");
	/* A module without VM_SERIAL: the id is all there is to go by. */
	check("event-no-serial",
	      !parse_stopped(1, 0, 0, &vm) && vm.serial == 0 &&
	      vm_info_is(&vm, 1, 0) && !vm_info_is(&vm, 2, 0),
	      "without serials, events not matched by id");

	parse_stopped(3, 12, 7, &vm);
	print_vm_json(capture_start(&c), &vm);
	out = capture_end(&c);
	check_str("vm-json-serial", out,
		  "{\"vm_id\":3,\"vm_serial\":12,\"vm_state\":\"stopped\","
		  "\"mem_size\":0,\"stop_reason\":\"debug_exit\",\"exit_status\":7}");
	free(out);
}

/*
 * Exit reasons are the kernel's names in lower case, as the module's
 * exits_<reason> counters spell them: "show" and "stats" agree.
 */
static void test_exit_names(void)
{
	struct vm_info vm = { .stop_reason = SHADOWVMM_STOP_UNHANDLED_EXIT,
			      .exit_reason = 28, .qualification = 3,
			      .rip = 0x100010 };
	char buf[VMX_EXIT_NAME_MAX], why[256];

	check_str("exit-name-cr-access", vmx_exit_name(28, buf), "cr_access");
	check_str("exit-name-longest", vmx_exit_name(43, buf),
		  "tpr_below_threshold");
	check_str("exit-name-flags-ignored",
		  vmx_exit_name(0x80000000 | 33, buf), "invalid_state");
	/* GETSEC: the kernel's list has no name for it. */
	check_str("exit-name-unknown", vmx_exit_name(11, buf), "unknown");
	check_str("exit-name-beyond", vmx_exit_name(0xffff, buf), "unknown");
	describe_stop(&vm, why, sizeof(why));
	check_str("exit-name-in-stop", why,
		  "unhandled exit reason 28 (cr_access) qualification 0x3 at rip 0x100010");
}

static int write_image(const char *path)
{
	struct img *img = build(1);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(img->buf, 1, img->len, f) != img->len || fclose(f)) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--write-image"))
		return write_image(argv[2]);
	test_valid();
	test_elf_header();
	test_multiboot_header();
	test_segments();
	test_pvh();
	test_boot_args();
	test_sizes();
	test_parsers();
	test_flags();
	test_frames();
	test_pf_error();
	test_translation_output();
	test_rates();
	test_stats_output();
	test_table_and_vm_json();
	test_event_matching();
	test_exit_names();
	return failed;
}
