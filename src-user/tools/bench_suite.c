// SPDX-License-Identifier: GPL-2.0
/*
 * micmem-bench --suite: every figure doc/performance.md reports, each
 * beside a peer measured in the same run, as a table and as JSON.
 *
 * Fairness rules (doc/performance.md, "How the suite measures"):
 *  - every row runs its peer and its subject alternately, the same
 *    number of repetitions, after one untimed warm-up operation of each;
 *    a repetition repeats its operation for at least rep_ms and min_ops;
 *    the figure is the median of the repetitions, with their range;
 *  - the memcpy peer copies between buffers of ordinary memory whose
 *    distance is not a whole number of MiB (4 KiB + 64 B more than the
 *    size rounded up to 4 KiB): a distance of whole MiB makes source and
 *    destination share QEMU's soft-TLB sets and thrash them;
 *  - CPU time is CLOCK_THREAD_CPUTIME_ID of the calling thread, faults
 *    are getrusage(RUSAGE_THREAD) minor faults.
 *
 * What only the simulated card can tell (its debugfs counters, the
 * "stall" knob holding the engine, link pacing) is looked up at run time
 * and reported "n/a" with the reason when absent.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/futex.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#include <libmicmem.h>

#include "bench_stats.h"
#include "bench_suite.h"
#include "tool_util.h"

#define KIB		((uint64_t)1024)
#define MIB		(1024 * KIB)
#define GIB		(1024 * MIB)
#define MAX_FIGS	256
#define MAX_REPS	32
#define SIM_CFG		"/sys/kernel/config/micmem_sim"
#define SIM_DBG		"/sys/kernel/debug/micmem_sim"
#define HEALTH_PARAM	"/sys/module/micmem/parameters/health_ms"
#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define MEMCPY_SKEW	(4 * KIB + 64)

static const uint64_t sizes_full[] = {
	4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, 1 * MIB, 4 * MIB, 16 * MIB,
	64 * MIB,
};
static const uint64_t sizes_quick[] = { 4 * KIB, 1 * MIB, 16 * MIB };
static const unsigned int batches[] = { 1, 16, 64, 256 };

static const struct {
	const char *name;
	unsigned int chan;
} chans[] = {
	{ "ch0", MICMEM_CHAN_0 },
	{ "ch1", MICMEM_CHAN_1 },
	{ "auto", MICMEM_CHAN_AUTO },
};

static struct {
	struct micmem *m;
	uint32_t card;
	uint64_t card_addr;
	uint8_t *pool;
	uint64_t pool_size;
	uint8_t *mem;			/* ordinary memory for memcpy */
	uint64_t mem_size;
	const uint64_t *sizes;
	unsigned int nr_sizes;
	uint64_t big;			/* largest size */
	unsigned int reps;
	uint64_t rep_ns;		/* least time per repetition */
	bool quick;
	char sim[64];			/* the sim card's configfs name, or "" */
	bool table;
	struct bench_fig figs[MAX_FIGS];
	unsigned int nr_figs;
	const char *group;
	char keys[MAX_FIGS][48];
} s;

/* ---- small helpers ---- */

static uint64_t now_ns(void)
{
	return micmem_now_ns();
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_minflt;
}

static inline void clobber(void)
{
	__asm__ __volatile__("" : : : "memory");
}

/* First line of @path into @buf; 0 or -errno. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		ret = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	if (!ret)
		buf[strcspn(buf, "\n")] = 0;
	return ret;
}

static int read_ll(const char *path, long long *v)
{
	char buf[64], *end;
	int ret = read_line(path, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*v = strtoll(buf, &end, 0);
	return errno || end == buf ? -EINVAL : 0;
}

/* @val to @path in one write; 0 or -errno. */
static int write_str(const char *path, const char *val)
{
	FILE *f = fopen(path, "we");
	int ret = 0;

	if (!f)
		return -errno;
	if (fputs(val, f) < 0)
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

static int knob_path(char *buf, size_t len, const char *knob)
{
	return snprintf(buf, len, SIM_DBG "/%s/%s", s.sim, knob) >= (int)len ?
	       -ENAMETOOLONG : 0;
}

static long long knob_get(const char *knob)
{
	char path[256];
	long long v;

	if (knob_path(path, sizeof(path), knob) || read_ll(path, &v))
		return -1;
	return v;
}

static int knob_set(const char *knob, const char *val)
{
	char path[256];

	if (knob_path(path, sizeof(path), knob))
		return -ENAMETOOLONG;
	return write_str(path, val);
}

static bool cfg_has(const char *attr)
{
	char path[256];

	snprintf(path, sizeof(path), SIM_CFG "/%s/%s", s.sim, attr);
	return access(path, F_OK) == 0;
}

static int cfg_get(const char *attr, long long *v)
{
	char path[256];

	snprintf(path, sizeof(path), SIM_CFG "/%s/%s", s.sim, attr);
	return read_ll(path, v);
}

static int cfg_set(const char *attr, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), SIM_CFG "/%s/%s", s.sim, attr);
	return write_str(path, val);
}

/* The configfs name of the sim card that is micN, into s.sim ("" if none). */
static void find_sim(uint32_t card)
{
	DIR *d = opendir(SIM_CFG);
	struct dirent *e;

	s.sim[0] = 0;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[512];
		long long n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), SIM_CFG "/%s/card", e->d_name);
		if (!read_ll(path, &n) && n == card &&
		    strlen(e->d_name) < sizeof(s.sim)) {
			strcpy(s.sim, e->d_name);
			break;
		}
	}
	closedir(d);
}

/* ---- figures ---- */

static struct bench_fig *fig_new(const char *label_fmt, ...)
	__attribute__((format(printf, 1, 2)));

static struct bench_fig *fig_new(const char *label_fmt, ...)
{
	struct bench_fig *f;
	va_list ap;

