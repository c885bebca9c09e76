// SPDX-License-Identifier: GPL-2.0
/*
 * lib: libmicmem end to end against the driver and two sim cards: query,
 * pool, attach, round trips with byte compare on both cards and every
 * channel (checked against the driver's per-channel byte counters),
 * completions through poll(), the card view from sysfs, and every error
 * the library documents, with the errno, failed transfer and error class
 * the driver reports: refused calls, channel error, deadline, signal,
 * card reset, lost card, hung channel, removed card; the status tells a
 * batch handed back from a failed call, and each batch is handed to one
 * of several threads waiting for it.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <libmicmem.h>

#include "tap.h"
#include "dma_util.h"

#define POOL		(16 * MIB)
#define CARD_BASE	(64 * MIB)	/* card memory the cases use */
#define MS		1000000ULL

static int card0(void)
{
	return sim_card_nr("card0");
}

static int card1(void)
{
	return sim_card_nr("card1");
}

/* A handle with a pool of POOL bytes, attached to micN (N >= 0). */
static struct micmem *open_pool(int card, uint8_t **pool)
{
	struct micmem *m = NULL;
	void *p = NULL;

	ASSERT_EQ(micmem_open(&m, 0), 0);
	ASSERT_EQ(micmem_pool_create(m, POOL, 0, &p), 0);
	if (card >= 0)
		ASSERT_EQ(micmem_attach(m, card), 0);
	*pool = p;
	return m;
}

static uint64_t chan_bytes(int card, unsigned int ch)
{
	struct micmem_chan_stats st;

	ASSERT_EQ(micmem_chan_stats(card, ch, &st), 0);
	return st.bytes;
}

/* ---- what the driver offers ---- */

TEST(query_and_card_list_match_the_sim)
{
	struct micmem_query q;
	struct micmem *m;
	uint32_t cards[4];

	ASSERT_EQ(micmem_open(&m, 0), 0);
	EXPECT_GE(micmem_fd(m), 0);
	ASSERT_EQ(micmem_query(m, &q), 0);
	EXPECT_EQ(q.api_version, MICMEM_API_VERSION);
	EXPECT_EQ(q.num_cards, 2);
	EXPECT_EQ(q.features & (MICMEM_FEAT_POOL | MICMEM_FEAT_DMA |
				MICMEM_FEAT_DUAL_CHANNEL | MICMEM_FEAT_POLL),
		  MICMEM_FEAT_POOL | MICMEM_FEAT_DMA |
		  MICMEM_FEAT_DUAL_CHANNEL | MICMEM_FEAT_POLL);
	EXPECT_GE(q.max_batch, 2);
	EXPECT_GT(q.pool_max_bytes, POOL);

	ASSERT_EQ(micmem_card_list(cards, 4), 2);
	EXPECT_EQ(cards[0], card0() < card1() ? card0() : card1());
	EXPECT_EQ(cards[1], card0() < card1() ? card1() : card0());
	micmem_close(m);
}

TEST(card_info_shows_a_ready_sim_card)
{
	struct micmem_card_info ci;
	char path[128], buf[32];
	long long mb;

	snprintf(path, sizeof(path), MICSIM_CONFIGFS "/card0/memsize_mb");
	ASSERT_EQ(micsim_read(path, buf, sizeof(buf)), 0);
	mb = atoll(buf);
	ASSERT_EQ(micmem_card_info(card0(), &ci), 0);
	EXPECT_EQ(ci.card, card0());
	EXPECT_STREQ(ci.state, "ready");
	EXPECT_STREQ(ci.post_code, "12");
	EXPECT_EQ(ci.post_code_error, 0);
	EXPECT_STREQ(ci.family, "x100");
	EXPECT_STREQ(ci.bus, "sim");
	EXPECT_EQ(ci.memsize, mb * MIB);
	/* the top 512 KiB are MPSS's */
	EXPECT_EQ(ci.dma_window, mb * MIB - 512 * KIB);
	EXPECT_EQ(ci.last_error, 0);
	EXPECT_EQ(micmem_card_info(200, &ci), -ENODEV);
	EXPECT_EQ(micmem_chan_stats(200, 0, &(struct micmem_chan_stats){ 0 }),
		  -ENODEV);
}

