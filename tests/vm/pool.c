// SPDX-License-Identifier: GPL-2.0
/*
 * pool: the zero-copy pool of /dev/mic/ctrl (MICMEM_IOC_POOL_CREATE,
 * MICMEM_IOC_POOL_INFO, mmap): every error path with its errno, PMD
 * mapping and its 4 KiB fallback, address alignment, persistence,
 * isolation, fork, lifetime, what get_user_pages and debuggers see, and
 * what keeps the pool's tmpfs file whole.
 * Zero fill, the 256 MiB fault count and the leak loop are in pool_mem.c;
 * O_DIRECT, io_uring and the engine's view after memory calls in
 * pool_pin.c.
 *
 * Fault counts are the process's minor faults around a touch laid out so
 * that the kernel asks once per 2 MiB (PMD) or once per 4 KiB (PTE); the
 * test's own code may add a fault or two.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <signal.h>
#include <sys/klog.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "tap.h"
#include "pool_util.h"

/* Pattern byte for pool offset @off: differs per 4 KiB page and chunk. */
static unsigned char pat(uint64_t off, unsigned char seed)
{
	return (unsigned char)(seed + (off >> 12) * 7 + (off >> 21) * 13);
}

/* Writes the pattern to one byte of each 4 KiB page, and to the last one. */
static void fill(unsigned char *p, uint64_t len, uint64_t base,
		 unsigned char seed)
{
	uint64_t off;

	for (off = 0; off < len; off += 4096) {
		p[off] = pat(base + off, seed);
		p[off + 4095] = pat(base + off, seed) ^ 0xff;
	}
}

/* Number of pages whose pattern bytes differ from what fill() wrote. */
static uint64_t check(const unsigned char *p, uint64_t len, uint64_t base,
		      unsigned char seed)
{
	uint64_t off, bad = 0;

	for (off = 0; off < len; off += 4096)
		if (p[off] != pat(base + off, seed) ||
		    p[off + 4095] != (unsigned char)(pat(base + off, seed) ^ 0xff))
			bad++;
	return bad;
}

/* How often @needle occurs in the kernel log right now. */
static int klog_count(const char *needle)
{
	static char buf[1 << 20];
	int len, n = 0;
	char *s;

	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1);
	if (len < 0)
		return -1;
	buf[len] = 0;
	for (s = buf; (s = strstr(s, needle)); s++)
		n++;
	return n;
}

static int wait_child(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/* ---- feature query and pool info ------------------------------------ */

TEST(query_reports_pool)
{
	struct micmem_query q;
	int fd = ctrl_open();

	ASSERT_OK(fd);
	memset(&q, 0xa5, sizeof(q));
	ASSERT_OK(ioctl(fd, MICMEM_IOC_QUERY, &q));
	EXPECT_TRUE(q.features & MICMEM_FEAT_POOL);
	/* The VM's kernel (x86-64, THP, FS_DAX) can map PMDs. */
	EXPECT_TRUE(q.features & MICMEM_FEAT_POOL_PMD);
	EXPECT_EQ(q.pool_max_bytes,
		  read_ll(PARAM_DIR "pool_max_mb") * (long long)MIB);
	EXPECT_GT(q.pool_max_bytes, 0);
	close(fd);
}

TEST(create_and_info)
{
	struct micmem_pool_create pc;
	struct micmem_pool_info pi;
	int fd = ctrl_open();

	ASSERT_OK(fd);
	memset(&pc, 0, sizeof(pc));
	pc.size = 3 * CHUNK;
	pc.mmap_offset = 12345;		/* output only: ignored on input */
	ASSERT_OK(ioctl(fd, MICMEM_IOC_POOL_CREATE, &pc));
	EXPECT_EQ(pc.mmap_offset, 0);
	EXPECT_EQ(pc.size, 3 * CHUNK);

	ASSERT_OK(pool_info(fd, &pi));
	EXPECT_EQ(pi.size, 3 * CHUNK);
	EXPECT_EQ(pi.chunk_size, CHUNK);
	EXPECT_EQ(pi.nr_chunks, 3);
	EXPECT_EQ(pi.map_mode, MICMEM_MAP_PMD);
	EXPECT_EQ(pi.faults, 0);
	EXPECT_EQ(pi.pte_faults, 0);
	EXPECT_EQ(pi.reserved[0], 0);
	EXPECT_EQ(pi.reserved[1], 0);
	EXPECT_EQ(pi.reserved[2], 0);

	EXPECT_EQ(fdinfo_ll(fd, "pool_bytes"), 3 * CHUNK);
	EXPECT_EQ(fdinfo_ll(fd, "pool_chunks"), 3);
	close(fd);
}

TEST(no_pool_yet)
{
	struct micmem_pool_info pi;
	int fd = ctrl_open();

	ASSERT_OK(fd);
	EXPECT_ERRNO(pool_info(fd, &pi), ENXIO);
	EXPECT_ERRNO((long)pool_map(fd, CHUNK, 0), ENXIO);
	EXPECT_EQ(fdinfo_ll(fd, "pool_bytes"), 0);
	close(fd);
}

/* ---- POOL_CREATE errors ---------------------------------------------- */

TEST(create_rejects_bad_size)
{
	int fd = ctrl_open();

	ASSERT_OK(fd);
	EXPECT_ERRNO(pool_create(fd, 0), EINVAL);
	EXPECT_ERRNO(pool_create(fd, CHUNK / 2), EINVAL);
	EXPECT_ERRNO(pool_create(fd, CHUNK + 4096), EINVAL);
	EXPECT_ERRNO(pool_create(fd, ~0ULL), EINVAL);
	/* Nothing was created by the failures. */
	EXPECT_OK(pool_create(fd, CHUNK));
	close(fd);
}

TEST(create_rejects_flags_and_reserved)
{
	struct micmem_pool_create pc;
	int fd = ctrl_open();
	unsigned int bit;

	ASSERT_OK(fd);
	for (bit = 0; bit < 32; bit++) {
		memset(&pc, 0, sizeof(pc));
		pc.size = CHUNK;
		pc.flags = 1U << bit;
		if (pc.flags & MICMEM_POOL_VALID_FLAGS)
			continue;
		EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_POOL_CREATE, &pc), EINVAL);
	}
	memset(&pc, 0, sizeof(pc));
	pc.size = CHUNK;
	pc.reserved0 = 1;
	EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_POOL_CREATE, &pc), EINVAL);
	memset(&pc, 0, sizeof(pc));
	pc.size = CHUNK;
	pc.reserved[0] = 1;
	EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_POOL_CREATE, &pc), EINVAL);
	memset(&pc, 0, sizeof(pc));
	pc.size = CHUNK;
	pc.reserved[1] = 1ULL << 63;
	EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_POOL_CREATE, &pc), EINVAL);
	EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_POOL_CREATE, NULL), EFAULT);
	EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_POOL_INFO, NULL), ENXIO);
	ASSERT_OK(pool_create(fd, CHUNK));
	EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_POOL_INFO, NULL), EFAULT);
	close(fd);
}

