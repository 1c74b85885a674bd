// SPDX-License-Identifier: GPL-2.0
/*
 * vmloop: start a VM and stop or destroy it from another CPU, round after
 * round, timing every request. The SMP e2e case runs it on two CPUs.
 *
 *   vmloop GUEST ROUNDS VCPU_CPU REQUEST_CPU
 *
 * Each round creates a VM, loads GUEST (one that never stops by itself),
 * starts it, and pins its vCPU thread to VCPU_CPU, while this process runs
 * on REQUEST_CPU. The rounds take turns ending the VM three ways:
 *   - stop (it must then be STOPPED by the user), then destroy;
 *   - destroy while it runs;
 *   - start, then stop from a second thread and destroy from the first,
 *     both at real-time priority: on one CPU the stop is waiting and the
 *     destroy reaps the vCPU thread before it ever ran, and the stop
 *     must still return.
 * Prints one line with the rounds and the slowest request; exits 1 when a
 * request failed or took longer than MAX_REQUEST_MS, 2 on usage.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../vmops.h"

/* A stop waits for one guest exit; seconds mean the host is stuck. */
#define MAX_REQUEST_MS	5000
/* A round that has not ended by then never will: say so and give up. */
#define ROUND_WATCHDOG_S	60
#define GUEST_MEM	(2 << 20)

static double slowest_ms;
static const char *slowest_op = "none";

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int pin(pid_t pid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(pid, sizeof(set), &set);
}

/* The vCPU thread of VM @id ("shadowvmm/<id>"), or 0. */
static pid_t vcpu_thread(uint32_t id)
{
	char want[32], path[300], comm[32];
	struct dirent *d;
	pid_t pid = 0;
	DIR *proc;
	FILE *f;

	snprintf(want, sizeof(want), "shadowvmm/%" PRIu32 "\n", id);
	proc = opendir("/proc");
	if (!proc)
		return 0;
	while (!pid && (d = readdir(proc))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strcmp(comm, want))
			pid = atoi(d->d_name);
		fclose(f);
	}
	closedir(proc);
	return pid;
}

/* One timed request; 0, or -1 with the reason on stderr. */
static int timed_op(struct svmm *s, uint8_t cmd, const char *name, uint32_t id)
{
	double start = now_ms(), took;
	int err = vm_op(s, cmd, id);

	took = now_ms() - start;
	if (took > slowest_ms) {
		slowest_ms = took;
		slowest_op = name;
	}
	if (err) {
		vm_perror(s, name, id, err);
		return -1;
	}
	if (took > MAX_REQUEST_MS) {
		fprintf(stderr, "vmloop: %s VM %" PRIu32 " took %.0f ms\n",
			name, id, took);
		return -1;
	}
	return 0;
}

struct stopper {
	struct svmm *s;
	uint32_t id;
	int err;
};

/* VM_STOP racing with destroy: it may find the VM running or gone. */
static void *stop_racing(void *arg)
{
	struct stopper *st = arg;
	int err = vm_op(st->s, SHADOWVMM_CMD_VM_STOP, st->id);

	st->err = err == -ENOENT || err == -EINVAL ? 0 : err;
	return NULL;
}

static int set_realtime(bool on)
{
	struct sched_param sp = { .sched_priority = on ? 50 : 0 };

	return sched_setscheduler(0, on ? SCHED_FIFO : SCHED_OTHER, &sp);
}

/*
 * The stopper thread inherits SCHED_FIFO and, sharing our priority, runs
 * only when we yield: its VM_STOP is then waiting in the kernel when our
 * VM_DESTROY comes.
 */
