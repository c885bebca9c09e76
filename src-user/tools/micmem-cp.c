// SPDX-License-Identifier: GPL-2.0
/*
 * micmem-cp: copy a file to card memory or card memory to a file.
 *
 *   micmem-cp [options] FILE micN:ADDR[:LEN]     file -> card
 *   micmem-cp [options] micN:ADDR:LEN FILE       card -> file
 *
 * The data is streamed through a pool (micmem_pool_create()) cut into
 * slots of one batch each: while one slot is read from (or written to)
 * the file, the batches of the other slots are on the wire, alternating
 * between DMA channels 0 and 1.  micmem-cp(1) is the manual.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libmicmem.h>

#include "tool_util.h"

/* EXIT_OK, _FAILED, _USAGE, _NOCARD: tool_util.h */
#define EXIT_DIFFERS	3	/* --verify: the card does not hold the file */
#define EXIT_NOTREADY	5	/* the card is not ready or online */

#define DEFAULT_POOL	(4ULL << 20)
#define DEFAULT_BATCH	(512ULL << 10)
#define IO_ALIGN	4096	/* O_DIRECT: offsets, lengths, buffers */
#define MAX_SLOTS	1024

static const char *const chan_names[] = { "0", "1", "auto", "both" };
#define CHAN_BOTH	3	/* alternate 0 and 1 from batch to batch */

struct opts {
	bool verify, json, dry_run, quiet, direct;
	uint64_t pool, batch;
	unsigned int channel;	/* MICMEM_CHAN_0, _1, _AUTO or CHAN_BOTH */
};

/* The copy. */
struct cp {
	struct opts o;
	bool to_card;
	const char *file;
	const char *spec;	/* micN:ADDR[:LEN] as given */
	uint32_t card;
	uint64_t addr, len;	/* card address, bytes of the file */
	uint64_t dma_len;	/* len rounded up to MICMEM_DMA_ALIGN */
	uint64_t window;

	struct micmem *m;
	unsigned char *pool;
	unsigned int nslots;
	int fd;			/* the file */
	bool direct;		/* fd has O_DIRECT (still) */
	bool opened_direct;	/* it was opened with O_DIRECT */
	uint64_t direct_bytes;	/* file bytes moved with O_DIRECT */

	/* statistics */
	uint64_t batches, max_in_flight, done;	/* batches: copy only in JSON */
	uint64_t t0, t_last;
	const char *phase;
	bool progress;
};

struct slot {
	bool busy;
	uint64_t ticket;
	uint64_t off;		/* bytes into the copy */
	uint64_t n;		/* bytes of the file in this slot */
};

static struct slot slots[MAX_SLOTS];

/* A progress bar is on the terminal's current line. */
static bool bar_open;

/* tool_err() on a line of its own. */
#define cp_err(...) do {						\
	if (bar_open) {							\
		fputc('\n', stderr);					\
		bar_open = false;					\
	}								\
	tool_err(__VA_ARGS__);						\
} while (0)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options] FILE micN:ADDR[:LEN]   copy FILE (or its first LEN bytes) to the card\n"
		"       %s [options] micN:ADDR:LEN FILE     copy LEN bytes of card memory to FILE\n"
		"ADDR, LEN: bytes, e.g. 4096, 0x100000, 64K, 2M, 1G; ADDR a multiple of 64\n"
		"options:\n"
		"  -n, --dry-run        check the card, the window and the file; print the plan\n"
		"      --verify         read the card back and compare with the file\n"
		"      --json           print a JSON summary on stdout\n"
		"  -p, --pool SIZE      pool size, a multiple of 2 MiB (default 4M)\n"
		"  -b, --batch SIZE     bytes per batch, a multiple of 4 KiB (default 512K)\n"
		"  -c, --channel CH     0, 1, auto, or both (default: batches alternate 0 and 1)\n"
		"      --no-direct      no O_DIRECT, buffered file I/O only\n"
		"  -q, --quiet          no progress bar\n"
		"  -h, --help           this text\n"
		"exit status: 0 ok, 1 failed, 2 bad argument, 3 verify found a difference,\n"
		"             4 no such card, 5 card not ready\n",
		program_invocation_short_name, program_invocation_short_name);
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* ------------------------------------------------------------------ */
/* Arguments                                                           */

