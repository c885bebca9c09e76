// SPDX-License-Identifier: GPL-2.0
/*
 * dma_one_vector: the driver's single-vector (MSI/INTx) interrupt path,
 * on sim cards created with configfs "vectors" = 1.
 *
 * With one vector the card does not auto-clear (no SIAC0) and the driver
 * routes both DMA sources to MXAR entry 0 (doc/x100-hardware.md B.5 step
 * 1): every interrupt makes the handler read SICR0, acknowledge the DMA
 * sources it found (write-1-to-clear) and apply the stepping workaround
 * (B.5 step 3): on B0 and later rewrite SICE0 (C.8 #6; the sim then sends
 * nothing until that write), on A0 write MSIXPBACR (C.8 #5).  So a batch
 * costs, besides its DHPR write per channel used,
 *
 *                    reads            writes
 *   B0, B1, C0       1 per interrupt  2 per interrupt (SICR0, SICE0)
 *   A0               1 per interrupt  2 per interrupt (SICR0, MSIXPBACR)
 *
 * and one interrupt per channel used, or one for both when the second
 * channel finishes while the first interrupt is being handled.  MSI-X
 * costs no register access at all (dma_cost.c).  The cases check the data
 * of round trips on channel 0, 1 and auto, these counts for every batch,
 * that SICR0 reads 0 afterwards (acknowledged), that the card is armed
 * again (re-enabled), that interrupts stay bounded over a stream of
 * batches (no storm), and the sim's own single-vector model: everything
 * on vector 0 whatever MXAR says, no auto-clear, the B0+ disarm, and its
 * storm limit.
 *
 * The health check reads POSTCODE; it is off (health_ms = 0) while the
 * counters are compared.
 */
#include <stdlib.h>
#include <sys/stat.h>

#include "tap.h"
#include "dma_util.h"

#define SICR0		0x19004
#define SICE0		0x1900c
#define SIAC0		0x19014
#define MXAR(i)		(0x19044 + 4 * (i))
#define MSIXPBACR	0x19084
#define DHPR(ch)	(0x1a004 + 0x40 * (ch))
#define INT_DMA(ch)	(1u << (8 + (ch)))
#define INT_DMA_BOTH	(INT_DMA(0) | INT_DMA(1))
#define INT_DOORBELL0	1u

#define POOL		(16 * MIB)
#define CARD_ADDR	(1 * MIB)
/* the sim's limit on re-sends without a new source (sim/irq.c) */
#define STORM_LIMIT	1000

/* A card with one interrupt vector; its micN. */
static int add_card(const char *name, const char *stepping)
{
	char s[32];
	int n;

	snprintf(s, sizeof(s), "stepping=%s", stepping);
	micsim_defer_del(name);
	n = micsim_add(name, "vectors=1", "memsize_mb=256", s, NULL);
	if (n < 0)
		TAP_FAIL_(1, "micsim_add(%s): %s", name, strerror(-n));
	return n;
}

static long long knob(const char *name, const char *k)
{
	long long v = micsim_knob_get(name, k);

	if (v < 0)
		TAP_FAIL_(1, "knob %s/%s: %s", name, k, strerror(-v));
	return v;
}

/* Interrupts arrive through an irq_work: allow them a second. */
static long long knob_wait(const char *name, const char *k, long long want)
{
	long long v = micsim_knob_wait(name, k, want, 1000);

	if (v < 0)
		TAP_FAIL_(1, "knob %s/%s: %s", name, k, strerror(-v));
	return v;
}

static void settle(void)
{
	usleep(50000);
}

/* Until the end of the case. */
static void health_off(void)
{
	tap_defer_restore_file(PARAM_DIR "health_ms");
	ASSERT_OK(param_set("health_ms", "0"));
	settle();		/* a health check already queued finishes */
}

/* What one batch cost, from the sim's counters. */
struct cost {
	long long irq[3], reads, writes, dhpr[2];
	long long sicr0_reads, sicr0_writes, sice0_writes, pba_writes;
};

struct snap {
	struct micsim_mmio mmio;
	long long irq[3];
};

static struct snap before, after;

static void take(const char *name, struct snap *s)
{
	char k[32];
	int v;

	ASSERT_OK(micsim_mmio(name, &s->mmio));
	for (v = 0; v < 3; v++) {
		snprintf(k, sizeof(k), "interrupts_vector%d", v);
		s->irq[v] = knob(name, k);
	}
}

