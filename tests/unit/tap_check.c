// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of tests/lib/tap.c: runs tap_sample (path in $TAP_SAMPLE) with
 * "-t CASE" and checks the TAP it prints and its exit status.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

struct run {
	char out[16384];
	int status;		/* exit status, or 128 + signal */
};

/* Runs the sample with @args (NULL-terminated), stdout and stderr captured. */
static void run_sample(struct run *r, const char *const *args)
{
	const char *sample = getenv("TAP_SAMPLE");
	const char *argv[16] = { sample };
	int pipefd[2], i, st;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (!sample)
		SKIP("TAP_SAMPLE is not set");
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	ASSERT_OK(pipe(pipefd));
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
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
	EXPECT_EQ(strncmp(r.out, "TAP version 13\n1..9\n", 20), 0);
	/* Some sample cases fail, so the run fails. */
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(has_line(&r, "# 6 of 9 cases failed"));
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