/* ---- the pool ---- */

TEST(pool_is_mapped_aligned_and_zeroed)
{
	struct micmem_pool_info info;
	struct micmem *m;
	uint8_t *p;
	uint64_t i;

	m = open_pool(-1, &p);
	EXPECT_EQ((uintptr_t)p % MICMEM_CHUNK_SIZE, 0);
	EXPECT_TRUE(micmem_pool_addr(m) == p);
	EXPECT_EQ(micmem_pool_size(m), POOL);
	for (i = 0; i < POOL; i += 4096)
		if (p[i])
			break;
	EXPECT_EQ(i, POOL);
	ASSERT_EQ(micmem_pool_info(m, &info), 0);
	EXPECT_EQ(info.size, POOL);
	EXPECT_EQ(info.chunk_size, MICMEM_CHUNK_SIZE);
	EXPECT_EQ(info.nr_chunks, POOL / MICMEM_CHUNK_SIZE);
	EXPECT_EQ(info.map_mode, MICMEM_MAP_PMD);
	EXPECT_EQ(info.faults, 0);		/* not counted since API 3 */
	EXPECT_EQ(info.pte_faults, 0);
	EXPECT_EQ(micmem_pool_create(m, POOL, 0, NULL), -EEXIST);
	micmem_close(m);
}

/* ---- data ---- */

TEST(round_trip_on_both_cards_and_every_channel)
{
	static const unsigned int chans[] = {
		MICMEM_CHAN_0, MICMEM_CHAN_1, MICMEM_CHAN_AUTO,
	};
	const uint64_t len = 4 * MIB + 64 * KIB;	/* spans chunks */
	int cards[2] = { card0(), card1() };
	struct micmem_status st;
	uint64_t before[2], moved;
	unsigned int c, i, ch;
	struct micmem *m;
	uint8_t *p, *ref;

	m = open_pool(cards[0], &p);
	ASSERT_EQ(micmem_attach(m, cards[1]), 0);
	for (c = 0; c < 2; c++) {
		for (i = 0; i < 3; i++) {
			uint64_t addr = CARD_BASE + i * 8 * MIB;

			fill_pattern(p, len, 100 * c + i);
			memset(p + 8 * MIB, 0, len);
			for (ch = 0; ch < 2; ch++)
				before[ch] = chan_bytes(cards[c], ch);
			ASSERT_EQ(micmem_copy_to_card(m, cards[c], addr, 0, len,
						      chans[i], &st), 0);
			EXPECT_NE(st.ticket, 0);
			EXPECT_EQ(st.error, 0);
			EXPECT_EQ(st.failed_xfer, MICMEM_NO_XFER);
			EXPECT_EQ(st.error_class, MICMEM_ERR_NONE);
			ASSERT_EQ(micmem_copy_from_card(m, cards[c], 8 * MIB,
							addr, len, chans[i],
							NULL), 0);
			EXPECT_EQ(memcmp(p, p + 8 * MIB, len), 0);
			/* each byte went out and back on the channel asked */
			moved = 0;
			for (ch = 0; ch < 2; ch++) {
				uint64_t d = chan_bytes(cards[c], ch) -
					     before[ch];

				if (chans[i] != MICMEM_CHAN_AUTO)
					EXPECT_EQ(d, ch == chans[i] ? 2 * len : 0);
				moved += d;
			}
			EXPECT_EQ(moved, 2 * len);
		}
	}
	/* the two cards hold different data at the same address */
	ASSERT_EQ(micmem_copy_from_card(m, cards[0], 0, CARD_BASE, len, 0,
					NULL), 0);
	ASSERT_EQ(micmem_copy_from_card(m, cards[1], 8 * MIB, CARD_BASE, len,
					1, NULL), 0);
	EXPECT_NE(memcmp(p, p + 8 * MIB, len), 0);
	ref = malloc(len);
	ASSERT_TRUE(ref != NULL);
	fill_pattern(ref, len, 0);
	EXPECT_EQ(memcmp(p, ref, len), 0);
	fill_pattern(ref, len, 100);
	EXPECT_EQ(memcmp(p + 8 * MIB, ref, len), 0);
	free(ref);
	EXPECT_EQ(micmem_detach(m, cards[1]), 0);
	micmem_close(m);
}