static int race_stop_destroy(struct svmm *s, uint32_t id)
{
	static struct svmm stop_sock;
	struct stopper st = { .s = &stop_sock, .id = id };
	double start;
	pthread_t t;
	int err;

	if (!stop_sock.sk && svmm_connect(&stop_sock))
		return -1;
	if (set_realtime(true)) {
		perror("vmloop: SCHED_FIFO");
		return -1;
	}
	err = timed_op(s, SHADOWVMM_CMD_VM_START, "start", id);
	if (!err) {
		start = now_ms();
		err = pthread_create(&t, NULL, stop_racing, &st);
		if (err) {
			fprintf(stderr, "vmloop: pthread_create: %s\n", strerror(err));
		} else {
			sched_yield();
			err = timed_op(s, SHADOWVMM_CMD_VM_DESTROY, "destroy", id);
			pthread_join(t, NULL);
			if (now_ms() - start > slowest_ms) {
				slowest_ms = now_ms() - start;
				slowest_op = "stop racing destroy";
			}
			if (st.err) {
				vm_perror(&stop_sock, "stop", id, st.err);
				err = -1;
			}
		}
	}
	set_realtime(false);
	return err ? -1 : 0;
}

static int round_trip(struct svmm *s, const struct guest_image *img,
		      int round, int vcpu_cpu)
{
	struct vm_info vm;
	uint32_t id;
	pid_t pid;
	int err;

	err = vm_create(s, GUEST_MEM, 0, &vm);
	if (err) {
		svmm_perror(s, "create", err);
		return -1;
	}
	id = vm.id;
	if (vm_load(s, id, img, NULL))
		return -1;

	switch (round % 3) {
	case 0:
	case 1:
		if (timed_op(s, SHADOWVMM_CMD_VM_START, "start", id))
			return -1;
		pid = vcpu_thread(id);
		if (pid && pin(pid, vcpu_cpu) && errno != ESRCH) {
			perror("vmloop: pinning the vCPU thread");
			return -1;
		}
		if (round % 3 == 0) {
			if (timed_op(s, SHADOWVMM_CMD_VM_STOP, "stop", id))
				return -1;
			err = vm_get(s, id, &vm);
			if (err) {
				vm_perror(s, "get", id, err);
				return -1;
			}
			if (vm.state != SHADOWVMM_VM_STOPPED ||
			    vm.stop_reason != SHADOWVMM_STOP_USER) {
				fprintf(stderr, "vmloop: VM %" PRIu32 " after stop: state %u, stop reason %u\n",
					id, vm.state, vm.stop_reason);
				return -1;
			}
		}
		return timed_op(s, SHADOWVMM_CMD_VM_DESTROY, "destroy", id);
	default:
		return race_stop_destroy(s, id);
	}
}

static void round_blocked(int sig __attribute__((unused)))
{
	static const char msg[] = "vmloop: a request blocked for a minute: stuck in the kernel\n";

	write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(1);
}

int main(int argc, char **argv)
{
	struct guest_image img;
	int rounds, vcpu_cpu, request_cpu, i;
	struct svmm s;

	if (argc != 5) {
		fprintf(stderr, "usage: vmloop GUEST ROUNDS VCPU_CPU REQUEST_CPU\n");
		return 2;
	}
	rounds = atoi(argv[2]);
	vcpu_cpu = atoi(argv[3]);
	request_cpu = atoi(argv[4]);
	if (pin(0, request_cpu)) {
		perror("vmloop: pinning to REQUEST_CPU");
		return 1;
	}
	if (image_open(&img, argv[1], NULL, GUEST_MEM) || svmm_connect(&s))
		return 1;
	signal(SIGALRM, round_blocked);
	for (i = 0; i < rounds; i++) {
		alarm(ROUND_WATCHDOG_S);
		if (round_trip(&s, &img, i, vcpu_cpu)) {
			fprintf(stderr, "vmloop: round %d of %d failed\n", i + 1, rounds);
			return 1;
		}
	}
	alarm(0);
	printf("vmloop: %d rounds, slowest request %s %.1f ms\n", rounds,
	       slowest_op, slowest_ms);
	svmm_close(&s);
	image_close(&img);
	return 0;
}
