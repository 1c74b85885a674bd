// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-run: run a guest under the kernel's own KVM, the way "shadowvmm run"
 * runs it, so that "make bench" can set the two side by side in one boot
 * (with kvm_intel.ept=0, KVM's shadow MMU).
 *
 *   kvm-run [--mem MIB] [--cmdline ARGS] [--initrd FILE] [--stats FILE]
 *           GUEST
 *
 * The image is loaded as QEMU's -kernel and shadowvmm load it: with a
 * multiboot header, as multiboot; without one, an ELF with a PVH entry
 * note (a Linux vmlinux) through PVH.
 *
 * Multiboot: ELF32 PT_LOAD segments at their physical addresses, 32-bit
 * protected mode with paging off and flat segments, EAX the multiboot
 * magic, EBX the multiboot information with mem_upper and the command
 * line "GUEST ARGS" at the addresses kmod/multiboot.c uses.
 *
 * PVH (kmod/pvh.c, kmod/boot.c): ELF32 or ELF64 PT_LOAD segments at their
 * p_paddr, the same protected-mode state, EBX the struct hvm_start_info
 * (version 1) at 0x9500 with the memory map at 0x9000 (RAM to the end, no
 * firmware area), the initrd as module 0 at 0x9600 (page-aligned at the
 * top of RAM, as ctl/bootargs.c's modules_place() puts it) and the command
 * line ARGS alone at 0x9800.
 *
 * Both get the MP table kmod/mptable.c writes at 0xf0000 (one CPU, an ISA
 * bus, the I/O APIC, ISA IRQs 0-15 on its pins, LINT0 ExtINT, LINT1 NMI),
 * so a Linux guest finds the platform shadowvmm gives it:
 *
 * - The local APIC is KVM's own, in the kernel, with a split irqchip
 *   (KVM_CAP_SPLIT_IRQCHIP): no 8259 PIC (its ports float to all-ones, as
 *   in shadowvmm, so Linux takes its NULL legacy PIC) and no PIT (nor
 *   does shadowvmm have one).
 * - The I/O APIC is here, as kmod/dev/ioapic.c has it (ID 1, version
 *   0x11, 24 pins, edge-triggered delivery of a rising line): its one
 *   source, COM1's IRQ 4, reaches KVM's local APIC as the MSI its
 *   redirection entry makes (KVM_SIGNAL_MSI). Linux's 8250 needs that
 *   interrupt: with IIR never saying one is pending, it does not take
 *   the port for one with UART_BUG_THRE (which it would poll), but waits
 *   for a THR-empty interrupt after the first 16 bytes, for ever.
 * - COM1 as kmod/dev/uart.c (a 16550A with its FIFO, the scratch
 *   register, loopback, the THR-empty interrupt), output to stdout, less
 *   the receive side: no input. System control port B (0x61) as
 *   kmod/dev/pio.c; isa-debug-exit at 0xf4 (its value is the exit
 *   status); fw_cfg's CPU count and RAM size. Other ports read all-ones
 *   and drop writes, as do MMIO accesses outside the I/O APIC.
 * - CPUID: what KVM_GET_SUPPORTED_CPUID gives (so, unlike shadowvmm's,
 *   with PCID, XSAVE/AVX and x2APIC if the CPU has them), with what
 *   shadowvmm adds for a guest without a PIT: leaves 0x15 and 0x16 say
 *   the TSC's rate (KVM_GET_TSC_KHZ) and the APIC timer's 1 GHz, and the
 *   TSC-deadline timer that KVM's local APIC has (KVM_CAP_TSC_DEADLINE_
 *   TIMER; QEMU sets it the same way), and the hypervisor bit (QEMU's
 *   too); leaf 1 says APIC ID 0, one CPU.
 *
 * So the platform differs from shadowvmm's in CPUID, in the local APIC
 * being KVM's (of the same version, 0x14, and timer rate, 1 GHz), and
 * in where the devices are: every port and I/O APIC access returns to
 * user space here, where shadowvmm handles them in the kernel; a guest's
 * console output costs KVM more time (not more exits).
 *
 * --stats FILE: when the guest stops, write "name value" lines: KVM's
 * own counters of the VM and the vCPU from their binary stats files
 * (KVM_GET_STATS_FD: exits, irq_exits, pf_fixed, pf_guest, mmu_pte_write,
 * mmu_cache_miss, ...), then "kvm_run_returns" (how often KVM_RUN came
 * back to us) and "kvm_run_exit_<reason>" for each reason seen.
 *
 * Exit status: the guest's, as with "shadowvmm run"; 1 with one line on
 * stderr when it stopped another way or KVM failed; 2 for usage errors.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MB			(1024 * 1024)
#define KB			1024
#define PAGE_SIZE		4096ULL
#define PAGE_UP(x)		(((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PAGE_DOWN(x)		((x) & ~(PAGE_SIZE - 1))
/* kmod/multiboot.h, kmod/boot.h: where the loader leaves its information */
#define MB_MMAP_ADDR		0x9000
#define MB_INFO_ADDR		0x9500
#define PVH_MODLIST_ADDR	0x9600
#define MB_LOADER_NAME_ADDR	0x9700
#define MB_CMDLINE_ADDR		0x9800
#define MB_AREA_END		(MB_CMDLINE_ADDR + 4096)
#define MB_LOW_MEM_KB		640
#define MB_FIRMWARE_HIGH_KB	128
#define MB_LOADER_MAGIC		0x2badb002
#define MB_INFO_FLAGS		0x24f	/* memory, cmdline, mods, mmap, name */
#define MB_AVAILABLE		1
#define MB_RESERVED		2
/* ctl/multiboot.h: the header lies in the first 8 KiB, 4-aligned */
#define MB_HEADER_MAGIC		0x1badb002
#define MB_SEARCH		8192
/* Xen's PVH: the entry note and struct hvm_start_info */
#define PVH_NOTE_NAME		"Xen"
#define PVH_NOTE_PHYS32_ENTRY	18
#define PVH_START_MAGIC		0x336ec578
#define EBDA_ADDR		(MB_LOW_MEM_KB * KB - KB)
/* kmod/mptable.h, kmod/dev/lapic.h, kmod/dev/ioapic.h */
#define MPTABLE_ADDR		0xf0000
#define MPTABLE_END		0x100000
#define LAPIC_BASE		0xfee00000
#define LAPIC_VERSION		0x14	/* KVM's, and shadowvmm's */
#define LAPIC_BUS_HZ		1000000000	/* KVM's APIC_BUS_FREQUENCY */
#define IOAPIC_BASE		0xfec00000
#define IOAPIC_SIZE		0x1000
#define IOAPIC_ID		1
#define IOAPIC_VERSION		0x11
#define IOAPIC_PINS		24
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
/* writable: all but delivery status (12), remote IRR (14), bits 17-55 */
#define REDIR_MASKED		(1ULL << 16)
#define REDIR_DEST_LOGICAL	(1ULL << 11)
#define REDIR_WRITABLE		(0xff000000000000ffULL | (7ULL << 8) | \
				 (1ULL << 11) | (1ULL << 13) | (1ULL << 15) | \
				 (1ULL << 16))

