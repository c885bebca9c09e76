// SPDX-License-Identifier: GPL-2.0
/*
 * dma_errors: every rule of ATTACH, DETACH, SUBMIT and WAIT with its exact
 * errno (doc/uapi.md), ring back-pressure, and what happens when the
 * engine or the card fails: a stalled channel times out (-ETIME), a
 * descriptor error names the failed transfer (-EIO), a hung channel is
 * reset (-ETIMEDOUT), a lost interrupt is recovered, a card reset cancels
 * (-ECANCELED) and a lost or removed card fails (-ENODEV) what is in
 * flight.  Needs two sim cards; creates and removes more of its own.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "tap.h"
#include "dma_util.h"

#define POOL		(8 * MIB)

static int card0(void)
{
	return sim_card_nr("card0");
}

/* An fd with a pool, attached to micN. */
static void open_attached(struct dma_fd *d, int card)
{
	ASSERT_OK(dma_fd_open(d, POOL));
	ASSERT_OK(dma_attach(d->fd, card));
}

TEST(attach_and_detach_errors)
{
	struct micmem_attach a;
	int card = card0(), fd;
	struct dma_fd d;

	/* no pool yet */
	fd = ctrl_open();
	ASSERT_OK(fd);
	EXPECT_ERRNO(dma_attach(fd, card), ENOBUFS);
	close(fd);

	ASSERT_OK(dma_fd_open(&d, POOL));
	memset(&a, 0, sizeof(a));
	a.card = card;
	a.flags = 1;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_ATTACH, &a), EINVAL);
	a.flags = 0;
	a.reserved[1] = 1;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_ATTACH, &a), EINVAL);
	EXPECT_ERRNO(dma_attach(d.fd, 200), ENODEV);
	EXPECT_ERRNO(dma_detach(d.fd, card), ENOTCONN);

	ASSERT_OK(dma_attach(d.fd, card));
	EXPECT_ERRNO(dma_attach(d.fd, card), EEXIST);
	a.reserved[1] = 0;
	a.flags = 4;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_DETACH, &a), EINVAL);
	a.flags = 0;
	a.reserved[0] = 9;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_DETACH, &a), EINVAL);
	EXPECT_OK(dma_detach(d.fd, card));
	EXPECT_ERRNO(dma_detach(d.fd, card), ENOTCONN);
	/* attach again after detach */
	EXPECT_OK(dma_attach(d.fd, card));
	dma_fd_close(&d);
}

TEST(submit_argument_errors)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64, MICMEM_DIR_TO_CARD, 0);
	struct micmem_query q;
	struct micmem_submit s;
	struct micmem_xfer *many;
	int card = card0();
	struct dma_fd d;

	open_attached(&d, card);
	memset(&q, 0, sizeof(q));
	ASSERT_OK(ioctl(d.fd, MICMEM_IOC_QUERY, &q));
	EXPECT_GT(q.max_batch, 0);
	EXPECT_EQ(q.features & (MICMEM_FEAT_DMA | MICMEM_FEAT_DUAL_CHANNEL |
				MICMEM_FEAT_POLL),
		  MICMEM_FEAT_DMA | MICMEM_FEAT_DUAL_CHANNEL |
		  MICMEM_FEAT_POLL);

	EXPECT_ERRNO(dma_submit(d.fd, card, &x, 1, 2, NULL), EINVAL);
	EXPECT_ERRNO(dma_submit(d.fd, card, &x, 0, 0, NULL), EINVAL);
	many = calloc(q.max_batch + 1, sizeof(*many));
	ASSERT_TRUE(many != NULL);
	EXPECT_ERRNO(dma_submit(d.fd, card, many, q.max_batch + 1, 0, NULL),
		     E2BIG);
	free(many);
	EXPECT_ERRNO(dma_submit(d.fd, 200, &x, 1, 0, NULL), ENOTCONN);
	EXPECT_ERRNO(dma_submit(d.fd, sim_card_nr("card1"), &x, 1, 0, NULL),
		     ENOTCONN);

	memset(&s, 0, sizeof(s));
	s.card = card;
	s.count = 1;
	s.xfers = (uintptr_t)&x;
	s.reserved[1] = 1;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_SUBMIT, &s), EINVAL);
	s.reserved[1] = 0;
	s.xfers = 8;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_SUBMIT, &s), EFAULT);
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_SUBMIT, (void *)8), EFAULT);
	dma_fd_close(&d);
}

/* One bad transfer at index 1 of a batch whose index 0 is good. */
struct bad_xfer {
	const char *what;
	uint64_t off, card_addr, len;
	uint8_t dir, chan;
	uint16_t flags;
	uint32_t reserved;
	int err;
};

#define WIN	(8ULL * 1024 * MIB - 512 * KIB)	/* default: 8 GiB sim card */

static const struct bad_xfer bad[] = {
	{ "flags", 0, 0, 64, 0, 0, 1, 0, EINVAL },
	{ "reserved", 0, 0, 64, 0, 0, 0, 1, EINVAL },
	{ "direction", 0, 0, 64, 2, 0, 0, 0, EINVAL },
	{ "channel", 0, 0, 64, 0, 3, 0, 0, EINVAL },
	{ "zero length", 0, 0, 0, 0, 0, 0, 0, EINVAL },
	{ "unaligned pool offset", 32, 0, 64, 0, 0, 0, 0, EINVAL },
	{ "unaligned card address", 0, 8, 64, 1, 0, 0, 0, EINVAL },
	{ "unaligned length", 0, 0, 100, 0, 0, 0, 0, EINVAL },
	{ "past the pool end", POOL - 64, 0, 128, 0, 0, 0, 0, ERANGE },
	{ "at the pool end", POOL, 0, 64, 1, 0, 0, 0, ERANGE },
	{ "pool offset overflow", ~0ULL - 63, 0, 128, 0, 0, 0, 0, ERANGE },
	{ "length overflow", 64, 0, ~0ULL - 63, 0, 0, 0, 0, ERANGE },
	{ "past the window", 0, WIN - 64, 128, 0, 1, 0, 0, ERANGE },
	{ "at the window end", 0, WIN, 64, 1, 2, 0, 0, ERANGE },
	{ "card address overflow", 0, ~0ULL - 63, 128, 0, 0, 0, 0, ERANGE },
};

