// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's console: CONSOLE_READ from an offset, raw bytes to stdout, and
 * following the stream until the VM stops, with stdin going the other way
 * (CONSOLE_WRITE) into the guest's COM1.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netlink/genl/genl.h>
#include "console.h"
#include "vmops.h"

/* How long to wait for an event between two reads of an idle console. */
#define POLL_MS		20
/* Idle polls before asking for the VM's state, in case an event was lost. */
#define CHECK_EVERY	25

/* Console bytes are raw guest output: no stdio buffering or translation. */
static int write_all(const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(STDOUT_FILENO, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

struct chunk {
	struct console *c;
	int len;
	int write_err;
};

static int on_console(struct nlattr **tb, void *arg)
{
	struct nlattr *data = tb[SHADOWVMM_A_DATA];
	struct chunk *ch = arg;
	int err;

	if (!tb[SHADOWVMM_A_CONSOLE_OFFSET])
		return -EPROTO;
	if (tb[SHADOWVMM_A_CONSOLE_DROPPED])
		ch->c->dropped += nla_get_u64(tb[SHADOWVMM_A_CONSOLE_DROPPED]);
	ch->c->offset = nla_get_u64(tb[SHADOWVMM_A_CONSOLE_OFFSET]);
	if (data && nla_len(data) > 0) {
		err = write_all(nla_data(data), nla_len(data));
		if (err) {
			ch->write_err = err;
			return err;
		}
		ch->len = nla_len(data);
	}
	return 0;
}

/**
 * console_read() - copy the next piece of console output to stdout
 *
 * Return: bytes copied (0: nothing new), or -1 with one line on stderr.
 */
int console_read(struct svmm *s, struct console *c)
{
	struct nl_msg *msg = svmm_msg(s, SHADOWVMM_CMD_CONSOLE_READ, 0);
	struct chunk ch = { .c = c };
	int err;

	if (!msg) {
		fprintf(stderr, "shadowvmm: %s\n", strerror(ENOMEM));
		return -1;
	}
	if (nla_put_u32(msg, SHADOWVMM_A_VM_ID, c->id) < 0 ||
	    nla_put_u64(msg, SHADOWVMM_A_CONSOLE_OFFSET, c->offset) < 0) {
		nlmsg_free(msg);
		fprintf(stderr, "shadowvmm: %s\n", strerror(ENOMEM));
		return -1;
	}
	err = svmm_request(s, msg, on_console, &ch);
	if (ch.write_err) {
		fprintf(stderr, "shadowvmm: console: write: %s\n", strerror(-ch.write_err));
		return -1;
	}
	if (err) {
		vm_perror(s, "read console of", c->id, err);
		return -1;
	}
	return ch.len;
}

/* Read until the console has nothing more. Return: 0, or -1 (printed). */
int console_drain(struct svmm *s, struct console *c)
{
	int n;

	do {
		n = console_read(s, c);
	} while (n > 0);
	return n;
}

struct watch {
	struct console *c;
	bool stopped;
	struct vm_info *vm;
};

/* Only our VM's stop: an earlier VM with our id may have left events. */
static int on_event(struct nlattr **tb, void *arg)
{
	struct watch *w = arg;
	struct vm_info vm;

	if (vm_info_parse(tb, &vm) || !vm_info_is(&vm, w->c->id, w->c->serial) ||
	    vm.state != SHADOWVMM_VM_STOPPED)
		return 0;
	*w->vm = vm;
	w->stopped = true;
	return 0;
}

/*
 * Ask the kernel directly, for when events may have been missed. The
 * first answer gives the serial, if we did not have it; a later VM with
 * our id means ours was destroyed under us.
 */
static int check_state(struct svmm *s, struct watch *w)
{
	struct console *c = w->c;
	int err = vm_get(s, c->id, w->vm);

	if (!err && !c->serial)
		c->serial = w->vm->serial;
	if (!err && !vm_info_is(w->vm, c->id, c->serial))
		err = -ENOENT;
	if (err) {
		vm_perror(s, "get", c->id, err);
		return -1;
	}
	w->stopped = w->vm->state == SHADOWVMM_VM_STOPPED;
	return 0;
}

/**
 * console_input_open() - forward @fd to the guest
 * @in: the input to set up
 * @fd: usually stdin, or -1 for none; a terminal goes into raw mode (no
 *	echo, no line editing, no signals: Ctrl-C is the guest's) until
 *	console_input_close(), and Ctrl-] on it detaches
 *
 * Return: 0, or -1 with one line on stderr.
 */
int console_input_open(struct console_input *in, int fd)
{
	struct termios raw;

	memset(in, 0, sizeof(*in));
	in->fd = fd;
	in->tty = fd >= 0 && isatty(fd);
	if (!in->tty)
		return 0;
	if (tcgetattr(fd, &in->saved)) {
		fprintf(stderr, "shadowvmm: stdin: %s\n", strerror(errno));
		return -1;
	}
	raw = in->saved;
	/* Input only: the guest's output keeps the terminal's newline handling. */
	raw.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
			 ICRNL | IXON);
	raw.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &raw)) {
		fprintf(stderr, "shadowvmm: stdin: %s\n", strerror(errno));
		return -1;
	}
	fprintf(stderr, "shadowvmm: connected to the console; Ctrl-] to detach\r\n");
	return 0;
}