TEST(create_twice_eexist)
{
	struct micmem_pool_info pi;
	int fd = ctrl_open();

	ASSERT_OK(fd);
	ASSERT_OK(pool_create(fd, CHUNK));
	EXPECT_ERRNO(pool_create(fd, CHUNK), EEXIST);
	EXPECT_ERRNO(pool_create(fd, 2 * CHUNK), EEXIST);
	ASSERT_OK(pool_info(fd, &pi));
	EXPECT_EQ(pi.size, CHUNK);
	close(fd);
}

TEST(create_over_pool_max_mb)
{
	struct micmem_query q;
	long long old = read_ll(PARAM_DIR "pool_max_mb");
	int before = klog_count("pool_max_mb");
	int fd = ctrl_open();

	ASSERT_OK(fd);
	ASSERT_GT(old, 0);
	tap_defer_restore_file(PARAM_DIR "pool_max_mb");
	ASSERT_OK(write_str(PARAM_DIR "pool_max_mb", "8"));
	ASSERT_OK(ioctl(fd, MICMEM_IOC_QUERY, &q));
	EXPECT_EQ(q.pool_max_bytes, 8 * MIB);
	EXPECT_ERRNO(pool_create(fd, 10 * MIB), E2BIG);
	EXPECT_ERRNO(pool_create(fd, 1ULL << 62), E2BIG);
	/* The message names the limit that was hit. */
	EXPECT_EQ(klog_count("pool_max_mb"), before + 2);
	EXPECT_OK(pool_create(fd, 8 * MIB));
	close(fd);
}

/*
 * Without CAP_IPC_LOCK the pools of one user are charged to its
 * RLIMIT_MEMLOCK, like io_uring's buffers; closing returns the charge.
 */
TEST(create_over_rlimit_memlock)
{
	struct rlimit rl = { 6 * MIB, 6 * MIB };
	int before = klog_count("RLIMIT_MEMLOCK");
	int a = ctrl_open(), b = ctrl_open();

	ASSERT_OK(a);
	ASSERT_OK(b);
	ASSERT_OK(setrlimit(RLIMIT_MEMLOCK, &rl));
	/* With the capability the limit does not apply. */
	ASSERT_OK(pool_create(b, 8 * MIB));
	close(b);
	b = ctrl_open();
	ASSERT_OK(b);

	ASSERT_OK(drop_cap(CAP_IPC_LOCK));
	EXPECT_ERRNO(pool_create(a, 8 * MIB), ENOMEM);
	EXPECT_EQ(klog_count("RLIMIT_MEMLOCK"), before + 1);
	ASSERT_OK(pool_create(a, 4 * MIB));
	/* 4 + 4 MiB is over the 6 MiB the user may lock. */
	EXPECT_ERRNO(pool_create(b, 4 * MIB), ENOMEM);
	EXPECT_OK(pool_create(b, 2 * MIB));
	close(b);
	close(a);
	/* Both charges returned: 6 MiB fits again. */
	a = ctrl_open();
	ASSERT_OK(a);
	EXPECT_OK(pool_create(a, 6 * MIB));
	close(a);
}

/* ---- mmap ------------------------------------------------------------ */

