/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private to libmicmem: the handle and small helpers.  Built with
 * -fvisibility=hidden: only MICMEM_API functions (listed in libmicmem.map)
 * are exported.
 */
#ifndef LIBMICMEM_INTERNAL_H
#define LIBMICMEM_INTERNAL_H

#include <errno.h>
#include <stddef.h>
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

/* card.c: /sys/class/mic, or MICMEM_SYSFS */
const char *micmem_sysfs_root(void);
/* Path of @attr ("" for the directory) of micN; -ENAMETOOLONG if cut. */
int micmem_card_path(char *buf, size_t len, uint32_t card, const char *attr);
/* 0 when micN exists, -ENODEV when not. */
int micmem_card_exists(uint32_t card);
/* @attr of micN into @buf without trailing blanks; -ENODEV: card gone. */
int micmem_card_read(uint32_t card, const char *attr, char *buf, size_t len);

#endif /* LIBMICMEM_INTERNAL_H */
