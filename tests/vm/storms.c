// SPDX-License-Identifier: GPL-2.0
/*
 * storms: teardown of every kind while DMA is in flight, many times over,
 * with the counts printed and memory checked against a baseline taken
 * before each storm (storm_util.h):
 *  - SIGKILL of a process with batches in flight (storm_kills);
 *  - close(), munmap(), DETACH and exit() with queued work (storm_queued,
 *    a quarter each);
 *  - surprise removal of a card during DMA in every way the sim offers:
 *    the card vanishes from the bus (knob vanish, found by the health
 *    check), goes offline (configfs live=0), or its directory is removed
 *    (rmdir) (storm_removals, a third each).
 * Every wait ends with a result (never the deadline), and afterwards both
 * cards still move data with every byte checked.  Needs two sim cards.
 * `--divide N` (first argument) runs 1/N of each count (the debug lane, doc/testing.md).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "card_util.h"
#include "storm_util.h"

static int storm_kills = 1000;
static int storm_queued = 1000;		/* a multiple of Q_WAYS */
static int storm_removals = 102;	/* a multiple of R_WAYS */

#define SPOOL		(2 * MIB)

/*
 * 4 transfers of 256 KiB on @ch (or AUTO) in direction @dir, within the
 * first 16 MiB of the card (the removal storm's cards have 64 MiB).
 */
static int submit_some(int fd, int card, int ch, int dir, uint64_t *t)
{
	uint64_t base = 8 * MIB + (card % 4) * 2 * MIB;
	struct micmem_xfer x[4];
	int i;

	for (i = 0; i < 4; i++)
		x[i] = dma_xfer(i * 512 * KIB, base + i * 512 * KIB,
				256 * KIB, dir, ch);
	return dma_submit(fd, card, x, 4, 0, t);
}

static const int chans[3] = { 0, 1, MICMEM_CHAN_AUTO };

/*
 * Both cards: a round trip whose every byte is checked.  The sim backs
 * card memory on first touch (knob mem_pages): every case calls this
 * before its memory baseline too, so that those pages are in it.
 */
static void check_cards_work(void)
{
	struct dma_fd d;
	int card;

	ASSERT_OK(dma_fd_open(&d, 4 * MIB));
	for (card = 0; card < 2; card++) {
		ASSERT_OK(dma_attach(d.fd, card));
		dma_roundtrip(&d, card, 1000 + card);
	}
	dma_fd_close(&d);
}

/*
 * The child of one kill: three batches in flight (3 MiB to move), then it
 * tells the parent and submits one more.
 */
static void __attribute__((noreturn)) kill_child(int wfd, int card, int ch)
{
	struct dma_fd d;
	uint64_t t;
	char c = 1;

	if (dma_fd_open(&d, SPOOL) || dma_attach(d.fd, card))
		_exit(2);
	if (submit_some(d.fd, card, ch, MICMEM_DIR_TO_CARD, &t) ||
	    submit_some(d.fd, card, ch, MICMEM_DIR_FROM_CARD, &t) ||
	    submit_some(d.fd, card, ch, MICMEM_DIR_TO_CARD, &t))
		_exit(3);
	if (write(wfd, &c, 1) != 1)
		_exit(4);
	submit_some(d.fd, card, ch, MICMEM_DIR_FROM_CARD, &t);
	for (;;)
		pause();
}

/* @n kills; how many children died of SIGKILL after telling. */
static int kill_storm(int n, uint64_t *seed, int *early)
{
	int i, p[2], status, killed = 0;
	pid_t pid;
	char c;

	for (i = 0; i < n; i++) {
		ASSERT_OK(pipe(p));
		pid = fork();
		ASSERT_OK(pid);
		if (!pid) {
			close(p[0]);
			kill_child(p[1], i % 2, chans[i % 3]);
		}
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			(*early)++;
		if (storm_rand(seed) & 1)
			usleep(storm_rand(seed) % 500);
		kill(pid, SIGKILL);
		ASSERT_EQ(waitpid(pid, &status, 0), pid);
		close(p[0]);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			killed++;
		else if (killed + 5 > i)
			TH_LOG("child %d: status 0x%x", i, status);
	}
	return killed;
}

