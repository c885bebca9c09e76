// SPDX-License-Identifier: GPL-2.0
/*
 * dma_wait: tickets, MICMEM_IOC_WAIT and poll() (doc/uapi.md): poll()
 * reports completed tickets and MICMEM_WAIT_ANY consumes them, waits are
 * interruptible and restart with their absolute deadline, every error of
 * the call itself leaves the struct and the ticket alone, a result that
 * cannot be written leaves the ticket waitable, each batch is handed back
 * exactly once however many waits (for its ticket or MICMEM_WAIT_ANY) are
 * blocked for it, and closing, detaching or killing with DMA in flight is
 * safe: the pool stays allocated until the engine is done with it.  A
 * stalled channel (sim knob) keeps batches in flight on demand.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "tap.h"
#include "dma_util.h"

#define POOL	(8 * MIB)
#define MS	1000000ULL

static int card;

static void setup(struct dma_fd *d, uint64_t size)
{
	card = sim_card_nr("card0");
	ASSERT_GE(card, 0);
	ASSERT_OK(dma_fd_open(d, size));
	ASSERT_OK(dma_attach(d->fd, card));
}

static void stall(int on)
{
	micsim_defer_knob("card0", "stall");
	ASSERT_OK(micsim_knob_set("card0", "stall", on ? "1" : "0"));
}

static int wait_any(int fd, uint64_t deadline, struct micmem_wait *w)
{
	memset(w, 0, sizeof(*w));
	w->flags = MICMEM_WAIT_ANY;
	w->deadline_ns = deadline;
	return ioctl(fd, MICMEM_IOC_WAIT, w);
}

static int poll_in(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) < 0)
		return -1;
	return p.revents;
}

TEST(poll_reports_completed_tickets)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct micmem_wait w;
	struct dma_fd d;
	uint64_t t[3];
	int i;

	setup(&d, POOL);
	EXPECT_EQ(poll_in(d.fd, 0), 0);
	stall(1);
	for (i = 0; i < 3; i++)
		ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t[i]));
	/* distinct, never 0 (not necessarily consecutive: doc/uapi.md) */
	EXPECT_NE(t[0], 0);
	EXPECT_NE(t[1], t[0]);
	EXPECT_NE(t[2], t[1]);
	EXPECT_NE(t[2], t[0]);
	EXPECT_EQ(poll_in(d.fd, 100), 0);
	EXPECT_ERRNO(wait_any(d.fd, MICMEM_WAIT_NO_BLOCK, &w), ETIME);
	stall(0);
	EXPECT_EQ(poll_in(d.fd, 3000), POLLIN);
	/* one channel: completion in submission order */
	for (i = 0; i < 3; i++) {
		int n;

		for (n = 0; n < 100 && poll_in(d.fd, 50) != POLLIN; n++)
			;
		EXPECT_OK(wait_any(d.fd, MICMEM_WAIT_NO_BLOCK, &w));
		EXPECT_EQ(w.ticket, t[i]);
		EXPECT_EQ(w.error, 0);
	}
	EXPECT_EQ(poll_in(d.fd, 0), 0);
	EXPECT_ERRNO(wait_any(d.fd, MICMEM_WAIT_FOREVER, &w), ENOENT);
	dma_fd_close(&d);
}

struct waiter {
	int fd;
	uint64_t ticket;	/* 0: any */
	int ret, err;
	struct micmem_wait w;
	volatile int done;
};

static void *waiter_main(void *arg)
{
	struct waiter *wt = arg;

	if (wt->ticket)
		wt->ret = dma_wait(wt->fd, wt->ticket, MICMEM_WAIT_FOREVER,
				   &wt->w);
	else
		wt->ret = wait_any(wt->fd, MICMEM_WAIT_FOREVER, &wt->w);
	wt->err = errno;
	wt->done = 1;
	return NULL;
}

TEST(wait_any_blocks_until_a_batch_completes)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct waiter wt;
	struct dma_fd d;
	pthread_t th;
	uint64_t t;

	setup(&d, POOL);
	stall(1);
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	memset(&wt, 0, sizeof(wt));
	wt.fd = d.fd;
	ASSERT_EQ(pthread_create(&th, NULL, waiter_main, &wt), 0);
	usleep(200000);
	EXPECT_FALSE(wt.done);
	stall(0);
	pthread_join(th, NULL);
	EXPECT_EQ(wt.ret, 0);
	EXPECT_EQ(wt.w.ticket, t);
	dma_fd_close(&d);
}

