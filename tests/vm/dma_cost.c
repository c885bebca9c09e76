// SPDX-License-Identifier: GPL-2.0
/*
 * dma_cost: what one batch costs the hardware, from the sim's ground-truth
 * counters (debugfs "mmio" per register, engine and interrupt counters):
 * exactly one DHPR write per channel used, the B0+ re-arm of every
 * interrupt (one SICE0 and one SIAC0 write, doc/x100-hardware.md C.8 #6;
 * the cards here are C0 with MSI-X) and no other register access, no
 * register read, one interrupt per channel used, ceil(bytes / 512 KiB)
 * MEMCOPY descriptors per 2 MiB chunk piece plus two STATUS per channel;
 * "auto" on 64 MiB moves 32 MiB on each channel.
 *
 * The card-state health check (which reads POSTCODE) is switched off
 * while measuring (health_ms = 0), so that every register access in the
 * window belongs to the submit and completion paths.
 */
#include <stdlib.h>

#include "tap.h"
#include "dma_util.h"

#define DHPR(ch)	(0x1a004 + 0x40 * (ch))
#define SICE0		0x1900c
#define SIAC0		0x19014

/* Counters of one measurement window. */
struct cost {
	unsigned long long reads, writes, dhpr[2], irq[2], sice0, siac0;
	long long memcopy, status, status_intr, errata, bytes[2];
	long long drv_desc[2], drv_bytes[2], drv_batches[2];
};

struct snap {
	struct micsim_mmio mmio;
	long long memcopy, status, status_intr, errata, bytes[2], irq[2];
	long long drv_desc[2], drv_bytes[2], drv_batches[2];
};

static struct snap before, after;

static void take(const char *sim, int card, struct snap *s)
{
	int ch;

	ASSERT_OK(micsim_mmio(sim, &s->mmio));
	s->memcopy = micsim_knob_get(sim, "dma_memcopy");
	s->status = micsim_knob_get(sim, "dma_status");
	s->status_intr = micsim_knob_get(sim, "dma_status_intr");
	s->errata = micsim_knob_get(sim, "dma_errata");
	for (ch = 0; ch < 2; ch++) {
		char k[32];

		snprintf(k, sizeof(k), "dma%d_bytes", ch);
		s->bytes[ch] = micsim_knob_get(sim, k);
		snprintf(k, sizeof(k), "interrupts_vector%d", ch);
		s->irq[ch] = micsim_knob_get(sim, k);
		s->drv_desc[ch] = chan_stat(card, ch, "descriptors");
		s->drv_bytes[ch] = chan_stat(card, ch, "bytes");
		s->drv_batches[ch] = chan_stat(card, ch, "batches");
	}
}

static void diff(struct cost *c)
{
	unsigned int i;
	int ch;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < MICSIM_NR_REGS; i++) {
		c->reads += after.mmio.reads[i] - before.mmio.reads[i];
		c->writes += after.mmio.writes[i] - before.mmio.writes[i];
	}
	c->memcopy = after.memcopy - before.memcopy;
	c->status = after.status - before.status;
	c->status_intr = after.status_intr - before.status_intr;
	c->errata = after.errata - before.errata;
	c->sice0 = after.mmio.writes[SICE0 / 4] - before.mmio.writes[SICE0 / 4];
	c->siac0 = after.mmio.writes[SIAC0 / 4] - before.mmio.writes[SIAC0 / 4];
	for (ch = 0; ch < 2; ch++) {
		c->dhpr[ch] = after.mmio.writes[DHPR(ch) / 4] -
			      before.mmio.writes[DHPR(ch) / 4];
		c->irq[ch] = after.irq[ch] - before.irq[ch];
		c->bytes[ch] = after.bytes[ch] - before.bytes[ch];
		c->drv_desc[ch] = after.drv_desc[ch] - before.drv_desc[ch];
		c->drv_bytes[ch] = after.drv_bytes[ch] - before.drv_bytes[ch];
		c->drv_batches[ch] = after.drv_batches[ch] -
				     before.drv_batches[ch];
	}
}

/* MEMCOPY descriptors for one transfer: per chunk piece, ceil(/512 KiB). */
static long long expect_memcopy(uint64_t off, uint64_t len)
{
	long long n = 0;

	while (len) {
		uint64_t piece = CHUNK - off % CHUNK;

		if (piece > len)
			piece = len;
		n += (piece + 512 * KIB - 1) / (512 * KIB);
		off += piece;
		len -= piece;
	}
	return n;
}