	if (s.nr_figs == MAX_FIGS) {
		tool_err("internal: more than %d figures", MAX_FIGS);
		exit(EXIT_FAILED);
	}
	f = &s.figs[s.nr_figs];
	memset(f, 0, sizeof(*f));
	f->key = s.keys[s.nr_figs];
	s.nr_figs++;
	f->group = s.group;
	va_start(ap, label_fmt);
	vsnprintf(f->label, sizeof(f->label), label_fmt, ap);
	va_end(ap);
	f->value = f->vmin = f->vmax = NAN;
	f->peer = f->pmin = f->pmax = f->ratio = NAN;
	return f;
}

static void fig_key(struct bench_fig *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fig_key(struct bench_fig *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf((char *)f->key, sizeof(s.keys[0]), fmt, ap);
	va_end(ap);
}

static void fig_done(const struct bench_fig *f)
{
	if (s.table) {
		bench_fig_row(stdout, f);
		fflush(stdout);
	}
}

static void group(const char *name, const char *title)
{
	s.group = name;
	if (s.table) {
		printf("\n== %s ==\n", title);
		bench_table_head(stdout);
	}
}

static const char *size_name(uint64_t size, char *buf, size_t len)
{
	if (size >= MIB && size % MIB == 0)
		snprintf(buf, len, "%" PRIu64 "M", size / MIB);
	else
		snprintf(buf, len, "%" PRIu64 "K", size / KIB);
	return buf;
}

/* ---- operations ---- */

typedef int (*op_fn)(void *arg);

/*
 * One repetition: @fn until rep_ns passed and @min_ops ran; ns per
 * operation into *@ns.  0 or the operation's error.
 */
static int rep(op_fn fn, void *arg, uint64_t min_ops, double *ns)
{
	uint64_t t0 = now_ns(), n = 0, dt;
	int ret;

	do {
		ret = fn(arg);
		if (ret)
			return ret;
		n++;
		dt = now_ns() - t0;
	} while (dt < s.rep_ns || n < min_ops);
	*ns = (double)dt / n;
	return 0;
}

struct copy_op {
	uint64_t size;
	unsigned int dir;
	unsigned int chan;
	uint64_t pool_off;
};

static int op_memcpy(void *arg)
{
	const struct copy_op *c = arg;
	uint64_t dst = (c->size + 4 * KIB - 1) / (4 * KIB) * (4 * KIB) +
		       MEMCPY_SKEW;

	memcpy(s.mem + dst, s.mem, c->size);
	clobber();
	return 0;
}

static int op_dma(void *arg)
{
	const struct copy_op *c = arg;
	struct micmem_status st;
	int ret;

	if (c->dir == MICMEM_DIR_TO_CARD)
		ret = micmem_copy_to_card(s.m, s.card, s.card_addr, c->pool_off,
					  c->size, c->chan, &st);
	else
		ret = micmem_copy_from_card(s.m, s.card, c->pool_off,
					    s.card_addr, c->size, c->chan, &st);
	if (ret && st.ticket)
		tool_err("mic%u: DMA of %" PRIu64 " bytes failed: %s (%s)",
			 s.card, c->size, strerror(-ret),
			 micmem_error_class_name(st.error_class));
	else if (ret)
		tool_err("mic%u: submitting %" PRIu64 " bytes failed: %s",
			 s.card, c->size, strerror(-ret));
	return ret;
}

static double mib_s(uint64_t size, double ns)
{
	return ns > 0 ? (double)size / ns * 1e9 / MIB : NAN;
}

/* ---- the pool against anonymous memory and hugetlbfs ---- */

enum map_kind { MAP_POOL, MAP_NOTHP, MAP_THP, MAP_HUGETLBFS, NR_MAP };

static const char *const map_names[NR_MAP] = {
	"pool", "anonymous, THP off", "anonymous, THP on", "hugetlbfs",
};
static const char *const map_keys[NR_MAP] = {
	"pool", "anon_nothp", "anon_thp", "hugetlbfs",
};

static void touch(uint8_t *p, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len; i += 4 * KIB)
		p[i] = 1;
	clobber();
}