#define COM1			0x3f8
#define UART_RBR_THR		0
#define UART_IER		1
#define UART_IIR_FCR		2
#define UART_LCR		3
#define UART_MCR		4
#define UART_LSR		5
#define UART_MSR		6
#define UART_SCR		7
#define LCR_DLAB		0x80
#define MCR_OUT2		0x08
#define MCR_LOOP		0x10
#define FCR_ENABLE		0x01
#define IER_THRI		0x02
#define IIR_NO_INT		0x01
#define IIR_THRI		0x02
#define COM1_IRQ		4
#define IIR_FIFO_ON		0xc0
#define LSR_THR_EMPTY		0x60
#define MSR_DCD_DSR_CTS		0xb0
#define PORT_B			0x61
#define PORT_B_WRITABLE		0x0f
#define DEBUG_EXIT_PORT		0xf4
#define FW_CFG_SELECTOR		0x510
#define FW_CFG_DATA		0x511
#define FW_CFG_RAM_SIZE		0x03
#define FW_CFG_NB_CPUS		0x05

#define TSS_ADDR		0xfffbd000	/* where QEMU puts it too */
#define CPUID_ENTRIES_MAX	256
#define CPUID_TSC_DEADLINE	(1u << 24)	/* leaf 1 ECX */
#define CPUID_HYPERVISOR	(1u << 31)	/* leaf 1 ECX */
#define EXIT_REASONS		64

struct multiboot_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4];
	uint32_t mmap_length, mmap_addr, drives_length, drives_addr;
	uint32_t config_table, boot_loader_name;
};

struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

/* xen/interface/hvm/start_info.h */
struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

/* asm/mpspec_def.h */
struct mpf_intel {
	char signature[4];
	uint32_t physptr;
	uint8_t length, specification, checksum;
	uint8_t feature1, feature2, feature3, feature4, feature5;
} __attribute__((packed));

struct mpc_table {
	char signature[4];
	uint16_t length;
	uint8_t spec, checksum;
	char oem[8], productid[12];
	uint32_t oemptr;
	uint16_t oemsize, oemcount;
	uint32_t lapic, reserved;
} __attribute__((packed));

struct mpc_cpu {
	uint8_t type, apicid, apicver, cpuflag;
	uint32_t cpufeature, featureflag, reserved[2];
} __attribute__((packed));

struct mpc_bus {
	uint8_t type, busid;
	char bustype[6];
} __attribute__((packed));

struct mpc_ioapic {
	uint8_t type, apicid, apicver, flags;
	uint32_t apicaddr;
} __attribute__((packed));

struct mpc_intsrc {
	uint8_t type, irqtype;
	uint16_t irqflag;
	uint8_t srcbus, srcbusirq, dstapic, dstirq;
} __attribute__((packed));

struct mpc_lintsrc {
	uint8_t type, irqtype;
	uint16_t irqflag;
	uint8_t srcbusid, srcbusirq, destapic, destapiclint;
} __attribute__((packed));

#define MP_PROCESSOR		0
#define MP_BUS			1
#define MP_IOAPIC		2
#define MP_INTSRC		3
#define MP_LINTSRC		4
#define MP_INT			0
#define MP_NMI			1
#define MP_EXTINT		3
#define CPU_ENABLED		1
#define CPU_BOOTPROCESSOR	2
#define MPC_APIC_USABLE		1
#define MP_SPEC_REV		4
#define ISA_BUS_ID		0
#define ISA_IRQS		16

/* kmod/mptable.c's layout: the floating pointer, then the table. */
struct mp_config {
	struct mpc_table table;
	struct mpc_cpu cpu;
	struct mpc_bus bus;
	struct mpc_ioapic ioapic;
	struct mpc_intsrc irq[ISA_IRQS];
	struct mpc_lintsrc lint[2];
} __attribute__((packed));

/* What the guest kernel starts with. */
struct boot_state {
	uint32_t entry, eax, ebx;
	uint64_t image_end;	/* past the highest byte loaded */
	int pvh;
};

struct uart {
	uint8_t ier, lcr, mcr, fcr, scr, dll, dlm;
	int thre_pending;	/* the THR-empty interrupt, until IIR says it */
	int line;		/* the level of IRQ 4 */
};

struct ioapic {
	uint32_t regsel;
	uint8_t id;
	uint32_t level;		/* of each pin, for edges */
	uint64_t redir[IOAPIC_PINS];
};

struct vm {
	int kvm, fd, vcpu;
	struct kvm_run *run;
	uint8_t *ram;
	uint64_t ram_size;
	struct uart com1;
	struct ioapic ioapic;
	uint8_t port_b;
	uint16_t fw_cfg_key;
	uint32_t fw_cfg_offset;
	uint32_t cpuid1_eax, cpuid1_edx;	/* for the MP table */
	uint64_t run_returns;
	uint64_t exits[EXIT_REASONS];
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("kvm-run: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *read_file(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		die("%s: %s", path, strerror(errno));
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf)
		die("%s", strerror(ENOMEM));
	if (read(fd, buf, st.st_size) != st.st_size)
		die("%s: short read", path);
	close(fd);
	*len = st.st_size;
	return buf;
}

/* One program header, from an ELF32 or ELF64 file. */
struct phdr {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
};

