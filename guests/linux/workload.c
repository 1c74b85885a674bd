// SPDX-License-Identifier: GPL-2.0
/*
 * The Linux guest's workloads: what an OS does to its page tables all day,
 * each checked and counted, so that the same vmlinux and initramfs print
 * the same lines under shadowvmm and under QEMU.
 *
 *   workload fork-exit N     N times: fork, the child exits, wait: the
 *                            operation the benchmark times
 *   workload fork-exec N     N times: fork, the child execs "workload nop"
 *   workload mmap N          N times: map 1 MiB, touch every page, check,
 *                            unmap
 *   workload pipeline N      N processes in a pipe, 256 KiB through them
 *   workload forkwait N      the Adams & Agesen forkwait: N times fork, the
 *                            child exits at once, wait (40,000 by default)
 *   workload exit STATUS     end the VM with STATUS through the isa-debug-exit
 *                            port (QEMU's -device isa-debug-exit,iobase=0xf4
 *                            and shadowvmm's), once the console has drained
 *
 * Each prints one line saying what it did, and exits 0 only if all of it
 * checked out. With WORKLOAD_TSC=1 in the environment it also prints the
 * guest TSC cycles per operation, which differ from run to run and VMM to
 * VMM, so the comparison with QEMU leaves them out.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <x86intrin.h>

#define MMAP_BYTES	(1 << 20)
#define PIPE_BYTES	(256 << 10)
#define PAGE		4096
#define DEBUG_EXIT_PORT	0xf4

static const char *self = "/usr/bin/workload";

static int reap(pid_t pid, const char *what)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "%s: waitpid: %s\n", what, strerror(errno));
			return -1;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "%s: child ended with status %#x\n", what, status);
		return -1;
	}
	return 0;
}

/* Also Adams & Agesen's forkwait, 40,000 times by default. */
static int fork_exit(const char *name, long n)
{
	pid_t pid;
	long i;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0) {
			fprintf(stderr, "%s: fork: %s\n", name, strerror(errno));
			return -1;
		}
		if (!pid)
			_exit(0);
		if (reap(pid, name))
			return -1;
	}
	printf("%s: %ld children forked and reaped, one at a time\n", name, n);
	return 0;
}

static int fork_exec(const char *name, long n)
{
	char *const argv[] = { (char *)self, "nop", NULL };
	pid_t pid;
	long i;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0) {
			perror("fork-exec: fork");
			return -1;
		}
		if (!pid) {
			execv(self, argv);
			_exit(127);
		}
		if (reap(pid, "fork-exec"))
			return -1;
	}
	printf("fork-exec: %ld children ran %s nop\n", n, self);
	return 0;
}

static int mmap_touch(const char *name, long n)
{
	uint32_t *p;
	long i, pg;

	for (i = 0; i < n; i++) {
		p = mmap(NULL, MMAP_BYTES, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("mmap: mmap");
			return -1;
		}
		for (pg = 0; pg < MMAP_BYTES / PAGE; pg++)
			p[pg * PAGE / 4] = i * 1000 + pg;
		for (pg = 0; pg < MMAP_BYTES / PAGE; pg++) {
			if (p[pg * PAGE / 4] != (uint32_t)(i * 1000 + pg)) {
				fprintf(stderr, "mmap: round %ld page %ld reads %u\n",
					i, pg, p[pg * PAGE / 4]);
				return -1;
			}
		}
		if (munmap(p, MMAP_BYTES)) {
			perror("mmap: munmap");
			return -1;
		}
	}
	printf("mmap: %ld rounds of %d pages mapped, touched, checked, unmapped\n",
	       n, MMAP_BYTES / PAGE);
	return 0;
}

/* Copy stdin to stdout; the middle of the pipeline. */
static int relay(void)
{
	char buf[PAGE];
	ssize_t got;

	while ((got = read(0, buf, sizeof(buf))) > 0)
		if (write(1, buf, got) != got)
			return 1;
	return got < 0;
}

