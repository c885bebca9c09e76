// SPDX-License-Identifier: GPL-2.0
/*
 * faults: the driver under the sim's injected faults (doc/testing.md
 * "Sim options and knobs"), each counted against its injected_* counter:
 *  - a dropped completion interrupt (drop_irq) still completes its ticket,
 *    found by the hang check within one hang_timeout_ms of the batch
 *    being submitted to an idle channel (doc/uapi.md "Lost interrupts";
 *    that the channel's next interrupt finds it sooner is dma_errors'
 *    lost_interrupt_is_recovered);
 *  - a byte corrupted on the wire (corrupt_next) is caught by this
 *    test's own data check, and only that byte differs;
 *  - a spurious interrupt on each vector changes nothing: no ticket
 *    completes early, no error, the driver's counters do not move, and
 *    the real interrupt after it still completes the batch;
 *  - delay_completion_us delays the completion and nothing else;
 *  - a failed descriptor fetch (fail_fetch_next) fails its batch with
 *    -EIO (MICMEM_ERR_CHANNEL) and the channel goes on.
 * Needs one sim card (card0, MSI-X, 3 vectors).
 */
#include <stdlib.h>

#include "card_util.h"

#define POOL		(4 * MIB)
#define HANG_MS		300

static int card0(void)
{
	return sim_card_nr("card0");
}

static void open_attached(struct dma_fd *d, int card)
{
	ASSERT_OK(dma_fd_open(d, POOL));
	ASSERT_OK(dma_attach(d->fd, card));
}

/* Bytes of @a and @b that differ; the first one's offset in *@first. */
static long long count_diff(const uint8_t *a, const uint8_t *b, size_t len,
			    long long *first)
{
	long long n = 0;
	size_t i;

	*first = -1;
	for (i = 0; i < len; i++)
		if (a[i] != b[i]) {
			if (*first < 0)
				*first = i;
			n++;
		}
	return n;
}

/*
 * Every completion interrupt of ROUNDS batches is dropped; with only the
 * hang check left to notice, each ticket completes no sooner than one
 * hang_timeout_ms after its submission (so it was the hang check) and
 * within two (the bound doc/uapi.md states is one period; the second is
 * slack for a loaded TCG host), with its data intact.
 */
#define DROP_ROUNDS	6

TEST(dropped_interrupt_completes_within_hang_timeout)
{
	long long inj, errs, bad, max_ms = 0, min_ms = 1LL << 40;
	struct micmem_xfer x;
	struct micmem_wait w;
	int card = card0(), i;
	struct dma_fd d;
	uint64_t t, t0;

	open_attached(&d, card);
	inj = knob(0, "injected_drop_irq");
	errs = chan_stat(card, 0, "errors") + chan_stat(card, 1, "errors");
	set_param("hang_timeout_ms", HANG_MS);
	set_knob(0, "drop_irq", "0");
	for (i = 0; i < DROP_ROUNDS; i++) {
		int ch = i % 2;
		long long ms;

		fill_pattern(d.pool, 256 * KIB, 100 + i);
		x = dma_xfer(0, 8 * MIB, 256 * KIB, MICMEM_DIR_TO_CARD, ch);
		ASSERT_OK(dma_run(d.fd, card, &x, 1));
		memset(d.pool + MIB, 0, 256 * KIB);
		x = dma_xfer(MIB, 8 * MIB, 256 * KIB, MICMEM_DIR_FROM_CARD, ch);
		ASSERT_OK(micsim_knob_set("card0", "drop_irq", "1"));
		t0 = now_ns();
		ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
		ASSERT_OK(dma_wait_ms(d.fd, t, 10 * HANG_MS, &w));
		ms = (now_ns() - t0) / 1000000;
		EXPECT_EQ(w.failed_xfer, MICMEM_NO_XFER);
		EXPECT_EQ(w.error_class, MICMEM_ERR_NONE);
		bad = check_pattern(d.pool + MIB, 256 * KIB, 100 + i);
		EXPECT_EQ(bad, -1);
		EXPECT_GE(ms, HANG_MS - 20);
		EXPECT_LT(ms, 2 * HANG_MS);
		if (ms > max_ms)
			max_ms = ms;
		if (ms < min_ms)
			min_ms = ms;
	}
	EXPECT_EQ(knob(0, "injected_drop_irq") - inj, DROP_ROUNDS);
	EXPECT_EQ(knob(0, "drop_irq"), 0);
	EXPECT_EQ(chan_stat(card, 0, "errors") + chan_stat(card, 1, "errors"),
		  errs);
	printf("# drop_irq: %d dropped interrupts, tickets completed after %lld..%lld ms (hang_timeout_ms %d)\n",
	       DROP_ROUNDS, min_ms, max_ms, HANG_MS);
	dma_fd_close(&d);
}

