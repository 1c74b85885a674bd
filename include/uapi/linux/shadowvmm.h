/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * shadowvmm: a small VT-x VMM with shadow page tables.
 *
 * This header is the whole contract between the kernel module and user space.
 * The module registers the generic netlink family SHADOWVMM_GENL_NAME; every
 * command that changes state or reveals guest memory needs CAP_NET_ADMIN
 * (GENL_ADMIN_PERM). Every rejection carries an extended ACK message and, where
 * one attribute is at fault, its offset.
 *
 * Life of a VM:
 *
 *   SHADOWVMM_CMD_VM_CREATE   { MEM_SIZE } -> { VM_ID, VM_SERIAL, ... }
 *   SHADOWVMM_CMD_MEM_WRITE   { VM_ID, GPA, DATA }          (repeat, in chunks)
 *   SHADOWVMM_CMD_BOOT_SET    { VM_ID, BOOT_ENTRY, [BOOT_CMDLINE],
 *                               [BOOT_PROTOCOL], [BOOT_MODULE]... }
 *   SHADOWVMM_CMD_VM_START    { VM_ID }
 *   ... the vCPU runs; SHADOWVMM_CMD_CONSOLE_READ streams COM1 output,
 *       SHADOWVMM_CMD_CONSOLE_WRITE { VM_ID, DATA } types into COM1 ...
 *   SHADOWVMM_CMD_VM_NOTIFY   multicast on "events" (EVENT: what happened)
 *   SHADOWVMM_CMD_VM_STOP     { VM_ID }                      (optional)
 *   SHADOWVMM_CMD_VM_DESTROY  { VM_ID }
 *
 * Looking inside a VM that has started:
 *
 *   SHADOWVMM_CMD_TRANSLATE   { VM_ID, GVA, [ACCESS] } -> { VM_ID, GVA,
 *	PAGING_MODE, GUEST_WALK, GPA or PF_ERROR_CODE, SHADOW_WALK, [HPA] }
 *	the guest's page walk for GVA level by level, as the hardware would
 *	do it for ACCESS (without setting A/D bits), next to the shadow
 *	entries the hardware walks for it now.
 *
 * A VM is CREATED (memory and boot state may be written), then RUNNING, then
 * STOPPED for good; SHADOWVMM_A_STOP_REASON says why it stopped.
 *
 * Events: members of the multicast group SHADOWVMM_MCGRP_EVENTS (which needs
 * CAP_NET_ADMIN to join) get a SHADOWVMM_CMD_VM_NOTIFY message, the VM
 * described as VM_GET describes it plus EVENT and TIMESTAMP, when a VM is
 * created, starts, ends (halted, crashed or stopped: STOP_REASON and its
 * details say how) and is destroyed, in that order for any one VM.
 *
 * Boot follows QEMU's -kernel in one of two protocols (BOOT_PROTOCOL). In
 * both the VMM writes the boot information, the command line and the
 * module list into guest RAM below 1 MiB, then starts the vCPU in 32-bit
 * protected mode with paging off and EBX = the address of the information
 * structure: for multiboot v1, EAX = 0x2BADB002 and EBX points at the
 * multiboot information; for PVH (Xen's direct boot, which an x86_64
 * vmlinux offers through its XEN_ELFNOTE_PHYS32_ENTRY note), EBX points at
 * a struct hvm_start_info, version 1, with a memory map. Modules (an
 * initrd is PVH's module 0) are written to RAM with MEM_WRITE first.
 *
 * Attributes:
 *
 * SHADOWVMM_A_VM_ID: u32, the VM's id, chosen by the kernel at VM_CREATE.
 *	Once the VM is destroyed its id goes to the next VM created.
 * SHADOWVMM_A_MEM_SIZE: u64, guest RAM in bytes, a multiple of 4 KiB, at
 *	least SHADOWVMM_MEM_SIZE_MIN and at most SHADOWVMM_MEM_SIZE_MAX and
 *	the module parameter max_mem_mb.
 * SHADOWVMM_A_VM_STATE: u32, enum shadowvmm_vm_state.
 * SHADOWVMM_A_GPA: u64, guest physical address of DATA in MEM_WRITE.
 * SHADOWVMM_A_DATA: binary, at most SHADOWVMM_MEM_CHUNK_MAX bytes; MEM_WRITE
 *	payload, console bytes in a CONSOLE_READ reply, or bytes for the
 *	guest's COM1 in CONSOLE_WRITE (at most SHADOWVMM_CONSOLE_INPUT_MAX,
 *	all queued or, when they do not fit beside what the guest has not
 *	read yet, none: ENOBUFS).
 * SHADOWVMM_A_BOOT_ENTRY: u32, the guest's entry point (EIP), inside RAM.
 * SHADOWVMM_A_BOOT_CMDLINE: NUL-terminated string of at most
 *	SHADOWVMM_CMDLINE_MAX bytes including the NUL.
 * SHADOWVMM_A_BOOT_PROTOCOL: u32, enum shadowvmm_boot_protocol; multiboot
 *	when absent.
 * SHADOWVMM_A_BOOT_MODULE: nested, one module already in guest RAM, in
 *	the order the kernel lists them, at most SHADOWVMM_BOOT_MODULES_MAX:
 *	MODULE_ADDR, MODULE_SIZE and optionally MODULE_CMDLINE.
 * SHADOWVMM_A_MODULE_ADDR: u64, where the module starts: page-aligned, at
 *	or above 1 MiB.
 * SHADOWVMM_A_MODULE_SIZE: u64, its size, not 0; it ends inside RAM and
 *	overlaps no other module.
 * SHADOWVMM_A_MODULE_CMDLINE: NUL-terminated string of at most
 *	SHADOWVMM_MODULE_CMDLINE_MAX bytes including the NUL.
 * SHADOWVMM_A_STOP_REASON: u32, enum shadowvmm_stop_reason.
 * SHADOWVMM_A_EXIT_STATUS: u32, the value the guest wrote to the
 *	isa-debug-exit port; present when STOP_REASON is DEBUG_EXIT.
 * SHADOWVMM_A_EXIT_REASON: u32, the VMX basic exit reason that stopped the
 *	VM (UNHANDLED_EXIT), or the VM-instruction error (ENTRY_FAILED).
 * SHADOWVMM_A_EXIT_QUALIFICATION: u64, the exit qualification with it.
 * SHADOWVMM_A_GUEST_RIP: u64, guest RIP when the VM stopped.
 * SHADOWVMM_A_GUEST_ADDR: u64, the guest address at fault (BAD_ACCESS).
 * SHADOWVMM_A_CONSOLE_OFFSET: u64, in CONSOLE_READ requests the position in
 *	the VM's console stream to read from; in replies the position just
 *	after the returned DATA (the next request's offset).
 * SHADOWVMM_A_CONSOLE_DROPPED: u64, bytes between the requested offset and
 *	the oldest byte still buffered: output the reader was too slow for.
 * SHADOWVMM_A_STATS: nested, a list of SHADOWVMM_A_STAT.
 * SHADOWVMM_A_STAT: nested, one counter: SHADOWVMM_A_STAT_NAME (string),
 *	SHADOWVMM_A_STAT_VALUE (u64), SHADOWVMM_A_STAT_KIND (u32,
 *	enum shadowvmm_stat_kind), SHADOWVMM_A_STAT_UNIT (u32,
 *	enum shadowvmm_stat_unit).
 * SHADOWVMM_A_MMU_PAGES_MAX: u32, the most shadow page-table pages the VM
 *	may use (the oldest are recycled beyond it); optional at VM_CREATE,
 *	at least SHADOWVMM_MMU_PAGES_MIN and at most the module parameter
 *	mmu_pages_max, which is also the default.
 * SHADOWVMM_A_GVA: u64, a guest virtual (linear) address.
 * SHADOWVMM_A_ACCESS: u32, SHADOWVMM_ACCESS_* flags: the access to
 *	translate for (default: a supervisor read).
 * SHADOWVMM_A_PAGING_MODE: u32, enum shadowvmm_paging_mode.
 * SHADOWVMM_A_GUEST_WALK, SHADOWVMM_A_SHADOW_WALK: nested, a list of
 *	SHADOWVMM_A_WALK_ENTRY from the top level down.
 * SHADOWVMM_A_WALK_ENTRY: nested, one table entry: SHADOWVMM_A_WALK_LEVEL
 *	(u32, 1 holds PTEs), SHADOWVMM_A_WALK_VALUE (u64, the entry), and for
 *	the guest's entries SHADOWVMM_A_WALK_ADDR (u64, where it lives in
 *	guest physical memory; absent for PAE PDPTEs, held in the CPU).
 * SHADOWVMM_A_PF_ERROR_CODE: u32, the #PF error code the guest would get.
 * SHADOWVMM_A_HPA: u64, the host physical address the shadow maps GVA to.
 * SHADOWVMM_A_EVENT: u32, enum shadowvmm_vm_event: what a VM_NOTIFY reports.
 * SHADOWVMM_A_TIMESTAMP: u64, when the event happened, in nanoseconds since
 *	the epoch (CLOCK_REALTIME).
 * SHADOWVMM_A_VM_SERIAL: u64, the VM's serial number, given at VM_CREATE
 *	and never given to another VM while the module stays loaded: it tells
 *	one VM from a later one that got the same VM_ID. VM_CREATE's reply,
 *	VM_GET and every VM_NOTIFY carry it.
 */

