// SPDX-License-Identifier: GPL-2.0
/*
 * The pool's mappings: mmap with 2 MiB (PMD) entries where the kernel can
 * (the huge_fault of a DAX VMA, see pool.c for the private filesystem that
 * makes it one), 4 KiB entries otherwise, placement of the mapping, and
 * access by ptrace/proc.  doc/pool.md is the user's view.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/pfn_t.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../include/micmem_compat.h"
#include "pool.h"

/* Lets an administrator (and the tests) force the 4 KiB fallback. */
static bool pool_pmd = true;
module_param(pool_pmd, bool, 0644);
MODULE_PARM_DESC(pool_pmd,
		 "map new pools with 2 MiB entries where the kernel can (default Y)");

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
/*
 * The kernel can map a chunk with one PMD: huge_fault needs DAX VMAs, the
 * CPU must have 2 MiB pages, and a PMD must cover exactly one chunk.
 */
static bool micmem_pool_kernel_pmd(void)
{
	return IS_ENABLED(CONFIG_FS_DAX) && PMD_SIZE == MICMEM_CHUNK_SIZE &&
	       has_transparent_hugepage();
}

static vm_fault_t micmem_pool_insert_pmd(struct vm_fault *vmf,
					 struct page *page)
{
	return vmf_insert_pfn_pmd(vmf, page_to_pfn_t(page),
				  vmf->flags & FAULT_FLAG_WRITE);
}
#else
static bool micmem_pool_kernel_pmd(void)
{
	return false;
}

static vm_fault_t micmem_pool_insert_pmd(struct vm_fault *vmf,
					 struct page *page)
{
	return VM_FAULT_FALLBACK;
}
#endif

bool micmem_pool_pmd_enabled(void)
{
	return READ_ONCE(pool_pmd) && micmem_pool_kernel_pmd();
}

/* The chunk holding page @pgoff of the pool, NULL past the end. */
static struct page *micmem_pool_chunk(struct micmem_pool *pool, pgoff_t pgoff)
{
	pgoff_t chunk = pgoff >> MICMEM_CHUNK_ORDER;

	if (chunk >= pool->nr_chunks)
		return NULL;
	return pool->chunks[chunk];
}

/* 4 KiB entries: the fallback, and where a PMD does not fit the VMA. */
static vm_fault_t micmem_pool_fault(struct vm_fault *vmf)
{
	struct micmem_pool *pool = vmf->vma->vm_private_data;
	struct page *chunk = micmem_pool_chunk(pool, vmf->pgoff);
	unsigned long pfn;
	vm_fault_t ret;

	if (!chunk)
		return VM_FAULT_SIGBUS;
	pfn = page_to_pfn(chunk) + (vmf->pgoff & (MICMEM_CHUNK_PAGES - 1));
	ret = vmf_insert_pfn(vmf->vma, vmf->address, pfn);
	if (ret == VM_FAULT_NOPAGE) {
		atomic64_inc(&pool->faults);
		atomic64_inc(&pool->pte_faults);
	}
	return ret;
}

static vm_fault_t micmem_pool_huge_fault(struct vm_fault *vmf,
					 MICMEM_HUGE_FAULT_SIZE size)
{
	struct vm_area_struct *vma = vmf->vma;
	struct micmem_pool *pool = vma->vm_private_data;
	unsigned long haddr = vmf->address & PMD_MASK;
	struct page *chunk;
	pgoff_t pgoff;
	vm_fault_t ret;

	if (size != MICMEM_HUGE_FAULT_PMD || pool->map_mode != MICMEM_MAP_PMD)
		return VM_FAULT_FALLBACK;
	/*
	 * The 2 MiB of address space around the fault must lie inside the
	 * VMA (split, shrunk or moved VMAs may not) and map one whole chunk.
	 */
	if (haddr < vma->vm_start || haddr + PMD_SIZE > vma->vm_end)
		return VM_FAULT_FALLBACK;
	pgoff = vma->vm_pgoff + ((haddr - vma->vm_start) >> PAGE_SHIFT);
	if (pgoff & (MICMEM_CHUNK_PAGES - 1))
		return VM_FAULT_FALLBACK;
	chunk = micmem_pool_chunk(pool, pgoff);
	if (!chunk)
		return VM_FAULT_SIGBUS;

	ret = micmem_pool_insert_pmd(vmf, chunk);
	if (ret == VM_FAULT_NOPAGE)
		atomic64_inc(&pool->faults);
	return ret;
}

/*
 * ptrace and /proc/<pid>/mem cannot use get_user_pages on a VM_PFNMAP
 * VMA; this lets debuggers read and write the pool anyway.  Returns the
 * bytes copied, at most up to the end of the page at @addr.
 */
static int micmem_pool_access(struct vm_area_struct *vma, unsigned long addr,
			      void *buf, int len, int write)
{
	struct micmem_pool *pool = vma->vm_private_data;
	pgoff_t pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	unsigned int off = offset_in_page(addr);
	struct page *chunk = micmem_pool_chunk(pool, pgoff);
	struct page *page;
	void *kaddr;

	if (!chunk || len <= 0)
		return -EINVAL;
	/* As get_user_pages: no forced writes to a shared read-only map. */
	if (write && !(vma->vm_flags & VM_WRITE))
		return -EACCES;
	len = min_t(int, len, PAGE_SIZE - off);
	page = chunk + (pgoff & (MICMEM_CHUNK_PAGES - 1));
	kaddr = kmap_local_page(page);
	if (write)
		memcpy(kaddr + off, buf, len);
	else
		memcpy(buf, kaddr + off, len);
	kunmap_local(kaddr);
	return len;
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

static const struct vm_operations_struct micmem_pool_vm_ops = {
	.open		= micmem_pool_vm_open,
	.close		= micmem_pool_vm_close,
	.fault		= micmem_pool_fault,
	.huge_fault	= micmem_pool_huge_fault,
	.access		= micmem_pool_access,
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
	 * Not copied on fork, cannot grow (mremap gets -EFAULT), not in core
	 * dumps, and PFN entries only (no struct page semantics, see top).
	 */
	micmem_vm_flags_set(vma, VM_PFNMAP | VM_DONTCOPY | VM_DONTEXPAND |
			    VM_DONTDUMP);
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

