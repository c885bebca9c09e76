// SPDX-License-Identifier: GPL-2.0
/*
 * DMA engine model, memory side: what a descriptor's addresses reach.
 * Card addresses below the card memory size are card memory (mem.c);
 * addresses in the SMPT window (0x80_0000_0000, 512 GiB) are host memory
 * through the SMPT snapshot the worker took, reached by bus address ==
 * physical address (the sim's device maps directly, see card.c) and
 * touched page by page with kmap_local_page(); anything else, and host
 * pages that are not RAM, are ADDR channel errors.  Runs in the channel's
 * worker (process context), no sim lock held.  Bytes move with
 * sim_mem_copy() (mem.c): a host page and a card page both page aligned
 * are one copy_page(), anything else 8-byte moves.
 */
#include <linux/highmem.h>
#include <linux/mm.h>

#include "sim.h"

#define SIM_SMPT_PAGE_MASK	(MIC_SMPT_PAGE_SIZE - 1)

static bool sim_dma_in_window(u64 addr, u64 len)
{
	return addr >= MIC_SYSTEM_BASE && len <= MIC_SYSTEM_SIZE &&
	       addr - MIC_SYSTEM_BASE <= MIC_SYSTEM_SIZE - len;
}

static bool sim_dma_in_card(struct sim_card *card, u64 addr, u64 len)
{
	return addr <= card->mem_size && len <= card->mem_size - addr;
}

typedef int (*sim_host_fn)(void *host, u64 done, size_t len, void *arg);

/*
 * Call @fn for each piece of the SMPT-window range [@addr, @addr + @len)
 * that lies in one host page; with a NULL @fn only check that every page
 * is host RAM.  SIM_DCHERR_ADDR for anything else.
 */
static int sim_dma_host_walk(struct sim_card *card, const u32 *smpt,
			     u64 addr, u64 len, sim_host_fn fn, void *arg)
{
	u64 done = 0;

	if (!sim_dma_in_window(addr, len))
		return SIM_DCHERR_ADDR;
	while (done < len) {
		u64 a = addr + done - MIC_SYSTEM_BASE;
		u64 phys = ((u64)(smpt[a >> MIC_SMPT_PAGE_SHIFT] >> 2) <<
			    MIC_SMPT_PAGE_SHIFT) | (a & SIM_SMPT_PAGE_MASK);
		size_t off = offset_in_page(phys);
		size_t n = min_t(u64, len - done, PAGE_SIZE - off);
		void *p;
		int ret;

		if (!pfn_valid(PHYS_PFN(phys)))
			return SIM_DCHERR_ADDR;
		if (fn) {
			/* a card that fell off the bus stops touching memory */
			if (sim_card_vanished(card))
				return SIM_DCHERR_ADDR;
			p = kmap_local_page(pfn_to_page(PHYS_PFN(phys)));
			ret = fn(p + off, done, n, arg);
			kunmap_local(p);
			if (ret)
				return ret;
		}
		done += n;
	}
	return 0;
}

static int sim_dma_host_to_buf(void *host, u64 done, size_t len, void *arg)
{
	sim_mem_copy((char *)arg + done, host, len);
	return 0;
}

static int sim_dma_buf_to_host(void *host, u64 done, size_t len, void *arg)
{
	sim_mem_copy(host, (const char *)arg + done, len);
	return 0;
}

/* Read or write a small buffer at any card physical address. */
int sim_dma_access(struct sim_card *card, const u32 *smpt, u64 addr,
		   void *buf, size_t len, bool write)
{
	if (sim_dma_in_card(card, addr, len)) {
		if (write)
			return sim_mem_write(card, addr, buf, len) ?
			       SIM_DCHERR_ADDR : 0;
		return sim_mem_read(card, addr, buf, len) ? SIM_DCHERR_ADDR : 0;
	}
	return sim_dma_host_walk(card, smpt, addr, len,
				 write ? sim_dma_buf_to_host :
					 sim_dma_host_to_buf, buf);
}

struct sim_dma_copy {
	struct sim_card *card;
	u64 card_addr;
};

static int sim_dma_host_to_card(void *host, u64 done, size_t len, void *arg)
{
	struct sim_dma_copy *c = arg;

	return sim_mem_write(c->card, c->card_addr + done, host, len) ?
	       SIM_DCHERR_ADDR : 0;
}

static int sim_dma_card_to_host(void *host, u64 done, size_t len, void *arg)
{
	struct sim_dma_copy *c = arg;

	return sim_mem_read(c->card, c->card_addr + done, host, len) ?
	       SIM_DCHERR_ADDR : 0;
}

/* Which way a MEMCOPY's bytes cross the link (link-paced mode, dma.c). */
enum sim_link_dir sim_dma_link_dir(struct sim_card *card, u64 src, u64 dst,
				   u64 len)
{
	bool src_card = sim_dma_in_card(card, src, len);
	bool dst_card = sim_dma_in_card(card, dst, len);

	if (src_card == dst_card)
		return SIM_LINK_NONE;	/* card -> card, or an ADDR error */
	return src_card ? SIM_LINK_TO_HOST : SIM_LINK_TO_CARD;
}

int sim_dma_memcopy(struct sim_dma_chan *chan, const u32 *smpt, u64 src,
		    u64 dst, u64 len)
{
	struct sim_card *card = chan->card;
	bool src_card = sim_dma_in_card(card, src, len);
	bool dst_card = sim_dma_in_card(card, dst, len);
	struct sim_dma_copy c = { .card = card };
	u64 done;
	int ret;

	if (src_card && dst_card) {
		for (done = 0; done < len; done += PAGE_SIZE) {
			size_t n = min_t(u64, len - done, PAGE_SIZE);

			if (sim_mem_read(card, src + done, chan->bounce, n) ||
			    sim_mem_write(card, dst + done, chan->bounce, n))
				return SIM_DCHERR_ADDR;
		}
		return 0;
	}
	if (src_card) {
		/* check the whole host range before writing any of it */
		ret = sim_dma_host_walk(card, smpt, dst, len, NULL, NULL);
		if (ret)
			return ret;
		c.card_addr = src;
		return sim_dma_host_walk(card, smpt, dst, len,
					 sim_dma_card_to_host, &c);
	}
	if (dst_card) {
		c.card_addr = dst;
		return sim_dma_host_walk(card, smpt, src, len,
					 sim_dma_host_to_card, &c);
	}
	/* host -> host is not something the engine does (C.1) */
	return SIM_DCHERR_ADDR;
}

/*
 * Knob corrupt_next: flip bit 0 of the first destination byte of a
 * MEMCOPY just executed, before its completion is visible (data corrupted
 * on the wire, for the tests of a verifying copy).  Counted in
 * injected_corrupt.
 */
void sim_dma_corrupt(struct sim_dma_chan *chan, const u32 *smpt, u64 dst)
{
	struct sim_card *card = chan->card;
	bool hit = false;
	u8 b;

	spin_lock_irq(&card->reg_lock);
	if (card->dma.corrupt_next) {
		card->dma.corrupt_next--;
		card->dma.injected_corrupt++;
		hit = true;
	}
	spin_unlock_irq(&card->reg_lock);
	if (!hit || sim_dma_access(card, smpt, dst, &b, 1, false))
		return;
	b ^= 0x01;
	sim_dma_access(card, smpt, dst, &b, 1, true);
}