TEST(every_transfer_rule_has_its_errno)
{
	struct micmem_xfer x[2];
	struct micmem_submit s;
	long long memcopy;
	int card = card0();
	struct dma_fd d;
	unsigned int i;

	open_attached(&d, card);
	ASSERT_EQ(read_llf("/sys/class/mic/mic%d/dma_window", card),
		  (long long)WIN);
	memcopy = micsim_knob_get("card0", "dma_memcopy");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bad_xfer *b = &bad[i];

		x[0] = dma_xfer(0, 0, 64, MICMEM_DIR_TO_CARD, 0);
		x[1] = dma_xfer(b->off, b->card_addr, b->len, b->dir, b->chan);
		x[1].flags = b->flags;
		x[1].reserved = b->reserved;
		memset(&s, 0, sizeof(s));
		s.card = card;
		s.count = 2;
		s.xfers = (uintptr_t)x;
		s.ticket = 77;
		errno = 0;
		EXPECT_EQ(ioctl(d.fd, MICMEM_IOC_SUBMIT, &s), -1);
		EXPECT_EQ(errno, b->err);
		EXPECT_EQ(s.bad_xfer, 1);
		EXPECT_EQ(s.ticket, 0);
		if (errno != b->err || s.bad_xfer != 1)
			TH_LOG("rule \"%s\": errno %d bad_xfer %u", b->what,
			       errno, s.bad_xfer);
	}
	/* rejected batches queue nothing, not even their good transfer */
	usleep(20000);
	EXPECT_EQ(micsim_knob_get("card0", "dma_memcopy"), memcopy);
	/* a good batch reports no bad transfer */
	x[1] = dma_xfer(64, WIN - 64, 64, MICMEM_DIR_TO_CARD, 1);
	memset(&s, 0, sizeof(s));
	s.card = card;
	s.count = 2;
	s.xfers = (uintptr_t)x;
	s.bad_xfer = 5;
	ASSERT_OK(ioctl(d.fd, MICMEM_IOC_SUBMIT, &s));
	EXPECT_EQ(s.bad_xfer, MICMEM_NO_XFER);
	EXPECT_GT(s.ticket, 0);
	dma_fd_close(&d);
}

TEST(dma_window_is_enforced_and_settable)
{
	struct micmem_xfer x;
	long long memsize;
	int card = card0();
	struct dma_fd d;
	char path[64];

	open_attached(&d, card);
	snprintf(path, sizeof(path), "/sys/class/mic/mic%d/dma_window", card);
	tap_defer_restore_file(path);
	/* KiB, as the historical driver showed it */
	memsize = read_llf("/sys/class/mic/mic%d/memsize", card) * 1024;
	ASSERT_GT(memsize, 0);

	EXPECT_EQ(micsim_write(path, "1000"), -EINVAL);	/* not 64-aligned */
	{
		char big[32];

		snprintf(big, sizeof(big), "%lld", memsize + 64);
		EXPECT_EQ(micsim_write(path, big), -EINVAL);
	}
	EXPECT_EQ(micsim_write(path, "banana"), -EINVAL);
	ASSERT_OK(micsim_write(path, "1048576"));
	EXPECT_EQ(read_ll(path), 1048576);

	x = dma_xfer(0, MIB - 64, 64, MICMEM_DIR_TO_CARD, 0);
	EXPECT_OK(dma_run(d.fd, card, &x, 1));
	x = dma_xfer(0, MIB, 64, MICMEM_DIR_TO_CARD, 0);
	EXPECT_ERRNO(dma_submit(d.fd, card, &x, 1, 0, NULL), ERANGE);
	/* the whole memory may be opened up again */
	{
		char all[32];

		snprintf(all, sizeof(all), "%lld", memsize);
		EXPECT_OK(micsim_write(path, all));
	}
	x = dma_xfer(0, memsize - 64, 64, MICMEM_DIR_FROM_CARD, 1);
	EXPECT_OK(dma_run(d.fd, card, &x, 1));
	dma_fd_close(&d);
}

/* Root without CAP_SYS_ADMIN may read the window but not set it. */
TEST(dma_window_needs_cap_sys_admin)
{
	char path[64], old[32];
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "/sys/class/mic/mic%d/dma_window",
		 card0());
	ASSERT_OK(micsim_read(path, old, sizeof(old)));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (drop_cap(CAP_SYS_ADMIN))
			_exit(11);
		if (read_ll(path) != atoll(old))
			_exit(12);
		_exit(micsim_write(path, "1048576") == -EPERM ? 0 : 13);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
	EXPECT_EQ(read_ll(path), atoll(old));
}

/*
 * A channel's part of a batch must fit in its ring: 8189 MEMCOPYs (plus
 * the STATUS pair) do, 8190 are -E2BIG.  The batch that fits is left to
 * the hang check on a stalled channel rather than copying 4 GiB.
 */
TEST(batch_larger_than_a_ring_is_e2big)
{
	struct micmem_xfer *x;
	struct micmem_wait w;
	int card = card0(), i;
	struct dma_fd d;
	uint64_t t;

	open_attached(&d, card);
	x = calloc(512, sizeof(*x));
	ASSERT_TRUE(x != NULL);
	/* 511 x 16 + 14 descriptors */
	for (i = 0; i < 511; i++)
		x[i] = dma_xfer(0, 0, POOL, MICMEM_DIR_TO_CARD, 0);
	x[511] = dma_xfer(0, 0, 14 * 512 * KIB, MICMEM_DIR_TO_CARD, 0);
	EXPECT_ERRNO(dma_submit(d.fd, card, x, 512, 0, NULL), E2BIG);
	/* auto halves it per channel: fits */
	for (i = 0; i < 512; i++)
		x[i].channel = MICMEM_CHAN_AUTO;
	x[511].length = 64;
	tap_defer_restore_file(PARAM_DIR "hang_timeout_ms");
	ASSERT_OK(param_set("hang_timeout_ms", "300"));
	micsim_defer_knob("card0", "stall");
	ASSERT_OK(micsim_knob_set("card0", "stall", "3"));
	ASSERT_OK(dma_submit(d.fd, card, x, 512, 0, &t));
	EXPECT_ERRNO(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w), ETIMEDOUT);
	/* 8189 on one channel: fits */
	for (i = 0; i < 512; i++)
		x[i].channel = 0;
	x[511].length = 13 * 512 * KIB;
	ASSERT_OK(dma_submit(d.fd, card, x, 512, 0, &t));
	EXPECT_ERRNO(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w), ETIMEDOUT);
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	free(x);
	dma_fd_close(&d);
}

