// SPDX-License-Identifier: GPL-2.0
/*
 * nlrace: race start, stop, destroy, create, console, stats and get on one
 * VM from several threads, at real-time priority and not, and fail when
 * any request blocks longer than a bound.
 *
 *   nlrace [--rounds N] [--threads N] [--bound SECS] [--seed N]
 *   nlrace --churn N
 *
 * Each round creates a 2 MiB VM holding a tiny guest (one that spins, one
 * that prints 200 bytes and exits, or one that exits at once), then lets
 * the threads loose on it together. Rounds take turns at four set-ups:
 *   normal   every thread SCHED_OTHER, on any CPU;
 *   rt-1cpu  every thread SCHED_FIFO, all pinned to CPU 0;
 *   rt-2cpu  SCHED_FIFO, threads pinned to CPUs 0 and 1 in turn (rt-1cpu
 *            again on a single CPU);
 *   mixed    thread 0 SCHED_FIFO, the others SCHED_OTHER, all on CPU 0.
 * In half the rounds thread 0 starts then stops the VM while thread 1,
 * at a lower real-time priority on the same CPU, destroys it: a stop that
 * waits on a vCPU thread which destroy reaps before it ever ran blocks for
 * ever. The other threads, and threads 0 and 1 in the other rounds, pick
 * 2 to 5 operations at random; "create" makes a VM of the thread's own
 * and destroys it again, so that ids are reused under the others' feet.
 *
 * A watchdog at the highest real-time priority checks every 100 ms how
 * long each thread has been inside its current request; past --bound
 * seconds (default 10: a stop takes milliseconds) it prints which request
 * blocked and the thread's kernel stack, and exits 1 at once. A request
 * blocked in the kernel cannot be interrupted, so the process may then
 * linger: run nlrace with its output in a file and poll it.
 *
 * At the end it prints the rounds, the requests and the longest wait per
 * command, checks that no VM is left, and exits 0.
 *
 * --churn N creates, loads and destroys N VMs (every tenth is started
 * first) and prints how long that took: the lifecycle churn case measures
 * the kernel's memory around it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include "nlgenl.h"

#define MAX_THREADS	8
#define MAX_OPS		8

enum op { OP_START, OP_STOP, OP_DESTROY, OP_CONSOLE, OP_STATS, OP_GET,
	  OP_CREATE, NR_OPS };

static const char *const op_names[NR_OPS] = {
	"VM_START", "VM_STOP", "VM_DESTROY", "CONSOLE_READ", "STATS_GET",
	"VM_GET", "VM_CREATE+DESTROY",
};

static const char *const setup_names[] = { "normal", "rt-1cpu", "rt-2cpu",
					   "mixed" };

static uint16_t family;
static int nthreads = 3;
static int rounds = 2000;
static int bound = 10;
static uint64_t seed = 1;
static int ncpus;

static pthread_barrier_t go, done;
static volatile uint32_t round_id;
static volatile int round_setup, quit;

struct worker {
	int idx;
	pthread_t th;
	pid_t tid;
	int fd;
	uint32_t seq;
	uint64_t rng;
	enum op ops[MAX_OPS];
	int nops;
	int prio;		/* SCHED_FIFO priority this round, 0: OTHER */
	int cpu;		/* pinned to this CPU this round, -1: any */
	/* the request in flight, for the watchdog */
	int64_t since_us;	/* when it began, 0: none */
	volatile int cur_op;
	volatile uint32_t cur_id;
	/* totals */
	unsigned long long nreq[NR_OPS], by_err[NR_OPS][4];
	double longest[NR_OPS];
};

static struct worker workers[MAX_THREADS];

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static unsigned int below(uint64_t *s, unsigned int n)
{
	return (unsigned int)(rnd(s) >> 33) % n;
}

static void set_sched(int prio, int cpu)
{
	struct sched_param sp = { .sched_priority = prio };
	cpu_set_t set;

	CPU_ZERO(&set);
	if (cpu >= 0) {
		CPU_SET(cpu, &set);
	} else {
		int i;

		for (i = 0; i < ncpus; i++)
			CPU_SET(i, &set);
	}
	if (sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr, "nlrace: sched_setaffinity: %s\n", strerror(errno));
	if (pthread_setschedparam(pthread_self(), prio ? SCHED_FIFO : SCHED_OTHER,
				  &sp))
		fprintf(stderr, "nlrace: SCHED_FIFO %d: %s\n", prio, strerror(errno));
}

