// SPDX-License-Identifier: GPL-2.0
/*
 * DMA engine model (fact sheet B.2, B.3, C).
 *
 * Each of the 8 channels has a worker (process context, an unbound
 * workqueue per card) that a DHPR write, an enabling DCR write, a DCHERR
 * clear or the end of a stall wakes.  While the channel is enabled in DCR,
 * has no error and head != tail, the worker fetches the descriptor at tail
 * from the ring (host memory through the SMPT when DRAR_HI.SYS is set,
 * else card memory), executes it, advances tail, writes DSTAT to the
 * DSTATWB location and raises the channel interrupt when the descriptor
 * asks for one and DCAR.IM1 is clear (SICE0 is then checked by the sim
 * core).  One descriptor at a time, in ring order.
 *
 * Readings of the fact sheet where it is silent or uncertain:
 *  - DSTAT[16:0] is tail, the index of the next descriptor to complete
 *    (B0+ reading, G.8); DTPR reads the same; DSTAT bit 29 (quiesce) is
 *    set while the channel is disabled and its worker idle.
 *  - DSTATWB receives the 32-bit DSTAT after every descriptor, with bit 31
 *    set when the channel stopped on an error (MPSS tests bit 31 as "DMA
 *    hardware error", G.7).
 *  - Writing DRAR_HI resets the channel's head and tail to 0; drivers read
 *    DTPR after programming the ring and start from there (C.4 step 7).
 *  - An error stops the channel at the failing descriptor (tail stays on
 *    it) with DCHERR set (bits in dma.h); the error interrupt is raised
 *    unless DCHERRMSK masks the bits.  Clearing DCHERR (write 1 to clear)
 *    resumes at tail, so a driver can patch the ring and go on.
 *  - Erratum C.8 #1: a DHPR value equal to the previous one is flagged as
 *    a head error; erratum C.5/#2: a STATUS with INTR not directly preceded
 *    by a plain STATUS loses its interrupt.  Both count in "dma_errata".
 *  - The channel owner bit is not checked: ownership only selects the
 *    interrupt path (IM0 vs IM1), and the host is the only driver here.
 *
 * Host memory is reached by bus address == physical address (the sim's
 * device maps directly, see card.c) and touched page by page with
 * kmap_local_page(): no bounce buffer for host <-> card copies.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "sim.h"
#include "../include/x100/desc.h"

#define SIM_SMPT_PAGE_MASK	(MIC_SMPT_PAGE_SIZE - 1)

/* ------------------------------------------------------------------ */
/* Memory side (the channel's worker, process context)                 */

/* What a worker needs from the registers for one descriptor. */
struct sim_dma_snap {
	u32 smpt[MIC_SMPT_NUM];
	u64 ring;		/* card address of the descriptor to run */
	u64 dstatwb;		/* card address of the DSTAT write-back */
	bool inject;		/* fail_next: fail this descriptor */
};

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
	memcpy((char *)arg + done, host, len);
	return 0;
}

static int sim_dma_buf_to_host(void *host, u64 done, size_t len, void *arg)
{
	memcpy(host, (const char *)arg + done, len);
	return 0;
}

/* Read or write a small buffer at any card physical address. */
static int sim_dma_access(struct sim_card *card, const u32 *smpt, u64 addr,
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

static int sim_dma_memcopy(struct sim_dma_chan *chan,
			   const struct sim_dma_snap *snap, u64 src, u64 dst,
			   u64 len)
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
		ret = sim_dma_host_walk(card, snap->smpt, dst, len, NULL, NULL);
		if (ret)
			return ret;
		c.card_addr = src;
		return sim_dma_host_walk(card, snap->smpt, dst, len,
					 sim_dma_card_to_host, &c);
	}
	if (dst_card) {
		c.card_addr = dst;
		return sim_dma_host_walk(card, snap->smpt, src, len,
					 sim_dma_host_to_card, &c);
	}
	/* host -> host is not something the engine does (C.1) */
	return SIM_DCHERR_ADDR;
}

/*
 * Execute @d.  Returns 0 or DCHERR bits; *@intr tells whether the
 * descriptor asks for an interrupt.
 */
