// SPDX-License-Identifier: GPL-2.0
/*
 * pool_pin: the kernel's own users of pinned user memory on pool memory
 * (doc/pool.md, "What works with pool memory"): O_DIRECT to and from a
 * file on a real block device (ext4 on a virtio-blk disk), io_uring
 * registered buffers, process_vm_readv/writev, and the memory calls that
 * could make the page user space sees differ from the page the DMA engine
 * reads (MADV_REMOVE, fallocate punch, truncate, MADV_DONTNEED,
 * MADV_PAGEOUT, mremap).  Every case checks the data through the engine:
 * pool -> card -> pool, byte for byte.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <linux/falloc.h>
#include <linux/io_uring.h>

#include "tap.h"
#include "dma_util.h"

#define DISK_DIR	"/tmp/pin"
#define FILE_SIZE	(4 * MIB)
#define CARD_ADDR	(8 * MIB)

/*
 * The virtio modules the VM's kernel has as modules (meson passes those,
 * in load order); the built-in ones are simply not there.
 */
static const char *const virtio_kos[] = {
	"virtio_ring", "virtio", "virtio_pci_modern_dev",
	"virtio_pci_legacy_dev", "virtio_pci", "virtio_blk",
};

/*
 * The ext4 file system on the virtio-blk disk vm-run attached (its writes
 * go to an overlay), mounted on DISK_DIR.
 */
static void disk_setup(void)
{
	char cmd[128], path[64];
	unsigned int i;

	for (i = 0; i < sizeof(virtio_kos) / sizeof(virtio_kos[0]); i++) {
		snprintf(path, sizeof(path), "/bin/%s.ko", virtio_kos[i]);
		if (access(path, F_OK))
			continue;
		/* an earlier case loaded it: insmod fails, the module is in */
		snprintf(cmd, sizeof(cmd), "insmod %s 2>/dev/null", path);
		if (system(cmd) < 0)
			TH_LOG("cannot run insmod: %s", strerror(errno));
	}
	for (i = 0; i < 100 && access("/dev/vda", F_OK); i++)
		usleep(50 * 1000);
	ASSERT_OK(access("/dev/vda", F_OK));
	umount(DISK_DIR);
	ASSERT_EQ(mkdir(DISK_DIR, 0755) && errno != EEXIST, 0);
	ASSERT_OK(mount("/dev/vda", DISK_DIR, "ext4", 0, NULL));
}

/* Writes @len pattern bytes (seed @seed) to @path, buffered; the bytes. */
static unsigned char *make_file(const char *path, uint64_t len, uint64_t seed)
{
	unsigned char *p = malloc(len);
	int fd;

	ASSERT_TRUE(p != NULL);
	fill_pattern(p, len, seed);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ASSERT_OK(fd);
	ASSERT_EQ(write(fd, p, len), (long long)len);
	ASSERT_OK(fsync(fd));
	close(fd);
	return p;
}

/* @len bytes of @path read back buffered (after dropping its cache). */
static unsigned char *read_back(const char *path, uint64_t len)
{
	unsigned char *p = malloc(len);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	ASSERT_TRUE(p != NULL);
	ASSERT_OK(fd);
	ASSERT_OK(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED));
	ASSERT_EQ(pread(fd, p, len, 0), (long long)len);
	close(fd);
	return p;
}

/* Card number of card0, attached to @fd. */
static int card_attach(int fd)
{
	int card = sim_card_nr("card0");

	ASSERT_GE(card, 0);
	ASSERT_OK(dma_attach(fd, card));
	return card;
}

/*
 * The engine's view: @len bytes at pool offset @src go to the card and
 * come back at pool offset @dst, where they must equal @want.
 */
static void engine_round_trip(int fd, int card, uint64_t src, uint64_t dst,
			      uint64_t len, const unsigned char *pool,
			      const unsigned char *want)
{
	struct micmem_xfer x[2];

	x[0] = dma_xfer(src, CARD_ADDR, len, MICMEM_DIR_TO_CARD, MICMEM_CHAN_0);
	x[1] = dma_xfer(dst, CARD_ADDR, len, MICMEM_DIR_FROM_CARD,
			MICMEM_CHAN_0);
	ASSERT_OK(dma_run(fd, card, &x[0], 1));
	ASSERT_OK(dma_run(fd, card, &x[1], 1));
	EXPECT_EQ(memcmp(pool + dst, want, len), 0);
}

