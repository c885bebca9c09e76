/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the card-management VM tests (card.c, card_dma.c,
 * micctl.c), on top of dma_util.h: /sys/class/mic/micN attributes that
 * must be readable, module parameters and sim knobs that must be settable
 * (these end the case otherwise; the value found is restored when the
 * case ends, tap.h "Teardown"), bringing cards to a state, and one DMA
 * round trip.
 *
 * The cards vm-run creates are named card0, card1, ... and are mic0,
 * mic1, ... in that order.
 */
#ifndef MICMEM_TESTS_CARD_UTIL_H
#define MICMEM_TESTS_CARD_UTIL_H

#include "tap.h"
#include "dma_util.h"

/* firmware name: the VM runner puts the image into /lib/firmware */
#define CARD_IMAGE	"micmem-test.elf"
#define FIRMWARE_DIR	"/lib/firmware"

static inline void card_path(int n, const char *attr, char *buf, size_t len)
{
	snprintf(buf, len, "/sys/class/mic/mic%d/%s", n, attr);
}

/* Attribute @attr of micN; 0 or -errno (e.g. -ENXIO from post_code). */
static inline int card_read(int n, const char *attr, char *buf, size_t len)
{
	char path[96];

	card_path(n, attr, path, sizeof(path));
	return micsim_read(path, buf, len);
}

/* Attribute @attr of micN; the case fails if it cannot be read. */
static inline const char *card_attr(int n, const char *attr)
{
	static char buf[4][256];
	static int i;
	char *b = buf[i++ % 4];
	int ret = card_read(n, attr, b, sizeof(buf[0]));

	if (ret)
		TAP_FAIL_(1, "mic%d/%s: %s", n, attr, strerror(-ret));
	return b;
}

static inline long long card_attr_ll(int n, const char *attr)
{
	return strtoll(card_attr(n, attr), NULL, 0);
}

/* micN is in one of the two states (for checks racing a fast sim). */
static inline int card_in(int n, const char *a, const char *b)
{
	const char *s = card_attr(n, "state");

	if (!strcmp(s, a) || !strcmp(s, b))
		return 1;
	TH_LOG("mic%d is \"%s\", wanted \"%s\" or \"%s\"", n, s, a, b);
	return 0;
}

static inline void set_param(const char *name, long long val)
{
	char v[32], path[128];
	int ret;

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	tap_defer_restore_file(path);
	snprintf(v, sizeof(v), "%lld", val);
	ret = param_set(name, v);
	if (ret)
		TAP_FAIL_(1, "parameter %s: %s", name, strerror(-ret));
}

/*
 * Short delays for the sim (its reset takes reset_ms = 200 by default):
 * every case starts from these.
 */
static inline void fast_params(void)
{
	set_param("reset_settle_ms", 20);
	set_param("reset_poll_ms", 10);
	set_param("reset_timeout_ms", 5000);
	set_param("reset_retries", 2);
	set_param("boot_poll_ms", 10);
	set_param("boot_timeout_ms", 5000);
	set_param("health_ms", 50);
}

static inline const char *sim_name(int n)
{
	static char buf[4][16];
	static int i;
	char *b = buf[i++ % 4];

	snprintf(b, sizeof(buf[0]), "card%d", n);
	return b;
}

static inline long long knob(int n, const char *k)
{
	long long v = micsim_knob_get(sim_name(n), k);

	if (v < 0)
		TAP_FAIL_(1, "knob %s/%s: %s", sim_name(n), k, strerror(-v));
	return v;
}

static inline void set_knob(int n, const char *k, const char *v)
{
	int ret;

	micsim_defer_knob(sim_name(n), k);
	ret = micsim_knob_set(sim_name(n), k, v);
	if (ret)
		TAP_FAIL_(1, "knob %s/%s = %s: %s", sim_name(n), k, v,
			  strerror(-ret));
}

static inline void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ASSERT_OK(fd);
	ASSERT_EQ(write(fd, data, len), (long long)len);
	close(fd);
}

/* Bring micN to ready from whatever state it is in. */
static inline void card_to_ready(int n)
{
	char state[64];

	ASSERT_OK(card_read(n, "state", state, sizeof(state)));
	if (!strcmp(state, "ready"))
		return;
	ASSERT_EQ(card_state_cmd(n, "reset:force"), 0);
	ASSERT_EQ(card_state_wait(n, "ready", 5000), 0);
}

static inline void card_boot(int n, const char *image)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "boot:elf:%s", image);
	ASSERT_EQ(card_state_cmd(n, cmd), 0);
}

/* ---- DMA through /dev/mic/ctrl ---- */

#define DMA_CARD_ADDR	0x10000000ULL	/* 256 MiB into card memory */

static inline int dma_available(void)
{
	struct micmem_query q;
	int fd = ctrl_open();
	int ok;

	if (fd < 0)
		return 0;
	memset(&q, 0, sizeof(q));
	ok = !ioctl(fd, MICMEM_IOC_QUERY, &q) &&
	     (q.features & MICMEM_FEAT_DMA) && (q.features & MICMEM_FEAT_POOL);
	close(fd);
	return ok;
}

/* An fd with a 2 MiB pool mapped. */
static inline void dma_open(struct dma_fd *d)
{
	ASSERT_OK(dma_fd_open(d, CHUNK));
}

/*
 * One fd with a 2 MiB pool attached to mic0 and mic1, to check transfers
 * across card-state changes; 1, or 0 (logged) when the driver offers no
 * DMA and transfers cannot be checked.
 */
static inline int dma_open_both_cards(struct dma_fd *d)
{
	if (!dma_available()) {
		TH_LOG("driver offers no DMA yet: transfers not checked");
		return 0;
	}
	dma_open(d);
	ASSERT_OK(dma_attach(d->fd, 0));
	ASSERT_OK(dma_attach(d->fd, 1));
	return 1;
}

/*
 * Submit one "auto" transfer between pool offset @off and card address
 * DMA_CARD_ADDR + @off; the ticket, or -1 with errno.
 */
static inline long long dma_submit_auto(struct dma_fd *d, int card, int dir,
					uint64_t off, uint64_t len)
{
	struct micmem_xfer x = dma_xfer(off, DMA_CARD_ADDR + off, len, dir,
					MICMEM_CHAN_AUTO);
	uint64_t t;

	if (dma_submit(d->fd, card, &x, 1, 0, &t))
		return -1;
	return t;
}

/* Pool -> card -> pool of the whole pool, compared word for word. */
static inline void dma_roundtrip(struct dma_fd *d, int card, unsigned int seed)
{
	struct micmem_wait w;
	long long t, bad;

	fill_pattern(d->pool, d->size, seed);
	t = dma_submit_auto(d, card, MICMEM_DIR_TO_CARD, 0, d->size);
	ASSERT_GT(t, 0);
	ASSERT_EQ(dma_wait_ms(d->fd, t, 5000, &w), 0);
	memset(d->pool, 0, d->size);
	t = dma_submit_auto(d, card, MICMEM_DIR_FROM_CARD, 0, d->size);
	ASSERT_GT(t, 0);
	ASSERT_EQ(dma_wait_ms(d->fd, t, 5000, &w), 0);
	bad = check_pattern(d->pool, d->size, seed);
	if (bad >= 0)
		TAP_FAIL_(1, "mic%d: byte %lld differs after the round trip",
			  card, bad);
}

#endif /* MICMEM_TESTS_CARD_UTIL_H */
