// SPDX-License-Identifier: GPL-2.0
/*
 * The pool's mappings: mmap, the fault handler and the placement of the
 * mapping.  The chunks are mapped as ordinary refcounted pages through
 * the kernel's generic fault path, so everything that pins user memory
 * (O_DIRECT, io_uring, process_vm_readv, /proc/<pid>/mem) works on pool
 * memory; doc/design.md, "The pool", says why this way and not another,
 * doc/pool.md what user space sees.
 *
 * .fault hands the 4 KiB page at the fault's offset, with a reference, to
 * the core.  The core's finish_fault() maps the whole chunk with one PMD
 * (do_set_pmd()) when the chunk is a PMD-sized compound page, nothing is
 * mapped in those 2 MiB yet, the 2 MiB around the fault lie in the VMA
 * congruent to the pool offset and inside i_size of the private inode
 * (pool.c); otherwise it maps that one page with a PTE.  Either way the
 * fault's reference becomes the entry's, dropped when the entry is
 * zapped.  The pages are in no page cache (->mapping stays
 * NULL) and on no LRU list: reclaim, compaction, migration, khugepaged and
 * splitting never take them, so the page user space sees is always the
 * pool's page the DMA engine reads and writes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>

#include "../include/micmem_compat.h"
#include "pool.h"

/* Lets an administrator (and the tests) force the 4 KiB fallback. */
static bool pool_pmd = true;
module_param(pool_pmd, bool, 0644);
MODULE_PARM_DESC(pool_pmd,
		 "map new pools with 2 MiB entries where the kernel can (default Y)");

/*
 * The kernel can map a chunk with one PMD: transparent huge pages built
 * in (do_set_pmd() is a stub otherwise), the CPU has 2 MiB pages, and a
 * PMD covers exactly one chunk.
 */
static bool micmem_pool_kernel_pmd(void)
{
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	return has_transparent_hugepage() && PMD_SIZE == MICMEM_CHUNK_SIZE;
#else
	return false;
#endif
}

bool micmem_pool_pmd_enabled(void)
{
	return READ_ONCE(pool_pmd) && micmem_pool_kernel_pmd();
}

/*
 * Whether finish_fault() will map this fault with a PMD: the conditions
 * do_set_pmd() checks, checked here only to count the fault as one or the
 * other (a racing fault on the same chunk may make the guess wrong; the
 * mapping is right either way).
 */
static bool micmem_pool_fault_is_pmd(struct micmem_pool *pool,
				     struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long haddr = vmf->address & PMD_MASK;

	if (pool->map_mode != MICMEM_MAP_PMD || !pmd_none(*vmf->pmd))
		return false;
	if (micmem_vma_pmd_refused(vma))
		return false;
	/* thp_vma_suitable_order(): the VMA congruent, 2 MiB inside it */
	if (!IS_ALIGNED((vma->vm_start >> PAGE_SHIFT) - vma->vm_pgoff,
			MICMEM_CHUNK_PAGES))
		return false;
	return haddr >= vma->vm_start && haddr + PMD_SIZE <= vma->vm_end;
}

/*
 * The page at the fault's offset, referenced and not locked (the core
 * locks it since VM_FAULT_LOCKED is not returned).  The pool outlives the
 * call: the VMA holds a reference.
 */
static vm_fault_t micmem_pool_fault(struct vm_fault *vmf)
{
	struct micmem_pool *pool = vmf->vma->vm_private_data;
	pgoff_t chunk = vmf->pgoff >> MICMEM_CHUNK_ORDER;
	struct page *page;

	if (chunk >= pool->nr_chunks)
		return VM_FAULT_SIGBUS;
	page = pool->chunks[chunk] + (vmf->pgoff & (MICMEM_CHUNK_PAGES - 1));
	get_page(page);
	vmf->page = page;

	atomic64_inc(&pool->faults);
	if (!micmem_pool_fault_is_pmd(pool, vmf))
		atomic64_inc(&pool->pte_faults);
	return 0;
}

/* Every VMA holds a pool reference: split and moved VMAs included. */
static void micmem_pool_vm_open(struct vm_area_struct *vma)
{
	micmem_pool_get(vma->vm_private_data);
}

static void micmem_pool_vm_close(struct vm_area_struct *vma)
{
	micmem_pool_put(vma->vm_private_data);
}

/*
 * No page_mkwrite or pfn_mkwrite: with them the core would write-protect
 * the mapping (vma_wants_writenotify()) and a write to a read-only PMD
 * splits it.  No map_pages: each fault maps what .fault returns.
 */
static const struct vm_operations_struct micmem_pool_vm_ops = {
	.open		= micmem_pool_vm_open,
	.close		= micmem_pool_vm_close,
	.fault		= micmem_pool_fault,
};

int micmem_pool_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct micmem_ctx *ctx = file->private_data;
	struct micmem_pool *pool = micmem_ctx_pool(ctx);
	unsigned long pool_pages;

	if (!pool)
		return -ENXIO;
	/*
	 * VM_MAYSHARE, not VM_SHARED: MAP_SHARED of a read-only fd drops
	 * VM_SHARED.  A private mapping would be copy-on-write, which pool
	 * pages cannot be.
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
	 * khugepaged skips it.
	 */
	micmem_vm_flags_set(vma, VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &micmem_pool_vm_ops;
	/* Nothing can fail after this point in mmap_region(). */
	vma->vm_private_data = micmem_pool_get(pool);
	return 0;
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
