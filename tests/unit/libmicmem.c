// SPDX-License-Identifier: GPL-2.0
/*
 * libmicmem against a fake /dev/mic/ctrl (lib_mock.h) and a fake
 * /sys/class/mic (MICMEM_SYSFS): every call issues the right ioctl with
 * the right structure, checks what the library documents it checks, and
 * passes the driver's errno and output back unchanged.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmicmem.h>

#include "lib_mock.h"
#include "tap.h"

#define MIB		(1024ULL * 1024)

static struct micmem *open_handle(void)
{
	struct micmem *m = NULL;

	mock_reset();
	ASSERT_EQ(micmem_open(&m, 0), 0);
	ASSERT_TRUE(m != NULL);
	return m;
}

/* The argument of the @i-th ioctl as the library passed it. */
#define ARG(i, type)	((const type *)mock.ioctls[i].arg)

static int all_zero(const void *p, size_t len)
{
	const unsigned char *c = p;

	while (len--)
		if (*c++)
			return 0;
	return 1;
}

/* ---- version, open, close ---- */

TEST(lib_version_is_the_built_one)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", MICMEM_LIB_VERSION_MAJOR,
		 MICMEM_LIB_VERSION_MINOR, MICMEM_LIB_VERSION_PATCH);
	EXPECT_STREQ(micmem_lib_version(), want);
	/* meson's libmicmem_version, the .so's version */
	EXPECT_STREQ(micmem_lib_version(), LIBMICMEM_EXPECTED_VERSION);
}

TEST(open_opens_the_node_read_write_close_on_exec)
{
	struct micmem *m = open_handle();

	EXPECT_EQ(mock.open_calls, 1);
	EXPECT_EQ(mock.open_flags & O_ACCMODE, O_RDWR);
	EXPECT_TRUE(mock.open_flags & O_CLOEXEC);
	EXPECT_EQ(micmem_fd(m), mock.fd);
	EXPECT_EQ(mock.nr_ioctls, 0);
	EXPECT_TRUE(micmem_pool_addr(m) == NULL);
	EXPECT_EQ(micmem_pool_size(m), 0);
	micmem_close(m);
	EXPECT_EQ(mock.closed, 1);
	EXPECT_EQ(mock.munmap_calls, 0);
}

TEST(open_path_opens_that_path)
{
	struct micmem *m = NULL;

	mock_reset();
	mock.path = "/run/container/mic-ctrl";
	ASSERT_EQ(micmem_open_path("/run/container/mic-ctrl", &m, 0), 0);
	EXPECT_EQ(mock.open_calls, 1);
	EXPECT_EQ(micmem_fd(m), mock.fd);
	micmem_close(m);
	/* NULL is the default node */
	mock_reset();
	ASSERT_EQ(micmem_open_path(NULL, &m, 0), 0);
	EXPECT_EQ(mock.open_calls, 1);
	micmem_close(m);
	/* another path is not the node */
	mock_reset();
	EXPECT_EQ(micmem_open_path("/nonexistent/ctrl", &m, 0), -ENOENT);
	EXPECT_EQ(mock.open_calls, 0);
}

TEST(open_rejects_bad_arguments_without_opening)
{
	struct micmem *m = NULL;

	mock_reset();
	EXPECT_EQ(micmem_open(NULL, 0), -EINVAL);
	EXPECT_EQ(micmem_open(&m, 1), -EINVAL);
	EXPECT_EQ(micmem_open_path(NULL, &m, 0x80000000u), -EINVAL);
	EXPECT_EQ(mock.open_calls, 0);
	EXPECT_TRUE(m == NULL);
}

TEST(open_returns_the_errno_of_open)
{
	static const int errs[] = { ENOENT, EACCES, ENXIO, EMFILE };
	struct micmem *m = NULL;
	unsigned int i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		mock_reset();
		mock.open_err = errs[i];
		EXPECT_EQ(micmem_open(&m, 0), -errs[i]);
		EXPECT_TRUE(m == NULL);
	}
}

TEST(close_unmaps_the_pool_and_closes)
{
	struct micmem *m = open_handle();
	void *p;

	ASSERT_EQ(micmem_pool_create(m, 4 * MIB, 0, &p), 0);
	micmem_close(m);
	EXPECT_EQ(mock.munmap_calls, 1);
	EXPECT_TRUE(mock.munmap_addr == p);
	EXPECT_EQ(mock.munmap_len, 4 * MIB);
	EXPECT_EQ(mock.closed, 1);
	micmem_close(NULL);
}

/* ---- query ---- */

TEST(query_issues_QUERY_and_returns_its_answer)
{
	struct micmem *m = open_handle();
	struct micmem_query in, q;

	memset(&in, 0, sizeof(in));
	in.api_version = 1;
	in.num_cards = 2;
	in.features = MICMEM_FEAT_POOL | MICMEM_FEAT_DMA;
	in.pool_max_bytes = 4096 * MIB;
	in.max_batch = 1024;
	in.max_cards = 256;
	mock_reply(0, &in, sizeof(in));
	memset(&q, 0xa5, sizeof(q));
	ASSERT_EQ(micmem_query(m, &q), 0);
	ASSERT_EQ(mock.nr_ioctls, 1);
	EXPECT_EQ(mock.ioctls[0].cmd, MICMEM_IOC_QUERY);
	/* the library passes a zeroed struct (reserved included) */
	EXPECT_TRUE(all_zero(ARG(0, struct micmem_query), sizeof(q)));
	EXPECT_EQ(memcmp(&q, &in, sizeof(q)), 0);

	mock_reply(EFAULT, NULL, 0);
	EXPECT_EQ(micmem_query(m, &q), -EFAULT);
	EXPECT_EQ(micmem_query(m, NULL), -EINVAL);
	EXPECT_EQ(micmem_query(NULL, &q), -EINVAL);
	EXPECT_EQ(mock.nr_ioctls, 2);
	micmem_close(m);
}

/* ---- pool ---- */

