// SPDX-License-Identifier: GPL-2.0
/*
 * The UAPI is an ABI: every struct's size and field offsets and every
 * ioctl number's encoding are pinned here.  A change that moves a field
 * breaks the build (static asserts, also checked with -m32 where i386
 * aligns __u64 to 4 bytes) and these cases.  Changing the ABI on purpose
 * means changing this file in the same commit.
 */
#include <stddef.h>
#include <linux/ioctl.h>
#include <linux/micmem.h>

#define LAYOUT(type, size)						\
	_Static_assert(sizeof(struct type) == (size), #type " size")
#define FIELD(type, field, off)						\
	_Static_assert(offsetof(struct type, field) == (off),		\
		       #type "." #field " offset")

LAYOUT(micmem_query, 64);
FIELD(micmem_query, api_version, 0);
FIELD(micmem_query, num_cards, 4);
FIELD(micmem_query, features, 8);
FIELD(micmem_query, pool_max_bytes, 16);
FIELD(micmem_query, max_batch, 24);
FIELD(micmem_query, max_cards, 28);
FIELD(micmem_query, reserved, 32);

LAYOUT(micmem_pool_create, 40);
FIELD(micmem_pool_create, size, 0);
FIELD(micmem_pool_create, flags, 8);
FIELD(micmem_pool_create, reserved0, 12);
FIELD(micmem_pool_create, mmap_offset, 16);
FIELD(micmem_pool_create, reserved, 24);

LAYOUT(micmem_pool_info, 64);
FIELD(micmem_pool_info, size, 0);
FIELD(micmem_pool_info, chunk_size, 8);
FIELD(micmem_pool_info, nr_chunks, 16);
FIELD(micmem_pool_info, map_mode, 20);
FIELD(micmem_pool_info, faults, 24);
/* 32..63: pte_faults and reserved[3] (being added); reserved ends the struct */
_Static_assert(offsetof(struct micmem_pool_info, reserved) +
	       sizeof(((struct micmem_pool_info *)0)->reserved) == 64,
	       "micmem_pool_info.reserved ends the struct");

LAYOUT(micmem_attach, 24);
FIELD(micmem_attach, card, 0);
FIELD(micmem_attach, flags, 4);
FIELD(micmem_attach, reserved, 8);

LAYOUT(micmem_xfer, 32);
FIELD(micmem_xfer, pool_offset, 0);
FIELD(micmem_xfer, card_addr, 8);
FIELD(micmem_xfer, length, 16);
FIELD(micmem_xfer, dir, 24);
FIELD(micmem_xfer, channel, 25);
FIELD(micmem_xfer, flags, 26);
FIELD(micmem_xfer, reserved, 28);

LAYOUT(micmem_submit, 48);
FIELD(micmem_submit, card, 0);
FIELD(micmem_submit, flags, 4);
FIELD(micmem_submit, count, 8);
/* the __u32 at 12 (reserved0, becoming bad_xfer) is pinned by its neighbours */
FIELD(micmem_submit, xfers, 16);
FIELD(micmem_submit, ticket, 24);
FIELD(micmem_submit, reserved, 32);

LAYOUT(micmem_wait, 48);
FIELD(micmem_wait, ticket, 0);
FIELD(micmem_wait, deadline_ns, 8);
FIELD(micmem_wait, flags, 16);
FIELD(micmem_wait, failed_xfer, 20);
FIELD(micmem_wait, error, 24);
FIELD(micmem_wait, error_class, 28);
FIELD(micmem_wait, reserved, 32);

/* Command numbers: direction, type, number and the encoded size. */
#define IOCTL(cmd, dir, nr, type)					\
	_Static_assert(_IOC_DIR(cmd) == (dir) &&			\
		       _IOC_TYPE(cmd) == MICMEM_IOC_MAGIC &&		\
		       _IOC_NR(cmd) == (nr) &&				\
		       _IOC_SIZE(cmd) == sizeof(struct type), #cmd)

IOCTL(MICMEM_IOC_QUERY, _IOC_READ, 0x00, micmem_query);
IOCTL(MICMEM_IOC_POOL_CREATE, _IOC_READ | _IOC_WRITE, 0x01, micmem_pool_create);
IOCTL(MICMEM_IOC_POOL_INFO, _IOC_READ, 0x02, micmem_pool_info);
IOCTL(MICMEM_IOC_ATTACH, _IOC_WRITE, 0x03, micmem_attach);
IOCTL(MICMEM_IOC_DETACH, _IOC_WRITE, 0x04, micmem_attach);
IOCTL(MICMEM_IOC_SUBMIT, _IOC_READ | _IOC_WRITE, 0x05, micmem_submit);
IOCTL(MICMEM_IOC_WAIT, _IOC_READ | _IOC_WRITE, 0x06, micmem_wait);

#ifndef UAPI_LAYOUT_STATIC_ONLY
#include "tap.h"

/*
 * The same facts at run time, as TAP cases: the numbers are the ABI that
 * binaries already built against the header carry.
 */
TEST(ioctl_numbers_are_stable)
{
	EXPECT_EQ(MICMEM_IOC_QUERY, 0x8040c800);
	EXPECT_EQ(MICMEM_IOC_POOL_CREATE, 0xc028c801);
	EXPECT_EQ(MICMEM_IOC_POOL_INFO, 0x8040c802);
	EXPECT_EQ(MICMEM_IOC_ATTACH, 0x4018c803);
	EXPECT_EQ(MICMEM_IOC_DETACH, 0x4018c804);
	EXPECT_EQ(MICMEM_IOC_SUBMIT, 0xc030c805);
	EXPECT_EQ(MICMEM_IOC_WAIT, 0xc030c806);
}

TEST(ioctl_numbers_are_distinct)
{
	const unsigned long cmds[] = {
		MICMEM_IOC_QUERY, MICMEM_IOC_POOL_CREATE, MICMEM_IOC_POOL_INFO,
		MICMEM_IOC_ATTACH, MICMEM_IOC_DETACH, MICMEM_IOC_SUBMIT,
		MICMEM_IOC_WAIT,
	};
	size_t i, j, n = sizeof(cmds) / sizeof(cmds[0]);

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			EXPECT_NE(_IOC_NR(cmds[i]), _IOC_NR(cmds[j]));
}

TEST(structs_have_no_implicit_padding)
{
	/* Sum of the member sizes equals the struct size. */
	EXPECT_EQ(4 + 4 + 8 + 8 + 4 + 4 + 4 * 8, sizeof(struct micmem_query));
	EXPECT_EQ(8 + 4 + 4 + 8 + 2 * 8, sizeof(struct micmem_pool_create));
	EXPECT_EQ(8 + 8 + 4 + 4 + 8 + 8 + 3 * 8,
		  sizeof(struct micmem_pool_info));
	EXPECT_EQ(4 + 4 + 2 * 8, sizeof(struct micmem_attach));
	EXPECT_EQ(8 + 8 + 8 + 1 + 1 + 2 + 4, sizeof(struct micmem_xfer));
	EXPECT_EQ(4 * 4 + 8 + 8 + 2 * 8, sizeof(struct micmem_submit));
	EXPECT_EQ(8 + 8 + 4 + 4 + 4 + 4 + 2 * 8, sizeof(struct micmem_wait));
}

TEST(constants)
{
	EXPECT_EQ(MICMEM_CHUNK_SIZE, 2 * 1024 * 1024);
	EXPECT_EQ(MICMEM_CHUNK_SIZE % MICMEM_DMA_ALIGN, 0);
	EXPECT_STREQ(MICMEM_CTRL_NODE, "mic/ctrl");
	EXPECT_EQ(MICMEM_SUBMIT_VALID_FLAGS & ~MICMEM_SUBMIT_NONBLOCK, 0);
	EXPECT_NE(MICMEM_CHAN_AUTO, MICMEM_CHAN_0);
	EXPECT_NE(MICMEM_CHAN_AUTO, MICMEM_CHAN_1);
	EXPECT_NE(MICMEM_DIR_TO_CARD, MICMEM_DIR_FROM_CARD);
}

TEST_MAIN()
#endif