/* Until the end of the case. */
static void health_off(void)
{
	tap_defer_restore_file(PARAM_DIR "health_ms");
	ASSERT_OK(micsim_write(PARAM_DIR "health_ms", "0"));
	/* let a health check already queued finish */
	usleep(50000);
}

struct dma_case {
	int chan;
	uint64_t off, len;
	int dir;
};

static const struct dma_case cases[] = {
	{ MICMEM_CHAN_0, 0, 64, MICMEM_DIR_TO_CARD },
	{ MICMEM_CHAN_1, 64, 4 * KIB, MICMEM_DIR_FROM_CARD },
	{ MICMEM_CHAN_0, 2 * MIB, 2 * MIB, MICMEM_DIR_TO_CARD },
	{ MICMEM_CHAN_1, 1 * MIB + 64, 2 * MIB, MICMEM_DIR_TO_CARD },
	{ MICMEM_CHAN_0, 512 * KIB - 64, 3 * MIB + 128, MICMEM_DIR_FROM_CARD },
	{ MICMEM_CHAN_AUTO, 64, 1 * MIB, MICMEM_DIR_TO_CARD },
	{ MICMEM_CHAN_AUTO, 0, 16 * MIB, MICMEM_DIR_FROM_CARD },
	{ MICMEM_CHAN_AUTO, 1 * MIB, 9 * MIB + 64, MICMEM_DIR_TO_CARD },
};