/* One byte flipped on the wire: the round trip's check finds exactly it. */
TEST(corrupted_byte_is_caught_by_the_data_check)
{
	long long inj, first, n;
	struct micmem_xfer x;
	int card = card0();
	struct dma_fd d;
	uint8_t *want;

	open_attached(&d, card);
	want = malloc(MIB);
	ASSERT_TRUE(want != NULL);
	inj = knob(0, "injected_corrupt");
	set_knob(0, "corrupt_next", "0");

	/* clean first: the check passes without the fault */
	fill_pattern(want, MIB, 7);
	memcpy(d.pool, want, MIB);
	x = dma_xfer(0, 16 * MIB, MIB, MICMEM_DIR_TO_CARD, MICMEM_CHAN_AUTO);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	memset(d.pool + 2 * MIB, 0, MIB);
	x = dma_xfer(2 * MIB, 16 * MIB, MIB, MICMEM_DIR_FROM_CARD, 0);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	EXPECT_EQ(count_diff(d.pool + 2 * MIB, want, MIB, &first), 0);

	/* to the card: the card's first byte is flipped */
	ASSERT_OK(micsim_knob_set("card0", "corrupt_next", "1"));
	x = dma_xfer(0, 16 * MIB, MIB, MICMEM_DIR_TO_CARD, 0);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	EXPECT_EQ(knob(0, "corrupt_next"), 0);
	memset(d.pool + 2 * MIB, 0, MIB);
	x = dma_xfer(2 * MIB, 16 * MIB, MIB, MICMEM_DIR_FROM_CARD, 1);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	n = count_diff(d.pool + 2 * MIB, want, MIB, &first);
	EXPECT_EQ(n, 1);
	EXPECT_EQ(first, 0);
	EXPECT_EQ(d.pool[2 * MIB] ^ want[0], 1);
	EXPECT_EQ(check_pattern(d.pool + 2 * MIB, MIB, 7), 0);

	/* from the card, at an offset: the pool's byte there is flipped */
	ASSERT_OK(micsim_knob_set("card0", "corrupt_next", "1"));
	memset(d.pool + 2 * MIB, 0, MIB);
	x = dma_xfer(2 * MIB + 4096, 16 * MIB + 4096, 64 * KIB,
		     MICMEM_DIR_FROM_CARD, 0);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	n = count_diff(d.pool + 2 * MIB + 4096, want + 4096, 64 * KIB, &first);
	EXPECT_EQ(n, 1);
	EXPECT_EQ(first, 0);
	EXPECT_EQ(knob(0, "injected_corrupt") - inj, 2);
	printf("# corrupt_next: 2 bytes corrupted, 2 caught\n");
	free(want);
	dma_fd_close(&d);
}

/*
 * A spurious interrupt on every vector, with a batch held in flight by a
 * stalled channel: the batch does not complete, no error, the driver's
 * counters stay; the real completion after it still arrives by interrupt
 * (hang check off).
 */
