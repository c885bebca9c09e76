// SPDX-License-Identifier: GPL-2.0
/*
 * Cases with known outcomes for tap_check: passing, failing, skipping,
 * crashing, hanging and misbehaving ones.  Not a test by itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
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

TEST_MAIN()
