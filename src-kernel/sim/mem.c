// SPDX-License-Identifier: GPL-2.0
/*
 * Card memory (GDDR), sparse: memory is allocated on its first write and
 * untouched memory reads as zeros, so an 8 GiB card fits in a small VM.
 *
 * Layout: card memory is cut into chunks of 2 MiB (SIM_MEM_CHUNK_SIZE),
 * kept in an xarray by chunk number.  A chunk is allocated on the first
 * write into it, as one order-9 block (2 MiB of contiguous memory, so a
 * DMA transfer crosses few card pages and copies whole pages at a time);
 * when that allocation fails (or the mem_huge_fail_next knob says it
 * does), the chunk falls back to 4 KiB pages, each allocated on its own
 * first write.  "mem_pages" counts 4 KiB pages allocated either way.
 *
 * Copies in and out go through sim_mem_copy(): copy_page() for whole
 * page-aligned pages, 8-byte moves otherwise.  The kernel's memcpy() is
 * "rep movsb" on CPUs with ERMS, which QEMU's TCG runs one byte per step;
 * the loops here run at memory speed natively and under TCG alike
 * (doc/performance.md, "The simulated engine").
 *
 * Locking: the xarray's own lock covers insertion of a chunk, cmpxchg()
 * the insertion of a 4 KiB page into a fallback chunk; chunks and pages,
 * once published, stay until sim_mem_free(), so lookups need no lock.
 * Bytes are not serialised, as with real memory: concurrent writers of
 * the same bytes (aperture and DMA engine) get one of the values.  All
 * functions may sleep (allocation): process context only, which includes
 * the DMA engine's workers.  sim_mem_free() runs after every user stopped.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

#define SIM_MEM_CHUNK_ORDER	(SIM_MEM_CHUNK_SHIFT - PAGE_SHIFT)
#define SIM_MEM_CHUNK_PAGES	BIT(SIM_MEM_CHUNK_ORDER)

/**
 * struct sim_mem_chunk - 2 MiB of card memory
 * @order:	allocation order of the blocks: SIM_MEM_CHUNK_ORDER (one
 *		block) or 0 (the fallback, SIM_MEM_CHUNK_PAGES pages)
 * @blk:	the blocks, NULL until written (fallback only)
 */
struct sim_mem_chunk {
	unsigned int order;
	struct page *blk[];
};

void sim_mem_init(struct sim_card *card)
{
	xa_init(&card->mem);
	card->mem_size = (u64)card->memsize_mb << 20;
	atomic_long_set(&card->mem_pages, 0);
	card->mem_huge_fail_next = 0;
	card->injected_mem_huge_fail = 0;
}

static void sim_mem_chunk_free(struct sim_mem_chunk *c)
{
	unsigned long i, n = SIM_MEM_CHUNK_PAGES >> c->order;

	for (i = 0; i < n; i++)
		if (c->blk[i])
			__free_pages(c->blk[i], c->order);
	kfree(c);
}

void sim_mem_free(struct sim_card *card)
{
	struct sim_mem_chunk *c;
	unsigned long idx;

	xa_for_each(&card->mem, idx, c)
		sim_mem_chunk_free(c);
	xa_destroy(&card->mem);
	atomic_long_set(&card->mem_pages, 0);
}

/* The knob mem_huge_fail_next: this 2 MiB allocation is to fail. */
static bool sim_mem_huge_fail(struct sim_card *card)
{
	bool fail = false;

	spin_lock_irq(&card->reg_lock);
	if (card->mem_huge_fail_next) {
		card->mem_huge_fail_next--;
		card->injected_mem_huge_fail++;
		fail = true;
	}
	spin_unlock_irq(&card->reg_lock);
	return fail;
}

/* A new chunk: one 2 MiB block, or an empty table of 4 KiB pages. */
static struct sim_mem_chunk *sim_mem_chunk_alloc(struct sim_card *card)
{
	struct sim_mem_chunk *c;
	struct page *page = NULL;

	if (!sim_mem_huge_fail(card))
		page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN |
				   __GFP_NORETRY, SIM_MEM_CHUNK_ORDER);
	if (page) {
		c = kzalloc(struct_size(c, blk, 1), GFP_KERNEL);
		if (!c) {
			__free_pages(page, SIM_MEM_CHUNK_ORDER);
			return NULL;
		}
		c->order = SIM_MEM_CHUNK_ORDER;
		c->blk[0] = page;
		return c;
	}
	c = kzalloc(struct_size(c, blk, SIM_MEM_CHUNK_PAGES), GFP_KERNEL);
	if (c)
		c->order = 0;
	return c;
}