/* ---- back-pressure ---- */

struct blocked {
	int fd, card;
	struct micmem_xfer *x;
	unsigned int n;			/* transfers; 0: 1024 */
	int ret, err;
	uint64_t ticket;
	volatile int done;
};

static void *blocking_submit(void *arg)
{
	struct blocked *b = arg;

	b->ret = dma_submit(b->fd, b->card, b->x, b->n ? b->n : 1024, 0,
			    &b->ticket);
	b->err = errno;
	b->done = 1;
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

TEST(full_ring_blocks_or_eagain_and_drops_nothing)
{
	uint64_t tickets[16];
	struct micmem_wait w;
	struct micmem_xfer *x;
	struct sigaction sa;
	struct blocked b;
	int card = card0(), i, n;
	long long memcopy;
	struct dma_fd d;
	pthread_t th;

	open_attached(&d, card);
	x = calloc(1024, sizeof(*x));
	ASSERT_TRUE(x != NULL);
	for (i = 0; i < 1024; i++)
		x[i] = dma_xfer(i * 64, i * 64, 64, MICMEM_DIR_TO_CARD, 0);
	memcopy = micsim_knob_get("card0", "dma_memcopy");
	micsim_defer_knob("card0", "stall");
	ASSERT_OK(micsim_knob_set("card0", "stall", "1"));

	/* 1026 slots a batch, 8191 in the ring: 7 fit */
	for (n = 0; n < 16; n++)
		if (dma_submit(d.fd, card, x, 1024, MICMEM_SUBMIT_NONBLOCK,
			       &tickets[n]) < 0)
			break;
	EXPECT_EQ(n, 7);
	EXPECT_EQ(errno, EAGAIN);

	/* blocking: waits, and a signal interrupts it (nothing queued) */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	memset(&b, 0, sizeof(b));
	b.fd = d.fd;
	b.card = card;
	b.x = x;
	ASSERT_EQ(pthread_create(&th, NULL, blocking_submit, &b), 0);
	usleep(200000);
	EXPECT_FALSE(b.done);
	pthread_kill(th, SIGUSR1);
	pthread_join(th, NULL);
	EXPECT_EQ(b.ret, -1);
	EXPECT_EQ(b.err, EINTR);

	/* blocking again; the stall ends and it goes through */
	memset(&b, 0, sizeof(b));
	b.fd = d.fd;
	b.card = card;
	b.x = x;
	ASSERT_EQ(pthread_create(&th, NULL, blocking_submit, &b), 0);
	usleep(200000);
	EXPECT_FALSE(b.done);
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	pthread_join(th, NULL);
	EXPECT_EQ(b.ret, 0);
	tickets[n++] = b.ticket;

	for (i = 0; i < n; i++)
		EXPECT_OK(dma_wait(d.fd, tickets[i], MICMEM_WAIT_FOREVER, &w));
	EXPECT_EQ(micsim_knob_get("card0", "dma_memcopy") - memcopy, 8 * 1024);
	EXPECT_GE(micsim_knob_get("card0", "injected_stall"), 1);
	free(x);
	dma_fd_close(&d);
}

static void start_blocked(struct blocked *b, pthread_t *th, int fd, int card,
			  struct micmem_xfer *x, unsigned int n)
{
	memset(b, 0, sizeof(*b));
	b->fd = fd;
	b->card = card;
	b->x = x;
	b->n = n;
	ASSERT_EQ(pthread_create(th, NULL, blocking_submit, b), 0);
	usleep(200000);
	EXPECT_FALSE(b->done);
}

/*
 * Ring space goes first come first served: once a batch waits for room,
 * later batches wait behind it even where they would fit (without this a
 * batch needing most of the ring starved while small ones kept flowing),
 * and a waiter that a signal takes out of the queue lets the next go.
 * Channel 0 held, seven batches of 1026 slots in: 1009 of 8191 free.
 */
TEST(ring_space_is_first_come_first_served)
{
	struct blocked big, small, quitter;
	uint64_t tickets[8], t;
	pthread_t tb, ts, tq;
	struct micmem_xfer *x;
	struct micmem_wait w;
	struct sigaction sa;
	int card = card0(), i;
	struct dma_fd d;

	open_attached(&d, card);
	x = calloc(1024, sizeof(*x));
	ASSERT_TRUE(x != NULL);
	for (i = 0; i < 1024; i++)
		x[i] = dma_xfer(i * 64, i * 64, 64, MICMEM_DIR_TO_CARD, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	micsim_defer_knob("card0", "stall");
	ASSERT_OK(micsim_knob_set("card0", "stall", "1"));
	for (i = 0; i < 7; i++)
		ASSERT_OK(dma_submit(d.fd, card, x, 1024,
				     MICMEM_SUBMIT_NONBLOCK, &tickets[i]));

	/* a waiter that leaves on a signal leaves nobody stuck behind it */
	start_blocked(&quitter, &tq, d.fd, card, x, 1024);
	EXPECT_EQ(dma_submit(d.fd, card, x, 1, MICMEM_SUBMIT_NONBLOCK, &t), -1);
	EXPECT_EQ(errno, EAGAIN);
	pthread_kill(tq, SIGUSR1);
	pthread_join(tq, NULL);
	EXPECT_EQ(quitter.ret, -1);
	EXPECT_EQ(quitter.err, EINTR);
	ASSERT_OK(dma_submit(d.fd, card, x, 1, MICMEM_SUBMIT_NONBLOCK,
			     &tickets[7]));

	/* 1026 slots do not fit: it waits, and the small ones queue behind */
	start_blocked(&big, &tb, d.fd, card, x, 1024);
	EXPECT_EQ(dma_submit(d.fd, card, x, 1, MICMEM_SUBMIT_NONBLOCK, &t), -1);
	EXPECT_EQ(errno, EAGAIN);
	start_blocked(&small, &ts, d.fd, card, x, 1);

	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	pthread_join(tb, NULL);
	pthread_join(ts, NULL);
	ASSERT_EQ(big.ret, 0);
	ASSERT_EQ(small.ret, 0);
	/* one ring, in order: the small batch went in after the big one */
	EXPECT_OK(dma_wait(d.fd, small.ticket, MICMEM_WAIT_FOREVER, &w));
	EXPECT_OK(dma_wait(d.fd, big.ticket, MICMEM_WAIT_NO_BLOCK, &w));
	for (i = 0; i < 8; i++)
		EXPECT_OK(dma_wait(d.fd, tickets[i], MICMEM_WAIT_FOREVER, &w));
	free(x);
	dma_fd_close(&d);
}

TEST(outstanding_ticket_limit_is_enospc)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64, MICMEM_DIR_TO_CARD, 1);
	uint64_t t[3], t4;
	struct micmem_wait w;
	int card = card0(), i;
	struct dma_fd d;

	open_attached(&d, card);
	tap_defer_restore_file(PARAM_DIR "max_tickets");
	ASSERT_OK(param_set("max_tickets", "3"));
	for (i = 0; i < 3; i++)
		ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t[i]));
	/* completed but not waited for: still counted */
	usleep(100000);
	EXPECT_ERRNO(dma_submit(d.fd, card, &x, 1, 0, &t4), ENOSPC);
	EXPECT_OK(dma_wait(d.fd, t[0], MICMEM_WAIT_FOREVER, &w));
	EXPECT_OK(dma_submit(d.fd, card, &x, 1, 0, &t4));
	dma_fd_close(&d);
}

