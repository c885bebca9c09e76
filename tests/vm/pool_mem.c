// SPDX-License-Identifier: GPL-2.0
/*
 * pool_mem: the pool against the rest of memory management, measured in
 * one run of the VM (which needs about 1.5 GiB):
 *  - 1,000 create/map/touch/close cycles give every page back, and so
 *    does a process killed in the middle of creating a pool;
 *  - touching every byte of a 256 MiB pool costs 128 page faults, against
 *    65,536 for anonymous memory with transparent huge pages off;
 *  - a new pool never shows what an old one held, even when it is built
 *    from the very same pages.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/klog.h>
#include <sys/wait.h>
#include <time.h>

#include "tap.h"
#include "pool_util.h"

#define BIG		(256 * MIB)
#define WARM		(32 * MIB)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Pages whose first and last byte are not @v. */
static uint64_t not_filled(const unsigned char *p, uint64_t len,
			   unsigned char v)
{
	uint64_t off, n = 0;

	for (off = 0; off < len; off += 4096)
		if (p[off] != v || p[off + 4095] != v)
			n++;
	return n;
}

/*
 * How far free memory may drop in the leak cases.  KASAN holds freed slab
 * objects in a quarantine of up to 1/32 of RAM before their pages return
 * to MemFree (1,000 cycles parked 6 MiB there): on such a kernel the
 * cases still catch leaked chunks and big page leaks, and small objects
 * are left to kmemleak, which the debug lane runs after every program.
 */
static long long leak_tolerance_kb(void)
{
	if (kernel_has_kasan())
		return 512 + meminfo_kb("MemTotal") / 32;
	return 512;
}

/*
 * Free memory (MemFree plus the per-CPU free lists, free_kb()) before and
 * after 1,000 cycles of open, create 2 MiB, map, touch, unmap, close.
 * One leaked chunk per cycle would be 2,000 MiB, one leaked 4 KiB page
 * per cycle 3.9 MiB, one leaked inode or pool structure (about 0.6 KiB)
 * per cycle 0.6 MiB: the tolerance is 512 KiB (leak_tolerance_kb()).  The
 * noise it covers: slab caches that keep a few pages (a warm-up round
 * fills them before the baseline).  It runs first: after the memory
 * pressure of zero_fill_on_reused_pages the kernel regrows the caches it
 * shrank, which looks like a leak.
 */
TEST_TIMEOUT(no_leak_after_1000_cycles, 120)
{
	long long base = 0, after;
	double t0;
	int i, round;

	for (round = 0; round < 2; round++) {
		t0 = now();
		for (i = 0; i < (round ? 1000 : 50); i++) {
			int fd = pool_open(CHUNK);
			volatile unsigned char *p;

			ASSERT_OK(fd);
			p = pool_map(fd, CHUNK, 0);
			ASSERT_NE(p, MAP_FAILED);
			p[i * 64 % CHUNK] = (unsigned char)i;
			ASSERT_EQ(p[i * 64 % CHUNK], (unsigned char)i);
			ASSERT_OK(munmap((void *)p, CHUNK));
			ASSERT_OK(close(fd));
		}
		/* Let RCU-deferred frees of files and inodes run. */
		usleep(200 * 1000);
		if (!round) {
			base = free_kb();
			continue;
		}
		after = free_kb();
		TH_LOG("free %lld KiB before, %lld KiB after 1000 cycles (%+lld KiB, %.2f s)",
		       base, after, after - base, now() - t0);
		EXPECT_GE(after, base - leak_tolerance_kb());
	}
}

/*
 * A process killed while POOL_CREATE allocates 1 GiB (charged to its
 * RLIMIT_MEMLOCK) leaves nothing behind: free memory returns to its baseline
 * and the user's locked-memory charge is returned.
 */
TEST_TIMEOUT(kill_during_create_leaks_nothing, 120)
{
	volatile int *stage;
	long long base, low, after;
	double t0;
	pid_t pid;
	int st;

	stage = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(stage, MAP_FAILED);
	base = free_kb();
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
		int fd = ctrl_open();

		if (fd < 0 || setrlimit(RLIMIT_MEMLOCK, &rl) ||
		    drop_cap(CAP_IPC_LOCK))
			_exit(1);
		*stage = 1;
		pool_create(fd, 1024 * MIB);
		*stage = 2;
		pause();
		_exit(0);
	}
	/* Kill it once 128 MiB of the 1 GiB are allocated. */
	t0 = now();
	low = base;
	while (*stage < 2 && now() - t0 < 60) {
		low = free_kb();
		if (*stage == 1 && base - low >= 128 * 1024)
			break;
	}
	ASSERT_OK(kill(pid, SIGKILL));
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(st));
	/* Otherwise the case did not test the path it is about. */
	EXPECT_EQ(*stage, 1);
	usleep(200 * 1000);
	after = free_kb();
	TH_LOG("free %lld KiB before, %lld KiB when killed, %lld KiB after (%+lld KiB)",
	       base, low, after, after - base);
	EXPECT_GE(after, base - leak_tolerance_kb());

	/* The 1 GiB charge was returned: 4 MiB fit in a 4 MiB limit. */
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		struct rlimit rl = { 4 * MIB, 4 * MIB };
		int fd = ctrl_open();

		if (fd < 0 || setrlimit(RLIMIT_MEMLOCK, &rl) ||
		    drop_cap(CAP_IPC_LOCK))
			_exit(1);
		_exit(pool_create(fd, 4 * MIB) ? 2 : 0);
	}
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);
}