/* Exactly once: one of two waiters blocked for a ticket gets it. */
TEST(two_waiters_for_one_ticket_one_gets_it)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct waiter wt[2];
	struct micmem_wait w;
	struct dma_fd d;
	pthread_t th[2];
	uint64_t t;
	int i;

	setup(&d, POOL);
	stall(1);
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	for (i = 0; i < 2; i++) {
		memset(&wt[i], 0, sizeof(wt[i]));
		wt[i].fd = d.fd;
		wt[i].ticket = t;
		ASSERT_EQ(pthread_create(&th[i], NULL, waiter_main, &wt[i]), 0);
	}
	usleep(200000);
	stall(0);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	i = wt[0].ret != 0;	/* the one that got it */
	EXPECT_EQ(wt[i].ret, 0);
	EXPECT_EQ(wt[i].w.ticket, t);
	EXPECT_EQ(wt[!i].ret, -1);
	EXPECT_EQ(wt[!i].err, ENOENT);
	EXPECT_ERRNO(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w), ENOENT);
	dma_fd_close(&d);
}

static volatile int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void every_50ms(int restart)
{
	struct itimerval it = {
		.it_interval = { 0, 50000 }, .it_value = { 0, 50000 },
	};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void alarms_off(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * Signals with SA_RESTART: the wait restarts and still ends at its
 * absolute deadline.  Without SA_RESTART: -EINTR at the first signal.
 */
TEST(wait_is_interruptible_and_restarts_with_its_deadline)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct micmem_wait w;
	uint64_t t, t0, dt;
	struct dma_fd d;

	setup(&d, POOL);
	stall(1);
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));

	alarms = 0;
	every_50ms(1);
	t0 = now_ns();
	EXPECT_ERRNO(dma_wait(d.fd, t, t0 + 500 * MS, &w), ETIME);
	dt = now_ns() - t0;
	alarms_off();
	TH_LOG("SA_RESTART: %d signals, wait took %llu ms", alarms,
	       (unsigned long long)(dt / MS));
	EXPECT_GE(alarms, 3);
	EXPECT_GE(dt, 500 * MS);
	EXPECT_LT(dt, 2000 * MS);

	alarms = 0;
	every_50ms(0);
	t0 = now_ns();
	EXPECT_ERRNO(dma_wait(d.fd, t, t0 + 5000 * MS, &w), EINTR);
	dt = now_ns() - t0;
	alarms_off();
	EXPECT_GE(alarms, 1);
	EXPECT_LT(dt, 2000 * MS);

	stall(0);
	EXPECT_OK(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w));
	dma_fd_close(&d);
}

TEST(detach_with_work_in_flight)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct micmem_wait w;
	struct dma_fd d;
	uint64_t t, t2;

	setup(&d, POOL);
	stall(1);
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	EXPECT_OK(dma_detach(d.fd, card));
	EXPECT_ERRNO(dma_submit(d.fd, card, &x, 1, 0, &t2), ENOTCONN);
	stall(0);
	EXPECT_OK(dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w));
	dma_fd_close(&d);
}

/*
 * One thread submits, another consumes with MICMEM_WAIT_ANY at once: every
 * ticket is reported to the submitter and to the consumer exactly once.
 */
#define RACE_N	3000

struct race {
	int fd;
	uint64_t got[RACE_N];
	int n, err;
};

static void *consumer(void *arg)
{
	struct race *r = arg;
	struct micmem_wait w;

	while (r->n < RACE_N) {
		if (wait_any(r->fd, now_ns() + 10000 * MS, &w)) {
			if (errno == ENOENT)
				continue;	/* nothing submitted yet */
			r->err = errno;
			break;
		}
		r->got[r->n++] = w.ticket;
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

TEST(submit_races_with_wait_any)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64, MICMEM_DIR_TO_CARD, 0);
	static uint64_t sent[RACE_N];
	static struct race r;
	struct dma_fd d;
	pthread_t th;
	int i, bad = 0;

	setup(&d, POOL);
	memset(&r, 0, sizeof(r));
	r.fd = d.fd;
	ASSERT_EQ(pthread_create(&th, NULL, consumer, &r), 0);
	for (i = 0; i < RACE_N; i++)
		ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &sent[i]));
	pthread_join(th, NULL);
	EXPECT_EQ(r.err, 0);
	ASSERT_EQ(r.n, RACE_N);
	/*
	 * tickets are not consecutive numbers (doc/uapi.md): the same set,
	 * each ticket once
	 */
	qsort(sent, RACE_N, sizeof(uint64_t), cmp_u64);
	qsort(r.got, RACE_N, sizeof(uint64_t), cmp_u64);
	for (i = 0; i < RACE_N; i++) {
		bad += !sent[i] || (i && sent[i] == sent[i - 1]);
		bad += r.got[i] != sent[i];
	}
	EXPECT_EQ(bad, 0);
	dma_fd_close(&d);
}