/* ---- wait ---- */

TEST(wait_argument_errors)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64, MICMEM_DIR_TO_CARD, 0);
	struct micmem_wait w;
	int card = card0();
	struct dma_fd d;
	uint64_t t;

	open_attached(&d, card);
	memset(&w, 0, sizeof(w));
	w.flags = MICMEM_WAIT_ANY;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), ENOENT);
	w.flags = 4;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), EINVAL);
	w.flags = MICMEM_WAIT_POLL | MICMEM_WAIT_ANY | 0x80000000U;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), EINVAL);
	w.flags = MICMEM_WAIT_POLL;
	w.reserved[1] = 1;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), EINVAL);
	w.reserved[1] = 0;
	w.flags = 0;
	w.reserved[0] = 1;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), EINVAL);
	EXPECT_ERRNO(dma_wait(d.fd, 12345, MICMEM_WAIT_FOREVER, &w), ENOENT);
	EXPECT_ERRNO(dma_wait(d.fd, 0, MICMEM_WAIT_FOREVER, &w), ENOENT);

	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	EXPECT_OK(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w));
	EXPECT_EQ(w.ticket, t);
	EXPECT_EQ(w.error, 0);
	EXPECT_EQ(w.error_class, MICMEM_ERR_NONE);
	EXPECT_EQ(w.failed_xfer, MICMEM_NO_XFER);
	/* consumed */
	EXPECT_ERRNO(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w), ENOENT);
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, (void *)8), EFAULT);
	dma_fd_close(&d);
}

TEST(stalled_channel_wait_times_out)
{
	struct micmem_xfer x = dma_xfer(0, 0, 4 * KIB, MICMEM_DIR_TO_CARD, 1);
	struct micmem_wait w;
	uint64_t t, t0, dt;
	int card = card0();
	struct dma_fd d;

	open_attached(&d, card);
	micsim_defer_knob("card0", "stall");
	ASSERT_OK(micsim_knob_set("card0", "stall", "2"));
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	EXPECT_ERRNO(dma_wait(d.fd, t, MICMEM_WAIT_NO_BLOCK, &w), ETIME);
	t0 = now_ns();
	EXPECT_ERRNO(dma_wait(d.fd, t, t0 + 200000000ULL, &w), ETIME);
	dt = now_ns() - t0;
	EXPECT_GE(dt, 200000000ULL);
	EXPECT_LT(dt, 3000000000ULL);
	/* a deadline in the past: at once */
	EXPECT_ERRNO(dma_wait(d.fd, t, 1, &w), ETIME);
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	EXPECT_OK(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w));
	dma_fd_close(&d);
}

/* ---- engine faults ---- */

