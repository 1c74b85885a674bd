/* SPDX-License-Identifier: GPL-2.0 */
/* The devices of a VM's PC; dev/pio.c routes the guest's port I/O to them. */
#ifndef SHADOWVMM_DEV_DEVICES_H
#define SHADOWVMM_DEV_DEVICES_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/shadowvmm.h>
#include "dev/fw_cfg.h"
#include "dev/ioapic.h"
#include "dev/rtc.h"
#include "dev/uart.h"

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

#endif
