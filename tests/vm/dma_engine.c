// SPDX-License-Identifier: GPL-2.0
/*
 * dma_engine: the DMA engine model itself (sim/dma.c).  Descriptors the
 * driver would never produce (malformed, unaligned, out of range, errata
 * violations) must stop the channel with a channel error, never crash.
 *
 * The test drives channel 2, which the driver leaves alone, through the
 * sim's peek/poke knobs, with its ring in card memory (DRAR_HI.SYS clear),
 * see engine_util.h.  Its own card sets the options the cases are about:
 * each reload of the ring starts at slot 0 (drar_resets_pointers=1) and a
 * write-1-to-clear DCHERR resumes the channel (dcherr=w1c); the stepping
 * is A0 so that the driver, which moves rings and data for the test, does
 * not depend on its B0+ interrupt re-arm (issue 8).  sim_sceptic.c tests
 * the other option values and the defaults.
 */
#include <stdlib.h>

#include "engine_util.h"

#define SIM		"eng"

static struct eng e;

/* A fresh ring on channel 2 holding @n descriptors; head not yet written. */
static void load_ring(const struct desc *ring, unsigned int n)
{
	/* each case is a child process: the first one makes the card */
	if (!e.name && sim_card_nr(SIM) >= 0)
		eng_attach(&e, SIM);
	else if (!e.name)
		eng_up(&e, SIM, "stepping=A0", "dcherr=w1c",
		       "drar_resets_pointers=1", "quiesce_bit=1", NULL);
	/* stop the channel before its ring changes under it */
	eng_disable(&e);
	ASSERT_TRUE(eng_peek(&e, DSTAT(2)) & DSTAT_QUIESCE);
	eng_write_ring(&e, ring, n);
	eng_program(&e, RING_SLOTS);	/* resets the indices */
	eng_poke(&e, DCHERR(2), ~0U);	/* w1c: clears the last error */
	ASSERT_EQ(eng_peek(&e, DTPR(2)), 0);
	ASSERT_EQ(eng_peek(&e, DCHERR(2)), 0);
}

static long long peek(unsigned int off)
{
	return eng_peek(&e, off);
}

static int poke(unsigned int off, unsigned int val)
{
	return micsim_poke(SIM, off, val);
}

static long long run(unsigned int head)
{
	return eng_run(&e, head);
}

static void read_card(uint64_t addr, uint64_t len, uint64_t pool_off)
{
	eng_from_card(&e, pool_off, addr, len);
}

TEST(good_descriptors_run_in_card_memory)
{
	struct desc ring[4] = {
		memcopy(0x100000, 0x200000, 4096),
		general(0xcafef00d, 0x300040),
		status(0x1122334455667788ULL, 0x300080, 0),
		{ 0, 0 },			/* NOP */
	};

	load_ring(ring, 4);
	/* something to copy: the pool at 1 MiB to card 1 MiB */
	fill_pattern(e.d.pool + MIB, 4096, 9);
	eng_to_card(&e, MIB, 0x100000, 4096);
	EXPECT_EQ(run(4), 0);
	EXPECT_EQ(peek(DTPR(2)), 4);
	read_card(0x200000, 4096, 2 * MIB);
	EXPECT_EQ(memcmp(e.d.pool + MIB, e.d.pool + 2 * MIB, 4096), 0);
	read_card(0x300000, 192, 3 * MIB);
	EXPECT_EQ(*(uint32_t *)(void *)(e.d.pool + 3 * MIB + 0x40), 0xcafef00d);
	EXPECT_EQ(*(uint64_t *)(void *)(e.d.pool + 3 * MIB + 0x80),
		  0x1122334455667788ULL);
}

struct bad {
	const char *what;
	struct desc desc;
	long long err;
};

