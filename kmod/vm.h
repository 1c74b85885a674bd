/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_VM_H
#define SHADOWVMM_VM_H

#include <linux/notifier.h>
#include "vm_types.h"

/* Why an operation was refused: a message naming the attribute at fault. */
struct shadowvmm_why {
	const char *msg;
	int attr;		/* enum shadowvmm_attr */
	unsigned int nth;	/* which of a repeated attribute: 0 first */
};

int shadowvmm_vm_register_notifier(struct notifier_block *nb);
void shadowvmm_vm_unregister_notifier(struct notifier_block *nb);
int shadowvmm_vm_create(u64 mem_size, u32 mmu_pages_max,
			struct shadowvmm_vm **out, struct shadowvmm_why *why);
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
u32 shadowvmm_vm_status(struct shadowvmm_vm *vm, struct shadowvmm_stop *stop);
int shadowvmm_vm_translate(struct shadowvmm_vm *vm, u64 gva, u32 access,
			   struct shadowvmm_translation *t,
			   struct shadowvmm_why *why);

#endif