TEST(batches_complete_through_poll_and_wait_any)
{
	struct micmem_xfer x[2];
	struct micmem_status st;
	uint64_t t[3], seen = 0;
	struct pollfd pfd;
	struct micmem *m;
	int card = card0(), i, n;
	uint8_t *p;

	m = open_pool(card, &p);
	micmem_xfer_init(&x[0], 0, CARD_BASE, 64 * KIB, MICMEM_DIR_TO_CARD,
			 MICMEM_CHAN_0);
	micmem_xfer_init(&x[1], MIB, CARD_BASE + MIB, 64 * KIB,
			 MICMEM_DIR_TO_CARD, MICMEM_CHAN_1);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(micmem_submit(m, card, x, 2, 0, &t[i], NULL), 0);
	EXPECT_NE(t[0], t[1]);
	EXPECT_NE(t[1], t[2]);

	for (n = 0; n < 3;) {
		pfd.fd = micmem_fd(m);
		pfd.events = POLLIN;
		ASSERT_EQ(poll(&pfd, 1, 5000), 1);
		EXPECT_TRUE(pfd.revents & POLLIN);
		while (micmem_wait(m, 0, MICMEM_WAIT_NO_BLOCK, MICMEM_WAIT_ANY,
				   &st) == 0) {
			for (i = 0; i < 3; i++)
				if (st.ticket == t[i])
					seen |= 1u << i;
			n++;
		}
	}
	EXPECT_EQ(n, 3);
	EXPECT_EQ(seen, 7);
	/* nothing left at all */
	EXPECT_EQ(micmem_wait(m, 0, MICMEM_WAIT_NO_BLOCK, MICMEM_WAIT_ANY, &st),
		  -ENOENT);
	EXPECT_EQ(st.ticket, 0);
	EXPECT_EQ(st.error, -ENOENT);
	micmem_close(m);
}

/* ---- refused calls: the driver's errno, unchanged ---- */

