// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: a structure-aware fuzzer of /dev/mic/ctrl with a fixed seed.
 * FUZZ_THREADS threads each keep a few fds (read-write and read-only),
 * their pools and mappings, and make FUZZ_CALLS calls between them, drawn
 * from: open, close, QUERY, POOL_CREATE, POOL_INFO, ATTACH, DETACH,
 * SUBMIT (batches of plausible and broken transfers around the pool's and
 * the card's edges, bad flags, counts and pointers), WAIT (by ticket, ANY,
 * no-block, short deadlines), poll, mmap/munmap/madvise of pool ranges,
 * unknown ioctl numbers, and fork (the child makes calls on the inherited
 * fds and exits).  Every call must return success or one of the errnos
 * doc/uapi.md and doc/pool.md list; the run prints its counts, checks
 * both cards still move data intact and memory against a baseline.
 *
 * By hand: `vm-fuzz --soak SECONDS` runs the same for that long (the
 * per-thread call count is then unbounded); `--seed N` picks the seed.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "card_util.h"
#include "storm_util.h"

#define FUZZ_THREADS	4
#define FUZZ_CALLS	30000		/* per thread: 120,000 per run */
#define FUZZ_FDS	3
#define FUZZ_MAPS	6
#define CARD_SPAN	(32 * MIB)	/* card addresses the fuzzer touches */

static long soak_seconds;
static uint64_t fuzz_seed = 0xf022f022;

enum { OP_OPEN, OP_CLOSE, OP_QUERY, OP_POOL_CREATE, OP_POOL_INFO, OP_ATTACH,
       OP_DETACH, OP_SUBMIT, OP_WAIT, OP_POLL, OP_MMAP, OP_MUNMAP,
       OP_MADVISE, OP_BAD_IOCTL, OP_FORK, OP_NR };

static const char *const op_names[OP_NR] = {
	"open", "close", "query", "pool_create", "pool_info", "attach",
	"detach", "submit", "wait", "poll", "mmap", "munmap", "madvise",
	"bad_ioctl", "fork",
};

/* weights out of 1000 */
static const int op_weight[OP_NR] = {
	30, 15, 40, 60, 40, 80, 30, 330, 200, 20, 60, 40, 15, 25, 5,
};

static atomic_llong calls[OP_NR], ok_calls, unexpected, forks;
static int fz_child;		/* in a fork's child: no stdio, exit status */
static int fz_child_unexpected;
static atomic_llong batches_ok, batches_failed;

struct fz_map {
	uint8_t *addr;
	size_t len;
};

struct fz {
	uint64_t rnd;
	int fd[FUZZ_FDS];
	uint64_t pool[FUZZ_FDS];	/* pool size, 0 if none (guess) */
	uint64_t ticket[FUZZ_FDS];	/* last ticket */
	struct fz_map map[FUZZ_MAPS];
	int id;
};

static uint64_t rnd(struct fz *f, uint64_t n)
{
	return n ? storm_rand(&f->rnd) % n : storm_rand(&f->rnd);
}

/* Every errno the interface documents for some call, plus the kernel's. */
static int errno_expected(int e)
{
	switch (e) {
	case EINVAL: case EFAULT: case ENOTTY: case EBADF: case ENOENT:
	case ENODEV: case EEXIST: case ENOTCONN: case ENOBUFS: case ENOMEM:
	case EAGAIN: case ETIME: case E2BIG: case ENOSPC: case ERANGE:
	case EBUSY: case EIO: case EPERM: case EACCES: case EOVERFLOW:
	case ENXIO: case EINTR:
		return 1;
	}
	return 0;
}

static void result(struct fz *f, int op, long ret)
{
	atomic_fetch_add(&calls[op], 1);
	if (ret >= 0) {
		atomic_fetch_add(&ok_calls, 1);
		return;
	}
	if (!errno_expected(errno)) {
		if (fz_child) {
			fz_child_unexpected++;
			return;
		}
		if (atomic_fetch_add(&unexpected, 1) < 10)
			printf("# thread %d: %s failed with unexpected errno %d (%s)\n",
			       f->id, op_names[op], errno, strerror(errno));
	}
}

