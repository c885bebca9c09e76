// SPDX-License-Identifier: GPL-2.0
/*
 * security: the security model of doc/security.md, tested.
 *  - the admin's dma_window holds against every descriptor form: both
 *    directions, channel 0, 1 and AUTO, transfers straddling the window's
 *    end, card_addr + length overflowing, the bad transfer anywhere in a
 *    batch; no descriptor of a refused batch reaches the engine;
 *  - an fd passed with SCM_RIGHTS works in the receiver (same pool, same
 *    attachments, its own tickets), and the mapping rules hold there
 *    (MAP_SHARED only); a fork's child does not inherit the mapping
 *    (VM_DONTCOPY);
 *  - every out struct is fully written: filled with two different
 *    sentinels, the results are byte for byte the same, reserved zero;
 *  - an O_RDONLY fd may QUERY, POOL_INFO, WAIT and poll, and gets EBADF
 *    from POOL_CREATE, ATTACH, DETACH and SUBMIT;
 *  - a stale attachment after a card number is reused: SUBMIT fails with
 *    ENODEV, ATTACH of the number replaces it, DETACH drops it.
 * Needs two sim cards; creates its own for the stale case.
 */
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "card_util.h"

#define WIN		(64 * MIB)

static int card0(void)
{
	return sim_card_nr("card0");
}

TEST(dma_window_holds_against_every_descriptor_form)
{
	static const int chans[3] = { 0, 1, MICMEM_CHAN_AUTO };
	struct {
		uint64_t card_addr, len;
	} bad[] = {
		{ WIN - 64, 128 },			/* straddles the end */
		{ WIN - 4 * MIB, 6 * MIB },		/* across, 3 chunks */
		{ WIN, 64 },				/* just past */
		{ WIN - 64, UINT64_MAX - 63 },		/* length huge */
		{ UINT64_MAX - 63, 128 },		/* sum overflows */
		{ 64, UINT64_MAX - 63 },		/* sum overflows */
		{ (uint64_t)1 << 63, (uint64_t)1 << 63 },/* sum wraps to 0 */
	};
	int card = card0(), c, dir, i, pos, refused = 0;
	struct micmem_xfer x[4];
	struct micmem_submit s;
	long long memcopy;
	struct dma_fd d;
	char path[64], v[32];
	uint64_t t;

	ASSERT_OK(dma_fd_open(&d, 8 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	snprintf(path, sizeof(path), "/sys/class/mic/mic%d/dma_window", card);
	tap_defer_restore_file(path);
	snprintf(v, sizeof(v), "%llu", WIN);
	ASSERT_OK(micsim_write(path, v));

	memcopy = knob(0, "dma_memcopy");
	for (c = 0; c < 3; c++)
		for (dir = 0; dir < 2; dir++)
			for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0]));
			     i++)
				for (pos = 0; pos < 4; pos += 3) {
					int k;

					for (k = 0; k < 4; k++)
						x[k] = dma_xfer(k * MIB, k * MIB,
								4096, dir,
								chans[c]);
					x[pos].card_addr = bad[i].card_addr;
					x[pos].length = bad[i].len;
					memset(&s, 0, sizeof(s));
					s.card = card;
					s.count = 4;
					s.xfers = (uintptr_t)x;
					EXPECT_ERRNO(ioctl(d.fd,
							   MICMEM_IOC_SUBMIT,
							   &s), ERANGE);
					EXPECT_EQ(s.bad_xfer, pos);
					EXPECT_EQ(s.ticket, 0);
					refused++;
				}
	/* nothing of a refused batch reached the engine */
	EXPECT_EQ(knob(0, "dma_memcopy"), memcopy);

	/* right up to the end is allowed, in every form */
	for (c = 0; c < 3; c++)
		for (dir = 0; dir < 2; dir++) {
			x[0] = dma_xfer(0, WIN - 2 * MIB - 4096, 2 * MIB + 4096,
					dir, chans[c]);
			x[1] = dma_xfer(4 * MIB, WIN - 64, 64, dir, chans[c]);
			EXPECT_OK(dma_run(d.fd, card, x, 2));
		}
	/* the window moves: what was allowed is refused and back */
	x[0] = dma_xfer(0, WIN - 64, 64, MICMEM_DIR_TO_CARD, 0);
	snprintf(v, sizeof(v), "%llu", WIN - 4096);
	ASSERT_OK(micsim_write(path, v));
	EXPECT_ERRNO(dma_submit(d.fd, card, x, 1, 0, &t), ERANGE);
	snprintf(v, sizeof(v), "%llu", WIN);
	ASSERT_OK(micsim_write(path, v));
	EXPECT_OK(dma_run(d.fd, card, x, 1));
	printf("# dma_window: %d batches with a transfer outside refused\n",
	       refused);
	dma_fd_close(&d);
}