#define DELTA(what)	(after.what - before.what)

static void diff(struct cost *c)
{
	unsigned int i;
	int v;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < MICSIM_NR_REGS; i++) {
		c->reads += DELTA(mmio.reads[i]);
		c->writes += DELTA(mmio.writes[i]);
	}
	for (v = 0; v < 3; v++)
		c->irq[v] = DELTA(irq[v]);
	for (v = 0; v < 2; v++)
		c->dhpr[v] = DELTA(mmio.writes[DHPR(v) / 4]);
	c->sicr0_reads = DELTA(mmio.reads[SICR0 / 4]);
	c->sicr0_writes = DELTA(mmio.writes[SICR0 / 4]);
	c->sice0_writes = DELTA(mmio.writes[SICE0 / 4]);
	c->pba_writes = DELTA(mmio.writes[MSIXPBACR / 4]);
}

/*
 * A completed batch may still have its handler running the SICE0 rewrite
 * (it retires the batch first): on B0+ the card is disarmed from the
 * interrupt until that write, so "armed again" means the handler is done.
 */
static void handler_done(const char *name, int b0)
{
	if (b0)
		EXPECT_EQ(knob_wait(name, "msi_armed", 1), 1);
	else
		settle();
}

/*
 * One batch of one transfer, with its cost checked against the table at
 * the top: @b0 for B0 and later steppings.  Returns the channels it used.
 */
static int costed_batch(const char *name, int card, struct dma_fd *d,
			const struct micmem_xfer *x, int b0)
{
	long long used;
	struct cost c;

	take(name, &before);
	ASSERT_OK(dma_run(d->fd, card, x, 1));
	handler_done(name, b0);
	take(name, &after);
	diff(&c);
	used = (c.dhpr[0] > 0) + (c.dhpr[1] > 0);
	TH_LOG("%s chan %s len %llu: irq %lld/%lld/%lld reads %lld writes %lld (SICR0 r%lld w%lld, SICE0 w%lld, DHPR %lld/%lld)",
	       x->dir == MICMEM_DIR_TO_CARD ? "to card" : "from card",
	       x->channel == MICMEM_CHAN_AUTO ? "auto" :
	       x->channel ? "1" : "0",
	       (unsigned long long)x->length, c.irq[0], c.irq[1],
	       c.irq[2], c.reads, c.writes, c.sicr0_reads, c.sicr0_writes,
	       c.sice0_writes, c.dhpr[0], c.dhpr[1]);

	if (x->channel != MICMEM_CHAN_AUTO) {
		EXPECT_EQ(c.dhpr[x->channel], 1);
		EXPECT_EQ(c.dhpr[!x->channel], 0);
		EXPECT_EQ(c.irq[0], 1);
	} else {
		EXPECT_GE(used, 1);
		EXPECT_LE(c.dhpr[0], 1);
		EXPECT_LE(c.dhpr[1], 1);
		EXPECT_GE(c.irq[0], 1);
		EXPECT_LE(c.irq[0], used);
	}
	/* everything on vector 0 */
	EXPECT_EQ(c.irq[1], 0);
	EXPECT_EQ(c.irq[2], 0);
	/* one SICR0 read and acknowledgement per interrupt, nothing else */
	EXPECT_EQ(c.sicr0_reads, c.irq[0]);
	EXPECT_EQ(c.reads, c.irq[0]);
	if (b0 || used == 1) {
		EXPECT_EQ(c.sicr0_writes, c.irq[0]);
	} else {
		/*
		 * A0 is never disarmed: the second channel's interrupt can
		 * arrive after the first handler acknowledged both sources,
		 * and finds nothing to acknowledge.
		 */
		EXPECT_GE(c.sicr0_writes, 1);
		EXPECT_LE(c.sicr0_writes, c.irq[0]);
	}
	EXPECT_EQ(c.sice0_writes, b0 ? c.sicr0_writes : 0);
	EXPECT_EQ(c.pba_writes, b0 ? 0 : c.sicr0_writes);
	EXPECT_EQ(c.writes, used + c.sicr0_writes + c.sice0_writes +
		  c.pba_writes);
	/* acknowledged: no cause left behind, the card sends again */
	EXPECT_EQ(micsim_peek(name, SICR0), 0);
	EXPECT_EQ(knob(name, "msi_armed"), 1);
	return used;
}

