// SPDX-License-Identifier: GPL-2.0
/*
 * The pool's mappings: mmap and the placement of the mapping.
 *
 * An mmap of /dev/mic/ctrl becomes a mapping of the pool's tmpfs file
 * (vma_set_file(), then tmpfs's own mmap, as i915 maps a shmem-backed
 * object for dma-buf): tmpfs's fault path serves it, mapping each chunk,
 * a PMD-sized folio of the file, with one PMD when the 2 MiB around the
 * fault lie in the VMA congruent to the pool offset.  To the rest of the
 * kernel it is shmem memory: O_DIRECT, io_uring fixed buffers (on 6.1
 * too, whose rule takes shmem and hugetlbfs VMAs only), process_vm_readv,
 * /proc/PID/mem and long-term pins all work on it.  doc/design.md, "The
 * pool", says why this way and not another; doc/pool.md what user space
 * sees; pool.c what keeps user and engine views of the pool one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>

#include "../include/micmem_compat.h"
#include "pool.h"

int micmem_pool_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct micmem_ctx *ctx = file->private_data;
	struct micmem_pool *pool = micmem_ctx_pool(ctx);
	unsigned long pool_pages;

	if (!pool)
		return -ENXIO;
	/*
	 * VM_MAYSHARE, not VM_SHARED: MAP_SHARED of a read-only fd drops
	 * VM_SHARED.  A private mapping would be copy-on-write: a write
	 * would give user space a page the engine never sees.
	 */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	pool_pages = pool->size >> PAGE_SHIFT;
	if (vma->vm_pgoff >= pool_pages ||
	    vma_pages(vma) > pool_pages - vma->vm_pgoff)
		return -ENXIO;

	/*
	 * Not copied on fork (MADV_DOFORK opts in), cannot grow (mremap gets
	 * -EFAULT), not in core dumps.  VM_DONTEXPAND also makes it one of
	 * the VM_SPECIAL VMAs: never merged, mlock leaves it alone,
	 * khugepaged and MADV_COLLAPSE skip it.
	 */
	micmem_vm_flags_set(vma, VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP);
	/*
	 * From here the VMA holds the pool's file instead of this one (the
	 * core drops the file it got back if tmpfs's mmap fails).
	 */
	vma_set_file(vma, pool->file);
	return call_mmap(pool->file, vma);
}

/*
 * Place the mapping so that user address and pool offset are congruent
 * modulo 2 MiB, which is what a PMD entry needs: ask for 2 MiB more than
 * the length, then slide up to the first suitable address.  Mappings
 * shorter than 2 MiB get no PMD but are placed the same way: doc/pool.md
 * promises the congruence for every mapping without MAP_FIXED.
 */
unsigned long micmem_pool_get_unmapped_area(struct file *file,
					    unsigned long addr,
					    unsigned long len,
					    unsigned long pgoff,
					    unsigned long flags)
{
	const unsigned long align = MICMEM_CHUNK_SIZE;
	unsigned long off = pgoff << PAGE_SHIFT;
	unsigned long padded = len + align;
	unsigned long base;

	if ((flags & MAP_FIXED) || padded < len)
		goto plain;
	base = micmem_mm_get_unmapped_area(file, addr, padded, pgoff, flags);
	if (IS_ERR_VALUE(base))
		goto plain;
	return base + ((off - base) & (align - 1));

plain:
	return micmem_mm_get_unmapped_area(file, addr, len, pgoff, flags);
}
