// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: throw random and malformed generic netlink requests at the
 * shadowvmm family from several threads at once and check every answer.
 *
 *   nlfuzz [--seed N] [--count N] [--threads N] [--timeout SECS]
 *          [--skip CMD]...
 *   nlfuzz --nonroot [--seed N] [--count N]
 *
 * Each message is built from a request for one of the family's commands
 * (often a valid one, naming a VM the fuzzer really created, so that
 * create, write, boot, start, stop, destroy, console, stats and translate
 * run in random orders on live VMs from every thread) and then, often,
 * broken: random and unknown attributes, wrong integer widths, nested
 * garbage, attribute lengths that lie, messages cut short, nlmsg_len too
 * large or too small, a bad genetlink header, random flags, several
 * messages in one datagram.
 *
 * The contract checked (Documentation/netlink.rst):
 *  - a request with NLM_F_ACK gets exactly one answer, within --timeout
 *    seconds: success or an nlmsgerr with a negative errno; a message the
 *    netlink core must drop (nlmsg_len shorter than a header or longer
 *    than the datagram) gets none;
 *  - every refusal from the family carries an extended ACK message. The
 *    exceptions are the core's own refusals, which come before the family
 *    sees the message: a genetlink header cut short (EINVAL), a command the
 *    family has not got or a dump of a command that has none (EOPNOTSUPP),
 *    and a caller without CAP_NET_ADMIN (EPERM);
 *  - a command the family has not got, or a bad genetlink header, never
 *    succeeds;
 *  - afterwards a fresh VM still runs a guest to its end.
 *
 * --nonroot drops to uid/gid 65534 before opening any socket and checks
 * that every command (all of them change state or show guest memory)
 * gets EPERM, also on VMs root created, and that joining the "events"
 * group is refused; root then checks its VMs were untouched.
 *
 * A request blocked inside the kernel (a handler that never returns)
 * cannot time out: a watchdog reports it, with the thread's kernel stack,
 * and exits; the blocked thread may keep the process from going away, so
 * run nlfuzz with its output in a file and poll it. --skip CMD leaves a
 * command (by number) out, to tell a known defect from the rest.
 *
 * It prints a summary (messages, answers by errno, refusals without an
 * extended ACK) and exits 1 on any violation, 2 on a usage error. The
 * random choices follow --seed (default 1), per thread; how the threads
 * interleave does not. It operates on the VMs it created and on ids that
 * cannot exist, and destroys at the end every id its creates were given:
 * run it where nobody else creates VMs.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "nlgenl.h"

#define MAX_BATCH	4
#define POOL_MAX	64
#define MAX_ERRNO	160
#define PRINT_MAX	25

static uint16_t family;
static uint32_t events_grp;
static int timeout_s = 30;
static unsigned long long total_count = 100000;
static int nthreads = 3;
static uint64_t seed = 1;
static int verbose;
/* Dropped to uid 65534: EPERM, the core's refusal, is all there is. */
static int as_nonroot;
/* --skip CMD: commands left out (to tell a known defect from the rest) */
static unsigned char skipped[256];

/* VMs the fuzzer created and has not seen destroyed. */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t pool[POOL_MAX];
static int npool;

/*
 * Every id a create of ours was given: a destroy whose VM_ID attribute
 * was duplicated or garbled can take another VM than the pool thinks, so
 * the clean-up at the end goes by this rather than by the pool alone.
 */
#define OURS_MAX	65536
static unsigned char ours[OURS_MAX];

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long violations;

struct counts {
	unsigned long long msgs, datagrams, answers, replies, dropped;
	unsigned long long by_errno[MAX_ERRNO + 1];
	unsigned long long odd_errno;
	unsigned long long with_msg, with_offs, with_miss;
	unsigned long long core_refusals;	/* no extack by design */
	unsigned long long no_extack;		/* violations of the rule */
	unsigned long long creates, starts, destroys;
};

/* What one message of a datagram should get. */
struct expect {
	uint32_t seq;
	uint8_t cmd;
	uint16_t flags;
	int len;		/* its nlmsg_len */
	int dropped;		/* the core drops it: no answer at all */
	int must_answer;	/* an ACK, an error or a dump's end is due */
	int may_ok;		/* success is possible at all */
	int core_ok;		/* a refusal without extack is the core's */
	int gated;		/* it reaches the family's permission check */
	int is_create;		/* a create: a success adds to the pool */
	int is_destroy;
	uint32_t vm_id;		/* the VM_ID it names, if well-formed */
	struct nlans a;
};

struct fz {
	int idx;
	pid_t tid;
	int64_t since_us;	/* when the datagram in flight was sent, or 0 */
	uint64_t rng;
	int fd;
	uint32_t seq;
	unsigned long long quota;
	int fatal;
	struct nlb b;
	unsigned char dgram[NL_BUF];
	size_t dlen;
	struct expect ex[MAX_BATCH + 1];
	int nex;
	size_t attr_off[64];
	int nattr;
	struct counts c;
};

static uint64_t rnd(struct fz *t)
{
	/* xorshift64*: fast, and the same sequence for the same seed */
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 2685821657736338717ULL;
}

static unsigned int below(struct fz *t, unsigned int n)
{
	return n ? (unsigned int)(rnd(t) >> 33) % n : 0;
}

static int chance(struct fz *t, unsigned int percent)
{
	return below(t, 100) < percent;
}

