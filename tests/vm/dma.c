// SPDX-License-Identifier: GPL-2.0
/*
 * dma: data integrity of pool <-> card transfers.  Round trips pool ->
 * card -> pool compared byte for byte, 64 B to 64 MiB, at pool offsets that
 * cross 2 MiB chunk boundaries, on channel 0, 1 and auto, on two cards at
 * once, and from 8 threads on several fds.  Needs two sim cards.
 */
#include <pthread.h>
#include <stdlib.h>

#include "tap.h"
#include "dma_util.h"

static const int chans[] = { MICMEM_CHAN_0, MICMEM_CHAN_1, MICMEM_CHAN_AUTO };

/* 64 B .. 64 MiB, aligned and not, around the 512 KiB and 2 MiB limits */
static const uint64_t sizes[] = {
	64, 4 * KIB, 64 * KIB + 64, 512 * KIB, 512 * KIB + 64, 2 * MIB,
	2 * MIB + 192, 6 * MIB + 64, 64 * MIB,
};

/* Source and destination in the pool: neither starts on a chunk. */
#define SRC_OFF		(1 * MIB + 64)
#define DST_OFF		(66 * MIB + 128)
#define POOL_SIZE	(132 * MIB)
#define CARD_ADDR	(16 * MIB + 64)

struct card_run {
	int card;
	int failures;
	char msg[256];
};

/* One round trip; 0 or -1 with a message in @r->msg. */
static int round_trip(struct dma_fd *d, struct card_run *r, int chan,
		      uint64_t len, uint64_t seed)
{
	struct micmem_xfer x;

	fill_pattern(d->pool + SRC_OFF, len, seed);
	memset(d->pool + DST_OFF, 0, len);
	x = dma_xfer(SRC_OFF, CARD_ADDR, len, MICMEM_DIR_TO_CARD, chan);
	if (dma_run(d->fd, r->card, &x, 1)) {
		snprintf(r->msg, sizeof(r->msg), "to card: %s", strerror(errno));
		return -1;
	}
	x = dma_xfer(DST_OFF, CARD_ADDR, len, MICMEM_DIR_FROM_CARD, chan);
	if (dma_run(d->fd, r->card, &x, 1)) {
		snprintf(r->msg, sizeof(r->msg), "from card: %s",
			 strerror(errno));
		return -1;
	}
	if (memcmp(d->pool + SRC_OFF, d->pool + DST_OFF, len)) {
		snprintf(r->msg, sizeof(r->msg),
			 "data differ (len %llu chan %d)",
			 (unsigned long long)len, chan);
		return -1;
	}
	return 0;
}

static void *card_matrix(void *arg)
{
	struct card_run *r = arg;
	struct dma_fd d;
	unsigned int c, s;

	if (dma_fd_open(&d, POOL_SIZE) || dma_attach(d.fd, r->card)) {
		snprintf(r->msg, sizeof(r->msg), "setup: %s", strerror(errno));
		r->failures++;
		return NULL;
	}
	for (c = 0; c < sizeof(chans) / sizeof(chans[0]); c++)
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
			if (round_trip(&d, r, chans[c], sizes[s],
				       r->card * 100 + c * 10 + s + 1))
				r->failures++;
	dma_fd_close(&d);
	return NULL;
}

/* Every size on every channel, both cards at the same time. */
TEST_TIMEOUT(round_trip_matrix_two_cards, 50)
{
	struct card_run runs[2];
	pthread_t th[2];
	int i;

	for (i = 0; i < 2; i++) {
		char name[16];

		snprintf(name, sizeof(name), "card%d", i);
		memset(&runs[i], 0, sizeof(runs[i]));
		runs[i].card = sim_card_nr(name);
		ASSERT_GE(runs[i].card, 0);
		ASSERT_EQ(pthread_create(&th[i], NULL, card_matrix, &runs[i]), 0);
	}
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		if (runs[i].failures)
			TH_LOG("mic%d: %s", runs[i].card, runs[i].msg);
		EXPECT_EQ(runs[i].failures, 0);
	}
}