TEST(bad_descriptors_are_channel_errors)
{
	static const struct bad bad[] = {
		{ "KEY type", { 0, 5ULL << 60 }, E_DESC },
		{ "type 15", { 0, 15ULL << 60 }, E_DESC },
		{ "NOP with bits", { 1, 0 }, E_DESC },
		{ "MEMCOPY reserved QW0 45", { 0x1000 | 1ULL << 46 | 1ULL << 45,
					      0x2000 | 1ULL << 60 }, E_DESC },
		{ "MEMCOPY reserved QW1 40", { 0x1000 | 1ULL << 46,
					      0x2000 | 1ULL << 40 | 1ULL << 60 },
		  E_DESC },
		{ "MEMCOPY length 0", { 0x1000, 0x2000 | 1ULL << 60 }, E_DESC },
		{ "MEMCOPY unaligned source", { 0x1020 | 1ULL << 46,
					       0x2000 | 1ULL << 60 }, E_ALIGN },
		{ "MEMCOPY unaligned destination", { 0x1000 | 1ULL << 46,
						    0x2008 | 1ULL << 60 },
		  E_ALIGN },
		{ "STATUS unaligned", { 7, 0x2004 | 2ULL << 60 }, E_ALIGN },
		{ "GENERAL unaligned", { 7, 0x2002 | 3ULL << 60 }, E_ALIGN },
		{ "GENERAL reserved", { 1ULL << 40, 0x2000 | 3ULL << 60 },
		  E_DESC },
		{ "between card memory and window", { 0x1000 | 1ULL << 46,
			0x1000000000ULL | 1ULL << 60 }, E_ADDR },
		{ "past the card memory end", { 0x1ffffffc0ULL | 2ULL << 46,
			0x2000 | 1ULL << 60 }, E_ADDR },
		{ "host to host", { SYS | 0x1000 | 1ULL << 46,
				    SYS | 0x2000 | 1ULL << 60 }, E_ADDR },
		{ "host address that is no RAM", { 0x1000 | 1ULL << 46,
			(SYS + 0x7f00000000ULL) | 1ULL << 60 }, E_ADDR },
	};
	long long errors = micsim_knob_get(SIM, "dma2_errors");
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct desc ring[2] = { memcopy(0, 0x10000, 64), bad[i].desc };
		long long err;

		load_ring(ring, 2);
		err = run(2);
		EXPECT_EQ(err, bad[i].err);
		/* stopped on the bad one, after the good one */
		EXPECT_EQ(peek(DTPR(2)), 1);
		if (err != bad[i].err)
			TH_LOG("%s: DCHERR %#llx", bad[i].what, err);
	}
	EXPECT_EQ(micsim_knob_get(SIM, "dma2_errors") - errors,
		  (long long)(sizeof(bad) / sizeof(bad[0])));
}

TEST(clearing_dcherr_resumes_at_the_failed_slot)
{
	struct desc ring[3] = {
		{ 1, 0 },			/* bad NOP */
		general(42, 0x400000),
		general(43, 0x400040),
	};

	load_ring(ring, 3);
	EXPECT_EQ(run(3), E_DESC);
	EXPECT_EQ(peek(DTPR(2)), 0);
	/* the slot is still bad: clearing runs it again */
	ASSERT_OK(poke(DCHERR(2), E_DESC));
	usleep(50000);
	EXPECT_EQ(peek(DCHERR(2)), E_DESC);
	EXPECT_EQ(peek(DTPR(2)), 0);
	/* a ring whose first slot is fixed runs through */
	ring[0] = general(41, 0x400080);
	load_ring(ring, 3);
	EXPECT_EQ(run(3), 0);
	EXPECT_EQ(peek(DTPR(2)), 3);
	read_card(0x400000, 192, 3 * MIB);
	EXPECT_EQ(*(uint32_t *)(void *)(e.d.pool + 3 * MIB), 42);
	EXPECT_EQ(*(uint32_t *)(void *)(e.d.pool + 3 * MIB + 0x40), 43);
	EXPECT_EQ(*(uint32_t *)(void *)(e.d.pool + 3 * MIB + 0x80), 41);
}

/*
 * Erratum C.5: a lone interrupting STATUS is counted; a DHPR past the
 * ring is a head error.  (Erratum C.8 #1, the same DHPR twice, is in
 * sim_sceptic.c.)
 */
TEST(errata_are_flagged)
{
	struct desc ring[4] = {
		status(1, 0x500000, 1),		/* lone interrupting STATUS */
		status(2, 0x500040, 0),
		status(3, 0x500040, 1),		/* properly paired */
		{ 0, 0 },
	};
	long long errata = micsim_knob_get(SIM, "dma_errata");

	load_ring(ring, 4);
	EXPECT_EQ(run(3), 0);
	EXPECT_EQ(micsim_knob_get(SIM, "dma_errata") - errata, 1);
	/* a head past the ring */
	load_ring(ring, 4);
	EXPECT_EQ(run(RING_SLOTS), E_HEAD);
	EXPECT_EQ(peek(DTPR(2)), 0);
}

/* Remove the test's card. */
TEST(cleanup)
{
	if (!e.name)
		eng_attach(&e, SIM);
	eng_down(&e);
}

TEST_MAIN()