TEST(refused_calls_return_the_documented_errno)
{
	struct micmem_card_info ci;
	struct micmem_pool_info info;
	struct micmem_query q;
	struct micmem_xfer x[3];
	struct micmem *m, *n;
	int card = card0();
	uint32_t bad = 0;
	uint64_t t = 1;
	uint8_t *p;

	ASSERT_EQ(micmem_open(&n, 0), 0);
	EXPECT_EQ(micmem_pool_info(n, &info), -ENXIO);
	EXPECT_EQ(micmem_attach(n, card), -ENOBUFS);
	EXPECT_EQ(micmem_pool_create(n, 3 * MIB, 0, NULL), -EINVAL);
	EXPECT_EQ(micmem_pool_create(n, 2 * MIB, 1, NULL), -EINVAL);
	EXPECT_TRUE(micmem_pool_addr(n) == NULL);
	micmem_close(n);
	EXPECT_EQ(micmem_open_path("/dev/mic/nonexistent", &n, 0), -ENOENT);

	m = open_pool(-1, &p);
	EXPECT_EQ(micmem_attach(m, 200), -ENODEV);
	EXPECT_EQ(micmem_detach(m, card), -ENOTCONN);
	micmem_xfer_init(&x[0], 0, CARD_BASE, 4096, MICMEM_DIR_TO_CARD, 0);
	EXPECT_EQ(micmem_submit(m, card, x, 1, 0, &t, &bad), -ENOTCONN);
	EXPECT_EQ(t, 0);
	EXPECT_EQ(bad, MICMEM_NO_XFER);
	ASSERT_EQ(micmem_attach(m, card), 0);
	EXPECT_EQ(micmem_attach(m, card), -EEXIST);

	/* a bad transfer is named by its index */
	ASSERT_EQ(micmem_card_info(card, &ci), 0);
	micmem_xfer_init(&x[1], 64, CARD_BASE, 100, MICMEM_DIR_TO_CARD, 0);
	micmem_xfer_init(&x[2], 0, 0, 4096, MICMEM_DIR_FROM_CARD, 1);
	EXPECT_EQ(micmem_submit(m, card, x, 3, 0, &t, &bad), -EINVAL);
	EXPECT_EQ(bad, 1);
	micmem_xfer_init(&x[1], 0, CARD_BASE, 4096, MICMEM_DIR_TO_CARD, 3);
	EXPECT_EQ(micmem_submit(m, card, x, 3, 0, &t, &bad), -EINVAL);
	EXPECT_EQ(bad, 1);
	micmem_xfer_init(&x[1], 0, CARD_BASE, 4096, MICMEM_DIR_TO_CARD, 0);
	micmem_xfer_init(&x[2], 0, ci.dma_window - 4096, 8192,
			 MICMEM_DIR_FROM_CARD, 1);
	EXPECT_EQ(micmem_submit(m, card, x, 3, 0, &t, &bad), -ERANGE);
	EXPECT_EQ(bad, 2);
	micmem_xfer_init(&x[2], POOL - 4096, 0, 8192, MICMEM_DIR_FROM_CARD, 1);
	EXPECT_EQ(micmem_submit(m, card, x, 3, 0, &t, &bad), -ERANGE);
	EXPECT_EQ(bad, 2);
	EXPECT_EQ(micmem_submit(m, card, x, 0, 0, &t, &bad), -EINVAL);
	EXPECT_EQ(micmem_submit(m, card, x, 1, 0x80, &t, &bad), -EINVAL);
	ASSERT_EQ(micmem_query(m, &q), 0);
	EXPECT_EQ(micmem_submit(m, card, x, q.max_batch + 1, 0, &t, &bad),
		  -E2BIG);
	EXPECT_EQ(micmem_submit(m, card, NULL, 1, 0, &t, &bad), -EFAULT);
	EXPECT_EQ(micmem_copy_to_card(m, card, CARD_BASE, 0, 4095, 0, NULL),
		  -EINVAL);

	EXPECT_EQ(micmem_wait(m, 12345, MICMEM_WAIT_NO_BLOCK, 0, NULL),
		  -ENOENT);
	EXPECT_EQ(micmem_wait(m, 1, MICMEM_WAIT_NO_BLOCK, 0x100, NULL),
		  -EINVAL);
	/* nothing was queued by any of these */
	EXPECT_EQ(micmem_wait(m, 0, MICMEM_WAIT_NO_BLOCK, MICMEM_WAIT_ANY,
			      NULL), -ENOENT);
	EXPECT_EQ(micmem_detach(m, card), 0);
	micmem_close(m);
}

/* ---- batch errors: errno, failed transfer, class ---- */

TEST(channel_error_names_the_transfer)
{
	struct micmem_status st;
	struct micmem_xfer x[3];
	struct micmem *m;
	int card = card0(), i;
	uint64_t t;
	uint8_t *p;

	m = open_pool(card, &p);
	for (i = 0; i < 3; i++)
		micmem_xfer_init(&x[i], i * 4096, CARD_BASE + i * 4096, 4096,
				 MICMEM_DIR_TO_CARD, MICMEM_CHAN_0);
	micsim_defer_knob("card0", "fail_skip");
	ASSERT_OK(micsim_knob_set("card0", "fail_skip", "1"));
	micsim_defer_knob("card0", "fail_next");
	ASSERT_OK(micsim_knob_set("card0", "fail_next", "1"));
	ASSERT_EQ(micmem_submit(m, card, x, 3, 0, &t, NULL), 0);
	EXPECT_EQ(micmem_wait(m, t, micmem_deadline_ns(5000 * MS), 0, &st),
		  -EIO);
	EXPECT_EQ(st.ticket, t);
	EXPECT_EQ(st.error, -EIO);
	EXPECT_EQ(st.failed_xfer, 1);
	EXPECT_EQ(st.error_class, MICMEM_ERR_CHANNEL);
	EXPECT_STREQ(micmem_error_class_name(st.error_class), "channel error");
	/* reported once */
	EXPECT_EQ(micmem_wait(m, t, MICMEM_WAIT_NO_BLOCK, 0, &st), -ENOENT);
	/* the channel goes on */
	EXPECT_EQ(micmem_copy_to_card(m, card, CARD_BASE, 0, 4096, 0, NULL),
		  0);
	micmem_close(m);
}