TEST(spurious_interrupt_on_every_vector_changes_nothing)
{
	static const char *const stats[] = { "descriptors", "bytes", "batches",
					     "errors" };
	long long before[2][4], inj, irqs, v;
	struct micmem_xfer x;
	struct micmem_wait w;
	int card = card0(), ch, i, nvec;
	struct dma_fd d;
	uint64_t t;
	char buf[24];

	open_attached(&d, card);
	ASSERT_OK(micsim_read(MICSIM_CONFIGFS "/card0/vectors", buf,
			      sizeof(buf)));
	nvec = atoi(buf);
	ASSERT_GT(nvec, 0);
	set_param("hang_timeout_ms", 0);
	fill_pattern(d.pool, 64 * KIB, 55);
	x = dma_xfer(0, 32 * MIB, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	set_knob(0, "stall", "1");
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	for (ch = 0; ch < 2; ch++)
		for (i = 0; i < 4; i++)
			before[ch][i] = chan_stat(card, ch, stats[i]);
	inj = knob(0, "injected_spurious_irq");
	irqs = knob(0, "interrupts");

	for (v = 0; v < nvec; v++) {
		snprintf(buf, sizeof(buf), "%lld", v);
		ASSERT_OK(micsim_knob_set("card0", "spurious_irq", buf));
		usleep(20000);
		EXPECT_ERRNO(dma_wait(d.fd, t, MICMEM_WAIT_NO_BLOCK, &w), ETIME);
	}
	memset(&w, 0, sizeof(w));
	w.flags = MICMEM_WAIT_ANY;
	w.deadline_ns = MICMEM_WAIT_NO_BLOCK;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), ETIME);
	EXPECT_EQ(knob(0, "injected_spurious_irq") - inj, nvec);
	EXPECT_EQ(knob(0, "interrupts") - irqs, nvec);
	for (ch = 0; ch < 2; ch++)
		for (i = 0; i < 4; i++)
			EXPECT_EQ(chan_stat(card, ch, stats[i]), before[ch][i]);

	/* the real completion still comes by interrupt */
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	EXPECT_OK(dma_wait_ms(d.fd, t, 3000, &w));
	EXPECT_EQ(w.failed_xfer, MICMEM_NO_XFER);
	EXPECT_EQ(chan_stat(card, 0, "batches"), before[0][2] + 1);
	EXPECT_EQ(chan_stat(card, 0, "errors"), before[0][3]);
	memset(d.pool + MIB, 0, 64 * KIB);
	x = dma_xfer(MIB, 32 * MIB, 64 * KIB, MICMEM_DIR_FROM_CARD, 1);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	EXPECT_EQ(check_pattern(d.pool + MIB, 64 * KIB, 55), -1);

	/* and with nothing in flight */
	for (v = 0; v < nvec; v++) {
		snprintf(buf, sizeof(buf), "%lld", v);
		ASSERT_OK(micsim_knob_set("card0", "spurious_irq", buf));
	}
	usleep(20000);
	EXPECT_EQ(knob(0, "injected_spurious_irq") - inj, 2 * nvec);
	EXPECT_EQ(chan_stat(card, 0, "errors"), before[0][3]);
	EXPECT_EQ(chan_stat(card, 1, "errors"), before[1][3]);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	printf("# spurious_irq: %d injected on %d vectors, no effect\n",
	       2 * nvec, nvec);
	dma_fd_close(&d);
}

/*
 * delay_completion_us: the batch completes that much later (each STATUS
 * descriptor waits, each counted), successfully, within the hang timeout.
 */
#define DELAY_US	250000

