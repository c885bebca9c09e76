// SPDX-License-Identifier: GPL-2.0
/*
 * The zero-copy pool of one /dev/mic/ctrl file: allocation, accounting,
 * the pool ioctls and the private inode of its mappings (the mappings
 * themselves are in pool_map.c).
 *
 * The chunks are 2 MiB compound pages of the page allocator (order 9),
 * zeroed, charged to the caller's memcg and RLIMIT_MEMLOCK, in no page
 * cache and on no LRU list.  The pool holds one reference to each; every
 * page table entry that maps one (pool_map.c) and every pin of one
 * (pin_user_pages(), get_user_pages()) holds its own, so a chunk goes
 * back to the allocator when the last of them is dropped, which may be
 * after the pool is gone.  With pool_pmd=0 a chunk is 512 separate pages
 * (still physically contiguous), which the fault path maps one by one.
 *
 * Each open file gets an inode of a private pseudo filesystem as its
 * f_mapping, so that the file's VMAs are linked into a tree of their own
 * (not the device node's, shared by every user) and so that what the core
 * asks of the mapping is answered by us: writeback (none, so no write
 * notification and no dirty tracking, see pool_map.c) and the size
 * (i_size: the fault path maps no PMD across it, see
 * micmem_pool_open()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/pseudo_fs.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../include/micmem_compat.h"
#include "pool.h"

/* Largest pool one fd may create; RLIMIT_MEMLOCK applies on top of it. */
static unsigned int pool_max_mb = 4096;
module_param(pool_max_mb, uint, 0644);
MODULE_PARM_DESC(pool_max_mb, "largest pool per fd in MiB (default 4096)");

#define MICMEM_POOL_MAGIC	0x6d69636d	/* "micm" */

/* Pseudo filesystem holding one inode per open file; see top. */
static struct vfsmount *micmem_pool_mnt;

static int micmem_pool_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, MICMEM_POOL_MAGIC) ? 0 : -ENOMEM;
}

/*
 * Not registered and without .owner: only kern_mount() sees it, and an
 * owner would make the mount pin this module forever.
 */
static struct file_system_type micmem_pool_fs_type = {
	.name		 = "micmem_pool",
	.init_fs_context = micmem_pool_init_fs_context,
	.kill_sb	 = kill_anon_super,
};

u64 micmem_pool_max_bytes(void)
{
	return (u64)READ_ONCE(pool_max_mb) << 20;
}

u64 micmem_pool_features(void)
{
	u64 f = MICMEM_FEAT_POOL;

	if (micmem_pool_pmd_enabled())
		f |= MICMEM_FEAT_POOL_PMD;
	return f;
}

struct micmem_pool *micmem_pool_get(struct micmem_pool *pool)
{
	kref_get(&pool->ref);
	return pool;
}

/*
 * Charge @pages to the caller's user like io_uring does: the sum of every
 * pool of one user stays under RLIMIT_MEMLOCK unless CAP_IPC_LOCK.
 */
static int micmem_pool_charge(struct micmem_pool *pool, unsigned long pages)
{
	struct user_struct *user = current_user();
	unsigned long limit, cur, new;

	if (capable(CAP_IPC_LOCK))
		return 0;

	limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	cur = atomic_long_read(&user->locked_vm);
	do {
		new = cur + pages;
		if (new < cur || new > limit) {
			pr_info_ratelimited("pool of %lu MiB refused: RLIMIT_MEMLOCK is %lu KiB and uid %u has %lu KiB locked\n",
					    pages >> (20 - PAGE_SHIFT),
					    limit << (PAGE_SHIFT - 10),
					    from_kuid(&init_user_ns, user->uid),
					    cur << (PAGE_SHIFT - 10));
			return -ENOMEM;
		}
	} while (!atomic_long_try_cmpxchg(&user->locked_vm, &cur, new));

	pool->user = get_uid(user);
	pool->charged = pages;
	return 0;
}

static void micmem_pool_uncharge(struct micmem_pool *pool)
{
	if (!pool->user)
		return;
	atomic_long_sub(pool->charged, &pool->user->locked_vm);
	free_uid(pool->user);
}

/*
 * Drops the pool's reference to each page of the first @n chunks, then the
 * chunk array.  put_page(), not __free_pages(): a mapping or a pin may
 * hold its own reference (doc/pool.md); the page then lives on until
 * that reference is dropped.
 */
