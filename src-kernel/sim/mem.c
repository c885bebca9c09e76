// SPDX-License-Identifier: GPL-2.0
/*
 * Card memory (GDDR), sparse: a page is allocated on its first write and
 * an untouched page reads as zeros, so an 8 GiB card fits in a small VM.
 *
 * Locking: the xarray's own lock covers insertion; a page, once in the
 * xarray, stays until sim_mem_free(), so lookups need no lock.  Bytes are
 * not serialised, as with real memory: concurrent writers of the same
 * bytes (aperture and DMA engine) get one of the values.  All functions
 * may sleep (page allocation): process context only, which includes the
 * DMA engine's worker.  sim_mem_free() runs after every user stopped.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "sim.h"

void sim_mem_init(struct sim_card *card)
{
	xa_init(&card->mem);
	card->mem_size = (u64)card->memsize_mb << 20;
	atomic_long_set(&card->mem_pages, 0);
}

void sim_mem_free(struct sim_card *card)
{
	struct page *page;
	unsigned long idx;

	xa_for_each(&card->mem, idx, page)
		__free_page(page);
	xa_destroy(&card->mem);
	atomic_long_set(&card->mem_pages, 0);
}

/* The card page @idx; allocated if @write, else NULL when untouched. */
static struct page *sim_mem_page(struct sim_card *card, unsigned long idx,
				 bool write)
{
	struct page *page, *old;

	page = xa_load(&card->mem, idx);
	if (page || !write)
		return page;

	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return ERR_PTR(-ENOMEM);
	old = xa_cmpxchg(&card->mem, idx, NULL, page, GFP_KERNEL);
	if (xa_is_err(old)) {
		__free_page(page);
		return ERR_PTR(xa_err(old));
	}
	if (old) {
		/* Someone else allocated it first. */
		__free_page(page);
		return old;
	}
	atomic_long_inc(&card->mem_pages);
	return page;
}

int sim_mem_walk(struct sim_card *card, u64 addr, size_t len, bool write,
		 sim_mem_fn fn, void *arg)
{
	size_t done = 0;
	int ret;

	if (addr > card->mem_size || len > card->mem_size - addr)
		return -ERANGE;

	while (done < len) {
		u64 a = addr + done;
		size_t off = offset_in_page(a);
		size_t n = min_t(size_t, len - done, PAGE_SIZE - off);
		struct page *page;
		void *cmem;

		page = sim_mem_page(card, a >> PAGE_SHIFT, write);
		if (IS_ERR(page))
			return PTR_ERR(page);
		/* Untouched pages read as zeros. */
		cmem = page_address(page ? page : ZERO_PAGE(0)) + off;
		ret = fn(cmem, done, n, arg);
		if (ret)
			return ret;
		done += n;
	}
	return 0;
}

static int sim_mem_copy_in(void *cmem, size_t done, size_t len, void *arg)
{
	memcpy(cmem, (const char *)arg + done, len);
	return 0;
}

static int sim_mem_copy_out(void *cmem, size_t done, size_t len, void *arg)
{
	memcpy((char *)arg + done, cmem, len);
	return 0;
}

/* Copy @len bytes to card address @addr: 0, -ERANGE or -ENOMEM. */
int sim_mem_write(struct sim_card *card, u64 addr, const void *src,
		  size_t len)
{
	return sim_mem_walk(card, addr, len, true, sim_mem_copy_in,
			    (void *)src);
}

/* Copy @len bytes from card address @addr: 0 or -ERANGE. */
int sim_mem_read(struct sim_card *card, u64 addr, void *dst, size_t len)
{
	return sim_mem_walk(card, addr, len, false, sim_mem_copy_out, dst);
}