void console_input_close(struct console_input *in)
{
	if (in->fd >= 0 && in->tty)
		tcsetattr(in->fd, TCSANOW, &in->saved);
	in->fd = -1;
}

/*
 * Read what @in has and send it. Return: 0, CONSOLE_DETACHED, or -1
 * (printed). A VM that has no room yet keeps the bytes for the next try.
 */
static int forward_input(struct svmm *s, struct console *c,
			 struct console_input *in, bool readable)
{
	uint8_t *key;
	ssize_t n;
	int err;

	if (readable && !in->len) {
		n = read(in->fd, in->buf, sizeof(in->buf));
		if (n == 0)
			in->eof = true;
		if (n < 0 && errno != EINTR && errno != EAGAIN) {
			fprintf(stderr, "shadowvmm: stdin: %s\n", strerror(errno));
			in->eof = true;
		}
		in->len = n > 0 ? n : 0;
		key = in->tty ? memchr(in->buf, CONSOLE_DETACH_KEY, in->len) : NULL;
		if (key) {
			in->len = key - in->buf;
			if (in->len)
				vm_console_write(s, c->id, in->buf, in->len);
			return CONSOLE_DETACHED;
		}
	}
	if (!in->len)
		return 0;
	err = vm_console_write(s, c->id, in->buf, in->len);
	if (err == -ENOBUFS)
		return 0;
	in->len = 0;
	/* A VM that stopped meanwhile takes nothing: its stop event follows. */
	if (err && err != -ESRCH) {
		vm_perror(s, "write to the console of", c->id, err);
		return -1;
	}
	return 0;
}

/**
 * console_follow() - stream the console until the VM stops
 * @events: a socket in the "events" group, joined before the VM started
 * @c: where to read from; @c->serial names the VM's life to follow, or is
 *     0 for the VM that has @c->id now
 * @in: input to forward to the guest, or NULL
 * @stopped: filled with the stopped VM's description
 *
 * Stop events are the fast path; a VM_GET now and then covers an event
 * that was lost (socket overrun) or sent before we listened.
 *
 * Return: 0 when the VM stopped (its console drained), CONSOLE_INTERRUPTED
 * if *@interrupted was set, CONSOLE_DETACHED on Ctrl-] from a terminal,
 * -1 on an error (printed).
 */
int console_follow(struct svmm *s, struct nl_sock *events, struct console *c,
		   struct console_input *in, volatile sig_atomic_t *interrupted,
		   struct vm_info *stopped)
{
	struct pollfd pfd[2] = {
		{ .fd = nl_socket_get_fd(events), .events = POLLIN },
		{ .fd = -1, .events = POLLIN },
	};
	struct watch w = { .c = c, .vm = stopped };
	unsigned int idle = 0;
	int n, err;

	if (check_state(s, &w))
		return -1;
	while (!w.stopped) {
		if (*interrupted)
			return CONSOLE_INTERRUPTED;
		if (in && in->fd >= 0) {
			n = forward_input(s, c, in,
					  pfd[1].revents & (POLLIN | POLLHUP));
			if (n)
				return n;
			/* Bytes the VM has no room for yet: read no more. */
			pfd[1].fd = in->eof || in->len ? -1 : in->fd;
		}
		n = console_read(s, c);
		if (n < 0)
			return -1;
		/* While output flows, only look whether there is input. */
		if (poll(pfd, 2, n > 0 ? 0 : POLL_MS) < 0 && errno != EINTR) {
			fprintf(stderr, "shadowvmm: poll: %s\n", strerror(errno));
			return -1;
		}
		err = pfd[0].revents ? svmm_events_read(events, on_event, &w) : 0;
		if (w.stopped)
			break;
		if (n > 0)
			idle = 0;
		if ((err || (!n && ++idle % CHECK_EVERY == 0)) &&
		    check_state(s, &w))
			return -1;
	}
	/* Output written just before the stop is still in the ring. */
	return console_drain(s, c) < 0 ? -1 : 0;
}

/* One line, once the reader is done: output it will never see. */
void console_report_dropped(const struct console *c)
{
	if (c->dropped)
		fprintf(stderr, "shadowvmm: console: %" PRIu64 " bytes dropped (reader too slow)\n",
			c->dropped);
}