/* One request, timed; its outcome counted as ok, ENOENT, EINVAL/EBUSY, other. */
static void timed(struct worker *w, enum op op, uint8_t cmd, uint32_t id,
		  struct nlans *a)
{
	double t0 = now_s(), dt;
	int err, k;

	w->cur_op = op;
	w->cur_id = id;
	__atomic_store_n(&w->since_us, (int64_t)(t0 * 1e6), __ATOMIC_SEQ_CST);
	err = nl_vm_op(w->fd, family, &w->seq, cmd, id, a);
	__atomic_store_n(&w->since_us, 0, __ATOMIC_SEQ_CST);
	dt = now_s() - t0;
	if (err) {
		printf("FAIL: thread %d: %s on VM %u: no answer: %s\n", w->idx,
		       op_names[op], id, strerror(-err));
		fflush(stdout);
		_exit(1);
	}
	if (dt > w->longest[op])
		w->longest[op] = dt;
	w->nreq[op]++;
	k = !a->err ? 0 : a->err == -ENOENT ? 1 :
	    a->err == -EINVAL || a->err == -EBUSY ? 2 : 3;
	w->by_err[op][k]++;
	if (k == 3) {
		printf("FAIL: thread %d: %s on VM %u: unexpected %d (%s)\n",
		       w->idx, op_names[op], id, a->err, a->msg);
		fflush(stdout);
		_exit(1);
	}
}

static void run_op(struct worker *w, enum op op, uint32_t id)
{
	static const uint8_t cmds[NR_OPS] = {
		SHADOWVMM_CMD_VM_START, SHADOWVMM_CMD_VM_STOP,
		SHADOWVMM_CMD_VM_DESTROY, SHADOWVMM_CMD_CONSOLE_READ,
		SHADOWVMM_CMD_STATS_GET, SHADOWVMM_CMD_VM_GET, 0,
	};
	struct nlans a;
	uint32_t own;
	double t0;
	int err;

	if (op != OP_CREATE) {
		timed(w, op, cmds[op], id, &a);
		return;
	}
	/* a VM of our own, gone again at once: ids get reused */
	t0 = now_s();
	w->cur_op = op;
	w->cur_id = 0;
	__atomic_store_n(&w->since_us, (int64_t)(t0 * 1e6), __ATOMIC_SEQ_CST);
	err = nl_vm_new(w->fd, family, &w->seq, guest_exit, sizeof(guest_exit),
			&own);
	__atomic_store_n(&w->since_us, 0, __ATOMIC_SEQ_CST);
	/*
	 * Ids are reused: the VM just created can have the id the other
	 * threads are working on, and be destroyed (ENOENT) or started
	 * (EBUSY: no load into a running VM) before its load.
	 */
	if (err == -ENOSPC || err == -ENOMEM || err == -ENOENT ||
	    err == -EBUSY)
		return;
	if (err) {
		printf("FAIL: thread %d: create and load: %s\n", w->idx,
		       strerror(-err));
		fflush(stdout);
		_exit(1);
	}
	if (below(&w->rng, 2))
		timed(w, OP_START, SHADOWVMM_CMD_VM_START, own, &a);
	timed(w, OP_DESTROY, SHADOWVMM_CMD_VM_DESTROY, own, &a);
	if (now_s() - t0 > w->longest[op])
		w->longest[op] = now_s() - t0;
	w->nreq[op]++;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	w->tid = syscall(SYS_gettid);
	w->fd = nl_open(bound * 3 + 5);
	if (w->fd < 0) {
		printf("FAIL: thread %d: netlink socket: %s\n", w->idx,
		       strerror(-w->fd));
		_exit(1);
	}
	for (;;) {
		int i;

		pthread_barrier_wait(&go);
		if (quit)
			break;
		set_sched(w->prio, w->cpu);
		/* everyone set up, then all at once */
		pthread_barrier_wait(&go);
		for (i = 0; i < w->nops; i++)
			run_op(w, w->ops[i], round_id);
		set_sched(0, -1);
		pthread_barrier_wait(&done);
	}
	close(w->fd);
	return NULL;
}

