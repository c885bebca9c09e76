/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private to libmicmem: the handle and small helpers.  Built with
 * -fvisibility=hidden: only MICMEM_API functions (listed in libmicmem.map)
 * are exported.
 */
#ifndef LIBMICMEM_INTERNAL_H
#define LIBMICMEM_INTERNAL_H

#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include "libmicmem.h"

struct micmem {
	int fd;			/* /dev/mic/ctrl, O_RDWR | O_CLOEXEC */
	void *pool;		/* the pool's mapping, NULL before create */
	uint64_t pool_size;	/* bytes mapped at @pool */
};

/* ioctl(2) on the handle: 0 or the driver's negative errno. */
static inline int micmem_ioctl(const struct micmem *m, unsigned long cmd,
			       void *arg)
{
	return ioctl(m->fd, cmd, arg) < 0 ? -errno : 0;
}

#endif /* LIBMICMEM_INTERNAL_H */