TEST_TIMEOUT(touch_256mib_pool_vs_anonymous, 120)
{
	unsigned char *warm;
	long before, pool_faults, anon_faults;
	double t0, t_pool, t_anon;
	unsigned char *p, *a;
	int fd;

	fd = pool_open(BIG);
	ASSERT_OK(fd);
	p = pool_map(fd, BIG, 0);
	ASSERT_NE(p, MAP_FAILED);
	a = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(a, MAP_FAILED);
	ASSERT_OK(madvise(a, BIG, MADV_NOHUGEPAGE));
	/*
	 * Fault in memset's code for large sizes (another page than for small
	 * ones) and the vDSO data of now() before counting.
	 */
	warm = mmap(NULL, WARM, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(warm, MAP_FAILED);
	memset(warm, 1, WARM);
	munmap(warm, WARM);
	t0 = now();

	before = minor_faults();
	t0 = now();
	memset(p, 0x5a, BIG);
	t_pool = now() - t0;
	pool_faults = minor_faults() - before;

	before = minor_faults();
	t0 = now();
	memset(a, 0x5a, BIG);
	t_anon = now() - t0;
	anon_faults = minor_faults() - before;

	TH_LOG("256 MiB touched: pool %ld minor faults (%.2f s), anonymous without THP %ld (%.2f s)",
	       pool_faults, t_pool, anon_faults, t_anon);
	/*
	 * Exact in practice (the warm-up above took memset's and now()'s
	 * faults); one stray fault of the process is tolerated.
	 */
	EXPECT_GE(pool_faults, 128);
	EXPECT_LE(pool_faults, 128 + 1);
	EXPECT_GE(anon_faults, 65536);
	EXPECT_LE(anon_faults, 65536 + 1);

	/* One PMD per chunk, every chunk mapped. */
	EXPECT_EQ(smaps_kb(p, "ShmemPmdMapped"), BIG / 1024);
	EXPECT_EQ(fdinfo_ll(fd, "pool_bytes"), BIG);
	EXPECT_EQ(not_filled(p, BIG, 0x5a), 0);
	munmap(a, BIG);
	munmap(p, BIG);
	close(fd);
}

/* Whether the kernel log contains @needle. */
static int klog_has(const char *needle)
{
	static char buf[1 << 20];
	int len;

	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1);
	if (len < 0)
		return -1;
	buf[len] = 0;
	return strstr(buf, needle) != NULL;
}

/* Memory the kernel could hand out right now, an upper bound, in bytes. */
static long long obtainable(void)
{
	return (meminfo_kb("MemFree") + meminfo_kb("Active(file)") +
		meminfo_kb("Inactive(file)") + meminfo_kb("SReclaimable")) *
	       1024LL;
}

/*
 * Fill a pool with 0xff, free it, create one of the same size: only
 * zeros.  To be sure the second pool is built from pages of the first,
 * a third pool first holds most of memory; then two pools of more than
 * half of what is left cannot be disjoint.
 */
TEST_TIMEOUT(zero_fill_on_reused_pages, 120)
{
	long long room, size, hold_size;
	unsigned char *p;
	int hold, fd, round;

	/*
	 * With init_on_alloc (on by default in Debian) the page allocator
	 * zeroes every page and this case could not see a driver that
	 * forgot to: the VM boots with init_on_alloc=0 (tests/vm/meson.build).
	 */
	ASSERT_EQ(klog_has("heap alloc:off"), 1);

	room = obtainable();
	ASSERT_GT(room, 256 * MIB);
	hold_size = (room - 160 * MIB) & ~(CHUNK - 1);
	hold = pool_open(hold_size);
	ASSERT_OK(hold);

	room = obtainable();
	size = ((room / 2 + 8 * MIB) + CHUNK - 1) & ~(CHUNK - 1);
	TH_LOG("holding %lld MiB; %lld MiB left; pools of %lld MiB overlap by >= %lld MiB",
	       hold_size / (long long)MIB, room / (long long)MIB,
	       size / (long long)MIB, (2 * size - room) / (long long)MIB);
	ASSERT_GT(2 * size - room, 0);

	for (round = 0; round < 3; round++) {
		fd = pool_open(size);
		ASSERT_OK(fd);
		p = pool_map(fd, size, 0);
		ASSERT_NE(p, MAP_FAILED);
		EXPECT_EQ(nonzero(p, size), 0);
		memset(p, 0xff, size);
		munmap(p, size);
		close(fd);
	}
	close(hold);
}

TEST_MAIN()