/* Some fd of this thread, or a closed/garbage one now and then. */
static int pick_fd(struct fz *f, int *slot)
{
	*slot = rnd(f, FUZZ_FDS);
	/* never an fd number that may be open: a file of the harness */
	if (!rnd(f, 50))
		return rnd(f, 2) ? -1 : 1000 + (int)rnd(f, 64);
	return f->fd[*slot];
}

static uint64_t pick_size(struct fz *f)
{
	switch (rnd(f, 8)) {
	case 0: return 0;
	case 1: return rnd(f, 0);
	case 2: return CHUNK * (1 + rnd(f, 4)) + 64 * rnd(f, 3);
	case 3: return (uint64_t)1 << (32 + rnd(f, 30));
	default: return CHUNK * (1 + rnd(f, 4));
	}
}

/* 64-byte units mostly, near the edges of pool @psz now and then */
static uint64_t pick_off(struct fz *f, uint64_t psz)
{
	uint64_t span = psz ? psz : 8 * MIB;

	switch (rnd(f, 10)) {
	case 0: return rnd(f, 0);
	case 1: return span - 64 * rnd(f, 4);
	case 2: return rnd(f, span);
	case 3: return CHUNK * rnd(f, 5) - 64 * rnd(f, 2);
	default: return rnd(f, span / 64) * 64;
	}
}

static uint64_t pick_len(struct fz *f)
{
	switch (rnd(f, 10)) {
	case 0: return 0;
	case 1: return rnd(f, 0);
	case 2: return rnd(f, 4096) + 1;
	case 3: return CHUNK + 64 * rnd(f, 4);
	case 4: return UINT64_MAX - 63;
	default: return 64 * (1 + rnd(f, 8192));
	}
}

static uint64_t pick_card_addr(struct fz *f)
{
	switch (rnd(f, 10)) {
	case 0: return rnd(f, 0);
	case 1: return 8192 * MIB - 64 * rnd(f, 4);
	case 2: return rnd(f, CARD_SPAN);
	default: return rnd(f, CARD_SPAN / 64) * 64;
	}
}

static void op_submit(struct fz *f)
{
	struct micmem_xfer x[8];
	struct micmem_submit s;
	int slot, fd = pick_fd(f, &slot);
	uint32_t i, n = 1 + rnd(f, 8);
	void *arg = &s;

	memset(&s, 0, sizeof(s));
	if (f->pool[slot] && rnd(f, 2)) {
		/* a plausible batch, one field of it broken now and then */
		uint64_t psz = f->pool[slot];

		for (i = 0; i < n; i++) {
			uint64_t len = 64 * (1 + rnd(f, 4096));
			uint64_t off;

			if (len > psz)
				len = psz;
			off = rnd(f, (psz - len) / 64 + 1) * 64;
			x[i] = dma_xfer(off, rnd(f, (CARD_SPAN - len) / 64) * 64,
					len, rnd(f, 2), rnd(f, 3) == 2 ?
					MICMEM_CHAN_AUTO : rnd(f, 2));
		}
		if (!rnd(f, 3))
			x[rnd(f, n)].length += 64 * rnd(f, 3) + rnd(f, 2);
		goto go;
	}
	for (i = 0; i < n; i++) {
		x[i] = dma_xfer(pick_off(f, f->pool[slot]), pick_card_addr(f),
				pick_len(f), rnd(f, 8) ? rnd(f, 2) : rnd(f, 256),
				rnd(f, 8) ? (rnd(f, 3) == 2 ? MICMEM_CHAN_AUTO :
					     rnd(f, 2)) : rnd(f, 256));
		if (!rnd(f, 30))
			x[i].flags = rnd(f, 0x10000);
		if (!rnd(f, 30))
			x[i].reserved = rnd(f, 0);
	}
go:
	s.card = rnd(f, 10) ? rnd(f, 2) : rnd(f, 0);
	s.flags = rnd(f, 4) ? MICMEM_SUBMIT_NONBLOCK :
		  (rnd(f, 10) ? 0 : rnd(f, 0));
	s.count = rnd(f, 20) ? n : rnd(f, 0);
	s.xfers = (uintptr_t)x;
	if (!rnd(f, 30))
		s.xfers = rnd(f, 2) ? 0 : rnd(f, 0);
	if (!rnd(f, 30))
		s.reserved[rnd(f, 2)] = 1;
	if (!rnd(f, 50))
		arg = rnd(f, 2) ? NULL : (void *)(uintptr_t)rnd(f, 0);
	result(f, OP_SUBMIT, ioctl(fd, MICMEM_IOC_SUBMIT, arg));
	if (arg == &s && s.ticket)
		f->ticket[slot] = s.ticket;
}

