// SPDX-License-Identifier: GPL-2.0
/*
 * The zero-copy pool of one /dev/mic/ctrl file: its memory, accounting
 * and ioctls (the mappings are in pool_map.c).
 *
 * The pool is a file of a private tmpfs mount with huge pages (as i915's
 * gemfs): one file per pool, never linked, never reachable by a path, its
 * 2 MiB chunks allocated and zeroed at POOL_CREATE, each one PMD-sized
 * folio of the file's page cache.  Mappings are of that file (pool_map.c),
 * so for the rest of the kernel pool memory is shmem memory: every path
 * that pins user pages takes it, io_uring's fixed buffers on 6.1 included
 * (they accept no other file-backed memory there).
 *
 * What keeps the page user space sees the page the engine uses, for as
 * long as the pool lives (doc/design.md, "The pool"):
 *  - the pool holds a reference on every chunk, so no chunk is freed,
 *    split (split_huge_page() refuses extra references) or migrated
 *    (migration cannot freeze the reference count);
 *  - the mapping is unevictable, so reclaim never swaps a chunk out of
 *    the page cache, and its gfp mask is not movable;
 *  - the inode is append-only (S_APPEND): vfs_fallocate() refuses
 *    MADV_REMOVE and hole punching with -EPERM, ftruncate() and an open
 *    for plain write through /proc/PID/map_files with -EPERM, so no range
 *    of the file can be dropped and refaulted as a new page (a root
 *    process that can reach the file there needs CAP_LINUX_IMMUTABLE
 *    besides to clear the flag).
 * When the pool goes (the last of: its fd, its attachments, batches in
 * flight), the chunks become ordinary evictable tmpfs memory of a file that
 * lives on only while a mapping or a pin still holds it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/seq_file.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/uaccess.h>

#include "../include/micmem_compat.h"
#include "pool.h"

/* Largest pool one fd may create; RLIMIT_MEMLOCK applies on top of it. */
static unsigned int pool_max_mb = 4096;
module_param(pool_max_mb, uint, 0644);
MODULE_PARM_DESC(pool_max_mb, "largest pool per fd in MiB (default 4096)");

/*
 * The private tmpfs mount every pool file lives in: huge=always, so tmpfs
 * tries a PMD-sized folio for every 2 MiB of the file; a kernel mount, so
 * no size limit applies but the pool's own.  NULL when the kernel cannot
 * give huge tmpfs pages (no THP): then no pool can be created.
 */
static struct vfsmount *micmem_pool_mnt;

/* How often one chunk's allocation may fall back to 4 KiB pages. */
#define MICMEM_POOL_CHUNK_TRIES	4

u64 micmem_pool_max_bytes(void)
{
	return (u64)READ_ONCE(pool_max_mb) << 20;
}

u64 micmem_pool_features(void)
{
	/* Every chunk is a PMD-sized folio, mapped with one PMD. */
	return micmem_pool_mnt ? MICMEM_FEAT_POOL | MICMEM_FEAT_POOL_PMD : 0;
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
 * Drops the pool's hold on the first @n chunks: they become evictable
 * again (the memlock charge ends with the pool, so must the lock), then
 * the pool's references go.  A mapping or a pin that outlives the pool
 * keeps its pages as ordinary tmpfs memory.
 */
static void micmem_pool_free_chunks(struct micmem_pool *pool, unsigned int n)
{
	struct folio_batch fbatch;
	unsigned int i, j;

	mapping_clear_unevictable(pool->file->f_mapping);
	folio_batch_init(&fbatch);
	for (i = 0; i < n; i++) {
		/* folio_batch_add() returns the room left */
		if (folio_batch_add(&fbatch, page_folio(pool->chunks[i])) &&
		    i + 1 < n)
			continue;
		check_move_unevictable_folios(&fbatch);
		for (j = 0; j < folio_batch_count(&fbatch); j++)
			folio_put(fbatch.folios[j]);
		folio_batch_init(&fbatch);
	}
	kvfree(pool->chunks);
}

/*
 * Whether @page heads a folio that is one whole chunk: what the engine
 * (one bus address per chunk) and the PMD mapping both need.
 */
static bool micmem_pool_page_is_chunk(struct page *page)
{
	struct folio *folio = page_folio(page);

	return &folio->page == page &&
	       folio_nr_pages(folio) == MICMEM_CHUNK_PAGES;
}

/*
 * Chunk @i: the folio at its offset in the file, allocated and zeroed by
 * tmpfs, with a reference for the pool.  tmpfs tries a 2 MiB folio without
 * reclaim or compaction (vma_thp_gfp_mask() of no VMA) and falls back to a
 * 4 KiB page when none is free.  Then the page is dropped from the file
 * again and one 2 MiB allocation with reclaim and compaction is made and
 * freed at once, leaving a free 2 MiB block (on this CPU's lists) for
 * tmpfs's next try.  A few tries, then -ENOMEM: a pool never holds a
 * chunk that is not one contiguous 2 MiB folio.
 */
static int micmem_pool_fill_chunk(struct micmem_pool *pool, unsigned int i)
{
	const gfp_t gfp = GFP_HIGHUSER | __GFP_NOWARN | __GFP_RETRY_MAYFAIL;
	struct address_space *mapping = pool->file->f_mapping;
	loff_t start = (loff_t)i << MICMEM_CHUNK_SHIFT;
	struct page *page, *block;
	unsigned int try;

	for (try = 1; ; try++) {
		page = shmem_read_mapping_page_gfp(mapping,
						   (pgoff_t)i << MICMEM_CHUNK_ORDER,
						   gfp);
		if (IS_ERR(page))
			return PTR_ERR(page);
		if (micmem_pool_page_is_chunk(page)) {
			pool->chunks[i] = page;
			return 0;
		}
		put_page(page);
		shmem_truncate_range(file_inode(pool->file), start,
				     start + MICMEM_CHUNK_SIZE - 1);
		if (try == MICMEM_POOL_CHUNK_TRIES)
			break;
		block = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_COMP |
				    __GFP_NOWARN | __GFP_RETRY_MAYFAIL,
				    MICMEM_CHUNK_ORDER);
		if (!block)
			break;
		__free_pages(block, MICMEM_CHUNK_ORDER);
	}
	return -ENOMEM;
}