static void violation(struct fz *t, const struct expect *e, const char *what)
{
	const unsigned char *p = t->dgram;
	unsigned long n;
	size_t i;

	pthread_mutex_lock(&out_lock);
	n = ++violations;
	if (n <= PRINT_MAX) {
		printf("VIOLATION thread %d seq %u cmd %u flags 0x%x len %d: %s",
		       t->idx, e ? e->seq : 0, e ? e->cmd : 0,
		       e ? e->flags : 0, e ? e->len : 0, what);
		if (e && e->a.terminal)
			printf(" (answer %d %s, extack '%s')", e->a.err,
			       errname(e->a.err) ?: "?", e->a.msg);
		printf("\n  datagram:");
		for (i = 0; i < t->dlen && i < 96; i++)
			printf(" %02x", p[i]);
		printf("%s\n", t->dlen > 96 ? " ..." : "");
	}
	pthread_mutex_unlock(&out_lock);
}

/* --- the pool of live VMs ------------------------------------------------ */

static void pool_add(uint32_t id)
{
	int i;

	pthread_mutex_lock(&pool_lock);
	if (id < OURS_MAX)
		ours[id] = 1;
	for (i = 0; i < npool; i++)
		if (pool[i] == id)
			break;
	if (i == npool && npool < POOL_MAX)
		pool[npool++] = id;
	pthread_mutex_unlock(&pool_lock);
}

static void pool_del(uint32_t id)
{
	int i;

	pthread_mutex_lock(&pool_lock);
	for (i = 0; i < npool; i++)
		if (pool[i] == id) {
			pool[i] = pool[--npool];
			break;
		}
	pthread_mutex_unlock(&pool_lock);
}

static int pool_size(void)
{
	int n;

	pthread_mutex_lock(&pool_lock);
	n = npool;
	pthread_mutex_unlock(&pool_lock);
	return n;
}

/* A VM id: mostly a live one, sometimes one that cannot exist. */
static uint32_t pick_id(struct fz *t)
{
	uint32_t id = 0;

	pthread_mutex_lock(&pool_lock);
	if (npool && !chance(t, 12))
		id = pool[below(t, npool)];
	pthread_mutex_unlock(&pool_lock);
	if (id)
		return id;
	switch (below(t, 4)) {
	case 0:
		return 0;			/* below the policy's minimum */
	case 1:
		return 0xffffffffu;
	default:
		return 2000000000u + below(t, 1000000);	/* never allocated */
	}
}

/* --- building one message ------------------------------------------------ */

static void put_attr(struct fz *t, uint16_t type, const void *d, size_t len)
{
	if (t->nattr < 64)
		t->attr_off[t->nattr++] = t->b.len;
	nlb_put(&t->b, type, d, len);
}

/* An integer attribute, now and then of the wrong width. */
static void put_int(struct fz *t, uint16_t type, uint64_t v, int width)
{
	static const int widths[] = { 0, 1, 2, 3, 4, 8, 12 };
	unsigned char d[16] = {};

	if (chance(t, 4))
		width = widths[below(t, 7)];
	memcpy(d, &v, sizeof(v));
	put_attr(t, type, d, width);
}

static uint64_t mem_size(struct fz *t)
{
	static const uint64_t sizes[] = {
		0, 1, 4096, (2 << 20) - 4096, 2 << 20, (2 << 20) + 1,
		(2 << 20) + 4096, 3 << 20, 4 << 20, 257ULL << 20,
		3ULL << 30, (3ULL << 30) + 4096, ~0ULL, 1ULL << 63,
	};

	if (chance(t, 70))
		return (2 << 20) + 4096 * below(t, 3);
	return sizes[below(t, sizeof(sizes) / sizeof(sizes[0]))];
}

static uint64_t any_u64(struct fz *t)
{
	switch (below(t, 5)) {
	case 0:
		return 0;
	case 1:
		return ~0ULL;
	case 2:
		return below(t, 0x1000000);
	case 3:
		return 1ULL << below(t, 64);
	default:
		return rnd(t);
	}
}

static void put_data(struct fz *t)
{
	static unsigned char junk[SHADOWVMM_MEM_CHUNK_MAX + 16];
	size_t len;

	switch (below(t, 8)) {
	case 0:
		put_attr(t, SHADOWVMM_A_DATA, guest_spin, sizeof(guest_spin));
		return;
	case 1:
	case 2:
		put_attr(t, SHADOWVMM_A_DATA, guest_print, sizeof(guest_print));
		return;
	case 3:
	case 4:
		put_attr(t, SHADOWVMM_A_DATA, guest_exit, sizeof(guest_exit));
		return;
	case 5:
		len = chance(t, 50) ? 0 : SHADOWVMM_MEM_CHUNK_MAX + 1;
		break;
	default:
		len = 1 + below(t, chance(t, 10) ? SHADOWVMM_MEM_CHUNK_MAX : 512);
		break;
	}
	/* random bytes are fine: the guest is never started from them alone */
	memset(junk, 0xa5 ^ (int)below(t, 256), len);
	put_attr(t, SHADOWVMM_A_DATA, junk, len);
}

static void put_cmdline(struct fz *t)
{
	static char s[SHADOWVMM_CMDLINE_MAX + 64];
	size_t len;

	switch (below(t, 6)) {
	case 0:
		len = SHADOWVMM_CMDLINE_MAX - 1;
		break;
	case 1:
		len = SHADOWVMM_CMDLINE_MAX + below(t, 40);
		break;
	default:
		len = below(t, 80);
		break;
	}
	memset(s, 'a' + below(t, 26), len);
	s[len] = 0;
	/* without its NUL now and then */
	put_attr(t, SHADOWVMM_A_BOOT_CMDLINE, s, len + !chance(t, 10));
}