/* The watchdog: nothing may block longer than the bound. */
static void *watchdog(void *arg)
{
	struct sched_param sp = { .sched_priority = 99 };

	(void)arg;
	pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	for (;;) {
		double now = now_s();
		int i;

		for (i = 0; i < nthreads; i++) {
			struct worker *w = &workers[i];
			double since = __atomic_load_n(&w->since_us, __ATOMIC_SEQ_CST) / 1e6;
			char path[64], buf[2048];
			ssize_t n;
			int fd;

			if (!since || now - since <= bound)
				continue;
			printf("FAIL: thread %d (%s, %s%d, cpu %d) blocked in %s on VM %u for more than %d s, round setup %s\n",
			       i, w->prio ? "SCHED_FIFO" : "SCHED_OTHER",
			       w->prio ? "priority " : "", w->prio, w->cpu,
			       op_names[w->cur_op], w->cur_id, bound,
			       setup_names[round_setup]);
			snprintf(path, sizeof(path), "/proc/self/task/%d/stack",
				 w->tid);
			fd = open(path, O_RDONLY);
			if (fd >= 0) {
				n = read(fd, buf, sizeof(buf) - 1);
				if (n > 0) {
					buf[n] = 0;
					printf("kernel stack of thread %d:\n%s", i, buf);
				}
				close(fd);
			}
			fflush(stdout);
			_exit(1);
		}
		usleep(100000);
	}
	return NULL;
}

/* Plan round @r: who runs how, and what. */
static void plan(int r, uint64_t *rng)
{
	int setup = r % 4, i;
	int classic = below(rng, 2);

	round_setup = setup;
	for (i = 0; i < nthreads; i++) {
		struct worker *w = &workers[i];
		int k;

		switch (setup) {
		case 0:
			w->prio = 0;
			w->cpu = -1;
			break;
		case 1:
			w->prio = i == 0 ? 30 : i == 1 ? 20 : 10;
			w->cpu = 0;
			break;
		case 2:
			w->prio = i == 0 ? 30 : i == 1 ? 20 : 10;
			w->cpu = ncpus > 1 ? i % 2 : 0;
			break;
		default:
			w->prio = i == 0 ? 30 : 0;
			w->cpu = 0;
			break;
		}
		if (classic && i == 0) {
			w->ops[0] = OP_START;
			w->ops[1] = OP_STOP;
			w->nops = 2;
			continue;
		}
		if (classic && i == 1) {
			w->ops[0] = OP_DESTROY;
			w->nops = 1;
			continue;
		}
		w->nops = 2 + below(rng, 4);
		for (k = 0; k < w->nops; k++)
			w->ops[k] = below(rng, NR_OPS);
	}
}

static int churn(int n)
{
	struct nlans a;
	uint32_t seq = 0, id;
	double t0 = now_s();
	int fd = nl_open(30), i, err;

	if (fd < 0)
		return 1;
	for (i = 0; i < n; i++) {
		err = nl_vm_new(fd, family, &seq, guest_exit, sizeof(guest_exit), &id);
		if (err) {
			printf("FAIL: churn round %d: create and load: %s\n", i,
			       strerror(-err));
			return 1;
		}
		if (i % 10 == 0 &&
		    (nl_vm_op(fd, family, &seq, SHADOWVMM_CMD_VM_START, id, &a) || a.err)) {
			printf("FAIL: churn round %d: start: %d %s\n", i, a.err, a.msg);
			return 1;
		}
		if (nl_vm_op(fd, family, &seq, SHADOWVMM_CMD_VM_DESTROY, id, &a) || a.err) {
			printf("FAIL: churn round %d: destroy: %d %s\n", i, a.err, a.msg);
			return 1;
		}
	}
	printf("nlrace: churn: %d create/load/destroy rounds (%d started) in %.1f s\n",
	       n, (n + 9) / 10, now_s() - t0);
	return 0;
}

/* Return: how many VMs exist (a VM_GET dump), or -1. */
static int count_vms(int fd, uint32_t *seq)
{
	struct nlb *b = calloc(1, sizeof(*b));
	struct nlans a;
	int err;

	if (!b)
		return -1;
	nlb_start(b, family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
		  SHADOWVMM_CMD_VM_GET, 1);
	err = nl_call(fd, b, ++*seq, &a);
	free(b);
	return err || a.err ? -1 : a.replies;
}