static long long mem_free_kib(void)
{
	char line[128];
	long long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %lld kB", &v) == 1)
			break;
	fclose(f);
	return v;
}

/*
 * close() with a batch in flight returns after a bounded wait; the pool
 * pages stay allocated until the engine executed the batch, then go.
 */
TEST(close_with_work_in_flight_keeps_the_pool_until_done)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	long long memcopy, held, freed;
	struct dma_fd d;
	uint64_t t, t0, dt;

	tap_defer_restore_file(PARAM_DIR "close_wait_ms");
	ASSERT_OK(param_set("close_wait_ms", "200"));
	setup(&d, 128 * MIB);
	memset(d.pool, 1, 128 * MIB);
	stall(1);
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	memcopy = micsim_knob_get("card0", "dma_memcopy");
	munmap(d.pool, d.size);
	t0 = now_ns();
	close(d.fd);
	dt = now_ns() - t0;
	/*
	 * A jiffies timeout may end up to one tick early (the first tick
	 * is partial): 4 ms at the cloud kernel's HZ=250, 10 ms at HZ=100.
	 */
	EXPECT_GE(dt, 190 * MS);
	EXPECT_LT(dt, 2000 * MS);
	held = mem_free_kib();
	stall(0);
	usleep(300000);
	freed = mem_free_kib();
	TH_LOG("MemFree %lld kB while in flight, %lld kB after", held, freed);
	EXPECT_EQ(micsim_knob_get("card0", "dma_memcopy") - memcopy, 1);
	/*
	 * The 128 MiB pool was still allocated while the batch waited
	 * (MemFree moves by a few MiB on its own: a wide margin).
	 */
	EXPECT_GT(freed - held, 96 * 1024);
}

/* A process killed while it waits goes away; its batch finishes later. */
TEST(kill_while_waiting_is_prompt)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	long long memcopy;
	int status, pipefd[2];
	uint64_t t0;
	pid_t pid;
	char c;

	card = sim_card_nr("card0");
	memcopy = micsim_knob_get("card0", "dma_memcopy");
	stall(1);
	ASSERT_OK(pipe(pipefd));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct micmem_wait w;
		struct dma_fd d;
		uint64_t t;

		if (dma_fd_open(&d, POOL) || dma_attach(d.fd, card) ||
		    dma_submit(d.fd, card, &x, 1, 0, &t))
			_exit(1);
		if (write(pipefd[1], "s", 1) != 1)
			_exit(1);
		dma_wait(d.fd, t, MICMEM_WAIT_FOREVER, &w);
		_exit(2);
	}
	ASSERT_EQ(read(pipefd[0], &c, 1), 1);
	usleep(100000);
	t0 = now_ns();
	kill(pid, SIGKILL);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(status));
	/* close_wait_ms is killable: no waiting for the stalled batch */
	EXPECT_LT(now_ns() - t0, 500 * MS);
	stall(0);
	usleep(200000);
	EXPECT_EQ(micsim_knob_get("card0", "dma_memcopy") - memcopy, 1);
}

/* ---- errors of the call itself ---- */

#define UNTOUCHED	0x5a5a5a5a

/* A WAIT argument whose out fields hold sentinels. */
static void wait_arg(struct micmem_wait *w, uint64_t ticket,
		     uint64_t deadline, uint32_t flags)
{
	memset(w, 0, sizeof(*w));
	w->ticket = ticket;
	w->deadline_ns = deadline;
	w->flags = flags;
	w->failed_xfer = UNTOUCHED;
	w->error = UNTOUCHED;
	w->error_class = UNTOUCHED;
}

/* The call failed with @e and wrote nothing: no batch was handed back. */
#define EXPECT_CALL_ERROR(fd, w, e)					\
	do {								\
		uint64_t t_ = (w).ticket;				\
									\
		EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_WAIT, &(w)), e);	\
		EXPECT_EQ((w).ticket, t_);				\
		EXPECT_EQ((w).error, UNTOUCHED);			\
		EXPECT_EQ((w).failed_xfer, UNTOUCHED);			\
		EXPECT_EQ((w).error_class, UNTOUCHED);			\
	} while (0)

