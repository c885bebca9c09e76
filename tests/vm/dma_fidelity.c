// SPDX-License-Identifier: GPL-2.0
/*
 * dma_fidelity: issue 8's regressions, the driver against a sim that
 * behaves as a real x100 may (every option at its least forgiving
 * default).  These fail on a driver that
 *  - does not re-arm SICE0/SIAC0 after each DMA interrupt on B0+ steppings
 *    in MSI-X mode, or does not route its sources by MXAR0 with one MSI
 *    vector (later interrupts never arrive);
 *  - writes a cached DCR back, losing bits the card OS changed for its
 *    channels 4-7;
 *  - re-programs a channel over a stale DHPR, so that the old descriptors
 *    [DTPR, DHPR) run again when it is enabled.
 * Each case makes its own card; the ones not about interrupts use
 * stepping A0, so that they fail only for what they are about.
 */
#include <stdlib.h>

#include "engine_util.h"

#define DELAY_US	"200000"	/* completion after WAIT sleeps */

/*
 * Three batches on channel 0, each completing 200 ms after it starts (the
 * engine delays its STATUS descriptors), so WAIT is asleep when it
 * completes and only the channel's interrupt can wake it before the hang
 * check (5 s).  Every batch must be done within 2 s.
 */
static void interrupts_keep_coming(const char *name, const char *vectors)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct micmem_wait w;
	struct eng e;
	uint64_t t;
	int i;

	eng_up(&e, name, "stepping=C0", vectors, NULL);
	ASSERT_OK(param_set("hang_timeout_ms", "5000"));
	ASSERT_OK(micsim_knob_set(name, "delay_completion_us", DELAY_US));
	for (i = 0; i < 3; i++) {
		ASSERT_OK(dma_submit(e.d.fd, e.card, &x, 1, 0, &t));
		if (dma_wait_ms(e.d.fd, t, 2000, &w) < 0) {
			TH_LOG("batch %d: no completion within 2 s (errno %d)",
			       i, errno);
			EXPECT_TRUE(0);
			/* let it finish at the hang check */
			dma_wait(e.d.fd, t, MICMEM_WAIT_FOREVER, &w);
		}
	}
	EXPECT_GE(eng_knob(&e, "dma0_interrupts"), 3);
	ASSERT_OK(micsim_knob_set(name, "delay_completion_us", "0"));
	eng_down(&e);
}

TEST_TIMEOUT(b0_msix_every_interrupt_arrives, 60)
{
	interrupts_keep_coming("fx_msix", "vectors=3");
}

TEST_TIMEOUT(b0_one_msi_vector_every_interrupt_arrives, 60)
{
	interrupts_keep_coming("fx_msi", "vectors=1");
}

/* DCR bits of channels 4-7 the card OS set survive a card reset. */
TEST_TIMEOUT(card_dcr_bits_survive_a_reset, 60)
{
	struct eng e;

	eng_up(&e, "fx_dcr", "stepping=A0", NULL);
	ASSERT_OK(micsim_knob_set(e.name, "card_dcr_flip", "0xaa00"));
	ASSERT_EQ(eng_peek(&e, DCR) & 0xff00, 0xaa00);
	ASSERT_OK(card_state_cmd(e.card, "reset:force"));
	ASSERT_OK(card_state_wait(e.card, "ready", 20000));
	EXPECT_EQ(eng_peek(&e, DCR) & 0xff00, 0xaa00);
	eng_down(&e);
}

/* ... and a hang reset of a host channel. */
TEST_TIMEOUT(card_dcr_bits_survive_a_channel_reset, 60)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct micmem_wait w;
	struct eng e;
	uint64_t t;

	eng_up(&e, "fx_dcr_ch", "stepping=A0", NULL);
	ASSERT_OK(micsim_knob_set(e.name, "card_dcr_flip", "0x5500"));
	ASSERT_OK(param_set("hang_timeout_ms", "300"));
	ASSERT_OK(micsim_knob_set(e.name, "stall", "1"));
	ASSERT_OK(dma_submit(e.d.fd, e.card, &x, 1, 0, &t));
	EXPECT_ERRNO(dma_wait(e.d.fd, t, MICMEM_WAIT_FOREVER, &w), ETIMEDOUT);
	param_set("hang_timeout_ms", "5000");
	EXPECT_EQ(eng_peek(&e, DCR) & 0xff00, 0x5500);
	ASSERT_OK(micsim_knob_set(e.name, "stall", "0"));
	eng_down(&e);
}

/*
 * A batch hangs (stalled channel 0) and the hang check re-programs the
 * channel; when the engine moves again, nothing of the failed batch may
 * run: no MEMCOPY, no STATUS, card memory untouched.
 */
TEST_TIMEOUT(stale_ring_is_not_run_again, 60)
{
	const uint64_t dst = 32 * MIB;
	struct micmem_xfer x = dma_xfer(MIB, dst, 64 * KIB,
					MICMEM_DIR_TO_CARD, 0);
	long long mc, st;
	struct micmem_wait w;
	struct eng e;
	uint64_t t;

	eng_up(&e, "fx_stale", "stepping=A0", NULL);
	fill_pattern(e.d.pool + MIB, 64 * KIB, 5);
	ASSERT_OK(param_set("hang_timeout_ms", "300"));
	ASSERT_OK(micsim_knob_set(e.name, "stall", "1"));
	ASSERT_OK(dma_submit(e.d.fd, e.card, &x, 1, 0, &t));
	EXPECT_ERRNO(dma_wait(e.d.fd, t, MICMEM_WAIT_FOREVER, &w), ETIMEDOUT);
	param_set("hang_timeout_ms", "5000");
	mc = eng_knob(&e, "dma_memcopy");
	st = eng_knob(&e, "dma_status");
	ASSERT_OK(micsim_knob_set(e.name, "stall", "0"));
	usleep(300000);
	EXPECT_EQ(eng_knob(&e, "dma_memcopy"), mc);
	EXPECT_EQ(eng_knob(&e, "dma_status"), st);
	EXPECT_EQ(eng_peek(&e, DTPR(0)), eng_peek(&e, DHPR(0)));
	/* the failed batch's data never reached the card */
	EXPECT_EQ(eng_card_u32(&e, dst), 0);
	/* and the channel works */
	x = dma_xfer(MIB, dst, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	EXPECT_OK(dma_run(e.d.fd, e.card, &x, 1));
	eng_down(&e);
}

TEST_MAIN()