/* A random attribute, possibly nested garbage @depth levels deep. */
static void put_random(struct fz *t, int depth)
{
	unsigned char d[64];
	uint16_t type = below(t, SHADOWVMM_A_MAX + 8);
	size_t i, len;

	if (chance(t, 10))
		type = below(t, 0x4000);
	if (depth < 4 && chance(t, 25)) {
		int n = below(t, 4);

		nlb_nest_start(&t->b, type);
		while (n--)
			put_random(t, depth + 1);
		nlb_nest_end(&t->b);
		if (chance(t, 50))
			((struct nlattr *)(t->b.buf + t->b.nest[t->b.depth]))->nla_type &=
				~NLA_F_NESTED;
		return;
	}
	if (chance(t, 5))
		type |= NLA_F_NESTED;
	if (chance(t, 3))
		type |= NLA_F_NET_BYTEORDER;
	len = below(t, sizeof(d));
	for (i = 0; i < len; i++)
		d[i] = rnd(t);
	if (depth)
		nlb_put(&t->b, type, d, len);
	else
		put_attr(t, type, d, len);
}

/* The attributes of @cmd, as a well-meaning client would send them. */
static void put_request(struct fz *t, uint8_t cmd, struct expect *e)
{
	uint32_t id = pick_id(t);

	e->vm_id = id;
	switch (cmd) {
	case SHADOWVMM_CMD_VM_CREATE:
		/* keep guest RAM bounded: past the cap, a create destroys */
		if (pool_size() >= 20 && id) {
			t->b.buf[NLMSG_HDRLEN] = SHADOWVMM_CMD_VM_DESTROY;
			put_int(t, SHADOWVMM_A_VM_ID, id, 4);
			e->is_destroy = 1;
			break;
		}
		if (!chance(t, 3))
			put_int(t, SHADOWVMM_A_MEM_SIZE, mem_size(t), 8);
		if (chance(t, 20))
			put_int(t, SHADOWVMM_A_MMU_PAGES_MAX,
				chance(t, 50) ? 16 + below(t, 2000) :
				(uint32_t)any_u64(t), 4);
		e->is_create = 1;
		break;
	case SHADOWVMM_CMD_MEM_WRITE:
		if (!chance(t, 2))
			put_int(t, SHADOWVMM_A_VM_ID, id, 4);
		if (!chance(t, 2))
			put_int(t, SHADOWVMM_A_GPA, chance(t, 60) ? GUEST_BASE :
				chance(t, 50) ? below(t, 3 << 20) : any_u64(t), 8);
		if (!chance(t, 2))
			put_data(t);
		break;
	case SHADOWVMM_CMD_BOOT_SET:
		if (!chance(t, 2))
			put_int(t, SHADOWVMM_A_VM_ID, id, 4);
		if (!chance(t, 2))
			put_int(t, SHADOWVMM_A_BOOT_ENTRY, chance(t, 70) ?
				GUEST_BASE : (uint32_t)any_u64(t), 4);
		if (chance(t, 60))
			put_cmdline(t);
		break;
	case SHADOWVMM_CMD_CONSOLE_READ:
		if (!chance(t, 2))
			put_int(t, SHADOWVMM_A_VM_ID, id, 4);
		if (chance(t, 80))
			put_int(t, SHADOWVMM_A_CONSOLE_OFFSET, chance(t, 50) ?
				below(t, 300) : any_u64(t), 8);
		break;
	case SHADOWVMM_CMD_TRANSLATE:
		if (!chance(t, 2))
			put_int(t, SHADOWVMM_A_VM_ID, id, 4);
		if (!chance(t, 2))
			put_int(t, SHADOWVMM_A_GVA, chance(t, 50) ?
				GUEST_BASE + below(t, 1 << 20) : any_u64(t), 8);
		if (chance(t, 50))
			put_int(t, SHADOWVMM_A_ACCESS, chance(t, 70) ?
				(below(t, 8) & 7) << 1 : (uint32_t)any_u64(t), 4);
		break;
	case SHADOWVMM_CMD_CONSOLE_WRITE:
		if (!chance(t, 2))
			put_int(t, SHADOWVMM_A_VM_ID, id, 4);
		if (!chance(t, 2))
			put_data(t);
		break;
	case SHADOWVMM_CMD_VM_DESTROY:
		e->is_destroy = 1;
		/* fall through */
	default:
		if (!chance(t, 3))
			put_int(t, SHADOWVMM_A_VM_ID, id, 4);
		break;
	}
}

/* Break the message in t->b in one of several ways. */
static void mutate(struct fz *t)
{
	struct nlmsghdr *h = (struct nlmsghdr *)t->b.buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(t->b.buf + NLMSG_HDRLEN);
	struct nlattr *a;
	size_t off, cut;

	switch (below(t, 11)) {
	case 0:
	case 1:
		put_random(t, 0);
		break;
	case 2:		/* an attribute whose length lies */
		if (!t->nattr)
			break;
		a = (struct nlattr *)(t->b.buf + t->attr_off[below(t, t->nattr)]);
		a->nla_len = chance(t, 50) ? below(t, NLA_HDRLEN + 1) :
					     a->nla_len + 1 + below(t, 64);
		break;
	case 3:		/* the message cut short inside an attribute */
		if (t->b.len <= NLMSG_HDRLEN + GENL_HDRLEN)
			break;
		cut = 1 + below(t, t->b.len - NLMSG_HDRLEN - GENL_HDRLEN);
		t->b.len -= cut;
		break;
	case 4:		/* a duplicate attribute */
		if (!t->nattr)
			break;
		off = t->attr_off[below(t, t->nattr)];
		a = (struct nlattr *)(t->b.buf + off);
		if (a->nla_len >= NLA_HDRLEN && off + a->nla_len <= t->b.len)
			nlb_put(&t->b, a->nla_type, (char *)a + NLA_HDRLEN,
				a->nla_len - NLA_HDRLEN);
		break;
	case 5:		/* random bytes in the attributes */
		if (t->b.len > NLMSG_HDRLEN + GENL_HDRLEN) {
			int n = 1 + below(t, 4);

			while (n--)
				t->b.buf[NLMSG_HDRLEN + GENL_HDRLEN +
					 below(t, t->b.len - NLMSG_HDRLEN -
						  GENL_HDRLEN)] = rnd(t);
		}
		break;
	case 6:		/* the genetlink header */
		if (chance(t, 50))
			g->reserved = 1 + below(t, 0xffff);
		else
			g->version = rnd(t);
		break;
	case 7:		/* flags */
		h->nlmsg_flags = rnd(t);
		if (chance(t, 70))
			h->nlmsg_flags |= NLM_F_REQUEST;
		break;
	case 8:		/* another command */
		cut = chance(t, 50) ? below(t, 16) : rnd(t) & 255;
		if (!skipped[cut])
			g->cmd = cut;
		break;
	case 9:		/* the nested attributes the replies use */
		nlb_nest_start(&t->b, chance(t, 50) ? SHADOWVMM_A_STATS :
				      SHADOWVMM_A_GUEST_WALK);
		put_random(t, 1);
		nlb_nest_end(&t->b);
		break;
	default:	/* nothing but a header, or less */
		t->b.len = NLMSG_HDRLEN + below(t, GENL_HDRLEN + 1);
		break;
	}
}

