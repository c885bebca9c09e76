/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the card-management VM tests: /sys/class/mic/micN
 * attributes, waiting for states, the driver's module parameters, the
 * simulated card's knobs, and one DMA round trip.
 *
 * The cards vm-run creates are named card0, card1, ... and are mic0,
 * mic1, ... in that order.
 */
#ifndef MICMEM_TESTS_CARD_UTIL_H
#define MICMEM_TESTS_CARD_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/micmem.h>

#include "micsim.h"
#include "tap.h"

#define CARD_IMAGE	"/bin/micmem-test.elf"
#define PARAMS		"/sys/module/micmem/parameters/"

static inline long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

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

/* Write @cmd to micN's state attribute; 0 or -errno of the write. */
static inline int card_cmd(int n, const char *cmd)
{
	char path[96];

	card_path(n, "state", path, sizeof(path));
	return micsim_write(path, cmd);
}

/* Wait up to @ms for micN to be in @state; 0 or -ETIMEDOUT. */
static inline int card_wait(int n, const char *state, int ms)
{
	long long end = now_ms() + ms;
	char buf[64];

	for (;;) {
		if (!card_read(n, "state", buf, sizeof(buf)) &&
		    !strcmp(buf, state))
			return 0;
		if (now_ms() > end)
			break;
		usleep(5000);
	}
	TH_LOG("mic%d: still \"%s\" after %d ms, wanted \"%s\"", n, buf, ms,
	       state);
	return -ETIMEDOUT;
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
	char path[128], v[32];
	int ret;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	snprintf(v, sizeof(v), "%lld", val);
	ret = micsim_write(path, v);
	if (ret)
		TAP_FAIL_(1, "%s: %s", path, strerror(-ret));
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
	int ret = micsim_knob_set(sim_name(n), k, v);

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
	ASSERT_EQ(card_cmd(n, "reset:force"), 0);
	ASSERT_EQ(card_wait(n, "ready", 5000), 0);
}

static inline void card_boot(int n, const char *image)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "boot:elf:%s", image);
	ASSERT_EQ(card_cmd(n, cmd), 0);
}

/* ---- DMA through /dev/mic/ctrl ---- */

#define DMA_CARD_ADDR	0x10000000ULL	/* 256 MiB into card memory */

struct dma_fd {
	int fd;
	unsigned char *pool;
	size_t size;
};

static inline int dma_available(void)
{
	struct micmem_query q;
	int fd = open("/dev/" MICMEM_CTRL_NODE, O_RDWR | O_CLOEXEC);
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
	struct micmem_pool_create pc;

	d->fd = open("/dev/" MICMEM_CTRL_NODE, O_RDWR | O_CLOEXEC);
	ASSERT_OK(d->fd);
	memset(&pc, 0, sizeof(pc));
	pc.size = MICMEM_CHUNK_SIZE;
	ASSERT_OK(ioctl(d->fd, MICMEM_IOC_POOL_CREATE, &pc));
	d->size = pc.size;
	d->pool = mmap(NULL, d->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       d->fd, pc.mmap_offset);
	ASSERT_TRUE(d->pool != MAP_FAILED);
}

static inline int dma_attach(struct dma_fd *d, int card)
{
	struct micmem_attach a;

	memset(&a, 0, sizeof(a));
	a.card = card;
	return ioctl(d->fd, MICMEM_IOC_ATTACH, &a);
}

/* Submit one transfer; the ticket, or -1 with errno. */
static inline long long dma_submit(struct dma_fd *d, int card, int dir,
				   size_t off, size_t len)
{
	struct micmem_submit s;
	struct micmem_xfer x;

	memset(&x, 0, sizeof(x));
	x.pool_offset = off;
	x.card_addr = DMA_CARD_ADDR + off;
	x.length = len;
	x.dir = dir;
	x.channel = MICMEM_CHAN_AUTO;
	memset(&s, 0, sizeof(s));
	s.card = card;
	s.count = 1;
	s.xfers = (unsigned long)&x;
	if (ioctl(d->fd, MICMEM_IOC_SUBMIT, &s))
		return -1;
	return s.ticket;
}

/* Wait for @ticket up to @ms; 0, or -1 with errno; @w gets the details. */
static inline int dma_wait(struct dma_fd *d, long long ticket, int ms,
			   struct micmem_wait *w)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	memset(w, 0, sizeof(*w));
	w->ticket = ticket;
	w->deadline_ns = (ts.tv_sec + ms / 1000) * 1000000000ULL +
			 ts.tv_nsec + (ms % 1000) * 1000000ULL;
	return ioctl(d->fd, MICMEM_IOC_WAIT, w);
}

/* Pool -> card -> pool of the whole pool, compared byte for byte. */
static inline void dma_roundtrip(struct dma_fd *d, int card, unsigned int seed)
{
	struct micmem_wait w;
	long long t;
	size_t i;

	for (i = 0; i < d->size; i++)
		d->pool[i] = (unsigned char)(i * 7 + seed);
	t = dma_submit(d, card, MICMEM_DIR_TO_CARD, 0, d->size);
	ASSERT_GT(t, 0);
	ASSERT_EQ(dma_wait(d, t, 5000, &w), 0);
	memset(d->pool, 0, d->size);
	t = dma_submit(d, card, MICMEM_DIR_FROM_CARD, 0, d->size);
	ASSERT_GT(t, 0);
	ASSERT_EQ(dma_wait(d, t, 5000, &w), 0);
	for (i = 0; i < d->size; i++)
		if (d->pool[i] != (unsigned char)(i * 7 + seed))
			TAP_FAIL_(1, "mic%d: byte %zu differs after the round trip",
				  card, i);
}

#endif /* MICMEM_TESTS_CARD_UTIL_H */