TEST(descriptor_error_names_the_failed_transfer)
{
	struct micmem_xfer x[4], y, back;
	long long errs, inj;
	struct micmem_wait w;
	int card = card0(), i;
	uint64_t ta, tb;
	struct dma_fd d;

	open_attached(&d, card);
	memset(d.pool, 0, POOL);
	fill_pattern(d.pool, 4 * KIB, 31);
	for (i = 0; i < 4; i++)
		x[i] = dma_xfer(i * KIB, 64 * MIB + i * KIB, KIB,
				MICMEM_DIR_TO_CARD, 0);
	fill_pattern(d.pool + MIB, 64 * KIB, 32);
	y = dma_xfer(MIB, 65 * MIB, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	errs = chan_stat(card, 0, "errors");
	inj = micsim_knob_get("card0", "injected_fail");

	/* the third descriptor of the next batch fails */
	micsim_defer_knob("card0", "fail_skip");
	ASSERT_OK(micsim_knob_set("card0", "fail_skip", "2"));
	micsim_defer_knob("card0", "fail_next");
	ASSERT_OK(micsim_knob_set("card0", "fail_next", "1"));
	ASSERT_OK(dma_submit(d.fd, card, x, 4, 0, &ta));
	ASSERT_OK(dma_submit(d.fd, card, &y, 1, 0, &tb));
	EXPECT_ERRNO(dma_wait(d.fd, ta, MICMEM_WAIT_FOREVER, &w), EIO);
	EXPECT_EQ(w.failed_xfer, 2);
	EXPECT_EQ(w.error, -EIO);
	EXPECT_EQ(w.error_class, MICMEM_ERR_CHANNEL);
	/* the batch behind it on the channel is not affected */
	EXPECT_OK(dma_wait(d.fd, tb, MICMEM_WAIT_FOREVER, &w));
	EXPECT_EQ(micsim_knob_get("card0", "injected_fail") - inj, 1);
	EXPECT_EQ(chan_stat(card, 0, "errors") - errs, 1);

	/* transfers 0 and 1 landed, 2 failed, 3 was skipped */
	back = dma_xfer(2 * MIB, 64 * MIB, 4 * KIB, MICMEM_DIR_FROM_CARD, 1);
	ASSERT_OK(dma_run(d.fd, card, &back, 1));
	EXPECT_EQ(memcmp(d.pool + 2 * MIB, d.pool, 2 * KIB), 0);
	for (i = 2 * KIB; i < (int)(4 * KIB); i++)
		if (d.pool[2 * MIB + i])
			break;
	EXPECT_EQ(i, 4 * KIB);
	back = dma_xfer(3 * MIB, 65 * MIB, 64 * KIB, MICMEM_DIR_FROM_CARD, 1);
	ASSERT_OK(dma_run(d.fd, card, &back, 1));
	EXPECT_EQ(memcmp(d.pool + 3 * MIB, d.pool + MIB, 64 * KIB), 0);
	dma_fd_close(&d);
}

TEST(hung_channel_is_reset)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct micmem_wait w;
	int card = card0();
	uint64_t t, t0, dt;
	struct dma_fd d;
	long long errs;

	open_attached(&d, card);
	errs = chan_stat(card, 0, "errors");
	tap_defer_restore_file(PARAM_DIR "hang_timeout_ms");
	ASSERT_OK(param_set("hang_timeout_ms", "300"));
	micsim_defer_knob("card0", "stall");
	ASSERT_OK(micsim_knob_set("card0", "stall", "1"));
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	t0 = now_ns();
	EXPECT_ERRNO(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w), ETIMEDOUT);
	dt = now_ns() - t0;
	EXPECT_EQ(w.error_class, MICMEM_ERR_TIMEOUT);
	EXPECT_EQ(w.failed_xfer, 0);
	EXPECT_GE(dt, 300000000ULL);
	EXPECT_LT(dt, 5000000000ULL);
	EXPECT_EQ(chan_stat(card, 0, "errors") - errs, 1);
	/* the channel works again */
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	EXPECT_OK(dma_run(d.fd, card, &x, 1));
	dma_fd_close(&d);
}

#define DCR		0x1a280
#define DCAR(ch)	(0x1a000 + 0x40 * (ch))
#define DCHERRMSK(ch)	(0x1a030 + 0x40 * (ch))
#define DCAR_IM0	(1u << 24)
#define DCAR_IM1	(1u << 25)
/* owner and enable bits of the card OS's channels 4-7 (bits 15:8) */
#define DCR_CARD_BITS	0xff00u

/*
 * DCR and DCAR are the card OS's too (doc/x100-hardware.md B.2, B.3,
 * G.19): bits of channels 4-7 the card set behind the driver's back, and
 * IM0 of a host channel, survive a hang reset of channel 0 (which
 * disables, re-programs and enables it), and the driver's own bits are
 * where they belong afterwards.
 */
TEST(channel_reset_keeps_the_card_os_bits_of_dcr_and_dcar)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct micmem_wait w;
	int card = card0();
	long long dcr, dcar;
	struct dma_fd d;
	uint64_t t;

	open_attached(&d, card);
	dcr = micsim_peek("card0", DCR);
	ASSERT_GE(dcr, 0);
	/* the card OS owns and enables 4 and 6, leaves 5 and 7 */
	ASSERT_OK(micsim_poke("card0", DCR, (dcr & ~DCR_CARD_BITS) | 0x3300));
	dcar = micsim_peek("card0", DCAR(0));
	ASSERT_GE(dcar, 0);
	ASSERT_OK(micsim_poke("card0", DCAR(0), dcar | DCAR_IM0));

	tap_defer_restore_file(PARAM_DIR "hang_timeout_ms");
	ASSERT_OK(param_set("hang_timeout_ms", "300"));
	ASSERT_OK(micsim_knob_set("card0", "stall", "1"));
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	EXPECT_ERRNO(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w), ETIMEDOUT);
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	EXPECT_OK(dma_run(d.fd, card, &x, 1));

	dcr = micsim_peek("card0", DCR);
	dcar = micsim_peek("card0", DCAR(0));
	TH_LOG("after the reset: DCR %#llx DCAR0 %#llx", dcr, dcar);
	EXPECT_EQ(dcr & DCR_CARD_BITS, 0x3300);
	/* channels 0 and 1: host-owned and enabled */
	EXPECT_EQ(dcr & 0xf, 0xf);
	EXPECT_TRUE(dcar & DCAR_IM0);
	EXPECT_FALSE(dcar & DCAR_IM1);

	ASSERT_OK(micsim_poke("card0", DCR, dcr & ~DCR_CARD_BITS));
	ASSERT_OK(micsim_poke("card0", DCAR(0), dcar & ~DCAR_IM0));
	dma_fd_close(&d);
}

/*
 * An error that raises no interrupt (DCHERRMSK masks it here, as on a
 * chip that reports errors only to a hang check, doc/x100-hardware.md
 * G.7) is found by the hang check, which reads DCHERR; and a channel that
 * does not move once DCHERR is clear (stalled here, as a chip that does
 * not resume after an error, G.16) is re-programmed (C.6 step 4): the
 * failed batch and the one behind it end with -EIO (MICMEM_ERR_CHANNEL),
 * not -ETIMEDOUT, and the channel works again.
 */