struct elf {
	int is64;
	uint16_t machine, phnum;
	uint64_t entry, phoff;
};

static void elf_header(const uint8_t *buf, size_t len, struct elf *f,
		       const char *path)
{
	const Elf32_Ehdr *e32 = (const void *)buf;
	const Elf64_Ehdr *e64 = (const void *)buf;
	size_t phentsize;

	if (len < sizeof(*e32) || memcmp(buf, ELFMAG, SELFMAG) ||
	    buf[EI_DATA] != ELFDATA2LSB)
		die("%s: not a little-endian ELF file", path);
	f->is64 = buf[EI_CLASS] == ELFCLASS64;
	if (f->is64) {
		if (len < sizeof(*e64) || e64->e_phentsize != sizeof(Elf64_Phdr))
			die("%s: bad ELF64 header", path);
		f->machine = e64->e_machine;
		f->phnum = e64->e_phnum;
		f->entry = e64->e_entry;
		f->phoff = e64->e_phoff;
		phentsize = sizeof(Elf64_Phdr);
	} else if (buf[EI_CLASS] == ELFCLASS32) {
		if (e32->e_phentsize != sizeof(Elf32_Phdr))
			die("%s: bad ELF32 header", path);
		f->machine = e32->e_machine;
		f->phnum = e32->e_phnum;
		f->entry = e32->e_entry;
		f->phoff = e32->e_phoff;
		phentsize = sizeof(Elf32_Phdr);
	} else {
		die("%s: unknown ELF class", path);
	}
	if (f->phoff > len || (uint64_t)f->phnum * phentsize > len - f->phoff)
		die("%s: program headers beyond the end of the file", path);
}

static void elf_phdr(const uint8_t *buf, const struct elf *f, unsigned int i,
		     struct phdr *ph)
{
	if (f->is64) {
		const Elf64_Phdr *p = (const void *)(buf + f->phoff) + i * sizeof(*p);

		*ph = (struct phdr){ p->p_type, p->p_offset, p->p_paddr,
				     p->p_filesz, p->p_memsz };
	} else {
		const Elf32_Phdr *p = (const void *)(buf + f->phoff) + i * sizeof(*p);

		*ph = (struct phdr){ p->p_type, p->p_offset, p->p_paddr,
				     p->p_filesz, p->p_memsz };
	}
}

/* The PT_LOAD segments into RAM at their physical addresses. */
static void load_segments(struct vm *vm, const uint8_t *buf, size_t len,
			  const struct elf *f, struct boot_state *bs,
			  const char *path)
{
	struct phdr ph;
	unsigned int i;

	bs->image_end = 0;
	for (i = 0; i < f->phnum; i++) {
		elf_phdr(buf, f, i, &ph);
		if (ph.type != PT_LOAD || !ph.memsz)
			continue;
		if (ph.filesz > ph.memsz || ph.offset > len ||
		    ph.filesz > len - ph.offset || ph.paddr >= vm->ram_size ||
		    ph.memsz > vm->ram_size - ph.paddr ||
		    ph.paddr < MB_AREA_END)
			die("%s: segment at %#llx does not fit", path,
			    (unsigned long long)ph.paddr);
		memcpy(vm->ram + ph.paddr, buf + ph.offset, ph.filesz);
		memset(vm->ram + ph.paddr + ph.filesz, 0, ph.memsz - ph.filesz);
		if (ph.paddr + ph.memsz > bs->image_end)
			bs->image_end = ph.paddr + ph.memsz;
	}
}

/* A multiboot header with a good checksum, as QEMU and ctl/ look for it. */
static int has_multiboot_header(const uint8_t *buf, size_t len)
{
	uint32_t h[3];
	size_t off;

	for (off = 0; off + sizeof(h) <= len && off < MB_SEARCH; off += 4) {
		memcpy(h, buf + off, sizeof(h));
		if (h[0] == MB_HEADER_MAGIC && !(uint32_t)(h[0] + h[1] + h[2]))
			return 1;
	}
	return 0;
}

#define NOTE_ALIGN(n)	(((n) + 3) & ~(uint64_t)3)

/* The PVH entry note's value, as ctl/pvh.c finds it; 0 for none. */
static uint64_t pvh_entry(const uint8_t *buf, size_t len, const struct elf *f)
{
	Elf32_Nhdr nh;	/* the same layout in ELF64 files */
	uint64_t off, end, desc, entry = 0;
	struct phdr ph;
	uint32_t e32;
	unsigned int i;

	for (i = 0; i < f->phnum; i++) {
		elf_phdr(buf, f, i, &ph);
		if (ph.type != PT_NOTE || ph.offset > len ||
		    ph.filesz > len - ph.offset)
			continue;
		off = ph.offset;
		end = ph.offset + ph.filesz;
		while (end - off >= sizeof(nh)) {
			memcpy(&nh, buf + off, sizeof(nh));
			off += sizeof(nh);
			desc = off + NOTE_ALIGN(nh.n_namesz);
			if (NOTE_ALIGN(nh.n_namesz) > end - off ||
			    NOTE_ALIGN(nh.n_descsz) > end - desc)
				break;
			if (nh.n_type == PVH_NOTE_PHYS32_ENTRY &&
			    nh.n_namesz == sizeof(PVH_NOTE_NAME) &&
			    !memcmp(buf + off, PVH_NOTE_NAME, sizeof(PVH_NOTE_NAME))) {
				if (nh.n_descsz == 4) {
					memcpy(&e32, buf + desc, 4);
					entry = e32;
				} else if (nh.n_descsz == 8) {
					memcpy(&entry, buf + desc, 8);
				}
				return entry;
			}
			off = desc + NOTE_ALIGN(nh.n_descsz);
		}
	}
	return 0;
}