TEST(pool_create_creates_then_maps_the_whole_pool)
{
	struct micmem *m = open_handle();
	struct micmem_pool_create out;
	const struct micmem_pool_create *pc;
	void *p = NULL;

	memset(&out, 0, sizeof(out));
	out.size = 6 * MIB;
	out.mmap_offset = 0x40000000;	/* whatever the driver says */
	mock_reply(0, &out, sizeof(out));
	ASSERT_EQ(micmem_pool_create(m, 6 * MIB, 0, &p), 0);

	ASSERT_EQ(mock.nr_ioctls, 1);
	EXPECT_EQ(mock.ioctls[0].cmd, MICMEM_IOC_POOL_CREATE);
	pc = ARG(0, struct micmem_pool_create);
	EXPECT_EQ(pc->size, 6 * MIB);
	EXPECT_EQ(pc->flags, 0);
	EXPECT_EQ(pc->reserved0, 0);
	EXPECT_EQ(pc->mmap_offset, 0);
	EXPECT_EQ(pc->reserved[0], 0);
	EXPECT_EQ(pc->reserved[1], 0);

	EXPECT_EQ(mock.mmap_calls, 1);
	EXPECT_TRUE(mock.mmap_addr == NULL);
	EXPECT_EQ(mock.mmap_len, 6 * MIB);
	EXPECT_EQ(mock.mmap_prot, PROT_READ | PROT_WRITE);
	EXPECT_EQ(mock.mmap_flags, MAP_SHARED);
	EXPECT_EQ(mock.mmap_off, 0x40000000);
	EXPECT_TRUE(p == mock.mapped);
	EXPECT_TRUE(micmem_pool_addr(m) == p);
	EXPECT_EQ(micmem_pool_size(m), 6 * MIB);
	micmem_close(m);
}

TEST(pool_create_addr_may_be_null)
{
	struct micmem *m = open_handle();

	ASSERT_EQ(micmem_pool_create(m, 2 * MIB, 0, NULL), 0);
	EXPECT_TRUE(micmem_pool_addr(m) == mock.mapped);
	micmem_close(m);
}

TEST(pool_create_leaves_size_and_flags_to_the_driver)
{
	struct micmem *m = open_handle();
	void *p = NULL;

	/* a size and flags the driver refuses: passed as they are */
	mock_reply(EINVAL, NULL, 0);
	EXPECT_EQ(micmem_pool_create(m, 3 * MIB + 1, 0x5, &p), -EINVAL);
	ASSERT_EQ(mock.nr_ioctls, 1);
	EXPECT_EQ(ARG(0, struct micmem_pool_create)->size, 3 * MIB + 1);
	EXPECT_EQ(ARG(0, struct micmem_pool_create)->flags, 0x5);
	EXPECT_EQ(mock.mmap_calls, 0);
	EXPECT_TRUE(p == NULL);
	EXPECT_TRUE(micmem_pool_addr(m) == NULL);
	micmem_close(m);
}

TEST(pool_create_returns_the_driver_errno)
{
	static const int errs[] = { E2BIG, ENOMEM, EINTR, EEXIST, EFAULT };
	struct micmem *m = open_handle();
	unsigned int i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		mock_reply(errs[i], NULL, 0);
		EXPECT_EQ(micmem_pool_create(m, 8 * MIB, 0, NULL), -errs[i]);
	}
	EXPECT_EQ(mock.nr_ioctls, 5);
	EXPECT_EQ(mock.mmap_calls, 0);
	EXPECT_EQ(micmem_pool_size(m), 0);
	micmem_close(m);
}

TEST(pool_create_returns_the_errno_of_mmap)
{
	struct micmem *m = open_handle();
	void *p = NULL;

	mock.mmap_err = ENOMEM;
	EXPECT_EQ(micmem_pool_create(m, 2 * MIB, 0, &p), -ENOMEM);
	EXPECT_EQ(mock.mmap_calls, 1);
	EXPECT_TRUE(p == NULL);
	EXPECT_TRUE(micmem_pool_addr(m) == NULL);
	EXPECT_EQ(micmem_pool_size(m), 0);
	micmem_close(m);
	EXPECT_EQ(mock.munmap_calls, 0);
}

TEST(pool_create_twice_is_EEXIST_without_an_ioctl)
{
	struct micmem *m = open_handle();

	ASSERT_EQ(micmem_pool_create(m, 2 * MIB, 0, NULL), 0);
	EXPECT_EQ(micmem_pool_create(m, 2 * MIB, 0, NULL), -EEXIST);
	EXPECT_EQ(mock.nr_ioctls, 1);
	EXPECT_EQ(mock.mmap_calls, 1);
	EXPECT_EQ(micmem_pool_create(NULL, 2 * MIB, 0, NULL), -EINVAL);
	micmem_close(m);
}

TEST(pool_info_issues_POOL_INFO)
{
	struct micmem *m = open_handle();
	struct micmem_pool_info in, info;

	memset(&in, 0, sizeof(in));
	in.size = 4 * MIB;
	in.chunk_size = MICMEM_CHUNK_SIZE;
	in.nr_chunks = 2;
	in.map_mode = MICMEM_MAP_PMD;
	in.faults = 2;
	mock_reply(0, &in, sizeof(in));
	ASSERT_EQ(micmem_pool_info(m, &info), 0);
	EXPECT_EQ(mock.ioctls[0].cmd, MICMEM_IOC_POOL_INFO);
	EXPECT_TRUE(all_zero(ARG(0, struct micmem_pool_info), sizeof(in)));
	EXPECT_EQ(memcmp(&in, &info, sizeof(in)), 0);
	mock_reply(ENXIO, NULL, 0);
	EXPECT_EQ(micmem_pool_info(m, &info), -ENXIO);
	EXPECT_EQ(micmem_pool_info(m, NULL), -EINVAL);
	EXPECT_EQ(micmem_pool_info(NULL, &info), -EINVAL);
	EXPECT_EQ(mock.nr_ioctls, 2);
	micmem_close(m);
}

/* ---- attach, detach ---- */

TEST(attach_and_detach_pass_the_card)
{
	struct micmem *m = open_handle();
	const struct micmem_attach *a;

	ASSERT_EQ(micmem_attach(m, 7), 0);
	ASSERT_EQ(micmem_detach(m, 0xffffffffu), 0);
	ASSERT_EQ(mock.nr_ioctls, 2);
	EXPECT_EQ(mock.ioctls[0].cmd, MICMEM_IOC_ATTACH);
	a = ARG(0, struct micmem_attach);
	EXPECT_EQ(a->card, 7);
	EXPECT_EQ(a->flags, 0);
	EXPECT_TRUE(all_zero(a->reserved, sizeof(a->reserved)));
	EXPECT_EQ(mock.ioctls[1].cmd, MICMEM_IOC_DETACH);
	a = ARG(1, struct micmem_attach);
	EXPECT_EQ(a->card, 0xffffffffu);
	EXPECT_EQ(a->flags, 0);
	EXPECT_TRUE(all_zero(a->reserved, sizeof(a->reserved)));
	micmem_close(m);
}