/*
 * O_DIRECT read from the disk into two chunks nothing has touched: the
 * block layer pins them (get_user_pages faults each in with one PMD), the
 * device writes them, and the engine reads exactly what the file holds.
 */
TEST(o_direct_read_into_untouched_chunks)
{
	struct dma_fd d;
	unsigned char *want;
	int fd, card;

	disk_setup();
	want = make_file(DISK_DIR "/in", FILE_SIZE, 1);
	ASSERT_OK(dma_fd_open(&d, 8 * CHUNK));
	card = card_attach(d.fd);

	fd = open(DISK_DIR "/in", O_RDONLY | O_DIRECT | O_CLOEXEC);
	ASSERT_OK(fd);
	ASSERT_EQ(pread(fd, d.pool + 2 * CHUNK, FILE_SIZE, 0),
		  (long long)FILE_SIZE);
	close(fd);
	EXPECT_EQ(smaps_kb(d.pool, "ShmemPmdMapped"), 2 * 2048);
	EXPECT_EQ(memcmp(d.pool + 2 * CHUNK, want, FILE_SIZE), 0);

	engine_round_trip(d.fd, card, 2 * CHUNK, 5 * CHUNK, FILE_SIZE, d.pool,
			  want);
	EXPECT_EQ(smaps_kb(d.pool, "ShmemPmdMapped"), 4 * 2048);
	dma_fd_close(&d);
	free(want);
	EXPECT_OK(umount(DISK_DIR));
}

/*
 * O_DIRECT write from the pool: bytes the engine put there (and a chunk
 * nothing touched, which must reach the file as zeros).
 */
TEST(o_direct_write_from_pool)
{
	unsigned char *want, *got;
	struct dma_fd d;
	struct micmem_xfer x;
	int fd, card;

	disk_setup();
	want = calloc(1, 3 * CHUNK);
	ASSERT_TRUE(want != NULL);
	fill_pattern(want, 2 * CHUNK, 2);
	ASSERT_OK(dma_fd_open(&d, 4 * CHUNK));
	card = card_attach(d.fd);
	/* The engine fills chunks 0..1 from the card, chunk 2 stays zero. */
	memcpy(d.pool, want, 2 * CHUNK);
	x = dma_xfer(0, CARD_ADDR, 2 * CHUNK, MICMEM_DIR_TO_CARD,
		     MICMEM_CHAN_0);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	memset(d.pool, 0x5a, 2 * CHUNK);
	x = dma_xfer(0, CARD_ADDR, 2 * CHUNK, MICMEM_DIR_FROM_CARD,
		     MICMEM_CHAN_0);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));

	fd = open(DISK_DIR "/out", O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT |
		  O_CLOEXEC, 0644);
	ASSERT_OK(fd);
	ASSERT_EQ(pwrite(fd, d.pool, 3 * CHUNK, 0), (long long)(3 * CHUNK));
	ASSERT_OK(fsync(fd));
	close(fd);
	got = read_back(DISK_DIR "/out", 3 * CHUNK);
	EXPECT_EQ(memcmp(got, want, 3 * CHUNK), 0);
	dma_fd_close(&d);
	free(got);
	free(want);
	EXPECT_OK(umount(DISK_DIR));
}

/* ---- io_uring, by raw system calls (one request at a time) ----------- */

struct ring {
	int fd;
	unsigned int *sq_tail, *sq_mask, *sq_array;
	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	void *sq_ring, *cq_ring;
	size_t sq_len, cq_len, sqes_len;
};

static int ring_init(struct ring *r)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	r->fd = syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -1;
	r->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	r->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	r->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
	r->sq_ring = mmap(NULL, r->sq_len, PROT_READ | PROT_WRITE, MAP_SHARED,
			  r->fd, IORING_OFF_SQ_RING);
	r->cq_ring = mmap(NULL, r->cq_len, PROT_READ | PROT_WRITE, MAP_SHARED,
			  r->fd, IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, r->sqes_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       r->fd, IORING_OFF_SQES);
	if (r->sq_ring == MAP_FAILED || r->cq_ring == MAP_FAILED ||
	    r->sqes == MAP_FAILED)
		return -1;
	r->sq_tail = (unsigned int *)((char *)r->sq_ring + p.sq_off.tail);
	r->sq_mask = (unsigned int *)((char *)r->sq_ring + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)((char *)r->sq_ring + p.sq_off.array);
	r->cq_head = (unsigned int *)((char *)r->cq_ring + p.cq_off.head);
	r->cq_tail = (unsigned int *)((char *)r->cq_ring + p.cq_off.tail);
	r->cq_mask = (unsigned int *)((char *)r->cq_ring + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)((char *)r->cq_ring + p.cq_off.cqes);
	return 0;
}