/* Round trips on channel 0, 1 and auto, each batch costed. */
static void round_trips(const char *stepping, int b0)
{
	static const int chans[] = { MICMEM_CHAN_0, MICMEM_CHAN_1,
				     MICMEM_CHAN_AUTO };
	/* in one chunk, across chunks (auto: both channels) */
	static const uint64_t lens[] = { 4 * KIB, 6 * MIB + 64 };
	const char *name = "one_vec";
	uint64_t dst = POOL / 2;
	long long used_auto = 0;
	struct micmem_xfer x;
	struct dma_fd d;
	unsigned int c, l;
	int card;

	card = add_card(name, stepping);
	ASSERT_OK(dma_fd_open(&d, POOL));
	ASSERT_OK(dma_attach(d.fd, card));
	health_off();
	for (c = 0; c < 3; c++) {
		for (l = 0; l < 2; l++) {
			uint64_t seed = c * 10 + l + 1;

			fill_pattern(d.pool + 64, lens[l], seed);
			memset(d.pool + dst, 0, lens[l]);
			x = dma_xfer(64, CARD_ADDR, lens[l],
				     MICMEM_DIR_TO_CARD, chans[c]);
			used_auto += costed_batch(name, card, &d, &x, b0);
			x = dma_xfer(dst, CARD_ADDR, lens[l],
				     MICMEM_DIR_FROM_CARD, chans[c]);
			used_auto += costed_batch(name, card, &d, &x, b0);
			EXPECT_EQ(check_pattern(d.pool + dst, lens[l], seed), -1);
		}
	}
	/* auto across three chunks did use both channels */
	EXPECT_GT(used_auto, 12);
	EXPECT_EQ(knob(name, "interrupt_storms"), 0);
	dma_fd_close(&d);
	ASSERT_EQ(micsim_del(name), 0);
}