TEST(attach_and_detach_return_the_driver_errno)
{
	static const int errs[] = { ENOBUFS, ENODEV, EEXIST, EBUSY, EIO };
	struct micmem *m = open_handle();
	unsigned int i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		mock_reply(errs[i], NULL, 0);
		EXPECT_EQ(micmem_attach(m, 1), -errs[i]);
	}
	mock_reply(ENOTCONN, NULL, 0);
	EXPECT_EQ(micmem_detach(m, 1), -ENOTCONN);
	EXPECT_EQ(micmem_attach(NULL, 1), -EINVAL);
	EXPECT_EQ(micmem_detach(NULL, 1), -EINVAL);
	EXPECT_EQ(mock.nr_ioctls, 6);
	micmem_close(m);
}

/* ---- submit ---- */

TEST(xfer_init_fills_every_field)
{
	struct micmem_xfer x;

	memset(&x, 0xff, sizeof(x));
	micmem_xfer_init(&x, 4096, 64 * MIB, 128, MICMEM_DIR_FROM_CARD,
			 MICMEM_CHAN_AUTO);
	EXPECT_EQ(x.pool_offset, 4096);
	EXPECT_EQ(x.card_addr, 64 * MIB);
	EXPECT_EQ(x.length, 128);
	EXPECT_EQ(x.dir, MICMEM_DIR_FROM_CARD);
	EXPECT_EQ(x.channel, MICMEM_CHAN_AUTO);
	EXPECT_EQ(x.flags, 0);
	EXPECT_EQ(x.reserved, 0);
}

TEST(submit_passes_the_batch_and_returns_the_ticket)
{
	struct micmem *m = open_handle();
	const struct micmem_submit *s;
	struct micmem_submit out;
	struct micmem_xfer x[3];
	uint32_t bad = 12345;
	uint64_t ticket = 0;
	int i;

	for (i = 0; i < 3; i++)
		micmem_xfer_init(&x[i], i * 4096, 64 * MIB + i * 4096, 4096,
				 i & 1, i);
	memset(&out, 0, sizeof(out));
	out.ticket = 42;
	out.bad_xfer = MICMEM_NO_XFER;
	mock_reply(0, &out, sizeof(out));
	ASSERT_EQ(micmem_submit(m, 3, x, 3, MICMEM_SUBMIT_NONBLOCK, &ticket,
				&bad), 0);
	EXPECT_EQ(ticket, 42);
	EXPECT_EQ(bad, MICMEM_NO_XFER);

	ASSERT_EQ(mock.nr_ioctls, 1);
	EXPECT_EQ(mock.ioctls[0].cmd, MICMEM_IOC_SUBMIT);
	s = ARG(0, struct micmem_submit);
	EXPECT_EQ(s->card, 3);
	EXPECT_EQ(s->flags, MICMEM_SUBMIT_NONBLOCK);
	EXPECT_EQ(s->count, 3);
	EXPECT_EQ(s->ticket, 0);
	EXPECT_TRUE(all_zero(s->reserved, sizeof(s->reserved)));
	/* the caller's array itself, not a copy */
	EXPECT_EQ(mock.ioctls[0].xfers_ptr, (uintptr_t)x);
	EXPECT_EQ(memcmp(mock.ioctls[0].xfers, x, sizeof(x)), 0);
	micmem_close(m);
}

TEST(submit_failure_names_the_bad_transfer)
{
	struct micmem *m = open_handle();
	struct micmem_submit out;
	struct micmem_xfer x[4];
	uint64_t ticket = 99;
	uint32_t bad = 0;

	memset(x, 0, sizeof(x));
	memset(&out, 0, sizeof(out));
	out.bad_xfer = 2;
	mock_reply(ERANGE, &out, sizeof(out));
	EXPECT_EQ(micmem_submit(m, 0, x, 4, 0, &ticket, &bad), -ERANGE);
	EXPECT_EQ(bad, 2);
	EXPECT_EQ(ticket, 0);

	/* a failure not tied to a transfer */
	out.bad_xfer = MICMEM_NO_XFER;
	mock_reply(ENOTCONN, &out, sizeof(out));
	EXPECT_EQ(micmem_submit(m, 0, x, 4, 0, &ticket, &bad), -ENOTCONN);
	EXPECT_EQ(bad, MICMEM_NO_XFER);
	/* bad_xfer may be NULL */
	mock_reply(E2BIG, &out, sizeof(out));
	EXPECT_EQ(micmem_submit(m, 0, x, 4, 0, &ticket, NULL), -E2BIG);
	EXPECT_EQ(mock.nr_ioctls, 3);
	micmem_close(m);
}

TEST(submit_leaves_batch_checks_to_the_driver)
{
	static const int errs[] = { EINVAL, EAGAIN, ENOSPC, EBUSY, EIO,
				    ENODEV, EFAULT, EINTR };
	struct micmem *m = open_handle();
	uint64_t ticket;
	unsigned int i;

	/* count 0 and a NULL array go to the driver */
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		mock_reply(errs[i], NULL, 0);
		EXPECT_EQ(micmem_submit(m, 0, NULL, 0, 0, &ticket, NULL),
			  -errs[i]);
	}
	EXPECT_EQ(mock.nr_ioctls, 8);
	EXPECT_EQ(ARG(0, struct micmem_submit)->count, 0);
	EXPECT_EQ(ARG(0, struct micmem_submit)->xfers, 0);
	/* what only the library can see */
	EXPECT_EQ(micmem_submit(m, 0, NULL, 1, 0, NULL, NULL), -EINVAL);
	EXPECT_EQ(micmem_submit(NULL, 0, NULL, 1, 0, &ticket, NULL), -EINVAL);
	EXPECT_EQ(mock.nr_ioctls, 8);
	micmem_close(m);
}

/* ---- wait ---- */

static void reply_wait(int err, uint64_t ticket, int32_t error,
		       uint32_t failed, uint32_t cls)
{
	struct micmem_wait w;

	memset(&w, 0, sizeof(w));
	w.ticket = ticket;
	w.error = error;
	w.failed_xfer = failed;
	w.error_class = cls;
	mock_reply(err, &w, sizeof(w));
}