/* The image, multiboot or PVH as QEMU decides: loaded, its entry found. */
static void load_image(struct vm *vm, const uint8_t *buf, size_t len,
		       const char *path, struct boot_state *bs)
{
	struct elf f;
	uint64_t entry;

	elf_header(buf, len, &f, path);
	bs->pvh = !has_multiboot_header(buf, len);
	if (!bs->pvh) {
		if (f.is64 || f.machine != EM_386)
			die("%s: a multiboot image must be ELF32 i386", path);
		entry = f.entry;
	} else {
		if (f.machine != EM_X86_64 && f.machine != EM_386)
			die("%s: ELF machine %u: not an x86 kernel", path, f.machine);
		entry = pvh_entry(buf, len, &f);
		if (!entry)
			die("%s: no multiboot header and no PVH entry note (Xen, XEN_ELFNOTE_PHYS32_ENTRY)", path);
	}
	load_segments(vm, buf, len, &f, bs, path);
	if (entry >= vm->ram_size)
		die("%s: entry point %#llx outside RAM", path,
		    (unsigned long long)entry);
	bs->entry = entry;
}

static void put_mmap(struct multiboot_mmap_entry *e, uint64_t addr,
		     uint64_t len, uint32_t type)
{
	e->size = sizeof(*e) - sizeof(e->size);
	e->addr = addr;
	e->len = len;
	e->type = type;
}

/* As kmod/multiboot.c: the information, the map, the name, the cmdline. */
static void build_multiboot(struct vm *vm, const char *cmdline,
			    struct boot_state *bs)
{
	static const char loader[] = "kvm-run";
	struct multiboot_mmap_entry *mmap = (void *)(vm->ram + MB_MMAP_ADDR);
	struct multiboot_info *info = (void *)(vm->ram + MB_INFO_ADDR);
	uint64_t top = vm->ram_size - MB_FIRMWARE_HIGH_KB * KB;

	if (strlen(cmdline) >= MB_AREA_END - MB_CMDLINE_ADDR)
		die("command line too long");
	put_mmap(&mmap[0], 0, EBDA_ADDR, MB_AVAILABLE);
	put_mmap(&mmap[1], EBDA_ADDR, KB, MB_RESERVED);
	put_mmap(&mmap[2], MPTABLE_ADDR, MPTABLE_END - MPTABLE_ADDR, MB_RESERVED);
	put_mmap(&mmap[3], MB, top - MB, MB_AVAILABLE);
	put_mmap(&mmap[4], top, MB_FIRMWARE_HIGH_KB * KB, MB_RESERVED);
	memcpy(vm->ram + MB_LOADER_NAME_ADDR, loader, sizeof(loader));
	strcpy((char *)vm->ram + MB_CMDLINE_ADDR, cmdline);
	memset(info, 0, sizeof(*info));
	info->flags = MB_INFO_FLAGS;
	info->mem_lower = MB_LOW_MEM_KB;
	info->mem_upper = vm->ram_size / KB - KB - MB_FIRMWARE_HIGH_KB;
	info->cmdline = MB_CMDLINE_ADDR;
	info->mmap_length = 5 * sizeof(*mmap);
	info->mmap_addr = MB_MMAP_ADDR;
	info->boot_loader_name = MB_LOADER_NAME_ADDR;
	bs->eax = MB_LOADER_MAGIC;
	bs->ebx = MB_INFO_ADDR;
}

static void put_memmap(struct hvm_memmap_table_entry *e, uint64_t addr,
		       uint64_t size, uint32_t type)
{
	*e = (struct hvm_memmap_table_entry){ addr, size, type, 0 };
}

/*
 * As kmod/pvh.c: start_info, the map (RAM to the end: no firmware keeps
 * tables at the top), the initrd as module 0 at the top of RAM as
 * ctl/bootargs.c places it, and the command line alone.
 */
static void build_pvh(struct vm *vm, const char *cmdline,
		      const uint8_t *initrd, size_t initrd_len,
		      struct boot_state *bs)
{
	struct hvm_memmap_table_entry *map = (void *)(vm->ram + MB_MMAP_ADDR);
	struct hvm_modlist_entry *mod = (void *)(vm->ram + PVH_MODLIST_ADDR);
	struct hvm_start_info *info = (void *)(vm->ram + MB_INFO_ADDR);
	uint64_t addr;

	if (strlen(cmdline) >= MB_AREA_END - MB_CMDLINE_ADDR)
		die("command line too long");
	put_memmap(&map[0], 0, EBDA_ADDR, MB_AVAILABLE);
	put_memmap(&map[1], EBDA_ADDR, KB, MB_RESERVED);
	put_memmap(&map[2], MPTABLE_ADDR, MPTABLE_END - MPTABLE_ADDR, MB_RESERVED);
	put_memmap(&map[3], MB, vm->ram_size - MB, MB_AVAILABLE);
	strcpy((char *)vm->ram + MB_CMDLINE_ADDR, cmdline);
	memset(info, 0, sizeof(*info));
	info->magic = PVH_START_MAGIC;
	info->version = 1;
	info->cmdline_paddr = MB_CMDLINE_ADDR;
	info->memmap_paddr = MB_MMAP_ADDR;
	info->memmap_entries = 4;
	if (initrd) {
		addr = PAGE_DOWN(vm->ram_size) - PAGE_UP((uint64_t)initrd_len);
		if (PAGE_UP((uint64_t)initrd_len) > PAGE_DOWN(vm->ram_size) ||
		    addr < PAGE_UP(bs->image_end))
			die("the initrd (%zu bytes) does not fit beside the kernel in %llu MiB",
			    initrd_len, (unsigned long long)vm->ram_size / MB);
		memcpy(vm->ram + addr, initrd, initrd_len);
		*mod = (struct hvm_modlist_entry){ addr, initrd_len, 0, 0 };
		info->nr_modules = 1;
		info->modlist_paddr = PVH_MODLIST_ADDR;
	}
	bs->eax = 0;
	bs->ebx = MB_INFO_ADDR;
}

/* The byte that makes @len bytes sum to zero. */
static uint8_t checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return -sum;
}