TEST(vectors_attribute_is_validated_and_fixed_while_live)
{
	static const char *const bad[] = { "0", "2", "4", "-1", "x",
					   "4294967297" };
	const char *name = "vec_attr";
	char path[256], buf[16];
	unsigned int i;

	snprintf(path, sizeof(path), MICSIM_CONFIGFS "/%s", name);
	micsim_defer_del(name);
	ASSERT_OK(mkdir(path, 0755));
	snprintf(path, sizeof(path), MICSIM_CONFIGFS "/%s/vectors", name);
	ASSERT_EQ(micsim_read(path, buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "3");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(micsim_set(name, "vectors", bad[i]), -EINVAL);
		ASSERT_EQ(micsim_read(path, buf, sizeof(buf)), 0);
		EXPECT_STREQ(buf, "3");
	}
	EXPECT_EQ(micsim_set(name, "vectors", "1"), 0);
	ASSERT_EQ(micsim_read(path, buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "1");
	ASSERT_EQ(micsim_set(name, "live", "1"), 0);
	EXPECT_EQ(micsim_set(name, "vectors", "3"), -EBUSY);
	EXPECT_EQ(micsim_set(name, "vectors", "1"), -EBUSY);
	ASSERT_EQ(micsim_read(path, buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "1");
	/* offline it may change again */
	ASSERT_EQ(micsim_set(name, "live", "0"), 0);
	EXPECT_EQ(micsim_set(name, "vectors", "3"), 0);
	ASSERT_EQ(micsim_del(name), 0);
}

/*
 * The driver sets a single-vector card up with both DMA sources routed to
 * MXAR entry 0 (mainline does so for MSI, doc/x100-hardware.md B.5 step
 * 1), no auto-clear, and enables the two DMA channel sources; with three
 * vectors it routes them to vectors 0 and 1 and auto-clears them.
 */
TEST(driver_programs_the_interrupts_for_the_vector_count)
{
	micsim_defer_del("msi");
	ASSERT_GE(micsim_add("msi", "vectors=1", "memsize_mb=64", NULL), 0);
	micsim_defer_del("msix");
	ASSERT_GE(micsim_add("msix", "memsize_mb=64", NULL), 0);

	EXPECT_EQ(micsim_peek("msi", SICE0), INT_DMA_BOTH);
	EXPECT_EQ(micsim_peek("msi", SIAC0), 0);
	EXPECT_EQ(micsim_peek("msi", MXAR(0)), INT_DMA_BOTH);
	EXPECT_EQ(micsim_peek("msi", MXAR(1)), 0);
	EXPECT_EQ(micsim_peek("msi", MXAR(2)), 0);

	EXPECT_EQ(micsim_peek("msix", SICE0), INT_DMA_BOTH);
	EXPECT_EQ(micsim_peek("msix", SIAC0), INT_DMA_BOTH);
	EXPECT_EQ(micsim_peek("msix", MXAR(0)), INT_DMA(0));
	EXPECT_EQ(micsim_peek("msix", MXAR(1)), INT_DMA(1));

	ASSERT_EQ(micsim_del("msi"), 0);
	ASSERT_EQ(micsim_del("msix"), 0);
}

TEST(round_trips_with_one_vector_c0)
{
	round_trips("C0", 1);
}

TEST(round_trips_with_one_vector_b0)
{
	round_trips("B0", 1);
}

/*
 * A0 needs (and gets) no SICE0 rewrite but the MSIXPBACR write: 1 read +
 * 2 writes an interrupt.
 */
TEST(round_trips_with_one_vector_a0)
{
	round_trips("A0", 0);
}

/*
 * 64 batches queued back to back on both channels, then waited for: at
 * most one interrupt per batch, every one read and acknowledged once.
 */
TEST(stream_of_batches_interrupts_stay_bounded)
{
	const char *name = "one_vec_stream";
	uint64_t t[64];
	struct micmem_xfer x;
	struct micmem_wait w;
	struct dma_fd d;
	long long b0, b1;
	struct cost c;
	int card, i;

	card = add_card(name, "C0");
	ASSERT_OK(dma_fd_open(&d, POOL));
	ASSERT_OK(dma_attach(d.fd, card));
	health_off();
	b0 = read_llf("/sys/class/mic/mic%d/dma0/batches", card);
	b1 = read_llf("/sys/class/mic/mic%d/dma1/batches", card);
	take(name, &before);
	for (i = 0; i < 64; i++) {
		x = dma_xfer(i * 64 * KIB, CARD_ADDR + i * 64 * KIB, 64 * KIB,
			     MICMEM_DIR_TO_CARD, i % 2);
		ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t[i]));
	}
	for (i = 0; i < 64; i++)
		ASSERT_OK(dma_wait(d.fd, t[i], MICMEM_WAIT_FOREVER, &w));
	handler_done(name, 1);
	take(name, &after);
	diff(&c);
	TH_LOG("64 batches: %lld interrupts, %lld reads, %lld writes",
	       c.irq[0], c.reads, c.writes);
	EXPECT_EQ(chan_stat(card, 0, "batches") - b0, 32);
	EXPECT_EQ(chan_stat(card, 1, "batches") - b1, 32);
	EXPECT_GE(c.irq[0], 1);
	EXPECT_LE(c.irq[0], 64);
	EXPECT_EQ(c.irq[1] + c.irq[2], 0);
	/*
	 * One doorbell per batch, and one more per interrupting STATUS pair
	 * the driver appended behind batches that coalescing left without
	 * an interrupt (doc/design.md, "Interrupt coalescing"): how many
	 * depends on how far the engine got: at most one per channel for
	 * each interrupt, and one for a hang check that found a channel
	 * busy.  Nothing else is written but the re-arm.
	 */
	EXPECT_GE(c.dhpr[0], 32);
	EXPECT_GE(c.dhpr[1], 32);
	EXPECT_LE(c.dhpr[0] - 32, c.irq[0] + 1);
	EXPECT_LE(c.dhpr[1] - 32, c.irq[0] + 1);
	EXPECT_EQ(c.reads, c.irq[0]);
	EXPECT_EQ(c.sicr0_writes, c.irq[0]);
	EXPECT_EQ(c.sice0_writes, c.irq[0]);
	EXPECT_EQ(c.writes, c.dhpr[0] + c.dhpr[1] + 2 * c.irq[0]);
	EXPECT_EQ(micsim_peek(name, SICR0), 0);
	EXPECT_EQ(knob(name, "interrupt_storms"), 0);
	dma_fd_close(&d);
	ASSERT_EQ(micsim_del(name), 0);
}

