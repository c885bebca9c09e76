// SPDX-License-Identifier: GPL-2.0
/*
 * dma_engine: the DMA engine model itself (sim/dma.c).  Descriptors the
 * driver would never produce (malformed, unaligned, out of range, errata
 * violations) must stop the channel with a channel error, never crash.
 *
 * The test drives channel 2, which the driver leaves alone, through the
 * sim's peek/poke knobs, with its ring in card memory (DRAR_HI.SYS clear).
 * The descriptors are encoded here independently of include/x100/desc.h,
 * from the table in doc/x100-hardware.md C.2, and put in card memory with
 * the driver's DMA.
 */
#include <stdlib.h>

#include "tap.h"
#include "dma_util.h"

#define SIM		"card0"
#define CH		2
#define CHREG(off)	(0x1a000 + 0x40 * CH + (off))
#define DCAR		CHREG(0x00)
#define DHPR		CHREG(0x04)
#define DTPR		CHREG(0x08)
#define DRAR_LO		CHREG(0x14)
#define DRAR_HI		CHREG(0x18)
#define DSTAT		CHREG(0x20)
#define DSTAT_QUIESCE	(1U << 29)
#define DCHERR		CHREG(0x2c)
#define DCR		0x1a280
#define DCR_ENABLE	(1U << (2 * CH + 1))
#define DCAR_IM1	(1U << 25)

#define RING_ADDR	(128 * MIB)	/* card memory */
#define RING_SLOTS	64
#define SYS		0x8000000000ULL	/* SMPT window */

/* model DCHERR bits (sim/dma.h) */
#define E_DESC		1
#define E_ALIGN		2
#define E_ADDR		4
#define E_HEAD		8

struct desc {
	uint64_t qw0, qw1;
};

static struct desc memcopy(uint64_t src, uint64_t dst, uint64_t len)
{
	struct desc d = { src | (len / 64) << 46, dst | 1ULL << 60 };

	return d;
}

static struct desc status(uint64_t val, uint64_t dst, int intr)
{
	struct desc d = { val, dst | (uint64_t)!!intr << 59 | 2ULL << 60 };

	return d;
}

static struct desc general(uint32_t val, uint64_t dst)
{
	struct desc d = { val, dst | 3ULL << 60 };

	return d;
}

static long long peek(unsigned int off)
{
	return micsim_peek(SIM, off);
}

static int poke(unsigned int off, unsigned int val)
{
	return micsim_poke(SIM, off, val);
}

static struct dma_fd d;
static int card;

/*
 * At the end of the case, even after a crash: DCR as the case found it,
 * channel 2 off (the sim's poke writes at peek_offset).
 */
static void defer_dcr_restore(void)
{
	static int done;
	long long dcr;
	char v[16];

	if (done++)
		return;
	dcr = peek(DCR);
	ASSERT_GE(dcr, 0);
	snprintf(v, sizeof(v), "0x%llx", dcr & ~(long long)DCR_ENABLE);
	tap_defer_write(MICSIM_DEBUGFS "/" SIM "/poke", v);
	snprintf(v, sizeof(v), "0x%x", DCR);
	tap_defer_write(MICSIM_DEBUGFS "/" SIM "/peek_offset", v);
}