/* Map and touch @len of @kind: ms and faults; 0, -errno, or 1 if n/a. */
static int map_touch(enum map_kind kind, uint64_t len, double *ms,
		     double *faults)
{
	struct micmem *m2 = NULL;
	uint64_t t0;
	long f0;
	uint8_t *p = NULL, *raw = NULL;
	uint64_t raw_len = 0;
	int ret = 0;

	f0 = minflt();
	t0 = now_ns();
	switch (kind) {
	case MAP_POOL:
		ret = micmem_open(&m2, 0);
		if (!ret)
			ret = micmem_pool_create(m2, len, 0, (void **)&p);
		if (ret) {
			tool_err("cannot create a pool of %" PRIu64 " MiB: %s%s",
				 len / MIB, strerror(-ret), tool_pool_hint(ret));
			if (m2)
				micmem_close(m2);
			return ret;
		}
		break;
	case MAP_NOTHP:
	case MAP_THP:
		raw_len = len + 2 * MIB;
		raw = mmap(NULL, raw_len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (raw == MAP_FAILED)
			return -errno;
		p = (uint8_t *)(((uintptr_t)raw + 2 * MIB - 1) &
				~(uintptr_t)(2 * MIB - 1));
		if (madvise(p, len, kind == MAP_THP ? MADV_HUGEPAGE :
			    MADV_NOHUGEPAGE)) {
			ret = -errno;
			munmap(raw, raw_len);
			return ret;
		}
		break;
	case MAP_HUGETLBFS:
		raw_len = len;
		raw = mmap(NULL, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			   (21 << MAP_HUGE_SHIFT), -1, 0);
		if (raw == MAP_FAILED)
			return 1;
		p = raw;
		break;
	default:
		return -EINVAL;
	}
	touch(p, len);
	*ms = (now_ns() - t0) / 1e6;
	*faults = (double)(minflt() - f0);
	if (m2)
		micmem_close(m2);
	else
		munmap(raw, raw_len);
	return ret;
}

/*
 * Huge pages for the hugetlbfs peer: raise nr_hugepages by what @len
 * needs (early, before memory fragments); the old value in *@old.
 * false when the kernel could not reserve them.
 */
static bool hugepages_reserve(uint64_t len, long long *old, long long *got)
{
	long long want;
	char buf[32];

	*got = 0;
	if (read_ll(NR_HUGEPAGES, old))
		return false;
	want = *old + (long long)(len / (2 * MIB));
	snprintf(buf, sizeof(buf), "%lld", want);
	if (write_str(NR_HUGEPAGES, buf) || read_ll(NR_HUGEPAGES, got))
		return false;
	*got -= *old;
	return *got >= (long long)(len / (2 * MIB));
}

static int bench_pool_mapping(void)
{
	uint64_t len = s.quick ? 32 * MIB : 256 * MIB;
	double ms[NR_MAP][MAX_REPS], fl[NR_MAP][MAX_REPS];
	bool na[NR_MAP] = { false };
	long long old = 0, got = 0;
	bool huge;
	char thp[128] = "unknown", reason[96];
	unsigned int r, k;
	int ret;

	group("pool_mapping", "pool mapping: map and touch every 4 KiB");
	read_line("/sys/kernel/mm/transparent_hugepage/enabled", thp,
		  sizeof(thp));
	huge = hugepages_reserve(len, &old, &got);
	snprintf(reason, sizeof(reason),
		 "no huge pages (nr_hugepages gave %lld of %" PRIu64 ")", got,
		 len / (2 * MIB));
	if (!huge)
		na[MAP_HUGETLBFS] = true;
	for (r = 0; r < s.reps; r++) {
		for (k = 0; k < NR_MAP; k++) {
			if (na[k])
				continue;
			ret = map_touch(k, len, &ms[k][r], &fl[k][r]);
			if (ret == 1) {
				na[k] = true;
				snprintf(reason, sizeof(reason),
					 "mmap(MAP_HUGETLB) failed");
				continue;
			}
			if (ret) {
				tool_err("mapping %" PRIu64 " MiB of %s: %s",
					 len / MIB, map_names[k], strerror(-ret));
				goto out;
			}
		}
	}
	for (k = MAP_NOTHP; k < NR_MAP; k++) {
		struct bench_fig *f;
		int what;

		for (what = 0; what < 2; what++) {
			f = fig_new("pool %s %" PRIu64 " MiB vs %s",
				    what ? "faults," : "map+touch", len / MIB,
				    map_names[k]);
			fig_key(f, "map_%s_%s", what ? "faults" : "ms",
				map_keys[k]);
			f->unit = what ? "faults" : "ms";
			f->size = len;
			snprintf(f->peer_label, sizeof(f->peer_label), "%s",
				 map_names[k]);
			if (na[k]) {
				f->na = k == MAP_HUGETLBFS ? strdup(reason) :
					"not measured";
			} else {
				bench_fig_set(f, what ? fl[MAP_POOL] :
					      ms[MAP_POOL],
					      what ? fl[k] : ms[k], s.reps);
			}
			fig_done(f);
		}
	}
	if (s.table)
		printf("(transparent huge pages: %s)\n", thp);
	ret = 0;
out:
	if (got || huge) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%lld", old);
		write_str(NR_HUGEPAGES, buf);
	}
	return ret ? EXIT_FAILED : EXIT_OK;
}

/* ---- peers: futex ping-pong, io_uring NOP ---- */

static _Atomic int pp_word;

static long futex(_Atomic int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/* The other thread: answers 1 with 2 until it reads 3. */
static void *pp_thread(void *arg)
{
	(void)arg;
	for (;;) {
		int v = atomic_load(&pp_word);

		if (v == 3)
			return NULL;
		if (v != 1) {
			futex(&pp_word, FUTEX_WAIT_PRIVATE, v);
			continue;
		}
		atomic_store(&pp_word, 2);
		futex(&pp_word, FUTEX_WAKE_PRIVATE, 1);
	}
}

/* One repetition of round trips between two threads; ns per round trip. */
static int pingpong_rep(double *ns)
{
	uint64_t t0, n = 0, dt;
	pthread_t t;
	int ret;

	atomic_store(&pp_word, 0);
	ret = pthread_create(&t, NULL, pp_thread, NULL);
	if (ret)
		return -ret;
	t0 = now_ns();
	do {
		atomic_store(&pp_word, 1);
		futex(&pp_word, FUTEX_WAKE_PRIVATE, 1);
		while (atomic_load(&pp_word) == 1)
			futex(&pp_word, FUTEX_WAIT_PRIVATE, 1);
		n++;
		dt = now_ns() - t0;
	} while (dt < s.rep_ns || n < 16);
	atomic_store(&pp_word, 3);
	futex(&pp_word, FUTEX_WAKE_PRIVATE, 1);
	pthread_join(t, NULL);
	*ns = (double)dt / n;
	return 0;
}

#ifdef HAVE_LIBURING
static struct io_uring ring;
static bool ring_ok;

/* One repetition of batches of @n NOPs; ns per entry. */
static int uring_rep(unsigned int n, double *ns)
{
	uint64_t t0 = now_ns(), iters = 0, dt;
	struct io_uring_cqe *cqe;
	unsigned int i, head, seen;

	do {
		for (i = 0; i < n; i++)
			io_uring_prep_nop(io_uring_get_sqe(&ring));
		if (io_uring_submit(&ring) != (int)n)
			return -EIO;
		seen = 0;
		while (seen < n) {
			io_uring_for_each_cqe(&ring, head, cqe)
				seen++;
			io_uring_cq_advance(&ring, seen);
			if (seen < n && io_uring_wait_cqe(&ring, &cqe))
				return -EIO;
		}
		iters++;
		dt = now_ns() - t0;
	} while (dt < s.rep_ns || iters < 4);
	*ns = (double)dt / (iters * n);
	return 0;
}
#endif

/* ---- the driver's submit path ---- */

/*
 * One round: @k back-to-back submits of the batch @x of @n (the engine
 * held by the sim's stall knob when @held), then every batch waited for.
 * Adds the time spent in the submits to *@spent and the transfers
 * submitted to *@xfers.
 */
static int submit_round(const struct micmem_xfer *x, unsigned int n,
			unsigned int k, bool held, uint64_t *spent,
			uint64_t *xfers)
{
	static uint64_t tickets[1024];
	unsigned int i, done = 0;
	uint64_t t;
	int ret = 0, r2;

	if (held && knob_set("stall", "3"))
		return -EIO;
	for (i = 0; i < k; i++) {
		t = now_ns();
		ret = micmem_submit(s.m, s.card, x, n, MICMEM_SUBMIT_NONBLOCK,
				    &tickets[i], NULL);
		*spent += now_ns() - t;
		if (ret)
			break;
		done++;
	}
	if (held)
		knob_set("stall", "0");
	for (i = 0; i < done; i++) {
		r2 = micmem_wait(s.m, tickets[i], MICMEM_WAIT_FOREVER, 0, NULL);
		if (r2 && !ret)
			ret = r2;
	}
	/* a full ring ends the round early; what was submitted counts */
	if (ret == -EAGAIN && done)
		ret = 0;
	*xfers += (uint64_t)done * n;
	return ret;
}

/*
 * One repetition of rounds of submits of batches of @n transfers of
 * 4 KiB on channel 0 (at least 512 transfers a round), for at least
 * rep_ns: ns of the submit calls alone per transfer.
 */
static int submit_rep(unsigned int n, bool held, double *ns)
{
	static struct micmem_xfer x[256];
	unsigned int k = n >= 256 ? 2 : 512 / n;
	uint64_t t0 = now_ns(), spent = 0, xfers = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++)
		micmem_xfer_init(&x[i], i * 4 * KIB,
				 s.card_addr + i * 4 * KIB, 4 * KIB,
				 MICMEM_DIR_TO_CARD, MICMEM_CHAN_0);
	do {
		ret = submit_round(x, n, k, held, &spent, &xfers);
		if (ret) {
			tool_err("mic%u: batch of %u: %s", s.card, n,
				 strerror(-ret));
			return ret;
		}
	} while (now_ns() - t0 < s.rep_ns);
	*ns = (double)spent / (double)xfers;
	return 0;
}