static void micmem_pool_free_chunks(struct micmem_pool *pool, unsigned int n)
{
	unsigned int i;

	while (n--) {
		if (pool->map_mode == MICMEM_MAP_PMD) {
			put_page(pool->chunks[n]);
			continue;
		}
		for (i = 0; i < MICMEM_CHUNK_PAGES; i++)
			put_page(pool->chunks[n] + i);
	}
	kvfree(pool->chunks);
}

/*
 * One chunk: a PMD-sized compound page, which the fault path maps with one
 * PMD, or for MICMEM_MAP_PTE the same memory as 512 order-0 pages, which
 * it can only map with PTEs.
 */
static struct page *micmem_pool_alloc_chunk(struct micmem_pool *pool,
					    gfp_t gfp)
{
	struct page *page;

	if (pool->map_mode == MICMEM_MAP_PMD)
		return alloc_pages(gfp | __GFP_COMP, MICMEM_CHUNK_ORDER);
	page = alloc_pages(gfp, MICMEM_CHUNK_ORDER);
	if (page)
		split_page(page, MICMEM_CHUNK_ORDER);
	return page;
}

static void micmem_pool_release_ref(struct kref *ref)
{
	struct micmem_pool *pool = container_of(ref, struct micmem_pool, ref);

	micmem_pool_free_chunks(pool, pool->nr_chunks);
	micmem_pool_uncharge(pool);
	kfree(pool);
}

void micmem_pool_put(struct micmem_pool *pool)
{
	kref_put(&pool->ref, micmem_pool_release_ref);
}

static struct micmem_pool *micmem_pool_alloc(u64 size)
{
	/*
	 * Zeroed so no stale kernel data reaches user space; no warning on
	 * failure (the caller gets -ENOMEM); charged to the caller's memcg.
	 * Not __GFP_MOVABLE: the pages come from neither ZONE_MOVABLE nor
	 * CMA, so pin_user_pages(FOLL_LONGTERM) takes them where they are.
	 */
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN |
			  __GFP_RETRY_MAYFAIL;
	struct micmem_pool *pool;
	unsigned int i;
	int ret;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	kref_init(&pool->ref);
	pool->size = size;
	pool->nr_chunks = size >> MICMEM_CHUNK_SHIFT;
	pool->map_mode = micmem_pool_pmd_enabled() ? MICMEM_MAP_PMD :
						     MICMEM_MAP_PTE;

	ret = micmem_pool_charge(pool, size >> PAGE_SHIFT);
	if (ret)
		goto err_free_pool;

	pool->chunks = kvcalloc(pool->nr_chunks, sizeof(*pool->chunks),
				GFP_KERNEL_ACCOUNT);
	if (!pool->chunks) {
		ret = -ENOMEM;
		goto err_uncharge;
	}

	for (i = 0; i < pool->nr_chunks; i++) {
		/* Large pools take a while: let the caller be killed. */
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto err_free_chunks;
		}
		pool->chunks[i] = micmem_pool_alloc_chunk(pool, gfp);
		if (!pool->chunks[i]) {
			pr_info_ratelimited("pool of %llu MiB: out of memory after %u of %u chunks of 2 MiB\n",
					    size >> 20, i, pool->nr_chunks);
			ret = -ENOMEM;
			goto err_free_chunks;
		}
		cond_resched();
	}
	return pool;

err_free_chunks:
	micmem_pool_free_chunks(pool, i);
err_uncharge:
	micmem_pool_uncharge(pool);
err_free_pool:
	kfree(pool);
	return ERR_PTR(ret);
}

