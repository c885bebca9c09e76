/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma_util.h - helpers shared by the VM tests that move data or change
 * card states (the dma*.c and card*.c tests, lib.c, tools.c, demo_dma.c).
 * The ioctl wrappers return what ioctl() returned (errno set) so callers
 * can assert exact errnos.
 *
 * The VM runner creates the sim cards "card0", "card1", ...; their card
 * numbers (micN) come from configfs.
 */
#ifndef MICMEM_DMA_UTIL_H
#define MICMEM_DMA_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/micmem.h>

#include "micsim.h"
#include "pool_util.h"

#define KIB		1024ULL

/* A file with a mapped pool. */
struct dma_fd {
	int fd;
	uint8_t *pool;
	uint64_t size;
};

/* Open /dev/mic/ctrl, create and map a pool of @size; 0 or -1. */
static inline int dma_fd_open(struct dma_fd *d, uint64_t size)
{
	d->fd = pool_open(size);
	if (d->fd < 0)
		return -1;
	d->pool = pool_map(d->fd, size, 0);
	if (d->pool == MAP_FAILED) {
		close(d->fd);
		return -1;
	}
	d->size = size;
	return 0;
}

static inline void dma_fd_close(struct dma_fd *d)
{
	munmap(d->pool, d->size);
	close(d->fd);
}

/* N of micN of sim card @name ("card0"), or -1. */
static inline int sim_card_nr(const char *name)
{
	char path[320], buf[32];

	snprintf(path, sizeof(path), MICSIM_CONFIGFS "/%s/card", name);
	if (micsim_read(path, buf, sizeof(buf)))
		return -1;
	return atoi(buf);
}

static inline int dma_attach(int fd, uint32_t card)
{
	struct micmem_attach a;

	memset(&a, 0, sizeof(a));
	a.card = card;
	return ioctl(fd, MICMEM_IOC_ATTACH, &a);
}

static inline int dma_detach(int fd, uint32_t card)
{
	struct micmem_attach a;

	memset(&a, 0, sizeof(a));
	a.card = card;
	return ioctl(fd, MICMEM_IOC_DETACH, &a);
}

static inline struct micmem_xfer dma_xfer(uint64_t off, uint64_t card_addr,
					  uint64_t len, int dir, int chan)
{
	struct micmem_xfer x;

	memset(&x, 0, sizeof(x));
	x.pool_offset = off;
	x.card_addr = card_addr;
	x.length = len;
	x.dir = dir;
	x.channel = chan;
	return x;
}

/* Submit @n transfers; the ticket goes to *@ticket. */
static inline int dma_submit(int fd, uint32_t card,
			     const struct micmem_xfer *x, uint32_t n,
			     uint32_t flags, uint64_t *ticket)
{
	struct micmem_submit s;
	int ret;

	memset(&s, 0, sizeof(s));
	s.card = card;
	s.flags = flags;
	s.count = n;
	s.xfers = (uintptr_t)x;
	ret = ioctl(fd, MICMEM_IOC_SUBMIT, &s);
	if (ticket)
		*ticket = s.ticket;
	return ret;
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline long long now_ms(void)
{
	return now_ns() / 1000000;
}

/*
 * Wait for @ticket until the absolute @deadline; result in *@w.  Returns
 * 0 when the batch succeeded and -1 with errno otherwise, as libmicmem's
 * micmem_wait() does: the call's own errno, or the batch's error (the
 * ioctl returned 0 and handed the batch back, w->error holds it).  Tests
 * of the ioctl's own return value call ioctl() directly.
 */
static inline int dma_wait(int fd, uint64_t ticket, uint64_t deadline,
			   struct micmem_wait *w)
{
	memset(w, 0, sizeof(*w));
	w->ticket = ticket;
	w->deadline_ns = deadline;
	if (ioctl(fd, MICMEM_IOC_WAIT, w))
		return -1;
	if (w->error) {
		errno = -w->error;
		return -1;
	}
	return 0;
}

/* Wait for @ticket up to @ms from now; result in *@w. */
static inline int dma_wait_ms(int fd, uint64_t ticket, int ms,
			      struct micmem_wait *w)
{
	return dma_wait(fd, ticket, now_ns() + ms * 1000000ULL, w);
}

/* Submit and wait (forever) for one batch; 0 or -1 with errno. */
static inline int dma_run(int fd, uint32_t card, const struct micmem_xfer *x,
			  uint32_t n)
{
	struct micmem_wait w;
	uint64_t t;

	if (dma_submit(fd, card, x, n, 0, &t) < 0)
		return -1;
	return dma_wait(fd, t, MICMEM_WAIT_FOREVER, &w);
}

/* Integer from a printf-formatted path; -1 on error. */
static inline long long read_llf(const char *fmt, ...)
{
	char path[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return read_ll(path);
}

/* Driver statistics of channel @ch of micN (sysfs). */
static inline long long chan_stat(int card, int ch, const char *what)
{
	return read_llf("/sys/class/mic/mic%d/dma%d/%s", card, ch, what);
}

/* Write module parameter @name of micmem; 0 or -errno. */
static inline int param_set(const char *name, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	return micsim_write(path, value);
}

/* Write @cmd ("reset", ...) to /sys/class/mic/micN/state; 0 or -errno. */
static inline int card_state_cmd(int card, const char *cmd)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/class/mic/mic%d/state", card);
	return micsim_write(path, cmd);
}

/*
 * Wait up to @ms for micN's state to read @state; 0, or -ETIMEDOUT with
 * the state last seen on stderr.
 */
static inline int card_state_wait(int card, const char *state, int ms)
{
	long long end = now_ms() + ms;
	char path[64], buf[64] = "";

	snprintf(path, sizeof(path), "/sys/class/mic/mic%d/state", card);
	for (;;) {
		if (!micsim_read(path, buf, sizeof(buf)) && !strcmp(buf, state))
			return 0;
		if (now_ms() > end)
			break;
		usleep(5000);
	}
	fprintf(stderr, "mic%d: still \"%s\" after %d ms, wanted \"%s\"\n",
		card, buf, ms, state);
	return -ETIMEDOUT;
}

/* Deterministic pattern: each 64-bit word depends on @seed and its index. */
static inline uint64_t pattern_word(uint64_t seed, uint64_t i)
{
	return (seed << 40) ^ (i * 0x9e3779b97f4a7c15ULL) ^ seed;
}

static inline void fill_pattern(void *buf, uint64_t len, uint64_t seed)
{
	uint64_t *p = buf, i;

	for (i = 0; i < len / 8; i++)
		p[i] = pattern_word(seed, i);
}

/* Byte offset of the first 64-bit word that differs from it; -1 if none. */
static inline long long check_pattern(const void *buf, uint64_t len,
				      uint64_t seed)
{
	const uint64_t *p = buf;
	uint64_t i;

	for (i = 0; i < len / 8; i++)
		if (p[i] != pattern_word(seed, i))
			return i * 8;
	return -1;
}

#endif /* MICMEM_DMA_UTIL_H */