TEST_TIMEOUT(sigkill_during_dma, 300)
{
	uint64_t seed = 0x5eed0001;
	struct mem_base mb;
	int killed, early = 0;
	long long t0;

	/* warm-up: the kernel's caches for processes and pools */
	kill_storm(20, &seed, &early);
	check_cards_work();
	mem_base_take(&mb);
	t0 = now_ms();
	killed = kill_storm(storm_kills, &seed, &early);
	EXPECT_EQ(killed, storm_kills);
	EXPECT_EQ(early, 0);
	printf("# sigkill: %d processes killed with DMA in flight in %lld ms\n",
	       killed, now_ms() - t0);
	check_cards_work();
	mem_check("sigkill", &mb);
}

/* How one queued-work iteration ends its fd. */
enum { Q_CLOSE, Q_MUNMAP, Q_DETACH, Q_EXIT, Q_WAYS };
static const char *const q_names[Q_WAYS] = { "close", "munmap", "detach",
					     "exit" };

/* One iteration; 0 or a small error code. */
static int queued_once(int way, int card, int ch)
{
	struct micmem_wait w;
	uint64_t t[3];
	struct dma_fd d;
	int i;

	if (dma_fd_open(&d, SPOOL) || dma_attach(d.fd, card))
		return 1;
	fill_pattern(d.pool, SPOOL, way);
	for (i = 0; i < 3; i++)
		if (submit_some(d.fd, card, ch, i == 1 ? MICMEM_DIR_FROM_CARD :
				MICMEM_DIR_TO_CARD, &t[i]))
			return 2;
	switch (way) {
	case Q_CLOSE:		/* the last munmap waits, not close */
		if (close(d.fd))
			return 3;
		d.pool[0] ^= 1;
		return munmap(d.pool, d.size) ? 4 : 0;
	case Q_MUNMAP:		/* the fd still waits for its tickets */
		if (munmap(d.pool, d.size))
			return 5;
		for (i = 0; i < 3; i++)
			if (dma_wait(d.fd, t[i], now_ns() + 10000000000ULL, &w))
				return 6;
		return close(d.fd) ? 7 : 0;
	case Q_DETACH:		/* submitted batches are not affected */
		if (dma_detach(d.fd, card))
			return 8;
		for (i = 0; i < 3; i++)
			if (dma_wait(d.fd, t[i], now_ns() + 10000000000ULL, &w))
				return 9;
		if (dma_detach(d.fd, card) != -1 || errno != ENOTCONN)
			return 10;
		dma_fd_close(&d);
		return 0;
	default:		/* exit with all of it */
		_exit(0);
	}
}

TEST_TIMEOUT(teardown_with_queued_work, 300)
{
	int i, way, status, ret, done[Q_WAYS] = { 0 };
	struct mem_base mb;
	long long t0 = now_ms();
	pid_t pid;

	check_cards_work();
	mem_base_take(&mb);
	for (i = 0; i < storm_queued; i++) {
		way = i % Q_WAYS;
		if (way == Q_EXIT) {
			pid = fork();
			ASSERT_OK(pid);
			if (!pid)
				_exit(queued_once(way, i % 2, chans[i % 3]));
			ASSERT_EQ(waitpid(pid, &status, 0), pid);
			ret = WIFEXITED(status) ? WEXITSTATUS(status) : 100;
		} else {
			ret = queued_once(way, i % 2, chans[i % 3]);
		}
		if (ret) {
			TH_LOG("iteration %d (%s): step %d, errno %d", i,
			       q_names[way], ret, errno);
			break;
		}
		done[way]++;
	}
	EXPECT_EQ(i, storm_queued);
	printf("# queued: %d iterations in %lld ms: close %d, munmap %d, detach %d, exit %d\n",
	       i, now_ms() - t0, done[Q_CLOSE], done[Q_MUNMAP], done[Q_DETACH],
	       done[Q_EXIT]);
	check_cards_work();
	mem_check("queued", &mb);
}