#ifndef _UAPI_LINUX_SHADOWVMM_H
#define _UAPI_LINUX_SHADOWVMM_H

#define SHADOWVMM_GENL_NAME		"shadowvmm"
#define SHADOWVMM_GENL_VERSION		1
#define SHADOWVMM_MCGRP_EVENTS		"events"

#define SHADOWVMM_MEM_SIZE_MIN		(2ULL << 20)
/* RAM ends below the PC's 32-bit device hole at 0xC0000000. */
#define SHADOWVMM_MEM_SIZE_MAX		(3ULL << 30)
#define SHADOWVMM_MEM_CHUNK_MAX		16384
#define SHADOWVMM_CMDLINE_MAX		4096
#define SHADOWVMM_BOOT_MODULES_MAX	8
#define SHADOWVMM_MODULE_CMDLINE_MAX	256
#define SHADOWVMM_CONSOLE_INPUT_MAX	4096
#define SHADOWVMM_STAT_NAME_MAX		32
#define SHADOWVMM_MMU_PAGES_MIN		16

/* SHADOWVMM_A_ACCESS: the page-fault error code's W, U and I/D bits. */
#define SHADOWVMM_ACCESS_WRITE		(1U << 1)
#define SHADOWVMM_ACCESS_USER		(1U << 2)
#define SHADOWVMM_ACCESS_FETCH		(1U << 4)