/* As kmod/mptable.c: one CPU, the ISA bus, the I/O APIC and its IRQs. */
static void build_mptable(struct vm *vm)
{
	struct mpf_intel *mpf = (void *)(vm->ram + MPTABLE_ADDR);
	struct mp_config *c = (void *)(vm->ram + MPTABLE_ADDR + sizeof(*mpf));
	unsigned int i;

	memset(c, 0, sizeof(*c));
	memcpy(c->table.signature, "PCMP", 4);
	c->table.length = sizeof(*c);
	c->table.spec = MP_SPEC_REV;
	memcpy(c->table.oem, "SHADOWVM", 8);
	memcpy(c->table.productid, "SHADOWVMM   ", 12);
	c->table.oemcount = 3 + ISA_IRQS + 2;
	c->table.lapic = LAPIC_BASE;
	c->cpu.type = MP_PROCESSOR;
	c->cpu.apicver = LAPIC_VERSION;
	c->cpu.cpuflag = CPU_ENABLED | CPU_BOOTPROCESSOR;
	c->cpu.cpufeature = vm->cpuid1_eax;
	c->cpu.featureflag = vm->cpuid1_edx;
	c->bus.type = MP_BUS;
	c->bus.busid = ISA_BUS_ID;
	memcpy(c->bus.bustype, "ISA   ", 6);
	c->ioapic.type = MP_IOAPIC;
	c->ioapic.apicid = IOAPIC_ID;
	c->ioapic.apicver = IOAPIC_VERSION;
	c->ioapic.flags = MPC_APIC_USABLE;
	c->ioapic.apicaddr = IOAPIC_BASE;
	for (i = 0; i < ISA_IRQS; i++)
		c->irq[i] = (struct mpc_intsrc){
			.type = MP_INTSRC, .irqtype = MP_INT, .irqflag = 0,
			.srcbus = ISA_BUS_ID, .srcbusirq = i,
			.dstapic = IOAPIC_ID, .dstirq = i,
		};
	c->lint[0] = (struct mpc_lintsrc){
		.type = MP_LINTSRC, .irqtype = MP_EXTINT, .srcbusid = ISA_BUS_ID,
		.destapic = 0xff, .destapiclint = 0,
	};
	c->lint[1] = (struct mpc_lintsrc){
		.type = MP_LINTSRC, .irqtype = MP_NMI, .srcbusid = ISA_BUS_ID,
		.destapic = 0xff, .destapiclint = 1,
	};
	c->table.checksum = checksum(c, sizeof(*c));

	memset(mpf, 0, sizeof(*mpf));
	memcpy(mpf->signature, "_MP_", 4);
	mpf->physptr = MPTABLE_ADDR + sizeof(*mpf);
	mpf->length = 1;
	mpf->specification = MP_SPEC_REV;
	mpf->checksum = checksum(mpf, sizeof(*mpf));
}

