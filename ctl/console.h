/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_CONSOLE_H
#define SHADOWVMM_CTL_CONSOLE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <termios.h>
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

/* The byte that detaches from a console on a terminal: Ctrl-], as virsh. */
#define CONSOLE_DETACH_KEY	0x1d
#define CONSOLE_INPUT_CHUNK	256

/* What we send a VM's COM1: stdin, in raw mode when it is a terminal. */
struct console_input {
	int fd;			/* -1: none */
	bool tty;		/* then in raw mode, Ctrl-] detaches */
	bool eof;
	struct termios saved;
	uint8_t buf[CONSOLE_INPUT_CHUNK];
	size_t len;		/* read, not yet accepted by the VM */
};

/* console_follow()'s results besides 0 (the VM stopped) and -1. */
#define CONSOLE_INTERRUPTED	1
#define CONSOLE_DETACHED	2

int console_read(struct svmm *s, struct console *c);
int console_drain(struct svmm *s, struct console *c);
int console_input_open(struct console_input *in, int fd);
void console_input_close(struct console_input *in);
int console_follow(struct svmm *s, struct nl_sock *events, struct console *c,
		   struct console_input *in, volatile sig_atomic_t *interrupted,
		   struct vm_info *stopped);
void console_report_dropped(const struct console *c);

#endif