/* Does @s look like micN:...? */
static bool is_card_spec(const char *s)
{
	return !strncmp(s, "mic", 3) && strchr(s, ':');
}

/* micN:ADDR[:LEN]; EXIT_OK or EXIT_USAGE (reported). */
static int parse_spec(struct cp *cp, bool *has_len)
{
	char *dup = strdup(cp->spec), *addr, *len;
	int ret = EXIT_USAGE;

	if (!dup) {
		cp_err("out of memory");
		return EXIT_FAILED;
	}
	addr = strchr(dup, ':');
	*addr++ = '\0';
	len = strchr(addr, ':');
	if (len)
		*len++ = '\0';
	*has_len = len != NULL;
	if (tool_parse_card(dup, &cp->card)) {
		cp_err("%s: not a card: %s (micN)", cp->spec, dup);
	} else if (!*addr || tool_parse_size(addr, &cp->addr)) {
		cp_err("%s: bad address '%s' (e.g. 0x100000 or 64M)",
			 cp->spec, addr);
	} else if (len && tool_parse_size(len, &cp->len)) {
		cp_err("%s: bad length '%s' (e.g. 4096 or 2M)", cp->spec,
			 len);
	} else if (cp->addr % MICMEM_DMA_ALIGN) {
		cp_err("%s: address 0x%" PRIx64 " is not a multiple of %d bytes",
			 cp->spec, cp->addr, MICMEM_DMA_ALIGN);
	} else {
		ret = EXIT_OK;
	}
	free(dup);
	return ret;
}