TEST(error_recovery_escalates_when_the_channel_does_not_move)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct micmem_xfer three[3];
	struct micmem_wait w;
	int card = card0(), i;
	long long errs, inj;
	uint64_t ta, tb;
	struct dma_fd d;

	open_attached(&d, card);
	for (i = 0; i < 3; i++)
		three[i] = dma_xfer(i * KIB, 8 * MIB + i * KIB, KIB,
				    MICMEM_DIR_TO_CARD, 0);
	errs = chan_stat(card, 0, "errors");
	inj = micsim_knob_get("card0", "injected_fail");
	tap_defer_restore_file(PARAM_DIR "hang_timeout_ms");
	ASSERT_OK(param_set("hang_timeout_ms", "300"));
	ASSERT_OK(micsim_poke("card0", DCHERRMSK(0), 0xffffffffu));
	/* the second transfer of the batch fails */
	ASSERT_OK(micsim_knob_set("card0", "fail_skip", "1"));
	ASSERT_OK(micsim_knob_set("card0", "fail_next", "1"));
	ASSERT_OK(dma_submit(d.fd, card, three, 3, 0, &ta));
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &tb));
	EXPECT_EQ(micsim_knob_wait("card0", "injected_fail", inj + 1, 2000),
		  inj + 1);
	ASSERT_OK(micsim_knob_set("card0", "stall", "1"));

	EXPECT_ERRNO(dma_wait(d.fd, ta, now_ns() + 5000000000ULL, &w), EIO);
	EXPECT_EQ(w.error_class, MICMEM_ERR_CHANNEL);
	/* the re-program does not blame the transfer that was copied */
	EXPECT_EQ(w.failed_xfer, 1);
	/*
	 * The batch behind it was handed to the re-programmed channel again:
	 * it completes once the channel runs (well within the two hang
	 * check periods, 600 ms, that would reset it).
	 */
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	EXPECT_OK(dma_wait(d.fd, tb, now_ns() + 5000000000ULL, &w));
	EXPECT_EQ(chan_stat(card, 0, "errors") - errs, 1);

	/* re-programming unmasked the error interrupt again */
	EXPECT_EQ(micsim_peek("card0", DCHERRMSK(0)), 0);
	EXPECT_OK(dma_run(d.fd, card, &x, 1));
	dma_fd_close(&d);
}

/*
 * The interrupt of a completed batch gets lost: the next interrupt of the
 * channel, or else the hang check, notices the completion.
 */
TEST(lost_interrupt_is_recovered)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 1);
	struct micmem_wait w;
	int card = card0();
	uint64_t ta, tb;
	struct dma_fd d;
	long long inj;

	open_attached(&d, card);
	inj = micsim_knob_get("card0", "injected_drop_irq");
	/* no hang check: only an interrupt can tell */
	tap_defer_restore_file(PARAM_DIR "hang_timeout_ms");
	ASSERT_OK(param_set("hang_timeout_ms", "0"));
	micsim_defer_knob("card0", "drop_irq");
	ASSERT_OK(micsim_knob_set("card0", "drop_irq", "1"));
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &ta));
	EXPECT_ERRNO(dma_wait(d.fd, ta, now_ns() + 150000000ULL, &w), ETIME);
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &tb));
	EXPECT_OK(dma_wait(d.fd, ta, now_ns() + 3000000000ULL, &w));
	EXPECT_OK(dma_wait(d.fd, tb, now_ns() + 3000000000ULL, &w));

	/* the hang check finds it too */
	ASSERT_OK(param_set("hang_timeout_ms", "300"));
	ASSERT_OK(micsim_knob_set("card0", "drop_irq", "1"));
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &ta));
	EXPECT_OK(dma_wait(d.fd, ta, now_ns() + 3000000000ULL, &w));
	EXPECT_EQ(micsim_knob_get("card0", "injected_drop_irq") - inj, 2);
	dma_fd_close(&d);
}

/* ---- the card goes away or is reset under the batches ---- */

TEST_TIMEOUT(card_reset_cancels_inflight, 30)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct dma_fd d, e;
	struct micmem_wait w;
	int card = sim_card_nr("card1");
	uint64_t t;

	open_attached(&d, card);
	ASSERT_OK(dma_fd_open(&e, POOL));
	micsim_defer_knob("card1", "stall");
	ASSERT_OK(micsim_knob_set("card1", "stall", "1"));
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	ASSERT_OK(card_state_cmd(card, "reset:force"));
	EXPECT_ERRNO(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w), ECANCELED);
	EXPECT_EQ(w.error_class, MICMEM_ERR_CARD_RESET);
	/* while it resets: busy */
	EXPECT_ERRNO(dma_submit(d.fd, card, &x, 1, 0, &t), EBUSY);
	EXPECT_ERRNO(dma_attach(e.fd, card), EBUSY);
	ASSERT_OK(micsim_knob_set("card1", "stall", "0"));
	ASSERT_OK(card_state_wait(card, "ready", 20000));
	/* the fd stayed attached; DMA works again */
	fill_pattern(d.pool, 64 * KIB, 3);
	EXPECT_OK(dma_run(d.fd, card, &x, 1));
	x = dma_xfer(MIB, 0, 64 * KIB, MICMEM_DIR_FROM_CARD, 1);
	EXPECT_OK(dma_run(d.fd, card, &x, 1));
	EXPECT_EQ(memcmp(d.pool, d.pool + MIB, 64 * KIB), 0);
	EXPECT_OK(dma_attach(e.fd, card));
	dma_fd_close(&e);
	dma_fd_close(&d);
}

TEST(lost_card_fails_inflight_with_enodev)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct micmem_wait w;
	struct dma_fd d, e;
	int card;
	uint64_t t;

	micsim_defer_del("lost");
	card = micsim_add("lost", NULL);
	ASSERT_GE(card, 0);
	open_attached(&d, card);
	ASSERT_OK(dma_fd_open(&e, POOL));
	tap_defer_restore_file(PARAM_DIR "health_ms");
	ASSERT_OK(param_set("health_ms", "100"));
	ASSERT_OK(micsim_knob_set("lost", "stall", "1"));
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	ASSERT_OK(micsim_knob_set("lost", "vanish", "1"));
	EXPECT_ERRNO(dma_wait(d.fd, t, now_ns() + 5000000000ULL, &w), ENODEV);
	EXPECT_EQ(w.error_class, MICMEM_ERR_CARD_LOST);
	EXPECT_EQ(w.failed_xfer, 0);
	EXPECT_ERRNO(dma_submit(d.fd, card, &x, 1, 0, &t), ENODEV);
	EXPECT_ERRNO(dma_attach(e.fd, card), ENODEV);
	EXPECT_OK(micsim_del("lost"));
	EXPECT_OK(dma_detach(d.fd, card));
	dma_fd_close(&e);
	dma_fd_close(&d);
}