/* ---- the rows ---- */

/* Why a submit-cost row cannot be measured, or NULL when it can. */
static const char *submit_row_na(bool held_ok)
{
	if (!held_ok)
		return "no sim stall knob";
#ifdef HAVE_LIBURING
	if (!ring_ok)
		return "io_uring_queue_init failed";
	return NULL;
#else
	return "built without liburing";
#endif
}

static int bench_targets(void)
{
	double v[MAX_REPS], p[MAX_REPS], cv[MAX_REPS];
	unsigned int r, i, nr = s.quick ? 2 : 8;
	struct copy_op big = { 16 * MIB, MICMEM_DIR_TO_CARD, MICMEM_CHAN_AUTO, 0 };
	struct bench_fig *f;
	bool held_ok;
	uint64_t t0;
	int ret, held;

	group("targets", "the issue's targets");

	/* submitter CPU per GiB moved: 16 MiB transfers vs memcpy */
	op_memcpy(&big);
	if (op_dma(&big))
		return EXIT_FAILED;
	for (r = 0; r < s.reps; r++) {
		t0 = cpu_ns();
		for (i = 0; i < nr; i++)
			op_memcpy(&big);
		p[r] = (double)(cpu_ns() - t0) * GIB / (nr * big.size) / 1e6;
		t0 = cpu_ns();
		for (i = 0; i < nr; i++)
			if (op_dma(&big))
				return EXIT_FAILED;
		v[r] = (double)(cpu_ns() - t0) * GIB / (nr * big.size) / 1e6;
	}
	f = fig_new("submitter CPU per GiB, 16 MiB transfers, auto");
	fig_key(f, "cpu_per_gib");
	f->unit = "ms";
	snprintf(f->peer_label, sizeof(f->peer_label), "memcpy CPU per GiB");
	f->target = "<= 0.01";
	bench_fig_set(f, v, p, s.reps);
	fig_done(f);

	/* submit cost per transfer at batch 64: held and running */
	for (held = 1; held >= 0; held--) {
		held_ok = !held || (s.sim[0] && knob_get("stall") >= 0);
		f = fig_new("submit per descriptor, batch 64, engine %s",
			    held ? "held" : "running");
		fig_key(f, "submit_desc_%s", held ? "held" : "running");
		f->unit = "ns";
		snprintf(f->peer_label, sizeof(f->peer_label),
			 "io_uring NOP per entry");
		f->target = "<= 1";
		f->na = submit_row_na(held_ok);
		if (!f->na) {
			double w;

			if (submit_rep(64, held, &w))
				return EXIT_FAILED;
			for (r = 0; r < s.reps; r++) {
#ifdef HAVE_LIBURING
				if (uring_rep(64, &p[r]))
					return EXIT_FAILED;
#endif
				if (submit_rep(64, held, &v[r]))
					return EXIT_FAILED;
			}
			bench_fig_set(f, v, p, s.reps);
		}
		fig_done(f);
	}

	/* 4 KiB submit + wait vs futex ping-pong */
	{
		struct copy_op c = { 4 * KIB, MICMEM_DIR_TO_CARD,
				     MICMEM_CHAN_0, 0 };
		double w;

		if (op_dma(&c) || pingpong_rep(&w))
			return EXIT_FAILED;
		for (r = 0; r < s.reps; r++) {
			ret = pingpong_rep(&p[r]);
			if (!ret)
				ret = rep(op_dma, &c, 4, &v[r]);
			if (ret)
				return EXIT_FAILED;
		}
		f = fig_new("4 KiB submit+wait round trip, ch0");
		fig_key(f, "rtt_4k");
		f->unit = "ns";
		snprintf(f->peer_label, sizeof(f->peer_label),
			 "futex ping-pong, 2 threads");
		f->target = "<= 1.5 (polled <= 1.2)";
		bench_fig_set(f, v, p, s.reps);
		fig_done(f);
	}

	/* one channel vs memcpy, auto vs one channel, largest size */
	{
		struct copy_op c0 = { s.big, MICMEM_DIR_TO_CARD, MICMEM_CHAN_0, 0 };
		struct copy_op ca = { s.big, MICMEM_DIR_TO_CARD, MICMEM_CHAN_AUTO, 0 };
		char sz[32];

		op_memcpy(&c0);
		if (op_dma(&c0) || op_dma(&ca))
			return EXIT_FAILED;
		for (r = 0; r < s.reps; r++) {
			double t;

			rep(op_memcpy, &c0, 2, &t);
			p[r] = mib_s(s.big, t);
			if (rep(op_dma, &c0, 2, &t))
				return EXIT_FAILED;
			v[r] = mib_s(s.big, t);
			if (rep(op_dma, &ca, 2, &t))
				return EXIT_FAILED;
			cv[r] = mib_s(s.big, t);
		}
		size_name(s.big, sz, sizeof(sz));
		f = fig_new("one channel (ch0), %s, to card", sz);
		fig_key(f, "one_channel_vs_memcpy");
		f->unit = "MiB/s";
		f->size = s.big;
		snprintf(f->peer_label, sizeof(f->peer_label),
			 "memcpy, 1 thread");
		f->target = ">= 0.9";
		bench_fig_set(f, v, p, s.reps);
		fig_done(f);
		f = fig_new("auto (both channels), %s, to card", sz);
		fig_key(f, "auto_vs_one_channel");
		f->unit = "MiB/s";
		f->size = s.big;
		snprintf(f->peer_label, sizeof(f->peer_label),
			 "one channel (ch0)");
		f->target = ">= 1.6";
		bench_fig_set(f, cv, v, s.reps);
		fig_done(f);
	}
	return EXIT_OK;
}