static int has_op(uint8_t cmd)
{
	return cmd >= SHADOWVMM_CMD_VM_CREATE && cmd <= SHADOWVMM_CMD_MAX &&
	       cmd != SHADOWVMM_CMD_VM_NOTIFY;
}

/*
 * Work out from the bytes, as netlink_rcv_skb() and genetlink will, what
 * each message of the datagram is owed.
 */
static void expectations(struct fz *t)
{
	size_t off = 0;
	int i, gone = 0;

	for (i = 0; i < t->nex; i++) {
		struct expect *e = &t->ex[i];
		struct nlmsghdr *h = (struct nlmsghdr *)(t->dgram + off);
		struct genlmsghdr *g = (struct genlmsghdr *)(h + 1);
		size_t rest = t->dlen - off;
		uint16_t f;
		int dump;

		e->len = rest >= NLMSG_HDRLEN ? (int)h->nlmsg_len : -1;
		e->flags = rest >= NLMSG_HDRLEN ? h->nlmsg_flags : 0;
		if (gone || rest < NLMSG_HDRLEN || h->nlmsg_len < NLMSG_HDRLEN ||
		    h->nlmsg_len > rest) {
			/* the core stops reading the datagram here */
			e->dropped = 1;
			gone = 1;
			continue;
		}
		off += NLMSG_ALIGN(h->nlmsg_len);
		if (off > t->dlen)
			off = t->dlen;
		f = h->nlmsg_flags;
		if (!(f & NLM_F_REQUEST)) {
			/* not a request: only an ACK, if asked for */
			e->must_answer = !!(f & NLM_F_ACK);
			e->may_ok = 1;
			e->is_create = e->is_destroy = 0;
			continue;
		}
		dump = (f & NLM_F_DUMP) == NLM_F_DUMP;
		e->must_answer = (f & NLM_F_ACK) || dump;
		if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
			e->core_ok = 1;
			continue;
		}
		e->cmd = g->cmd;
		if (dump)
			f &= ~NLM_F_DUMP;
		e->may_ok = has_op(g->cmd) && !g->reserved &&
			    !(f & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)) &&
			    (!dump || g->cmd == SHADOWVMM_CMD_VM_GET);
		e->core_ok = !has_op(g->cmd) ||
			     (dump && g->cmd != SHADOWVMM_CMD_VM_GET);
		e->gated = e->may_ok;
		if (!e->may_ok)
			e->is_create = e->is_destroy = 0;
	}
}

static struct expect *find_seq(struct fz *t, uint32_t seq)
{
	int i;

	for (i = 0; i < t->nex; i++)
		if (t->ex[i].seq == seq)
			return &t->ex[i];
	return NULL;
}

/*
 * Read answers until every message owed one has it and, if @ping, the
 * NOOP sent behind them has been acknowledged: answers come in order, so
 * then nothing more is on its way.
 */
static int collect(struct fz *t, uint32_t ping)
{
	static __thread unsigned char buf[NL_BUF];
	int ping_seen = !ping;

	for (;;) {
		struct nlmsghdr *h;
		int i, pending = 0, left;
		ssize_t n;

		for (i = 0; i < t->nex; i++)
			if (t->ex[i].must_answer && !t->ex[i].dropped &&
			    !t->ex[i].a.terminal)
				pending = 1;
		if (!pending && ping_seen)
			return 0;
		n = recv(t->fd, buf, sizeof(buf), MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			char why[128];

			snprintf(why, sizeof(why), "no answer within %d s (%s)",
				 timeout_s, strerror(errno));
			for (i = 0; i < t->nex; i++)
				if (t->ex[i].must_answer && !t->ex[i].a.terminal)
					violation(t, &t->ex[i], why);
			if (!ping_seen && !pending)
				violation(t, NULL, "the NOOP behind the datagram was not answered");
			return -1;
		}
		if (n > (ssize_t)sizeof(buf)) {
			violation(t, NULL, "an answer larger than 128 KiB");
			return -1;
		}
		left = n;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, left);
		     h = NLMSG_NEXT(h, left)) {
			struct expect *e;

			if (ping && h->nlmsg_seq == ping) {
				ping_seen = 1;
				continue;
			}
			e = find_seq(t, h->nlmsg_seq);
			if (!e) {
				char why[96];

				snprintf(why, sizeof(why),
					 "an answer to no request: seq %u type %u",
					 h->nlmsg_seq, h->nlmsg_type);
				violation(t, NULL, why);
				continue;
			}
			if (e->dropped) {
				violation(t, e, "an answer to a message the core must drop");
				continue;
			}
			if (h->nlmsg_type == NLMSG_ERROR ||
			    h->nlmsg_type == NLMSG_DONE) {
				int before = e->a.terminal;

				if (nl_parse_terminal(h, &e->a) < 0)
					violation(t, e, "a malformed nlmsgerr");
				if (before)
					violation(t, e, "answered twice");
			} else {
				e->a.replies++;
				nl_parse_reply(h, &e->a);
			}
		}
		if (left)
			violation(t, NULL, "a datagram with a malformed message");
	}
}