long micmem_pool_ioctl_create(struct micmem_ctx *ctx, void __user *arg)
{
	struct micmem_pool_create pc;
	struct micmem_pool *pool;
	u64 max;

	if (copy_from_user(&pc, arg, sizeof(pc)))
		return -EFAULT;
	/* mmap_offset is output only: its input value is ignored. */
	if (pc.flags & ~MICMEM_POOL_VALID_FLAGS || pc.reserved0 ||
	    pc.reserved[0] || pc.reserved[1])
		return -EINVAL;
	if (!pc.size || !IS_ALIGNED(pc.size, MICMEM_CHUNK_SIZE))
		return -EINVAL;
	max = micmem_pool_max_bytes();
	if (pc.size > max) {
		pr_info_ratelimited("pool of %llu MiB refused: over pool_max_mb=%llu (module parameter)\n",
				    pc.size >> 20, max >> 20);
		return -E2BIG;
	}
	/* Cheap early answer; the check that counts is under the lock. */
	if (micmem_ctx_pool(ctx))
		return -EEXIST;

	pool = micmem_pool_alloc(pc.size);
	if (IS_ERR(pool))
		return PTR_ERR(pool);

	/* All of the reply is known now: fail before publishing. */
	pc.mmap_offset = 0;
	if (copy_to_user(arg, &pc, sizeof(pc))) {
		micmem_pool_put(pool);
		return -EFAULT;
	}

	mutex_lock(&ctx->lock);
	if (ctx->pool) {
		mutex_unlock(&ctx->lock);
		micmem_pool_put(pool);
		return -EEXIST;
	}
	/* Pairs with micmem_ctx_pool(): readers see a complete pool. */
	smp_store_release(&ctx->pool, pool);
	mutex_unlock(&ctx->lock);
	return 0;
}

long micmem_pool_ioctl_info(struct micmem_ctx *ctx, void __user *arg)
{
	struct micmem_pool *pool = micmem_ctx_pool(ctx);
	struct micmem_pool_info pi;

	if (!pool)
		return -ENXIO;
	memset(&pi, 0, sizeof(pi));
	pi.size = pool->size;
	pi.chunk_size = MICMEM_CHUNK_SIZE;
	pi.nr_chunks = pool->nr_chunks;
	pi.map_mode = pool->map_mode;
	pi.faults = atomic64_read(&pool->faults);
	pi.pte_faults = atomic64_read(&pool->pte_faults);
	if (copy_to_user(arg, &pi, sizeof(pi)))
		return -EFAULT;
	return 0;
}

void micmem_pool_show_fdinfo(struct seq_file *m, struct micmem_ctx *ctx)
{
	struct micmem_pool *pool = micmem_ctx_pool(ctx);

	if (!pool) {
		seq_puts(m, "pool_bytes:\t0\n");
		return;
	}
	seq_printf(m, "pool_bytes:\t%llu\n", pool->size);
	seq_printf(m, "pool_chunks:\t%u\n", pool->nr_chunks);
	seq_printf(m, "pool_map:\t%s\n",
		   pool->map_mode == MICMEM_MAP_PMD ? "pmd" : "pte");
	seq_printf(m, "pool_faults:\t%llu\n",
		   (u64)atomic64_read(&pool->faults));
	seq_printf(m, "pool_pte_faults:\t%llu\n",
		   (u64)atomic64_read(&pool->pte_faults));
}

/*
 * Give the file a mapping of its own (see top).  It must be done at open:
 * mmap links VMAs into file->f_mapping, so it can never change once the
 * file may be mapped.
 */
int micmem_pool_open(struct file *file)
{
	struct inode *inode;

	inode = alloc_anon_inode(micmem_pool_mnt->mnt_sb);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	/*
	 * The largest size, not 0: finish_fault() maps a folio that reaches
	 * past i_size of the mapping's host with one PTE, never a PMD (for
	 * SIGBUS past the end of a file; Debian's 6.12 has it).  mmap and
	 * .fault check the pool's own bounds.
	 */
	i_size_write(inode, MAX_LFS_FILESIZE);
	file->f_mapping = inode->i_mapping;
	file->f_wb_err = filemap_sample_wb_err(file->f_mapping);
	return 0;
}

/*
 * The file is released only after its last VMA is gone (each VMA holds a
 * file reference), so nothing is linked into the inode's mapping now.
 */
void micmem_pool_release(struct file *file, struct micmem_ctx *ctx)
{
	if (ctx->pool)
		micmem_pool_put(ctx->pool);
	iput(file->f_mapping->host);
}

int micmem_pool_init(void)
{
	micmem_pool_mnt = kern_mount(&micmem_pool_fs_type);
	return PTR_ERR_OR_ZERO(micmem_pool_mnt);
}

void micmem_pool_exit(void)
{
	kern_unmount(micmem_pool_mnt);
}