static int bench_bandwidth(void)
{
	double v[MAX_REPS], p[MAX_REPS], t;
	unsigned int dir, ch, i, r;
	char sz[32];

	group("bandwidth", "bandwidth, one transfer per submit + wait (MiB/s)");
	for (dir = MICMEM_DIR_TO_CARD; dir <= MICMEM_DIR_FROM_CARD; dir++) {
		const char *dn = dir == MICMEM_DIR_TO_CARD ? "to_card" :
				 "from_card";

		for (ch = 0; ch < 3; ch++) {
			for (i = 0; i < s.nr_sizes; i++) {
				struct copy_op c = { s.sizes[i], dir,
						     chans[ch].chan, 0 };
				struct bench_fig *f;
				uint64_t min_ops = c.size >= 16 * MIB ? 2 : 4;

				op_memcpy(&c);
				if (op_dma(&c))
					return EXIT_FAILED;
				for (r = 0; r < s.reps; r++) {
					rep(op_memcpy, &c, min_ops, &t);
					p[r] = mib_s(c.size, t);
					if (rep(op_dma, &c, min_ops, &t))
						return EXIT_FAILED;
					v[r] = mib_s(c.size, t);
				}
				f = fig_new("%s %s %s",
					    dir == MICMEM_DIR_TO_CARD ?
					    "host->card" : "card->host",
					    chans[ch].name,
					    size_name(c.size, sz, sizeof(sz)));
				fig_key(f, "bw_%s_%s_%" PRIu64, dn,
					chans[ch].name, c.size);
				f->unit = "MiB/s";
				f->size = c.size;
				f->dir = dn;
				f->channel = chans[ch].name;
				snprintf(f->peer_label, sizeof(f->peer_label),
					 "memcpy, same size");
				bench_fig_set(f, v, p, s.reps);
				fig_done(f);
			}
		}
	}
	return EXIT_OK;
}

/* One repetition of submit + wait of the batch @x of @n; ns per transfer. */
static int batch_rep(const struct micmem_xfer *x, unsigned int n, double *ns)
{
	uint64_t t0 = now_ns(), k = 0, dt, ticket;
	int ret;

	do {
		ret = micmem_submit(s.m, s.card, x, n, 0, &ticket, NULL);
		if (!ret)
			ret = micmem_wait(s.m, ticket, MICMEM_WAIT_FOREVER, 0,
					  NULL);
		if (ret) {
			tool_err("mic%u: batch of %u: %s", s.card, n,
				 strerror(-ret));
			return ret;
		}
		k++;
		dt = now_ns() - t0;
	} while (dt < s.rep_ns || k < 4);
	*ns = (double)dt / ((double)k * n);
	return 0;
}

static int bench_batches(void)
{
	double v[MAX_REPS], p[MAX_REPS], t;
	unsigned int i, r;
	bool held_ok = s.sim[0] && knob_get("stall") >= 0;

	group("batch", "batch size: transfers of 4 KiB, ch0 (ns per transfer)");
	for (i = 0; i < sizeof(batches) / sizeof(batches[0]); i++) {
		unsigned int n = batches[i];
		struct bench_fig *f;

		f = fig_new("submit per transfer, batch %u, engine held", n);
		fig_key(f, "batch_submit_%u", n);
		f->unit = "ns";
		f->size = n;
		snprintf(f->peer_label, sizeof(f->peer_label),
			 "io_uring NOP per entry, batch %u", n);
		f->na = submit_row_na(held_ok);
		if (!f->na) {
			if (submit_rep(n, true, &t))
				return EXIT_FAILED;
			for (r = 0; r < s.reps; r++) {
#ifdef HAVE_LIBURING
				if (uring_rep(n, &p[r]))
					return EXIT_FAILED;
#endif
				if (submit_rep(n, true, &v[r]))
					return EXIT_FAILED;
			}
			bench_fig_set(f, v, p, s.reps);
		}
		fig_done(f);
	}
	for (i = 0; i < sizeof(batches) / sizeof(batches[0]); i++) {
		unsigned int n = batches[i], j;
		static struct micmem_xfer x[256];
		struct copy_op c = { 4 * KIB * n, 0, 0, 0 };
		struct bench_fig *f;

		for (j = 0; j < n; j++)
			micmem_xfer_init(&x[j], j * 4 * KIB,
					 s.card_addr + j * 4 * KIB, 4 * KIB,
					 MICMEM_DIR_TO_CARD, MICMEM_CHAN_0);
		op_memcpy(&c);
		if (batch_rep(x, n, &t))
			return EXIT_FAILED;
		for (r = 0; r < s.reps; r++) {
			rep(op_memcpy, &c, 4, &t);
			p[r] = t / n;
			if (batch_rep(x, n, &v[r]))
				return EXIT_FAILED;
		}
		f = fig_new("submit+wait per transfer, batch %u", n);
		fig_key(f, "batch_e2e_%u", n);
		f->unit = "ns";
		f->size = n;
		snprintf(f->peer_label, sizeof(f->peer_label),
			 "memcpy of the same bytes, per 4 KiB");
		bench_fig_set(f, v, p, s.reps);
		fig_done(f);
	}
	return EXIT_OK;
}

