// SPDX-License-Identifier: GPL-2.0
/*
 * Cases with known outcomes for tap_check: passing, failing, skipping,
 * crashing, hanging and misbehaving ones.  Not a test by itself.
 *
 * The teardown cases work on files in the directory $TAP_DIR, which
 * tap_check prepares ("a" holds "orig\n") and inspects afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

TEST(passes)
{
	ASSERT_EQ(2 + 2, 4);
	EXPECT_OK(0);
	printf("ok 99 looks like a result\n");
	fprintf(stderr, "to stderr\n");
	printf("no newline at the end");
}

TEST(fails_assert)
{
	ASSERT_EQ(1 + 1, 3);
	TH_LOG("not reached");
}

TEST(fails_expect)
{
	EXPECT_NE(2, 2);
	EXPECT_STREQ("a", "b");
	TH_LOG("reached %d", 5);
}

TEST(skips)
{
	SKIP("reason %d", 42);
}

TEST(crashes)
{
	raise(SIGSEGV);
}

TEST_TIMEOUT(hangs, 1)
{
	pause();
}

TEST(exits_early)
{
	exit(0);
}

TEST(errno_checks)
{
	ASSERT_ERRNO(open("/nonexistent/file", O_RDONLY), ENOENT);
	EXPECT_ERRNO(open("/", O_RDONLY), ENOENT);
}

TEST_TIMEOUT(leaves_a_child, 20)
{
	/* The grandchild keeps the output pipe open; it must not keep the
	 * runner waiting until the timeout.
	 */
	if (fork() == 0)
		pause();
}

/* Every check here fails if both sides are compared as long long. */
TEST(typed_comparisons)
{
	uint64_t top = (uint64_t)1 << 63;

	EXPECT_GT(top, 1);
	EXPECT_GE(UINT64_MAX, top);
	EXPECT_LT(-1, top);
	EXPECT_LT(INT64_MIN, top);
	EXPECT_NE(UINT64_MAX, -1);
	EXPECT_GT(UINT64_MAX, -1);
	EXPECT_LE(-1, UINT64_MAX);
	EXPECT_GT(top, INT64_MAX);
	/* and the ones that always worked still do */
	EXPECT_EQ((unsigned char)200, 200);
	EXPECT_LT(-5, 3u);
	EXPECT_EQ(UINT64_MAX, UINT64_MAX);
	EXPECT_EQ(-7LL, -7);
	EXPECT_LT(INT64_MIN, -1);
}

TEST(prints_unsigned)
{
	uint64_t forever = ~0ULL;

	EXPECT_EQ(forever, 0);
	EXPECT_EQ(-1, forever);
	EXPECT_GT(-2, 3u);
}

/* $TAP_DIR/@name, in one of four rotating buffers. */
static const char *tpath(const char *name)
{
	static char buf[4][512];
	static int i;
	char *b = buf[i++ % 4];
	const char *dir = getenv("TAP_DIR");

	snprintf(b, sizeof(buf[0]), "%s/%s", dir ? dir : "/nonexistent",
		 name);
	return b;
}

static void put(const char *name, const char *value)
{
	FILE *f = fopen(tpath(name), "w");

	ASSERT_TRUE(f != NULL);
	fputs(value, f);
	ASSERT_EQ(fclose(f), 0);
}

static const char *get(const char *name)
{
	static char buf[256];
	FILE *f = fopen(tpath(name), "r");
	size_t n;

	if (!f)
		return "(none)";
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Appends "@arg:<contents of a>;" to "log". */
static void log_a(void *arg)
{
	char line[300];
	FILE *f;

	snprintf(line, sizeof(line), "%s:%s;", (const char *)arg, get("a"));
	f = fopen(tpath("log"), "a");
	if (f) {
		fputs(line, f);
		fclose(f);
	}
}

TEST(teardown_after_return)
{
	pid_t pid;
	int st;

	ASSERT_OK(mkdir(tpath("d"), 0755));
	tap_defer_rmdir(tpath("d"));
	/* removed by the case itself: fine */
	put("gone", "1");
	tap_defer_restore_file(tpath("gone"));
	ASSERT_OK(unlink(tpath("gone")));
	tap_defer_restore_file(tpath("a"));
	put("a", "changed, and longer");
	/* registered twice: restored once, to what the case found first */
	tap_defer_restore_file(tpath("a"));
	put("a", "changed again");
	/* LIFO: "second" is written first, "first" last */
	put("w", "0");
	tap_defer_write(tpath("w"), "first");
	tap_defer_write(tpath("w"), "second");
	/* exit() in a process the case forked runs no teardown */
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0)
		exit(0);
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_STREQ(get("a"), "changed again");
	EXPECT_STREQ(get("w"), "0");
}

TEST(teardown_after_assert)
{
	tap_defer(log_a, "1");
	tap_defer_restore_file(tpath("a"));
	tap_defer(log_a, "2");
	put("a", "changed");
	ASSERT_EQ(1, 2);
	TH_LOG("not reached");
}

TEST(teardown_after_skip)
{
	tap_defer_restore_file(tpath("a"));
	put("a", "changed");
	SKIP("skipped after a change");
}

TEST(teardown_after_exit)
{
	tap_defer_restore_file(tpath("a"));
	put("a", "changed");
	exit(0);
}

TEST(teardown_after_crash)
{
	tap_defer(log_a, "never");
	tap_defer_restore_file(tpath("a"));
	put("a", "changed");
	tap_defer_restore_file(tpath("a"));
	abort();
}

TEST_TIMEOUT(teardown_after_timeout, 1)
{
	tap_defer_restore_file(tpath("a"));
	put("a", "changed");
	pause();
}

TEST(teardown_failure_fails)
{
	tap_defer_write(tpath(""), "x");	/* a directory */
}

TEST(teardown_cannot_register)
{
	tap_defer_restore_file(tpath("missing"));
	TH_LOG("not reached");
}

TEST_MAIN()