/*
 * Every errno of the call itself (doc/uapi.md): EINVAL, ENOENT, ETIME,
 * EINTR, EFAULT.  None writes the struct or consumes a ticket: the batch
 * is handed back afterwards.
 */
TEST(wait_call_errors_write_nothing_and_consume_nothing)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct micmem_wait w;
	struct dma_fd d;
	uint64_t t;

	setup(&d, POOL);
	/* EINVAL */
	wait_arg(&w, 1, MICMEM_WAIT_NO_BLOCK, 4);
	EXPECT_CALL_ERROR(d.fd, w, EINVAL);
	wait_arg(&w, 1, MICMEM_WAIT_NO_BLOCK, MICMEM_WAIT_ANY | 0x80000000U);
	EXPECT_CALL_ERROR(d.fd, w, EINVAL);
	wait_arg(&w, 1, MICMEM_WAIT_NO_BLOCK, 0);
	w.reserved[0] = 1;
	EXPECT_CALL_ERROR(d.fd, w, EINVAL);
	wait_arg(&w, 1, MICMEM_WAIT_NO_BLOCK, 0);
	w.reserved[1] = 1;
	EXPECT_CALL_ERROR(d.fd, w, EINVAL);
	/* ENOENT: never issued, 0, all ones, ANY without any batch */
	wait_arg(&w, 12345, MICMEM_WAIT_FOREVER, 0);
	EXPECT_CALL_ERROR(d.fd, w, ENOENT);
	wait_arg(&w, 0, MICMEM_WAIT_FOREVER, 0);
	EXPECT_CALL_ERROR(d.fd, w, ENOENT);
	wait_arg(&w, ~0ULL, MICMEM_WAIT_FOREVER, 0);
	EXPECT_CALL_ERROR(d.fd, w, ENOENT);
	wait_arg(&w, 0, MICMEM_WAIT_FOREVER, MICMEM_WAIT_ANY);
	EXPECT_CALL_ERROR(d.fd, w, ENOENT);
	/* EFAULT: the argument cannot be read */
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, (void *)8), EFAULT);
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, NULL), EFAULT);

	stall(1);
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	/* ENOENT: the next ticket, not issued yet */
	wait_arg(&w, t + 1, MICMEM_WAIT_NO_BLOCK, 0);
	EXPECT_CALL_ERROR(d.fd, w, ENOENT);
	/* ETIME: no block, a past deadline, a deadline that passes */
	wait_arg(&w, t, MICMEM_WAIT_NO_BLOCK, 0);
	EXPECT_CALL_ERROR(d.fd, w, ETIME);
	wait_arg(&w, t, 1, 0);
	EXPECT_CALL_ERROR(d.fd, w, ETIME);
	wait_arg(&w, t, now_ns() + 100 * MS, 0);
	EXPECT_CALL_ERROR(d.fd, w, ETIME);
	wait_arg(&w, 0, now_ns() + 100 * MS, MICMEM_WAIT_ANY);
	EXPECT_CALL_ERROR(d.fd, w, ETIME);
	/* EINTR: a signal without SA_RESTART */
	every_50ms(0);
	wait_arg(&w, t, now_ns() + 5000 * MS, 0);
	EXPECT_CALL_ERROR(d.fd, w, EINTR);
	wait_arg(&w, 0, now_ns() + 5000 * MS, MICMEM_WAIT_ANY);
	EXPECT_CALL_ERROR(d.fd, w, EINTR);
	alarms_off();
	stall(0);

	/* none of that consumed anything */
	wait_arg(&w, t, now_ns() + 5000 * MS, 0);
	ASSERT_OK(ioctl(d.fd, MICMEM_IOC_WAIT, &w));
	EXPECT_EQ(w.ticket, t);
	EXPECT_EQ(w.error, 0);
	EXPECT_EQ(w.failed_xfer, MICMEM_NO_XFER);
	EXPECT_EQ(w.error_class, MICMEM_ERR_NONE);
	/* consumed now */
	wait_arg(&w, t, MICMEM_WAIT_NO_BLOCK, 0);
	EXPECT_CALL_ERROR(d.fd, w, ENOENT);
	dma_fd_close(&d);
}