/* A fresh ring on channel 2 holding @n descriptors; head not yet written. */
static void load_ring(const struct desc *ring, unsigned int n)
{
	struct micmem_xfer x;

	int i;

	if (!d.pool) {
		card = sim_card_nr(SIM);
		ASSERT_OK(dma_fd_open(&d, 4 * MIB));
		ASSERT_OK(dma_attach(d.fd, card));
	}
	defer_dcr_restore();
	/* stop the channel before its ring changes under it */
	ASSERT_OK(poke(DCR, peek(DCR) & ~DCR_ENABLE));
	for (i = 0; i < 100 && !(peek(DSTAT) & DSTAT_QUIESCE); i++)
		usleep(2000);
	ASSERT_TRUE(peek(DSTAT) & DSTAT_QUIESCE);
	memset(d.pool, 0, RING_SLOTS * sizeof(*ring));
	memcpy(d.pool, ring, n * sizeof(*ring));
	x = dma_xfer(0, RING_ADDR, RING_SLOTS * sizeof(*ring),
		     MICMEM_DIR_TO_CARD, 0);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));

	/* channel 2: host interrupt masked, ring in card memory, enabled */
	ASSERT_OK(poke(DCAR, DCAR_IM1));
	ASSERT_OK(poke(DRAR_LO, RING_ADDR));
	ASSERT_OK(poke(DRAR_HI, RING_SLOTS << 4));	/* resets the indices */
	ASSERT_OK(poke(DCHERR, ~0U));
	ASSERT_OK(poke(DCR, peek(DCR) | DCR_ENABLE));
	ASSERT_EQ(peek(DTPR), 0);
}

/* Hand @n descriptors to the engine; DCHERR once it stopped or finished. */
static long long run(unsigned int head)
{
	long long err = 0;
	int i;

	ASSERT_OK(poke(DHPR, head));
	for (i = 0; i < 400; i++) {
		err = peek(DCHERR);
		if (err || peek(DTPR) == head)
			break;
		usleep(5000);
	}
	return err;
}

static void read_card(uint64_t addr, uint64_t len, uint64_t pool_off)
{
	struct micmem_xfer x = dma_xfer(pool_off, addr, len,
					MICMEM_DIR_FROM_CARD, 1);

	ASSERT_OK(dma_run(d.fd, card, &x, 1));
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
	fill_pattern(d.pool + MIB, 4096, 9);
	{
		struct micmem_xfer x = dma_xfer(MIB, 0x100000, 4096,
						MICMEM_DIR_TO_CARD, 0);

		ASSERT_OK(dma_run(d.fd, card, &x, 1));
	}
	EXPECT_EQ(run(4), 0);
	EXPECT_EQ(peek(DTPR), 4);
	read_card(0x200000, 4096, 2 * MIB);
	EXPECT_EQ(memcmp(d.pool + MIB, d.pool + 2 * MIB, 4096), 0);
	read_card(0x300000, 192, 3 * MIB);
	EXPECT_EQ(*(uint32_t *)(void *)(d.pool + 3 * MIB + 0x40), 0xcafef00d);
	EXPECT_EQ(*(uint64_t *)(void *)(d.pool + 3 * MIB + 0x80),
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
		EXPECT_EQ(peek(DTPR), 1);
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
	EXPECT_EQ(peek(DTPR), 0);
	/* the slot is still bad: clearing runs it again */
	ASSERT_OK(poke(DCHERR, E_DESC));
	usleep(50000);
	EXPECT_EQ(peek(DCHERR), E_DESC);
	EXPECT_EQ(peek(DTPR), 0);
	/* a ring whose first slot is fixed runs through */
	ring[0] = general(41, 0x400080);
	load_ring(ring, 3);
	EXPECT_EQ(run(3), 0);
	EXPECT_EQ(peek(DTPR), 3);
	read_card(0x400000, 192, 3 * MIB);
	EXPECT_EQ(*(uint32_t *)(void *)(d.pool + 3 * MIB), 42);
	EXPECT_EQ(*(uint32_t *)(void *)(d.pool + 3 * MIB + 0x40), 43);
	EXPECT_EQ(*(uint32_t *)(void *)(d.pool + 3 * MIB + 0x80), 41);
}

/* Erratum C.8 #1 and C.5: the model flags what a driver must not do. */
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
	/* the same head value again */
	EXPECT_EQ(run(3), E_HEAD);
	EXPECT_EQ(micsim_knob_get(SIM, "dma_errata") - errata, 2);
	/* a head past the ring */
	load_ring(ring, 4);
	EXPECT_EQ(run(RING_SLOTS), E_HEAD);
	EXPECT_EQ(peek(DTPR), 0);
}

TEST_MAIN()