/* Judge the answers of one datagram and learn from them. */
static void judge(struct fz *t)
{
	int i;

	for (i = 0; i < t->nex; i++) {
		struct expect *e = &t->ex[i];
		int err = e->a.err;

		if (e->dropped) {
			t->c.dropped++;
			continue;
		}
		if (!e->a.terminal) {
			if (e->must_answer)
				violation(t, e, "no answer");
			/* a create without NLM_F_ACK: only the reply says so */
			if (e->is_create && e->a.replies && e->a.vm_id) {
				t->c.creates++;
				pool_add(e->a.vm_id);
			}
			continue;
		}
		t->c.answers++;
		t->c.replies += e->a.replies;
		if (err > 0 || err < -4095) {
			violation(t, e, "an answer that is not 0 or a negative errno");
			continue;
		}
		if (-err <= MAX_ERRNO)
			t->c.by_errno[-err]++;
		else
			t->c.odd_errno++;
		if (err && e->a.has_msg)
			t->c.with_msg++;
		if (err && e->a.has_offs)
			t->c.with_offs++;
		if (err && e->a.has_miss)
			t->c.with_miss++;
		if (!err) {
			if (!e->may_ok)
				violation(t, e, "accepted a request that must be refused");
			if (e->is_create) {
				t->c.creates++;
				if (!e->a.vm_id)
					violation(t, e, "a create answered without VM_ID");
				else
					pool_add(e->a.vm_id);
			}
			if (e->is_destroy) {
				t->c.destroys++;
				pool_del(e->vm_id);
			}
			if (e->cmd == SHADOWVMM_CMD_VM_START && e->may_ok)
				t->c.starts++;
			continue;
		}
		if (e->a.has_msg)
			continue;
		if ((e->core_ok && (err == -EINVAL || err == -EOPNOTSUPP)) ||
		    (as_nonroot && err == -EPERM)) {
			t->c.core_refusals++;
			continue;
		}
		t->c.no_extack++;
		violation(t, e, "a refusal without an extack message");
	}
}

/* Build, send and judge one datagram of 1..MAX_BATCH messages. */
static int one_datagram(struct fz *t)
{
	int i, n = chance(t, 5) ? 2 + below(t, MAX_BATCH - 1) : 1;
	struct nlmsghdr *h;
	int ping = 0, dumps = 0;

	t->dlen = 0;
	t->nex = n;
	for (i = 0; i < n; i++) {
		struct expect *e = &t->ex[i];
		uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
		uint8_t cmd;
		int m;

		memset(e, 0, sizeof(*e));
		do {
			cmd = chance(t, 97) ? 1 + below(t, SHADOWVMM_CMD_MAX) :
					      rnd(t);
		} while (skipped[cmd]);
		if (chance(t, 4))
			flags &= ~NLM_F_ACK;
		if ((cmd == SHADOWVMM_CMD_VM_GET && chance(t, 15)) || chance(t, 1))
			flags |= NLM_F_DUMP;
		nlb_start(&t->b, family, flags, cmd, SHADOWVMM_GENL_VERSION);
		t->nattr = 0;
		put_request(t, cmd, e);
		for (m = chance(t, 45) ? 1 + below(t, 3) : 0; m; m--)
			mutate(t);
		/*
		 * One dump per datagram: a second one while the first runs
		 * is the core's EBUSY, which is no business of the family.
		 */
		h = (struct nlmsghdr *)t->b.buf;
		if ((h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP && dumps++)
			h->nlmsg_flags &= ~NLM_F_MATCH;
		e->seq = ++t->seq;
		nlb_end(&t->b, e->seq);
		/*
		 * nlmsg_len that lies, now and then, in the last message only:
		 * a length that lies inside a datagram makes the core read the
		 * next message from the wrong place, and then nothing tells
		 * which answer is whose.
		 */
		if (i == n - 1 && chance(t, 2))
			((struct nlmsghdr *)t->b.buf)->nlmsg_len = chance(t, 50) ?
				below(t, NLMSG_HDRLEN) : t->b.len + 1 + below(t, 64);
		if (t->dlen + NLMSG_ALIGN(t->b.len) > sizeof(t->dgram))
			break;
		memcpy(t->dgram + t->dlen, t->b.buf, t->b.len);
		t->dlen += NLMSG_ALIGN(t->b.len);
		t->c.msgs++;
	}
	t->nex = i;
	if (t->dlen < NLMSG_HDRLEN) {
		/* nothing the kernel would even look at; not sent */
		t->dlen = 0;
		return 0;
	}
	expectations(t);
	for (i = 0; i < t->nex; i++)
		if (t->ex[i].dropped || !t->ex[i].must_answer)
			ping = 1;
	__atomic_store_n(&t->since_us, (int64_t)(now_s() * 1e6),
			 __ATOMIC_SEQ_CST);
	if (nl_send(t->fd, t->dgram, t->dlen)) {
		violation(t, NULL, "sendto failed");
		return -1;
	}
	t->c.datagrams++;
	if (ping) {
		struct nlmsghdr noop = {
			.nlmsg_len = NLMSG_HDRLEN,
			.nlmsg_type = NLMSG_NOOP,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			.nlmsg_seq = ++t->seq,
		};

		ping = noop.nlmsg_seq;
		if (nl_send(t->fd, &noop, sizeof(noop))) {
			violation(t, NULL, "sendto failed");
			return -1;
		}
	}
	if (collect(t, ping))
		return -1;
	judge(t);
	return 0;
}

static struct fz *all_threads;

/*
 * A handler runs inside sendto(), where no receive timeout reaches: a
 * request blocked in the kernel is seen only from outside. Report it with
 * the thread's kernel stack and exit; the blocked thread may keep the
 * process from ever going away, so callers poll the output.
 */
static void *watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		double now = now_s();
		int i;

		for (i = 0; i < nthreads; i++) {
			struct fz *t = &all_threads[i];
			int64_t since = __atomic_load_n(&t->since_us,
							__ATOMIC_SEQ_CST);
			char path[64], buf[2048];
			ssize_t n;
			int fd;

			if (!since || now - since / 1e6 <= timeout_s + 5)
				continue;
			/* said whatever PRINT_MAX says: this is the verdict */
			printf("VIOLATION thread %d seq %u cmd %u: blocked in the kernel for more than %d s\n  datagram:",
			       i, t->ex[0].seq, t->ex[0].cmd, timeout_s + 5);
			for (n = 0; n < (ssize_t)t->dlen && n < 96; n++)
				printf(" %02x", t->dgram[n]);
			printf("\n");
			snprintf(path, sizeof(path), "/proc/self/task/%d/stack",
				 t->tid);
			fd = open(path, O_RDONLY);
			if (fd >= 0) {
				n = read(fd, buf, sizeof(buf) - 1);
				if (n > 0) {
					buf[n] = 0;
					printf("kernel stack of thread %d:\n%s",
					       i, buf);
				}
				close(fd);
			}
			printf("nlfuzz: violations %lu (gave up)\n", violations);
			fflush(stdout);
			_exit(1);
		}
		usleep(200000);
	}
	return NULL;
}

