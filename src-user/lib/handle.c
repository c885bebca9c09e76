// SPDX-License-Identifier: LGPL-2.1-or-later
/* The handle: one open file of /dev/mic/ctrl, and MICMEM_IOC_QUERY. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

MICMEM_API int micmem_open_path(const char *path, struct micmem **mp,
				unsigned int flags)
{
	struct micmem *m;
	int err;

	if (!mp || flags)
		return -EINVAL;
	if (!path)
		path = "/dev/" MICMEM_CTRL_NODE;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->fd = open(path, O_RDWR | O_CLOEXEC);
	if (m->fd < 0) {
		err = -errno;
		free(m);
		return err;
	}
	*mp = m;
	return 0;
}

MICMEM_API int micmem_open(struct micmem **mp, unsigned int flags)
{
	return micmem_open_path(NULL, mp, flags);
}

MICMEM_API void micmem_close(struct micmem *m)
{
	if (!m)
		return;
	if (m->pool)
		munmap(m->pool, m->pool_size);
	close(m->fd);
	free(m);
}

MICMEM_API int micmem_fd(const struct micmem *m)
{
	return m->fd;
}

MICMEM_API int micmem_query(struct micmem *m, struct micmem_query *q)
{
	if (!m || !q)
		return -EINVAL;
	memset(q, 0, sizeof(*q));
	return micmem_ioctl(m, MICMEM_IOC_QUERY, q);
}
