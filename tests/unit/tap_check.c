// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of tests/lib/tap.c: runs tap_sample (path in $TAP_SAMPLE) with
 * "-t CASE" and checks the TAP it prints and its exit status, and for the
 * teardown cases the files they left in $TAP_DIR.
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

struct run {
	char out[16384];
	int status;		/* exit status, or 128 + signal */
	char dir[64];		/* $TAP_DIR of the run */
};

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Teardown of run_sample(): the sample's directory goes. */
static void rm_tree(void *dir)
{
	EXPECT_OK(nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS));
	free(dir);
}

/* Contents of file @name of the run's directory, "(none)" if absent. */
static const char *file(const struct run *r, const char *name)
{
	static char buf[4][256];
	static int i;
	char *b = buf[i++ % 4], path[128];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	f = fopen(path, "r");
	if (!f)
		return "(none)";
	n = fread(b, 1, sizeof(buf[0]) - 1, f);
	b[n] = '\0';
	fclose(f);
	return b;
}

static int exists(const struct run *r, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	return access(path, F_OK) == 0;
}

/* Runs the sample with @args (NULL-terminated), stdout and stderr captured. */
static void run_sample(struct run *r, const char *const *args)
{
	const char *sample = getenv("TAP_SAMPLE");
	const char *argv[16] = { sample };
	char path[128];
	int pipefd[2], i, st;
	FILE *f;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (!sample)
		SKIP("TAP_SAMPLE is not set");
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	strcpy(r->dir, "/tmp/tap_check.XXXXXX");
	ASSERT_TRUE(mkdtemp(r->dir) != NULL);
	tap_defer(rm_tree, strdup(r->dir));
	snprintf(path, sizeof(path), "%s/a", r->dir);
	f = fopen(path, "w");
	ASSERT_TRUE(f != NULL);
	fputs("orig\n", f);
	ASSERT_EQ(fclose(f), 0);
	ASSERT_OK(pipe(pipefd));
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		setenv("TAP_DIR", r->dir, 1);
		execv(sample, (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], r->out + len, sizeof(r->out) - 1 - len)) > 0)
		len += n;
	r->out[len] = '\0';
	close(pipefd[0]);
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void run_case(struct run *r, const char *name)
{
	const char *args[] = { "-t", name, NULL };

	run_sample(r, args);
}

/* Line @line (exact) appears in the output. */
static int has_line(const struct run *r, const char *line)
{
	size_t n = strlen(line);
	const char *p = r->out;

	while ((p = strstr(p, line))) {
		if ((p == r->out || p[-1] == '\n') &&
		    (p[n] == '\n' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

static int has_text(const struct run *r, const char *text)
{
	return strstr(r->out, text) != NULL;
}

static void show(const struct run *r)
{
	TH_LOG("sample output (status %d):\n%s", r->status, r->out);
}

TEST(plan_and_version_come_first)
{
	const char *args[] = { NULL };
	struct run r;

	run_sample(&r, args);
	EXPECT_EQ(strncmp(r.out, "TAP version 13\n1..19\n", 21), 0);
	/* Some sample cases fail, so the run fails. */
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "# 13 of 19 cases failed"));
}

TEST(passing_case_is_ok_and_output_is_commented)
{
	struct run r;

	run_case(&r, "passes");
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(has_line(&r, "ok 1 passes"));
	EXPECT_TRUE(has_line(&r, "# ok 99 looks like a result"));
	EXPECT_FALSE(has_line(&r, "ok 99 looks like a result"));
	EXPECT_TRUE(has_line(&r, "# to stderr"));
	EXPECT_TRUE(has_line(&r, "# no newline at the end"));
	if (r.status)
		show(&r);
}

TEST(failed_assert_ends_the_case)
{
	struct run r;

	run_case(&r, "fails_assert");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "not ok 1 fails_assert"));
	EXPECT_TRUE(has_text(&r, "expected 1 + 1 == 3, got 2 vs 3"));
	EXPECT_FALSE(has_text(&r, "not reached"));
}