TEST(removed_card_fails_inflight_with_enodev)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 1);
	struct micmem_wait w;
	struct dma_fd d;
	uint64_t t, t2;
	int card;

	micsim_defer_del("gone");
	card = micsim_add("gone", NULL);
	ASSERT_GE(card, 0);
	open_attached(&d, card);
	ASSERT_OK(micsim_knob_set("gone", "stall", "2"));
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t2));
	ASSERT_OK(micsim_del("gone"));
	EXPECT_ERRNO(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w), ENODEV);
	EXPECT_EQ(w.error_class, MICMEM_ERR_CARD_LOST);
	EXPECT_ERRNO(dma_submit(d.fd, card, &x, 1, 0, &t), ENODEV);
	/* the fd and its other tickets stay usable */
	memset(&w, 0, sizeof(w));
	w.flags = MICMEM_WAIT_ANY;
	w.deadline_ns = MICMEM_WAIT_NO_BLOCK;
	EXPECT_OK(ioctl(d.fd, MICMEM_IOC_WAIT, &w));
	EXPECT_EQ(w.error, -ENODEV);
	EXPECT_EQ(w.error_class, MICMEM_ERR_CARD_LOST);
	EXPECT_EQ(w.ticket, t2);
	EXPECT_OK(dma_detach(d.fd, card));
	dma_fd_close(&d);
}

/* ---- SUBMIT writes bad_xfer and ticket back on every failure ---- */

#define SENTINEL_BAD	0x5a5a5a5aU
#define SENTINEL_TICKET	0xdeadbeefcafeULL

/* SUBMIT of @s with sentinels in its out fields; ioctl's return. */
static int submit_sentinel(int fd, struct micmem_submit *s)
{
	s->bad_xfer = SENTINEL_BAD;
	s->ticket = SENTINEL_TICKET;
	return ioctl(fd, MICMEM_IOC_SUBMIT, s);
}

/* @s came back from a failed SUBMIT blaming no single transfer. */
#define EXPECT_NO_XFER(s, what)						\
	do {								\
		EXPECT_EQ((s).bad_xfer, MICMEM_NO_XFER);		\
		EXPECT_EQ((s).ticket, 0);				\
		if ((s).bad_xfer != MICMEM_NO_XFER || (s).ticket)	\
			TH_LOG("%s: bad_xfer %#x ticket %#llx", what,	\
			       (s).bad_xfer,				\
			       (unsigned long long)(s).ticket);		\
	} while (0)

/*
 * Submit-level failures where no transfer is at fault: bad flags or
 * reserved, count 0 or too large, unattached card, unreadable array (also
 * an array that ends in an unmapped page).  ENOMEM cannot be provoked
 * here: the cloud kernel has no fault injection.
 */
TEST(submit_errors_write_no_xfer_and_ticket_0)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64, MICMEM_DIR_TO_CARD, 0);
	struct micmem_xfer *edge;
	struct micmem_submit s;
	struct micmem_query q;
	int card = card0();
	struct dma_fd d;
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *two;

	open_attached(&d, card);
	memset(&q, 0, sizeof(q));
	ASSERT_OK(ioctl(d.fd, MICMEM_IOC_QUERY, &q));

	memset(&s, 0, sizeof(s));
	s.card = card;
	s.count = 1;
	s.xfers = (uintptr_t)&x;
	s.flags = 2;
	EXPECT_ERRNO(submit_sentinel(d.fd, &s), EINVAL);
	EXPECT_NO_XFER(s, "flags");
	s.flags = 0;
	s.reserved[0] = 3;
	EXPECT_ERRNO(submit_sentinel(d.fd, &s), EINVAL);
	EXPECT_NO_XFER(s, "reserved");
	EXPECT_EQ(s.reserved[0], 0);	/* zero on output */
	s.reserved[0] = 0;
	s.count = 0;
	EXPECT_ERRNO(submit_sentinel(d.fd, &s), EINVAL);
	EXPECT_NO_XFER(s, "count 0");
	s.count = q.max_batch + 1;
	EXPECT_ERRNO(submit_sentinel(d.fd, &s), E2BIG);
	EXPECT_NO_XFER(s, "count too large");
	s.count = 1;
	s.card = 200;
	EXPECT_ERRNO(submit_sentinel(d.fd, &s), ENOTCONN);
	EXPECT_NO_XFER(s, "no such card");
	s.card = sim_card_nr("card1");
	EXPECT_ERRNO(submit_sentinel(d.fd, &s), ENOTCONN);
	EXPECT_NO_XFER(s, "card not attached");
	s.card = card;
	s.xfers = 8;
	EXPECT_ERRNO(submit_sentinel(d.fd, &s), EFAULT);
	EXPECT_NO_XFER(s, "unreadable array");

	/* 2 transfers, the second one in an unmapped page */
	two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(two, MAP_FAILED);
	ASSERT_OK(munmap(two + pg, pg));
	edge = (struct micmem_xfer *)(two + pg - sizeof(x));
	*edge = x;
	s.count = 2;
	s.xfers = (uintptr_t)edge;
	EXPECT_ERRNO(submit_sentinel(d.fd, &s), EFAULT);
	EXPECT_NO_XFER(s, "array ends unmapped");
	/* 8 transfers: the array is allocated, not on the stack */
	s.count = 8;
	s.xfers = (uintptr_t)(two + pg - 4 * sizeof(x));
	EXPECT_ERRNO(submit_sentinel(d.fd, &s), EFAULT);
	EXPECT_NO_XFER(s, "long array ends unmapped");
	munmap(two, pg);

	/* the limit of outstanding tickets */
	tap_defer_restore_file(PARAM_DIR "max_tickets");
	ASSERT_OK(param_set("max_tickets", "1"));
	s.count = 1;
	s.xfers = (uintptr_t)&x;
	ASSERT_OK(submit_sentinel(d.fd, &s));
	EXPECT_EQ(s.bad_xfer, MICMEM_NO_XFER);
	EXPECT_GT(s.ticket, 0);
	EXPECT_NE(s.ticket, SENTINEL_TICKET);
	EXPECT_ERRNO(submit_sentinel(d.fd, &s), ENOSPC);
	EXPECT_NO_XFER(s, "max_tickets");
	dma_fd_close(&d);
}