static void *fuzz_thread(void *arg)
{
	struct fz *t = arg;
	int err;

	t->tid = syscall(SYS_gettid);
	t->fd = nl_open(timeout_s);
	if (t->fd < 0) {
		violation(t, NULL, "cannot open a netlink socket");
		t->fatal = 1;
		return NULL;
	}
	while (t->c.msgs < t->quota) {
		if (t->idx == 0 && t->c.datagrams % 5000 == 0 && t->c.msgs)
			printf("nlfuzz: progress %llu messages on thread 0\n",
			       t->c.msgs);
		err = one_datagram(t);
		__atomic_store_n(&t->since_us, 0, __ATOMIC_SEQ_CST);
		if (err) {
			/* answers may still be due: the socket is out of step */
			t->fatal = 1;
			break;
		}
	}
	close(t->fd);
	return NULL;
}

/* --- after the storm ------------------------------------------------------ */

static uint32_t cseq;

/* Destroy every VM the fuzzer still has. */
static void cleanup(int fd)
{
	struct nlans a;
	uint32_t id;

	for (id = 1; id < OURS_MAX; id++)
		if (ours[id])
			nl_vm_op(fd, family, &cseq, SHADOWVMM_CMD_VM_DESTROY, id, &a);
	npool = 0;
}

/* Return: 0 if a fresh VM runs a guest to its end with the right output. */
static int still_works(int fd)
{
	static struct nlb b;
	struct nlans a;
	uint32_t id;
	int err, i, ok = 0;

	err = nl_vm_new(fd, family, &cseq, guest_print, sizeof(guest_print), &id);
	if (err) {
		printf("FAILED: a VM cannot be created and loaded after fuzzing: %s\n",
		       strerror(-err));
		return -1;
	}
	err = nl_vm_op(fd, family, &cseq, SHADOWVMM_CMD_VM_START, id, &a);
	if (err || a.err) {
		printf("FAILED: start after fuzzing: %s %s\n",
		       strerror(-(err ?: a.err)), a.msg);
		goto out;
	}
	for (i = 0; i < 600; i++) {
		err = nl_vm_op(fd, family, &cseq, SHADOWVMM_CMD_VM_GET, id, &a);
		if (err || a.err || (a.has_state && a.vm_state == SHADOWVMM_VM_STOPPED))
			break;
		usleep(50000);
	}
	if (err || a.err || !a.has_state || a.vm_state != SHADOWVMM_VM_STOPPED) {
		printf("FAILED: the guest did not end within 30 s after fuzzing\n");
		goto out;
	}
	nlb_start(&b, family, NLM_F_REQUEST | NLM_F_ACK,
		  SHADOWVMM_CMD_CONSOLE_READ, 1);
	nlb_u32(&b, SHADOWVMM_A_VM_ID, id);
	nlb_u64(&b, SHADOWVMM_A_CONSOLE_OFFSET, 0);
	err = nl_call(fd, &b, ++cseq, &a);
	/* DATA's length is the reply's: 200 'A's, told by the next offset */
	if (err || a.err || a.replies != 1)
		printf("FAILED: console read after fuzzing: %s\n",
		       strerror(-(err ?: a.err)));
	else
		ok = 1;
out:
	nl_vm_op(fd, family, &cseq, SHADOWVMM_CMD_VM_DESTROY, id, &a);
	return ok ? 0 : -1;
}