static void ring_exit(struct ring *r)
{
	munmap(r->sqes, r->sqes_len);
	munmap(r->cq_ring, r->cq_len);
	munmap(r->sq_ring, r->sq_len);
	close(r->fd);
}

/* One READ_FIXED/WRITE_FIXED of registered buffer @idx; its result. */
static long long ring_rw(struct ring *r, int op, int fd, void *buf,
			 unsigned int len, uint64_t off, unsigned int idx)
{
	unsigned int tail = *r->sq_tail, head, slot = tail & *r->sq_mask;
	struct io_uring_sqe *sqe = &r->sqes[slot];
	long long res;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = op;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)buf;
	sqe->len = len;
	sqe->off = off;
	sqe->buf_index = idx;
	r->sq_array[slot] = slot;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return -1000 - errno;
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -2000;
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

static int ring_register(struct ring *r, void *buf, size_t len)
{
	struct iovec iov = { buf, len };

	return syscall(__NR_io_uring_register, r->fd, IORING_REGISTER_BUFFERS,
		       &iov, 1);
}

static int ring_unregister(struct ring *r)
{
	return syscall(__NR_io_uring_register, r->fd,
		       IORING_UNREGISTER_BUFFERS, NULL, 0);
}

/*
 * io_uring READ/WRITE on pool memory (chunk 3 never touched before), then
 * IORING_REGISTER_BUFFERS of 3 chunks of pool memory (the last never
 * touched), WRITE_FIXED from it to the file and READ_FIXED back into it;
 * the engine checks the result.
 */
TEST(io_uring_fixed_buffers)
{
	unsigned char *want, *got;
	struct dma_fd d;
	struct ring r;
	int fd, card;

	disk_setup();
	ASSERT_OK(dma_fd_open(&d, 6 * CHUNK));
	card = card_attach(d.fd);
	ASSERT_OK(ring_init(&r));
	want = malloc(2 * CHUNK);
	ASSERT_TRUE(want != NULL);
	fill_pattern(want, 2 * CHUNK, 3);
	memcpy(d.pool, want, 2 * CHUNK);

	/* Plain READ/WRITE (the kernel pins per request): every kernel */
	fd = open(DISK_DIR "/ring", O_RDWR | O_CREAT | O_TRUNC | O_DIRECT |
		  O_CLOEXEC, 0644);
	ASSERT_OK(fd);
	EXPECT_EQ(ring_rw(&r, IORING_OP_WRITE, fd, d.pool, 2 * CHUNK, 0, 0),
		  (long long)(2 * CHUNK));
	got = read_back(DISK_DIR "/ring", 2 * CHUNK);
	EXPECT_EQ(memcmp(got, want, 2 * CHUNK), 0);
	free(got);
	EXPECT_EQ(ring_rw(&r, IORING_OP_READ, fd, d.pool + 3 * CHUNK, CHUNK,
			  CHUNK, 0), (long long)CHUNK);
	EXPECT_EQ(memcmp(d.pool + 3 * CHUNK, want + CHUNK, CHUNK), 0);
	close(fd);

	/*
	 * Registered buffers: on 6.1 only because pool memory is tmpfs
	 * memory (its io_uring takes no other file-backed VMA).
	 */
	ASSERT_OK(ring_register(&r, d.pool, 3 * CHUNK));

	fd = open(DISK_DIR "/ring", O_RDWR | O_CREAT | O_TRUNC | O_DIRECT |
		  O_CLOEXEC, 0644);
	ASSERT_OK(fd);
	EXPECT_EQ(ring_rw(&r, IORING_OP_WRITE_FIXED, fd, d.pool, 2 * CHUNK, 0,
			  0), (long long)(2 * CHUNK));
	got = read_back(DISK_DIR "/ring", 2 * CHUNK);
	EXPECT_EQ(memcmp(got, want, 2 * CHUNK), 0);
	free(got);
	/* into the middle of chunk 1 and on into the untouched chunk 2 */
	EXPECT_EQ(ring_rw(&r, IORING_OP_READ_FIXED, fd,
			  d.pool + CHUNK + CHUNK / 2, CHUNK, 0, 0),
		  (long long)CHUNK);
	EXPECT_EQ(memcmp(d.pool + CHUNK + CHUNK / 2, want, CHUNK), 0);
	engine_round_trip(d.fd, card, CHUNK + CHUNK / 2, 4 * CHUNK, CHUNK,
			  d.pool, want);
	close(fd);
	EXPECT_OK(ring_unregister(&r));
	ring_exit(&r);
	dma_fd_close(&d);
	free(want);
	EXPECT_OK(umount(DISK_DIR));
}