TEST(delayed_completion_completes_late_and_intact)
{
	long long inj, st, ms;
	struct micmem_xfer x;
	struct micmem_wait w;
	int card = card0();
	struct dma_fd d;
	uint64_t t, t0;

	open_attached(&d, card);
	set_param("hang_timeout_ms", 2000);
	inj = knob(0, "injected_delay_completion");
	st = knob(0, "dma_status");
	fill_pattern(d.pool, 128 * KIB, 77);
	set_knob(0, "delay_completion_us", "250000");
	x = dma_xfer(0, 40 * MIB, 128 * KIB, MICMEM_DIR_TO_CARD, 0);
	t0 = now_ns();
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	EXPECT_ERRNO(dma_wait(d.fd, t, MICMEM_WAIT_NO_BLOCK, &w), ETIME);
	ASSERT_OK(dma_wait_ms(d.fd, t, 5000, &w));
	ms = (now_ns() - t0) / 1000000;
	EXPECT_GE(ms, DELAY_US / 1000);
	EXPECT_EQ(w.error_class, MICMEM_ERR_NONE);
	EXPECT_GT(knob(0, "injected_delay_completion") - inj, 0);
	/* every STATUS descriptor executed was delayed, nothing else */
	EXPECT_EQ(knob(0, "injected_delay_completion") - inj,
		  knob(0, "dma_status") - st);
	ASSERT_OK(micsim_knob_set("card0", "delay_completion_us", "0"));
	memset(d.pool + MIB, 0, 128 * KIB);
	x = dma_xfer(MIB, 40 * MIB, 128 * KIB, MICMEM_DIR_FROM_CARD, 0);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	EXPECT_EQ(check_pattern(d.pool + MIB, 128 * KIB, 77), -1);
	printf("# delay_completion_us: %lld delayed STATUS, batch after %lld ms\n",
	       knob(0, "injected_delay_completion") - inj, ms);
	dma_fd_close(&d);
}

/*
 * A failed descriptor fetch is a channel error: its batch fails with -EIO
 * (MICMEM_ERR_CHANNEL) naming its transfer, the driver counts one error,
 * and the next batch on the channel works.
 */
TEST(failed_fetch_fails_its_batch_and_the_channel_goes_on)
{
	long long inj, errs;
	struct micmem_xfer x;
	struct micmem_wait w;
	int card = card0(), ch;
	struct dma_fd d;
	uint64_t t;

	open_attached(&d, card);
	set_param("hang_timeout_ms", 2000);
	inj = knob(0, "injected_fail_fetch");
	set_knob(0, "fail_fetch_next", "0");
	for (ch = 0; ch < 2; ch++) {
		errs = chan_stat(card, ch, "errors");
		fill_pattern(d.pool, 64 * KIB, 90 + ch);
		x = dma_xfer(0, 48 * MIB, 64 * KIB, MICMEM_DIR_TO_CARD, ch);
		ASSERT_OK(micsim_knob_set("card0", "fail_fetch_next", "1"));
		ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
		EXPECT_ERRNO(dma_wait_ms(d.fd, t, 5000, &w), EIO);
		EXPECT_EQ(w.error, -EIO);
		EXPECT_EQ(w.error_class, MICMEM_ERR_CHANNEL);
		EXPECT_EQ(w.failed_xfer, 0);
		EXPECT_EQ(chan_stat(card, ch, "errors") - errs, 1);
		EXPECT_EQ(knob(0, "fail_fetch_next"), 0);
		/* the channel goes on */
		ASSERT_OK(dma_run(d.fd, card, &x, 1));
		memset(d.pool + MIB, 0, 64 * KIB);
		x = dma_xfer(MIB, 48 * MIB, 64 * KIB, MICMEM_DIR_FROM_CARD, ch);
		ASSERT_OK(dma_run(d.fd, card, &x, 1));
		EXPECT_EQ(check_pattern(d.pool + MIB, 64 * KIB, 90 + ch), -1);
	}
	EXPECT_EQ(knob(0, "injected_fail_fetch") - inj, 2);
	printf("# fail_fetch_next: 2 injected, 2 batches failed with EIO\n");
	dma_fd_close(&d);
}

TEST_MAIN()
