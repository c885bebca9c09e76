// SPDX-License-Identifier: GPL-2.0
/*
 * sim_speed: the simulated engine's speed features (src-kernel/sim/dma.c
 * "Speed", mem.c), with deterministic checks only:
 *  - the speed attributes (doorbell_poll_us, link_paced, link_mbps,
 *    desc_ns): defaults, -EINVAL for 0 bandwidth, values past the bounds
 *    and numbers that overflow, writable while the card is live;
 *  - the fast copy is byte exact: odd offsets and lengths (multiples of
 *    64, the engine's unit) on both sides, partial pages, transfers that
 *    cross a 2 MiB card chunk, both directions, untouched memory reads
 *    zeros; the same through the 4 KiB fallback (mem_huge_fail_next),
 *    counted page by page;
 *  - doorbell polling: with doorbell_poll_us 0 no poll ever takes a
 *    doorbell and the worker sleeps; with a long poll a doorbell is taken
 *    by polling;
 *  - link-paced mode: N bytes take at least N / link_mbps in one
 *    direction, on one channel or on both together, and each descriptor
 *    at least desc_ns (lower bounds only; never an upper bound);
 *  - changing the speed attributes while DMA runs loses no data.
 * Needs one sim card (card0).
 */
#include <stdlib.h>

#include "card_util.h"

#define POOL		(32 * MIB)
#define HALF		(16 * MIB)
#define CARD_BASE	(64 * MIB)	/* chunk aligned, untouched before */

static int card0(void)
{
	return sim_card_nr("card0");
}

static void open_attached(struct dma_fd *d, int card)
{
	ASSERT_OK(dma_fd_open(d, POOL));
	ASSERT_OK(dma_attach(d->fd, card));
}

/* configfs attribute of card0 as a number (the case ends on error) */
static long long attr(const char *name)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), MICSIM_CONFIGFS "/card0/%s", name);
	ASSERT_OK(micsim_read(path, buf, sizeof(buf)));
	return strtoll(buf, NULL, 0);
}

/* Set configfs attribute @name of card0, restored at the end of the case. */
static void set_attr(const char *name, const char *val)
{
	micsim_defer_attr("card0", name);
	ASSERT_OK(micsim_set("card0", name, val));
}

static void xfer(struct dma_fd *d, int card, uint64_t off, uint64_t caddr,
		 uint64_t len, int dir, int ch)
{
	struct micmem_xfer x = dma_xfer(off, caddr, len, dir, ch);

	ASSERT_OK(dma_run(d->fd, card, &x, 1));
}

/* the speed attributes: defaults, bad values, writable while live */
TEST(attributes_validate)
{
	static const struct { const char *attr, *val; } bad[] = {
		{ "link_mbps", "0" },
		{ "link_mbps", "1000001" },
		{ "link_mbps", "4294967296" },
		{ "link_mbps", "99999999999999999999999" },
		{ "link_mbps", "-1" },
		{ "link_mbps", "fast" },
		{ "link_paced", "2" },
		{ "link_paced", "-1" },
		{ "desc_ns", "1000000001" },
		{ "desc_ns", "18446744073709551616" },
		{ "doorbell_poll_us", "10000001" },
		{ "doorbell_poll_us", "1e3" },
	};
	unsigned int i;

	EXPECT_EQ(attr("doorbell_poll_us"), 200);
	EXPECT_EQ(attr("link_paced"), 0);
	EXPECT_EQ(attr("link_mbps"), 6700);
	EXPECT_EQ(attr("desc_ns"), 500);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long long before = attr(bad[i].attr);

		micsim_defer_attr("card0", bad[i].attr);
		EXPECT_EQ(micsim_set("card0", bad[i].attr, bad[i].val),
			  -EINVAL);
		EXPECT_EQ(attr(bad[i].attr), before);
	}

	/* the card is live: speed attributes change, options do not */
	set_attr("link_mbps", "1");
	EXPECT_EQ(attr("link_mbps"), 1);
	set_attr("link_mbps", "1000000");
	EXPECT_EQ(attr("link_mbps"), 1000000);
	set_attr("desc_ns", "0");
	EXPECT_EQ(attr("desc_ns"), 0);
	set_attr("doorbell_poll_us", "10000000");
	EXPECT_EQ(attr("doorbell_poll_us"), 10000000);
	set_attr("doorbell_poll_us", "0");
	set_attr("link_paced", "1");
	EXPECT_EQ(attr("link_paced"), 1);
	set_attr("link_paced", "0");
	EXPECT_EQ(micsim_set("card0", "dcherr", "rw"), -EBUSY);
}

/* One transfer of the copy check: pool offset, card address, length. */
struct piece {
	uint64_t off, caddr, len;
};