/* ---- hardware cost per batch, from the sim's counters ---- */

struct hw_snap {
	long long reads, writes, irqs, descs;
};

static int hw_take(struct hw_snap *h)
{
	char path[256], line[160], reg[64], c;
	unsigned long long r, w;
	unsigned int off;
	FILE *f;

	memset(h, 0, sizeof(*h));
	if (knob_path(path, sizeof(path), "mmio"))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s 0x%x reads %llu writes %llu%c", reg,
			   &off, &r, &w, &c) < 4)
			continue;
		h->reads += r;
		h->writes += w;
	}
	fclose(f);
	h->irqs = knob_get("interrupts_vector0") + knob_get("interrupts_vector1");
	h->descs = knob_get("dma_memcopy") + knob_get("dma_status");
	return 0;
}

static void hw_row(const char *what, const char *key, const char *unit,
		   double v)
{
	struct bench_fig *f = fig_new("%s", what);

	fig_key(f, "%s", key);
	f->unit = unit;
	bench_fig_set(f, &v, NULL, 1);
	fig_done(f);
}

static void hw_na(const char *what, const char *key, const char *why)
{
	struct bench_fig *f = fig_new("%s", what);

	fig_key(f, "%s", key);
	f->unit = "/batch";
	f->na = why;
	fig_done(f);
}

static const struct {
	const char *key, *what;
	uint64_t len;			/* per transfer */
	unsigned int xfers, batches, chan;
} hw_cases[] = {
	{ "4k_ch0", "4 KiB, ch0", 4 * KIB, 1, 1, MICMEM_CHAN_0 },
	{ "16m_auto", "16 MiB, auto", 16 * MIB, 1, 1, MICMEM_CHAN_AUTO },
	{ "batch64_ch0", "64 x 4 KiB, ch0", 4 * KIB, 64, 1, MICMEM_CHAN_0 },
	{ "inflight32_ch0", "32 batches of 4 KiB in flight, ch0", 4 * KIB, 1,
	  32, MICMEM_CHAN_0 },
};

static int bench_hw_cost(void)
{
	static const char *const what[] = { "reads", "writes", "irqs", "descs" };
	char health[32] = "", label[96], key[64];
	unsigned int i, j, w;
	bool ok = s.sim[0] && knob_get("dma_memcopy") >= 0 &&
		  knob_get("stall") >= 0;
	int ret = 0;

	group("hw_cost", "hardware cost per batch (sim counters)");
	if (ok && (read_line(HEALTH_PARAM, health, sizeof(health)) ||
		   write_str(HEALTH_PARAM, "0")))
		ok = false;
	for (i = 0; i < sizeof(hw_cases) / sizeof(hw_cases[0]); i++) {
		struct micmem_xfer x[64];
		uint64_t tickets[32];
		struct hw_snap a, b;
		double v[4];

		if (!ok) {
			for (w = 0; w < 4; w++) {
				snprintf(label, sizeof(label), "%s: %s",
					 hw_cases[i].what, what[w]);
				snprintf(key, sizeof(key), "hw_%s_%s",
					 hw_cases[i].key, what[w]);
				hw_na(label, key, "not a sim card");
			}
			continue;
		}
		for (j = 0; j < hw_cases[i].xfers; j++)
			micmem_xfer_init(&x[j], j * hw_cases[i].len,
					 s.card_addr + j * hw_cases[i].len,
					 hw_cases[i].len, MICMEM_DIR_TO_CARD,
					 hw_cases[i].chan);
		usleep(50000);	/* a health check already queued ends */
		hw_take(&a);
		if (hw_cases[i].batches > 1)
			knob_set("stall", "3");
		for (j = 0; j < hw_cases[i].batches && !ret; j++)
			ret = micmem_submit(s.m, s.card, x, hw_cases[i].xfers,
					    0, &tickets[j], NULL);
		if (hw_cases[i].batches > 1)
			knob_set("stall", "0");
		while (j--) {
			int r2 = micmem_wait(s.m, tickets[j],
					     MICMEM_WAIT_FOREVER, 0, NULL);

			if (!ret)
				ret = r2;
		}
		if (ret) {
			tool_err("mic%u: %s: %s", s.card, hw_cases[i].what,
				 strerror(-ret));
			break;
		}
		/* the interrupt comes through the sim's irq_work */
		usleep(20000);
		hw_take(&b);
		v[0] = (double)(b.reads - a.reads) / hw_cases[i].batches;
		v[1] = (double)(b.writes - a.writes) / hw_cases[i].batches;
		v[2] = (double)(b.irqs - a.irqs) / hw_cases[i].batches;
		v[3] = (double)(b.descs - a.descs) / hw_cases[i].batches;
		for (w = 0; w < 4; w++) {
			snprintf(label, sizeof(label), "%s: %s",
				 hw_cases[i].what, what[w]);
			snprintf(key, sizeof(key), "hw_%s_%s",
				 hw_cases[i].key, what[w]);
			hw_row(label, key, "/batch", v[w]);
		}
	}
	if (health[0])
		write_str(HEALTH_PARAM, health);
	return ret ? EXIT_FAILED : EXIT_OK;
}

/* ---- link-paced pass ---- */