/* ---- a result that cannot be written ---- */

/* A WAIT argument in a read-only page: readable, not writable. */
static struct micmem_wait *wait_arg_ro(uint64_t ticket, uint32_t flags)
{
	static struct micmem_wait *ro;
	long pg = sysconf(_SC_PAGESIZE);

	if (!ro) {
		ro = mmap(NULL, pg, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (ro == MAP_FAILED)
			return NULL;
	}
	mprotect(ro, pg, PROT_READ | PROT_WRITE);
	wait_arg(ro, ticket, now_ns() + 5000 * MS, flags);
	mprotect(ro, pg, PROT_READ);
	return ro;
}

/*
 * EFAULT on the result: the ticket is not consumed; it stays completed,
 * in its place (oldest first for MICMEM_WAIT_ANY), and poll() still
 * reports it.  The next wait gets it.
 */
TEST(efault_on_the_result_leaves_the_ticket_waitable)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct micmem_wait w, *ro;
	struct dma_fd d;
	uint64_t t[2];
	int i;

	setup(&d, POOL);
	stall(1);
	for (i = 0; i < 2; i++)
		ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t[i]));
	stall(0);
	for (i = 0; i < 100 && poll_in(d.fd, 50) != POLLIN; i++)
		;
	usleep(100000);		/* both done: one channel, in order */

	ro = wait_arg_ro(t[0], 0);
	ASSERT_TRUE(ro != NULL);
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, ro), EFAULT);
	EXPECT_EQ(poll_in(d.fd, 0), POLLIN);
	ro = wait_arg_ro(0, MICMEM_WAIT_ANY);
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, ro), EFAULT);
	/* still the oldest: WAIT_ANY gets t[0] */
	wait_arg(&w, 0, now_ns() + 5000 * MS, MICMEM_WAIT_ANY);
	ASSERT_OK(ioctl(d.fd, MICMEM_IOC_WAIT, &w));
	EXPECT_EQ(w.ticket, t[0]);
	EXPECT_EQ(w.error, 0);

	/* the second one by its ticket, after an EFAULT */
	ro = wait_arg_ro(t[1], 0);
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, ro), EFAULT);
	wait_arg(&w, t[1], now_ns() + 5000 * MS, 0);
	ASSERT_OK(ioctl(d.fd, MICMEM_IOC_WAIT, &w));
	EXPECT_EQ(w.ticket, t[1]);
	EXPECT_EQ(w.error, 0);
	EXPECT_EQ(poll_in(d.fd, 0), 0);
	wait_arg(&w, 0, MICMEM_WAIT_NO_BLOCK, MICMEM_WAIT_ANY);
	EXPECT_CALL_ERROR(d.fd, w, ENOENT);
	dma_fd_close(&d);
}

/* ---- exactly once: a wait for the ticket against MICMEM_WAIT_ANY ---- */

#define DUO_ROUNDS	40

struct duo {
	int fd;
	uint64_t ticket;
	pthread_barrier_t *go;
	int ret, err;
	struct micmem_wait w;
};

static void *duo_main(void *arg)
{
	struct duo *o = arg;

	pthread_barrier_wait(o->go);
	memset(&o->w, 0, sizeof(o->w));
	o->w.ticket = o->ticket;
	o->w.flags = o->ticket ? 0 : MICMEM_WAIT_ANY;
	o->w.deadline_ns = now_ns() + 10000 * MS;
	o->ret = ioctl(o->fd, MICMEM_IOC_WAIT, &o->w);
	o->err = o->ret ? errno : 0;
	return NULL;
}

/*
 * Each round one batch and two threads: one waits for its ticket, one
 * with MICMEM_WAIT_ANY.  In even rounds both are blocked before the batch
 * completes (stalled channel), in odd rounds they race with the
 * completion.  Exactly one gets the batch, the other ENOENT (the fd has
 * no other batch).
 */