TEST(wait_passes_ticket_deadline_and_flags)
{
	struct micmem *m = open_handle();
	const struct micmem_wait *w;
	struct micmem_status st;

	reply_wait(0, 17, 0, MICMEM_NO_XFER, MICMEM_ERR_NONE);
	memset(&st, 0xa5, sizeof(st));
	ASSERT_EQ(micmem_wait(m, 17, 123456789, 0, &st), 0);
	ASSERT_EQ(mock.nr_ioctls, 1);
	EXPECT_EQ(mock.ioctls[0].cmd, MICMEM_IOC_WAIT);
	w = ARG(0, struct micmem_wait);
	EXPECT_EQ(w->ticket, 17);
	EXPECT_EQ(w->deadline_ns, 123456789);
	EXPECT_EQ(w->flags, 0);
	EXPECT_EQ(w->error, 0);
	EXPECT_TRUE(all_zero(w->reserved, sizeof(w->reserved)));
	EXPECT_EQ(st.ticket, 17);
	EXPECT_EQ(st.error, 0);
	EXPECT_EQ(st.failed_xfer, MICMEM_NO_XFER);
	EXPECT_EQ(st.error_class, MICMEM_ERR_NONE);
	EXPECT_TRUE(all_zero(st.reserved, sizeof(st.reserved)));

	/* any: the driver says which ticket */
	reply_wait(0, 5, 0, MICMEM_NO_XFER, MICMEM_ERR_NONE);
	ASSERT_EQ(micmem_wait(m, 0, MICMEM_WAIT_NO_BLOCK, MICMEM_WAIT_ANY,
			      &st), 0);
	w = ARG(1, struct micmem_wait);
	EXPECT_EQ(w->flags, MICMEM_WAIT_ANY);
	EXPECT_EQ(w->deadline_ns, MICMEM_WAIT_NO_BLOCK);
	EXPECT_EQ(st.ticket, 5);
	/* status may be NULL */
	EXPECT_EQ(micmem_wait(m, 1, MICMEM_WAIT_FOREVER, 0, NULL), 0);
	EXPECT_EQ(ARG(2, struct micmem_wait)->deadline_ns,
		  MICMEM_WAIT_FOREVER);
	EXPECT_EQ(micmem_wait(NULL, 1, 0, 0, &st), -EINVAL);
	EXPECT_EQ(mock.nr_ioctls, 3);
	micmem_close(m);
}

TEST(wait_reports_the_batch_error)
{
	static const struct {
		int err;
		uint32_t cls;
	} cases[] = {
		{ EIO, MICMEM_ERR_CHANNEL },
		{ ENODEV, MICMEM_ERR_CARD_LOST },
		{ ECANCELED, MICMEM_ERR_CARD_RESET },
		{ ETIMEDOUT, MICMEM_ERR_TIMEOUT },
	};
	struct micmem *m = open_handle();
	struct micmem_status st;
	unsigned int i;

	/* the driver returns 0 and the batch's error in the struct */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reply_wait(0, 8 + i, -cases[i].err, i, cases[i].cls);
		EXPECT_EQ(micmem_wait(m, 8 + i, MICMEM_WAIT_FOREVER, 0, &st),
			  -cases[i].err);
		EXPECT_EQ(st.ticket, 8 + i);
		EXPECT_EQ(st.error, -cases[i].err);
		EXPECT_EQ(st.failed_xfer, i);
		EXPECT_EQ(st.error_class, cases[i].cls);
	}
	micmem_close(m);
}

TEST(wait_errors_without_a_batch_leave_ticket_0)
{
	static const int errs[] = { ETIME, ENOENT, EINTR, EINVAL, EFAULT };
	struct micmem *m = open_handle();
	struct micmem_status st;
	unsigned int i;

	/* the driver does not copy the struct back for these */
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		mock_reply(errs[i], NULL, 0);
		memset(&st, 0xa5, sizeof(st));
		EXPECT_EQ(micmem_wait(m, 3, MICMEM_WAIT_NO_BLOCK, 0, &st),
			  -errs[i]);
		EXPECT_EQ(st.ticket, 0);
		EXPECT_EQ(st.error, -errs[i]);
		EXPECT_EQ(st.failed_xfer, MICMEM_NO_XFER);
		EXPECT_EQ(st.error_class, MICMEM_ERR_NONE);
		EXPECT_TRUE(all_zero(st.reserved, sizeof(st.reserved)));
	}
	/* flags are the driver's to check */
	mock_reply(EINVAL, NULL, 0);
	EXPECT_EQ(micmem_wait(m, 3, 0, 0x80, &st), -EINVAL);
	EXPECT_EQ(ARG(5, struct micmem_wait)->flags, 0x80);
	micmem_close(m);
}

/*
 * A failed call never consumed a batch, whatever the struct holds: no
 * guessing from w.error (an EFAULT on the result may leave a copy of the
 * result behind, and the batch is still waitable).
 */
TEST(wait_call_error_is_never_a_batch)
{
	static const int errs[] = { EFAULT, EIO, ENODEV, ECANCELED, ETIMEDOUT };
	struct micmem *m = open_handle();
	struct micmem_status st;
	unsigned int i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		reply_wait(errs[i], 40 + i, -errs[i], 1, MICMEM_ERR_CHANNEL);
		memset(&st, 0xa5, sizeof(st));
		EXPECT_EQ(micmem_wait(m, 40 + i, MICMEM_WAIT_FOREVER, 0, &st),
			  -errs[i]);
		EXPECT_EQ(st.ticket, 0);
		EXPECT_EQ(st.error, -errs[i]);
		EXPECT_EQ(st.failed_xfer, MICMEM_NO_XFER);
		EXPECT_EQ(st.error_class, MICMEM_ERR_NONE);
		EXPECT_TRUE(all_zero(st.reserved, sizeof(st.reserved)));
	}
	/* and a batch handed back is one, also without a status */
	reply_wait(0, 50, -EIO, 2, MICMEM_ERR_CHANNEL);
	EXPECT_EQ(micmem_wait(m, 50, MICMEM_WAIT_FOREVER, 0, NULL), -EIO);
	micmem_close(m);
}

