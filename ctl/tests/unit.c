// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the CLI's pure parts: the multiboot ELF loader against
 * images built here byte by byte, and size and id parsing. One line per
 * case, "PASS ctl/<case>" or "FAIL ctl/<case>: why"; non-zero exit on any
 * failure.
 *
 * "unit --write-image FILE" writes the valid test image instead, so the CLI
 * tests have a multiboot image without building the guests.
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include "../multiboot.h"
#include "../size.h"

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
		      struct mb_image *out)
{
	char err[256] = "";

	check(name, !mb_parse(img->buf, img->len, mem, out, err, sizeof(err)), err);
}

static void expect_error(const char *name, struct img *img, uint64_t mem,
			 const char *words)
{
	struct mb_image out;
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
	struct mb_image out;
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
	test_sizes();
	return failed;
}