static void link_na(const char *why)
{
	unsigned int i;
	char sz[32];

	for (i = 0; i < s.nr_sizes; i++) {
		struct bench_fig *f = fig_new("link-paced %s, auto, to card",
					      size_name(s.sizes[i], sz,
							sizeof(sz)));

		fig_key(f, "link_%" PRIu64, s.sizes[i]);
		f->unit = "ns";
		f->size = s.sizes[i];
		f->dir = "to_card";
		f->channel = "auto";
		f->na = why;
		fig_done(f);
	}
}

/*
 * Sets a configfs attribute of the sim card; one that is -EBUSY while
 * the card is live is set with the card offline, and the card brought
 * back (the caller holds no handle on it).
 */
static int link_attr(const char *attr, const char *val)
{
	long long n;
	int ret = cfg_set(attr, val);

	if (ret != -EBUSY)
		return ret;
	ret = cfg_set("live", "0");
	if (!ret)
		ret = cfg_set(attr, val);
	if (cfg_set("live", "1") && !ret)
		ret = -EIO;
	if (!ret && !cfg_get("card", &n)) {
		s.card = (uint32_t)n;
		micmem_card_wait_state(s.card,
				       MICMEM_CARD_STATE_BIT(MICMEM_CARD_READY),
				       micmem_deadline_ns(10000000000ULL));
	}
	return ret;
}

static int reopen(void);

static int bench_link(void)
{
	double v[MAX_REPS], t;
	long long mbps = 0, desc_ns = 0, mc0, st0, mc, st;
	unsigned int i, r;
	char sz[32];
	int ret;

	group("link", "link-paced sim: what a real card's link allows");
	if (!s.sim[0]) {
		link_na("not a sim card");
		return EXIT_OK;
	}
	if (!cfg_has("link_paced") || !cfg_has("link_mbps") ||
	    !cfg_has("desc_ns")) {
		link_na("sim without link pacing");
		return EXIT_OK;
	}
	if (cfg_get("link_mbps", &mbps) || cfg_get("desc_ns", &desc_ns) ||
	    mbps <= 0) {
		link_na("cannot read link_mbps/desc_ns");
		return EXIT_OK;
	}
	micmem_close(s.m);
	s.m = NULL;
	ret = link_attr("link_paced", "1");
	if (ret) {
		tool_err("cannot set link_paced: %s", strerror(-ret));
		if (reopen())
			return EXIT_FAILED;
		link_na("link_paced cannot be set");
		return EXIT_OK;
	}
	if (reopen())
		return EXIT_FAILED;
	for (i = 0; i < s.nr_sizes; i++) {
		struct copy_op c = { s.sizes[i], MICMEM_DIR_TO_CARD,
				     MICMEM_CHAN_AUTO, 0 };
		struct bench_fig *f;
		double link_ns;

		if (op_dma(&c))
			return EXIT_FAILED;
		mc0 = knob_get("dma_memcopy");
		st0 = knob_get("dma_status");
		if (op_dma(&c))
			return EXIT_FAILED;
		mc = knob_get("dma_memcopy") - mc0;
		st = knob_get("dma_status") - st0;
		for (r = 0; r < s.reps; r++) {
			if (rep(op_dma, &c, 2, &t))
				return EXIT_FAILED;
			v[r] = t;
		}
		/*
		 * The sim's pacing (sim/dma.c): the MEMCOPYs of a card share
		 * one link per direction at link_mbps MB/s, each at least
		 * desc_ns; every other descriptor takes desc_ns.
		 */
		link_ns = (double)c.size / ((double)mbps * 1e6) * 1e9;
		if (link_ns < (double)desc_ns * mc)
			link_ns = (double)desc_ns * mc;
		link_ns += (double)desc_ns * st;
		f = fig_new("link-paced %s, auto, to card",
			    size_name(c.size, sz, sizeof(sz)));
		fig_key(f, "link_%" PRIu64, c.size);
		f->unit = "ns";
		f->size = c.size;
		f->dir = "to_card";
		f->channel = "auto";
		snprintf(f->peer_label, sizeof(f->peer_label),
			 "link time (%lld MB/s, %lld ns/desc)", mbps, desc_ns);
		bench_fig_set(f, v, NULL, s.reps);
		f->peer = f->pmin = f->pmax = link_ns;
		f->ratio = bench_ratio(f->value, link_ns);
		fig_done(f);
	}
	micmem_close(s.m);
	s.m = NULL;
	link_attr("link_paced", "0");
	if (reopen())
		return EXIT_FAILED;
	return EXIT_OK;
}

/* ---- setup, output ---- */

static int reopen(void)
{
	int ret = micmem_open(&s.m, 0);

	if (ret) {
		tool_err("cannot open /dev/%s: %s%s", MICMEM_CTRL_NODE,
			 strerror(-ret), tool_open_hint(ret));
		return EXIT_FAILED;
	}
	ret = micmem_pool_create(s.m, s.pool_size, 0, (void **)&s.pool);
	if (ret) {
		tool_err("cannot create a pool of %" PRIu64 " MiB: %s%s",
			 s.pool_size >> 20, strerror(-ret), tool_pool_hint(ret));
		return EXIT_FAILED;
	}
	ret = micmem_attach(s.m, s.card);
	if (ret) {
		tool_err("cannot attach mic%u: %s", s.card, strerror(-ret));
		return EXIT_FAILED;
	}
	memset(s.pool, 1, s.pool_size);
	return EXIT_OK;
}

