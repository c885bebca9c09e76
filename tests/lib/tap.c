// SPDX-License-Identifier: GPL-2.0
/*
 * tap.c - runner of tap.h: one forked child per case, TAP 13 on stdout.
 *
 * The parent owns stdout.  A case's child writes into a pipe and the parent
 * relays each line with a "# " prefix; the verdict travels through a shared
 * anonymous page, so an ASSERT (which _exit()s) or a SKIP needs no protocol
 * of its own, and a crash or a hang is told apart from a failure by the
 * wait status.  The child leads its own process group: on timeout or when
 * the case ends, whatever it left running is killed with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define TAP_EXIT_FAIL	1

/* What a case's child tells the parent; lives in a MAP_SHARED page. */
struct tap_verdict {
	int finished;		/* the case function returned */
	int failed;		/* an ASSERT or EXPECT failed */
	int skipped;		/* SKIP() was called */
	char reason[480];	/* SKIP() reason */
};

static struct tap_case *tap_cases;
static struct tap_verdict *tap_verdict;	/* non-NULL only inside a child */

/* Keep source order whatever order the constructors ran in. */
static int tap_before(const struct tap_case *a, const struct tap_case *b)
{
	int c = strcmp(a->file, b->file);

	return c ? c < 0 : a->line < b->line;
}

void tap_register(struct tap_case *tc)
{
	struct tap_case **p = &tap_cases;

	while (*p && !tap_before(tc, *p))
		p = &(*p)->next;
	tc->next = *p;
	*p = tc;
}

static void tap_vprint(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stdout);
	vfprintf(stdout, fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
}

void tap_fail_(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s:%d: ", file, line);
	va_start(ap, fmt);
	tap_vprint("", fmt, ap);
	va_end(ap);
	if (tap_verdict)
		tap_verdict->failed = 1;
}

void tap_abort_(void)
{
	fflush(NULL);
	_exit(TAP_EXIT_FAIL);
}

void tap_skip_(const char *fmt, ...)
{
	va_list ap;

	fflush(NULL);
	if (!tap_verdict)
		_exit(TAP_EXIT_FAIL);
	va_start(ap, fmt);
	vsnprintf(tap_verdict->reason, sizeof(tap_verdict->reason), fmt, ap);
	va_end(ap);
	/* A newline would end the TAP line early. */
	tap_verdict->reason[strcspn(tap_verdict->reason, "\n")] = '\0';
	tap_verdict->skipped = 1;
	_exit(0);
}

void tap_log_(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	(void)file;
	(void)line;
	va_start(ap, fmt);
	tap_vprint("", fmt, ap);
	va_end(ap);
}

static double tap_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Relays the child's output line by line with a "# " prefix. */
struct tap_relay {
	char buf[4096];
	size_t len;
};

static void tap_relay_flush(struct tap_relay *r)
{
	if (r->len) {
		printf("# %.*s\n", (int)r->len, r->buf);
		r->len = 0;
	}
}

/* Returns 0 at end of file, 1 when data was read, -1 when none is ready. */
static int tap_relay_read(struct tap_relay *r, int fd)
{
	char chunk[1024];
	ssize_t n, i;

	n = read(fd, chunk, sizeof(chunk));
	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? -1 : 0;
	for (i = 0; i < n; i++) {
		if (chunk[i] == '\n' || r->len == sizeof(r->buf)) {
			tap_relay_flush(r);
			if (chunk[i] == '\n')
				continue;
		}
		r->buf[r->len++] = chunk[i];
	}
	fflush(stdout);
	return n > 0;
}

static void tap_run_child(struct tap_case *tc, int out)
{
	setpgid(0, 0);
	dup2(out, STDOUT_FILENO);
	dup2(out, STDERR_FILENO);
	close(out);
	signal(SIGPIPE, SIG_DFL);
	tc->fn();
	fflush(NULL);
	tap_verdict->finished = 1;
	_exit(tap_verdict->failed ? TAP_EXIT_FAIL : 0);
}

/*
 * Waits for the child and relays its output until it exits and the pipe is
 * drained, or until the deadline.  Returns the wait status, or -1 on
 * timeout (the child is killed then).
 */
