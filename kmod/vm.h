/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_VM_H
#define SHADOWVMM_VM_H

#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/shadowvmm.h>
#include "boot.h"
#include "console.h"
#include "dev/fw_cfg.h"
#include "dev/ioapic.h"
#include "dev/rtc.h"
#include "dev/uart.h"
#include "gmem.h"
#include "stats.h"
#include "vcpu.h"

/*
 * What the console sends the guest, waiting for room in COM1's FIFO. The
 * only device state another thread touches (netlink, under @lock); the
 * vCPU's thread moves it into the UART before each entry.
 */
struct shadowvmm_console_input {
	spinlock_t lock;	/* guards the rest */
	u32 head, len;
	u8 buf[SHADOWVMM_CONSOLE_INPUT_MAX];
};

struct shadowvmm_devices {
	struct shadowvmm_uart com1;
	struct shadowvmm_ioapic ioapic;
	struct shadowvmm_fw_cfg fw_cfg;
	struct shadowvmm_rtc rtc;
	u8 port_b;		/* 0x61: the enable bits written */
	struct shadowvmm_console_input input;
};

struct shadowvmm_vm {
	u32 id;
	/* Never given to another VM while the module is loaded, unlike @id. */
	u64 serial;
	struct kref ref;
	/* Serialises control operations and guards state, boot and stop. */
	struct mutex lock;
	enum shadowvmm_vm_state state;

	struct shadowvmm_gmem gmem;
	u32 mmu_pages_max;	/* cap on the shadow MMU's pages */
	bool boot_set;
	bool dead;		/* destroyed: no more starts */
	struct shadowvmm_boot boot;

	struct shadowvmm_vcpu vcpu;
	struct task_struct *thread;
	struct completion stopped;

	struct shadowvmm_console console;
	struct shadowvmm_devices dev;
	struct shadowvmm_stats stats;
};

/* Why an operation was refused: a message naming the attribute at fault. */
struct shadowvmm_why {
	const char *msg;
	int attr;		/* enum shadowvmm_attr */
	unsigned int nth;	/* which of a repeated attribute: 0 first */
};

extern unsigned int shadowvmm_max_mem_mb;
extern unsigned int shadowvmm_max_vms;
extern unsigned int shadowvmm_mmu_pages_max;
extern bool shadowvmm_mmu_unsync;

int shadowvmm_vm_create(u64 mem_size, u32 mmu_pages_max,
			struct shadowvmm_vm **out, struct shadowvmm_why *why);
bool shadowvmm_vm_started(struct shadowvmm_vm *vm);
struct shadowvmm_vm *shadowvmm_vm_get(u32 id);
struct shadowvmm_vm *shadowvmm_vm_get_next(u32 *id);
unsigned int shadowvmm_vm_generation(void);
void shadowvmm_vm_put(struct shadowvmm_vm *vm);
int shadowvmm_vm_write_mem(struct shadowvmm_vm *vm, u64 gpa, const void *data,
			   size_t len, struct shadowvmm_why *why);
int shadowvmm_vm_set_boot(struct shadowvmm_vm *vm, struct shadowvmm_boot *boot,
			  struct shadowvmm_why *why);
int shadowvmm_vm_console_write(struct shadowvmm_vm *vm, const u8 *data,
			       size_t len, struct shadowvmm_why *why);
int shadowvmm_vm_start(struct shadowvmm_vm *vm, struct shadowvmm_why *why);
int shadowvmm_vm_stop(struct shadowvmm_vm *vm, struct shadowvmm_why *why);
int shadowvmm_vm_destroy(u32 id);
void shadowvmm_vm_destroy_all(void);
void shadowvmm_vm_stop_all(void);
void shadowvmm_vm_refuse_starts(void);

#endif