TEST(failed_expect_continues)
{
	struct run r;

	run_case(&r, "fails_expect");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "not ok 1 fails_expect"));
	EXPECT_TRUE(has_text(&r, "expected 2 != 2, got 2 vs 2"));
	EXPECT_TRUE(has_text(&r, "expected \"a\" == \"b\""));
	EXPECT_TRUE(has_line(&r, "# reached 5"));
}

TEST(skip_reports_its_reason)
{
	struct run r;

	run_case(&r, "skips");
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(has_line(&r, "ok 1 skips # SKIP reason 42"));
}

TEST(crash_is_not_ok)
{
	struct run r;

	run_case(&r, "crashes");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "not ok 1 crashes"));
	EXPECT_TRUE(has_text(&r, "killed by signal 11"));
}

TEST(hang_times_out_and_is_not_ok)
{
	struct run r;

	run_case(&r, "hangs");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "# hangs: timed out after 1 s"));
	EXPECT_TRUE(has_line(&r, "not ok 1 hangs"));
}

TEST(exit_before_the_end_is_not_ok)
{
	struct run r;

	run_case(&r, "exits_early");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "not ok 1 exits_early"));
	EXPECT_TRUE(has_text(&r, "exited before the end of the case"));
}

TEST(errno_check_names_the_errno)
{
	struct run r;

	run_case(&r, "errno_checks");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "not ok 1 errno_checks"));
	EXPECT_TRUE(has_text(&r, "expected open(\"/\", O_RDONLY) to fail with ENOENT"));
	/* The first, correct check printed nothing. */
	EXPECT_FALSE(has_text(&r, "/nonexistent/file"));
}

TEST(leftover_child_does_not_stall_the_runner)
{
	struct run r;

	run_case(&r, "leaves_a_child");
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(has_line(&r, "ok 1 leaves_a_child"));
	EXPECT_FALSE(has_text(&r, "timed out"));
}

TEST(comparisons_keep_each_sides_signedness)
{
	struct run r;

	run_case(&r, "typed_comparisons");
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(has_line(&r, "ok 1 typed_comparisons"));
	if (r.status)
		show(&r);
}

TEST(unsigned_values_print_as_unsigned)
{
	struct run r;

	run_case(&r, "prints_unsigned");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_text(&r, "expected forever == 0, got 18446744073709551615 vs 0"));
	EXPECT_TRUE(has_text(&r, "expected -1 == forever, got -1 vs 18446744073709551615"));
	EXPECT_TRUE(has_text(&r, "expected -2 > 3u, got -2 vs 3"));
}

/* The harness's own comparisons, on this side of the fork too. */
TEST(comparison_order)
{
	EXPECT_EQ(tap_cmp_((uint64_t)1 << 63, 0, 1, 1), 1);
	EXPECT_EQ(tap_cmp_(-1LL, 1, ~0ULL, 0), -1);
	EXPECT_EQ(tap_cmp_(~0ULL, 0, -1LL, 1), 1);
	EXPECT_EQ(tap_cmp_(-2LL, 1, -1LL, 1), -1);
	EXPECT_EQ(tap_cmp_(-1LL, 1, -1LL, 1), 0);
	EXPECT_EQ(tap_cmp_(5, 0, 5, 1), 0);
	EXPECT_EQ(tap_cmp_(5, 1, 6, 0), -1);
}

TEST(teardown_runs_at_the_end_of_a_passing_case)
{
	struct run r;

	run_case(&r, "teardown_after_return");
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(has_line(&r, "ok 1 teardown_after_return"));
	/* restored to what the case found, trailing newline stripped */
	EXPECT_STREQ(file(&r, "a"), "orig");
	EXPECT_STREQ(file(&r, "w"), "first");
	EXPECT_FALSE(exists(&r, "d"));
	EXPECT_FALSE(exists(&r, "gone"));
	EXPECT_FALSE(has_text(&r, "teardown:"));
	EXPECT_FALSE(has_text(&r, "by the runner"));
	if (r.status)
		show(&r);
}