static void op_wait(struct fz *f)
{
	struct micmem_wait w;
	int slot, fd = pick_fd(f, &slot);
	long ret;

	memset(&w, 0, sizeof(w));
	switch (rnd(f, 4)) {
	case 0: w.flags = MICMEM_WAIT_ANY; break;
	case 1: w.ticket = f->ticket[slot]; break;
	case 2: w.ticket = f->ticket[slot] + rnd(f, 4) - 2; break;
	default: w.ticket = rnd(f, 0); w.flags = rnd(f, 8) ? 0 : rnd(f, 0);
	}
	w.deadline_ns = rnd(f, 3) ? MICMEM_WAIT_NO_BLOCK :
			now_ns() + rnd(f, 5000000);
	if (!rnd(f, 30))
		w.reserved[rnd(f, 2)] = rnd(f, 0);
	ret = ioctl(fd, MICMEM_IOC_WAIT, rnd(f, 50) ? (void *)&w : NULL);
	result(f, OP_WAIT, ret);
	if (!ret)
		atomic_fetch_add(w.error ? &batches_failed : &batches_ok, 1);
}

static void op_mmap(struct fz *f)
{
	int slot, fd = pick_fd(f, &slot), m = rnd(f, FUZZ_MAPS);
	uint64_t len = rnd(f, 4) ? CHUNK * (1 + rnd(f, 3)) : pick_len(f);
	uint64_t off = rnd(f, 4) ? CHUNK * rnd(f, 4) : pick_off(f, 0);
	int prot = rnd(f, 4) ? PROT_READ | PROT_WRITE : (int)rnd(f, 8);
	int flags = rnd(f, 8) ? MAP_SHARED : MAP_PRIVATE;
	void *p;

	if (f->map[m].addr)
		return;
	if (len > 64 * MIB)
		len = 64 * MIB + 4096;
	p = mmap(NULL, len, prot, flags, fd, off);
	result(f, OP_MMAP, p == MAP_FAILED ? -1 : 0);
	if (p == MAP_FAILED)
		return;
	f->map[m].addr = p;
	f->map[m].len = len;
	if (prot & PROT_WRITE)
		((volatile uint8_t *)p)[rnd(f, 64) * 64] = 1;
	else if (prot & PROT_READ)
		(void)((volatile uint8_t *)p)[0];
}

static void op_close(struct fz *f, int slot)
{

	if (f->fd[slot] >= 0)
		result(f, OP_CLOSE, close(f->fd[slot]));
	f->fd[slot] = -1;
	f->pool[slot] = 0;
	f->ticket[slot] = 0;
}

static void do_op(struct fz *f, int op, int in_child);