static int sim_dma_exec(struct sim_dma_chan *chan,
			const struct sim_dma_snap *snap,
			const struct mic_desc *d, bool *intr, u64 *bytes)
{
	u64 qw0 = le64_to_cpu(d->qw0), qw1 = le64_to_cpu(d->qw1);
	__le64 val64 = d->qw0;
	__le32 val32;
	u64 src, dst, len;

	*intr = false;
	*bytes = 0;
	switch (mic_desc_type(d)) {
	case MIC_DESC_NOP:
		return qw0 || qw1 ? SIM_DCHERR_DESC : 0;
	case MIC_DESC_MEMCOPY:
		if ((qw0 & MIC_DESC_MEMCOPY_RSVD0) ||
		    (qw1 & MIC_DESC_MEMCOPY_RSVD1))
			return SIM_DCHERR_DESC;
		src = mic_desc_memcopy_src(d);
		dst = mic_desc_memcopy_dst(d);
		len = mic_desc_memcopy_len(d);
		if (!len)
			return SIM_DCHERR_DESC;
		if ((src | dst) & (MIC_DMA_ALIGN - 1))
			return SIM_DCHERR_ALIGN;
		*intr = qw1 & MIC_DESC_MEMCOPY_INTR;
		*bytes = len;
		return sim_dma_memcopy(chan, snap, src, dst, len);
	case MIC_DESC_STATUS:
		if (qw1 & MIC_DESC_STATUS_RSVD1)
			return SIM_DCHERR_DESC;
		dst = mic_desc_dst(d);
		if (dst & 7)
			return SIM_DCHERR_ALIGN;
		*intr = mic_desc_status_intr(d);
		return sim_dma_access(chan->card, snap->smpt, dst, &val64,
				      sizeof(val64), true);
	case MIC_DESC_GENERAL:
		if ((qw0 & MIC_DESC_GENERAL_RSVD0) ||
		    (qw1 & MIC_DESC_GENERAL_RSVD1))
			return SIM_DCHERR_DESC;
		dst = mic_desc_dst(d);
		if (dst & 3)
			return SIM_DCHERR_ALIGN;
		val32 = cpu_to_le32((u32)qw0);
		return sim_dma_access(chan->card, snap->smpt, dst, &val32,
				      sizeof(val32), true);
	default:
		/* KEY/KEYNONCECNT (content protection) are not modelled */
		return SIM_DCHERR_DESC;
	}
}

/*
 * reg_lock held: may the channel execute its next descriptor?  Fills
 * @snap (and takes a fail_next decision) when it may.
 */
static bool sim_dma_next(struct sim_card *card, struct sim_dma_chan *chan,
			 struct sim_dma_snap *snap)
{
	struct sim_dma *dma = &card->dma;
	unsigned int ch = chan->nr, i;
	u32 hi, lo;
	u64 base;

	if (dma->stopped || card->vanished || !sim_dma_enabled(card, ch) ||
	    __sim_reg_get(card, MIC_DCHERR(ch)) || chan->head == chan->tail)
		return false;
	if (dma->stall & BIT(ch)) {
		if (!chan->stalled)
			dma->injected_stall++;
		chan->stalled = true;
		return false;
	}
	chan->stalled = false;

	hi = __sim_reg_get(card, MIC_DRAR_HI(ch));
	lo = __sim_reg_get(card, MIC_DRAR_LO(ch));
	if (hi & MIC_DRAR_HI_SYS)
		base = MIC_SYSTEM_BASE +
		       ((u64)MIC_DRAR_HI_SMPT_GET(hi) << MIC_SMPT_PAGE_SHIFT) +
		       ((u64)(MIC_DRAR_HI_BA(hi) & 3) << 32) + lo;
	else
		base = ((u64)MIC_DRAR_HI_BA(hi) << 32) + lo;
	/* an unaligned ring base is a descriptor address error */
	snap->ring = base & (MIC_DMA_ALIGN - 1) ? ~0ULL :
		     base + (u64)chan->tail * sizeof(struct mic_desc);
	snap->dstatwb = ((u64)__sim_reg_get(card, MIC_DSTATWB_HI(ch)) << 32) |
			__sim_reg_get(card, MIC_DSTATWB_LO(ch));
	for (i = 0; i < MIC_SMPT_NUM; i++)
		snap->smpt[i] = __sim_reg_get(card, MIC_SMPT(i));

	snap->inject = false;
	if (dma->fail_next) {
		if (dma->fail_skip) {
			dma->fail_skip--;
		} else {
			dma->fail_next--;
			dma->injected_fail++;
			snap->inject = true;
		}
	}
	chan->running = true;
	return true;
}

/* reg_lock held: count @d and decide about its interrupt. */
static bool sim_dma_done(struct sim_card *card, struct sim_dma_chan *chan,
			 const struct mic_desc *d, bool intr, u64 bytes)
{
	struct sim_dma *dma = &card->dma;
	bool plain = false;

	switch (mic_desc_type(d)) {
	case MIC_DESC_NOP:
		dma->nop++;
		break;
	case MIC_DESC_MEMCOPY:
		dma->memcopy++;
		chan->bytes += bytes;
		break;
	case MIC_DESC_STATUS:
		dma->status++;
		if (!intr) {
			plain = true;
			break;
		}
		dma->status_intr++;
		if (!chan->plain_status) {
			/* KNC: a lone interrupting STATUS loses its interrupt */
			dma->errata++;
			intr = false;
		}
		break;
	case MIC_DESC_GENERAL:
		dma->general++;
		break;
	}
	chan->plain_status = plain;
	chan->descriptors++;
	chan->tail = mic_ring_next(chan->tail,
				   sim_dma_ring_size(card, chan->nr));

	if (!intr || (__sim_reg_get(card, MIC_DCAR(chan->nr)) & MIC_DCAR_IM1))
		return false;
	if (dma->drop_irq) {
		dma->drop_irq--;
		dma->injected_drop_irq++;
		return false;
	}
	return true;
}