static int tap_supervise(pid_t pid, int in, unsigned int timeout)
{
	struct tap_relay relay = { .len = 0 };
	double deadline = tap_now() + timeout;
	int pidfd, status = 0, exited = 0, eof = 0;

	pidfd = syscall(SYS_pidfd_open, pid, 0);
	fcntl(in, F_SETFL, O_NONBLOCK);
	while (!exited || !eof) {
		struct pollfd pfd[2] = {
			{ .fd = eof ? -1 : in, .events = POLLIN },
			{ .fd = exited ? -1 : pidfd, .events = POLLIN },
		};
		double left = deadline - tap_now();
		int ms = left > 0 ? (int)(left * 1000) + 1 : 0;

		if (left <= 0)
			break;
		/* Without pidfd, look at the child every 20 ms. */
		if (pidfd < 0 && !exited && ms > 20)
			ms = 20;
		if (poll(pfd, 2, ms) < 0 && errno != EINTR)
			break;
		if (!eof && tap_relay_read(&relay, in) == 0)
			eof = 1;
		if (!exited && waitpid(pid, &status, WNOHANG) == pid) {
			exited = 1;
			/* Leftover processes of the case must not keep the
			 * pipe open.
			 */
			kill(-pid, SIGKILL);
		}
	}
	if (!exited) {
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
		while (tap_relay_read(&relay, in) > 0)
			;
	}
	tap_relay_flush(&relay);
	if (pidfd >= 0)
		close(pidfd);
	return exited ? status : -1;
}

static int tap_run_case(struct tap_case *tc, int num, struct tap_verdict *v)
{
	double start = tap_now(), took;
	int pipefd[2], status, ok = 0;
	pid_t pid;

	memset(v, 0, sizeof(*v));
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		printf("# pipe: %s\nnot ok %d %s\n", strerror(errno), num,
		       tc->name);
		return 0;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\nnot ok %d %s\n", strerror(errno), num,
		       tc->name);
		close(pipefd[0]);
		close(pipefd[1]);
		return 0;
	}
	if (pid == 0) {
		close(pipefd[0]);
		tap_verdict = v;
		tap_run_child(tc, pipefd[1]);
	}
	setpgid(pid, pid);	/* no race with the child's own setpgid() */
	close(pipefd[1]);
	status = tap_supervise(pid, pipefd[0], tc->timeout);
	close(pipefd[0]);
	took = tap_now() - start;

	if (status == -1) {
		printf("# %s: timed out after %u s\n", tc->name, tc->timeout);
	} else if (WIFSIGNALED(status)) {
		printf("# %s: killed by signal %d (%s)\n", tc->name,
		       WTERMSIG(status), strsignal(WTERMSIG(status)));
	} else if (v->failed) {
		/* the failed check has been reported already */
	} else if (WEXITSTATUS(status)) {
		printf("# %s: exited with status %d\n", tc->name,
		       WEXITSTATUS(status));
	} else if (v->skipped) {
		printf("ok %d %s # SKIP %s\n", num, tc->name, v->reason);
		fflush(stdout);
		return 1;
	} else if (!v->finished) {
		printf("# %s: exited before the end of the case\n", tc->name);
	} else {
		ok = 1;
	}
	if (took >= 1.0)
		printf("# %s: %.1f s\n", tc->name, took);
	printf("%s %d %s\n", ok ? "ok" : "not ok", num, tc->name);
	fflush(stdout);
	return ok;
}

static int tap_selected(const struct tap_case *tc, char **names, int n)
{
	int i;

	if (!n)
		return 1;
	for (i = 0; i < n; i++)
		if (!strcmp(names[i], tc->name))
			return 1;
	return 0;
}

static void tap_usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [-l] [-t CASE]...\n"
		"  -t CASE  run only CASE (repeatable)\n"
		"  -l       list the cases\n", argv0);
}

int tap_main(int argc, char **argv)
{
	struct tap_verdict *v;
	struct tap_case *tc;
	char **names;
	int i, n = 0, planned = 0, num = 0, failed = 0, list = 0;

	names = calloc(argc, sizeof(*names));
	if (!names)
		return 2;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			names[n++] = argv[++i];
		} else if (!strcmp(argv[i], "-l")) {
			list = 1;
		} else {
			tap_usage(argv[0]);
			return 2;
		}
	}
	for (i = 0; i < n; i++) {
		for (tc = tap_cases; tc; tc = tc->next)
			if (!strcmp(names[i], tc->name))
				break;
		if (!tc) {
			fprintf(stderr, "%s: no test case named %s\n", argv[0],
				names[i]);
			return 2;
		}
	}
	for (tc = tap_cases; tc; tc = tc->next) {
		if (!tap_selected(tc, names, n))
			continue;
		if (list)
			printf("%s\n", tc->name);
		planned++;
	}
	if (list)
		return 0;

	v = mmap(NULL, sizeof(*v), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (v == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	printf("TAP version 13\n1..%d\n", planned);
	for (tc = tap_cases; tc; tc = tc->next) {
		if (!tap_selected(tc, names, n))
			continue;
		if (!tap_run_case(tc, ++num, v))
			failed++;
	}
	if (failed)
		printf("# %d of %d cases failed\n", failed, planned);
	fflush(stdout);
	free(names);
	return failed ? 1 : 0;
}