/* The child of a fork: a few calls on the inherited fds, then exit. */
static void op_fork(struct fz *f)
{
	pid_t pid;
	int i, status;

	pid = fork();
	if (pid < 0) {
		result(f, OP_FORK, -1);
		return;
	}
	if (!pid) {
		fz_child = 1;
		for (i = 0; i < 20; i++)
			do_op(f, OP_ATTACH + rnd(f, 5), 1);
		_exit(fz_child_unexpected ? 1 : 0);
	}
	atomic_fetch_add(&forks, 1);
	result(f, OP_FORK, waitpid(pid, &status, 0) == pid ? 0 : -1);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		atomic_fetch_add(&unexpected, 1);
		printf("# thread %d: a fork's child ended with status 0x%x\n",
		       f->id, status);
	}
}

static void do_op(struct fz *f, int op, int in_child)
{
	struct micmem_pool_create pc;
	struct micmem_pool_info pi;
	struct micmem_attach a;
	struct micmem_query q;
	struct pollfd pfd;
	int slot, fd, m;

	switch (op) {
	case OP_OPEN:
		slot = rnd(f, FUZZ_FDS);
		if (f->fd[slot] >= 0)
			op_close(f, slot);
		f->fd[slot] = open(CTRL_PATH, (rnd(f, 4) ? O_RDWR : O_RDONLY) |
				   O_CLOEXEC);
		result(f, OP_OPEN, f->fd[slot]);
		break;
	case OP_CLOSE:
		op_close(f, rnd(f, FUZZ_FDS));
		break;
	case OP_QUERY:
		fd = pick_fd(f, &slot);
		result(f, OP_QUERY, ioctl(fd, MICMEM_IOC_QUERY,
					  rnd(f, 20) ? (void *)&q : NULL));
		break;
	case OP_POOL_CREATE:
		fd = pick_fd(f, &slot);
		memset(&pc, 0, sizeof(pc));
		pc.size = pick_size(f);
		if (pc.size > 16 * MIB && pc.size < ((uint64_t)8 << 30))
			pc.size = 16 * MIB;
		if (!rnd(f, 20))
			pc.flags = rnd(f, 0);
		if (!rnd(f, 20))
			pc.reserved[0] = 1;
		if (!ioctl(fd, MICMEM_IOC_POOL_CREATE, &pc)) {
			result(f, OP_POOL_CREATE, 0);
			if (fd == f->fd[slot])
				f->pool[slot] = pc.size;
		} else {
			result(f, OP_POOL_CREATE, -1);
		}
		break;
	case OP_POOL_INFO:
		fd = pick_fd(f, &slot);
		result(f, OP_POOL_INFO, ioctl(fd, MICMEM_IOC_POOL_INFO,
					      rnd(f, 20) ? (void *)&pi : NULL));
		break;
	case OP_ATTACH:
	case OP_DETACH:
		fd = pick_fd(f, &slot);
		memset(&a, 0, sizeof(a));
		a.card = rnd(f, 10) ? rnd(f, 2) : rnd(f, 0);
		if (!rnd(f, 20))
			a.flags = rnd(f, 0);
		if (!rnd(f, 20))
			a.reserved[1] = 1;
		result(f, op, ioctl(fd, op == OP_ATTACH ? MICMEM_IOC_ATTACH :
				    MICMEM_IOC_DETACH, &a));
		break;
	case OP_SUBMIT:
		op_submit(f);
		break;
	case OP_WAIT:
		op_wait(f);
		break;
	case OP_POLL:
		pfd.fd = pick_fd(f, &slot);
		pfd.events = POLLIN | POLLOUT;
		result(f, OP_POLL, poll(&pfd, 1, 0));
		break;
	case OP_MMAP:
		if (!in_child)
			op_mmap(f);
		break;
	case OP_MUNMAP:
	case OP_MADVISE:
		m = rnd(f, FUZZ_MAPS);
		if (in_child || !f->map[m].addr)
			break;
		if (op == OP_MADVISE) {
			result(f, op, madvise(f->map[m].addr, f->map[m].len,
					      rnd(f, 2) ? MADV_DONTNEED :
					      MADV_NOHUGEPAGE));
			break;
		}
		result(f, op, munmap(f->map[m].addr, f->map[m].len));
		f->map[m].addr = NULL;
		break;
	case OP_BAD_IOCTL:
		fd = pick_fd(f, &slot);
		result(f, op, ioctl(fd, _IOC(rnd(f, 4), MICMEM_IOC_MAGIC,
					     rnd(f, 256), rnd(f, 128)),
				    NULL));
		break;
	case OP_FORK:
		if (!in_child)
			op_fork(f);
		break;
	}
}