/* The entry for @function/@index in @cpuid, added (zeroed) if missing. */
static struct kvm_cpuid_entry2 *cpuid_entry(struct kvm_cpuid2 *cpuid,
					    uint32_t function, uint32_t index)
{
	struct kvm_cpuid_entry2 *e;
	uint32_t i;

	for (i = 0; i < cpuid->nent; i++) {
		e = &cpuid->entries[i];
		if (e->function == function &&
		    (!(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || e->index == index))
			return e;
	}
	if (cpuid->nent == CPUID_ENTRIES_MAX)
		die("CPUID: no room for leaf %#x", function);
	e = &cpuid->entries[cpuid->nent++];
	memset(e, 0, sizeof(*e));
	e->function = function;
	e->index = index;
	return e;
}

/* kmod/cpuid.c's shadowvmm_cpuid_tsc_ratio(), for the same leaf 0x15. */
static void tsc_ratio(uint32_t tsc_khz, uint32_t *num, uint32_t *den)
{
	const uint32_t crystal_khz = LAPIC_BUS_HZ / 1000;
	const uint32_t num_max = UINT32_MAX / crystal_khz;
	uint32_t a = tsc_khz ? tsc_khz : 1, b = crystal_khz, t;

	while (b) {		/* gcd */
		t = a % b;
		a = b;
		b = t;
	}
	*num = (tsc_khz ? tsc_khz : 1) / a;
	*den = crystal_khz / a;
	if (*num <= num_max)
		return;
	*den = (uint64_t)num_max * crystal_khz / tsc_khz;
	if (!*den)
		*den = 1;
	*num = ((uint64_t)tsc_khz * *den + crystal_khz / 2) / crystal_khz;
	if (*num > num_max) {
		*den -= 1;
		*num = ((uint64_t)tsc_khz * *den + crystal_khz / 2) / crystal_khz;
	}
}

/*
 * KVM_GET_SUPPORTED_CPUID, and what a guest without a PIT needs to know
 * (as kmod/cpuid.c tells it): the TSC's rate and the APIC timer's in
 * leaves 0x15 and 0x16, the TSC-deadline timer, APIC ID 0 of one CPU.
 */
static void set_cpuid(struct vm *vm)
{
	size_t size = sizeof(struct kvm_cpuid2) +
		      CPUID_ENTRIES_MAX * sizeof(struct kvm_cpuid_entry2);
	struct kvm_cpuid2 *cpuid = calloc(1, size);
	struct kvm_cpuid_entry2 *e;
	int tsc_khz;

	if (!cpuid)
		die("%s", strerror(ENOMEM));
	cpuid->nent = CPUID_ENTRIES_MAX;
	if (ioctl(vm->kvm, KVM_GET_SUPPORTED_CPUID, cpuid))
		die("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	tsc_khz = ioctl(vm->vcpu, KVM_GET_TSC_KHZ, 0);
	if (tsc_khz <= 0)
		die("KVM_GET_TSC_KHZ: %s", strerror(errno));

	e = cpuid_entry(cpuid, 0, 0);
	if (e->eax < 0x16)
		e->eax = 0x16;
	e = cpuid_entry(cpuid, 1, 0);
	e->ebx = (e->ebx & 0xffff) | (1 << 16);
	/*
	 * As QEMU says it: without the hypervisor bit Linux checks the
	 * (host's) model against the TSC-deadline errata, finds KVM's
	 * microcode revision too old and runs the APIC timer one-shot.
	 */
	e->ecx |= CPUID_HYPERVISOR;
	if (ioctl(vm->kvm, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0)
		e->ecx |= CPUID_TSC_DEADLINE;
	vm->cpuid1_eax = e->eax;
	vm->cpuid1_edx = e->edx;
	/*
	 * TSC = ECX * EBX / EAX Hz, the APIC timer's 1 GHz as the crystal,
	 * EBX small enough for Linux 6.1's 32-bit crystal_khz * EBX: the
	 * values kmod/cpuid.c's shadowvmm_cpuid_tsc_ratio() gives.
	 */
	e = cpuid_entry(cpuid, 0x15, 0);
	tsc_ratio(tsc_khz, &e->ebx, &e->eax);
	e->ecx = LAPIC_BUS_HZ;
	e->edx = 0;
	e = cpuid_entry(cpuid, 0x16, 0);
	e->eax = tsc_khz / 1000;
	e->ebx = tsc_khz / 1000;
	e->ecx = LAPIC_BUS_HZ / 1000000;
	e->edx = 0;
	if (ioctl(vm->vcpu, KVM_SET_CPUID2, cpuid))
		die("KVM_SET_CPUID2: %s", strerror(errno));
	free(cpuid);
}

static void flat(struct kvm_segment *s, uint16_t selector, uint8_t type)
{
	*s = (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = selector,
		.type = type, .present = 1, .dpl = 0, .db = 1, .s = 1,
		.l = 0, .g = 1,
	};
}

/* Protected mode, paging off, flat 4 GiB segments: multiboot's and PVH's. */
static void set_boot_state(struct vm *vm, const struct boot_state *bs)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = {
		.rip = bs->entry, .rax = bs->eax, .rbx = bs->ebx, .rflags = 2,
	};

	if (ioctl(vm->vcpu, KVM_GET_SREGS, &sregs))
		die("KVM_GET_SREGS: %s", strerror(errno));
	flat(&sregs.cs, 0x08, 0xb);
	flat(&sregs.ds, 0x10, 0x3);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	sregs.cr0 = 0x11;	/* PE, ET */
	sregs.cr3 = 0;
	sregs.cr4 = 0;
	sregs.efer = 0;
	if (ioctl(vm->vcpu, KVM_SET_SREGS, &sregs) ||
	    ioctl(vm->vcpu, KVM_SET_REGS, &regs))
		die("setting the boot state: %s", strerror(errno));
}

static void create_vm(struct vm *vm, uint64_t ram_size)
{
	struct kvm_userspace_memory_region region;
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_SPLIT_IRQCHIP, .args = { IOAPIC_PINS },
	};
	unsigned int i;
	int size;

	vm->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm < 0)
		die("/dev/kvm: %s", strerror(errno));
	if (ioctl(vm->kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		die("unexpected KVM API version");
	vm->fd = ioctl(vm->kvm, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		die("KVM_CREATE_VM: %s", strerror(errno));
	if (ioctl(vm->fd, KVM_SET_TSS_ADDR, TSS_ADDR))
		die("KVM_SET_TSS_ADDR: %s", strerror(errno));
	/* The local APIC in the kernel; PIC and I/O APIC ours (no PIC). */
	if (ioctl(vm->fd, KVM_ENABLE_CAP, &cap))
		die("KVM_CAP_SPLIT_IRQCHIP: %s", strerror(errno));
	vm->ram_size = ram_size;
	vm->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED)
		die("guest RAM: %s", strerror(errno));
	region = (struct kvm_userspace_memory_region){
		.slot = 0, .guest_phys_addr = 0, .memory_size = ram_size,
		.userspace_addr = (uintptr_t)vm->ram,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region))
		die("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
	vm->vcpu = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu < 0)
		die("KVM_CREATE_VCPU: %s", strerror(errno));
	size = ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size <= 0)
		die("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	vm->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu, 0);
	if (vm->run == MAP_FAILED)
		die("mmap kvm_run: %s", strerror(errno));
	set_cpuid(vm);
	vm->com1.dll = 1;	/* 115200 baud, as kmod/dev/uart.c resets */
	vm->ioapic.id = IOAPIC_ID;
	for (i = 0; i < IOAPIC_PINS; i++)
		vm->ioapic.redir[i] = REDIR_MASKED;
}

static uint8_t fw_cfg_byte(struct vm *vm)
{
	uint64_t value = 0;
	uint32_t off = vm->fw_cfg_offset++;

	if (vm->fw_cfg_key == FW_CFG_NB_CPUS)
		value = 1;
	else if (vm->fw_cfg_key == FW_CFG_RAM_SIZE)
		value = vm->ram_size;
	return off < 8 ? value >> (8 * off) : 0;
}

/* COM1 as kmod/dev/uart.c has it, less the receive side (no input). */
static uint8_t uart_pending(const struct uart *u)
{
	return (u->ier & IER_THRI) && u->thre_pending ? IIR_THRI : IIR_NO_INT;
}

/* The level of the UART's interrupt line: OUT2 connects it, loop cuts it. */
static int uart_irq(const struct uart *u)
{
	return (u->mcr & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2 &&
	       uart_pending(u) != IIR_NO_INT;
}

static uint8_t uart_read(struct uart *u, unsigned int reg)
{
	int dlab = u->lcr & LCR_DLAB;
	uint8_t iir;

	switch (reg) {
	case UART_RBR_THR:
		return dlab ? u->dll : 0;
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR_FCR:
		iir = uart_pending(u);
		/* Identifying a THR-empty interrupt is what clears it. */
		if (iir == IIR_THRI)
			u->thre_pending = 0;
		return iir | ((u->fcr & FCR_ENABLE) ? IIR_FIFO_ON : 0);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return LSR_THR_EMPTY;
	case UART_MSR:
		/* In loopback the modem inputs follow MCR, as on the chip. */
		if (u->mcr & MCR_LOOP)
			return ((u->mcr & 0x0c) << 4) | ((u->mcr & 0x01) << 5) |
			       ((u->mcr & 0x02) << 3);
		return MSR_DCD_DSR_CTS;
	case UART_SCR:
		return u->scr;
	}
	return 0xff;
}

static void uart_write(struct uart *u, unsigned int reg, uint8_t value)
{
	int dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		if (dlab) {
			u->dll = value;
			break;
		}
		/* Sent at once: the THR is empty again. */
		u->thre_pending = 1;
		if (!(u->mcr & MCR_LOOP))
			putchar(value);
		break;
	case UART_IER:
		if (dlab) {
			u->dlm = value;
			break;
		}
		/* Enabling it with the THR empty raises the interrupt. */
		if (value & ~u->ier & IER_THRI)
			u->thre_pending = 1;
		u->ier = value & 0x0f;
		break;
	case UART_IIR_FCR:
		u->fcr = value & 0xc9;
		break;
	case UART_LCR:
		u->lcr = value;
		break;
	case UART_MCR:
		u->mcr = value & 0x1f;
		break;
	case UART_SCR:
		u->scr = value;
		break;
	}
}

/*
 * The I/O APIC as kmod/dev/ioapic.c: a pin's rising edge, unmasked, goes
 * to the local APIC (in KVM) as the MSI its redirection entry makes.
 */
static void ioapic_set_line(struct vm *vm, unsigned int pin, int high)
{
	struct ioapic *io = &vm->ioapic;
	int rising = high && !(io->level & (1u << pin));
	uint64_t redir = io->redir[pin];
	struct kvm_msi msi = {};

	if (high)
		io->level |= 1u << pin;
	else
		io->level &= ~(1u << pin);
	if (!rising || (redir & REDIR_MASKED))
		return;
	msi.address_lo = LAPIC_BASE | ((redir >> 56) & 0xff) << 12 |
			 (redir & REDIR_DEST_LOGICAL ? 1 << 2 : 0);
	/* vector, delivery mode, edge-triggered */
	msi.data = (redir & 0x7ff) | 1 << 14;
	if (ioctl(vm->fd, KVM_SIGNAL_MSI, &msi) < 0)
		die("KVM_SIGNAL_MSI: %s", strerror(errno));
}

static void com1_update(struct vm *vm)
{
	int line = uart_irq(&vm->com1);

	if (line != vm->com1.line) {
		vm->com1.line = line;
		ioapic_set_line(vm, COM1_IRQ, line);
	}
}

static uint32_t port_in(struct vm *vm, uint16_t port, int size)
{
	uint32_t value = 0;
	int i;

	if (port >= COM1 && port < COM1 + 8) {
		value = uart_read(&vm->com1, port - COM1);
		com1_update(vm);
		return value;
	}
	switch (port) {
	case PORT_B:
		return vm->port_b;
	case FW_CFG_DATA:
		for (i = 0; i < size; i++)
			value |= (uint32_t)fw_cfg_byte(vm) << (8 * i);
		return value;
	}
	/* An empty ISA bus, and so no 8259 PIC: Linux takes its NULL one. */
	return 0xffffffff;
}

/* Return: 1 when the guest wrote its exit status, in *status. */
static int port_out(struct vm *vm, uint16_t port, uint32_t value,
		    int *status)
{
	if (port >= COM1 && port < COM1 + 8) {
		uart_write(&vm->com1, port - COM1, value);
		com1_update(vm);
		return 0;
	}
	switch (port) {
	case PORT_B:
		vm->port_b = value & PORT_B_WRITABLE;
		break;
	case DEBUG_EXIT_PORT:
		*status = value & 0xff;
		return 1;
	case FW_CFG_SELECTOR:
		vm->fw_cfg_key = value;
		vm->fw_cfg_offset = 0;
		break;
	}
	return 0;
}

static uint32_t ioapic_read(struct ioapic *io)
{
	uint32_t reg = io->regsel, pin = (reg - 0x10) / 2;

	switch (reg) {
	case 0:
	case 2:
		return (uint32_t)io->id << 24;
	case 1:
		return IOAPIC_VERSION | (IOAPIC_PINS - 1) << 16;
	}
	if (reg >= 0x10 && pin < IOAPIC_PINS)
		return io->redir[pin] >> (reg & 1 ? 32 : 0);
	return 0;
}

static void ioapic_write(struct ioapic *io, uint32_t value)
{
	uint32_t reg = io->regsel, pin = (reg - 0x10) / 2;
	uint64_t old;

	if (reg == 0) {
		io->id = (value >> 24) & 0xf;
		return;
	}
	if (reg < 0x10 || pin >= IOAPIC_PINS)
		return;
	old = io->redir[pin];
	if (reg & 1)
		io->redir[pin] = ((uint64_t)value << 32 | (uint32_t)old) & REDIR_WRITABLE;
	else
		io->redir[pin] = ((old & ~0xffffffffULL) | value) & REDIR_WRITABLE;
}

static void handle_mmio(struct vm *vm)
{
	struct kvm_run *run = vm->run;
	uint64_t addr = run->mmio.phys_addr, off = addr - IOAPIC_BASE;
	uint32_t value = 0;

	if (addr < IOAPIC_BASE || off >= IOAPIC_SIZE || run->mmio.len != 4) {
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
		return;
	}
	if (run->mmio.is_write) {
		memcpy(&value, run->mmio.data, 4);
		if (off == IOAPIC_REGSEL)
			vm->ioapic.regsel = value & 0xff;
		else if (off == IOAPIC_WINDOW)
			ioapic_write(&vm->ioapic, value);
		return;
	}
	if (off == IOAPIC_REGSEL)
		value = vm->ioapic.regsel;
	else if (off == IOAPIC_WINDOW)
		value = ioapic_read(&vm->ioapic);
	memcpy(run->mmio.data, &value, 4);
}

static int handle_io(struct vm *vm, int *status)
{
	struct kvm_run *run = vm->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	int size = run->io.size;
	uint32_t value, i;

	for (i = 0; i < run->io.count; i++, data += size) {
		if (run->io.direction == KVM_EXIT_IO_IN) {
			value = port_in(vm, run->io.port, size);
			memcpy(data, &value, size);
		} else {
			value = 0;
			memcpy(&value, data, size);
			if (port_out(vm, run->io.port, value, status))
				return 1;
		}
	}
	return 0;
}

/* Where the vCPU is, for a message. */
static const char *where(struct vm *vm)
{
	static char buf[128];
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(vm->vcpu, KVM_GET_REGS, &regs) ||
	    ioctl(vm->vcpu, KVM_GET_SREGS, &sregs))
		return "an unknown place";
	snprintf(buf, sizeof(buf), "rip %#llx (cr0 %#llx cr3 %#llx cr4 %#llx efer %#llx)",
		 (unsigned long long)regs.rip, (unsigned long long)sregs.cr0,
		 (unsigned long long)sregs.cr3, (unsigned long long)sregs.cr4,
		 (unsigned long long)sregs.efer);
	return buf;
}

