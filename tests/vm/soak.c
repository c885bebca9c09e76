// SPDX-License-Identifier: GPL-2.0
/*
 * soak: data-verified DMA under load.  SOAK_THREADS threads, each with
 * its own fd and pool attached to both cards and its own region of each
 * card's memory, move random sizes at random 64-byte aligned offsets on
 * channel 0, 1 and AUTO: pool -> card, then card -> another part of the
 * pool, and compare every byte; now and then the write and the read back
 * go in one batch on one channel (ordered, doc/uapi.md).  Prints the
 * counts; a mismatch fails.  SOAK_CI_SECONDS in CI; by hand
 * `vm-soak --soak SECONDS` runs for hours (`--seed N`).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "card_util.h"
#include "storm_util.h"

#define SOAK_THREADS	8
#define SOAK_CI_SECONDS	45
#define SOAK_POOL	(8 * MIB)
#define SOAK_REGION	(8 * MIB)	/* card memory per thread */
#define SOAK_CARD_BASE	(64 * MIB)
#define SOAK_MAX	(2 * MIB)	/* largest transfer */

static long soak_seconds = SOAK_CI_SECONDS;
static uint64_t soak_seed = 0x50a50a;

static atomic_llong rounds, bytes, mismatches, errors, one_batch;
static atomic_llong per_chan[3], per_card[2];

struct soaker {
	int id;
	uint64_t rnd;
};

static void soak_log_error(int id, const char *what, int e)
{
	if (atomic_fetch_add(&errors, 1) < 10)
		printf("# thread %d: %s: %s\n", id, what, strerror(e));
}

static void *soak_thread(void *arg)
{
	struct soaker *s = arg;
	long long end = now_ms() + soak_seconds * 1000;
	struct micmem_xfer x[2];
	struct micmem_wait w;
	struct dma_fd d;
	int card, ci;
	uint64_t t, len, src, dst, caddr, i;

	if (dma_fd_open(&d, SOAK_POOL) || dma_attach(d.fd, 0) ||
	    dma_attach(d.fd, 1)) {
		soak_log_error(s->id, "setup", errno);
		return NULL;
	}
	while (now_ms() < end) {
		static const int chans[3] = { 0, 1, MICMEM_CHAN_AUTO };
		int both;

		card = storm_rand(&s->rnd) & 1;
		ci = storm_rand(&s->rnd) % 3;
		len = 64 * (1 + storm_rand(&s->rnd) % (SOAK_MAX / 64));
		src = storm_rand(&s->rnd) % ((SOAK_POOL / 2 - len) / 64 + 1) *
		      64;
		dst = SOAK_POOL / 2 + storm_rand(&s->rnd) %
		      ((SOAK_POOL / 2 - len) / 64 + 1) * 64;
		caddr = SOAK_CARD_BASE + s->id * SOAK_REGION +
			storm_rand(&s->rnd) % ((SOAK_REGION - len) / 64 + 1) *
			64;
		fill_pattern(d.pool + src, len, storm_rand(&s->rnd));
		memset(d.pool + dst, 0xa5, len);
		x[0] = dma_xfer(src, caddr, len, MICMEM_DIR_TO_CARD, chans[ci]);
		x[1] = dma_xfer(dst, caddr, len, MICMEM_DIR_FROM_CARD,
				chans[ci]);
		both = ci != 2 && !(storm_rand(&s->rnd) % 4);
		if (both) {
			if (dma_submit(d.fd, card, x, 2, 0, &t) ||
			    dma_wait_ms(d.fd, t, 30000, &w)) {
				soak_log_error(s->id, "batch of two", errno);
				break;
			}
			atomic_fetch_add(&one_batch, 1);
		} else if (dma_run(d.fd, card, &x[0], 1) ||
			   dma_run(d.fd, card, &x[1], 1)) {
			soak_log_error(s->id, "transfer", errno);
			break;
		}
		if (memcmp(d.pool + src, d.pool + dst, len)) {
			for (i = 0; i < len; i++)
				if (d.pool[src + i] != d.pool[dst + i])
					break;
			if (atomic_fetch_add(&mismatches, 1) < 10)
				printf("# thread %d: mic%d chan %d: %llu bytes at card 0x%llx differ from byte %llu\n",
				       s->id, card, chans[ci],
				       (unsigned long long)len,
				       (unsigned long long)caddr,
				       (unsigned long long)i);
		}
		atomic_fetch_add(&rounds, 1);
		atomic_fetch_add(&bytes, 2 * len);
		atomic_fetch_add(&per_chan[ci], 1);
		atomic_fetch_add(&per_card[card], 1);
	}
	dma_fd_close(&d);
	return NULL;
}

TEST_TIMEOUT(soak_every_byte_verified, 600)
{
	static struct soaker s[SOAK_THREADS];
	pthread_t th[SOAK_THREADS];
	struct mem_base mb;
	long long t0;
	int i;

	mem_base_take(&mb);
	t0 = now_ms();
	for (i = 0; i < SOAK_THREADS; i++) {
		s[i].id = i;
		s[i].rnd = soak_seed + 0x9e3779b97f4a7c15ULL * (i + 1);
		ASSERT_EQ(pthread_create(&th[i], NULL, soak_thread, &s[i]), 0);
	}
	for (i = 0; i < SOAK_THREADS; i++)
		pthread_join(th[i], NULL);
	printf("# soak: %d threads, %lld s, %lld round trips (%lld MiB moved, %lld as one batch), ch0 %lld ch1 %lld auto %lld, mic0 %lld mic1 %lld, %lld mismatches, %lld errors\n",
	       SOAK_THREADS, (now_ms() - t0) / 1000, (long long)rounds,
	       (long long)bytes / (long long)MIB, (long long)one_batch,
	       (long long)per_chan[0], (long long)per_chan[1],
	       (long long)per_chan[2], (long long)per_card[0],
	       (long long)per_card[1], (long long)mismatches,
	       (long long)errors);
	EXPECT_EQ(mismatches, 0);
	EXPECT_EQ(errors, 0);
	EXPECT_GT(rounds, 0);
	EXPECT_GT(per_chan[0] && per_chan[1] && per_chan[2], 0);
	EXPECT_GT(per_card[0] && per_card[1], 0);
	mem_check("soak", &mb);
}

int main(int argc, char **argv)
{
	int i, j;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--soak") && i + 1 < argc)
			soak_seconds = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			soak_seed = strtoull(argv[i + 1], NULL, 0);
		else
			continue;
		for (j = i; j + 2 <= argc; j++)
			argv[j] = argv[j + 2];
		argc -= 2;
		i--;
	}
	if (soak_seconds > SOAK_CI_SECONDS)
		tap_case_soak_every_byte_verified.timeout = soak_seconds + 600;
	return tap_main(argc, argv);
}