/*
 * The sim's model with the driver attached: every source on vector 0
 * whatever MXAR says; no auto-clear even with SIAC0 set; on C0 the card
 * is disarmed from an interrupt until SICE0 is written (the driver does
 * that only for interrupts that were its own); a SICE0 write re-sends
 * what is pending, at most STORM_LIMIT times without a new source.
 */
TEST(sim_single_vector_model)
{
	const char *name = "one_vec_model";
	long long v0, v1, v2, mxar0;
	int i;

	add_card(name, "C0");
	v0 = knob(name, "interrupts_vector0");
	v1 = knob(name, "interrupts_vector1");
	v2 = knob(name, "interrupts_vector2");
	EXPECT_EQ(knob(name, "msi_armed"), 1);

	/* a DMA source routed to vector 1: still vector 0, acknowledged */
	ASSERT_OK(micsim_poke(name, MXAR(1), INT_DMA(1)));
	ASSERT_OK(micsim_knob_set(name, "raise", "0x200"));
	EXPECT_EQ(knob_wait(name, "interrupts_vector0", v0 + 1), v0 + 1);
	EXPECT_EQ(knob_wait(name, "msi_armed", 1), 1);
	EXPECT_EQ(micsim_peek(name, SICR0), 0);

	/*
	 * a source the driver does not handle (routed to vector 0 here, as
	 * MXAR0 must with one vector): not auto-cleared, disarms
	 */
	mxar0 = micsim_peek(name, MXAR(0));
	ASSERT_GE(mxar0, 0);
	ASSERT_OK(micsim_poke(name, MXAR(0), mxar0 | INT_DOORBELL0));
	ASSERT_OK(micsim_poke(name, SIAC0, INT_DOORBELL0));
	ASSERT_OK(micsim_poke(name, SICE0, INT_DOORBELL0));
	ASSERT_OK(micsim_knob_set(name, "raise", "1"));
	EXPECT_EQ(knob_wait(name, "interrupts_vector0", v0 + 2), v0 + 2);
	settle();
	EXPECT_EQ(micsim_peek(name, SICR0), INT_DOORBELL0);
	EXPECT_EQ(knob(name, "msi_armed"), 0);

	/* disarmed: a DMA source stays pending, nothing is sent ... */
	ASSERT_OK(micsim_knob_set(name, "raise", "0x100"));
	settle();
	EXPECT_EQ(knob(name, "interrupts_vector0"), v0 + 2);
	EXPECT_EQ(micsim_peek(name, SICR0), INT_DOORBELL0 | INT_DMA(0));
	/* ... until SICE0 is written: the driver takes the DMA source */
	ASSERT_OK(micsim_poke(name, SICR0, INT_DOORBELL0));
	ASSERT_OK(micsim_poke(name, SICE0, 0));
	EXPECT_EQ(knob_wait(name, "interrupts_vector0", v0 + 3), v0 + 3);
	EXPECT_EQ(knob_wait(name, "msi_armed", 1), 1);
	EXPECT_EQ(micsim_peek(name, SICR0), 0);

	/*
	 * An enabled source nobody acknowledges, re-enabled over and over:
	 * the sim sends it STORM_LIMIT times, then refuses.
	 */
	ASSERT_OK(micsim_knob_set(name, "raise", "1"));
	EXPECT_EQ(knob_wait(name, "interrupts_vector0", v0 + 4), v0 + 4);
	for (i = 0; i < STORM_LIMIT; i++)
		ASSERT_OK(micsim_poke(name, SICE0, 0));
	EXPECT_EQ(knob(name, "interrupt_storms"), 0);
	ASSERT_OK(micsim_poke(name, SICE0, 0));
	EXPECT_EQ(knob(name, "interrupt_storms"), 1);
	settle();
	EXPECT_GT(knob(name, "interrupts_vector0"), v0 + 4);
	EXPECT_LE(knob(name, "interrupts_vector0"), v0 + 4 + STORM_LIMIT);
	/* a new source starts the count again */
	ASSERT_OK(micsim_knob_set(name, "raise", "1"));
	ASSERT_OK(micsim_poke(name, SICE0, 0));
	EXPECT_EQ(knob(name, "interrupt_storms"), 1);

	EXPECT_EQ(knob(name, "interrupts_vector1"), v1);
	EXPECT_EQ(knob(name, "interrupts_vector2"), v2);
	ASSERT_EQ(micsim_del(name), 0);
}

TEST_MAIN()