/* Chunk @idx; allocated if @write, else NULL when untouched. */
static struct sim_mem_chunk *sim_mem_chunk(struct sim_card *card,
					   unsigned long idx, bool write)
{
	struct sim_mem_chunk *c, *old;

	c = xa_load(&card->mem, idx);
	if (c || !write)
		return c;

	c = sim_mem_chunk_alloc(card);
	if (!c)
		return ERR_PTR(-ENOMEM);
	old = xa_cmpxchg(&card->mem, idx, NULL, c, GFP_KERNEL);
	if (xa_is_err(old)) {
		sim_mem_chunk_free(c);
		return ERR_PTR(xa_err(old));
	}
	if (old) {
		/* Someone else allocated it first. */
		sim_mem_chunk_free(c);
		return old;
	}
	if (c->order)
		atomic_long_add(SIM_MEM_CHUNK_PAGES, &card->mem_pages);
	return c;
}

/* Block @i of fallback chunk @c; allocated if @write, else maybe NULL. */
static struct page *sim_mem_block(struct sim_card *card,
				  struct sim_mem_chunk *c, unsigned long i,
				  bool write)
{
	struct page *page, *old;

	/* published by cmpxchg() after zeroing; the pointer orders reads */
	page = READ_ONCE(c->blk[i]);
	if (page || !write)
		return page;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return ERR_PTR(-ENOMEM);
	old = cmpxchg(&c->blk[i], NULL, page);
	if (old) {
		__free_page(page);
		return old;
	}
	atomic_long_inc(&card->mem_pages);
	return page;
}

/*
 * One 8-byte load or store at any alignment: a constant-size memcpy()
 * that the compiler turns into a single move.
 */
static __always_inline u64 sim_ld64(const void *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static __always_inline void sim_st64(void *p, u64 v)
{
	memcpy(p, &v, sizeof(v));
}

/*
 * Copy @len bytes: copy_page() while both sides are page aligned with a
 * whole page left, then 8-byte moves, then single bytes.  The ranges do
 * not overlap.
 */
void sim_mem_copy(void *dst, const void *src, size_t len)
{
	u8 *d = dst;
	const u8 *s = src;

	while (len >= PAGE_SIZE && PAGE_ALIGNED(d) && PAGE_ALIGNED(s)) {
		copy_page(d, (void *)s);
		d += PAGE_SIZE;
		s += PAGE_SIZE;
		len -= PAGE_SIZE;
	}
	for (; len >= 32; d += 32, s += 32, len -= 32) {
		u64 a = sim_ld64(s), b = sim_ld64(s + 8);
		u64 c = sim_ld64(s + 16), e = sim_ld64(s + 24);

		sim_st64(d, a);
		sim_st64(d + 8, b);
		sim_st64(d + 16, c);
		sim_st64(d + 24, e);
	}
	for (; len >= 8; d += 8, s += 8, len -= 8)
		sim_st64(d, sim_ld64(s));
	for (; len; len--)
		*d++ = *s++;
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
		u64 coff = a & (SIM_MEM_CHUNK_SIZE - 1);
		struct sim_mem_chunk *c;
		struct page *page = NULL;
		size_t boff, bsize, n;
		void *cmem;

		c = sim_mem_chunk(card, a >> SIM_MEM_CHUNK_SHIFT, write);
		if (IS_ERR(c))
			return PTR_ERR(c);
		if (c) {
			bsize = PAGE_SIZE << c->order;
			page = c->order ? c->blk[0] :
			       sim_mem_block(card, c, coff >> PAGE_SHIFT,
					     write);
			if (IS_ERR(page))
				return PTR_ERR(page);
		}
		if (page) {
			boff = coff & (bsize - 1);
			n = min_t(size_t, len - done, bsize - boff);
			cmem = page_address(page) + boff;
		} else {
			/* Untouched memory reads as zeros. */
			boff = offset_in_page(a);
			n = min_t(size_t, len - done, PAGE_SIZE - boff);
			cmem = page_address(ZERO_PAGE(0)) + boff;
		}
		ret = fn(cmem, done, n, arg);
		if (ret)
			return ret;
		done += n;
	}
	return 0;
}

static int sim_mem_copy_in(void *cmem, size_t done, size_t len, void *arg)
{
	sim_mem_copy(cmem, (const char *)arg + done, len);
	return 0;
}

static int sim_mem_copy_out(void *cmem, size_t done, size_t len, void *arg)
{
	sim_mem_copy((char *)arg + done, cmem, len);
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
