/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a tool from a VM test as a user would: its exit status and
 * everything it printed on stdout and stderr, read together so that
 * neither pipe can fill up and stall it.  Ends the case on a harness
 * failure (pipe, fork, poll).
 */
#ifndef MICMEM_RUN_UTIL_H
#define MICMEM_RUN_UTIL_H

#include <poll.h>
#include <pty.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

struct run {
	int status;		/* exit status, 128 + signal */
	char out[65536];
	char err[16384];
};

/* Read what is there into @buf at *@len; 0 at end of file or when full. */
static inline int run_drain(int fd, char *buf, size_t size, size_t *len)
{
	ssize_t n = read(fd, buf + *len, size - 1 - *len);

	if (n > 0) {
		*len += n;
		buf[*len] = '\0';
	}
	return n > 0 && *len < size - 1;
}

/*
 * Run @argv (argv[0] a path, NULL-terminated) to its end, its output in
 * @r.  @pty: stderr is a pseudo-terminal instead of a pipe.
 */
static inline void run_capture(struct run *r, char *const argv[], bool pty)
{
	int out[2], err[2], st;
	size_t no = 0, ne = 0;
	struct pollfd pfd[2];
	pid_t pid;

	memset(r, 0, sizeof(*r));
	ASSERT_OK(pipe(out));
	if (pty)
		ASSERT_OK(openpty(&err[0], &err[1], NULL, NULL, NULL));
	else
		ASSERT_OK(pipe(err));
	pid = fork();
	ASSERT_OK(pid);
	if (!pid) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		execv(argv[0], argv);
		_exit(127);
	}
	/* a pty's master reads EIO once the child closed the slave */
	close(out[1]);
	close(err[1]);
	pfd[0] = (struct pollfd){ .fd = out[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = err[0], .events = POLLIN };
	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		ASSERT_OK(poll(pfd, 2, 50000));
		if (pfd[0].revents &&
		    !run_drain(out[0], r->out, sizeof(r->out), &no))
			pfd[0].fd = -1;
		if (pfd[1].revents &&
		    !run_drain(err[0], r->err, sizeof(r->err), &ne))
			pfd[1].fd = -1;
	}
	close(out[0]);
	close(err[0]);
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* run_capture() without a pty; a failure's status and stderr logged. */
static inline void run_logged(struct run *r, char *const argv[])
{
	run_capture(r, argv, false);
	if (r->status)
		TH_LOG("%s: exit %d, stderr: %s", argv[0], r->status, r->err);
}

/* run_logged() of a literal argument list: RUN_INTO(&r, "/bin/x", "-a"). */
#define RUN_INTO(r, ...) run_logged(r, (char *[]){ __VA_ARGS__, NULL })

#endif /* MICMEM_RUN_UTIL_H */
