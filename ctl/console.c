// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a VM's console: CONSOLE_READ from an offset, raw bytes to stdout,
 * and following the stream until the VM stops.
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
 * console_follow() - stream the console until the VM stops
 * @events: a socket in the "events" group, joined before the VM started
 * @c: where to read from; @c->serial names the VM's life to follow, or is
 *     0 for the VM that has @c->id now
 * @stopped: filled with the stopped VM's description
 *
 * Stop events are the fast path; a VM_GET now and then covers an event
 * that was lost (socket overrun) or sent before we listened.
 *
 * Return: 0 when the VM stopped (its console drained), 1 if *@interrupted
 * was set, -1 on an error (printed).
 */
int console_follow(struct svmm *s, struct nl_sock *events, struct console *c,
		   volatile sig_atomic_t *interrupted, struct vm_info *stopped)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(events), .events = POLLIN };
	struct watch w = { .c = c, .vm = stopped };
	unsigned int idle = 0;
	int n, err;

	if (check_state(s, &w))
		return -1;
	while (!w.stopped) {
		if (*interrupted)
			return 1;
		n = console_read(s, c);
		if (n < 0)
			return -1;
		if (n > 0) {
			idle = 0;
			continue;
		}
		if (poll(&pfd, 1, POLL_MS) < 0 && errno != EINTR) {
			fprintf(stderr, "shadowvmm: poll: %s\n", strerror(errno));
			return -1;
		}
		err = pfd.revents ? svmm_events_read(events, on_event, &w) : 0;
		if (w.stopped)
			break;
		if (err || ++idle % CHECK_EVERY == 0) {
			if (check_state(s, &w))
				return -1;
		}
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