static int fuzz(void)
{
	struct fz *t = calloc(nthreads, sizeof(*t));
	pthread_t *th = calloc(nthreads, sizeof(*th));
	struct counts sum = {};
	pthread_t wd;
	double t0 = now_s();
	int i, e, fd, fatal = 0, works;

	if (!t || !th)
		return 1;
	all_threads = t;
	if (pthread_create(&wd, NULL, watchdog, NULL))
		return 1;
	for (i = 0; i < nthreads; i++) {
		t[i].idx = i;
		t[i].rng = seed * 0x9e3779b97f4a7c15ULL + i + 1;
		t[i].quota = total_count / nthreads + (i < (int)(total_count % nthreads));
		t[i].seq = (uint32_t)i << 28;
		if (pthread_create(&th[i], NULL, fuzz_thread, &t[i])) {
			fprintf(stderr, "nlfuzz: cannot start thread %d\n", i);
			return 1;
		}
	}
	for (i = 0; i < nthreads; i++) {
		unsigned long long *s = (unsigned long long *)&sum;
		unsigned long long *c = (unsigned long long *)&t[i].c;
		size_t k;

		pthread_join(th[i], NULL);
		fatal |= t[i].fatal;
		for (k = 0; k < sizeof(sum) / sizeof(*s); k++)
			s[k] += c[k];
	}
	fd = nl_open(timeout_s);
	if (fd < 0) {
		printf("FAILED: cannot open a netlink socket after fuzzing\n");
		return 1;
	}
	cleanup(fd);
	works = fatal ? -1 : still_works(fd);
	close(fd);

	printf("nlfuzz: seed %llu, %d threads, %llu messages in %llu datagrams, %.1f s\n",
	       (unsigned long long)seed, nthreads, sum.msgs, sum.datagrams,
	       now_s() - t0);
	printf("nlfuzz: answers %llu (replies %llu), dropped by the core as due %llu\n",
	       sum.answers, sum.replies, sum.dropped);
	printf("nlfuzz: answers by errno:");
	for (e = 0; e <= MAX_ERRNO; e++)
		if (sum.by_errno[e]) {
			const char *n = errname(-e);

			if (n)
				printf(" %s=%llu", n, sum.by_errno[e]);
			else
				printf(" errno%d=%llu", e, sum.by_errno[e]);
		}
	if (sum.odd_errno)
		printf(" other=%llu", sum.odd_errno);
	printf("\n");
	printf("nlfuzz: refusals with extack message %llu (offset %llu, missing type %llu), core refusals without (by design) %llu, refusals without extack %llu\n",
	       sum.with_msg, sum.with_offs, sum.with_miss, sum.core_refusals,
	       sum.no_extack);
	printf("nlfuzz: live VMs: %llu created, %llu started, %llu destroyed\n",
	       sum.creates, sum.starts, sum.destroys);
	printf("nlfuzz: module still runs a guest: %s\n", works ? "NO" : "yes");
	printf("nlfuzz: violations %lu\n", violations);
	return violations || fatal || works ? 1 : 0;
}

/* --- --nonroot ------------------------------------------------------------- */

/* In the child, as uid 65534: everything refused. Exit status: violations. */
static int nonroot_child(uint32_t running, uint32_t created)
{
	static struct fz t;
	unsigned long bad = 0;
	struct nlans a;
	struct nl_family f;
	int fd, err, i, cmd, grp;

	as_nonroot = 1;
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		printf("VIOLATION: cannot drop to uid 65534: %s\n", strerror(errno));
		return 1;
	}
	if (!setuid(0)) {
		printf("VIOLATION: uid 65534 could become root again\n");
		return 1;
	}
	fd = nl_open(timeout_s);
	if (fd < 0) {
		printf("VIOLATION: uid 65534 cannot open a netlink socket: %s\n",
		       strerror(-fd));
		return 1;
	}
	/* resolving the family is for everyone */
	err = nl_resolve(fd, &f);
	if (err || f.id != family) {
		printf("VIOLATION: uid 65534 cannot resolve the family: %s\n",
		       strerror(-err));
		return 1;
	}
	grp = f.events;
	if (!grp) {
		printf("VIOLATION: no events group\n");
		bad++;
	} else if (!setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
			       sizeof(grp))) {
		printf("VIOLATION: uid 65534 joined the events group %d\n", grp);
		bad++;
	} else {
		printf("nlfuzz: joining events as uid 65534: %s (refused)\n",
		       strerror(errno));
	}

	/* every command, well-formed, on each VM; and VM_GET as a dump */
	for (cmd = SHADOWVMM_CMD_VM_CREATE; cmd <= SHADOWVMM_CMD_MAX; cmd++) {
		uint32_t ids[] = { running, created, 2000000001u };

		if (!has_op(cmd))
			continue;
		for (i = 0; i < 3; i++) {
			t.b.len = 0;
			nlb_start(&t.b, family, NLM_F_REQUEST | NLM_F_ACK, cmd, 1);
			t.nattr = 0;
			t.rng = seed + cmd * 3 + i;
			switch (cmd) {
			case SHADOWVMM_CMD_VM_CREATE:
				nlb_u64(&t.b, SHADOWVMM_A_MEM_SIZE, 2 << 20);
				break;
			case SHADOWVMM_CMD_MEM_WRITE:
				nlb_u32(&t.b, SHADOWVMM_A_VM_ID, ids[i]);
				nlb_u64(&t.b, SHADOWVMM_A_GPA, GUEST_BASE);
				nlb_put(&t.b, SHADOWVMM_A_DATA, guest_exit,
					sizeof(guest_exit));
				break;
			case SHADOWVMM_CMD_BOOT_SET:
				nlb_u32(&t.b, SHADOWVMM_A_VM_ID, ids[i]);
				nlb_u32(&t.b, SHADOWVMM_A_BOOT_ENTRY, GUEST_BASE);
				break;
			case SHADOWVMM_CMD_TRANSLATE:
				nlb_u32(&t.b, SHADOWVMM_A_VM_ID, ids[i]);
				nlb_u64(&t.b, SHADOWVMM_A_GVA, GUEST_BASE);
				break;
			case SHADOWVMM_CMD_CONSOLE_READ:
				nlb_u32(&t.b, SHADOWVMM_A_VM_ID, ids[i]);
				nlb_u64(&t.b, SHADOWVMM_A_CONSOLE_OFFSET, 0);
				break;
			default:
				nlb_u32(&t.b, SHADOWVMM_A_VM_ID, ids[i]);
				break;
			}
			err = nl_call(fd, &t.b, ++cseq, &a);
			if (err || a.err != -EPERM || a.replies) {
				printf("VIOLATION: command %d on VM %u as uid 65534: %s%s%s\n",
				       cmd, ids[i], err ? "no answer: " : "answered ",
				       err ? strerror(-err) : errname(a.err) ?: "?",
				       a.replies ? ", with a reply" : "");
				bad++;
			}
		}
	}
	nlb_start(&t.b, family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
		  SHADOWVMM_CMD_VM_GET, 1);
	err = nl_call(fd, &t.b, ++cseq, &a);
	if (err || a.err != -EPERM || a.replies) {
		printf("VIOLATION: VM_GET dump as uid 65534: %s %s\n",
		       err ? strerror(-err) : errname(a.err) ?: "?",
		       a.replies ? "with replies" : "");
		bad++;
	}
	close(fd);

	/* and the fuzzer's messages: nothing may ever succeed or reply */
	t.idx = 0;
	t.rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	t.quota = total_count;
	t.fd = nl_open(timeout_s);
	if (t.fd < 0)
		return 1;
	pool[0] = running;
	pool[1] = created;
	npool = 2;
	while (t.c.msgs < t.quota) {
		if (one_datagram(&t))
			return 1;
		for (i = 0; i < t.nex; i++) {
			struct expect *e = &t.ex[i];

			if (e->a.replies) {
				violation(&t, e, "uid 65534 got a reply");
				bad++;
			}
			if (e->gated && e->a.terminal && e->a.err != -EPERM) {
				violation(&t, e, "uid 65534 got past the permission check");
				bad++;
			}
		}
	}
	printf("nlfuzz: uid 65534 sent %llu messages: EPERM %llu, other refusals %llu, violations %lu\n",
	       t.c.msgs, t.c.by_errno[EPERM],
	       t.c.answers - t.c.by_errno[EPERM] - t.c.by_errno[0], bad + violations);
	return bad || violations ? 1 : 0;
}

