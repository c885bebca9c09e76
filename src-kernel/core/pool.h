/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The zero-copy pool: one per file of /dev/mic/ctrl, made of zeroed 2 MiB
 * folios of a private tmpfs file, mapped into user space with PMD entries
 * and named by offset in DMA descriptors.  doc/pool.md describes what user
 * space sees; doc/design.md why it is built this way.
 */
#ifndef _MICMEM_POOL_H
#define _MICMEM_POOL_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/mm_types.h>
#include <linux/types.h>
#include <linux/micmem.h>

#include "micmem.h"

struct seq_file;

#define MICMEM_CHUNK_ORDER	(MICMEM_CHUNK_SHIFT - PAGE_SHIFT)
#define MICMEM_CHUNK_PAGES	(MICMEM_CHUNK_SIZE >> PAGE_SHIFT)

/*
 * struct micmem_pool - the memory behind one fd's mappings
 *
 * Reference counted: the fd (micmem_ctx.pool) holds one reference, every
 * attachment to a card one (and through it every batch in flight).  The
 * last put ends the pool (pool.c says what stays of its memory).  All
 * fields are set before the pool is published and never change, so
 * readers need no lock.
 */
struct micmem_pool {
	struct kref ref;
	u64 size;			/* bytes, nr_chunks * MICMEM_CHUNK_SIZE */
	unsigned int nr_chunks;
	struct file *file;		/* the private tmpfs file of the chunks */
	struct page **chunks;		/* head pages of the 2 MiB folios */
	struct user_struct *user;	/* charged locked_vm, NULL if exempt */
	unsigned long charged;		/* pages charged to @user */
};

struct micmem_pool *micmem_pool_get(struct micmem_pool *pool);
/* Process context: the last put may sleep. */
void micmem_pool_put(struct micmem_pool *pool);

/*
 * ctx->pool is published once by MICMEM_IOC_POOL_CREATE (under ctx->lock,
 * with release semantics) and immutable until the fd is released, so any
 * path holding the fd may read it without the lock.  NULL: no pool yet.
 */
static inline struct micmem_pool *micmem_ctx_pool(struct micmem_ctx *ctx)
{
	/* Pairs with the smp_store_release() in micmem_pool_ioctl_create(). */
	return smp_load_acquire(&ctx->pool);
}

/* Module init/exit: the private tmpfs mount of the pools' files. */
int micmem_pool_init(void);
void micmem_pool_exit(void);

/* File hooks, called by cdev.c. */
void micmem_pool_release(struct micmem_ctx *ctx);
long micmem_pool_ioctl_create(struct micmem_ctx *ctx, void __user *arg);
long micmem_pool_ioctl_info(struct micmem_ctx *ctx, void __user *arg);
int micmem_pool_mmap(struct file *file, struct vm_area_struct *vma);
unsigned long micmem_pool_get_unmapped_area(struct file *file,
					    unsigned long addr,
					    unsigned long len,
					    unsigned long pgoff,
					    unsigned long flags);
void micmem_pool_show_fdinfo(struct seq_file *m, struct micmem_ctx *ctx);

/* For MICMEM_IOC_QUERY. */
u64 micmem_pool_features(void);
u64 micmem_pool_max_bytes(void);

#endif /* _MICMEM_POOL_H */