TEST(wait_and_wait_any_never_share_a_batch)
{
	struct micmem_xfer x = dma_xfer(0, 0, 4 * KIB, MICMEM_DIR_TO_CARD, 0);
	int r, i, got, lost, bad = 0;
	pthread_barrier_t go;
	struct duo o[2];
	pthread_t th[2];
	struct dma_fd d;
	uint64_t t;

	setup(&d, POOL);
	ASSERT_EQ(pthread_barrier_init(&go, NULL, 2), 0);
	for (r = 0; r < DUO_ROUNDS; r++) {
		int stalled = !(r % 2);

		if (stalled)
			stall(1);
		ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
		for (i = 0; i < 2; i++) {
			memset(&o[i], 0, sizeof(o[i]));
			o[i].fd = d.fd;
			o[i].ticket = i ? 0 : t;
			o[i].go = &go;
			ASSERT_EQ(pthread_create(&th[i], NULL, duo_main, &o[i]),
				  0);
		}
		if (stalled) {
			usleep(30000);
			stall(0);
		}
		for (i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		got = lost = 0;
		for (i = 0; i < 2; i++) {
			got += !o[i].ret && o[i].w.ticket == t &&
			       !o[i].w.error;
			lost += o[i].ret == -1 && o[i].err == ENOENT;
		}
		if (got != 1 || lost != 1) {
			if (bad++ < 5)
				TH_LOG("round %d (%s): ticket wait %d/%d, any %d/%d ticket %llu",
				       r, stalled ? "blocked" : "racing",
				       o[0].ret, o[0].err, o[1].ret, o[1].err,
				       (unsigned long long)o[1].w.ticket);
		}
	}
	EXPECT_EQ(bad, 0);
	pthread_barrier_destroy(&go);
	dma_fd_close(&d);
}

/*
 * MICMEM_WAIT_POLL (doc/uapi.md): the feature bit, a polled wait for a
 * ticket and with MICMEM_WAIT_ANY hands the batch back exactly once as a
 * plain wait does; with the engine held it spins, sleeps and fails with
 * ETIME at its deadline (NO_BLOCK at once), consuming nothing; the
 * longest spin the module allows is 1000 us whatever is written.
 */
TEST(polled_wait)
{
	struct micmem_xfer x = dma_xfer(0, 0, 4 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct micmem_query q;
	struct micmem_wait w;
	struct dma_fd d;
	uint64_t t, t2;
	int i;

	setup(&d, POOL);
	memset(&q, 0, sizeof(q));
	ASSERT_OK(ioctl(d.fd, MICMEM_IOC_QUERY, &q));
	EXPECT_TRUE(q.features & MICMEM_FEAT_WAIT_POLL);

	for (i = 0; i < 50; i++) {
		ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
		memset(&w, 0, sizeof(w));
		w.ticket = t;
		w.deadline_ns = MICMEM_WAIT_FOREVER;
		w.flags = MICMEM_WAIT_POLL | (i % 2 ? MICMEM_WAIT_ANY : 0);
		ASSERT_EQ(ioctl(d.fd, MICMEM_IOC_WAIT, &w), 0);
		EXPECT_EQ(w.ticket, t);
		EXPECT_EQ(w.error, 0);
		EXPECT_EQ(w.failed_xfer, MICMEM_NO_XFER);
		EXPECT_ERRNO(dma_wait(d.fd, t, MICMEM_WAIT_NO_BLOCK, &w), ENOENT);
	}

	tap_defer_restore_file(PARAM_DIR "wait_poll_us");
	ASSERT_OK(param_set("wait_poll_us", "1000000"));
	stall(1);
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t));
	ASSERT_OK(dma_submit(d.fd, card, &x, 1, 0, &t2));
	memset(&w, 0, sizeof(w));
	w.ticket = t;
	w.flags = MICMEM_WAIT_POLL;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), ETIME);
	w.deadline_ns = now_ns() + 300 * MS;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), ETIME);
	/* it spins (1 ms at most), sleeps and ends at its deadline, not before */
	EXPECT_GE(now_ns(), w.deadline_ns);
	w.flags = MICMEM_WAIT_POLL | MICMEM_WAIT_ANY;
	w.deadline_ns = now_ns() + 100 * MS;
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), ETIME);
	stall(0);
	/* nothing was consumed: both come back, each once */
	memset(&w, 0, sizeof(w));
	w.ticket = t2;
	w.deadline_ns = now_ns() + 20000 * MS;
	w.flags = MICMEM_WAIT_POLL;
	ASSERT_EQ(ioctl(d.fd, MICMEM_IOC_WAIT, &w), 0);
	EXPECT_EQ(w.ticket, t2);
	w.flags = MICMEM_WAIT_POLL | MICMEM_WAIT_ANY;
	ASSERT_EQ(ioctl(d.fd, MICMEM_IOC_WAIT, &w), 0);
	EXPECT_EQ(w.ticket, t);
	EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), ENOENT);
	dma_fd_close(&d);
}

TEST_MAIN()