static const struct piece pieces[] = {
	/* whole pages and a whole card chunk on both sides */
	{ 0, CARD_BASE, 2 * MIB },
	/* odd offsets on both sides, across a 2 MiB card chunk */
	{ 2 * MIB + 64 * 5, CARD_BASE + 4 * MIB - 64 * 37,
	  2 * MIB + 64 * 77 },
	/* a partial page inside one page on both sides */
	{ 5 * MIB + 4096 * 3 + 64 * 11, CARD_BASE + 7 * MIB + 64 * 3,
	  64 * 7 },
	/* page-aligned pool, odd card address */
	{ 6 * MIB, CARD_BASE + 8 * MIB + 192, MIB + 64 * 9 },
	/* odd pool offset, page-aligned card address, across a chunk */
	{ 8 * MIB + 64 * 61, CARD_BASE + 12 * MIB - 4096, MIB + 64 },
	/* one descriptor's worth less 64 bytes, odd everywhere */
	{ 10 * MIB + 64 * 3, CARD_BASE + 14 * MIB + 64 * 1001,
	  512 * KIB - 64 },
};

/*
 * Every piece to the card from the first half of the pool, back into the
 * second half at another offset (so the read side is differently
 * aligned), every byte compared; ch0, ch1 and auto by turns.
 */
static void copy_pieces(struct dma_fd *d, int card, uint64_t base,
			uint64_t seed0)
{
	static const int chans[3] = { 0, 1, MICMEM_CHAN_AUTO };
	unsigned int i, n = sizeof(pieces) / sizeof(pieces[0]);

	for (i = 0; i < n; i++) {
		const struct piece *p = &pieces[i];
		uint64_t back = HALF + p->off + 64 * (i + 1);
		uint64_t caddr = p->caddr - CARD_BASE + base;
		long long bad;

		fill_pattern(d->pool + p->off, p->len, seed0 + i);
		xfer(d, card, p->off, caddr, p->len, MICMEM_DIR_TO_CARD,
		     chans[i % 3]);
		memset(d->pool + back - 64, 0xa5, p->len + 128);
		xfer(d, card, back, caddr, p->len, MICMEM_DIR_FROM_CARD,
		     chans[(i + 1) % 3]);
		bad = check_pattern(d->pool + back, p->len, seed0 + i);
		if (bad >= 0)
			TAP_FAIL_(0, "piece %u: byte %lld differs", i, bad);
		/* nothing around the piece was written */
		EXPECT_EQ(d->pool[back - 1], 0xa5);
		EXPECT_EQ(d->pool[back + p->len], 0xa5);
	}
}

/* @len bytes at card address @caddr read as zeros */
static void expect_zeros(struct dma_fd *d, int card, uint64_t caddr,
			 uint64_t len)
{
	uint64_t i;

	memset(d->pool, 0xa5, len);
	xfer(d, card, 0, caddr, len, MICMEM_DIR_FROM_CARD, 0);
	for (i = 0; i < len; i++)
		if (d->pool[i]) {
			TAP_FAIL_(0, "card 0x%llx: byte %llu is 0x%02x, not 0",
				  (unsigned long long)caddr,
				  (unsigned long long)i, d->pool[i]);
			return;
		}
}

TEST(copy_is_byte_exact)
{
	int card = card0();
	struct dma_fd d;

	open_attached(&d, card);
	copy_pieces(&d, card, CARD_BASE, 1000);
	/* untouched chunk, and an untouched part of a touched one */
	expect_zeros(&d, card, CARD_BASE + 20 * MIB + 64 * 5, 64 * 9);
	expect_zeros(&d, card, CARD_BASE + 7 * MIB + 64 * 64, 64 * 33);
	/* a piece read back in two parts split at an odd place */
	memset(d.pool + HALF, 0, 2 * MIB + 64 * 77);
	xfer(&d, card, HALF, pieces[1].caddr, 64 * 1003, MICMEM_DIR_FROM_CARD,
	     1);
	xfer(&d, card, HALF + 64 * 1003, pieces[1].caddr + 64 * 1003,
	     pieces[1].len - 64 * 1003, MICMEM_DIR_FROM_CARD, 0);
	EXPECT_EQ(check_pattern(d.pool + HALF, pieces[1].len, 1001), -1);
	dma_fd_close(&d);
}

/*
 * The same through chunks that fell back to 4 KiB pages: one transfer
 * across two fresh chunks whose 2 MiB allocations fail allocates exactly
 * the 4 KiB pages it touches, and reads back byte for byte.
 */