TEST(mmap_rejects_private)
{
	int fd = pool_open(2 * CHUNK);

	ASSERT_OK(fd);
	EXPECT_ERRNO((long)mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
				MAP_PRIVATE, fd, 0), EINVAL);
	EXPECT_ERRNO((long)mmap(NULL, CHUNK, PROT_READ, MAP_PRIVATE, fd, 0),
		     EINVAL);
	close(fd);
}

TEST(mmap_rejects_past_end)
{
	int fd = pool_open(2 * CHUNK);
	void *p;

	ASSERT_OK(fd);
	EXPECT_ERRNO((long)pool_map(fd, 3 * CHUNK, 0), ENXIO);
	EXPECT_ERRNO((long)pool_map(fd, 2 * CHUNK + 4096, 0), ENXIO);
	EXPECT_ERRNO((long)pool_map(fd, 4096, 2 * CHUNK), ENXIO);
	EXPECT_ERRNO((long)pool_map(fd, 2 * CHUNK, 4096), ENXIO);
	EXPECT_ERRNO((long)pool_map(fd, CHUNK, 1ULL << 40), ENXIO);
	/* The last byte is fine. */
	p = pool_map(fd, 4096, 2 * CHUNK - 4096);
	ASSERT_NE(p, MAP_FAILED);
	munmap(p, 4096);
	close(fd);
}

