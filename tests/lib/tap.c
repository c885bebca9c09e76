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
 *
 * The teardown stack (tap_defer*()) lives in the same shared page.  The
 * child pops and runs it at the end of the case, in tap_abort_(), in
 * tap_skip_() and from exit() (atexit); what is left when the child is
 * gone (crash, kill, timeout, _exit()) the parent runs: the entries are
 * data (write this value to that file, remove that directory) except those
 * of tap_defer(fn, arg), which only the child can run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include "tap.h"

#ifndef CONFIGFS_MAGIC		/* fs/configfs/mount.c, not in the UAPI */
#define CONFIGFS_MAGIC	0x62656570
#endif

#define TAP_EXIT_FAIL	1

enum tap_defer_kind {
	TAP_DEFER_FN,		/* fn(arg), in the child only */
	TAP_DEFER_WRITE,	/* write value to path */
	TAP_DEFER_RMDIR,	/* rmdir(path) */
};

struct tap_defer_entry {
	enum tap_defer_kind kind;
	void (*fn)(void *arg);
	void *arg;
	char path[TAP_DEFER_PATH];
	char value[TAP_DEFER_VALUE];
};

/* What a case's child tells the parent; lives in a MAP_SHARED mapping. */
struct tap_verdict {
	int finished;		/* the case function returned */
	int failed;		/* an ASSERT or EXPECT failed */
	int skipped;		/* SKIP() was called */
	char reason[480];	/* SKIP() reason */
	int ndefer;		/* entries of defer[] still to run */
	struct tap_defer_entry defer[TAP_DEFER_MAX];
};

static struct tap_case *tap_cases;
static struct tap_verdict *tap_verdict;	/* non-NULL only inside a child */
static pid_t tap_case_pid;		/* the case's own process */

static void tap_teardown(void);

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

	if (file)
		printf("%s:%d: ", file, line);
	va_start(ap, fmt);
	tap_vprint("", fmt, ap);
	va_end(ap);
	if (tap_verdict)
		tap_verdict->failed = 1;
}

int tap_cmp_(unsigned long long a, int a_signed, unsigned long long b,
	     int b_signed)
{
	int a_neg = a_signed && (long long)a < 0;
	int b_neg = b_signed && (long long)b < 0;

	if (a_neg != b_neg)
		return a_neg ? -1 : 1;
	/* Same sign: two's complement keeps the order of the bit patterns. */
	return a < b ? -1 : a > b;
}

void tap_fail_cmp_(const char *file, int line, const char *sa,
		   const char *op, const char *sb, unsigned long long a,
		   int a_signed, unsigned long long b, int b_signed)
{
	char va[32], vb[32];

	snprintf(va, sizeof(va), a_signed ? "%lld" : "%llu", a);
	snprintf(vb, sizeof(vb), b_signed ? "%lld" : "%llu", b);
	tap_fail_(file, line, "expected %s %s %s, got %s vs %s", sa, op, sb,
		  va, vb);
}

