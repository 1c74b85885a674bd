// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-run: run a multiboot guest under the kernel's own KVM, the way
 * "shadowvmm run" runs it, so that "make bench" can set the two side by
 * side in one boot (with kvm_intel.ept=0, KVM's shadow MMU).
 *
 *   kvm-run [--mem MIB] [--cmdline ARGS] [--stats FILE] GUEST.elf
 *
 * The guest is loaded as QEMU's -kernel and shadowvmm load it: ELF32
 * PT_LOAD segments at their physical addresses, 32-bit protected mode
 * with paging off and flat segments, EAX the multiboot magic, EBX the
 * multiboot information with mem_upper and the command line
 * "GUEST.elf ARGS" at the addresses kmod/multiboot.c uses. Devices: COM1
 * (output to stdout; LSR says empty), isa-debug-exit at 0xf4 (its value
 * is the exit status), fw_cfg's CPU count and RAM size; other ports read
 * all-ones and drop writes, as do MMIO accesses.
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
/* kmod/multiboot.h: where the loader leaves its information */
#define MB_MMAP_ADDR		0x9000
#define MB_INFO_ADDR		0x9500
#define MB_LOADER_NAME_ADDR	0x9700
#define MB_CMDLINE_ADDR		0x9800
#define MB_AREA_END		(MB_CMDLINE_ADDR + 4096)
#define MB_LOW_MEM_KB		640
#define MB_FIRMWARE_HIGH_KB	128
#define MB_LOADER_MAGIC		0x2badb002
#define MB_INFO_FLAGS		0x24f	/* memory, cmdline, mods, mmap, name */
#define MB_AVAILABLE		1
#define MB_RESERVED		2

#define COM1			0x3f8
#define COM1_LCR		(COM1 + 3)
#define COM1_LSR		(COM1 + 5)
#define LCR_DLAB		0x80
#define LSR_THR_EMPTY		0x60
#define DEBUG_EXIT_PORT		0xf4
#define FW_CFG_SELECTOR		0x510
#define FW_CFG_DATA		0x511
#define FW_CFG_RAM_SIZE		0x03
#define FW_CFG_NB_CPUS		0x05

#define TSS_ADDR		0xfffbd000	/* where QEMU puts it too */
#define CPUID_ENTRIES_MAX	256
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

struct vm {
	int kvm, fd, vcpu;
	struct kvm_run *run;
	uint8_t *ram;
	uint64_t ram_size;
	uint8_t lcr;
	uint16_t fw_cfg_key;
	uint32_t fw_cfg_offset;
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

/* The PT_LOAD segments into RAM; returns the entry point. */
static uint32_t load_elf(struct vm *vm, const uint8_t *buf, size_t len,
			 const char *path)
{
	const Elf32_Ehdr *eh = (const void *)buf;
	unsigned int i;

	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS32 || eh->e_machine != EM_386 ||
	    eh->e_phentsize != sizeof(Elf32_Phdr) ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr) > len)
		die("%s: not an ELF32 i386 executable", path);
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf32_Phdr *ph = (const void *)(buf + eh->e_phoff +
						      i * sizeof(*ph));

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		if (ph->p_filesz > ph->p_memsz ||
		    (uint64_t)ph->p_offset + ph->p_filesz > len ||
		    (uint64_t)ph->p_paddr + ph->p_memsz > vm->ram_size ||
		    ph->p_paddr < MB_AREA_END)
			die("%s: segment at %#x does not fit", path, ph->p_paddr);
		memcpy(vm->ram + ph->p_paddr, buf + ph->p_offset, ph->p_filesz);
		memset(vm->ram + ph->p_paddr + ph->p_filesz, 0,
		       ph->p_memsz - ph->p_filesz);
	}
	if (eh->e_entry >= vm->ram_size)
		die("%s: entry point %#x outside RAM", path, eh->e_entry);
	return eh->e_entry;
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
static uint32_t build_multiboot(struct vm *vm, const char *cmdline)
{
	static const char loader[] = "kvm-run";
	struct multiboot_mmap_entry *mmap = (void *)(vm->ram + MB_MMAP_ADDR);
	struct multiboot_info *info = (void *)(vm->ram + MB_INFO_ADDR);
	uint64_t top = vm->ram_size - MB_FIRMWARE_HIGH_KB * KB;

	if (strlen(cmdline) >= MB_AREA_END - MB_CMDLINE_ADDR)
		die("command line too long");
	put_mmap(&mmap[0], 0, MB_LOW_MEM_KB * KB - KB, MB_AVAILABLE);
	put_mmap(&mmap[1], MB_LOW_MEM_KB * KB - KB, KB, MB_RESERVED);
	put_mmap(&mmap[2], 0xf0000, 0x10000, MB_RESERVED);
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
	return MB_INFO_ADDR;
}