static void write_stats(struct vm *vm, const char *path);

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Return: the guest's exit status. */
static int run_guest(struct vm *vm, const char *stats)
{
	struct kvm_run *run = vm->run;
	int status;

	for (;;) {
		if (stop_signal) {
			/* timeout(1) ends a hung guest: say where it was. */
			fflush(stdout);
			if (stats)
				write_stats(vm, stats);
			die("stopped by signal %d after %llu returns from KVM_RUN, at %s",
			    (int)stop_signal, (unsigned long long)vm->run_returns,
			    where(vm));
		}
		if (ioctl(vm->vcpu, KVM_RUN, 0)) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("KVM_RUN: %s", strerror(errno));
		}
		vm->run_returns++;
		if (run->exit_reason < EXIT_REASONS)
			vm->exits[run->exit_reason]++;
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (handle_io(vm, &status))
				return status;
			break;
		case KVM_EXIT_MMIO:
			handle_mmio(vm);
			break;
		case KVM_EXIT_INTR:
		case KVM_EXIT_IOAPIC_EOI:	/* no level-triggered pins here */
			break;
		case KVM_EXIT_HLT:
			die("the guest halted");
		case KVM_EXIT_SHUTDOWN:
			die("the guest shut down (a triple fault) at %s", where(vm));
		case KVM_EXIT_FAIL_ENTRY:
			die("VM entry failed: hardware reason %#llx",
			    (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		case KVM_EXIT_INTERNAL_ERROR:
			die("KVM internal error, suberror %u, at %s",
			    run->internal.suberror, where(vm));
		default:
			die("unexpected KVM exit %u", run->exit_reason);
		}
	}
}