/* reg_lock held: stop the channel on error @err; error interrupt? */
static bool sim_dma_fail(struct sim_card *card, struct sim_dma_chan *chan,
			 u32 err)
{
	u32 ch = chan->nr;

	chan->errors++;
	__sim_reg_set(card, MIC_DCHERR(ch),
		      __sim_reg_get(card, MIC_DCHERR(ch)) | err);
	return !(__sim_reg_get(card, MIC_DCAR(ch)) & MIC_DCAR_IM1) &&
	       (err & ~__sim_reg_get(card, MIC_DCHERRMSK(ch)));
}

static void sim_dma_work(struct work_struct *work)
{
	struct sim_dma_chan *chan = container_of(work, struct sim_dma_chan,
						 work);
	struct sim_card *card = chan->card;
	struct sim_dma_snap *snap;
	struct mic_desc d = {};
	bool intr, raise;
	u32 err, dstat;
	u64 bytes;

	snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return;		/* the next kick retries */

	for (;;) {
		spin_lock_irq(&card->reg_lock);
		if (!sim_dma_next(card, chan, snap)) {
			chan->running = false;
			spin_unlock_irq(&card->reg_lock);
			break;
		}
		spin_unlock_irq(&card->reg_lock);

		intr = false;
		bytes = 0;
		if (snap->inject)
			err = SIM_DCHERR_INJECTED;
		else if (snap->ring == ~0ULL)
			err = SIM_DCHERR_ALIGN;
		else
			err = sim_dma_access(card, snap->smpt, snap->ring, &d,
					     sizeof(d), false);
		if (!err && !snap->inject)
			err = sim_dma_exec(chan, snap, &d, &intr, &bytes);

		spin_lock_irq(&card->reg_lock);
		if (err)
			raise = sim_dma_fail(card, chan, err);
		else
			raise = sim_dma_done(card, chan, &d, intr, bytes);
		dstat = (chan->tail & MIC_DSTAT_CMP_CNT) |
			(err ? MIC_DSTATWB_ERROR : 0);
		if (raise)
			chan->interrupts++;
		spin_unlock_irq(&card->reg_lock);

		/* DSTATWB, then the interrupt: the handler reads memory */
		if (snap->dstatwb) {
			__le32 v = cpu_to_le32(dstat);

			sim_dma_access(card, snap->smpt, snap->dstatwb, &v,
				       sizeof(v), true);
		}
		if (raise)
			sim_raise_interrupt(card, MIC_INT_DMA(chan->nr));
		cond_resched();
	}
	kfree(snap);
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */

int sim_dma_init(struct sim_card *card)
{
	struct sim_dma *dma = &card->dma;
	unsigned int ch;
	int ret;

	memset(dma, 0, sizeof(*dma));
	dma->wq = alloc_workqueue("micmem_sim_dma_%s", WQ_UNBOUND, 0,
				  sim_card_name(card));
	if (!dma->wq)
		return -ENOMEM;
	for (ch = 0; ch < MIC_DMA_CHANNELS; ch++) {
		struct sim_dma_chan *chan = &dma->chan[ch];

		chan->card = card;
		chan->nr = ch;
		INIT_WORK(&chan->work, sim_dma_work);
		chan->bounce = (void *)__get_free_page(GFP_KERNEL);
		if (!chan->bounce) {
			ret = -ENOMEM;
			goto err_free;
		}
	}
	ret = sim_dma_knobs_add(card);
	if (ret)
		goto err_free;
	return 0;

err_free:
	for (ch = 0; ch < MIC_DMA_CHANNELS; ch++)
		free_page((unsigned long)dma->chan[ch].bounce);
	destroy_workqueue(dma->wq);
	return ret;
}

void sim_dma_fini(struct sim_card *card)
{
	struct sim_dma *dma = &card->dma;
	unsigned int ch;

	spin_lock_irq(&card->reg_lock);
	dma->stopped = true;
	spin_unlock_irq(&card->reg_lock);
	/* workers finish their descriptor and see "stopped" */
	for (ch = 0; ch < MIC_DMA_CHANNELS; ch++)
		cancel_work_sync(&dma->chan[ch].work);
	for (ch = 0; ch < MIC_DMA_CHANNELS; ch++)
		free_page((unsigned long)dma->chan[ch].bounce);
	destroy_workqueue(dma->wq);
}