/*
 * The chunks stay allocated while something outside the pool holds them
 * (an io_uring registration, or a pipe's pages from vmsplice), after the
 * pool's fd and mapping are gone, and go back to the allocator when that
 * goes: free memory against a baseline, 16 MiB of pool.
 */
static void pages_outlive_pool(int uring)
{
	const uint64_t size = 8 * CHUNK;
	long long base, held, after = 0;
	unsigned char *p;
	struct ring r;
	int pfd[2] = { -1, -1 };
	int fd, i;

	usleep(200 * 1000);
	base = free_kb();
	ASSERT_GT(base, 0);
	fd = pool_open(size);
	ASSERT_OK(fd);
	p = pool_map(fd, size, 0);
	ASSERT_NE(p, MAP_FAILED);
	memset(p, 0x3c, size);
	if (uring) {
		ASSERT_OK(ring_init(&r));
		ASSERT_OK(ring_register(&r, p, size));
	} else {
		struct iovec iov = { p, 16 * 4096 };

		/* one page of each chunk pins (refers to) the whole chunk */
		ASSERT_OK(pipe(pfd));
		for (i = 0; i < 8; i++) {
			iov.iov_base = p + i * CHUNK;
			iov.iov_len = 4096;
			ASSERT_EQ(vmsplice(pfd[1], &iov, 1, 0), 4096);
		}
	}
	ASSERT_OK(munmap(p, size));
	ASSERT_OK(close(fd));
	usleep(200 * 1000);
	held = free_kb();
	TH_LOG("free %lld KiB before, %lld KiB with only the %s left",
	       base, held, uring ? "io_uring registration" : "pipe");
	EXPECT_LE(held, base - (long long)(size / 1024) + 1024);

	if (uring) {
		ASSERT_OK(ring_unregister(&r));
		ring_exit(&r);
	} else {
		close(pfd[0]);
		close(pfd[1]);
	}
	/* io_uring puts its buffers from a work item: give it 10 s */
	for (i = 0; i < 100; i++) {
		usleep(100 * 1000);
		after = free_kb();
		if (after >= base - 512)
			break;
	}
	TH_LOG("free %lld KiB after the release", after);
	EXPECT_GE(after, base - 512);
}

TEST(pages_outlive_pool_in_io_uring)
{
	pages_outlive_pool(1);
}

TEST(pages_outlive_pool_in_pipe)
{
	pages_outlive_pool(0);
}

/*
 * process_vm_readv/writev from a forked child (which has no mapping of
 * the pool: VM_DONTCOPY) on the parent's pool, untouched chunk included.
 */
TEST(process_vm_readv_and_writev)
{
	unsigned char *want;
	struct dma_fd d;
	pid_t pid;
	int st, card;

	ASSERT_OK(dma_fd_open(&d, 4 * CHUNK));
	card = card_attach(d.fd);
	want = malloc(CHUNK);
	ASSERT_TRUE(want != NULL);
	fill_pattern(want, CHUNK, 4);
	memcpy(d.pool, want, CHUNK);

	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		unsigned char *buf = malloc(CHUNK);
		struct iovec local = { buf, CHUNK }, remote = { d.pool, CHUNK };

		if (!buf || process_vm_readv(getppid(), &local, 1, &remote,
					     1, 0) != (ssize_t)CHUNK)
			_exit(1);
		if (memcmp(buf, want, CHUNK))
			_exit(2);
		/* into chunk 2, never touched by the parent */
		remote.iov_base = d.pool + 2 * CHUNK;
		if (process_vm_writev(getppid(), &local, 1, &remote, 1, 0) !=
		    (ssize_t)CHUNK)
			_exit(3);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_EQ(memcmp(d.pool + 2 * CHUNK, want, CHUNK), 0);
	engine_round_trip(d.fd, card, 2 * CHUNK, 3 * CHUNK, CHUNK, d.pool,
			  want);
	dma_fd_close(&d);
	free(want);
}