/* One binary stats file (a VM's or a vCPU's) as "name value" lines. */
static void dump_stats(int owner, const char *what, FILE *out)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *d;
	size_t dsize;
	uint64_t value;
	uint8_t *descs;
	uint32_t i;
	int fd;

	fd = ioctl(owner, KVM_GET_STATS_FD, NULL);
	if (fd < 0) {
		fprintf(stderr, "kvm-run: no binary stats for the %s: %s\n",
			what, strerror(errno));
		return;
	}
	if (pread(fd, &h, sizeof(h), 0) != sizeof(h))
		die("reading the %s stats header: %s", what, strerror(errno));
	dsize = sizeof(*d) + h.name_size;
	descs = malloc(dsize * h.num_desc);
	if (!descs)
		die("%s", strerror(ENOMEM));
	if (pread(fd, descs, dsize * h.num_desc, h.desc_offset) !=
	    (ssize_t)(dsize * h.num_desc))
		die("reading the %s stats descriptors", what);
	for (i = 0; i < h.num_desc; i++) {
		d = (void *)(descs + i * dsize);
		/* Histograms are left out: one number a counter. */
		if (d->size != 1)
			continue;
		if (pread(fd, &value, sizeof(value), h.data_offset + d->offset) !=
		    sizeof(value))
			die("reading the %s stat %s", what, d->name);
		fprintf(out, "%s %llu\n", d->name, (unsigned long long)value);
	}
	free(descs);
	close(fd);
}

static void write_stats(struct vm *vm, const char *path)
{
	FILE *out = fopen(path, "w");
	unsigned int i;

	if (!out)
		die("%s: %s", path, strerror(errno));
	dump_stats(vm->fd, "VM", out);
	dump_stats(vm->vcpu, "vCPU", out);
	fprintf(out, "kvm_run_returns %llu\n",
		(unsigned long long)vm->run_returns);
	for (i = 0; i < EXIT_REASONS; i++)
		if (vm->exits[i])
			fprintf(out, "kvm_run_exit_%u %llu\n", i,
				(unsigned long long)vm->exits[i]);
	if (fclose(out))
		die("%s: %s", path, strerror(errno));
}

static int usage(void)
{
	fprintf(stderr, "usage: kvm-run [--mem MIB] [--cmdline ARGS] [--initrd FILE] [--stats FILE] GUEST\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *args = NULL, *stats = NULL, *initrd_path = NULL, *path;
	unsigned long mem_mb = 32;
	struct boot_state bs = {};
	struct vm vm = {};
	uint8_t *image, *initrd = NULL;
	size_t len, initrd_len = 0;
	char *cmdline, *end;
	int i, status;

	for (i = 1; i < argc - 1 && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "--mem")) {
			mem_mb = strtoul(argv[i + 1], &end, 10);
			if (*end || mem_mb < 2 || mem_mb > 3072)
				return usage();
		} else if (!strcmp(argv[i], "--cmdline")) {
			args = argv[i + 1];
		} else if (!strcmp(argv[i], "--initrd")) {
			initrd_path = argv[i + 1];
		} else if (!strcmp(argv[i], "--stats")) {
			stats = argv[i + 1];
		} else {
			return usage();
		}
	}
	if (i != argc - 1)
		return usage();
	path = argv[i];

	image = read_file(path, &len);
	if (initrd_path)
		initrd = read_file(initrd_path, &initrd_len);
	create_vm(&vm, (uint64_t)mem_mb * MB);
	load_image(&vm, image, len, path, &bs);
	if (bs.pvh) {
		/* As QEMU's -append for PVH: the string alone. */
		build_pvh(&vm, args ? args : "", initrd, initrd_len, &bs);
	} else {
		if (initrd)
			die("--initrd: only for a PVH kernel here");
		if (asprintf(&cmdline, "%s%s%s", path, args ? " " : "",
			     args ? args : "") < 0)
			die("%s", strerror(ENOMEM));
		build_multiboot(&vm, cmdline, &bs);
	}
	build_mptable(&vm);
	set_boot_state(&vm, &bs);
	sigaction(SIGTERM, &(struct sigaction){ .sa_handler = on_signal }, NULL);
	sigaction(SIGINT, &(struct sigaction){ .sa_handler = on_signal }, NULL);
	/* The console a line at a time, so that a hung guest's shows. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	status = run_guest(&vm, stats);
	fflush(stdout);
	if (stats)
		write_stats(&vm, stats);
	return status;
}
