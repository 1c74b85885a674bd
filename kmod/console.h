/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CONSOLE_H
#define SHADOWVMM_CONSOLE_H

#include <linux/spinlock.h>
#include <linux/types.h>

#define SHADOWVMM_CONSOLE_SIZE	(64 * 1024)

/*
 * A VM's serial output. Readers address it by stream offset (bytes since
 * the VM started), so any number of readers can follow it and each learns
 * exactly how much it missed when it fell more than the ring behind.
 */
struct shadowvmm_console {
	spinlock_t lock;	/* protects written and the ring contents */
	u64 written;
	u8 *ring;
};

int shadowvmm_console_init(struct shadowvmm_console *con);
void shadowvmm_console_free(struct shadowvmm_console *con);
void shadowvmm_console_put(struct shadowvmm_console *con, const u8 *bytes,
			   size_t len);
size_t shadowvmm_console_get(struct shadowvmm_console *con, u64 offset,
			     u8 *buf, size_t max, u64 *next, u64 *dropped);

#endif