/* Send @fd over @sock. */
static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c = 'f';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr m = { 0 };
	struct cmsghdr *cm;

	memset(cbuf, 0, sizeof(cbuf));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr m = { 0 };
	struct cmsghdr *cm;
	int fd;

	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	if (recvmsg(sock, &m, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/*
 * The receiver of a passed fd: same pool (it sees the sender's bytes and
 * the sender sees its), same attachment, tickets of its own; MAP_PRIVATE
 * refused.  Exit status: 0, or the step that failed.
 */
static int receiver(int sock, int card)
{
	struct micmem_pool_info pi;
	struct micmem_xfer x;
	struct micmem_wait w;
	uint8_t *p;
	uint64_t t;
	int fd = recv_fd(sock);

	if (fd < 0)
		return 1;
	memset(&pi, 0, sizeof(pi));
	if (ioctl(fd, MICMEM_IOC_POOL_INFO, &pi) || pi.size != 4 * MIB)
		return 2;
	p = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 3;
	if (check_pattern(p, MIB, 61) != -1)
		return 4;
	if (mmap(NULL, CHUNK, PROT_READ, MAP_PRIVATE, fd, 0) != MAP_FAILED ||
	    errno != EINVAL)
		return 5;
	/* DMA through the sender's attachment: card -> second MiB */
	x = dma_xfer(MIB, 96 * MIB, MIB, MICMEM_DIR_FROM_CARD, MICMEM_CHAN_AUTO);
	if (dma_submit(fd, card, &x, 1, 0, &t) || dma_wait_ms(fd, t, 5000, &w))
		return 6;
	if (check_pattern(p + MIB, MIB, 61) != -1)
		return 7;
	fill_pattern(p + 2 * MIB, MIB, 62);
	if (write(sock, "d", 1) != 1)
		return 8;
	munmap(p, 4 * MIB);
	close(fd);
	return 0;
}

TEST(fd_passed_with_scm_rights_and_fork)
{
	struct micmem_xfer x;
	int sv[2], status, card = card0();
	struct dma_fd d;
	pid_t pid;
	char c;

	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	ASSERT_OK(pid);
	if (!pid) {
		close(sv[0]);
		_exit(receiver(sv[1], card));
	}
	close(sv[1]);
	ASSERT_OK(dma_fd_open(&d, 4 * MIB));
	ASSERT_OK(dma_attach(d.fd, card));
	fill_pattern(d.pool, MIB, 61);
	x = dma_xfer(0, 96 * MIB, MIB, MICMEM_DIR_TO_CARD, 0);
	ASSERT_OK(dma_run(d.fd, card, &x, 1));
	ASSERT_OK(send_fd(sv[0], d.fd));
	EXPECT_EQ(read(sv[0], &c, 1), 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
	/* what the receiver wrote is in the sender's mapping */
	EXPECT_EQ(check_pattern(d.pool + 2 * MIB, MIB, 62), -1);
	/* the receiver's batch was its own: nothing left on the fd */
	{
		struct micmem_wait w;

		memset(&w, 0, sizeof(w));
		w.flags = MICMEM_WAIT_ANY;
		w.deadline_ns = MICMEM_WAIT_NO_BLOCK;
		EXPECT_ERRNO(ioctl(d.fd, MICMEM_IOC_WAIT, &w), ENOENT);
	}

	/* fork: the child has the fd but not the mapping (VM_DONTCOPY) */
	pid = fork();
	ASSERT_OK(pid);
	if (!pid) {
		struct micmem_pool_info pi;

		if (msync(d.pool, CHUNK, MS_ASYNC) != -1 || errno != ENOMEM)
			_exit(1);
		if (ioctl(d.fd, MICMEM_IOC_POOL_INFO, &pi))
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
	close(sv[0]);
	dma_fd_close(&d);
}

/* ioctl @cmd on @fd with @arg, after @in was copied there over @fill. */
static long call_filled(int fd, unsigned long cmd, void *arg, size_t size,
			const void *in, size_t in_size, int fill)
{
	memset(arg, fill, size);
	memcpy(arg, in, in_size);
	return ioctl(fd, cmd, arg);
}

TEST(out_structs_fully_written)
{
	union {
		struct micmem_query q;
		struct micmem_pool_create pc;
		struct micmem_pool_info pi;
		struct micmem_submit s;
		struct micmem_wait w;
		uint8_t b[256];
	} a, b;
	struct micmem_pool_create pc;
	struct micmem_submit s;
	struct micmem_wait w;
	struct micmem_xfer x;
	int fd, fd2, card = card0();
	uint64_t t1;

	fd = ctrl_open();
	ASSERT_OK(fd);
	/* QUERY: out only */
	ASSERT_OK(call_filled(fd, MICMEM_IOC_QUERY, &a, sizeof(a.q), NULL, 0,
			      0xa5));
	ASSERT_OK(call_filled(fd, MICMEM_IOC_QUERY, &b, sizeof(b.q), NULL, 0,
			      0x5a));
	EXPECT_EQ(memcmp(&a.q, &b.q, sizeof(a.q)), 0);
	EXPECT_EQ(a.q.reserved[0] | a.q.reserved[1] | a.q.reserved[2] |
		  a.q.reserved[3], 0);

	/* POOL_CREATE: mmap_offset out on two fresh fds */
	memset(&pc, 0, sizeof(pc));
	pc.size = CHUNK;
	fd2 = ctrl_open();
	ASSERT_OK(fd2);
	memset(&a, 0xa5, sizeof(a));
	a.pc = pc;
	a.pc.mmap_offset = 0xa5a5a5a5a5a5a5a5ULL;
	ASSERT_OK(ioctl(fd, MICMEM_IOC_POOL_CREATE, &a.pc));
	b.pc = pc;
	b.pc.mmap_offset = 0x5a5a5a5a5a5a5a5aULL;
	ASSERT_OK(ioctl(fd2, MICMEM_IOC_POOL_CREATE, &b.pc));
	EXPECT_EQ(memcmp(&a.pc, &b.pc, sizeof(a.pc)), 0);
	close(fd2);

	/* POOL_INFO: out only */
	ASSERT_OK(call_filled(fd, MICMEM_IOC_POOL_INFO, &a, sizeof(a.pi),
			      NULL, 0, 0xa5));
	ASSERT_OK(call_filled(fd, MICMEM_IOC_POOL_INFO, &b, sizeof(b.pi),
			      NULL, 0, 0x5a));
	EXPECT_EQ(memcmp(&a.pi, &b.pi, sizeof(a.pi)), 0);
	EXPECT_EQ(a.pi.reserved[0] | a.pi.reserved[1] | a.pi.reserved[2], 0);

	/* SUBMIT: bad_xfer and ticket written, success and failure */
	ASSERT_OK(dma_attach(fd, card));
	x = dma_xfer(0, 100 * MIB, 4096, MICMEM_DIR_TO_CARD, 0);
	memset(&s, 0, sizeof(s));
	s.card = card;
	s.count = 1;
	s.xfers = (uintptr_t)&x;
	s.bad_xfer = 0xa5a5a5a5;
	s.ticket = 0xa5a5a5a5a5a5a5a5ULL;
	ASSERT_OK(ioctl(fd, MICMEM_IOC_SUBMIT, &s));
	EXPECT_EQ(s.bad_xfer, MICMEM_NO_XFER);
	EXPECT_NE(s.ticket, 0xa5a5a5a5a5a5a5a5ULL);
	EXPECT_NE(s.ticket, 0);
	t1 = s.ticket;
	x.length = 100;				/* EINVAL, transfer 0 */
	s.bad_xfer = 0x5a5a5a5a;
	s.ticket = 0x5a5a5a5a5a5a5a5aULL;
	EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_SUBMIT, &s), EINVAL);
	EXPECT_EQ(s.bad_xfer, 0);
	EXPECT_EQ(s.ticket, 0);
	EXPECT_EQ(s.reserved[0] | s.reserved[1], 0);

	/* WAIT: every out field, for a success */
	memset(&w, 0, sizeof(w));
	w.ticket = t1;
	w.deadline_ns = MICMEM_WAIT_FOREVER;
	w.failed_xfer = 0xa5a5a5a5;
	w.error = 0x5a5a5a5a;
	w.error_class = 0xa5a5a5a5;
	ASSERT_OK(ioctl(fd, MICMEM_IOC_WAIT, &w));
	EXPECT_EQ(w.ticket, t1);
	EXPECT_EQ(w.failed_xfer, MICMEM_NO_XFER);
	EXPECT_EQ(w.error, 0);
	EXPECT_EQ(w.error_class, MICMEM_ERR_NONE);
	EXPECT_EQ(w.reserved[0] | w.reserved[1], 0);
	/* ... and with MICMEM_WAIT_ANY, the ticket written too */
	x.length = 4096;
	ASSERT_OK(dma_submit(fd, card, &x, 1, 0, &t1));
	memset(&w, 0, sizeof(w));
	w.flags = MICMEM_WAIT_ANY;
	w.ticket = 0xa5a5a5a5a5a5a5a5ULL;
	w.deadline_ns = MICMEM_WAIT_FOREVER;
	w.failed_xfer = 0xa5a5a5a5;
	w.error = 0x5a5a5a5a;
	w.error_class = 0xa5a5a5a5;
	ASSERT_OK(ioctl(fd, MICMEM_IOC_WAIT, &w));
	EXPECT_EQ(w.ticket, t1);
	EXPECT_EQ(w.failed_xfer, MICMEM_NO_XFER);
	EXPECT_EQ(w.error, 0);
	EXPECT_EQ(w.error_class, MICMEM_ERR_NONE);
	close(fd);
}

TEST(read_only_fd_may_look_but_not_move_data)
{
	struct micmem_pool_create pc;
	struct micmem_pool_info pi;
	struct micmem_query q;
	struct micmem_xfer x = dma_xfer(0, 0, 4096, MICMEM_DIR_TO_CARD, 0);
	struct micmem_wait w;
	struct pollfd pfd;
	int fd = open(CTRL_PATH, O_RDONLY | O_CLOEXEC), rw;

	ASSERT_OK(fd);
	memset(&q, 0, sizeof(q));
	EXPECT_OK(ioctl(fd, MICMEM_IOC_QUERY, &q));
	EXPECT_EQ(q.api_version, MICMEM_API_VERSION);
	EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_POOL_INFO, &pi), ENXIO);
	memset(&pc, 0, sizeof(pc));
	pc.size = CHUNK;
	EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_POOL_CREATE, &pc), EBADF);
	EXPECT_ERRNO(dma_attach(fd, card0()), EBADF);
	EXPECT_ERRNO(dma_detach(fd, card0()), EBADF);
	{
		struct micmem_submit s;

		memset(&s, 0, sizeof(s));
		s.card = card0();
		s.count = 1;
		s.xfers = (uintptr_t)&x;
		s.bad_xfer = 7;
		s.ticket = 7;
		EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_SUBMIT, &s), EBADF);
		EXPECT_EQ(s.bad_xfer, MICMEM_NO_XFER);
		EXPECT_EQ(s.ticket, 0);
	}
	memset(&w, 0, sizeof(w));
	w.flags = MICMEM_WAIT_ANY;
	w.deadline_ns = MICMEM_WAIT_NO_BLOCK;
	EXPECT_ERRNO(ioctl(fd, MICMEM_IOC_WAIT, &w), ENOENT);
	pfd.fd = fd;
	pfd.events = POLLIN;
	EXPECT_OK(poll(&pfd, 1, 0));
	EXPECT_ERRNO((long)mmap(NULL, CHUNK, PROT_READ, MAP_SHARED, fd, 0),
		     ENXIO);
	/* the check is the fd's mode, not the caller's: O_RDWR works */
	rw = open(CTRL_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_OK(rw);
	EXPECT_OK(ioctl(rw, MICMEM_IOC_POOL_CREATE, &pc));
	EXPECT_OK(dma_attach(rw, card0()));
	EXPECT_OK(dma_detach(rw, card0()));
	close(rw);
	close(fd);
}

