/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_CONSOLE_H
#define SHADOWVMM_CTL_CONSOLE_H

#include <signal.h>
#include <stdint.h>
#include <netlink/socket.h>
#include "genl.h"
#include "output.h"

/* A reader's place in a VM's console stream. */
struct console {
	uint32_t id;
	uint64_t serial;	/* the VM's VM_SERIAL; 0 until known */
	uint64_t offset;	/* next byte to ask for */
	uint64_t dropped;	/* bytes the ring lost before we read them */
};

int console_read(struct svmm *s, struct console *c);
int console_drain(struct svmm *s, struct console *c);
int console_follow(struct svmm *s, struct nl_sock *events, struct console *c,
		   volatile sig_atomic_t *interrupted, struct vm_info *stopped);
void console_report_dropped(const struct console *c);

#endif