static int pipeline(const char *name, long n)
{
	static char buf[PAGE];
	long i, total = 0;
	int in[2], prev;
	ssize_t got;
	pid_t pid;

	if (n < 1) {
		fprintf(stderr, "pipeline: needs at least 1 process\n");
		return -1;
	}
	if (pipe(in))
		return perror("pipeline: pipe"), -1;
	prev = in[0];
	for (i = 0; i < n; i++) {
		int out[2];

		if (pipe(out))
			return perror("pipeline: pipe"), -1;
		pid = fork();
		if (pid < 0)
			return perror("pipeline: fork"), -1;
		if (!pid) {
			dup2(prev, 0);
			dup2(out[1], 1);
			close(prev);
			close(out[0]);
			close(out[1]);
			close(in[1]);
			_exit(relay());
		}
		close(prev);
		close(out[1]);
		prev = out[0];
	}
	pid = fork();
	if (!pid) {
		close(prev);
		memset(buf, 'x', sizeof(buf));
		for (i = 0; i < PIPE_BYTES / PAGE; i++)
			if (write(in[1], buf, sizeof(buf)) != sizeof(buf))
				_exit(1);
		_exit(0);
	}
	close(in[1]);
	while ((got = read(prev, buf, sizeof(buf))) > 0)
		total += got;
	while (wait(NULL) > 0)
		;
	if (total != PIPE_BYTES) {
		fprintf(stderr, "pipeline: %ld bytes came out, want %d\n", total,
			PIPE_BYTES);
		return -1;
	}
	printf("pipeline: %ld processes passed %d bytes along\n", n, PIPE_BYTES);
	return 0;
}

/* Returns only if the VM goes on: no debug-exit device. */
static int exit_vm(const char *arg)
{
	unsigned long status;
	char *end;

	status = strtoul(arg, &end, 0);
	if (*end || status > 255) {
		fprintf(stderr, "workload: bad exit status '%s'\n", arg);
		return 2;
	}
	if (ioperm(DEBUG_EXIT_PORT, 4, 1)) {
		perror("workload: ioperm");
		return 1;
	}
	/* What the console still holds must reach the host first. */
	fflush(NULL);
	tcdrain(STDOUT_FILENO);
	tcdrain(STDERR_FILENO);
	outl(status, DEBUG_EXIT_PORT);
	fprintf(stderr, "workload: port %#x did not end the VM\n", DEBUG_EXIT_PORT);
	return 1;
}

static const struct {
	const char *name;
	int (*run)(const char *name, long n);
	long default_n;
} workloads[] = {
	{ "fork-exit", fork_exit, 1000 },
	{ "fork-exec", fork_exec, 200 },
	{ "mmap", mmap_touch, 100 },
	{ "pipeline", pipeline, 8 },
	{ "forkwait", fork_exit, 40000 },
};

int main(int argc, char **argv)
{
	unsigned long long t0, t1;
	const char *tsc;
	unsigned int i;
	long n;
	int err;

	if (argc == 2 && !strcmp(argv[1], "nop"))
		return 0;
	if (argc == 3 && !strcmp(argv[1], "exit"))
		return exit_vm(argv[2]);
	for (i = 0; argc >= 2 && argc <= 3 && i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		if (strcmp(argv[1], workloads[i].name))
			continue;
		n = argc == 3 ? strtol(argv[2], NULL, 0) : workloads[i].default_n;
		if (n < 1) {
			fprintf(stderr, "workload: bad count '%s'\n", argv[2]);
			return 2;
		}
		t0 = __rdtsc();
		err = workloads[i].run(workloads[i].name, n);
		t1 = __rdtsc();
		fflush(stdout);
		tsc = getenv("WORKLOAD_TSC");
		if (!err && tsc && !strcmp(tsc, "1"))
			printf("tsc: %s %llu cycles per operation\n",
			       workloads[i].name, (t1 - t0) / n);
		return err ? 1 : 0;
	}
	fprintf(stderr, "usage: workload fork-exit|fork-exec|mmap|pipeline|forkwait [N] | exit STATUS\n");
	return 2;
}