int main(int argc, char **argv)
{
	static const unsigned char *const guests[] = { guest_spin, guest_print,
						       guest_exit };
	static const size_t sizes[] = { sizeof(guest_spin), sizeof(guest_print),
					 sizeof(guest_exit) };
	struct nl_family f;
	struct nlans a;
	pthread_t wd;
	uint64_t rng;
	uint32_t seq = 0;
	double t0, longest = 0;
	unsigned long long total = 0;
	int i, r, fd, err, left, churn_n = -1;

	for (i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			goto usage;
		if (!strcmp(argv[i], "--rounds"))
			rounds = atoi(v);
		else if (!strcmp(argv[i], "--threads"))
			nthreads = atoi(v);
		else if (!strcmp(argv[i], "--bound"))
			bound = atoi(v);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(v, NULL, 0);
		else if (!strcmp(argv[i], "--churn"))
			churn_n = atoi(v);
		else
			goto usage;
		i++;
	}
	if (nthreads < 2 || nthreads > MAX_THREADS || rounds < 1 || bound < 1)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpus < 1)
		ncpus = 1;
	fd = nl_open(bound * 3 + 5);
	if (fd < 0 || (err = nl_resolve(fd, &f))) {
		fprintf(stderr, "nlrace: family %s: %s\n", SHADOWVMM_GENL_NAME,
			strerror(fd < 0 ? -fd : -err));
		return 1;
	}
	family = f.id;
	if (churn_n >= 0)
		return churn(churn_n);

	pthread_barrier_init(&go, NULL, nthreads + 1);
	pthread_barrier_init(&done, NULL, nthreads + 1);
	for (i = 0; i < nthreads; i++) {
		workers[i].idx = i;
		workers[i].rng = seed * 0x9e3779b97f4a7c15ULL + i + 1;
		if (pthread_create(&workers[i].th, NULL, worker_main, &workers[i]))
			return 1;
	}
	if (pthread_create(&wd, NULL, watchdog, NULL))
		return 1;
	rng = seed;
	t0 = now_s();
	for (r = 0; r < rounds; r++) {
		uint32_t id;
		int g = below(&rng, 4);

		/* spinning guests half the time: a stop must really kick */
		g = g >= 3 ? 0 : g;
		err = nl_vm_new(fd, family, &seq, guests[g], sizes[g], &id);
		if (err) {
			printf("FAIL: round %d: create and load: %s\n", r,
			       strerror(-err));
			return 1;
		}
		round_id = id;
		plan(r, &rng);
		pthread_barrier_wait(&go);
		pthread_barrier_wait(&go);
		pthread_barrier_wait(&done);
		/* whatever the threads left standing */
		if (nl_vm_op(fd, family, &seq, SHADOWVMM_CMD_VM_DESTROY, id, &a) ||
		    (a.err && a.err != -ENOENT)) {
			printf("FAIL: round %d: destroy: %d %s\n", r, a.err, a.msg);
			return 1;
		}
	}
	quit = 1;
	pthread_barrier_wait(&go);
	for (i = 0; i < nthreads; i++)
		pthread_join(workers[i].th, NULL);

	left = count_vms(fd, &seq);
	printf("nlrace: %d rounds, %d threads, %d CPU(s), bound %d s, %.1f s\n",
	       rounds, nthreads, ncpus, bound, now_s() - t0);
	for (i = 0; i < NR_OPS; i++) {
		unsigned long long n = 0, c[4] = {};
		double m = 0;
		int k, j;

		for (j = 0; j < nthreads; j++) {
			n += workers[j].nreq[i];
			for (k = 0; k < 4; k++)
				c[k] += workers[j].by_err[i][k];
			if (workers[j].longest[i] > m)
				m = workers[j].longest[i];
		}
		total += n;
		if (m > longest)
			longest = m;
		printf("nlrace: %-18s %7llu requests (ok %llu, ENOENT %llu, EINVAL/EBUSY %llu), longest %.3f s\n",
		       op_names[i], n, c[0], c[1], c[2], m);
	}
	printf("nlrace: %llu requests, longest %.3f s, VMs left %d\n", total,
	       longest, left);
	if (left != 0) {
		printf("FAIL: %d VMs left after the rounds\n", left);
		return 1;
	}
	return 0;
usage:
	fprintf(stderr, "usage: nlrace [--rounds N] [--threads N] [--bound SECS] [--seed N] | --churn N\n");
	return 2;
}
