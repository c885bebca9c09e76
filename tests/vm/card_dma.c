// SPDX-License-Identifier: GPL-2.0
/*
 * card_dma: the DMA availability policy across card states, with two
 * simulated cards (vm-run 'cards': 2).  Attach and submit get the state's
 * errno (EBUSY booting/resetting, EIO failed, ENODEV lost); a reset or a
 * boot cancels batches in flight (ECANCELED, MICMEM_ERR_CARD_RESET); a
 * card that is lost or removed fails them with ENODEV
 * (MICMEM_ERR_CARD_LOST); the fd stays attached and usable, for the other
 * card at once and for the same card once it is ready again.  Batches
 * are held in flight with the sim's "stall" knob (a channel mask).
 */
#define _GNU_SOURCE
#include "card_util.h"

static void need_dma(void)
{
	if (!dma_available())
		SKIP("the driver offers no DMA (MICMEM_FEAT_DMA)");
}

/* Both channels of micN stop taking descriptors (mask), or go on (0). */
static void stall(int n, int on)
{
	set_knob(n, "stall", on ? "3" : "0");
}

/* A 2 MiB batch that stays in flight: returns its ticket. */
static long long submit_stuck(struct dma_fd *d, int n)
{
	struct micmem_wait w;
	long long t;

	stall(n, 1);
	t = dma_submit_auto(d, n, MICMEM_DIR_TO_CARD, 0, d->size);
	ASSERT_GT(t, 0);
	ASSERT_EQ(dma_wait_ms(d->fd, t, 100, &w), -1);
	ASSERT_EQ(errno, ETIME);
	return t;
}

static void expect_batch_error(struct dma_fd *d, long long t, int err,
			       int class)
{
	struct micmem_wait w;

	EXPECT_EQ(dma_wait_ms(d->fd, t, 3000, &w), -1);
	EXPECT_EQ(errno, err);
	EXPECT_EQ(w.error, -err);
	EXPECT_EQ(w.error_class, class);
	EXPECT_EQ(w.failed_xfer, 0);
}

/* Attach on a new fd, and submit on @d, both fail with @err. */
static void expect_refused(struct dma_fd *d, int n, int err)
{
	struct dma_fd other;

	dma_open(&other);
	EXPECT_ERRNO(dma_attach(other.fd, n), err);
	close(other.fd);
	EXPECT_ERRNO(dma_submit_auto(d, n, MICMEM_DIR_TO_CARD, 0, 4096), err);
}

TEST(attach_and_submit_follow_the_state)
{
	struct dma_fd d;

	need_dma();
	fast_params();
	card_to_ready(0);
	dma_open(&d);
	ASSERT_OK(dma_attach(d.fd, 0));
	dma_roundtrip(&d, 0, 1);		/* ready */

	/* booting: the image hangs so the card stays there */
	set_knob(0, "fail_boot", "1");
	card_boot(0, CARD_IMAGE);
	ASSERT_STREQ(card_attr(0, "state"), "booting");
	expect_refused(&d, 0, EBUSY);

	/* resetting, held there by a 1 s settle delay */
	set_param("reset_settle_ms", 1000);
	ASSERT_EQ(card_state_cmd(0, "reset:force"), 0);
	set_param("reset_settle_ms", 20);
	ASSERT_STREQ(card_attr(0, "state"), "resetting");
	expect_refused(&d, 0, EBUSY);
	ASSERT_EQ(card_state_wait(0, "ready", 3000), 0);
	dma_roundtrip(&d, 0, 2);		/* the fd stayed attached */

	/* boot failed */
	write_file(FIRMWARE_DIR "/micmem-not-elf", "not an ELF file", 15);
	card_boot(0, "micmem-not-elf");
	ASSERT_EQ(card_state_wait(0, "boot failed", 3000), 0);
	expect_refused(&d, 0, EIO);

	/* reset failed */
	set_knob(0, "fail_reset", "100");
	ASSERT_EQ(card_state_cmd(0, "reset"), 0);
	ASSERT_EQ(card_state_wait(0, "reset failed", 5000), 0);
	expect_refused(&d, 0, EIO);
	set_knob(0, "fail_reset", "0");

	/* lost */
	set_knob(0, "vanish", "1");
	ASSERT_EQ(card_state_cmd(0, "reset:force"), 0);
	ASSERT_EQ(card_state_wait(0, "lost", 3000), 0);
	expect_refused(&d, 0, ENODEV);

	/* back: the same fd works in ready and online */
	set_knob(0, "vanish", "0");
	ASSERT_EQ(card_state_cmd(0, "reset:force"), 0);
	ASSERT_EQ(card_state_wait(0, "ready", 3000), 0);
	dma_roundtrip(&d, 0, 3);
	card_boot(0, CARD_IMAGE);
	ASSERT_EQ(card_state_wait(0, "online", 3000), 0);
	dma_roundtrip(&d, 0, 4);
	close(d.fd);
}