TEST(wait_timeout_turns_a_timeout_into_a_deadline)
{
	struct micmem *m = open_handle();
	uint64_t before, after, d;

	before = micmem_now_ns();
	ASSERT_EQ(micmem_wait_timeout(m, 4, 250000000, 0, NULL), 0);
	after = micmem_now_ns();
	d = ARG(0, struct micmem_wait)->deadline_ns;
	EXPECT_GE(d, before + 250000000);
	EXPECT_LE(d, after + 250000000);
	EXPECT_EQ(ARG(0, struct micmem_wait)->ticket, 4);

	ASSERT_EQ(micmem_wait_timeout(m, 4, 0, MICMEM_WAIT_ANY, NULL), 0);
	EXPECT_EQ(ARG(1, struct micmem_wait)->deadline_ns,
		  MICMEM_WAIT_NO_BLOCK);
	EXPECT_EQ(ARG(1, struct micmem_wait)->flags, MICMEM_WAIT_ANY);
	ASSERT_EQ(micmem_wait_timeout(m, 4, MICMEM_WAIT_FOREVER, 0, NULL), 0);
	EXPECT_EQ(ARG(2, struct micmem_wait)->deadline_ns,
		  MICMEM_WAIT_FOREVER);
	EXPECT_EQ(micmem_wait_timeout(NULL, 4, 1, 0, NULL), -EINVAL);
	micmem_close(m);
}

TEST(deadlines_are_monotonic_and_saturate)
{
	struct timespec ts;
	uint64_t a, b, now;

	a = micmem_now_ns();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	b = micmem_now_ns();
	now = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	EXPECT_LE(a, now);
	EXPECT_GE(b, now);

	a = micmem_now_ns();
	b = micmem_deadline_ns(1000000000ULL);
	EXPECT_GE(b, a + 1000000000ULL);
	EXPECT_LT(b, a + 1000000000ULL + 1000000000ULL);
	EXPECT_EQ(micmem_deadline_ns(MICMEM_WAIT_FOREVER), MICMEM_WAIT_FOREVER);
	EXPECT_EQ(micmem_deadline_ns(MICMEM_WAIT_FOREVER - 1),
		  MICMEM_WAIT_FOREVER);
	a = micmem_now_ns();
	b = micmem_deadline_ns(0);
	EXPECT_GE(b, a);
	EXPECT_NE(b, MICMEM_WAIT_NO_BLOCK);
}

TEST(error_class_names)
{
	EXPECT_STREQ(micmem_error_class_name(MICMEM_ERR_NONE), "none");
	EXPECT_STREQ(micmem_error_class_name(MICMEM_ERR_CHANNEL),
		     "channel error");
	EXPECT_STREQ(micmem_error_class_name(MICMEM_ERR_CARD_LOST),
		     "card lost");
	EXPECT_STREQ(micmem_error_class_name(MICMEM_ERR_CARD_RESET),
		     "card reset");
	EXPECT_STREQ(micmem_error_class_name(MICMEM_ERR_TIMEOUT),
		     "channel hung");
	EXPECT_STREQ(micmem_error_class_name(5), "unknown");
	EXPECT_STREQ(micmem_error_class_name(0xffffffffu), "unknown");
}

/* ---- synchronous copies ---- */

static void reply_submit(int err, uint64_t ticket, uint32_t bad)
{
	struct micmem_submit s;

	memset(&s, 0, sizeof(s));
	s.ticket = ticket;
	s.bad_xfer = bad;
	mock_reply(err, &s, sizeof(s));
}

TEST(copy_to_card_is_one_transfer_submitted_and_waited_for)
{
	struct micmem *m = open_handle();
	const struct micmem_submit *s;
	const struct micmem_xfer *x;
	const struct micmem_wait *w;
	struct micmem_status st;

	reply_submit(0, 77, MICMEM_NO_XFER);
	reply_wait(0, 77, 0, MICMEM_NO_XFER, MICMEM_ERR_NONE);
	ASSERT_EQ(micmem_copy_to_card(m, 1, 64 * MIB, 2 * MIB, 4096,
				      MICMEM_CHAN_1, &st), 0);
	ASSERT_EQ(mock.nr_ioctls, 2);
	EXPECT_EQ(mock.ioctls[0].cmd, MICMEM_IOC_SUBMIT);
	s = ARG(0, struct micmem_submit);
	EXPECT_EQ(s->card, 1);
	EXPECT_EQ(s->count, 1);
	EXPECT_EQ(s->flags, 0);
	x = &mock.ioctls[0].xfers[0];
	EXPECT_EQ(x->pool_offset, 2 * MIB);
	EXPECT_EQ(x->card_addr, 64 * MIB);
	EXPECT_EQ(x->length, 4096);
	EXPECT_EQ(x->dir, MICMEM_DIR_TO_CARD);
	EXPECT_EQ(x->channel, MICMEM_CHAN_1);
	EXPECT_EQ(x->flags, 0);
	EXPECT_EQ(x->reserved, 0);
	EXPECT_EQ(mock.ioctls[1].cmd, MICMEM_IOC_WAIT);
	w = ARG(1, struct micmem_wait);
	EXPECT_EQ(w->ticket, 77);
	EXPECT_EQ(w->deadline_ns, MICMEM_WAIT_FOREVER);
	EXPECT_EQ(w->flags, 0);
	EXPECT_EQ(st.ticket, 77);
	EXPECT_EQ(st.error, 0);
	micmem_close(m);
}

TEST(copy_from_card_goes_the_other_way)
{
	struct micmem *m = open_handle();
	const struct micmem_xfer *x;

	reply_submit(0, 3, MICMEM_NO_XFER);
	reply_wait(0, 3, 0, MICMEM_NO_XFER, MICMEM_ERR_NONE);
	ASSERT_EQ(micmem_copy_from_card(m, 0, 128, 1024, 64, MICMEM_CHAN_AUTO,
					NULL), 0);
	ASSERT_EQ(mock.nr_ioctls, 2);
	x = &mock.ioctls[0].xfers[0];
	EXPECT_EQ(x->pool_offset, 128);
	EXPECT_EQ(x->card_addr, 1024);
	EXPECT_EQ(x->length, 64);
	EXPECT_EQ(x->dir, MICMEM_DIR_FROM_CARD);
	EXPECT_EQ(x->channel, MICMEM_CHAN_AUTO);
	EXPECT_EQ(ARG(1, struct micmem_wait)->ticket, 3);
	micmem_close(m);
}

