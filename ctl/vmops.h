/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_VMOPS_H
#define SHADOWVMM_CTL_VMOPS_H

#include <signal.h>
#include <stdint.h>
#include "genl.h"
#include "image.h"
#include "output.h"
#include "stats.h"

int svmm_connect(struct svmm *s);
void vm_perror(const struct svmm *s, const char *op, uint32_t id, int err);

/* These return 0 or a negative errno and print nothing. */
int vm_get(struct svmm *s, uint32_t id, struct vm_info *vm);
int vm_op(struct svmm *s, uint8_t cmd, uint32_t id);
/* -ENOBUFS: the guest has not read enough of what it was sent before. */
int vm_console_write(struct svmm *s, uint32_t id, const uint8_t *data,
		     size_t len);
/* Appends to @l, which the caller frees. */
int vm_stats_get(struct svmm *s, uint32_t id, struct stat_list *l);
/*
 * @mmu_pages: SHADOWVMM_A_MMU_PAGES_MAX, or 0 for the module's default.
 * @vm: the new VM as the reply describes it: its id and serial.
 */
int vm_create(struct svmm *s, uint64_t mem_size, uint32_t mmu_pages,
	      struct vm_info *vm);

/* These print their error: they have several causes to tell apart. */
int vm_load(struct svmm *s, uint32_t id, const struct guest_image *img,
	    volatile sig_atomic_t *interrupted);

#endif