/* The card exists, DMA is possible, the range is in its window. */
static int check_card(struct cp *cp)
{
	struct micmem_card_info ci;
	char b[32];
	int ret, st;

	ret = micmem_card_info(cp->card, &ci);
	if (ret == -ENODEV || ret == -ENOENT) {
		cp_err("no card mic%" PRIu32, cp->card);
		return EXIT_NOCARD;
	}
	if (ret) {
		cp_err("mic%" PRIu32 ": %s", cp->card, strerror(-ret));
		return EXIT_FAILED;
	}
	st = micmem_card_state_parse(ci.state);
	if (st != MICMEM_CARD_READY && st != MICMEM_CARD_ONLINE) {
		cp_err("mic%" PRIu32 ": card is in state \"%s\": no DMA until it is ready or online",
			 cp->card, ci.state);
		return EXIT_NOTREADY;
	}
	cp->window = ci.dma_window;
	if (cp->window && (cp->addr > cp->window ||
			   cp->dma_len > cp->window - cp->addr)) {
		cp_err("%s: %" PRIu64 " bytes at 0x%" PRIx64
			 " are outside the card's DMA window (0x0 to 0x%" PRIx64 ", %s)",
			 cp->spec, cp->dma_len, cp->addr, cp->window,
			 tool_fmt_bytes(cp->window, b, sizeof(b)));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* File I/O: O_DIRECT where the filesystem takes it, buffered otherwise */

static int open_file(struct cp *cp, const char *path, int flags)
{
	int fd = -1;

	if (cp->o.direct) {
		fd = open(path, flags | O_DIRECT | O_CLOEXEC, 0666);
		if (fd >= 0) {
			cp->direct = cp->opened_direct = true;
			return fd;
		}
		if (errno != EINVAL)	/* EINVAL: no O_DIRECT here */
			return -1;
	}
	cp->direct = false;
	return open(path, flags | O_CLOEXEC, 0666);
}

/*
 * Did the kernel refuse this O_DIRECT access as such: EINVAL (alignment
 * or no direct I/O here), EFAULT (memory it cannot pin for I/O)?  Pool
 * memory pins like any other on the kernels micmem supports (doc/pool.md):
 * this fallback is for file systems and drivers that refuse O_DIRECT.
 */
static bool refused_direct(const struct cp *cp)
{
	return cp->direct && (errno == EINVAL || errno == EFAULT);
}

/* Go on without O_DIRECT (the kernel refused it for this access). */
static int drop_direct(struct cp *cp)
{
	int fl = fcntl(cp->fd, F_GETFL);

	cp->direct = false;
	if (fl < 0 || fcntl(cp->fd, F_SETFL, fl & ~O_DIRECT) < 0)
		return -1;
	return 0;
}

/*
 * After a pread() or pwrite() that returned @r: 1 to try again (EINTR, or
 * O_DIRECT refused and dropped), -1 on an error (errno set), 0 when @r
 * bytes (0: end of file or device) moved.
 */
static int io_again(struct cp *cp, ssize_t r)
{
	if (r >= 0)
		return 0;
	if (refused_direct(cp))
		return drop_direct(cp) ? -1 : 1;
	return errno == EINTR ? 1 : -1;
}

/*
 * Read @n bytes at @off into @buf (room for round_up(@n, IO_ALIGN)).
 * Returns 0, or -1 with errno (0: the file ended early).
 */
static int file_read(struct cp *cp, void *buf, uint64_t n, uint64_t off)
{
	uint64_t got = 0;
	ssize_t r;
	int again;

	while (got < n) {
		bool direct = cp->direct && !(got % IO_ALIGN);
		size_t want = direct ? round_up(n - got, IO_ALIGN) : n - got;

		if (cp->direct && !direct && drop_direct(cp))
			return -1;
		r = pread(cp->fd, (char *)buf + got, want, (off_t)(off + got));
		again = io_again(cp, r);
		if (again < 0)
			return -1;
		if (again)
			continue;
		if (!r) {
			errno = 0;
			return -1;
		}
		if (direct)
			cp->direct_bytes += (uint64_t)r < n - got ? (uint64_t)r :
								    n - got;
		got += (uint64_t)r;
	}
	return 0;
}

/* Write @n bytes of @buf at @off; 0 or -1 with errno, *@at where. */
static int file_write(struct cp *cp, const void *buf, uint64_t n,
		      uint64_t off, uint64_t *at)
{
	uint64_t put = 0;
	ssize_t r;
	int again;

	/* a piece that is not whole blocks goes through the page cache */
	if (cp->direct && n % IO_ALIGN && drop_direct(cp))
		return -1;
	while (put < n) {
		*at = off + put;
		r = pwrite(cp->fd, (const char *)buf + put, n - put,
			   (off_t)(off + put));
		again = io_again(cp, r);
		if (again < 0)
			return -1;
		if (again)
			continue;
		if (!r) {
			errno = ENOSPC;
			return -1;
		}
		if (cp->direct)
			cp->direct_bytes += (uint64_t)r;
		put += (uint64_t)r;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Progress                                                            */

static void fmt_time(double s, char *buf, size_t len)
{
	unsigned long t = s < 0 ? 0 : (unsigned long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60,
			 t % 60);
	else
		snprintf(buf, len, "%lu:%02lu", t / 60, t % 60);
}

/* The bar on stderr, at most 5 times a second; @last: the final one. */
static void progress(struct cp *cp, bool last)
{
	uint64_t now = micmem_now_ns();
	double secs = (now - cp->t0) / 1e9, rate;
	char b1[32], b2[32], b3[32], eta[32], bar[21];
	unsigned int pct, i;

	if (!cp->progress || (!last && now - cp->t_last < 200000000ULL))
		return;
	cp->t_last = now;
	pct = cp->len ? (unsigned int)(cp->done * 100 / cp->len) : 100;
	for (i = 0; i < 20; i++)
		bar[i] = i < pct / 5 ? '#' : ' ';
	bar[20] = '\0';
	rate = secs > 0 ? cp->done / secs : 0;
	if (rate > 0)
		fmt_time((cp->len - cp->done) / rate, eta, sizeof(eta));
	else
		snprintf(eta, sizeof(eta), "--:--");
	fprintf(stderr, "\r%-6s %3u%% [%s] %s / %s  %s/s  ETA %s ", cp->phase,
		pct, bar, tool_fmt_bytes(cp->done, b1, sizeof(b1)),
		tool_fmt_bytes(cp->len, b2, sizeof(b2)),
		tool_fmt_bytes((uint64_t)rate, b3, sizeof(b3)), eta);
	bar_open = !last;
	if (last)
		fputc('\n', stderr);
	fflush(stderr);
}

/* ------------------------------------------------------------------ */
/* DMA                                                                 */

static unsigned int channel_of(const struct cp *cp, uint64_t batch)
{
	return cp->o.channel == CHAN_BOTH ? (unsigned int)(batch & 1) :
					    cp->o.channel;
}

static uint64_t in_flight(const struct cp *cp)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < cp->nslots; i++)
		n += slots[i].busy;
	return n;
}

/* Queue slot @i: @n bytes of the copy at @off, in direction @dir. */
static int submit_slot(struct cp *cp, unsigned int i, uint64_t off,
		       uint64_t n, unsigned int dir)
{
	struct micmem_xfer x;
	uint64_t ticket;
	int ret;

	micmem_xfer_init(&x, (uint64_t)i * cp->o.batch, cp->addr + off,
			 round_up(n, MICMEM_DMA_ALIGN), dir,
			 channel_of(cp, cp->batches));
	ret = micmem_submit(cp->m, cp->card, &x, 1, 0, &ticket, NULL);
	if (ret) {
		cp_err("mic%" PRIu32 ": submitting %" PRIu64 " bytes at 0x%"
			 PRIx64 " failed: %s", cp->card, (uint64_t)x.length,
			 (uint64_t)x.card_addr,
			 strerror(-ret));
		return EXIT_FAILED;
	}
	slots[i] = (struct slot){ .busy = true, .ticket = ticket, .off = off,
				  .n = n };
	cp->batches++;
	if (in_flight(cp) > cp->max_in_flight)
		cp->max_in_flight = in_flight(cp);
	return EXIT_OK;
}

/* Wait for slot @i's batch. */
static int wait_slot(struct cp *cp, unsigned int i)
{
	struct micmem_status st;
	int ret;

	if (!slots[i].busy)
		return EXIT_OK;
	do {
		ret = micmem_wait(cp->m, slots[i].ticket, MICMEM_WAIT_FOREVER,
				  0, &st);
	} while (ret == -EINTR);
	slots[i].busy = false;
	if (ret) {
		cp_err("mic%" PRIu32 ": DMA of %" PRIu64 " bytes at 0x%" PRIx64
			 " failed: %s (%s)", cp->card,
			 round_up(slots[i].n, MICMEM_DMA_ALIGN),
			 cp->addr + slots[i].off, strerror(-ret),
			 micmem_error_class_name(st.error_class));
		return EXIT_FAILED;
	}
	cp->done += slots[i].n;
	progress(cp, false);
	return EXIT_OK;
}

static int wait_all(struct cp *cp, unsigned int first)
{
	unsigned int k;
	int ret = EXIT_OK, r;

	for (k = 0; k < cp->nslots; k++) {
		r = wait_slot(cp, (first + k) % cp->nslots);
		if (r && !ret)
			ret = r;
	}
	return ret;
}

static void start_phase(struct cp *cp, const char *phase)
{
	cp->phase = phase;
	cp->done = 0;
	cp->t0 = micmem_now_ns();
	cp->t_last = 0;
}

/*
 * File -> card.  @keep: the card's bytes after the file's end up to the
 * next multiple of 64, which the last batch writes back unchanged.
 */
static int copy_to_card(struct cp *cp, const unsigned char *keep)
{
	uint64_t off, n;
	unsigned int i = 0;
	int ret;

	for (off = 0; off < cp->len; off += n, i = (i + 1) % cp->nslots) {
		unsigned char *buf = cp->pool + (uint64_t)i * cp->o.batch;

		ret = wait_slot(cp, i);
		if (ret)
			return ret;
		n = cp->len - off < cp->o.batch ? cp->len - off : cp->o.batch;
		if (file_read(cp, buf, n, off)) {
			if (errno)
				cp_err("%s: read failed at byte %" PRIu64 ": %s",
					 cp->file, off, strerror(errno));
			else
				cp_err("%s: the file ended at byte %" PRIu64
					 " while being copied (expected %" PRIu64 ")",
					 cp->file, off, cp->len);
			wait_all(cp, i);
			return EXIT_FAILED;
		}
		if (n % MICMEM_DMA_ALIGN)
			memcpy(buf + n, keep + n % MICMEM_DMA_ALIGN,
			       MICMEM_DMA_ALIGN - n % MICMEM_DMA_ALIGN);
		ret = submit_slot(cp, i, off, n, MICMEM_DIR_TO_CARD);
		if (ret) {
			wait_all(cp, i);
			return ret;
		}
	}
	return wait_all(cp, i);
}

/* What to do with a slot that came from the card. */
typedef int (*sink_fn)(struct cp *cp, const unsigned char *buf,
		       uint64_t off, uint64_t n, void *arg);

/* Card -> pool, slot by slot in order, each handed to @sink. */
static int copy_from_card(struct cp *cp, sink_fn sink, void *arg)
{
	uint64_t next = 0;
	unsigned int i, k = 0;
	int ret;

	for (i = 0; i < cp->nslots && next < cp->len; i++) {
		uint64_t n = cp->len - next < cp->o.batch ? cp->len - next :
							    cp->o.batch;

		ret = submit_slot(cp, i, next, n, MICMEM_DIR_FROM_CARD);
		if (ret) {
			wait_all(cp, 0);
			return ret;
		}
		next += n;
	}
	while (slots[k].busy) {
		struct slot s = slots[k];

		ret = wait_slot(cp, k);
		if (!ret)
			ret = sink(cp, cp->pool + (uint64_t)k * cp->o.batch,
				   s.off, s.n, arg);
		if (!ret && next < cp->len) {
			uint64_t n = cp->len - next < cp->o.batch ?
				     cp->len - next : cp->o.batch;

			ret = submit_slot(cp, k, next, n,
					  MICMEM_DIR_FROM_CARD);
			next += n;
		}
		if (ret) {
			wait_all(cp, k);
			return ret;
		}
		k = (k + 1) % cp->nslots;
	}
	return EXIT_OK;
}

static int sink_write(struct cp *cp, const unsigned char *buf, uint64_t off,
		      uint64_t n, void *arg __attribute__((unused)))
{
	uint64_t at = off;

	if (file_write(cp, buf, n, off, &at)) {
		cp_err("%s: write failed at byte %" PRIu64 ": %s", cp->file,
		       at, strerror(errno));
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/* --verify: the file's bytes, read with plain I/O, against the card's. */
static int sink_compare(struct cp *cp, const unsigned char *buf, uint64_t off,
			uint64_t n, void *arg)
{
	unsigned char *want = arg;
	uint64_t j, got = 0;
	ssize_t r;

	while (got < n) {
		r = pread(cp->fd, want + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			cp_err("%s: verify: read failed at byte %" PRIu64 ": %s",
				 cp->file, off + got,
				 r ? strerror(errno) : "the file is shorter");
			return EXIT_FAILED;
		}
		got += (uint64_t)r;
	}
	for (j = 0; j < n; j++) {
		if (want[j] != buf[j]) {
			cp_err("verify: mic%" PRIu32 ":0x%" PRIx64
				 " differs from %s at byte %" PRIu64
				 ": file 0x%02x, card 0x%02x", cp->card,
				 cp->addr + off + j, cp->file, off + j,
				 want[j], buf[j]);
			return EXIT_DIFFERS;
		}
	}
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */

static void print_json(const struct cp *cp, double secs, int verified)
{
	char dst[64];

	snprintf(dst, sizeof(dst), "mic%" PRIu32 ":0x%" PRIx64, cp->card,
		 cp->addr);
	printf("{\"direction\": \"%s\", \"file\": ",
	       cp->to_card ? "to_card" : "from_card");
	tool_json_str(stdout, cp->file);
	printf(", \"card\": %" PRIu32 ", \"card_addr\": %" PRIu64
	       ", \"bytes\": %" PRIu64 ", \"dma_bytes\": %" PRIu64
	       ", \"dry_run\": %s, \"pool_bytes\": %" PRIu64
	       ", \"batch_bytes\": %" PRIu64 ", \"slots\": %u"
	       ", \"channel\": \"%s\", \"batches\": %" PRIu64
	       ", \"max_in_flight\": %" PRIu64 ", \"io\": \"%s\""
	       ", \"direct_bytes\": %" PRIu64
	       ", \"seconds\": %.6f, \"bytes_per_second\": %.0f"
	       ", \"verified\": %s}\n",
	       cp->card, cp->addr, cp->len, cp->dma_len,
	       cp->o.dry_run ? "true" : "false", cp->o.pool, cp->o.batch,
	       cp->nslots, chan_names[cp->o.channel], cp->batches,
	       cp->max_in_flight, cp->opened_direct ? "direct" : "buffered",
	       cp->direct_bytes, secs,
	       secs > 0 ? cp->len / secs : 0,
	       verified < 0 ? "null" : verified ? "true" : "false");
}

static void print_plan(const struct cp *cp)
{
	char b1[32], b2[32], b3[32];
	uint64_t n = cp->len ? (cp->len + cp->o.batch - 1) / cp->o.batch : 0;

	printf("copy %s (%" PRIu64 " bytes) %s mic%" PRIu32 ":0x%" PRIx64 "\n",
	       cp->file, cp->len, cp->to_card ? "to" : "from", cp->card,
	       cp->addr);
	printf("card range 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64
	       " bytes) of a DMA window of %s\n", cp->addr,
	       cp->addr + cp->dma_len, cp->dma_len,
	       cp->window ? tool_fmt_bytes(cp->window, b1, sizeof(b1)) :
			    "unknown size");
	printf("%" PRIu64 " batches of up to %s through a pool of %s (%u slots), channel %s\n",
	       n, tool_fmt_bytes(cp->o.batch, b2, sizeof(b2)),
	       tool_fmt_bytes(cp->o.pool, b3, sizeof(b3)), cp->nslots,
	       chan_names[cp->o.channel]);
	if (cp->len % MICMEM_DMA_ALIGN)
		printf("the last %" PRIu64 " bytes of the card range are %s\n",
		       cp->dma_len - cp->len, cp->to_card ?
		       "read first and written back unchanged" :
		       "transferred but not written to the file");
	if (cp->o.verify)
		printf("then the card range is read back and compared\n");
}

/* Pool, attach, and the 64-byte block after the file's end. */
static int setup_dma(struct cp *cp, unsigned char *keep)
{
	struct micmem_query q;
	uint64_t tail;
	int ret;

	ret = micmem_open(&cp->m, 0);
	if (ret) {
		cp_err("cannot open /dev/%s: %s%s", MICMEM_CTRL_NODE,
			 strerror(-ret), tool_open_hint(ret));
		return EXIT_FAILED;
	}
	ret = micmem_query(cp->m, &q);
	if (!ret && cp->o.pool > q.pool_max_bytes) {
		cp_err("pool of %" PRIu64 " bytes is over the driver's limit of %"
			 PRIu64 " (pool_max_mb)", cp->o.pool, (uint64_t)q.pool_max_bytes);
		return EXIT_USAGE;
	}
	ret = micmem_pool_create(cp->m, cp->o.pool, 0, (void **)&cp->pool);
	if (ret) {
		cp_err("cannot create a pool of %" PRIu64 " bytes: %s%s",
			 cp->o.pool, strerror(-ret), tool_pool_hint(ret));
		return EXIT_FAILED;
	}
	ret = micmem_attach(cp->m, cp->card);
	if (ret) {
		cp_err("mic%" PRIu32 ": attach failed: %s", cp->card,
			 strerror(-ret));
		return ret == -EBUSY || ret == -EIO ? EXIT_NOTREADY :
		       ret == -ENODEV ? EXIT_NOCARD : EXIT_FAILED;
	}
	if (!cp->to_card || !(cp->len % MICMEM_DMA_ALIGN))
		return EXIT_OK;
	tail = cp->len / MICMEM_DMA_ALIGN * MICMEM_DMA_ALIGN;
	ret = micmem_copy_from_card(cp->m, cp->card, 0, cp->addr + tail,
				    MICMEM_DMA_ALIGN, MICMEM_CHAN_0, NULL);
	if (ret) {
		cp_err("mic%" PRIu32 ": reading 0x%" PRIx64 " failed: %s",
			 cp->card, cp->addr + tail, strerror(-ret));
		return EXIT_FAILED;
	}
	memcpy(keep, cp->pool, MICMEM_DMA_ALIGN);
	return EXIT_OK;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	enum { OPT_VERIFY = 256, OPT_JSON, OPT_NO_DIRECT };
	static const struct option lopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "verify", no_argument, NULL, OPT_VERIFY },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "pool", required_argument, NULL, 'p' },
		{ "batch", required_argument, NULL, 'b' },
		{ "channel", required_argument, NULL, 'c' },
		{ "no-direct", no_argument, NULL, OPT_NO_DIRECT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int i;
	int c;

	*o = (struct opts){ .pool = DEFAULT_POOL, .batch = DEFAULT_BATCH,
			    .channel = CHAN_BOTH, .direct = true };
	while ((c = getopt_long(argc, argv, "np:b:c:qh", lopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o->dry_run = true;
			break;
		case OPT_VERIFY:
			o->verify = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_NO_DIRECT:
			o->direct = false;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'p':
			if (tool_parse_size(optarg, &o->pool) || !o->pool ||
			    o->pool % MICMEM_CHUNK_SIZE) {
				cp_err("bad pool size '%s': a multiple of 2 MiB, e.g. 8M",
					 optarg);
				return EXIT_USAGE;
			}
			break;
		case 'b':
			if (tool_parse_size(optarg, &o->batch) || !o->batch ||
			    o->batch % IO_ALIGN) {
				cp_err("bad batch size '%s': a multiple of 4 KiB, e.g. 256K",
					 optarg);
				return EXIT_USAGE;
			}
			break;
		case 'c':
			for (i = 0; i < 4; i++)
				if (!strcmp(optarg, chan_names[i]))
					break;
			if (i == 4) {
				cp_err("bad channel '%s': 0, 1, auto or both",
					 optarg);
				return EXIT_USAGE;
			}
			o->channel = i;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		default:
			fprintf(stderr, "Try '%s --help'.\n",
				program_invocation_short_name);
			return EXIT_USAGE;
		}
	}
	if (o->batch > o->pool / 2) {
		cp_err("batch of %" PRIu64 " bytes: the pool of %" PRIu64
			 " holds fewer than 2 (double buffering)", o->batch,
			 o->pool);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	unsigned char keep[MICMEM_DMA_ALIGN] = { 0 }, *want = NULL;
	struct cp cp = { .fd = -1 };
	int ret, verified = -1;
	uint64_t copy_batches;
	bool has_len;
	struct stat st;
	double secs = 0;

	ret = parse_opts(argc, argv, &cp.o);
	if (ret)
		return ret;
	if (argc - optind != 2) {
		cp_err("%s", argc - optind < 2 ? "SOURCE and DEST needed" :
			 "more than SOURCE and DEST given");
		usage(stderr);
		return EXIT_USAGE;
	}
	cp.to_card = is_card_spec(argv[optind + 1]);
	if (cp.to_card == is_card_spec(argv[optind])) {
		cp_err("one of SOURCE and DEST must be card memory (micN:ADDR[:LEN]), the other a file");
		return EXIT_USAGE;
	}
	cp.file = argv[optind + !cp.to_card];
	cp.spec = argv[optind + cp.to_card];
	cp.nslots = (unsigned int)(cp.o.pool / cp.o.batch > MAX_SLOTS ?
				   MAX_SLOTS : cp.o.pool / cp.o.batch);
	ret = parse_spec(&cp, &has_len);
	if (ret)
		return ret;

	if (cp.to_card) {
		cp.fd = open_file(&cp, cp.file, O_RDONLY);
		if (cp.fd < 0 || fstat(cp.fd, &st)) {
			cp_err("%s: %s", cp.file, strerror(errno));
			return EXIT_USAGE;
		}
		if (!S_ISREG(st.st_mode)) {
			cp_err("%s: not a regular file", cp.file);
			return EXIT_USAGE;
		}
		if (has_len && cp.len > (uint64_t)st.st_size) {
			cp_err("%s: the file has %lld bytes, fewer than LEN %" PRIu64,
				 cp.file, (long long)st.st_size, cp.len);
			return EXIT_USAGE;
		}
		if (!has_len)
			cp.len = (uint64_t)st.st_size;
	} else {
		if (!has_len) {
			cp_err("%s: LEN missing: micN:ADDR:LEN when the card is the source",
				 cp.spec);
			return EXIT_USAGE;
		}
		if (!stat(cp.file, &st) && S_ISDIR(st.st_mode)) {
			cp_err("%s: is a directory", cp.file);
			return EXIT_USAGE;
		}
	}
	if (cp.len > UINT64_MAX - MICMEM_DMA_ALIGN) {
		cp_err("%s: length too large", cp.spec);
		return EXIT_USAGE;
	}
	cp.dma_len = round_up(cp.len, MICMEM_DMA_ALIGN);
	ret = check_card(&cp);
	if (ret)
		return ret;

	if (cp.o.dry_run) {
		if (cp.o.json)
			print_json(&cp, 0, -1);
		else
			print_plan(&cp);
		return EXIT_OK;
	}

	if (!cp.to_card) {
		cp.fd = open_file(&cp, cp.file, O_WRONLY | O_CREAT | O_TRUNC);
		if (cp.fd < 0) {
			cp_err("%s: %s", cp.file, strerror(errno));
			return EXIT_FAILED;
		}
	}
	cp.progress = !cp.o.quiet && isatty(STDERR_FILENO);
	if (cp.len) {
		ret = setup_dma(&cp, keep);
		if (ret)
			goto out;
	}
	start_phase(&cp, "copy");
	if (!cp.len)
		ret = EXIT_OK;
	else if (cp.to_card)
		ret = copy_to_card(&cp, keep);
	else
		ret = copy_from_card(&cp, sink_write, NULL);
	secs = (micmem_now_ns() - cp.t0) / 1e9;
	if (ret)
		goto out;
	progress(&cp, true);
	copy_batches = cp.batches;
	ret = close(cp.fd);	/* a written file's last error shows here */
	cp.fd = -1;
	if (ret) {
		cp_err("%s: %s", cp.file, strerror(errno));
		ret = EXIT_FAILED;
		goto out;
	}

	if (cp.o.verify) {
		/* the file as anyone reads it: through the page cache */
		cp.fd = open(cp.file, O_RDONLY | O_CLOEXEC);
		if (cp.fd < 0) {
			cp_err("%s: verify: %s", cp.file, strerror(errno));
			ret = EXIT_FAILED;
			goto out;
		}
		want = malloc(cp.o.batch);
		if (!want) {
			cp_err("out of memory");
			ret = EXIT_FAILED;
			goto out;
		}
		start_phase(&cp, "verify");
		ret = cp.len ? copy_from_card(&cp, sink_compare, want) : 0;
		if (!ret)
			progress(&cp, true);
		verified = !ret;
		if (ret && ret != EXIT_DIFFERS)
			goto out;
	}
	if (cp.o.json) {
		cp.batches = copy_batches;
		print_json(&cp, secs, verified);
	}
out:
	free(want);
	if (cp.fd >= 0)
		close(cp.fd);
	micmem_close(cp.m);
	return ret;
}