static int nonroot(void)
{
	struct nlans a;
	uint32_t running = 0, created = 0;
	int fd, err, st, ok = 1;
	pid_t pid;

	fd = nl_open(timeout_s);
	if (fd < 0)
		return 1;
	/* root's VMs for the child to aim at: one running, one not started */
	err = nl_vm_new(fd, family, &cseq, guest_spin, sizeof(guest_spin), &running);
	if (!err)
		err = nl_vm_op(fd, family, &cseq, SHADOWVMM_CMD_VM_START, running, &a) ?: a.err;
	if (!err)
		err = nl_vm_new(fd, family, &cseq, guest_exit, sizeof(guest_exit), &created);
	if (err) {
		printf("FAILED: root cannot set up its VMs: %s\n", strerror(-err));
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fd);
		_exit(nonroot_child(running, created));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 1;
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		ok = 0;
	/* root's VMs are as root left them */
	if (nl_vm_op(fd, family, &cseq, SHADOWVMM_CMD_VM_GET, running, &a) ||
	    a.err || a.vm_state != SHADOWVMM_VM_RUNNING) {
		printf("VIOLATION: root's running VM %u changed: %s state %u\n",
		       running, errname(a.err) ?: "?", a.vm_state);
		ok = 0;
	}
	if (nl_vm_op(fd, family, &cseq, SHADOWVMM_CMD_VM_GET, created, &a) ||
	    a.err || a.vm_state != SHADOWVMM_VM_CREATED) {
		printf("VIOLATION: root's VM %u changed: %s state %u\n",
		       created, errname(a.err) ?: "?", a.vm_state);
		ok = 0;
	}
	nl_vm_op(fd, family, &cseq, SHADOWVMM_CMD_VM_DESTROY, running, &a);
	nl_vm_op(fd, family, &cseq, SHADOWVMM_CMD_VM_DESTROY, created, &a);
	close(fd);
	printf("nlfuzz: nonroot %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: nlfuzz [--seed N] [--count N] [--threads N] [--timeout SECS] [--skip CMD]... [--nonroot] [-v]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct nl_family f;
	int i, fd, err, non_root = 0;

	for (i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--nonroot")) {
			non_root = 1;
		} else if (!strcmp(argv[i], "-v")) {
			verbose = 1;
		} else if (v && !strcmp(argv[i], "--seed")) {
			seed = strtoull(v, NULL, 0);
			i++;
		} else if (v && !strcmp(argv[i], "--count")) {
			total_count = strtoull(v, NULL, 0);
			i++;
		} else if (v && !strcmp(argv[i], "--threads")) {
			nthreads = atoi(v);
			i++;
		} else if (v && !strcmp(argv[i], "--skip")) {
			skipped[atoi(v) & 255] = 1;
			i++;
		} else if (v && !strcmp(argv[i], "--timeout")) {
			timeout_s = atoi(v);
			i++;
		} else {
			return usage();
		}
	}
	if (nthreads < 1 || nthreads > 64 || timeout_s < 1)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	fd = nl_open(timeout_s);
	if (fd < 0) {
		fprintf(stderr, "nlfuzz: netlink socket: %s\n", strerror(-fd));
		return 1;
	}
	err = nl_resolve(fd, &f);
	close(fd);
	if (err) {
		fprintf(stderr, "nlfuzz: family %s: %s\n", SHADOWVMM_GENL_NAME,
			strerror(-err));
		return 1;
	}
	family = f.id;
	events_grp = f.events;
	if (verbose)
		printf("nlfuzz: family %u, events group %u\n", family, events_grp);
	return non_root ? nonroot() : fuzz();
}
