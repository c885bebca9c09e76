// SPDX-License-Identifier: GPL-2.0
/*
 * core: /dev/mic/ctrl, the query ioctl, command dispatch and the card
 * registry as seen through /sys/class/mic, with simulated cards coming
 * and going.  Runs with no card created by vm-run ('cards': 0).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/micmem.h>

#include "micsim.h"
#include "tap.h"

#define CTRL_PATH	"/dev/" MICMEM_CTRL_NODE

static int open_ctrl(void)
{
	int fd = open(CTRL_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_OK(fd);
	return fd;
}

static struct micmem_query query(int fd)
{
	struct micmem_query q;

	memset(&q, 0xa5, sizeof(q));
	ASSERT_OK(ioctl(fd, MICMEM_IOC_QUERY, &q));
	return q;
}

static int card_dir_exists(int n)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/class/mic/mic%d", n);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void need_sim(void)
{
	struct stat st;

	if (stat(MICSIM_CONFIGFS, &st))
		SKIP("micmem_sim has no configfs directory %s yet", MICSIM_CONFIGFS);
}

TEST(ctrl_node_is_a_char_device)
{
	struct stat st;

	ASSERT_OK(stat(CTRL_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	/* Root only: the node hands out DMA to any card. */
	EXPECT_EQ(st.st_mode & 07777, 0600);
	close(open_ctrl());
}

TEST(query_reports_version_and_no_card)
{
	int fd = open_ctrl();
	struct micmem_query q = query(fd);
	unsigned int i;

	EXPECT_EQ(q.api_version, MICMEM_API_VERSION);
	EXPECT_EQ(q.num_cards, 0);
	EXPECT_GT(q.max_cards, 0);
	/* The whole struct was written: no stale 0xa5 bytes, zero reserved. */
	for (i = 0; i < sizeof(q.reserved) / sizeof(q.reserved[0]); i++)
		EXPECT_EQ(q.reserved[i], 0);
	close(fd);
}

TEST(query_to_bad_pointer_is_efault)
{
	int fd = open_ctrl();

	EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_QUERY, NULL), EFAULT);
	close(fd);
}

TEST(unknown_ioctl_is_enotty)
{
	char buf[256] = { 0 };
	int fd = open_ctrl();

	/* An unused number in our range, another type, and QUERY with a
	 * different size encoded: none of them is a command.
	 */
	EXPECT_ERRNO(ioctl(fd, _IO(MICMEM_IOC_MAGIC, 0x7f)), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, _IOR('x', 0x00, struct micmem_query), buf),
		     ENOTTY);
	EXPECT_ERRNO(ioctl(fd, _IOC(_IOC_READ, MICMEM_IOC_MAGIC, 0x00, 8), buf),
		     ENOTTY);
	close(fd);
}

TEST(cards_appear_and_disappear)
{
	int fd = open_ctrl(), a, b;
	struct micmem_query q;
	char path[96], buf[64];

	need_sim();
	micsim_defer_del("core_a");
	a = micsim_add("core_a", NULL);
	ASSERT_GE(a, 0);
	micsim_defer_del("core_b");
	b = micsim_add("core_b", NULL);
	ASSERT_GE(b, 0);
	EXPECT_NE(a, b);

	q = query(fd);
	EXPECT_EQ(q.num_cards, 2);
	EXPECT_TRUE(card_dir_exists(a));
	EXPECT_TRUE(card_dir_exists(b));
	snprintf(path, sizeof(path), "/sys/class/mic/mic%d/family", a);
	ASSERT_EQ(micsim_read(path, buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "x100");

	ASSERT_EQ(micsim_del("core_a"), 0);
	EXPECT_FALSE(card_dir_exists(a));
	EXPECT_TRUE(card_dir_exists(b));
	EXPECT_EQ(query(fd).num_cards, 1);

	ASSERT_EQ(micsim_del("core_b"), 0);
	EXPECT_FALSE(card_dir_exists(b));
	EXPECT_EQ(query(fd).num_cards, 0);
	close(fd);
}

TEST(card_removal_while_ctrl_is_open)
{
	int fd = open_ctrl(), n;

	need_sim();
	micsim_defer_del("core_c");
	n = micsim_add("core_c", NULL);
	ASSERT_GE(n, 0);
	EXPECT_EQ(query(fd).num_cards, 1);
	ASSERT_EQ(micsim_del("core_c"), 0);
	EXPECT_FALSE(card_dir_exists(n));
	/* The open file outlives the card and still answers. */
	EXPECT_EQ(query(fd).num_cards, 0);
	EXPECT_ERRNO(ioctl(fd, _IO(MICMEM_IOC_MAGIC, 0x7f)), ENOTTY);
	EXPECT_OK(close(fd));
}

TEST(micsim_rejects_duplicates_and_unknown_cards)
{
	int n;

	need_sim();
	micsim_defer_del("core_d");
	micsim_defer_del("core_e");
	n = micsim_add("core_d", NULL);
	ASSERT_GE(n, 0);
	EXPECT_EQ(micsim_add("core_d", NULL), -EEXIST);
	EXPECT_EQ(micsim_add("core_e", "no_such_attribute=1", NULL), -ENOENT);
	EXPECT_EQ(micsim_del("core_e"), -ENOENT);
	EXPECT_EQ(micsim_del("core_d"), 0);
	EXPECT_EQ(micsim_del("core_d"), -ENOENT);
}

TEST_MAIN()