/* The card's state refuses the submit: EBUSY (resetting), ENODEV (lost). */
TEST_TIMEOUT(submit_state_errors_write_no_xfer_and_ticket_0, 40)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64, MICMEM_DIR_TO_CARD, 0);
	struct micmem_submit s;
	struct dma_fd d;
	int card;

	card = micsim_add("nx", NULL);
	ASSERT_GE(card, 0);
	open_attached(&d, card);
	memset(&s, 0, sizeof(s));
	s.card = card;
	s.count = 1;
	s.xfers = (uintptr_t)&x;

	ASSERT_OK(card_state_cmd(card, "reset:force"));
	EXPECT_ERRNO(submit_sentinel(d.fd, &s), EBUSY);
	EXPECT_NO_XFER(s, "resetting");
	ASSERT_OK(card_state_wait(card, "ready", 20000));

	tap_defer_restore_file(PARAM_DIR "health_ms");
	ASSERT_OK(param_set("health_ms", "100"));
	ASSERT_OK(micsim_knob_set("nx", "vanish", "1"));
	ASSERT_OK(card_state_wait(card, "lost", 5000));
	EXPECT_ERRNO(submit_sentinel(d.fd, &s), ENODEV);
	EXPECT_NO_XFER(s, "lost");
	EXPECT_OK(micsim_del("nx"));
	EXPECT_OK(dma_detach(d.fd, card));
	dma_fd_close(&d);
}

/* ---- dmaN/bytes counts completed MEMCOPYs only ---- */

/*
 * Four 1 KiB transfers, one descriptor each, on channel 0; the third
 * fails and the fourth is skipped: the channel counts the 2 KiB of the
 * first two, then all of a good batch behind.
 */
TEST(failed_descriptors_add_no_bytes)
{
	struct micmem_xfer x[4], y;
	long long bytes, batches;
	struct micmem_wait w;
	int card = card0(), i;
	uint64_t ta, tb;
	struct dma_fd d;

	open_attached(&d, card);
	for (i = 0; i < 4; i++)
		x[i] = dma_xfer(i * KIB, 64 * MIB + i * KIB, KIB,
				MICMEM_DIR_TO_CARD, 0);
	y = dma_xfer(MIB, 65 * MIB, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	bytes = chan_stat(card, 0, "bytes");
	batches = chan_stat(card, 0, "batches");

	ASSERT_OK(micsim_knob_set("card0", "fail_skip", "2"));
	ASSERT_OK(micsim_knob_set("card0", "fail_next", "1"));
	ASSERT_OK(dma_submit(d.fd, card, x, 4, 0, &ta));
	EXPECT_ERRNO(dma_wait(d.fd, ta, MICMEM_WAIT_FOREVER, &w), EIO);
	EXPECT_EQ(w.failed_xfer, 2);
	EXPECT_EQ(chan_stat(card, 0, "bytes") - bytes, 2 * KIB);

	ASSERT_OK(dma_submit(d.fd, card, &y, 1, 0, &tb));
	EXPECT_OK(dma_wait(d.fd, tb, MICMEM_WAIT_FOREVER, &w));
	EXPECT_EQ(chan_stat(card, 0, "bytes") - bytes, 2 * KIB + 64 * KIB);
	EXPECT_EQ(chan_stat(card, 0, "batches") - batches, 2);

	/* the first descriptor fails: nothing of the batch counts */
	bytes = chan_stat(card, 0, "bytes");
	ASSERT_OK(micsim_knob_set("card0", "fail_next", "1"));
	ASSERT_OK(dma_submit(d.fd, card, x, 4, 0, &ta));
	EXPECT_ERRNO(dma_wait(d.fd, ta, MICMEM_WAIT_FOREVER, &w), EIO);
	EXPECT_EQ(w.failed_xfer, 0);
	EXPECT_EQ(chan_stat(card, 0, "bytes") - bytes, 0);
	dma_fd_close(&d);
}

/* ---- WAIT: a failed batch is handed back with 0 ---- */

/*
 * The ioctl itself succeeds when it hands a failed batch back; the
 * batch's error is in the struct (a channel error here, a lost card in
 * removed_card_fails_inflight_with_enodev).
 */
TEST(wait_returns_0_with_the_batch_error)
{
	struct micmem_xfer x[2];
	struct micmem_wait w;
	int card = card0(), i;
	struct dma_fd d;
	uint64_t t;

	open_attached(&d, card);
	for (i = 0; i < 2; i++)
		x[i] = dma_xfer(i * KIB, 64 * MIB + i * KIB, KIB,
				MICMEM_DIR_TO_CARD, 0);
	ASSERT_OK(micsim_knob_set("card0", "fail_skip", "1"));
	ASSERT_OK(micsim_knob_set("card0", "fail_next", "1"));
	ASSERT_OK(dma_submit(d.fd, card, x, 2, 0, &t));
	memset(&w, 0, sizeof(w));
	w.ticket = t;
	w.deadline_ns = MICMEM_WAIT_FOREVER;
	w.error = 99;
	EXPECT_EQ(ioctl(d.fd, MICMEM_IOC_WAIT, &w), 0);
	EXPECT_EQ(w.ticket, t);
	EXPECT_EQ(w.error, -EIO);
	EXPECT_EQ(w.error_class, MICMEM_ERR_CHANNEL);
	EXPECT_EQ(w.failed_xfer, 1);
	/* consumed: a second wait is the call's own ENOENT */
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), ENOENT);

	/* the same with MICMEM_WAIT_ANY */
	ASSERT_OK(micsim_knob_set("card0", "fail_next", "1"));
	ASSERT_OK(dma_submit(d.fd, card, x, 2, 0, &t));
	memset(&w, 0, sizeof(w));
	w.flags = MICMEM_WAIT_ANY;
	w.deadline_ns = now_ns() + 5000000000ULL;
	EXPECT_EQ(ioctl(d.fd, MICMEM_IOC_WAIT, &w), 0);
	EXPECT_EQ(w.ticket, t);
	EXPECT_EQ(w.error, -EIO);
	EXPECT_EQ(w.error_class, MICMEM_ERR_CHANNEL);
	EXPECT_EQ(w.failed_xfer, 0);
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), ENOENT);
	dma_fd_close(&d);
}

TEST_MAIN()