TEST(teardown_runs_after_a_failed_assert_in_reverse_order)
{
	struct run r;

	run_case(&r, "teardown_after_assert");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "not ok 1 teardown_after_assert"));
	EXPECT_FALSE(has_text(&r, "not reached"));
	EXPECT_STREQ(file(&r, "a"), "orig");
	EXPECT_STREQ(file(&r, "log"), "2:changed;1:orig;");
}

TEST(teardown_runs_after_skip)
{
	struct run r;

	run_case(&r, "teardown_after_skip");
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(has_line(&r, "ok 1 teardown_after_skip # SKIP skipped after a change"));
	EXPECT_STREQ(file(&r, "a"), "orig");
}

TEST(teardown_runs_after_exit)
{
	struct run r;

	run_case(&r, "teardown_after_exit");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "not ok 1 teardown_after_exit"));
	EXPECT_FALSE(has_text(&r, "by the runner"));
	EXPECT_STREQ(file(&r, "a"), "orig");
}

TEST(runner_restores_after_a_crash)
{
	char line[256];
	struct run r;

	run_case(&r, "teardown_after_crash");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "not ok 1 teardown_after_crash"));
	EXPECT_TRUE(has_text(&r, "killed by signal 6"));
	/* "a" registered twice counts once */
	EXPECT_TRUE(has_line(&r, "# teardown_after_crash: teardown of 2 actions by the runner"));
	snprintf(line, sizeof(line), "# teardown: write \"orig\" to %s/a", r.dir);
	EXPECT_TRUE(has_line(&r, line));
	EXPECT_TRUE(has_line(&r, "# teardown: a tap_defer() function was not run: the case's process is gone"));
	EXPECT_STREQ(file(&r, "a"), "orig");
	EXPECT_STREQ(file(&r, "log"), "(none)");
}

TEST(runner_restores_after_a_timeout)
{
	struct run r;

	run_case(&r, "teardown_after_timeout");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "# teardown_after_timeout: timed out after 1 s"));
	EXPECT_TRUE(has_line(&r, "not ok 1 teardown_after_timeout"));
	EXPECT_STREQ(file(&r, "a"), "orig");
}

TEST(failed_teardown_fails_the_case)
{
	char text[256];
	struct run r;

	run_case(&r, "teardown_failure_fails");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "not ok 1 teardown_failure_fails"));
	snprintf(text, sizeof(text), "# teardown: write \"x\" to %s/: Is a directory", r.dir);
	EXPECT_TRUE(has_line(&r, text));
}

TEST(registration_that_cannot_read_ends_the_case)
{
	struct run r;

	run_case(&r, "teardown_cannot_register");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "not ok 1 teardown_cannot_register"));
	EXPECT_TRUE(has_text(&r, "teardown: cannot register the restore of"));
	EXPECT_TRUE(has_text(&r, "missing: No such file or directory"));
	EXPECT_FALSE(has_text(&r, "not reached"));
}

TEST(filter_keeps_source_order)
{
	const char *args[] = { "-t", "skips", "-t", "passes", NULL };
	struct run r;

	run_sample(&r, args);
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(has_line(&r, "1..2"));
	EXPECT_TRUE(has_line(&r, "ok 1 passes"));
	EXPECT_TRUE(has_line(&r, "ok 2 skips # SKIP reason 42"));
}

TEST(unknown_case_is_an_error)
{
	const char *args[] = { "-t", "no_such_case", NULL };
	struct run r;

	run_sample(&r, args);
	EXPECT_EQ(r.status, 2);
	EXPECT_TRUE(has_text(&r, "no test case named no_such_case"));
	EXPECT_FALSE(has_text(&r, "1.."));
}

TEST(list_prints_the_cases)
{
	const char *args[] = { "-l", NULL };
	struct run r;

	run_sample(&r, args);
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(has_line(&r, "passes"));
	EXPECT_TRUE(has_line(&r, "leaves_a_child"));
	EXPECT_FALSE(has_text(&r, "TAP version"));
}

TEST_MAIN()