static int pick_op(struct fz *f)
{
	int r = rnd(f, 1000), op;

	for (op = 0; op < OP_NR - 1; op++) {
		if (r < op_weight[op])
			return op;
		r -= op_weight[op];
	}
	return OP_NR - 1;
}

static void *fuzz_thread(void *arg)
{
	struct fz *f = arg;
	long long end = now_ms() + soak_seconds * 1000;
	long n;
	int i;

	for (n = 0; soak_seconds ? now_ms() < end : n < FUZZ_CALLS; n++)
		do_op(f, pick_op(f), 0);
	for (i = 0; i < FUZZ_MAPS; i++)
		if (f->map[i].addr)
			munmap(f->map[i].addr, f->map[i].len);
	for (i = 0; i < FUZZ_FDS; i++)
		if (f->fd[i] >= 0)
			close(f->fd[i]);
	return NULL;
}

/* Both cards still move data intact. */
static void check_cards_work(void)
{
	struct dma_fd d;
	int card;

	ASSERT_OK(dma_fd_open(&d, 4 * MIB));
	for (card = 0; card < 2; card++) {
		ASSERT_OK(dma_attach(d.fd, card));
		dma_roundtrip(&d, card, 2000 + card);
	}
	dma_fd_close(&d);
}

TEST_TIMEOUT(fuzz_ioctl_and_mmap, 1200)
{
	static struct fz f[FUZZ_THREADS];
	pthread_t th[FUZZ_THREADS];
	long long t0, total = 0;
	struct mem_base mb;
	char line[512];
	int i, op, n;

	check_cards_work();
	mem_base_take(&mb);
	signal(SIGPIPE, SIG_IGN);
	t0 = now_ms();
	for (i = 0; i < FUZZ_THREADS; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		memset(f[i].fd, -1, sizeof(f[i].fd));
		f[i].rnd = fuzz_seed + 0x9e3779b97f4a7c15ULL * (i + 1);
		f[i].id = i;
		ASSERT_EQ(pthread_create(&th[i], NULL, fuzz_thread, &f[i]), 0);
	}
	for (i = 0; i < FUZZ_THREADS; i++)
		pthread_join(th[i], NULL);
	for (op = 0, n = 0; op < OP_NR; op++) {
		total += calls[op];
		n += snprintf(line + n, sizeof(line) - n, " %s %lld",
			      op_names[op], (long long)calls[op]);
	}
	printf("# fuzz: seed 0x%llx, %d threads, %lld calls in %lld ms (%lld succeeded, %lld unexpected errnos), %lld forks, batches %lld ok %lld failed\n",
	       (unsigned long long)fuzz_seed, FUZZ_THREADS, total,
	       now_ms() - t0, (long long)ok_calls, (long long)unexpected,
	       (long long)forks, (long long)batches_ok,
	       (long long)batches_failed);
	printf("# fuzz calls:%s\n", line);
	EXPECT_EQ(unexpected, 0);
	if (!soak_seconds)
		EXPECT_GE(total, 100000);
	check_cards_work();
	mem_check("fuzz", &mb);
}

int main(int argc, char **argv)
{
	int i, j;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--soak") && i + 1 < argc)
			soak_seconds = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			fuzz_seed = strtoull(argv[i + 1], NULL, 0);
		else
			continue;
		for (j = i; j + 2 <= argc; j++)
			argv[j] = argv[j + 2];
		argc -= 2;
		i--;
	}
	if (soak_seconds)
		tap_case_fuzz_ioctl_and_mmap.timeout = soak_seconds + 600;
	return tap_main(argc, argv);
}
