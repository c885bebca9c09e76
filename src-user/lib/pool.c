// SPDX-License-Identifier: LGPL-2.1-or-later
/* The handle's pool: MICMEM_IOC_POOL_CREATE + mmap, MICMEM_IOC_POOL_INFO. */
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

MICMEM_API int micmem_pool_create(struct micmem *m, uint64_t size,
				  unsigned int flags, void **addr)
{
	struct micmem_pool_create pc;
	void *p;
	int ret;

	if (!m)
		return -EINVAL;
	if (m->pool)
		return -EEXIST;
	if ((size_t)size != size)	/* 32-bit programs */
		return -ENOMEM;
	memset(&pc, 0, sizeof(pc));
	pc.size = size;
	pc.flags = flags;
	ret = micmem_ioctl(m, MICMEM_IOC_POOL_CREATE, &pc);
	if (ret)
		return ret;
	p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd,
		 (off_t)pc.mmap_offset);
	if (p == MAP_FAILED)
		return -errno;
	m->pool = p;
	m->pool_size = size;
	if (addr)
		*addr = p;
	return 0;
}

MICMEM_API void *micmem_pool_addr(const struct micmem *m)
{
	return m->pool;
}

MICMEM_API uint64_t micmem_pool_size(const struct micmem *m)
{
	return m->pool_size;
}

MICMEM_API int micmem_pool_info(struct micmem *m,
				struct micmem_pool_info *info)
{
	if (!m || !info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	return micmem_ioctl(m, MICMEM_IOC_POOL_INFO, info);
}