TEST(mremap_cannot_grow)
{
	int fd = pool_open(2 * CHUNK);
	unsigned char *p, *q;

	ASSERT_OK(fd);
	p = pool_map(fd, CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	fill(p, CHUNK, 0, 1);
	EXPECT_ERRNO((long)mremap(p, CHUNK, 2 * CHUNK, MREMAP_MAYMOVE), EFAULT);
	EXPECT_ERRNO((long)mremap(p, CHUNK, 2 * CHUNK, 0), EFAULT);
	/* Shrinking is allowed; the rest stays intact. */
	q = mremap(p, CHUNK, CHUNK / 2, 0);
	ASSERT_EQ(q, p);
	EXPECT_EQ(check(p, CHUNK / 2, 0, 1), 0);
	munmap(p, CHUNK / 2);
	close(fd);
}

TEST(mmap_address_is_2mib_aligned)
{
	int fd = pool_open(8 * CHUNK);
	void *p[6];
	int i;

	ASSERT_OK(fd);
	for (i = 0; i < 6; i++) {
		p[i] = pool_map(fd, (i % 3 + 1) * CHUNK, 0);
		ASSERT_NE(p[i], MAP_FAILED);
		EXPECT_EQ((uintptr_t)p[i] % CHUNK, 0);
	}
	for (i = 0; i < 6; i++)
		munmap(p[i], (i % 3 + 1) * CHUNK);
	/* An unaligned hint, and an offset that is a whole chunk. */
	p[0] = mmap((void *)0x7f0000001000UL, CHUNK, PROT_READ, MAP_SHARED,
		    fd, 0);
	ASSERT_NE(p[0], MAP_FAILED);
	EXPECT_EQ((uintptr_t)p[0] % CHUNK, 0);
	munmap(p[0], CHUNK);
	p[0] = pool_map(fd, 2 * CHUNK, 3 * CHUNK);
	ASSERT_NE(p[0], MAP_FAILED);
	EXPECT_EQ((uintptr_t)p[0] % CHUNK, 0);
	munmap(p[0], 2 * CHUNK);
	/* A 4 KiB offset: the address keeps the same offset in 2 MiB. */
	p[0] = pool_map(fd, 2 * CHUNK, 4096);
	ASSERT_NE(p[0], MAP_FAILED);
	EXPECT_EQ((uintptr_t)p[0] % CHUNK, 4096);
	munmap(p[0], 2 * CHUNK);
	close(fd);
}

/*
 * Mappings shorter than 2 MiB are placed congruent to their offset too
 * (doc/pool.md promises it for every mapping without MAP_FIXED).  Several
 * lengths and offsets, each mapped while the others stay, so that a
 * placement that ignores the offset cannot pass by luck.
 */
TEST(short_mmap_is_congruent_to_its_offset)
{
	static const struct {
		size_t len;
		off_t off;
	} m[] = {
		{ 4096, 0 },
		{ 4096, 4096 },
		{ 8192, CHUNK + 12288 },
		{ 64 * 1024, 3 * CHUNK + 256 * 1024 },
		{ CHUNK - 4096, 4096 },
		{ CHUNK / 2, CHUNK + CHUNK / 2 },
		{ 4096, 2 * CHUNK - 4096 },
		{ 12288, 5 * CHUNK + 36864 },
	};
	int fd = pool_open(8 * CHUNK);
	unsigned char *p[8], *all;
	unsigned int i;

	ASSERT_OK(fd);
	all = pool_map(fd, 8 * CHUNK, 0);
	ASSERT_NE(all, MAP_FAILED);
	for (i = 0; i < 8; i++) {
		p[i] = pool_map(fd, m[i].len, m[i].off);
		ASSERT_NE(p[i], MAP_FAILED);
		EXPECT_EQ(((uintptr_t)p[i] - m[i].off) % CHUNK, 0);
		/* and it shows the pool at its offset */
		p[i][m[i].len - 1] = i + 1;
		EXPECT_EQ(all[m[i].off + m[i].len - 1], i + 1);
	}
	for (i = 0; i < 8; i++)
		munmap(p[i], m[i].len);
	munmap(all, 8 * CHUNK);
	close(fd);
}

/* One fault per 2 MiB, and the data lands in the right chunk. */
TEST(pmd_faults_one_per_chunk)
{
	int fd = pool_open(8 * CHUNK);
	long long pmd_kb = meminfo_kb("ShmemPmdMapped");
	unsigned char *p, *q;
	long before;

	ASSERT_OK(fd);
	ASSERT_GE(pmd_kb, 0);
	p = pool_map(fd, 8 * CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	before = minor_faults();
	fill(p, 8 * CHUNK, 0, 3);
	EXPECT_GE(minor_faults() - before, 8);
	EXPECT_LE(minor_faults() - before, 8 + 2);
	EXPECT_EQ(smaps_kb(p, "ShmemPmdMapped"), 8 * 2048);
	EXPECT_EQ(smaps_kb(p, "Rss"), 8 * 2048);

	/* A second mapping of chunks 5..6 sees the same bytes. */
	q = pool_map(fd, 2 * CHUNK, 5 * CHUNK);
	ASSERT_NE(q, MAP_FAILED);
	before = minor_faults();
	fill(q, CHUNK, 5 * CHUNK, 4);
	fill(q + CHUNK, CHUNK, 6 * CHUNK, 3);
	EXPECT_GE(minor_faults() - before, 2);
	EXPECT_LE(minor_faults() - before, 2 + 2);
	EXPECT_EQ(check(p + 5 * CHUNK, CHUNK, 5 * CHUNK, 4), 0);
	EXPECT_EQ(check(p + 6 * CHUNK, CHUNK, 6 * CHUNK, 3), 0);
	/* PMD-mapped tmpfs pages system wide: each chunk counts once */
	EXPECT_EQ(meminfo_kb("ShmemPmdMapped") - pmd_kb, 8 * 2048);
	munmap(q, 2 * CHUNK);
	munmap(p, 8 * CHUNK);
	EXPECT_EQ(meminfo_kb("ShmemPmdMapped"), pmd_kb);
	close(fd);
}

/*
 * Where a PMD cannot fit (offset not chunk aligned) 4 KiB entries serve,
 * one write fault each: the mapping covers 511 pages of chunk 0 and one
 * of chunk 1, so no chunk lies whole in it.
 */
TEST(pte_faults_for_unaligned_offset)
{
	int fd = pool_open(2 * CHUNK);
	unsigned char *p, *q;
	long before;

	ASSERT_OK(fd);
	p = pool_map(fd, 2 * CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	fill(p, 2 * CHUNK, 0, 9);
	q = pool_map(fd, CHUNK, 4096);
	ASSERT_NE(q, MAP_FAILED);
	before = minor_faults();
	fill(q, CHUNK, 4096, 10);
	EXPECT_GE(minor_faults() - before, 512);
	EXPECT_LE(minor_faults() - before, 512 + 2);
	EXPECT_EQ(smaps_kb(q, "ShmemPmdMapped"), 0);
	EXPECT_EQ(check(p + 4096, CHUNK, 4096, 10), 0);
	munmap(q, CHUNK);
	munmap(p, 2 * CHUNK);
	close(fd);
}

/*
 * Whether the kernel maps a chunk with 4 KiB entries where THP is off for
 * the process or the VMA: 6.12's fault path does (all 512 in one fault),
 * 6.1's maps the PMD regardless (doc/pool.md, "Fault counts").  -1 if
 * unknown.
 */
static int thp_off_means_pte(void)
{
	unsigned int major = 0, minor = 0;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return -1;
	return major > 6 || (major == 6 && minor >= 12);
}

/* A process that disabled THP: 4 KiB entries on 6.12, same data. */
TEST(pte_fallback_when_thp_disabled)
{
	int pte = thp_off_means_pte();
	int fd = pool_open(2 * CHUNK);
	unsigned char *p;
	long before;

	ASSERT_OK(fd);
	ASSERT_GE(pte, 0);
	ASSERT_OK(prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0));
	p = pool_map(fd, 2 * CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	before = minor_faults();
	fill(p, 2 * CHUNK, 0, 5);
	EXPECT_GE(minor_faults() - before, 2);
	EXPECT_LE(minor_faults() - before, 2 + 2);
	EXPECT_EQ(check(p, 2 * CHUNK, 0, 5), 0);
	EXPECT_EQ(smaps_kb(p, "ShmemPmdMapped"), pte ? 0 : 2 * 2048);
	EXPECT_EQ(smaps_kb(p, "Rss"), 2 * 2048);
	munmap(p, 2 * CHUNK);
	close(fd);
}

/* MADV_NOHUGEPAGE on the mapping does the same for one VMA. */
TEST(pte_fallback_for_nohugepage_vma)
{
	int fd = pool_open(CHUNK), pte = thp_off_means_pte();
	unsigned char *p;

	ASSERT_OK(fd);
	ASSERT_GE(pte, 0);
	p = pool_map(fd, CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	ASSERT_OK(madvise(p, CHUNK, MADV_NOHUGEPAGE));
	fill(p, CHUNK, 0, 6);
	EXPECT_EQ(check(p, CHUNK, 0, 6), 0);
	EXPECT_EQ(smaps_kb(p, "ShmemPmdMapped"), pte ? 0 : 2048);
	EXPECT_EQ(smaps_kb(p, "Rss"), 2048);
	munmap(p, CHUNK);
	close(fd);
}

/* ---- lifetime -------------------------------------------------------- */

TEST(data_persists_across_remap)
{
	int fd = pool_open(4 * CHUNK);
	unsigned char *p;
	int i;

	ASSERT_OK(fd);
	p = pool_map(fd, 4 * CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	fill(p, 4 * CHUNK, 0, 11);
	for (i = 0; i < 3; i++) {
		ASSERT_OK(munmap(p, 4 * CHUNK));
		p = pool_map(fd, 4 * CHUNK, 0);
		ASSERT_NE(p, MAP_FAILED);
		EXPECT_EQ(check(p, 4 * CHUNK, 0, 11), 0);
	}
	munmap(p, 4 * CHUNK);
	close(fd);
}

TEST(close_keeps_mapping_valid)
{
	int fd = pool_open(4 * CHUNK);
	unsigned char *p;

	ASSERT_OK(fd);
	p = pool_map(fd, 4 * CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	fill(p, 2 * CHUNK, 0, 12);
	ASSERT_OK(close(fd));
	/* Touched and untouched chunks both work after close. */
	fill(p + 2 * CHUNK, 2 * CHUNK, 2 * CHUNK, 12);
	EXPECT_EQ(check(p, 4 * CHUNK, 0, 12), 0);
	ASSERT_OK(munmap(p, 4 * CHUNK));
}

/*
 * Split VMAs each hold the pool: unmap a hole (splits a PMD), close the
 * fd, then both halves still work; a moved VMA too.
 */
TEST(split_and_moved_vmas_keep_pool)
{
	int fd = pool_open(4 * CHUNK);
	unsigned char *p, *tail, *dst, *moved;

	ASSERT_OK(fd);
	p = pool_map(fd, 4 * CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	fill(p, 4 * CHUNK, 0, 13);
	ASSERT_OK(munmap(p + CHUNK + CHUNK / 2, CHUNK));
	ASSERT_OK(close(fd));
	EXPECT_EQ(check(p, CHUNK + CHUNK / 2, 0, 13), 0);
	tail = p + 2 * CHUNK + CHUNK / 2;
	EXPECT_EQ(check(tail, CHUNK + CHUNK / 2, 2 * CHUNK + CHUNK / 2, 13), 0);

	/* Move the tail to an address that is not 2 MiB aligned. */
	dst = mmap(NULL, 4 * CHUNK, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	ASSERT_NE(dst, MAP_FAILED);
	moved = mremap(tail, CHUNK + CHUNK / 2, CHUNK + CHUNK / 2,
		       MREMAP_MAYMOVE | MREMAP_FIXED, dst + 4096);
	ASSERT_EQ(moved, dst + 4096);
	EXPECT_EQ(check(moved, CHUNK + CHUNK / 2, 2 * CHUNK + CHUNK / 2, 13),
		  0);
	fill(moved, CHUNK + CHUNK / 2, 2 * CHUNK + CHUNK / 2, 14);
	EXPECT_EQ(check(moved, CHUNK + CHUNK / 2, 2 * CHUNK + CHUNK / 2, 14),
		  0);
	munmap(dst, 4 * CHUNK + 4096);
	munmap(p, CHUNK + CHUNK / 2);
}

/* ---- isolation ------------------------------------------------------- */

TEST(isolation_between_fds)
{
	int a = pool_open(2 * CHUNK), b = pool_open(2 * CHUNK);
	unsigned char *pa, *pb;

	ASSERT_OK(a);
	ASSERT_OK(b);
	pa = pool_map(a, 2 * CHUNK, 0);
	pb = pool_map(b, 2 * CHUNK, 0);
	ASSERT_NE(pa, MAP_FAILED);
	ASSERT_NE(pb, MAP_FAILED);
	fill(pa, 2 * CHUNK, 0, 21);
	EXPECT_EQ(nonzero(pb, 2 * CHUNK), 0);
	fill(pb, 2 * CHUNK, 0, 22);
	EXPECT_EQ(check(pa, 2 * CHUNK, 0, 21), 0);
	EXPECT_EQ(check(pb, 2 * CHUNK, 0, 22), 0);
	munmap(pa, 2 * CHUNK);
	munmap(pb, 2 * CHUNK);
	close(a);
	close(b);
}

TEST(isolation_between_processes)
{
	int fd = pool_open(2 * CHUNK);
	unsigned char *p;
	pid_t pid;
	int st;

	ASSERT_OK(fd);
	p = pool_map(fd, 2 * CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	fill(p, 2 * CHUNK, 0, 31);
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		/* Own fd, own pool: zeros, and writes stay here. */
		int cfd = pool_open(2 * CHUNK);
		unsigned char *c;

		if (cfd < 0)
			_exit(10);
		c = pool_map(cfd, 2 * CHUNK, 0);
		if (c == MAP_FAILED)
			_exit(11);
		if (nonzero(c, 2 * CHUNK))
			_exit(12);
		memset(c, 0x77, 2 * CHUNK);
		_exit(0);
	}
	st = wait_child(pid);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_EQ(check(p, 2 * CHUNK, 0, 31), 0);
	munmap(p, 2 * CHUNK);
	close(fd);
}

TEST(fork_child_does_not_inherit_mapping)
{
	int fd = pool_open(CHUNK);
	unsigned char *p;
	pid_t pid;
	int st;

	ASSERT_OK(fd);
	p = pool_map(fd, CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	fill(p, CHUNK, 0, 41);

	/* The range is free in the child... */
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		void *q = mmap(p, CHUNK, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);
		_exit(q == (void *)p ? 0 : 1);
	}
	st = wait_child(pid);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);

	/* ...so touching it is a segmentation fault. */
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		_exit(*(volatile unsigned char *)p);
	}
	st = wait_child(pid);
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(WTERMSIG(st), SIGSEGV);

	/* MADV_DOFORK is an explicit opt-in: the child then shares it. */
	ASSERT_OK(madvise(p, CHUNK, MADV_DOFORK));
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		if (check(p, CHUNK, 0, 41))
			_exit(1);
		fill(p, CHUNK, 0, 42);
		_exit(0);
	}
	st = wait_child(pid);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_EQ(check(p, CHUNK, 0, 42), 0);
	munmap(p, CHUNK);
	close(fd);
}

/* ---- get_user_pages on the pool (doc/pool.md) ------------------------ */

/* Slow-path GUP (here process_vm_readv) on the pool, untouched part too. */
TEST(gup_slow_path_works)
{
	int fd = pool_open(2 * CHUNK);
	unsigned char *p, buf[8192];
	struct iovec local = { buf, sizeof(buf) }, remote;

	ASSERT_OK(fd);
	p = pool_map(fd, 2 * CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	fill(p, CHUNK, 0, 51);
	remote.iov_base = p + CHUNK - 4096;
	remote.iov_len = sizeof(buf);
	EXPECT_EQ(process_vm_readv(getpid(), &local, 1, &remote, 1, 0),
		  (long)sizeof(buf));
	EXPECT_EQ(check(buf, 4096, CHUNK - 4096, 51), 0);
	EXPECT_EQ(nonzero(buf + 4096, 4096), 0);
	/* GUP faulted the untouched chunk in with a PMD too */
	EXPECT_EQ(smaps_kb(p, "ShmemPmdMapped"), 2 * 2048);
	munmap(p, 2 * CHUNK);
	close(fd);
}

/*
 * get_user_pages_fast (vmsplice here) takes a reference to the pool's own
 * page, on a mapped chunk and on one nothing touched yet (the slow path
 * faults it in); the reference keeps the page alive after the pool is
 * gone.  @off 0 maps both chunks with PMDs; at an unaligned offset the
 * page touched is in chunk 0, which only PTEs can map, chunk 1 still gets
 * its PMD (the mapping is placed congruent to its offset).
 */
static void vmsplice_keeps_page(uint64_t off)
{
	uint64_t len = 2 * CHUNK - off;
	int fd, pfd[2];
	unsigned char *p, buf[4096];
	struct iovec iov;

	fd = pool_open(2 * CHUNK);
	ASSERT_OK(fd);
	ASSERT_OK(pipe(pfd));
	p = pool_map(fd, len, off);
	ASSERT_NE(p, MAP_FAILED);

	iov.iov_base = p + CHUNK - off;		/* chunk 1, untouched */
	iov.iov_len = 4096;
	ASSERT_EQ(vmsplice(pfd[1], &iov, 1, 0), 4096);
	ASSERT_EQ(read(pfd[0], buf, sizeof(buf)), 4096);
	EXPECT_EQ(nonzero(buf, 4096), 0);

	fill(p, 4096, off, 61);
	iov.iov_base = p;
	ASSERT_EQ(vmsplice(pfd[1], &iov, 1, 0), 4096);
	memset(p, 0, 4096);		/* the pipe holds the page, not a copy */
	fill(p, 4096, off, 62);
	EXPECT_EQ(smaps_kb(p, "ShmemPmdMapped"), off ? 2048 : 2 * 2048);
	ASSERT_OK(munmap(p, len));
	ASSERT_OK(close(fd));		/* pool gone; the pipe's page is not */
	ASSERT_EQ(read(pfd[0], buf, sizeof(buf)), 4096);
	EXPECT_EQ(check(buf, 4096, off, 62), 0);
	close(pfd[0]);
	close(pfd[1]);
}

TEST(gup_fast_on_pmd)
{
	vmsplice_keeps_page(0);
}

TEST(gup_fast_on_pte_mapping)
{
	vmsplice_keeps_page(4096);
}

/* Shared, not copied on fork, not expandable, not dumped; not PFN map. */
TEST(vma_flags)
{
	int fd = pool_open(CHUNK);
	char flags[512];
	void *p;

	ASSERT_OK(fd);
	p = pool_map(fd, CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	ASSERT_OK(smaps_field(p, "VmFlags", flags, sizeof(flags)));
	TH_LOG("VmFlags:%s", flags);
	EXPECT_TRUE(strstr(flags, " sh"));
	EXPECT_FALSE(strstr(flags, " pf"));
	EXPECT_TRUE(strstr(flags, " dc"));
	EXPECT_TRUE(strstr(flags, " de"));
	EXPECT_TRUE(strstr(flags, " dd"));
	munmap(p, CHUNK);
	close(fd);
}

/*
 * What other memory calls do on the pool (doc/pool.md): msync succeeds,
 * MADV_DONTNEED only unmaps (the next touch maps the same page), the
 * reclaim hints do nothing (the pool's pages are unevictable), MADV_FREE
 * and MADV_REMOVE are refused (EINVAL: not anonymous; EPERM: the pool's
 * file is append-only), MAP_POPULATE prefaults, and data survives all.
 * pool_pin.c checks the engine's view after each.
 */
TEST(other_memory_calls)
{
	int fd = pool_open(2 * CHUNK);
	unsigned char *p, *q;

	ASSERT_OK(fd);
	p = pool_map(fd, CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	fill(p, CHUNK, 0, 71);
	EXPECT_OK(msync(p, CHUNK, MS_SYNC));
	EXPECT_OK(msync(p, CHUNK, MS_ASYNC));
	EXPECT_OK(madvise(p, CHUNK, MADV_DONTNEED));
	EXPECT_EQ(check(p, CHUNK, 0, 71), 0);
	EXPECT_ERRNO(madvise(p, CHUNK, MADV_FREE), EINVAL);
	EXPECT_OK(madvise(p, CHUNK, MADV_PAGEOUT));
	EXPECT_OK(madvise(p, CHUNK, MADV_COLD));
	EXPECT_ERRNO(madvise(p, CHUNK, MADV_REMOVE), EPERM);
	EXPECT_OK(madvise(p, CHUNK, MADV_WILLNEED));
	EXPECT_OK(mlock(p, CHUNK));
	EXPECT_OK(mprotect(p, CHUNK, PROT_READ));
	EXPECT_EQ(check(p, CHUNK, 0, 71), 0);
	EXPECT_OK(mprotect(p, CHUNK, PROT_READ | PROT_WRITE));
	fill(p, CHUNK, 0, 72);
	EXPECT_EQ(check(p, CHUNK, 0, 72), 0);

	q = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_POPULATE, fd, CHUNK);
	ASSERT_NE(q, MAP_FAILED);
	EXPECT_EQ(smaps_kb(q, "ShmemPmdMapped"), 2048);	/* populated */
	EXPECT_EQ(nonzero(q, CHUNK), 0);
	munmap(q, CHUNK);
	munmap(p, CHUNK);
	close(fd);
}

/* ---- the pool's tmpfs file stays whole (doc/pool.md) ----------------- */

/*
 * /proc/self/map_files/START-END of the mapping at @p: the pool's tmpfs
 * file, which root can open.  Nothing it allows may drop a page of the
 * file: the inode is append-only.
 */
TEST(pool_file_refuses_punch_and_truncate)
{
	int fd = pool_open(2 * CHUNK), f, flags;
	unsigned char *p;
	char path[128];
	pid_t pid;

	ASSERT_OK(fd);
	p = pool_map(fd, 2 * CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	fill(p, 2 * CHUNK, 0, 81);
	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)p, (unsigned long)(p + 2 * CHUNK));

	EXPECT_ERRNO(open(path, O_RDWR), EPERM);
	EXPECT_ERRNO(open(path, O_RDWR | O_APPEND | O_TRUNC), EPERM);
	f = open(path, O_RDWR | O_APPEND);
	ASSERT_OK(f);
	EXPECT_ERRNO(ftruncate(f, 0), EPERM);
	EXPECT_ERRNO(fallocate(f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       0, CHUNK), EPERM);
	EXPECT_ERRNO(fallocate(f, FALLOC_FL_ZERO_RANGE, 0, CHUNK), EPERM);
	EXPECT_ERRNO(fallocate(f, FALLOC_FL_COLLAPSE_RANGE, 0, CHUNK), EPERM);
	/* chattr sees it; clearing it needs CAP_LINUX_IMMUTABLE (a child) */
	EXPECT_OK(ioctl(f, FS_IOC_GETFLAGS, &flags));
	EXPECT_TRUE(flags & FS_APPEND_FL);
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		flags &= ~FS_APPEND_FL;
		_exit(drop_cap(CAP_LINUX_IMMUTABLE) ? 2 :
		      !ioctl(f, FS_IOC_SETFLAGS, &flags) ? 3 :
		      errno == EPERM ? 0 : 4);
	}
	EXPECT_EQ(wait_child(pid), 0);
	EXPECT_ERRNO(ftruncate(f, 0), EPERM);
	close(f);
	EXPECT_EQ(check(p, 2 * CHUNK, 0, 81), 0);
	EXPECT_EQ(smaps_kb(p, "ShmemPmdMapped"), 2 * 2048);
	munmap(p, 2 * CHUNK);
	close(fd);
}

/*
 * While the pool lives its chunks are unevictable (no reclaim can take a
 * page from the file); at the last close they become ordinary tmpfs
 * memory, even while still mapped, as the memlock charge ends there too.
 */
TEST(pool_is_unevictable_while_it_lives)
{
	long long base = meminfo_kb("Unevictable");
	int fd = pool_open(8 * CHUNK);
	unsigned char *p;

	ASSERT_GE(base, 0);
	ASSERT_OK(fd);
	EXPECT_GE(meminfo_kb("Unevictable") - base, 8 * 2048);
	p = pool_map(fd, 8 * CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	fill(p, 8 * CHUNK, 0, 82);
	ASSERT_OK(close(fd));
	EXPECT_LT(meminfo_kb("Unevictable") - base, 2048);
	EXPECT_EQ(check(p, 8 * CHUNK, 0, 82), 0);
	munmap(p, 8 * CHUNK);
}

/* The bracketed choice of a sysfs "a [b] c" file into @out; -1 if none. */
static int sysfs_choice(const char *path, char *out, size_t len)
{
	char buf[256], *a, *b;
	FILE *f = fopen(path, "re");
	int ok;

	if (!f)
		return -1;
	ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	a = ok ? strchr(buf, '[') : NULL;
	b = a ? strchr(a, ']') : NULL;
	if (!b || (size_t)(b - a) > len)
		return -1;
	memcpy(out, a + 1, b - a - 1);
	out[b - a - 1] = 0;
	return 0;
}

/*
 * Without 2 MiB tmpfs pages (shmem_enabled=deny) no chunk can be one
 * contiguous folio: POOL_CREATE fails with ENOMEM after its retries and
 * says why in the kernel log, and takes nothing with it.
 */
TEST(no_huge_tmpfs_pages_is_enomem)
{
	static const char knob[] =
		"/sys/kernel/mm/transparent_hugepage/shmem_enabled";
	int logged = klog_count("no 2 MiB page after 0 of 1 chunks");
	long long unevictable = meminfo_kb("Unevictable");
	int fd = ctrl_open();
	char old[32];

	ASSERT_OK(fd);
	ASSERT_OK(sysfs_choice(knob, old, sizeof(old)));
	ASSERT_OK(write_str(knob, "deny"));
	EXPECT_ERRNO(pool_create(fd, CHUNK), ENOMEM);
	ASSERT_OK(write_str(knob, old));
	EXPECT_EQ(klog_count("no 2 MiB page after 0 of 1 chunks"), logged + 1);
	EXPECT_LT(meminfo_kb("Unevictable") - unevictable, 2048);
	/* the fd is as new: a pool can still be made on it */
	EXPECT_OK(pool_create(fd, CHUNK));
	close(fd);
}

/* Debugger access (/proc/pid/mem, ptrace) goes through get_user_pages. */
TEST(proc_mem_access)
{
	int fd = pool_open(2 * CHUNK);
	unsigned char *p, buf[300], want[300];
	int mem, i;

	ASSERT_OK(fd);
	p = pool_map(fd, 2 * CHUNK, 0);
	ASSERT_NE(p, MAP_FAILED);
	mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	ASSERT_OK(mem);
	/* Across a page and a chunk boundary, before anything is mapped. */
	for (i = 0; i < 300; i++)
		want[i] = (unsigned char)(i * 3 + 1);
	ASSERT_EQ(pwrite(mem, want, 300, (off_t)(uintptr_t)(p + CHUNK - 150)),
		  300);
	EXPECT_EQ(memcmp(p + CHUNK - 150, want, 300), 0);
	p[CHUNK + 7] = 0xee;
	ASSERT_EQ(pread(mem, buf, 300, (off_t)(uintptr_t)(p + CHUNK - 150)),
		  300);
	EXPECT_EQ(buf[157], 0xee);
	EXPECT_EQ(memcmp(buf, want, 157), 0);

	/* A read-only mapping stays read-only, even for /proc/pid/mem. */
	ASSERT_OK(mprotect(p, 2 * CHUNK, PROT_READ));
	EXPECT_ERRNO(pwrite(mem, "x", 1, (off_t)(uintptr_t)p), EIO);
	EXPECT_EQ(p[0], 0);
	EXPECT_EQ(pread(mem, buf, 1, (off_t)(uintptr_t)(p + CHUNK + 7)), 1);
	EXPECT_EQ(buf[0], 0xee);
	close(mem);
	munmap(p, 2 * CHUNK);
	close(fd);
}

/*
 * A read-only fd has no pool (POOL_CREATE is EBADF, doc/security.md), so
 * nothing to map: PROT_WRITE is the kernel's EACCES, PROT_READ ENXIO.
 */
TEST(read_only_fd)
{
	int fd = open(CTRL_PATH, O_RDONLY | O_CLOEXEC);

	ASSERT_OK(fd);
	EXPECT_ERRNO(pool_create(fd, CHUNK), EBADF);
	EXPECT_ERRNO((long)pool_map(fd, CHUNK, 0), EACCES);
	EXPECT_ERRNO((long)mmap(NULL, CHUNK, PROT_READ, MAP_SHARED, fd, 0),
		     ENXIO);
	close(fd);
}

TEST_MAIN()