TEST(hardware_cost_per_batch)
{
	int card = sim_card_nr("card0");
	struct dma_fd d;
	unsigned int i;

	ASSERT_GE(card, 0);
	ASSERT_OK(dma_fd_open(&d, 32 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	health_off();

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct dma_case *k = &cases[i];
		struct micmem_xfer x = dma_xfer(k->off, 8 * MIB, k->len,
						k->dir, k->chan);
		long long used, mc = expect_memcopy(k->off, k->len);
		struct cost c;
		int ch;

		take("card0", card, &before);
		ASSERT_OK(dma_run(d.fd, card, &x, 1));
		take("card0", card, &after);
		diff(&c);
		TH_LOG("case %u: chan %d len %llu: writes %llu reads %llu DHPR %llu/%llu irq %llu/%llu memcopy %lld status %lld",
		       i, k->chan, (unsigned long long)k->len, c.writes,
		       c.reads, c.dhpr[0], c.dhpr[1], c.irq[0], c.irq[1],
		       c.memcopy, c.status);

		used = (c.dhpr[0] > 0) + (c.dhpr[1] > 0);
		if (k->chan == MICMEM_CHAN_AUTO) {
			/* one stripe per chunk piece: both channels from two on */
			EXPECT_EQ(used, k->off / CHUNK ==
				  (k->off + k->len - 1) / CHUNK ? 1 : 2);
		} else {
			EXPECT_EQ(c.dhpr[k->chan], 1);
			EXPECT_EQ(c.dhpr[!k->chan], 0);
		}
		for (ch = 0; ch < 2; ch++) {
			EXPECT_LE(c.dhpr[ch], 1);
			EXPECT_EQ(c.irq[ch], c.dhpr[ch]);
		}
		/*
		 * the DHPR writes and the re-arm (SICE0, SIAC0) of each
		 * interrupt are the only register accesses
		 */
		EXPECT_EQ(c.sice0, c.irq[0] + c.irq[1]);
		EXPECT_EQ(c.siac0, c.irq[0] + c.irq[1]);
		EXPECT_EQ(c.writes, used + 2 * used);
		EXPECT_EQ(c.reads, 0);
		EXPECT_EQ(c.memcopy, mc);
		EXPECT_EQ(c.status, 2 * used);
		EXPECT_EQ(c.status_intr, used);
		EXPECT_EQ(c.errata, 0);
		EXPECT_EQ(c.bytes[0] + c.bytes[1], (long long)k->len);
		/* the driver's statistics agree with the engine */
		EXPECT_EQ(c.drv_desc[0] + c.drv_desc[1], mc + 2 * used);
		EXPECT_EQ(c.drv_bytes[0], c.bytes[0]);
		EXPECT_EQ(c.drv_bytes[1], c.bytes[1]);
		EXPECT_EQ(c.drv_batches[0] + c.drv_batches[1], used);
	}
	dma_fd_close(&d);
}

/* Many transfers on both channels: still one DHPR write per channel. */
TEST(batch_of_32_costs_one_head_write_per_channel)
{
	int card = sim_card_nr("card0");
	struct micmem_xfer x[32];
	long long mc = 0;
	struct dma_fd d;
	struct cost c;
	int i;

	ASSERT_OK(dma_fd_open(&d, 16 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	for (i = 0; i < 32; i++) {
		x[i] = dma_xfer(i * 256 * KIB, i * MIB, 192 * KIB + 64 * i,
				i % 2 ? MICMEM_DIR_FROM_CARD :
					MICMEM_DIR_TO_CARD, i % 2);
		mc += expect_memcopy(x[i].pool_offset, x[i].length);
	}
	health_off();
	take("card0", card, &before);
	ASSERT_OK(dma_run(d.fd, card, x, 32));
	take("card0", card, &after);
	diff(&c);
	EXPECT_EQ(c.dhpr[0], 1);
	EXPECT_EQ(c.dhpr[1], 1);
	EXPECT_EQ(c.irq[0], 1);
	EXPECT_EQ(c.irq[1], 1);
	/* two DHPR writes, and SICE0 + SIAC0 for each of the 2 interrupts */
	EXPECT_EQ(c.sice0, 2);
	EXPECT_EQ(c.siac0, 2);
	EXPECT_EQ(c.writes, 2 + 2 * 2);
	EXPECT_EQ(c.reads, 0);
	EXPECT_EQ(c.memcopy, mc);
	EXPECT_EQ(c.status, 4);
	dma_fd_close(&d);
}

/* auto on 64 MiB: both channels carry half of it. */
TEST(auto_64mib_uses_both_channels)
{
	int card = sim_card_nr("card1");
	struct micmem_xfer x;
	struct dma_fd d;
	struct cost c;

	ASSERT_OK(dma_fd_open(&d, 64 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	x = dma_xfer(0, 0, 64 * MIB, MICMEM_DIR_TO_CARD, MICMEM_CHAN_AUTO);
	take("card1", card, &before);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	take("card1", card, &after);
	diff(&c);
	TH_LOG("channel 0: %lld bytes, channel 1: %lld bytes", c.bytes[0],
	       c.bytes[1]);
	EXPECT_EQ(c.bytes[0], 32 * MIB);
	EXPECT_EQ(c.bytes[1], 32 * MIB);
	EXPECT_EQ(c.drv_bytes[0], 32 * MIB);
	EXPECT_EQ(c.drv_bytes[1], 32 * MIB);
	EXPECT_EQ(c.dhpr[0], 1);
	EXPECT_EQ(c.dhpr[1], 1);
	EXPECT_EQ(c.memcopy, 128);
	dma_fd_close(&d);
}

/* The busy time of a channel grows while it works, not while idle. */
TEST(busy_time_accounts_work)
{
	int card = sim_card_nr("card1");
	long long b0, b1, b2;
	struct micmem_xfer x;
	struct dma_fd d;

	ASSERT_OK(dma_fd_open(&d, 16 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	x = dma_xfer(0, 0, 16 * MIB, MICMEM_DIR_TO_CARD, MICMEM_CHAN_0);
	b0 = chan_stat(card, 0, "busy_ns");
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	b1 = chan_stat(card, 0, "busy_ns");
	usleep(100000);
	b2 = chan_stat(card, 0, "busy_ns");
	EXPECT_GT(b1, b0);
	EXPECT_EQ(b2, b1);
	dma_fd_close(&d);
}

#define MSIXPBACR	0x19084
#define DCHERR(ch)	(0x1a02c + 0x40 * (ch))
#define DCHERRMSK(ch)	(0x1a030 + 0x40 * (ch))
#define DSTATWB_LO(ch)	(0x1a024 + 0x40 * (ch))

/*
 * The stepping workarounds with MSI-X (doc/x100-hardware.md B.5 step 3,
 * C.8 #5-#7): a batch on one channel of an A0 card costs its DHPR write
 * and one MSIXPBACR write, no re-arm; on B0 one SICE0 and one SIAC0
 * write.  A0 never gets DSTATWB or DCHERRMSK; no stepping gets a DCHERR
 * write at start (the driver only reads it, G.15).
 */
static void stepping_cost(const char *stepping, int a0)
{
	struct micsim_mmio *m0, *m1;
	struct micmem_xfer x;
	char attr[32];
	struct dma_fd d;
	int card, ch;

	snprintf(attr, sizeof(attr), "stepping=%s", stepping);
	card = micsim_add("step", "memsize_mb=256", attr, NULL);
	ASSERT_GE(card, 0);
	m0 = calloc(1, sizeof(*m0));
	m1 = calloc(1, sizeof(*m1));
	ASSERT_TRUE(m0 && m1);
	ASSERT_OK(dma_fd_open(&d, 4 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	health_off();
	ASSERT_OK(micsim_mmio("step", m0));
	for (ch = 0; ch < 2; ch++) {
		EXPECT_EQ(m0->writes[DCHERR(ch) / 4], 0);
		EXPECT_EQ(m0->writes[DCHERRMSK(ch) / 4], a0 ? 0 : 1);
		EXPECT_EQ(m0->writes[DSTATWB_LO(ch) / 4], a0 ? 0 : 1);
	}
	x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, MICMEM_CHAN_0);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	ASSERT_OK(micsim_mmio("step", m1));
	EXPECT_EQ(m1->writes[DHPR(0) / 4] - m0->writes[DHPR(0) / 4], 1);
	EXPECT_EQ(m1->writes[MSIXPBACR / 4] - m0->writes[MSIXPBACR / 4],
		  a0 ? 1 : 0);
	EXPECT_EQ(m1->writes[SICE0 / 4] - m0->writes[SICE0 / 4], a0 ? 0 : 1);
	EXPECT_EQ(m1->writes[SIAC0 / 4] - m0->writes[SIAC0 / 4], a0 ? 0 : 1);
	micsim_write(PARAM_DIR "health_ms", "500");
	dma_fd_close(&d);
	free(m0);
	free(m1);
	ASSERT_EQ(micsim_del("step"), 0);
}

TEST(a0_msix_clears_pending_bits_and_does_not_rearm)
{
	stepping_cost("A0", 1);
}

TEST(b0_msix_rearms_every_interrupt)
{
	stepping_cost("B0", 0);
}

/* ---- the hot path allocates nothing while within the fd's caches ---- */

#define HOT_DIR		"/sys/kernel/debug/micmem/"

static long long hot_allocs(const char *what)
{
	return read_llf(HOT_DIR "%s_allocs", what);
}

static void hot_snap(long long v[3])
{
	v[0] = hot_allocs("batch");
	v[1] = hot_allocs("xfer");
	v[2] = hot_allocs("ticket");
}

/*
 * 300 submit + wait rounds of 64 transfers and of 1 transfer: no batch,
 * transfer array or ticket table allocated (doc/performance.md, "Driver
 * fast paths").  Then, on a fresh fd, 10 batches in flight take 2
 * batches beyond the cache of 8, and 70 grow the ticket table once (64
 * -> 128): each exactly.
 */
TEST(submit_and_wait_allocate_nothing_within_the_caches)
{
	int card = sim_card_nr("card0");
	static struct micmem_xfer x[64];
	long long a0[3], a1[3];
	uint64_t t[70];
	struct dma_fd d;
	int i;

	ASSERT_OK(dma_fd_open(&d, 4 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	for (i = 0; i < 64; i++)
		x[i] = dma_xfer(i * 4 * KIB, i * 4 * KIB, 4 * KIB,
				MICMEM_DIR_TO_CARD, i % 3);
	hot_snap(a0);
	ASSERT_GE(a0[0], 0);
	for (i = 0; i < 300; i++) {
		ASSERT_OK(dma_run(d.fd, card, x, 64));
		ASSERT_OK(dma_run(d.fd, card, x, 1));
	}
	hot_snap(a1);
	EXPECT_EQ(a1[0] - a0[0], 0);
	EXPECT_EQ(a1[1] - a0[1], 0);
	EXPECT_EQ(a1[2] - a0[2], 0);
	dma_fd_close(&d);

	/* a fresh fd: its whole cache is free */
	ASSERT_OK(dma_fd_open(&d, 4 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	micsim_defer_knob("card0", "stall");
	ASSERT_OK(micsim_knob_set("card0", "stall", "1"));
	for (i = 0; i < 10; i++)
		ASSERT_OK(dma_submit(d.fd, card, x, 1, 0, &t[i]));
	hot_snap(a0);
	EXPECT_EQ(a0[0] - a1[0], 2);
	EXPECT_EQ(a0[2] - a1[2], 0);
	for (; i < 70; i++)
		ASSERT_OK(dma_submit(d.fd, card, x, 1, 0, &t[i]));
	hot_snap(a1);
	EXPECT_EQ(a1[0] - a0[0], 60);
	EXPECT_EQ(a1[2] - a0[2], 1);
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	for (i = 0; i < 70; i++) {
		struct micmem_wait w;

		ASSERT_OK(dma_wait_ms(d.fd, t[i], 20000, &w));
		EXPECT_EQ(w.error, 0);
	}
	dma_fd_close(&d);
}

/* ---- interrupt coalescing (x100/dma_submit.c) ---- */

/*
 * 32 batches of 4 KiB queued on channel 0 while the engine is held, then
 * released: the first two interrupt, the next 15 ride on the second's
 * interrupt, the 18th interrupts, the last 14 ride on it or, if the
 * handler finds them still running, on one interrupting STATUS pair the
 * driver appends (one more DHPR write).  So 3 or 4 interrupting STATUS
 * descriptors instead of 32, no more interrupts than those, and no
 * register access besides the doorbells and the re-arm of each interrupt.
 */
TEST(batches_in_flight_share_interrupts)
{
	int card = sim_card_nr("card0");
	struct micmem_xfer x;
	uint64_t t[32];
	long long extra;
	struct dma_fd d;
	struct cost c;
	int i;

	ASSERT_OK(dma_fd_open(&d, 4 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	health_off();
	micsim_defer_knob("card0", "stall");
	take("card0", card, &before);
	ASSERT_OK(micsim_knob_set("card0", "stall", "1"));
	for (i = 0; i < 32; i++) {
		x = dma_xfer(i * 4 * KIB, i * 4 * KIB, 4 * KIB,
			     MICMEM_DIR_TO_CARD, MICMEM_CHAN_0);
		ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t[i]));
	}
	ASSERT_OK(micsim_knob_set("card0", "stall", "0"));
	for (i = 0; i < 32; i++) {
		struct micmem_wait w;

		ASSERT_OK(dma_wait_ms(d.fd, t[i], 20000, &w));
		EXPECT_EQ(w.error, 0);
	}
	take("card0", card, &after);
	diff(&c);
	extra = c.status_intr - 3;
	TH_LOG("32 batches in flight: %lld interrupting STATUS, %llu interrupts, %llu DHPR writes",
	       c.status_intr, c.irq[0], c.dhpr[0]);
	EXPECT_GE(extra, 0);
	EXPECT_LE(extra, 1);
	EXPECT_EQ(c.memcopy, 32);
	EXPECT_EQ(c.status, 64 + 2 * extra);
	EXPECT_EQ(c.dhpr[0], 32 + extra);
	EXPECT_EQ(c.dhpr[1], 0);
	EXPECT_GE(c.irq[0], 1);
	EXPECT_LE(c.irq[0], c.status_intr);
	EXPECT_EQ(c.irq[1], 0);
	EXPECT_EQ(c.sice0, c.irq[0]);
	EXPECT_EQ(c.siac0, c.irq[0]);
	EXPECT_EQ(c.writes, c.dhpr[0] + 2 * c.irq[0]);
	EXPECT_EQ(c.reads, 0);
	EXPECT_EQ(c.errata, 0);
	EXPECT_EQ(c.drv_batches[0], 32);
	EXPECT_EQ(c.drv_desc[0], 32 * 3 + 2 * extra);
	dma_fd_close(&d);
}

/* A lone batch, one after the other: one interrupt each, as before. */
TEST(a_lone_batch_interrupts_at_once)
{
	int card = sim_card_nr("card1");
	struct micmem_xfer x;
	struct dma_fd d;
	struct cost c;
	int i, ch;

	ASSERT_OK(dma_fd_open(&d, 4 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	health_off();
	for (ch = 0; ch < 2; ch++) {
		take("card1", card, &before);
		for (i = 0; i < 20; i++) {
			x = dma_xfer(0, 0, 4 * KIB, MICMEM_DIR_FROM_CARD, ch);
			ASSERT_OK(dma_run(d.fd, card, &x, 1));
		}
		take("card1", card, &after);
		diff(&c);
		EXPECT_EQ(c.irq[ch], 20);
		EXPECT_EQ(c.irq[!ch], 0);
		EXPECT_EQ(c.status_intr, 20);
		EXPECT_EQ(c.dhpr[ch], 20);
		EXPECT_EQ(c.writes, 20 + 2 * 20);
		EXPECT_EQ(c.reads, 0);
	}
	dma_fd_close(&d);
}

TEST_MAIN()