enum shadowvmm_cmd {
	SHADOWVMM_CMD_UNSPEC,
	SHADOWVMM_CMD_VM_CREATE,
	SHADOWVMM_CMD_VM_DESTROY,
	SHADOWVMM_CMD_VM_GET,		/* doit for one VM, dumpit for all */
	SHADOWVMM_CMD_MEM_WRITE,
	SHADOWVMM_CMD_BOOT_SET,
	SHADOWVMM_CMD_VM_START,
	SHADOWVMM_CMD_VM_STOP,
	SHADOWVMM_CMD_STATS_GET,
	SHADOWVMM_CMD_CONSOLE_READ,
	SHADOWVMM_CMD_VM_NOTIFY,	/* multicast only: a VM changed state */
	SHADOWVMM_CMD_TRANSLATE,

	SHADOWVMM_CMD_CONSOLE_WRITE,
	__SHADOWVMM_CMD_MAX
};

#define SHADOWVMM_CMD_MAX (__SHADOWVMM_CMD_MAX - 1)

enum shadowvmm_attr {
	SHADOWVMM_A_UNSPEC,
	SHADOWVMM_A_PAD,
	SHADOWVMM_A_VM_ID,
	SHADOWVMM_A_MEM_SIZE,
	SHADOWVMM_A_VM_STATE,
	SHADOWVMM_A_GPA,
	SHADOWVMM_A_DATA,
	SHADOWVMM_A_BOOT_ENTRY,
	SHADOWVMM_A_BOOT_CMDLINE,
	SHADOWVMM_A_STOP_REASON,
	SHADOWVMM_A_EXIT_STATUS,
	SHADOWVMM_A_EXIT_REASON,
	SHADOWVMM_A_EXIT_QUALIFICATION,
	SHADOWVMM_A_GUEST_RIP,
	SHADOWVMM_A_GUEST_ADDR,
	SHADOWVMM_A_CONSOLE_OFFSET,
	SHADOWVMM_A_CONSOLE_DROPPED,
	SHADOWVMM_A_STATS,
	SHADOWVMM_A_STAT,
	SHADOWVMM_A_STAT_NAME,
	SHADOWVMM_A_STAT_VALUE,
	SHADOWVMM_A_STAT_KIND,
	SHADOWVMM_A_MMU_PAGES_MAX,
	SHADOWVMM_A_GVA,
	SHADOWVMM_A_ACCESS,
	SHADOWVMM_A_PAGING_MODE,
	SHADOWVMM_A_GUEST_WALK,
	SHADOWVMM_A_SHADOW_WALK,
	SHADOWVMM_A_WALK_ENTRY,
	SHADOWVMM_A_WALK_LEVEL,
	SHADOWVMM_A_WALK_VALUE,
	SHADOWVMM_A_WALK_ADDR,
	SHADOWVMM_A_PF_ERROR_CODE,
	SHADOWVMM_A_HPA,
	SHADOWVMM_A_EVENT,
	SHADOWVMM_A_TIMESTAMP,
	SHADOWVMM_A_STAT_UNIT,
	SHADOWVMM_A_VM_SERIAL,
	SHADOWVMM_A_BOOT_PROTOCOL,
	SHADOWVMM_A_BOOT_MODULE,
	SHADOWVMM_A_MODULE_ADDR,
	SHADOWVMM_A_MODULE_SIZE,
	SHADOWVMM_A_MODULE_CMDLINE,