static void set_cpuid(struct vm *vm)
{
	size_t size = sizeof(struct kvm_cpuid2) +
		      CPUID_ENTRIES_MAX * sizeof(struct kvm_cpuid_entry2);
	struct kvm_cpuid2 *cpuid = calloc(1, size);

	if (!cpuid)
		die("%s", strerror(ENOMEM));
	cpuid->nent = CPUID_ENTRIES_MAX;
	if (ioctl(vm->kvm, KVM_GET_SUPPORTED_CPUID, cpuid) ||
	    ioctl(vm->vcpu, KVM_SET_CPUID2, cpuid))
		die("CPUID: %s", strerror(errno));
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

/* Protected mode, paging off, flat 4 GiB segments: multiboot's state. */
static void set_boot_state(struct vm *vm, uint32_t entry, uint32_t mbi)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = {
		.rip = entry, .rax = MB_LOADER_MAGIC, .rbx = mbi, .rflags = 2,
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

static uint32_t port_in(struct vm *vm, uint16_t port, int size)
{
	uint32_t value = 0;
	int i;

	switch (port) {
	case COM1_LSR:
		return LSR_THR_EMPTY;
	case COM1_LCR:
		return vm->lcr;
	case FW_CFG_DATA:
		for (i = 0; i < size; i++)
			value |= (uint32_t)fw_cfg_byte(vm) << (8 * i);
		return value;
	}
	if (port > COM1 && port < COM1 + 8)
		return 0;
	return 0xffffffff;
}

/* Return: 1 when the guest wrote its exit status, in *status. */
static int port_out(struct vm *vm, uint16_t port, uint32_t value,
		    int *status)
{
	switch (port) {
	case COM1:
		if (!(vm->lcr & LCR_DLAB))
			putchar(value & 0xff);
		break;
	case COM1_LCR:
		vm->lcr = value;
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

/* Return: the guest's exit status. */
static int run_guest(struct vm *vm)
{
	struct kvm_run *run = vm->run;
	int status;

	for (;;) {
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
			if (!run->mmio.is_write)
				memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
			break;
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_HLT:
			die("the guest halted");
		case KVM_EXIT_SHUTDOWN:
			die("the guest shut down (a triple fault)");
		case KVM_EXIT_FAIL_ENTRY:
			die("VM entry failed: hardware reason %#llx",
			    (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		case KVM_EXIT_INTERNAL_ERROR:
			die("KVM internal error, suberror %u",
			    run->internal.suberror);
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
	fprintf(stderr, "usage: kvm-run [--mem MIB] [--cmdline ARGS] [--stats FILE] GUEST.elf\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *args = NULL, *stats = NULL, *path;
	unsigned long mem_mb = 32;
	struct vm vm = {};
	uint32_t entry, mbi;
	char *cmdline, *end;
	size_t len;
	uint8_t *image;
	int i, status;

	for (i = 1; i < argc - 1 && argv[i][0] == '-'; i += 2) {
		if (!strcmp(argv[i], "--mem")) {
			mem_mb = strtoul(argv[i + 1], &end, 10);
			if (*end || mem_mb < 2 || mem_mb > 3072)
				return usage();
		} else if (!strcmp(argv[i], "--cmdline")) {
			args = argv[i + 1];
		} else if (!strcmp(argv[i], "--stats")) {
			stats = argv[i + 1];
		} else {
			return usage();
		}
	}
	if (i != argc - 1)
		return usage();
	path = argv[i];
	if (asprintf(&cmdline, "%s%s%s", path, args ? " " : "",
		     args ? args : "") < 0)
		die("%s", strerror(ENOMEM));

	image = read_file(path, &len);
	create_vm(&vm, (uint64_t)mem_mb * MB);
	entry = load_elf(&vm, image, len, path);
	mbi = build_multiboot(&vm, cmdline);
	set_boot_state(&vm, entry, mbi);
	status = run_guest(&vm);
	fflush(stdout);
	if (stats)
		write_stats(&vm, stats);
	return status;
}