TEST(copy_refused_by_submit_does_not_wait)
{
	struct micmem *m = open_handle();
	struct micmem_status st;

	reply_submit(EINVAL, 0, 0);
	memset(&st, 0xa5, sizeof(st));
	EXPECT_EQ(micmem_copy_to_card(m, 0, 0, 0, 63, 0, &st), -EINVAL);
	EXPECT_EQ(mock.nr_ioctls, 1);
	EXPECT_EQ(st.ticket, 0);
	EXPECT_EQ(st.error, -EINVAL);
	EXPECT_EQ(st.failed_xfer, 0);
	EXPECT_EQ(st.error_class, MICMEM_ERR_NONE);
	EXPECT_TRUE(all_zero(st.reserved, sizeof(st.reserved)));

	reply_submit(ENOTCONN, 0, MICMEM_NO_XFER);
	EXPECT_EQ(micmem_copy_from_card(m, 0, 0, 0, 64, 0, &st), -ENOTCONN);
	EXPECT_EQ(st.failed_xfer, MICMEM_NO_XFER);
	EXPECT_EQ(mock.nr_ioctls, 2);
	EXPECT_EQ(micmem_copy_to_card(NULL, 0, 0, 0, 64, 0, &st), -EINVAL);
	micmem_close(m);
}

TEST(copy_reports_the_batch_error)
{
	struct micmem *m = open_handle();
	struct micmem_status st;

	reply_submit(0, 9, MICMEM_NO_XFER);
	reply_wait(0, 9, -ECANCELED, 0, MICMEM_ERR_CARD_RESET);
	EXPECT_EQ(micmem_copy_to_card(m, 0, 0, 0, 64, 0, &st), -ECANCELED);
	EXPECT_EQ(st.ticket, 9);
	EXPECT_EQ(st.failed_xfer, 0);
	EXPECT_EQ(st.error_class, MICMEM_ERR_CARD_RESET);
	micmem_close(m);
}

TEST(copy_interrupted_names_the_ticket_in_flight)
{
	struct micmem *m = open_handle();
	struct micmem_status st;

	reply_submit(0, 21, MICMEM_NO_XFER);
	mock_reply(EINTR, NULL, 0);
	EXPECT_EQ(micmem_copy_from_card(m, 0, 0, 0, 64, 0, &st), -EINTR);
	EXPECT_EQ(st.ticket, 21);
	EXPECT_EQ(st.error, -EINTR);
	micmem_close(m);
}

/* ---- cards (a fake /sys/class/mic) ---- */

/*
 * Each case gets its own tree under one base directory, which the parent
 * removes when the program ends (the cases' children _exit()).
 */
static char sysbase[64] = "/tmp/libmicmem-sysfs.XXXXXX";
static char sysroot[96];