/*
 * The pool's file: see top for what each setting guards against.
 * VM_NORESERVE: tmpfs charges the commit limit page by page as the
 * chunks are allocated, not the whole size up front.
 */
static struct file *micmem_pool_file(u64 size)
{
	struct file *file;

	file = shmem_file_setup_with_mnt(micmem_pool_mnt, "micmem_pool", size,
					 VM_NORESERVE);
	if (IS_ERR(file))
		return file;
	mapping_set_gfp_mask(file->f_mapping, GFP_HIGHUSER);
	mapping_set_unevictable(file->f_mapping);
	/*
	 * As chattr +a would: tmpfs's FS_IOC_SETFLAGS rebuilds i_flags from
	 * fsflags, so the flag must be in both, and clearing it then needs
	 * CAP_LINUX_IMMUTABLE.
	 */
	SHMEM_I(file_inode(file))->fsflags |= FS_APPEND_FL;
	inode_set_flags(file_inode(file), S_APPEND, S_APPEND);
	return file;
}

static void micmem_pool_release_ref(struct kref *ref)
{
	struct micmem_pool *pool = container_of(ref, struct micmem_pool, ref);

	micmem_pool_free_chunks(pool, pool->nr_chunks);
	fput(pool->file);
	micmem_pool_uncharge(pool);
	kfree(pool);
}

void micmem_pool_put(struct micmem_pool *pool)
{
	might_sleep();
	kref_put(&pool->ref, micmem_pool_release_ref);
}

static struct micmem_pool *micmem_pool_alloc(u64 size)
{
	struct micmem_pool *pool;
	unsigned int i;
	int ret;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	kref_init(&pool->ref);
	pool->size = size;
	pool->nr_chunks = size >> MICMEM_CHUNK_SHIFT;

	ret = micmem_pool_charge(pool, size >> PAGE_SHIFT);
	if (ret)
		goto err_free_pool;

	pool->chunks = kvcalloc(pool->nr_chunks, sizeof(*pool->chunks),
				GFP_KERNEL_ACCOUNT);
	if (!pool->chunks) {
		ret = -ENOMEM;
		goto err_uncharge;
	}

	pool->file = micmem_pool_file(size);
	if (IS_ERR(pool->file)) {
		ret = PTR_ERR(pool->file);
		goto err_free_array;
	}

	for (i = 0; i < pool->nr_chunks; i++) {
		/* Large pools take a while: let the caller be killed. */
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto err_free_chunks;
		}
		ret = micmem_pool_fill_chunk(pool, i);
		if (ret) {
			pr_info_ratelimited("pool of %llu MiB: no 2 MiB page after %u of %u chunks (%d)\n",
					    size >> 20, i, pool->nr_chunks, ret);
			goto err_free_chunks;
		}
		cond_resched();
	}
	return pool;

err_free_chunks:
	micmem_pool_free_chunks(pool, i);
	fput(pool->file);
	goto err_uncharge;
err_free_array:
	kvfree(pool->chunks);
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
	if (!micmem_pool_mnt)
		return -EOPNOTSUPP;
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
	/* faults and pte_faults stay 0: tmpfs serves the faults now. */
	memset(&pi, 0, sizeof(pi));
	pi.size = pool->size;
	pi.chunk_size = MICMEM_CHUNK_SIZE;
	pi.nr_chunks = pool->nr_chunks;
	pi.map_mode = MICMEM_MAP_PMD;
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
	seq_puts(m, "pool_map:\tpmd\n");
}

/*
 * The fd's last reference: mappings of the pool hold the pool's file, not
 * this one, so this comes at the last close() even while the pool is
 * mapped; the mappings keep their pages (see top).
 */
void micmem_pool_release(struct micmem_ctx *ctx)
{
	if (ctx->pool)
		micmem_pool_put(ctx->pool);
}

/*
 * A kernel mount of tmpfs with huge pages, as i915's gemfs.  tmpfs is
 * built in, so get_fs_type() takes no module reference to give back.
 * Without transparent huge pages tmpfs refuses "huge=always": the module
 * loads, and POOL_CREATE fails with -EOPNOTSUPP.
 */
int micmem_pool_init(void)
{
	struct file_system_type *type;
	struct vfsmount *mnt;
	char opts[] = "huge=always";

	type = get_fs_type("tmpfs");
	if (!type)
		return -ENODEV;
	mnt = vfs_kern_mount(type, SB_KERNMOUNT, type->name, opts);
	if (IS_ERR(mnt)) {
		pr_info("no pool: tmpfs gives no 2 MiB pages here (%ld)\n",
			PTR_ERR(mnt));
		return 0;
	}
	micmem_pool_mnt = mnt;
	return 0;
}

void micmem_pool_exit(void)
{
	if (micmem_pool_mnt)
		kern_unmount(micmem_pool_mnt);
}
