// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of tests/lib/micsim.c: the file helpers and argument checks
 * (the configfs side runs in the VM, see tests/vm/core.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "micsim.h"
#include "tap.h"

static void tmpfile_with(char *path, size_t len, const char *content)
{
	int fd;

	snprintf(path, len, "/tmp/micsim_io.XXXXXX");
	fd = mkstemp(path);
	ASSERT_OK(fd);
	ASSERT_EQ(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
}

TEST(read_strips_one_trailing_newline)
{
	char path[64], buf[32];

	tmpfile_with(path, sizeof(path), "42\n\n");
	ASSERT_EQ(micsim_read(path, buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "42\n");
	unlink(path);
}

TEST(read_truncates_to_the_buffer)
{
	char path[64], buf[4];

	tmpfile_with(path, sizeof(path), "abcdef");
	ASSERT_EQ(micsim_read(path, buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "abc");
	EXPECT_EQ(micsim_read(path, buf, 0), -EINVAL);
	unlink(path);
}

TEST(read_of_missing_file_is_enoent)
{
	char buf[8];

	EXPECT_EQ(micsim_read("/nonexistent/x", buf, sizeof(buf)), -ENOENT);
}

TEST(write_writes_the_value_without_newline)
{
	char path[64], buf[32];

	tmpfile_with(path, sizeof(path), "");
	ASSERT_EQ(micsim_write(path, "hello"), 0);
	ASSERT_EQ(micsim_read(path, buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "hello");
	EXPECT_EQ(micsim_write("/nonexistent/x", "1"), -ENOENT);
	EXPECT_EQ(micsim_write("/tmp", "1"), -EISDIR);
	unlink(path);
}

TEST(mmio_file_is_parsed_per_register)
{
	static struct micsim_mmio m;
	char path[64];

	tmpfile_with(path, sizeof(path),
		     "SICR0 0x19004 reads 3 writes 2\n"
		     "DHPR0 0x1a004 reads 0 writes 7\n");
	ASSERT_EQ(micsim_mmio_read(path, &m), 0);
	EXPECT_EQ(m.reads[0x19004 / 4], 3);
	EXPECT_EQ(m.writes[0x19004 / 4], 2);
	EXPECT_EQ(m.writes[0x1a004 / 4], 7);
	EXPECT_EQ(m.reads[0x1a004 / 4], 0);
	EXPECT_EQ(m.writes[0x19000 / 4], 0);
	unlink(path);
	EXPECT_EQ(micsim_mmio_read("/nonexistent/x", &m), -ENOENT);
}

TEST(mmio_file_with_a_bad_line_is_einval)
{
	static const char *const bad[] = {
		"SICR0 0x19004 reads 3\n",			/* short */
		"SICR0 0x19006 reads 3 writes 2\n",		/* unaligned */
		"X 0x20000 reads 1 writes 1\n",		/* past the BAR */
		"SICR0 0x19004 reads 3 writes 2 more\n",	/* trailing */
		"SICR0 0x19004 reads 3 writes 2",		/* cut off */
	};
	static struct micsim_mmio m;
	char path[64];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tmpfile_with(path, sizeof(path), bad[i]);
		EXPECT_EQ(micsim_mmio_read(path, &m), -EINVAL);
		unlink(path);
	}
}

TEST(bad_names_are_einval)
{
	EXPECT_EQ(micsim_add("a/b", NULL), -EINVAL);
	EXPECT_EQ(micsim_add("", NULL), -EINVAL);
	EXPECT_EQ(micsim_del("../x"), -EINVAL);
	EXPECT_EQ(micsim_set("card", "a/b", "1"), -EINVAL);
	EXPECT_EQ(micsim_set("card", "", "1"), -EINVAL);
	EXPECT_EQ(micsim_knob_set("card", "../live", "1"), -EINVAL);
	EXPECT_EQ(micsim_knob_get("card", "x/y"), -EINVAL);
	EXPECT_EQ(micsim_peek("a/b", 0), -EINVAL);
	EXPECT_EQ(micsim_knob_wait("card", "../x", 0, 10), -EINVAL);
	EXPECT_EQ(micsim_poke("", 0, 0), -EINVAL);
	EXPECT_EQ(micsim_mmio("../x", NULL), -EINVAL);
}

TEST(without_the_sim_add_is_enoent)
{
	struct stat st;

	if (!stat(MICSIM_CONFIGFS, &st))
		SKIP("%s exists on this machine", MICSIM_CONFIGFS);
	EXPECT_EQ(micsim_add("card0", NULL), -ENOENT);
	EXPECT_EQ(micsim_del("card0"), -ENOENT);
	EXPECT_EQ(micsim_knob_get("card0", "descriptors"), -ENOENT);
	EXPECT_EQ(micsim_peek("card0", 0), -ENOENT);
	EXPECT_EQ(micsim_knob_wait("card0", "interrupts", 1, 10), -ENOENT);
	EXPECT_EQ(micsim_poke("card0", 0, 0), -ENOENT);
}

TEST_MAIN()