void tap_abort_(void)
{
	tap_teardown();
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
	tap_teardown();
	fflush(NULL);
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

/* ---- teardown ---- */

/* Ends the case: a registration that cannot be made is a failed ASSERT. */
static void __attribute__((noreturn))
tap_defer_fail(const char *what, const char *path, const char *why)
{
	tap_fail_(NULL, 0, "teardown: cannot register %s%s%s: %s", what,
		  path ? " " : "", path ? path : "", why);
	if (!tap_verdict)
		_exit(TAP_EXIT_FAIL);
	tap_abort_();
}

static struct tap_defer_entry *tap_defer_push(enum tap_defer_kind kind,
					      const char *what,
					      const char *path)
{
	struct tap_defer_entry *e;

	if (!tap_verdict || getpid() != tap_case_pid)
		tap_defer_fail(what, path, "not in the process of a case");
	if (path && strlen(path) >= TAP_DEFER_PATH)
		tap_defer_fail(what, path, "path too long");
	if (tap_verdict->ndefer >= TAP_DEFER_MAX)
		tap_defer_fail(what, path, "too many teardown actions");
	e = &tap_verdict->defer[tap_verdict->ndefer];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	if (path)
		strcpy(e->path, path);
	return e;
}

/* The entry becomes visible to the teardown only once it is complete. */
static void tap_defer_commit(void)
{
	tap_verdict->ndefer++;
}

static int tap_defer_has(enum tap_defer_kind kind, const char *path)
{
	int i;

	for (i = 0; tap_verdict && i < tap_verdict->ndefer; i++)
		if (tap_verdict->defer[i].kind == kind &&
		    !strcmp(tap_verdict->defer[i].path, path))
			return 1;
	return 0;
}

void tap_defer(void (*fn)(void *arg), void *arg)
{
	struct tap_defer_entry *e = tap_defer_push(TAP_DEFER_FN, "a function",
						   NULL);

	e->fn = fn;
	e->arg = arg;
	tap_defer_commit();
}

void tap_defer_write(const char *path, const char *value)
{
	struct tap_defer_entry *e = tap_defer_push(TAP_DEFER_WRITE, "a write to",
						   path);

	if (strlen(value) >= TAP_DEFER_VALUE)
		tap_defer_fail("a write to", path, "value too long");
	strcpy(e->value, value);
	tap_defer_commit();
}

void tap_defer_restore_file(const char *path)
{
	struct tap_defer_entry *e;
	ssize_t n;
	int fd;

	if (tap_defer_has(TAP_DEFER_WRITE, path))
		return;
	e = tap_defer_push(TAP_DEFER_WRITE, "the restore of", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		tap_defer_fail("the restore of", path, strerror(errno));
	do {
		n = read(fd, e->value, sizeof(e->value));
	} while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		tap_defer_fail("the restore of", path, strerror(errno));
	if ((size_t)n == sizeof(e->value))
		tap_defer_fail("the restore of", path, "value too long");
	e->value[n] = '\0';
	if (n && e->value[n - 1] == '\n')
		e->value[n - 1] = '\0';
	tap_defer_commit();
}

void tap_defer_rmdir(const char *path)
{
	if (tap_defer_has(TAP_DEFER_RMDIR, path))
		return;
	tap_defer_push(TAP_DEFER_RMDIR, "the removal of", path);
	tap_defer_commit();
}

/*
 * A plain file is truncated before it is rewritten; the attribute files of
 * sysfs, debugfs, configfs and procfs are not files to truncate: each
 * write() is one store.
 */
static void tap_defer_truncate(int fd)
{
	struct statfs sfs;
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || fstatfs(fd, &sfs))
		return;
	switch (sfs.f_type) {
	case SYSFS_MAGIC:
	case DEBUGFS_MAGIC:
	case CONFIGFS_MAGIC:
	case PROC_SUPER_MAGIC:
	case TRACEFS_MAGIC:
		return;
	}
	if (ftruncate(fd, 0))
		return;		/* the write() below reports trouble */
}

/*
 * Runs one data entry; 0 (also when its file or directory is gone) or
 * -errno.
 */
static int tap_defer_do(const struct tap_defer_entry *e)
{
	/* An empty value is one newline, or the store would not run. */
	const char *v = e->value[0] ? e->value : "\n";
	size_t len = strlen(v);
	int fd, err = 0;
	ssize_t n;

	if (e->kind == TAP_DEFER_RMDIR) {
		err = rmdir(e->path) ? -errno : 0;
	} else {
		fd = open(e->path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return errno == ENOENT ? 0 : -errno;
		tap_defer_truncate(fd);
		do {
			n = write(fd, v, len);
		} while (n < 0 && errno == EINTR);
		if (n < 0)
			err = -errno;
		else if ((size_t)n != len)
			err = -EIO;
		if (close(fd) && !err)
			err = -errno;
	}
	return err == -ENOENT ? 0 : err;
}

static void tap_defer_describe(const struct tap_defer_entry *e, char *buf,
			       size_t len)
{
	if (e->kind == TAP_DEFER_RMDIR)
		snprintf(buf, len, "rmdir %s", e->path);
	else
		snprintf(buf, len, "write \"%s\" to %s", e->value, e->path);
}

/*
 * In the case's process: pops and runs the stack.  Each entry is popped
 * before it runs, so an ASSERT inside a tap_defer() function (which comes
 * back here through tap_abort_()) goes on with the next one.
 */
static void tap_teardown(void)
{
	struct tap_defer_entry e;
	char what[TAP_DEFER_PATH + TAP_DEFER_VALUE + 32];
	int err;

	if (!tap_verdict || getpid() != tap_case_pid)
		return;
	fflush(NULL);
	while (tap_verdict->ndefer > 0) {
		e = tap_verdict->defer[--tap_verdict->ndefer];
		if (e.kind == TAP_DEFER_FN) {
			e.fn(e.arg);
			continue;
		}
		err = tap_defer_do(&e);
		if (err) {
			tap_defer_describe(&e, what, sizeof(what));
			tap_fail_(NULL, 0, "teardown: %s: %s", what,
				  strerror(-err));
		}
	}
	fflush(NULL);
}

static void tap_teardown_atexit(void)
{
	tap_teardown();
}

/*
 * In the parent, once the case's process is gone: runs what it left.
 * Returns the number of entries that failed or could not run.
 */
static int tap_teardown_leftovers(const char *name, struct tap_verdict *v)
{
	char what[TAP_DEFER_PATH + TAP_DEFER_VALUE + 32];
	int bad = 0, err;

	if (v->ndefer > 0)
		printf("# %s: teardown of %d action%s by the runner\n", name,
		       v->ndefer, v->ndefer == 1 ? "" : "s");
	while (v->ndefer > 0) {
		const struct tap_defer_entry *e = &v->defer[--v->ndefer];

		if (e->kind == TAP_DEFER_FN) {
			printf("# teardown: a tap_defer() function was not run: the case's process is gone\n");
			bad++;
			continue;
		}
		tap_defer_describe(e, what, sizeof(what));
		err = tap_defer_do(e);
		printf("# teardown: %s%s%s\n", what, err ? ": " : "",
		       err ? strerror(-err) : "");
		if (err)
			bad++;
	}
	fflush(stdout);
	return bad;
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
	tap_case_pid = getpid();
	atexit(tap_teardown_atexit);
	tc->fn();
	tap_teardown();
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
	int pipefd[2], status, ok = 0, teardown_bad;
	pid_t pid;

	memset(v, 0, offsetof(struct tap_verdict, defer));
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
	/* The whole process group is gone: undo what the case left. */
	teardown_bad = tap_teardown_leftovers(tc->name, v);

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
	} else if (teardown_bad) {
		printf("# %s: teardown failed\n", tc->name);
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
