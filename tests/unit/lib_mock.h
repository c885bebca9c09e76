/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib_mock.h - a fake /dev/mic/ctrl for the libmicmem unit tests.
 *
 * lib_mock.c defines open(), ioctl(), mmap(), munmap() and close() in the
 * test executable; the executable comes first in symbol lookup, so
 * libmicmem.so calls these instead of libc's (what LD_PRELOAD would do,
 * without the environment).  Calls on other paths and descriptors go to
 * the kernel unchanged.
 *
 * Opening MOCK_CTRL_PATH (or mock.path) gives a real descriptor of
 * /dev/null that stands for the node.  Each ioctl on it is recorded: the
 * command, a copy of the argument as it was passed (and of the transfer
 * array of a SUBMIT); then the next queued reply is applied: its bytes
 * (if any) are copied over the argument, as the driver's copy_to_user
 * would, and the call fails with its errno (if not 0).  With no reply
 * queued an ioctl succeeds and leaves the argument alone.  mmap of the
 * node gives anonymous memory.
 *
 * The fake sysfs is a directory of regular files (MICMEM_SYSFS): what the
 * library writes lands in them.  write() on a file named "state" fails
 * with mock.state_write_err when that is set, as the driver refuses a
 * command; mock.state_writes counts the writes that reached such a file.
 */
#ifndef MICMEM_LIB_MOCK_H
#define MICMEM_LIB_MOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/micmem.h>

#define MOCK_CTRL_PATH	"/dev/" MICMEM_CTRL_NODE
#define MOCK_MAX	16
#define MOCK_ARG_MAX	128

struct mock_ioctl {
	unsigned long cmd;
	unsigned char arg[MOCK_ARG_MAX];	/* as passed in */
	struct micmem_xfer xfers[8];		/* SUBMIT: the first 8 */
	uintptr_t xfers_ptr;			/* SUBMIT: the pointer passed */
};

struct mock_reply {
	int err;				/* errno to fail with, or 0 */
	size_t len;				/* bytes of out; 0: none */
	unsigned char out[MOCK_ARG_MAX];
};

struct mock_state {
	const char *path;		/* node path besides MOCK_CTRL_PATH */
	int fd;				/* the node's descriptor, -1 */
	int open_calls;
	int open_flags;
	int open_err;			/* open fails with this errno */
	int closed;			/* close() calls on fd */

	int nr_ioctls;
	struct mock_ioctl ioctls[MOCK_MAX];
	int nr_replies, next_reply;
	struct mock_reply replies[MOCK_MAX];

	int mmap_calls;
	void *mmap_addr;		/* arguments of the last mmap */
	size_t mmap_len;
	int mmap_prot, mmap_flags;
	off_t mmap_off;
	int mmap_err;			/* mmap fails with this errno */
	void *mapped;			/* what the last mmap returned */

	int munmap_calls;
	void *munmap_addr;
	size_t munmap_len;

	int state_write_err;		/* write() on ".../state" fails */
	int state_writes;		/* writes to ".../state" seen */
};

extern struct mock_state mock;

/* Forget everything; no node open. */
void mock_reset(void);

/* Queue the reply to the next ioctl: fail with @err (0: succeed) after
 * copying @len bytes of @out (NULL: nothing) over the argument. */
void mock_reply(int err, const void *out, size_t len);

#endif /* MICMEM_LIB_MOCK_H */