TEST(fallback_pages_are_byte_exact)
{
	/* two fresh chunks, 4288 bytes in the first, 4224 in the second */
	uint64_t caddr = CARD_BASE + 34 * MIB - 4096 - 64 * 3;
	uint64_t len = 2 * 4096 + 64 * 5;
	long long pages, inj;
	int card = card0();
	struct dma_fd d;

	open_attached(&d, card);
	pages = knob(0, "mem_pages");
	inj = knob(0, "injected_mem_huge_fail");
	set_knob(0, "mem_huge_fail_next", "2");

	fill_pattern(d.pool + 64 * 7, len, 77);
	xfer(&d, card, 64 * 7, caddr, len, MICMEM_DIR_TO_CARD, 0);
	EXPECT_EQ(knob(0, "injected_mem_huge_fail") - inj, 2);
	EXPECT_EQ(knob(0, "mem_huge_fail_next"), 0);
	/* pages 510, 511 of the first chunk, 0, 1 of the second */
	EXPECT_EQ(knob(0, "mem_pages") - pages, 4);

	memset(d.pool + HALF, 0, len);
	xfer(&d, card, HALF, caddr, len, MICMEM_DIR_FROM_CARD, 1);
	EXPECT_EQ(check_pattern(d.pool + HALF, len, 77), -1);
	/* an untouched page of a fallback chunk: zeros, nothing allocated */
	expect_zeros(&d, card, CARD_BASE + 34 * MIB + 8 * 4096 + 64, 64 * 3);
	EXPECT_EQ(knob(0, "mem_pages") - pages, 4);

	/* the copy check again, all in fallback chunks */
	set_knob(0, "mem_huge_fail_next", "100");
	copy_pieces(&d, card, CARD_BASE + 128 * MIB, 3000);
	EXPECT_GE(knob(0, "injected_mem_huge_fail") - inj, 2 + 8);
	ASSERT_OK(micsim_knob_set("card0", "mem_huge_fail_next", "0"));
	dma_fd_close(&d);
}

/* Waits up to 10 s for knob @k of card0 to exceed @than; its value. */
static long long knob_above(const char *k, long long than)
{
	long long v = knob(0, k);
	int i;

	for (i = 0; i < 1000 && v <= than; i++) {
		usleep(10000);
		v = knob(0, k);
	}
	return v;
}

