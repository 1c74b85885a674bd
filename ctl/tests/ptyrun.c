// SPDX-License-Identifier: GPL-2.0
/*
 * ptyrun [-i INPUT] OUT CMD [ARG]...: run CMD on a pseudo-terminal, as if
 * typed at one, and copy everything it writes there into OUT; exit with
 * CMD's status. With -i, the bytes of the file INPUT are typed once CMD
 * has written something (a prompt, say). The e2e tests' script(1), which
 * their busybox lacks: what the CLI does only on a terminal (the load
 * progress bar, console input in raw mode) can be checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[4096], input[4096];
	int master, out, status, in;
	ssize_t n, input_len = 0;
	pid_t pid;

	if (argc >= 3 && !strcmp(argv[1], "-i")) {
		in = open(argv[2], O_RDONLY);
		if (in < 0) {
			perror(argv[2]);
			return 1;
		}
		input_len = read(in, input, sizeof(input));
		close(in);
		if (input_len < 0) {
			perror(argv[2]);
			return 1;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: ptyrun [-i INPUT] OUT CMD [ARG]...\n");
		return 2;
	}
	out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		perror(argv[1]);
		return 1;
	}
	pid = forkpty(&master, NULL, NULL, NULL);
	if (pid < 0) {
		perror("forkpty");
		return 1;
	}
	if (!pid) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	/* EIO once the child is gone and the terminal has no writer left. */
	while ((n = read(master, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (write(out, buf, n) != n) {
			perror("write");
			return 1;
		}
		if (input_len > 0) {
			if (write(master, input, input_len) != input_len)
				perror("write to the terminal");
			input_len = 0;
		}
	}
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