static int setup(const struct bench_suite_opts *o)
{
	struct micmem_card_info ci;
	uint32_t first;
	int ret;

	s.card = o->card;
	if (!o->card_given) {
		ret = micmem_card_list(&first, 1);
		if (ret <= 0) {
			tool_err("no cards%s%s", ret < 0 ? ": " : "",
				 ret < 0 ? strerror(-ret) : "");
			return EXIT_NOCARD;
		}
		s.card = first;
	}
	ret = micmem_card_info(s.card, &ci);
	if (ret) {
		tool_err("no card mic%u%s%s", s.card,
			 ret == -ENODEV ? "" : ": ",
			 ret == -ENODEV ? "" : strerror(-ret));
		return EXIT_NOCARD;
	}
	if (!strcmp(ci.state, "online") && !o->addr_given) {
		tool_err("mic%u is online: its OS owns card memory; give --card-addr for memory it does not use",
			 s.card);
		return EXIT_USAGE;
	}
	s.card_addr = o->card_addr;
	if (s.card_addr % MICMEM_DMA_ALIGN) {
		tool_err("card address 0x%" PRIx64 " is not a multiple of %d",
			 s.card_addr, MICMEM_DMA_ALIGN);
		return EXIT_USAGE;
	}
	if (s.card_addr > ci.dma_window ||
	    s.pool_size > ci.dma_window - s.card_addr) {
		tool_err("mic%u: card memory [0x%" PRIx64 ", 0x%" PRIx64
			 ") is outside its DMA window [0, 0x%" PRIx64 ")",
			 s.card, s.card_addr, s.card_addr + s.pool_size,
			 (uint64_t)ci.dma_window);
		return EXIT_USAGE;
	}
	if (!strcmp(ci.bus, "sim"))
		find_sim(s.card);
	s.mem_size = 2 * s.pool_size + 4 * MEMCPY_SKEW;
	s.mem = mmap(NULL, s.mem_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s.mem == MAP_FAILED) {
		tool_err("cannot allocate %" PRIu64 " MiB: %s",
			 s.mem_size >> 20, strerror(errno));
		return EXIT_FAILED;
	}
	memset(s.mem, 1, s.mem_size);
#ifdef HAVE_LIBURING
	ring_ok = io_uring_queue_init(256, &ring, 0) == 0;
#endif
	return EXIT_OK;
}

static void json_out(FILE *f, const struct bench_suite_opts *o, double secs)
{
	char cmdline[1024] = "", thp[128] = "";
	struct micmem_card_info ci;
	struct utsname u;
	unsigned int i;

	uname(&u);
	read_line("/proc/cmdline", cmdline, sizeof(cmdline));
	read_line("/sys/kernel/mm/transparent_hugepage/enabled", thp,
		  sizeof(thp));
	memset(&ci, 0, sizeof(ci));
	micmem_card_info(s.card, &ci);
	fprintf(f, "{\n  \"micmem_bench_suite\": 1,\n  \"quick\": %s,\n",
		o->quick ? "true" : "false");
	fputs("  \"library\": ", f);
	tool_json_str(f, micmem_lib_version());
	fputs(",\n  \"kernel\": ", f);
	tool_json_str(f, u.release);
	fputs(",\n  \"cmdline\": ", f);
	tool_json_str(f, cmdline);
	fputs(",\n  \"thp\": ", f);
	tool_json_str(f, thp);
	fprintf(f, ",\n  \"cpus\": %ld,\n  \"card\": %u,\n  \"bus\": ",
		sysconf(_SC_NPROCESSORS_ONLN), s.card);
	tool_json_str(f, ci.bus);
	fputs(",\n  \"stepping\": ", f);
	tool_json_str(f, ci.stepping);
	fprintf(f, ",\n  \"sim\": %s,\n", s.sim[0] ? "true" : "false");
	fprintf(f, "  \"reps\": %u,\n  \"rep_ms\": %" PRIu64 ",\n",
		s.reps, s.rep_ns / 1000000);
	fputs("  \"elapsed_s\": ", f);
	bench_json_num(f, secs);
	fputs(",\n  \"figures\": [", f);
	for (i = 0; i < s.nr_figs; i++) {
		fputs(i ? ",\n    " : "\n    ", f);
		bench_fig_json(f, &s.figs[i]);
	}
	fputs("\n  ]\n}\n", f);
}

int bench_suite(const struct bench_suite_opts *o)
{
	uint64_t t0 = now_ns();
	FILE *jf = NULL;
	int ret;

	s.quick = o->quick;
	s.sizes = o->quick ? sizes_quick : sizes_full;
	s.nr_sizes = o->quick ? sizeof(sizes_quick) / sizeof(sizes_quick[0]) :
		     sizeof(sizes_full) / sizeof(sizes_full[0]);
	s.big = s.sizes[s.nr_sizes - 1];
	s.reps = o->reps ? o->reps : o->quick ? 3 : 5;
	s.rep_ns = (o->quick ? 5 : 30) * 1000000ULL;
	s.pool_size = s.big < 16 * MIB ? 16 * MIB : s.big;
	s.table = !o->json || strcmp(o->json, "-");
	if (o->json && strcmp(o->json, "-")) {
		jf = fopen(o->json, "we");
		if (!jf) {
			tool_err("cannot write %s: %s", o->json,
				 strerror(errno));
			return EXIT_USAGE;
		}
	}

	ret = setup(o);
	if (ret == EXIT_OK && s.table)
		printf("micmem-bench --suite%s: mic%u%s%s, %u repetitions of at least %" PRIu64
		       " ms per figure, medians (ratio = value / peer)\n",
		       o->quick ? " --quick" : "", s.card,
		       s.sim[0] ? ", sim card " : "", s.sim, s.reps,
		       s.rep_ns / 1000000);
	/* mapping first: huge pages are reserved before memory fragments */
	if (ret == EXIT_OK)
		ret = bench_pool_mapping();
	if (ret == EXIT_OK)
		ret = reopen();
	if (ret == EXIT_OK)
		ret = bench_targets();
	if (ret == EXIT_OK)
		ret = bench_bandwidth();
	if (ret == EXIT_OK)
		ret = bench_batches();
	if (ret == EXIT_OK)
		ret = bench_hw_cost();
	if (ret == EXIT_OK)
		ret = bench_link();
	if (ret == EXIT_OK) {
		double secs = (now_ns() - t0) / 1e9;

		if (s.table)
			printf("\nsuite took %.1f s\n", secs);
		if (o->json)
			json_out(jf ? jf : stdout, o, secs);
	}
	if (jf && fclose(jf) && ret == EXIT_OK) {
		tool_err("cannot write %s: %s", o->json, strerror(errno));
		ret = EXIT_FAILED;
	}
	if (s.m)
		micmem_close(s.m);
#ifdef HAVE_LIBURING
	if (ring_ok)
		io_uring_queue_exit(&ring);
#endif
	return ret;
}
