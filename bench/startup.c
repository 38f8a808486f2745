/* SPDX-License-Identifier: MIT */
/*
 * startup: run a command N times and report, per run, the time from exec to
 * the first byte on its stdout and to its exit (ns, one line per run).
 *   usage: startup N -- CMD ARGS...
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

int main(int argc, char **argv)
{
	int n, sep = 2;

	if (argc < 4 || strcmp(argv[2], "--")) {
		fprintf(stderr, "usage: startup N -- CMD ARGS...\n");
		return 2;
	}
	n = atoi(argv[1]);
	for (int i = 0; i < n; i++) {
		int p[2], status;
		uint64_t t0, first = 0;
		pid_t pid;
		char buf[4096];

		if (pipe(p) < 0)
			return 1;
		t0 = now_ns();
		pid = fork();
		if (pid == 0) {
			dup2(p[1], STDOUT_FILENO);
			close(p[0]);
			close(p[1]);
			execvp(argv[sep + 1], argv + sep + 1);
			_exit(127);
		}
		close(p[1]);
		for (;;) {
			ssize_t r = read(p[0], buf, sizeof(buf));

			if (r > 0 && !first)
				first = now_ns();
			if (r == 0 || (r < 0 && errno != EINTR))
				break;
		}
		waitpid(pid, &status, 0);
		printf("%llu %llu %d\n", (unsigned long long)(first ? first - t0 : 0),
		       (unsigned long long)(now_ns() - t0),
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		close(p[0]);
	}
	return 0;
}
