// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the CLI's pure parts: the multiboot ELF loader against
 * images built here byte by byte, and size parsing.
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include "../multiboot.h"
#include "../size.h"

#define MB_MAGIC	0x1badb002
#define IMG_SIZE	0x3000
#define MEM		(32ULL << 20)

static int failed;

static void check(const char *name, int ok, const char *detail)
{
	printf("%s ctl/%s%s%s\n", ok ? "PASS" : "FAIL", name,
	       ok ? "" : ": ", ok ? "" : detail);
	failed |= !ok;
}

struct img {
	uint8_t buf[IMG_SIZE];
	Elf32_Ehdr *eh;
	Elf32_Phdr *ph;
};

/* A valid image: one segment at 1 MiB with a multiboot header at 0x1000. */
static void build(struct img *img, unsigned int phnum)
{
	uint32_t header[3] = { MB_MAGIC, 0x3, -(MB_MAGIC + 0x3) };
	unsigned int i;

	memset(img->buf, 0, sizeof(img->buf));
	img->eh = (Elf32_Ehdr *)img->buf;
	img->ph = (Elf32_Phdr *)(img->buf + sizeof(Elf32_Ehdr));
	memcpy(img->eh->e_ident, ELFMAG, SELFMAG);
	img->eh->e_ident[EI_CLASS] = ELFCLASS32;
	img->eh->e_ident[EI_DATA] = ELFDATA2LSB;
	img->eh->e_ident[EI_VERSION] = EV_CURRENT;
	img->eh->e_type = ET_EXEC;
	img->eh->e_machine = EM_386;
	img->eh->e_entry = 0x100000;
	img->eh->e_phoff = sizeof(Elf32_Ehdr);
	img->eh->e_phentsize = sizeof(Elf32_Phdr);
	img->eh->e_phnum = phnum;
	for (i = 0; i < phnum; i++) {
		img->ph[i].p_type = PT_LOAD;
		img->ph[i].p_offset = 0x1000;
		img->ph[i].p_paddr = 0x100000 + i * 0x10000;
		img->ph[i].p_filesz = 0x1000;
		img->ph[i].p_memsz = 0x2000;
	}
	memcpy(img->buf + 0x1000, header, sizeof(header));
}

static int load(struct img *img, size_t len, uint64_t mem, char *err,
		struct mb_image *out)
{
	return mb_load(img->buf, len, mem, out, err, 256);
}

static void expect_error(const char *name, struct img *img, size_t len,
			 uint64_t mem, const char *words)
{
	struct mb_image out;
	char err[256] = "";
	char detail[400];

	if (!load(img, len, mem, err, &out)) {
		check(name, 0, "accepted a bad image");
		return;
	}
	snprintf(detail, sizeof(detail), "error '%s' does not mention '%s'",
		 err, words);
	check(name, strstr(err, words) != NULL, detail);
}

int main(void)
{
	static struct img img;
	struct mb_image out;
	uint64_t size;
	uint32_t id;
	char err[256];

	build(&img, 2);
	check("multiboot-valid", !load(&img, IMG_SIZE, MEM, err, &out) &&
	      out.entry == 0x100000 && out.nr_segments == 2 &&
	      out.segments[1].paddr == 0x110000 &&
	      out.segments[0].data == img.buf + 0x1000, err);

	expect_error("multiboot-short", &img, 20, MEM, "truncated");
	build(&img, 1);
	img.buf[1] = 'X';
	expect_error("multiboot-not-elf", &img, IMG_SIZE, MEM, "not an ELF");
	build(&img, 1);
	img.eh->e_ident[EI_CLASS] = ELFCLASS64;
	expect_error("multiboot-elf64", &img, IMG_SIZE, MEM, "32-bit");
	build(&img, 1);
	img.eh->e_machine = EM_X86_64;
	expect_error("multiboot-machine", &img, IMG_SIZE, MEM, "i386");
	build(&img, 1);
	memset(img.buf + 0x1000, 0, 12);
	expect_error("multiboot-no-header", &img, IMG_SIZE, MEM, "no multiboot header");
	build(&img, 1);
	img.buf[0x1008]++;
	expect_error("multiboot-bad-checksum", &img, IMG_SIZE, MEM, "no multiboot header");
	build(&img, 1);
	expect_error("multiboot-phdrs-truncated", &img, 60, MEM, "program header");
	build(&img, 1);
	img.ph[0].p_filesz = 0x3000;
	img.ph[0].p_memsz = 0x3000;
	expect_error("multiboot-segment-truncated", &img, IMG_SIZE, MEM, "past the end");
	build(&img, 1);
	img.ph[0].p_filesz = 0x2001;
	expect_error("multiboot-filesz-gt-memsz", &img, IMG_SIZE, MEM, "exceeds memory size");
	build(&img, 1);
	img.ph[0].p_paddr = MEM - 0x1000;
	expect_error("multiboot-too-big-for-ram", &img, IMG_SIZE, MEM, "larger than guest RAM");
	build(&img, 1);
	img.ph[0].p_paddr = 0xfffff000;
	expect_error("multiboot-wraps", &img, IMG_SIZE, MEM, "larger than guest RAM");
	build(&img, 2);
	img.ph[1].p_paddr = 0x101000;
	expect_error("multiboot-overlap", &img, IMG_SIZE, MEM, "overlap");
	build(&img, 1);
	img.eh->e_entry = MEM;
	expect_error("multiboot-entry-outside", &img, IMG_SIZE, MEM, "entry point");

	check("size-plain", !parse_size("4096", &size) && size == 4096, "4096");
	check("size-suffixes", !parse_size("32M", &size) && size == 32ULL << 20 &&
	      !parse_size("1g", &size) && size == 1ULL << 30 &&
	      !parse_size("64KiB", &size) && size == 64 << 10, "K/M/G");
	check("size-rejects", parse_size("12Q", &size) && parse_size("", &size) &&
	      parse_size("-1M", &size) && parse_size("M", &size) &&
	      parse_size("99999999999G", &size) && parse_size("1MBx", &size), "bad sizes");
	check("vm-id", !parse_vm_id("7", &id) && id == 7 && parse_vm_id("0", &id) &&
	      parse_vm_id("x", &id) && parse_vm_id("4294967296", &id), "ids");
	return failed;
}