TEST_TIMEOUT(stale_attachment_after_card_number_reuse, 60)
{
	struct micmem_xfer x = dma_xfer(0, 0, 64 * KIB, MICMEM_DIR_TO_CARD, 0);
	struct dma_fd d, e;
	int n, m;

	ASSERT_OK(dma_fd_open(&d, CHUNK));
	ASSERT_OK(dma_fd_open(&e, CHUNK));
	micsim_defer_del("stale_a");
	n = micsim_add("stale_a", "memsize_mb=64", NULL);
	ASSERT_GE(n, 0);
	ASSERT_OK(dma_attach(d.fd, n));
	ASSERT_OK(dma_attach(e.fd, n));
	ASSERT_OK(dma_run(d.fd, n, &x, 1));
	ASSERT_OK(micsim_del("stale_a"));
	/* the card is gone: SUBMIT says so, ATTACH finds no card */
	EXPECT_ERRNO(dma_submit(d.fd, n, &x, 1, 0, NULL), ENODEV);
	EXPECT_ERRNO(dma_attach(d.fd, n), ENODEV);

	micsim_defer_del("stale_b");
	m = micsim_add("stale_b", "memsize_mb=64", NULL);
	ASSERT_GE(m, 0);
	if (m != n)
		SKIP("the new card got mic%d, not the freed mic%d", m, n);
	/* the old attachment still fails; ATTACH replaces it, not EEXIST */
	EXPECT_ERRNO(dma_submit(d.fd, n, &x, 1, 0, NULL), ENODEV);
	EXPECT_OK(dma_attach(d.fd, n));
	EXPECT_ERRNO(dma_attach(d.fd, n), EEXIST);
	EXPECT_OK(dma_run(d.fd, n, &x, 1));
	/* DETACH drops a stale attachment too; then ATTACH as usual */
	EXPECT_OK(dma_detach(e.fd, n));
	EXPECT_ERRNO(dma_detach(e.fd, n), ENOTCONN);
	EXPECT_ERRNO(dma_submit(e.fd, n, &x, 1, 0, NULL), ENOTCONN);
	EXPECT_OK(dma_attach(e.fd, n));
	EXPECT_OK(dma_run(e.fd, n, &x, 1));
	dma_fd_close(&e);
	dma_fd_close(&d);
}

TEST_MAIN()