static void __attribute__((constructor)) sysbase_make(void)
{
	if (!mkdtemp(sysbase))
		sysbase[0] = '\0';
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void __attribute__((destructor)) sysbase_drop(void)
{
	if (sysbase[0])
		nftw(sysbase, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void put(const char *rel, const char *content)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", sysroot, rel);
	f = fopen(path, "w");
	ASSERT_TRUE(f != NULL);
	fputs(content, f);
	fclose(f);
}

static void dir(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", sysroot, rel);
	ASSERT_OK(mkdir(path, 0755));
}

/* mic0: ready sim card of 64 MiB; mic2: pci, no post code yet; mic10:
 * an old driver without dma_window or statistics. */
static void make_sysfs(void)
{
	ASSERT_TRUE(sysbase[0] != '\0');
	snprintf(sysroot, sizeof(sysroot), "%s/class.XXXXXX", sysbase);
	ASSERT_TRUE(mkdtemp(sysroot) != NULL);
	setenv("MICMEM_SYSFS", sysroot, 1);
	dir("mic0");
	put("mic0/state", "ready\n");
	put("mic0/post_code", "12\n");
	put("mic0/stepping", "C0\n");
	put("mic0/family", "x100\n");
	put("mic0/bus", "sim\n");
	put("mic0/memsize", "65536\n");
	put("mic0/dma_window", "66584576\n");
	put("mic0/last_error", "0\n");
	dir("mic0/dma0");
	put("mic0/dma0/descriptors", "10\n");
	put("mic0/dma0/bytes", "4194304\n");
	put("mic0/dma0/batches", "3\n");
	put("mic0/dma0/errors", "1\n");
	put("mic0/dma0/busy_ns", "123456789012\n");
	dir("mic0/dma1");
	put("mic0/dma1/descriptors", "0\n");
	put("mic0/dma1/bytes", "0\n");
	put("mic0/dma1/batches", "0\n");
	put("mic0/dma1/errors", "0\n");
	put("mic0/dma1/busy_ns", "0\n");
	dir("mic2");
	put("mic2/state", "boot failed\n");
	dir("mic2/post_code");	/* read() fails: EISDIR */
	put("mic2/last_error", "-8\n");
	put("mic2/bus", "pci\n");
	dir("mic10");
	put("mic10/state", "online\n");
	put("mic10/post_code", "FF\n");
	put("mic10/memsize", "8388608\n");
	/* not cards */
	dir("micx");
	dir("mic01");
	dir("mic4294967296");
	put("mic", "");
}

TEST(card_list_lists_micN_in_order)
{
	uint32_t cards[8];

	make_sysfs();
	memset(cards, 0xff, sizeof(cards));
	EXPECT_EQ(micmem_card_list(cards, 8), 3);
	EXPECT_EQ(cards[0], 0);
	EXPECT_EQ(cards[1], 2);
	EXPECT_EQ(cards[2], 10);
	EXPECT_EQ(cards[3], 0xffffffffu);
	/* too little room: the count tells */
	memset(cards, 0xff, sizeof(cards));
	EXPECT_EQ(micmem_card_list(cards, 2), 3);
	EXPECT_EQ(cards[1], 2);
	EXPECT_EQ(cards[2], 0xffffffffu);
	EXPECT_EQ(micmem_card_list(NULL, 0), 3);
	EXPECT_EQ(micmem_card_list(NULL, 1), -EINVAL);
	/* no class directory: the driver is not loaded */
	setenv("MICMEM_SYSFS", "/nonexistent/class/mic", 1);
	EXPECT_EQ(micmem_card_list(cards, 8), -ENOENT);
}

TEST(card_info_reads_the_attributes)
{
	struct micmem_card_info ci;

	make_sysfs();
	memset(&ci, 0xa5, sizeof(ci));
	ASSERT_EQ(micmem_card_info(0, &ci), 0);
	EXPECT_EQ(ci.card, 0);
	EXPECT_STREQ(ci.state, "ready");
	EXPECT_STREQ(ci.post_code, "12");
	EXPECT_EQ(ci.post_code_error, 0);
	EXPECT_STREQ(ci.stepping, "C0");
	EXPECT_STREQ(ci.family, "x100");
	EXPECT_STREQ(ci.bus, "sim");
	EXPECT_EQ(ci.memsize, 64 * MIB);
	EXPECT_EQ(ci.dma_window, 66584576);
	EXPECT_EQ(ci.last_error, 0);
	EXPECT_TRUE(all_zero(ci.reserved, sizeof(ci.reserved)));

	/* missing attributes (an older driver) are empty or 0 */
	ASSERT_EQ(micmem_card_info(10, &ci), 0);
	EXPECT_STREQ(ci.state, "online");
	EXPECT_STREQ(ci.post_code, "FF");
	EXPECT_EQ(ci.memsize, 8192 * MIB);
	EXPECT_EQ(ci.dma_window, 0);
	EXPECT_STREQ(ci.stepping, "");

	/* a post code that cannot be read is an error of its own */
	EXPECT_EQ(micmem_card_info(2, &ci), -EISDIR);
	EXPECT_EQ(micmem_card_info(3, &ci), -ENODEV);
	EXPECT_EQ(micmem_card_info(0, NULL), -EINVAL);
}

TEST(card_info_refuses_garbage_numbers)
{
	struct micmem_card_info ci;

	make_sysfs();
	put("mic0/memsize", "lots\n");
	EXPECT_EQ(micmem_card_info(0, &ci), -EPROTO);
}

TEST(chan_stats_reads_the_counters)
{
	struct micmem_chan_stats st;

	make_sysfs();
	memset(&st, 0xa5, sizeof(st));
	ASSERT_EQ(micmem_chan_stats(0, 0, &st), 0);
	EXPECT_EQ(st.descriptors, 10);
	EXPECT_EQ(st.bytes, 4 * MIB);
	EXPECT_EQ(st.batches, 3);
	EXPECT_EQ(st.errors, 1);
	EXPECT_EQ(st.busy_ns, 123456789012ULL);
	EXPECT_TRUE(all_zero(st.reserved, sizeof(st.reserved)));
	ASSERT_EQ(micmem_chan_stats(0, 1, &st), 0);
	EXPECT_EQ(st.bytes, 0);

	EXPECT_EQ(micmem_chan_stats(0, 2, &st), -EINVAL);
	EXPECT_EQ(micmem_chan_stats(0, 0, NULL), -EINVAL);
	EXPECT_EQ(micmem_chan_stats(10, 0, &st), -EOPNOTSUPP);
	EXPECT_EQ(micmem_chan_stats(7, 0, &st), -ENODEV);
	put("mic0/dma1/errors", "-\n");
	EXPECT_EQ(micmem_chan_stats(0, 1, &st), -EPROTO);
}

/* ---- card state (0.2) ---- */

/* The content of @rel under the fake class directory. */
static const char *get(const char *rel)
{
	static char buf[256];
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", sysroot, rel);
	fd = open(path, O_RDONLY);
	ASSERT_OK(fd);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_OK(n);
	buf[n] = '\0';
	return buf;
}

TEST(card_state_names_and_parsing)
{
	static const char *const names[] = {
		"ready", "booting", "online", "boot failed", "resetting",
		"reset failed", "lost",
	};
	int i;

	for (i = 0; i < MICMEM_CARD_NR_STATES; i++) {
		EXPECT_STREQ(micmem_card_state_name(i), names[i]);
		EXPECT_EQ(micmem_card_state_parse(names[i]), i);
	}
	EXPECT_TRUE(micmem_card_state_name(-1) == NULL);
	EXPECT_TRUE(micmem_card_state_name(MICMEM_CARD_NR_STATES) == NULL);
	EXPECT_EQ(micmem_card_state_parse("boot_failed"),
		  MICMEM_CARD_BOOT_FAILED);
	EXPECT_EQ(micmem_card_state_parse("reset-failed"),
		  MICMEM_CARD_RESET_FAILED);
	EXPECT_EQ(micmem_card_state_parse("boot"), -EINVAL);
	EXPECT_EQ(micmem_card_state_parse("readyy"), -EINVAL);
	EXPECT_EQ(micmem_card_state_parse("Ready"), -EINVAL);
	EXPECT_EQ(micmem_card_state_parse("boot  failed"), -EINVAL);
	EXPECT_EQ(micmem_card_state_parse(""), -EINVAL);
	EXPECT_EQ(micmem_card_state_parse(NULL), -EINVAL);
}

TEST(card_state_reads_the_attribute)
{
	make_sysfs();
	EXPECT_EQ(micmem_card_state(0), MICMEM_CARD_READY);
	EXPECT_EQ(micmem_card_state(2), MICMEM_CARD_BOOT_FAILED);
	EXPECT_EQ(micmem_card_state(10), MICMEM_CARD_ONLINE);
	EXPECT_EQ(micmem_card_state(3), -ENODEV);
	/* sysfs shows exact names only: anything else is not understood */
	put("mic0/state", "boot_failed\n");
	EXPECT_EQ(micmem_card_state(0), -EPROTO);
	put("mic0/state", "dreaming\n");
	EXPECT_EQ(micmem_card_state(0), -EPROTO);
}

TEST(card_commands_write_one_command_each)
{
	make_sysfs();
	mock_reset();
	ASSERT_EQ(micmem_card_reset(0, 0), 0);
	EXPECT_STREQ(get("mic0/state"), "reset");
	ASSERT_EQ(micmem_card_reset(0, MICMEM_CARD_RESET_FORCE), 0);
	EXPECT_STREQ(get("mic0/state"), "reset:force");
	ASSERT_EQ(micmem_card_shutdown(0), 0);
	EXPECT_STREQ(get("mic0/state"), "shutdown");
	/* the image is passed as it is: no path resolution, no newline */
	ASSERT_EQ(micmem_card_boot(0, "x100/../my os.elf"), 0);
	EXPECT_STREQ(get("mic0/state"), "boot:elf:x100/../my os.elf");
	ASSERT_EQ(micmem_card_boot(10, "card-os"), 0);
	EXPECT_STREQ(get("mic10/state"), "boot:elf:card-os");
	EXPECT_EQ(mock.state_writes, 5);
}

TEST(card_commands_check_their_arguments_without_writing)
{
	make_sysfs();
	mock_reset();
	EXPECT_EQ(micmem_card_boot(0, NULL), -EINVAL);
	EXPECT_EQ(micmem_card_boot(0, ""), -EINVAL);
	EXPECT_EQ(micmem_card_reset(0, 2), -EINVAL);
	EXPECT_EQ(micmem_card_reset(0, ~0U), -EINVAL);
	EXPECT_EQ(mock.state_writes, 0);
	EXPECT_STREQ(get("mic0/state"), "ready\n");
	/* no such card */
	EXPECT_EQ(micmem_card_boot(3, "os"), -ENODEV);
	EXPECT_EQ(micmem_card_reset(3, 0), -ENODEV);
	EXPECT_EQ(micmem_card_shutdown(3), -ENODEV);
}

TEST(card_commands_return_the_driver_errno)
{
	static const int errs[] = { EBUSY, EIO, EALREADY, ENODEV, ENOENT,
				    EFBIG, EACCES };
	unsigned int i;

	make_sysfs();
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		mock_reset();
		mock.state_write_err = errs[i];
		EXPECT_EQ(micmem_card_boot(0, "os"), -errs[i]);
		EXPECT_EQ(micmem_card_reset(0, 0), -errs[i]);
		EXPECT_EQ(micmem_card_shutdown(0), -errs[i]);
		EXPECT_EQ(mock.state_writes, 3);
	}
	mock_reset();
}

TEST(card_wait_state_returns_at_once_when_there)
{
	uint64_t t0;

	make_sysfs();
	t0 = micmem_now_ns();
	EXPECT_EQ(micmem_card_wait_state(0,
			MICMEM_CARD_STATE_BIT(MICMEM_CARD_READY),
			MICMEM_WAIT_FOREVER), MICMEM_CARD_READY);
	EXPECT_EQ(micmem_card_wait_state(2,
			MICMEM_CARD_STATE_BIT(MICMEM_CARD_ONLINE) |
			MICMEM_CARD_STATE_BIT(MICMEM_CARD_BOOT_FAILED),
			MICMEM_WAIT_NO_BLOCK), MICMEM_CARD_BOOT_FAILED);
	EXPECT_LT(micmem_now_ns() - t0, 100000000ULL);
}

TEST(card_wait_state_times_out_at_the_deadline)
{
	uint64_t t0, dt;

	make_sysfs();
	EXPECT_EQ(micmem_card_wait_state(0,
			MICMEM_CARD_STATE_BIT(MICMEM_CARD_ONLINE),
			MICMEM_WAIT_NO_BLOCK), -ETIME);
	t0 = micmem_now_ns();
	EXPECT_EQ(micmem_card_wait_state(0,
			MICMEM_CARD_STATE_BIT(MICMEM_CARD_ONLINE),
			micmem_deadline_ns(300000000ULL)), -ETIME);
	dt = micmem_now_ns() - t0;
	EXPECT_GE(dt, 300000000ULL);
	EXPECT_LT(dt, 2000000000ULL);
	/* a deadline in the past: one look */
	EXPECT_EQ(micmem_card_wait_state(0,
			MICMEM_CARD_STATE_BIT(MICMEM_CARD_LOST), 1), -ETIME);
}

TEST(card_wait_state_sees_a_change)
{
	uint64_t t0;
	pid_t pid;
	int st;

	make_sysfs();
	put("mic0/state", "booting\n");
	pid = fork();
	ASSERT_OK(pid);
	if (!pid) {
		usleep(300000);
		put("mic0/state", "online\n");
		_exit(0);
	}
	t0 = micmem_now_ns();
	EXPECT_EQ(micmem_card_wait_state(0,
			MICMEM_CARD_ALL_STATES &
			~MICMEM_CARD_STATE_BIT(MICMEM_CARD_BOOTING),
			micmem_deadline_ns(5000000000ULL)), MICMEM_CARD_ONLINE);
	EXPECT_GE(micmem_now_ns() - t0, 250000000ULL);
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
}

TEST(card_wait_state_errors)
{
	char path[300];
	pid_t pid;
	int st;

	make_sysfs();
	EXPECT_EQ(micmem_card_wait_state(0, 0, MICMEM_WAIT_FOREVER), -EINVAL);
	EXPECT_EQ(micmem_card_wait_state(0, 1U << MICMEM_CARD_NR_STATES,
					 MICMEM_WAIT_FOREVER), -EINVAL);
	EXPECT_EQ(micmem_card_wait_state(3, MICMEM_CARD_ALL_STATES,
					 MICMEM_WAIT_FOREVER), -ENODEV);
	put("mic10/state", "hibernating\n");
	EXPECT_EQ(micmem_card_wait_state(10, MICMEM_CARD_ALL_STATES,
					 MICMEM_WAIT_FOREVER), -EPROTO);
	/* the card goes away while we wait */
	pid = fork();
	ASSERT_OK(pid);
	if (!pid) {
		usleep(200000);
		snprintf(path, sizeof(path), "%s/mic2", sysroot);
		nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		_exit(0);
	}
	EXPECT_EQ(micmem_card_wait_state(2,
			MICMEM_CARD_STATE_BIT(MICMEM_CARD_READY),
			micmem_deadline_ns(5000000000ULL)), -ENODEV);
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
}

TEST(card_image_reads_the_attribute)
{
	char buf[64];

	make_sysfs();
	put("mic0/image", "/lib/firmware/card os.elf\n");
	memset(buf, 'x', sizeof(buf));
	ASSERT_EQ(micmem_card_image(0, buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "/lib/firmware/card os.elf");
	EXPECT_EQ(micmem_card_image(0, buf, 25), -ERANGE);
	ASSERT_EQ(micmem_card_image(0, buf, 26), 0);
	/* none yet, or an older driver without the attribute */
	put("mic2/image", "\n");
	ASSERT_EQ(micmem_card_image(2, buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "");
	ASSERT_EQ(micmem_card_image(10, buf, 1), 0);
	EXPECT_STREQ(buf, "");
	EXPECT_EQ(micmem_card_image(0, NULL, 8), -EINVAL);
	EXPECT_EQ(micmem_card_image(0, buf, 0), -EINVAL);
	EXPECT_EQ(micmem_card_image(3, buf, sizeof(buf)), -ENODEV);
}

TEST_MAIN()