TEST(reset_cancels_dma_in_flight)
{
	struct dma_fd d;
	long long t;

	need_dma();
	fast_params();
	card_to_ready(1);
	card_boot(1, CARD_IMAGE);
	ASSERT_EQ(card_state_wait(1, "online", 3000), 0);
	dma_open(&d);
	ASSERT_OK(dma_attach(d.fd, 1));

	t = submit_stuck(&d, 1);
	ASSERT_EQ(card_state_cmd(1, "reset"), 0);
	expect_batch_error(&d, t, ECANCELED, MICMEM_ERR_CARD_RESET);
	stall(1, 0);
	ASSERT_EQ(card_state_wait(1, "ready", 3000), 0);
	dma_roundtrip(&d, 1, 5);
	close(d.fd);
}

TEST(boot_cancels_dma_in_flight)
{
	struct dma_fd d;
	long long t;

	need_dma();
	fast_params();
	card_to_ready(1);
	dma_open(&d);
	ASSERT_OK(dma_attach(d.fd, 1));

	t = submit_stuck(&d, 1);
	card_boot(1, CARD_IMAGE);
	expect_batch_error(&d, t, ECANCELED, MICMEM_ERR_CARD_RESET);
	stall(1, 0);
	ASSERT_EQ(card_state_wait(1, "online", 3000), 0);
	dma_roundtrip(&d, 1, 6);
	close(d.fd);
}

TEST(card_lost_during_dma)
{
	struct dma_fd d;
	long long t;

	need_dma();
	fast_params();
	card_to_ready(0);
	card_to_ready(1);
	dma_open(&d);
	ASSERT_OK(dma_attach(d.fd, 0));
	ASSERT_OK(dma_attach(d.fd, 1));

	t = submit_stuck(&d, 0);
	set_knob(0, "vanish", "1");
	/* the health check (health_ms 50) notices and fails the batch */
	expect_batch_error(&d, t, ENODEV, MICMEM_ERR_CARD_LOST);
	EXPECT_STREQ(card_attr(0, "state"), "lost");
	EXPECT_ERRNO(dma_submit_auto(&d, 0, MICMEM_DIR_TO_CARD, 0, 4096), ENODEV);

	/* the same fd goes on with the other card */
	dma_roundtrip(&d, 1, 7);

	/* and with this one once it is back and reset */
	set_knob(0, "vanish", "0");
	stall(0, 0);
	ASSERT_EQ(card_state_cmd(0, "reset:force"), 0);
	ASSERT_EQ(card_state_wait(0, "ready", 3000), 0);
	dma_roundtrip(&d, 0, 8);
	close(d.fd);
}

TEST(card_removed_during_dma)
{
	struct dma_fd d;
	long long t;
	int n;

	need_dma();
	fast_params();
	card_to_ready(1);
	micsim_defer_del("doomed");
	n = micsim_add("doomed", NULL);
	ASSERT_OK(n);
	dma_open(&d);
	ASSERT_OK(dma_attach(d.fd, n));
	ASSERT_OK(dma_attach(d.fd, 1));

	ASSERT_EQ(micsim_knob_set("doomed", "stall", "3"), 0);
	t = dma_submit_auto(&d, n, MICMEM_DIR_TO_CARD, 0, d.size);
	ASSERT_GT(t, 0);
	ASSERT_EQ(micsim_del("doomed"), 0);
	expect_batch_error(&d, t, ENODEV, MICMEM_ERR_CARD_LOST);
	EXPECT_ERRNO(dma_submit_auto(&d, n, MICMEM_DIR_TO_CARD, 0, 4096), ENODEV);
	dma_roundtrip(&d, 1, 9);
	close(d.fd);
}

TEST_MAIN()