TEST(deadline_passes_while_the_channel_stalls)
{
	struct micmem_status st;
	uint64_t t, t0, dt;
	struct micmem_xfer x;
	struct micmem *m;
	int card = card0();
	uint8_t *p;

	m = open_pool(card, &p);
	micmem_xfer_init(&x, 0, CARD_BASE, 4096, MICMEM_DIR_TO_CARD,
			 MICMEM_CHAN_1);
	micsim_defer_knob("card0", "stall");
	ASSERT_OK(micsim_knob_set("card0", "stall", "2"));
	ASSERT_EQ(micmem_submit(m, card, &x, 1, 0, &t, NULL), 0);
	EXPECT_EQ(micmem_wait_timeout(m, t, 0, 0, &st), -ETIME);
	EXPECT_EQ(st.ticket, 0);
	t0 = micmem_now_ns();
	EXPECT_EQ(micmem_wait_timeout(m, t, 150 * MS, 0, &st), -ETIME);
	dt = micmem_now_ns() - t0;
	EXPECT_GE(dt, 150 * MS);
	EXPECT_LT(dt, 3000 * MS);
	EXPECT_EQ(st.error, -ETIME);
	EXPECT_EQ(micmem_wait(m, t, micmem_deadline_ns(100 * MS), 0, &st),
		  -ETIME);
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	EXPECT_EQ(micmem_wait(m, t, micmem_deadline_ns(5000 * MS), 0, &st), 0);
	EXPECT_EQ(st.ticket, t);
	micmem_close(m);
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST(signal_interrupts_a_copy_and_names_its_ticket)
{
	struct itimerval it = { .it_value = { 0, 100000 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct micmem_status st;
	struct micmem *m;
	int card = card0();
	uint8_t *p;

	m = open_pool(card, &p);
	ASSERT_OK(sigaction(SIGALRM, &sa, NULL));	/* no SA_RESTART */
	micsim_defer_knob("card0", "stall");
	ASSERT_OK(micsim_knob_set("card0", "stall", "1"));
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(micmem_copy_to_card(m, card, CARD_BASE, 0, 4096,
				      MICMEM_CHAN_0, &st), -EINTR);
	EXPECT_NE(st.ticket, 0);
	EXPECT_EQ(st.error, -EINTR);
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	/* the copy was still in flight; it completes */
	EXPECT_EQ(micmem_wait(m, st.ticket, micmem_deadline_ns(5000 * MS), 0,
			      NULL), 0);
	micmem_close(m);
}

TEST_TIMEOUT(card_reset_cancels_the_copy, 40)
{
	struct micmem_status st;
	struct micmem_xfer x;
	struct micmem *m;
	int card = card1();
	uint64_t t;
	uint8_t *p;

	m = open_pool(card, &p);
	micmem_xfer_init(&x, 0, CARD_BASE, 64 * KIB, MICMEM_DIR_TO_CARD,
			 MICMEM_CHAN_0);
	micsim_defer_knob("card1", "stall");
	ASSERT_OK(micsim_knob_set("card1", "stall", "1"));
	ASSERT_EQ(micmem_submit(m, card, &x, 1, 0, &t, NULL), 0);
	ASSERT_OK(card_state_cmd(card, "reset:force"));
	EXPECT_EQ(micmem_wait(m, t, micmem_deadline_ns(5000 * MS), 0, &st),
		  -ECANCELED);
	EXPECT_EQ(st.ticket, t);
	EXPECT_EQ(st.failed_xfer, 0);
	EXPECT_EQ(st.error_class, MICMEM_ERR_CARD_RESET);
	EXPECT_STREQ(micmem_error_class_name(st.error_class), "card reset");
	/* while resetting: busy */
	EXPECT_EQ(micmem_copy_to_card(m, card, CARD_BASE, 0, 4096, 0, &st),
		  -EBUSY);
	EXPECT_EQ(st.ticket, 0);
	ASSERT_OK(micsim_knob_set("card1", "stall", "0"));
	ASSERT_OK(card_state_wait(card, "ready", 30000));
	EXPECT_EQ(micmem_copy_to_card(m, card, CARD_BASE, 0, 4096, 0, NULL),
		  0);
	micmem_close(m);
}

TEST(hung_channel_times_out)
{
	struct micmem_status st;
	struct micmem *m;
	int card = card0();
	uint8_t *p;

	m = open_pool(card, &p);
	tap_defer_restore_file(PARAM_DIR "hang_timeout_ms");
	ASSERT_OK(param_set("hang_timeout_ms", "300"));
	micsim_defer_knob("card0", "stall");
	ASSERT_OK(micsim_knob_set("card0", "stall", "1"));
	EXPECT_EQ(micmem_copy_from_card(m, card, 0, CARD_BASE, 4096,
					MICMEM_CHAN_0, &st), -ETIMEDOUT);
	EXPECT_NE(st.ticket, 0);
	EXPECT_EQ(st.failed_xfer, 0);
	EXPECT_EQ(st.error_class, MICMEM_ERR_TIMEOUT);
	EXPECT_STREQ(micmem_error_class_name(st.error_class), "channel hung");
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	param_set("hang_timeout_ms", "5000");
	EXPECT_EQ(micmem_copy_from_card(m, card, 0, CARD_BASE, 4096,
					MICMEM_CHAN_0, NULL), 0);
	micmem_close(m);
}

TEST(lost_card_fails_the_copy_and_shows_in_card_info)
{
	struct micmem_card_info ci;
	struct micmem_status st;
	struct micmem_xfer x;
	struct micmem *m;
	uint64_t t;
	uint8_t *p;
	int card;

	micsim_defer_del("liblost");
	card = micsim_add("liblost", NULL);
	ASSERT_GE(card, 0);
	m = open_pool(card, &p);
	tap_defer_restore_file(PARAM_DIR "health_ms");
	ASSERT_OK(param_set("health_ms", "100"));
	ASSERT_OK(micsim_knob_set("liblost", "stall", "1"));
	micmem_xfer_init(&x, 0, CARD_BASE, 4096, MICMEM_DIR_TO_CARD, 0);
	ASSERT_EQ(micmem_submit(m, card, &x, 1, 0, &t, NULL), 0);
	ASSERT_OK(micsim_knob_set("liblost", "vanish", "1"));
	EXPECT_EQ(micmem_wait(m, t, micmem_deadline_ns(5000 * MS), 0, &st),
		  -ENODEV);
	EXPECT_EQ(st.error_class, MICMEM_ERR_CARD_LOST);
	EXPECT_STREQ(micmem_error_class_name(st.error_class), "card lost");
	EXPECT_EQ(micmem_copy_to_card(m, card, CARD_BASE, 0, 4096, 0, NULL),
		  -ENODEV);

	ASSERT_EQ(micmem_card_info(card, &ci), 0);
	EXPECT_STREQ(ci.state, "lost");
	EXPECT_STREQ(ci.post_code, "");
	EXPECT_EQ(ci.post_code_error, -ENXIO);
	EXPECT_EQ(ci.last_error, -ENODEV);

	/* removed: the card is gone from the list and from sysfs */
	ASSERT_OK(micsim_del("liblost"));
	EXPECT_EQ(micmem_card_info(card, &ci), -ENODEV);
	EXPECT_EQ(micmem_chan_stats(card, 0, &(struct micmem_chan_stats){ 0 }),
		  -ENODEV);
	EXPECT_EQ(micmem_card_list(NULL, 0), 2);
	EXPECT_EQ(micmem_detach(m, card), 0);
	micmem_close(m);
}

/* ---- what micmem_wait() hands back ---- */

/*
 * A failed batch comes back as its error with its ticket in the status; a
 * failed call comes back with ticket 0 and consumes nothing.
 */
TEST(status_tells_a_batch_from_a_failed_call)
{
	struct micmem_status st;
	struct micmem_xfer x[2];
	struct micmem *m;
	int card = card0(), i;
	uint64_t t;
	uint8_t *p;

	m = open_pool(card, &p);
	for (i = 0; i < 2; i++)
		micmem_xfer_init(&x[i], i * 4096, CARD_BASE + i * 4096, 4096,
				 MICMEM_DIR_TO_CARD, MICMEM_CHAN_0);
	ASSERT_OK(micsim_knob_set("card0", "stall", "1"));
	ASSERT_OK(micsim_knob_set("card0", "fail_next", "1"));
	ASSERT_EQ(micmem_submit(m, card, x, 2, 0, &t, NULL), 0);
	/* calls that fail: nothing handed back, nothing consumed */
	EXPECT_EQ(micmem_wait(m, t, MICMEM_WAIT_NO_BLOCK, 0, &st), -ETIME);
	EXPECT_EQ(st.ticket, 0);
	EXPECT_EQ(st.error, -ETIME);
	EXPECT_EQ(micmem_wait(m, t + 1, MICMEM_WAIT_NO_BLOCK, 0, &st),
		  -ENOENT);
	EXPECT_EQ(st.ticket, 0);
	EXPECT_EQ(micmem_wait(m, t, MICMEM_WAIT_NO_BLOCK, 0x40, &st), -EINVAL);
	EXPECT_EQ(st.ticket, 0);
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	/* the failed batch: its error, and its ticket */
	EXPECT_EQ(micmem_wait(m, 0, micmem_deadline_ns(5000 * MS),
			      MICMEM_WAIT_ANY, &st), -EIO);
	EXPECT_EQ(st.ticket, t);
	EXPECT_EQ(st.error, -EIO);
	EXPECT_EQ(st.failed_xfer, 0);
	EXPECT_EQ(st.error_class, MICMEM_ERR_CHANNEL);
	EXPECT_EQ(micmem_wait(m, t, MICMEM_WAIT_NO_BLOCK, 0, &st), -ENOENT);
	EXPECT_EQ(st.ticket, 0);
	micmem_close(m);
}

struct lib_waiter {
	struct micmem *m;
	uint64_t ticket;	/* 0: MICMEM_WAIT_ANY */
	int ret;
	struct micmem_status st;
};

static void *lib_waiter_main(void *arg)
{
	struct lib_waiter *w = arg;

	w->ret = micmem_wait(w->m, w->ticket, micmem_deadline_ns(10000 * MS),
			     w->ticket ? 0 : MICMEM_WAIT_ANY, &w->st);
	return NULL;
}

/*
 * Two threads blocked for one batch, one by its ticket, one with
 * MICMEM_WAIT_ANY: one gets it, the other -ENOENT with ticket 0.
 */
TEST(each_batch_goes_to_one_waiting_thread)
{
	struct lib_waiter w[2];
	struct micmem_xfer x;
	pthread_t th[2];
	struct micmem *m;
	int card = card0(), r, i, got, lost;
	uint64_t t;
	uint8_t *p;

	m = open_pool(card, &p);
	micmem_xfer_init(&x, 0, CARD_BASE, 4096, MICMEM_DIR_TO_CARD,
			 MICMEM_CHAN_0);
	for (r = 0; r < 8; r++) {
		ASSERT_OK(micsim_knob_set("card0", "stall", "1"));
		ASSERT_EQ(micmem_submit(m, card, &x, 1, 0, &t, NULL), 0);
		for (i = 0; i < 2; i++) {
			memset(&w[i], 0, sizeof(w[i]));
			w[i].m = m;
			w[i].ticket = i ? 0 : t;
			ASSERT_EQ(pthread_create(&th[i], NULL, lib_waiter_main,
						 &w[i]), 0);
		}
		usleep(30000);
		ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
		got = lost = 0;
		for (i = 0; i < 2; i++) {
			pthread_join(th[i], NULL);
			got += !w[i].ret && w[i].st.ticket == t;
			lost += w[i].ret == -ENOENT && !w[i].st.ticket;
		}
		EXPECT_EQ(got, 1);
		EXPECT_EQ(lost, 1);
	}
	micmem_close(m);
}

TEST_MAIN()
