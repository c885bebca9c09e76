// SPDX-License-Identifier: GPL-2.0
/*
 * lib_mock.c - the fake /dev/mic/ctrl of lib_mock.h.  The real calls are
 * made with syscall(2) so that nothing here depends on how libc names its
 * internal entry points.
 */
/* Both open and open64 (mmap, mmap64) are defined here: no redirection. */
#undef _FILE_OFFSET_BITS
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib_mock.h"

struct mock_state mock = { .fd = -1 };

void mock_reset(void)
{
	if (mock.fd >= 0)
		syscall(SYS_close, mock.fd);
	memset(&mock, 0, sizeof(mock));
	mock.fd = -1;
}

void mock_reply(int err, const void *out, size_t len)
{
	struct mock_reply *r;

	if (mock.nr_replies >= MOCK_MAX || len > MOCK_ARG_MAX)
		abort();
	r = &mock.replies[mock.nr_replies++];
	r->err = err;
	r->len = out ? len : 0;
	if (out)
		memcpy(r->out, out, len);
}

static int mock_is_node(const char *path)
{
	return !strcmp(path, MOCK_CTRL_PATH) ||
	       (mock.path && !strcmp(path, mock.path));
}

static int mock_open(const char *path, int flags, mode_t mode)
{
	int fd;

	if (!mock_is_node(path))
		return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
	mock.open_calls++;
	mock.open_flags = flags;
	if (mock.open_err) {
		errno = mock.open_err;
		return -1;
	}
	fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null",
			  O_RDWR | (flags & O_CLOEXEC), 0);
	if (fd >= 0)
		mock.fd = fd;
	return fd;
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return mock_open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return mock_open(path, flags, mode);
}

int ioctl(int fd, unsigned long cmd, ...)
{
	struct mock_ioctl *call;
	struct mock_reply *r;
	size_t size;
	void *arg;
	va_list ap;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd < 0 || fd != mock.fd)
		return (int)syscall(SYS_ioctl, fd, cmd, arg);

	if (mock.nr_ioctls >= MOCK_MAX)
		abort();
	call = &mock.ioctls[mock.nr_ioctls++];
	memset(call, 0, sizeof(*call));
	call->cmd = cmd;
	size = _IOC_SIZE(cmd);
	if (size > MOCK_ARG_MAX)
		abort();
	if (arg)
		memcpy(call->arg, arg, size);
	if (cmd == MICMEM_IOC_SUBMIT && arg) {
		const struct micmem_submit *s = arg;
		unsigned int n = s->count < 8 ? s->count : 8;

		call->xfers_ptr = (uintptr_t)s->xfers;
		if (s->xfers)
			memcpy(call->xfers, (void *)(uintptr_t)s->xfers,
			       n * sizeof(struct micmem_xfer));
	}

	if (mock.next_reply >= mock.nr_replies)
		return 0;
	r = &mock.replies[mock.next_reply++];
	if (r->len && arg)
		memcpy(arg, r->out, r->len < size ? r->len : size);
	if (r->err) {
		errno = r->err;
		return -1;
	}
	return 0;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (fd < 0 || fd != mock.fd)
		return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd,
				       off);
	mock.mmap_calls++;
	mock.mmap_addr = addr;
	mock.mmap_len = len;
	mock.mmap_prot = prot;
	mock.mmap_flags = flags;
	mock.mmap_off = off;
	if (mock.mmap_err) {
		errno = mock.mmap_err;
		return MAP_FAILED;
	}
	mock.mapped = (void *)syscall(SYS_mmap, NULL, len, prot,
				      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return mock.mapped;
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return mmap(addr, len, prot, flags, fd, off);
}

int munmap(void *addr, size_t len)
{
	if (addr && addr == mock.mapped) {
		mock.munmap_calls++;
		mock.munmap_addr = addr;
		mock.munmap_len = len;
	}
	return (int)syscall(SYS_munmap, addr, len);
}

int close(int fd)
{
	if (fd >= 0 && fd == mock.fd) {
		mock.closed++;
		mock.fd = -1;
	}
	return (int)syscall(SYS_close, fd);
}

/* Does @fd name a file called "state" (a card's state attribute)? */
static int mock_is_state(int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 6)
		return 0;
	path[n] = '\0';
	return !strcmp(path + n - 6, "/state");
}

ssize_t write(int fd, const void *buf, size_t len)
{
	if (fd > 2 && mock_is_state(fd)) {
		mock.state_writes++;
		if (mock.state_write_err) {
			errno = mock.state_write_err;
			return -1;
		}
	}
	return syscall(SYS_write, fd, buf, len);
}