enum { R_VANISH, R_LIVE0, R_RMDIR, R_WAYS };

TEST_TIMEOUT(surprise_removal_during_dma, 420)
{
	int i, j, way, card, ok = 0, lost = 0, other = 0;
	int done[R_WAYS] = { 0 };
	struct micmem_wait w;
	struct mem_base mb;
	long long t0 = now_ms();
	char name[32], path[256];
	struct dma_fd d;
	uint64_t t[3];

	set_param("health_ms", 50);
	ASSERT_OK(dma_fd_open(&d, SPOOL));
	check_cards_work();
	mem_base_take(&mb);
	for (i = 0; i < storm_removals; i++) {
		way = i % R_WAYS;
		snprintf(name, sizeof(name), "rm%d", i);
		micsim_defer_del(name);
		card = micsim_add(name, "memsize_mb=64", NULL);
		ASSERT_GE(card, 0);
		ASSERT_OK(dma_attach(d.fd, card));
		/* every other one certainly in flight: channel 0 stalled */
		if (i & 1)
			ASSERT_OK(micsim_knob_set(name, "stall", "1"));
		for (j = 0; j < 3; j++)
			ASSERT_OK(submit_some(d.fd, card, chans[j],
					      MICMEM_DIR_TO_CARD, &t[j]));
		switch (way) {
		case R_VANISH:
			ASSERT_OK(micsim_knob_set(name, "vanish", "1"));
			break;
		case R_LIVE0:
			ASSERT_OK(micsim_set(name, "live", "0"));
			break;
		default:
			snprintf(path, sizeof(path), MICSIM_CONFIGFS "/%s",
				 name);
			ASSERT_OK(rmdir(path));
			break;
		}
		for (j = 0; j < 3; j++) {
			if (!dma_wait(d.fd, t[j], now_ns() + 10000000000ULL,
				      &w)) {
				ok++;
			} else if (errno == ENODEV &&
				   w.error_class == MICMEM_ERR_CARD_LOST) {
				lost++;
			} else {
				other++;
				TH_LOG("removal %d (way %d) ticket %d: errno %d class %u",
				       i, way, j, errno, w.error_class);
			}
		}
		/* a stalled channel cannot have finished its part */
		if (i & 1)
			EXPECT_NE(w.error, 0);
		/*
		 * A vanished card is found by the health check (health_ms):
		 * when every ticket had finished before, nothing waited for
		 * that, so wait for it here before SUBMIT must see it.
		 */
		if (way == R_VANISH)
			EXPECT_EQ(card_state_wait(card, "lost", 5000), 0);
		EXPECT_ERRNO(submit_some(d.fd, card, 0, MICMEM_DIR_TO_CARD,
					 &t[0]), ENODEV);
		if (way != R_RMDIR)
			ASSERT_OK(micsim_del(name));
		ASSERT_OK(dma_detach(d.fd, card));
		done[way]++;
	}
	EXPECT_EQ(other, 0);
	EXPECT_GE(lost, storm_removals / 2);
	printf("# removal: %d cards removed during DMA in %lld ms (vanish %d, live=0 %d, rmdir %d); tickets: %d completed, %d ENODEV, %d other\n",
	       i, now_ms() - t0, done[R_VANISH], done[R_LIVE0], done[R_RMDIR],
	       ok, lost, other);
	dma_fd_close(&d);
	check_cards_work();
	mem_check("removal", &mb);
}

int main(int argc, char **argv)
{
	int n;

	if (argc >= 3 && !strcmp(argv[1], "--divide")) {
		n = atoi(argv[2]);
		if (n < 1 || n > 100) {
			fprintf(stderr, "%s: --divide wants 1 to 100\n", argv[0]);
			return 2;
		}
		storm_kills /= n;
		storm_queued = storm_queued / n / Q_WAYS * Q_WAYS;
		storm_removals = storm_removals / n / R_WAYS * R_WAYS;
		if (storm_removals < R_WAYS)
			storm_removals = R_WAYS;
		argv[2] = argv[0];
		argv += 2;
		argc -= 2;
	}
	return tap_main(argc, argv);
}