TEST(no_polls_with_doorbell_poll_off)
{
	int card = card0(), i;
	long long hits, sleeps;
	struct dma_fd d;

	open_attached(&d, card);
	set_attr("doorbell_poll_us", "0");
	/* a poll under the old value ends with this one's doorbell */
	xfer(&d, card, 0, CARD_BASE, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	hits = knob(0, "dma0_poll_hits");
	sleeps = knob(0, "dma0_sleeps");
	for (i = 0; i < 5; i++)
		xfer(&d, card, 0, CARD_BASE, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	EXPECT_EQ(knob(0, "dma0_poll_hits"), hits);
	/* the worker goes to sleep in the end, at once */
	EXPECT_GT(knob_above("dma0_sleeps", sleeps), sleeps);
	dma_fd_close(&d);
}

/*
 * With a poll of 5 s a doorbell that comes while the drained channel
 * polls is taken by the poll (a pause of 50 ms lets the worker drain
 * first; tried up to 20 times).
 */
TEST(long_poll_takes_the_doorbell)
{
	int card = card0(), i;
	long long hits;
	struct dma_fd d;

	open_attached(&d, card);
	set_attr("doorbell_poll_us", "5000000");
	hits = knob(0, "dma0_poll_hits");
	for (i = 0; i < 20 && knob(0, "dma0_poll_hits") == hits; i++) {
		xfer(&d, card, 0, CARD_BASE, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
		usleep(50000);
	}
	EXPECT_GT(knob(0, "dma0_poll_hits"), hits);
	printf("# doorbells taken by polling after %d transfers\n", i);
	/* the poll stops when the value changes (restored by the teardown) */
	dma_fd_close(&d);
}

/* ns that submitting @x (@n transfers) and waiting for it took */
static uint64_t timed_run(struct dma_fd *d, int card,
			  const struct micmem_xfer *x, uint32_t n)
{
	uint64_t t0 = now_ns();

	ASSERT_OK(dma_run(d->fd, card, x, n));
	return now_ns() - t0;
}

#define PACED_MBPS	4		/* MB/s: 2 MiB take 524 ms */

/* least ns @bytes take at PACED_MBPS */
static uint64_t link_ns(uint64_t bytes)
{
	return bytes * 1000 / PACED_MBPS;
}

TEST(paced_transfers_take_link_time)
{
	struct micmem_xfer x[2];
	long long waits;
	int card = card0();
	struct dma_fd d;
	uint64_t ns;

	open_attached(&d, card);
	set_attr("link_mbps", "4");
	set_attr("link_paced", "1");
	waits = knob(0, "dma_link_waits");
	fill_pattern(d.pool, 4 * MIB, 55);

	/* one channel, each direction */
	x[0] = dma_xfer(0, CARD_BASE, 2 * MIB, MICMEM_DIR_TO_CARD, 0);
	ns = timed_run(&d, card, x, 1);
	EXPECT_GE(ns, link_ns(2 * MIB));
	x[0] = dma_xfer(HALF, CARD_BASE, 2 * MIB, MICMEM_DIR_FROM_CARD, 1);
	ns = timed_run(&d, card, x, 1);
	EXPECT_GE(ns, link_ns(2 * MIB));
	EXPECT_EQ(check_pattern(d.pool + HALF, 2 * MIB, 55), -1);

	/* both channels in one batch share the link */
	x[0] = dma_xfer(0, CARD_BASE, 2 * MIB, MICMEM_DIR_TO_CARD, 0);
	x[1] = dma_xfer(2 * MIB, CARD_BASE + 2 * MIB, 2 * MIB,
			MICMEM_DIR_TO_CARD, 1);
	ns = timed_run(&d, card, x, 2);
	EXPECT_GE(ns, link_ns(4 * MIB));
	/* auto stripes over both: the same */
	x[0] = dma_xfer(HALF, CARD_BASE, 4 * MIB, MICMEM_DIR_FROM_CARD,
			MICMEM_CHAN_AUTO);
	memset(d.pool + HALF, 0, 4 * MIB);
	ns = timed_run(&d, card, x, 1);
	EXPECT_GE(ns, link_ns(4 * MIB));
	EXPECT_EQ(check_pattern(d.pool + HALF, 4 * MIB, 55), -1);
	EXPECT_GT(knob(0, "dma_link_waits"), waits);
	dma_fd_close(&d);
}

/*
 * Each descriptor of a paced batch takes at least desc_ns: whatever else
 * the driver puts in a batch, its MEMCOPY and the STATUS that completes
 * it both run before the completion is seen, one after the other.
 */
TEST(paced_descriptors_take_desc_ns)
{
	struct micmem_xfer x = dma_xfer(0, CARD_BASE, 64, MICMEM_DIR_TO_CARD, 0);
	long long desc;
	int card = card0();
	struct dma_fd d;
	uint64_t ns;

	open_attached(&d, card);
	set_attr("link_mbps", "1000000");
	set_attr("desc_ns", "20000000");
	set_attr("link_paced", "1");
	desc = knob(0, "dma0_descriptors");
	ns = timed_run(&d, card, &x, 1);
	desc = knob(0, "dma0_descriptors") - desc;
	EXPECT_GE(desc, 2);
	EXPECT_GE(ns, 2 * 20000000ULL);
	printf("# %lld descriptors in %llu ms\n", desc,
	       (unsigned long long)(ns / 1000000));
	dma_fd_close(&d);
}

/* The speed attributes change under running DMA: no data lost. */
TEST(speed_changes_while_dma_runs)
{
	static const char *const mbps[] = { "10", "1000", "6700", "3" };
	struct micmem_xfer x;
	struct micmem_wait w;
	int card = card0(), i;
	struct dma_fd d;
	uint64_t t;

	open_attached(&d, card);
	set_attr("link_mbps", "20");
	set_attr("desc_ns", "500");
	set_attr("doorbell_poll_us", "200");
	set_attr("link_paced", "1");
	fill_pattern(d.pool, 8 * MIB, 99);
	x = dma_xfer(0, CARD_BASE, 8 * MIB, MICMEM_DIR_TO_CARD,
		     MICMEM_CHAN_AUTO);
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	for (i = 0; i < 16; i++) {
		ASSERT_OK(micsim_set("card0", "link_mbps", mbps[i % 4]));
		ASSERT_OK(micsim_set("card0", "desc_ns", i % 2 ? "0" : "1000"));
		ASSERT_OK(micsim_set("card0", "doorbell_poll_us",
				     i % 3 ? "0" : "100"));
		ASSERT_OK(micsim_set("card0", "link_paced", i % 5 ? "1" : "0"));
		usleep(20000);
	}
	ASSERT_OK(micsim_set("card0", "link_mbps", "6700"));
	ASSERT_OK(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w));
	x = dma_xfer(HALF, CARD_BASE, 8 * MIB, MICMEM_DIR_FROM_CARD,
		     MICMEM_CHAN_AUTO);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	EXPECT_EQ(check_pattern(d.pool + HALF, 8 * MIB, 99), -1);
	dma_fd_close(&d);
}

TEST_MAIN()