/*
 * Everything that could give user space a page other than the pool's:
 * refused (MADV_REMOVE, punch and truncate of the device and of the
 * pool's tmpfs file), or harmless (MADV_DONTNEED,
 * MADV_COLD/PAGEOUT, a partial MADV_DONTNEED of a PMD, mremap to an
 * address not congruent to the chunk).  After each, bytes written by the
 * CPU reach the engine and bytes written by the engine reach the CPU.
 */
TEST(memory_calls_never_split_views)
{
	struct micmem_xfer x;
	unsigned char *want, *q;
	struct dma_fd d;
	int card, step, f;
	char path[96];

	ASSERT_OK(dma_fd_open(&d, 4 * CHUNK));
	card = card_attach(d.fd);
	want = malloc(CHUNK);
	ASSERT_TRUE(want != NULL);

	EXPECT_ERRNO(madvise(d.pool, CHUNK, MADV_REMOVE), EPERM);
	EXPECT_ERRNO(fallocate(d.fd, FALLOC_FL_PUNCH_HOLE |
			       FALLOC_FL_KEEP_SIZE, 0, CHUNK), ENODEV);
	EXPECT_ERRNO(ftruncate(d.fd, 0), EINVAL);
	EXPECT_ERRNO(madvise(d.pool, CHUNK, MADV_FREE), EINVAL);
	/* the pool's tmpfs file itself, which root reaches via map_files */
	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)d.pool, (unsigned long)(d.pool + 4 * CHUNK));
	f = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	ASSERT_OK(f);
	EXPECT_ERRNO(fallocate(f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       0, CHUNK), EPERM);
	EXPECT_ERRNO(ftruncate(f, 0), EPERM);
	close(f);

	for (step = 0; step < 5; step++) {
		fill_pattern(want, CHUNK, 10 + step);
		memcpy(d.pool, want, CHUNK);
		switch (step) {
		case 0:
			EXPECT_OK(madvise(d.pool, CHUNK, MADV_DONTNEED));
			break;
		case 1:
			EXPECT_OK(madvise(d.pool + 4096, 8192, MADV_DONTNEED));
			break;
		case 2:
			EXPECT_OK(madvise(d.pool, CHUNK, MADV_COLD));
			break;
		case 3:
			EXPECT_OK(madvise(d.pool, CHUNK, MADV_PAGEOUT));
			break;
		case 4:
			EXPECT_OK(madvise(d.pool, 8192, MADV_PAGEOUT));
			break;
		}
		/* the CPU's bytes are what the engine reads... */
		EXPECT_EQ(memcmp(d.pool, want, CHUNK), 0);
		engine_round_trip(d.fd, card, 0, CHUNK, CHUNK, d.pool, want);
		/* ...and the engine's bytes what the CPU reads */
		x = dma_xfer(0, CARD_ADDR, CHUNK, MICMEM_DIR_FROM_CARD,
			     MICMEM_CHAN_0);
		memset(d.pool, 0, CHUNK);
		ASSERT_OK(dma_run(d.fd, card, &x, 1));
		EXPECT_EQ(memcmp(d.pool, want, CHUNK), 0);
	}

	/* mremap: growing is refused, moving keeps the same pages */
	EXPECT_ERRNO((long)mremap(d.pool, CHUNK, 2 * CHUNK, MREMAP_MAYMOVE),
		     EFAULT);
	q = mmap(NULL, 3 * CHUNK, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		 0);
	ASSERT_NE(q, MAP_FAILED);
	/* 4 KiB past a 2 MiB boundary: not congruent, PTEs from here on */
	q = (unsigned char *)(((uintptr_t)q + CHUNK) & ~(uintptr_t)(CHUNK - 1));
	q = mremap(d.pool, CHUNK, CHUNK, MREMAP_MAYMOVE | MREMAP_FIXED,
		   q + 4096);
	ASSERT_NE(q, MAP_FAILED);
	EXPECT_EQ(memcmp(q, want, CHUNK), 0);
	fill_pattern(want, CHUNK, 20);
	memcpy(q, want, CHUNK);
	engine_round_trip(d.fd, card, 0, 3 * CHUNK, CHUNK, d.pool, want);
	EXPECT_OK(munmap(q, CHUNK));
	dma_fd_close(&d);
	free(want);
}

TEST_MAIN()