	__SHADOWVMM_A_MAX
};

#define SHADOWVMM_A_MAX (__SHADOWVMM_A_MAX - 1)

enum shadowvmm_boot_protocol {
	SHADOWVMM_BOOT_MULTIBOOT,	/* multiboot v1 */
	SHADOWVMM_BOOT_PVH,		/* hvm_start_info, as for Xen PVH */
};

enum shadowvmm_vm_state {
	SHADOWVMM_VM_CREATED,	/* memory and boot state may be written */
	SHADOWVMM_VM_RUNNING,
	SHADOWVMM_VM_STOPPED,	/* for good: see the stop reason */
};

enum shadowvmm_stop_reason {
	SHADOWVMM_STOP_NONE,		/* not stopped yet */
	SHADOWVMM_STOP_DEBUG_EXIT,	/* guest wrote its exit status */
	SHADOWVMM_STOP_HALT,		/* HLT with nothing left to wake it */
	SHADOWVMM_STOP_TRIPLE_FAULT,
	SHADOWVMM_STOP_UNHANDLED_EXIT,	/* an exit the VMM does not handle */
	SHADOWVMM_STOP_ENTRY_FAILED,	/* VMLAUNCH/VMRESUME refused the state */
	SHADOWVMM_STOP_BAD_ACCESS,	/* guest touched memory it has not got */
	SHADOWVMM_STOP_USER,		/* SHADOWVMM_CMD_VM_STOP */
	SHADOWVMM_STOP_HOST,		/* module unload or reboot */
	SHADOWVMM_STOP_NO_MEMORY,	/* the host could not back the shadow MMU */
};

enum shadowvmm_paging_mode {
	SHADOWVMM_PAGING_OFF,
	SHADOWVMM_PAGING_32,		/* two levels, 4-byte entries */
	SHADOWVMM_PAGING_PAE,		/* PDPTEs from CR3 load, then two levels */
	SHADOWVMM_PAGING_4LEVEL,	/* long mode */
};

enum shadowvmm_stat_kind {
	SHADOWVMM_STAT_CUMULATIVE,	/* only grows: rates make sense */
	SHADOWVMM_STAT_INSTANT,		/* a current level */
	SHADOWVMM_STAT_PEAK,		/* the highest level seen */
};

enum shadowvmm_stat_unit {
	SHADOWVMM_STAT_UNIT_NONE,	/* a count of events or things */
	SHADOWVMM_STAT_UNIT_CYCLES,	/* TSC cycles */
	SHADOWVMM_STAT_UNIT_BYTES,
	SHADOWVMM_STAT_UNIT_PAGES,	/* 4 KiB pages */
};

/* SHADOWVMM_A_EVENT: the step in a VM's life that a VM_NOTIFY reports. */
enum shadowvmm_vm_event {
	SHADOWVMM_EVENT_CREATED,
	SHADOWVMM_EVENT_STARTED,
	SHADOWVMM_EVENT_HALTED,		/* the guest ended: DEBUG_EXIT or HALT */
	SHADOWVMM_EVENT_CRASHED,	/* TRIPLE_FAULT, UNHANDLED_EXIT,
					 * ENTRY_FAILED, BAD_ACCESS or NO_MEMORY
					 */
	SHADOWVMM_EVENT_STOPPED,	/* by the user or the host */
	SHADOWVMM_EVENT_DESTROYED,
};

#endif /* _UAPI_LINUX_SHADOWVMM_H */
