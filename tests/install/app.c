// SPDX-License-Identifier: GPL-2.0
/*
 * An application of libmicmem written only from micmem(7) and the
 * library's manual pages, and built against the installed library with
 *
 *   cc app.c $(pkg-config --static --cflags --libs libmicmem) -static
 *
 * (tests/install/vm-install.sh).  In the VM it moves data to the first
 * card and back: two batches in flight on channels 0 and 1, a batch of
 * two transfers striped over both, the synchronous copies, poll() on the
 * handle and MICMEM_WAIT_ANY, and checks every byte and the channels'
 * statistics.  Plain output; exit status 0 when everything held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmicmem.h>

#define MIB		((uint64_t)1 << 20)
#define POOL		(8 * MIB)
#define CARD_ADDR	0x4000000ULL	/* 64 MiB into card memory */

static int failed;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL %s:%d: ", __FILE__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		failed = 1;						\
		goto out;						\
	}								\
} while (0)

static void fill(unsigned char *p, uint64_t len, unsigned int seed)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 31 + seed + (i >> 12));
}

static uint64_t first_diff(const unsigned char *a, const unsigned char *b,
			   uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return i;
	return len;
}

int main(void)
{
	struct micmem_chan_stats s0a, s1a, s0b, s1b;
	struct micmem_status st;
	struct micmem_card_info ci;
	struct micmem_xfer x[2];
	struct micmem_query q;
	struct micmem *m = NULL;
	unsigned char *pool = NULL, *want = NULL;
	uint64_t t[2], d;
	uint32_t cards[4], card;
	struct pollfd pfd;
	int n, ret, state;

	printf("libmicmem %s\n", micmem_lib_version());
	n = micmem_card_list(cards, 4);
	CHECK(n > 0, "no cards: %d", n);
	card = cards[0];
	ret = micmem_card_info(card, &ci);
	CHECK(ret == 0, "card_info: %s", strerror(-ret));
	printf("mic%" PRIu32 ": %s, %" PRIu64 " MiB, DMA window %" PRIu64 " MiB\n",
	       card, ci.state, ci.memsize / MIB, ci.dma_window / MIB);
	state = micmem_card_state(card);
	if (state != MICMEM_CARD_READY && state != MICMEM_CARD_ONLINE) {
		ret = micmem_card_reset(card, MICMEM_CARD_RESET_FORCE);
		CHECK(ret == 0, "reset: %s", strerror(-ret));
		state = micmem_card_wait_state(card,
				MICMEM_CARD_STATE_BIT(MICMEM_CARD_READY),
				micmem_deadline_ns(30ULL * 1000000000));
		CHECK(state == MICMEM_CARD_READY, "card not ready: %d", state);
	}
	CHECK(ci.dma_window >= CARD_ADDR + POOL, "window too small");

	ret = micmem_open(&m, 0);
	CHECK(ret == 0, "open: %s", strerror(-ret));
	ret = micmem_query(m, &q);
	CHECK(ret == 0, "query: %s", strerror(-ret));
	printf("driver API %" PRIu32 ", %" PRIu32 " cards, max_batch %" PRIu32 "\n",
	       q.api_version, q.num_cards, q.max_batch);
	ret = micmem_pool_create(m, POOL, 0, (void **)&pool);
	CHECK(ret == 0, "pool_create: %s", strerror(-ret));
	CHECK(pool == micmem_pool_addr(m) && micmem_pool_size(m) == POOL,
	      "pool address or size");
	ret = micmem_attach(m, card);
	CHECK(ret == 0, "attach: %s", strerror(-ret));
	want = malloc(POOL);
	CHECK(want != NULL, "malloc");
	CHECK(micmem_chan_stats(card, 0, &s0a) == 0 &&
	      micmem_chan_stats(card, 1, &s1a) == 0, "chan_stats");

	/* 1: two batches in flight at once, one on each channel */
	fill(want, 4 * MIB, 1);
	memcpy(pool, want, 4 * MIB);
	micmem_xfer_init(&x[0], 0, CARD_ADDR, 2 * MIB, MICMEM_DIR_TO_CARD,
			 MICMEM_CHAN_0);
	micmem_xfer_init(&x[1], 2 * MIB, CARD_ADDR + 2 * MIB, 2 * MIB,
			 MICMEM_DIR_TO_CARD, MICMEM_CHAN_1);
	ret = micmem_submit(m, card, &x[0], 1, 0, &t[0], NULL);
	CHECK(ret == 0, "submit 0: %s", strerror(-ret));
	ret = micmem_submit(m, card, &x[1], 1, 0, &t[1], NULL);
	CHECK(ret == 0, "submit 1: %s", strerror(-ret));
	CHECK(t[0] && t[1] && t[0] != t[1], "tickets");
	ret = micmem_wait(m, t[0], micmem_deadline_ns(10ULL * 1000000000), 0,
			  &st);
	CHECK(ret == 0 && st.ticket == t[0] && st.error == 0,
	      "wait 0: %s (class %s)", strerror(-ret),
	      micmem_error_class_name(st.error_class));
	ret = micmem_wait_timeout(m, t[1], 10ULL * 1000000000, 0, &st);
	CHECK(ret == 0, "wait 1: %s", strerror(-ret));
	/* a ticket is reported once */
	ret = micmem_wait(m, t[1], MICMEM_WAIT_NO_BLOCK, 0, NULL);
	CHECK(ret == -ENOENT, "second wait: %d", ret);

	/* 2: back into the other half of the pool, one batch over both */
	memset(pool + 4 * MIB, 0, 4 * MIB);
	micmem_xfer_init(&x[0], 4 * MIB, CARD_ADDR, 2 * MIB,
			 MICMEM_DIR_FROM_CARD, MICMEM_CHAN_AUTO);
	micmem_xfer_init(&x[1], 6 * MIB, CARD_ADDR + 2 * MIB, 2 * MIB,
			 MICMEM_DIR_FROM_CARD, MICMEM_CHAN_AUTO);
	ret = micmem_submit(m, card, x, 2, 0, &t[0], NULL);
	CHECK(ret == 0, "submit both: %s", strerror(-ret));
	/* poll() says when, MICMEM_WAIT_ANY collects it */
	pfd.fd = micmem_fd(m);
	pfd.events = POLLIN;
	CHECK(poll(&pfd, 1, 10000) == 1 && (pfd.revents & POLLIN), "poll");
	ret = micmem_wait(m, 0, MICMEM_WAIT_NO_BLOCK, MICMEM_WAIT_ANY, &st);
	CHECK(ret == 0 && st.ticket == t[0], "wait any: %s, ticket %" PRIu64,
	      strerror(-ret), st.ticket);
	d = first_diff(want, pool + 4 * MIB, 4 * MIB);
	CHECK(d == 4 * MIB, "round trip differs at byte %" PRIu64, d);
	printf("4 MiB to the card on channels 0 and 1 and back: equal\n");

	/* 3: the synchronous copies, a small odd size */
	fill(pool, 64 * 3, 7);
	memcpy(want, pool, 64 * 3);
	ret = micmem_copy_to_card(m, card, CARD_ADDR + 64, 0, 64 * 3,
				  MICMEM_CHAN_1, &st);
	CHECK(ret == 0, "copy_to_card: %s", strerror(-ret));
	memset(pool + MIB, 0xee, 64 * 3);
	ret = micmem_copy_from_card(m, card, MIB, CARD_ADDR + 64, 64 * 3,
				    MICMEM_CHAN_0, &st);
	CHECK(ret == 0, "copy_from_card: %s", strerror(-ret));
	CHECK(!memcmp(pool + MIB, want, 64 * 3), "copies differ");
	printf("192 bytes by micmem_copy_to_card/from_card: equal\n");

	/* misuse gets the documented errno */
	micmem_xfer_init(&x[0], 0, CARD_ADDR + 1, 64, MICMEM_DIR_TO_CARD,
			 MICMEM_CHAN_0);
	ret = micmem_submit(m, card, x, 1, 0, &t[0], NULL);
	CHECK(ret == -EINVAL, "unaligned submit: %d", ret);
	micmem_xfer_init(&x[0], 0, ci.dma_window, 64, MICMEM_DIR_TO_CARD,
			 MICMEM_CHAN_0);
	ret = micmem_submit(m, card, x, 1, 0, &t[0], NULL);
	CHECK(ret == -ERANGE, "submit outside the window: %d", ret);

	CHECK(micmem_chan_stats(card, 0, &s0b) == 0 &&
	      micmem_chan_stats(card, 1, &s1b) == 0, "chan_stats");
	CHECK(s0b.bytes - s0a.bytes >= 2 * MIB + 192 &&
	      s1b.bytes - s1a.bytes >= 2 * MIB + 192,
	      "channel bytes: %" PRIu64 " and %" PRIu64,
	      s0b.bytes - s0a.bytes, s1b.bytes - s1a.bytes);
	printf("channel 0 moved %" PRIu64 " bytes, channel 1 %" PRIu64 "\n",
	       s0b.bytes - s0a.bytes, s1b.bytes - s1a.bytes);
	ret = micmem_detach(m, card);
	CHECK(ret == 0, "detach: %s", strerror(-ret));
out:
	free(want);
	micmem_close(m);
	printf("%s\n", failed ? "FAILED" : "all good");
	return failed;
}