/* A transfer of 128 bytes that straddles a chunk boundary, both ways. */
TEST(chunk_boundary_straddle)
{
	int card = sim_card_nr("card0");
	struct micmem_xfer x[2];
	struct dma_fd d;
	uint64_t off = 2 * MIB - 64, back = 4 * MIB - 64;

	ASSERT_OK(dma_fd_open(&d, 8 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	fill_pattern(d.pool + off, 128, 77);
	memset(d.pool + back, 0, 128);
	x[0] = dma_xfer(off, 0x1000, 128, MICMEM_DIR_TO_CARD, MICMEM_CHAN_0);
	x[1] = dma_xfer(back, 0x1000, 128, MICMEM_DIR_FROM_CARD, MICMEM_CHAN_0);
	/* one batch, one channel: the read runs after the write */
	ASSERT_OK(dma_run(d.fd, card, x, 2));
	EXPECT_EQ(memcmp(d.pool + off, d.pool + back, 128), 0);
	dma_fd_close(&d);
}

/* 64 transfers of different sizes and places in one batch each way. */
TEST(many_transfers_per_batch)
{
	int card = sim_card_nr("card1");
	struct micmem_xfer to[64], from[64];
	uint64_t off = 0, back = 16 * MIB;
	struct dma_fd d;
	int i;

	ASSERT_OK(dma_fd_open(&d, 32 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	for (i = 0; i < 64; i++) {
		uint64_t len = 64 * (1 + i * 37 % 1000);
		uint64_t caddr = 32 * MIB + i * 256 * KIB;

		to[i] = dma_xfer(off, caddr, len, MICMEM_DIR_TO_CARD, i % 3);
		from[i] = dma_xfer(back, caddr, len, MICMEM_DIR_FROM_CARD,
				   (i + 1) % 3);
		off += len + 64 * (i % 5);
		back += len + 64 * (i % 5);
	}
	fill_pattern(d.pool, 16 * MIB, 5);
	memset(d.pool + 16 * MIB, 0, 16 * MIB);
	ASSERT_OK(dma_run(d.fd, card, to, 64));
	ASSERT_OK(dma_run(d.fd, card, from, 64));
	for (i = 0; i < 64; i++)
		EXPECT_EQ(memcmp(d.pool + to[i].pool_offset,
				 d.pool + from[i].pool_offset, to[i].length), 0);
	dma_fd_close(&d);
}

/* ---- 8 threads, several fds, both cards ---- */

#define THREADS		8
#define ITERS		12
#define REGION		(8 * MIB)

struct thread_run {
	int id;
	int card;
	struct dma_fd *d;	/* shared by threads 0-3 */
	uint64_t base;		/* the thread's part of the pool */
	int failures;
	char msg[256];
};

static void *thread_main(void *arg)
{
	struct thread_run *t = arg;
	unsigned int seed = t->id * 7919 + 1;
	int i;

	for (i = 0; i < ITERS; i++) {
		uint64_t len = 64 * (1 + rand_r(&seed) % (64 * 1024));
		uint64_t off = 64 * (rand_r(&seed) % ((REGION / 2 - len) / 64));
		uint64_t src = t->base + off, dst = t->base + REGION / 2 + off;
		uint64_t caddr = 256 * MIB + t->id * 64 * MIB + off;
		int chan = (t->id + i) % 3;
		struct micmem_xfer x;

		fill_pattern(t->d->pool + src, len, t->id * 1000 + i);
		memset(t->d->pool + dst, 0, len);
		x = dma_xfer(src, caddr, len, MICMEM_DIR_TO_CARD, chan);
		if (dma_run(t->d->fd, t->card, &x, 1))
			goto fail;
		x = dma_xfer(dst, caddr, len, MICMEM_DIR_FROM_CARD, chan);
		if (dma_run(t->d->fd, t->card, &x, 1))
			goto fail;
		if (memcmp(t->d->pool + src, t->d->pool + dst, len)) {
			snprintf(t->msg, sizeof(t->msg),
				 "thread %d iter %d: data differ", t->id, i);
			t->failures++;
		}
		continue;
fail:
		snprintf(t->msg, sizeof(t->msg), "thread %d iter %d: %s",
			 t->id, i, strerror(errno));
		t->failures++;
	}
	return NULL;
}

TEST_TIMEOUT(eight_threads_two_cards, 50)
{
	int cards[2] = { sim_card_nr("card0"), sim_card_nr("card1") };
	struct dma_fd shared, own[THREADS];
	struct thread_run t[THREADS];
	pthread_t th[THREADS];
	int i;

	ASSERT_OK(dma_fd_open(&shared, 4 * REGION));
	ASSERT_OK(dma_attach(shared.fd, cards[0]));
	ASSERT_OK(dma_attach(shared.fd, cards[1]));
	for (i = 0; i < THREADS; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].id = i;
		t[i].card = cards[i % 2];
		if (i < 4) {
			t[i].d = &shared;
			t[i].base = i * REGION;
		} else {
			ASSERT_OK(dma_fd_open(&own[i], REGION));
			ASSERT_OK(dma_attach(own[i].fd, t[i].card));
			t[i].d = &own[i];
		}
	}
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, thread_main, &t[i]), 0);
	for (i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		if (t[i].failures)
			TH_LOG("%s", t[i].msg);
		EXPECT_EQ(t[i].failures, 0);
	}
	for (i = 4; i < THREADS; i++)
		dma_fd_close(&own[i]);
	dma_fd_close(&shared);
}

TEST_MAIN()
