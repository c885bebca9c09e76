// SPDX-License-Identifier: GPL-2.0
/*
 * DMA engine model (doc/x100-hardware.md B.2, B.3, C).
 *
 * Each of the 8 channels has a worker (process context, an unbound
 * workqueue per card) that a DHPR write, an enabling DCR write, a DCHERR
 * write that clears it or the end of a stall wakes.  While the channel is
 * enabled in DCR, DCHERR is 0 and there is work (head != tail, or a whole
 * ring more after a repeated DHPR value, see dma_regs.c), the worker
 * fetches the descriptor at tail from the ring (host memory through the
 * SMPT when DRAR_HI.SYS is set, else card memory), executes it, advances
 * tail, writes DSTAT to the DSTATWB location (option dstatwb) and raises
 * the channel interrupt when the descriptor asks for one.  One descriptor
 * at a time, in ring order.  The register side, the options for what the
 * sources leave open and the knobs are in dma_regs.c.
 *
 * Rules from public sources, enforced here:
 *  - The ring size (DRAR_HI 20:4) is a multiple of 64 below 128 Ki (MPSS
 *    set_desc_ring); anything else is a RING channel error at the first
 *    fetch.
 *  - A MEMCOPY on a host-owned channel (DCR owner bit set) moves at most
 *    512 KiB (both Intel host drivers); more is a SIZE channel error.
 *  - Erratum C.5/#2: a STATUS with INTR not directly preceded by a plain
 *    STATUS loses its interrupt (counted in "dma_errata").
 *  - The interrupt path follows the owner: a host-owned channel raises
 *    its SICR0 source unless DCAR.IM1 masks it; a card-owned channel
 *    interrupts the card OS (counted in dmaN_card_interrupts) unless
 *    DCAR.IM0 masks it.  Error interrupts take the same path, unless
 *    DCHERRMSK masks the error bits.
 *
 * Readings where the sources are silent:
 *  - DSTAT[16:0] is tail, the index of the next descriptor to complete
 *    (B0+ reading, G.8); DTPR reads the same.
 *  - dstatwb = on_complete (default) | per_desc: the 32-bit DSTAT, with
 *    bit 31 set when the channel stopped on an error (MPSS's "DMA
 *    hardware error", G.7), is written to DSTATWB only when the channel
 *    runs out of work or stops on an error (on_complete), or after every
 *    descriptor (per_desc).
 *  - An error stops the channel at the failing descriptor (tail stays on
 *    it) with DCHERR set (bits in dma.h); what a host write to DCHERR does
 *    is the dcherr option (dma_regs.c).
 *
 * Fault knobs: stall (a channel mask), fail_next (+ fail_skip good ones
 * first: the descriptor fails, INJECTED), fail_fetch_next (the fetch
 * fails, FETCH), drop_irq (the next N host interrupts are lost),
 * delay_completion_us (each STATUS descriptor runs that much later), each
 * counted in an injected_* counter.  MEMCOPY is executed by one function,
 * sim_dma_memcopy().
 *
 * What the addresses of a descriptor reach (card memory, host memory
 * through the SMPT) is dma_mem.c.
 *
 * Speed (configfs attributes that may change while the card is live, see
 * dma_regs.c; none of them changes what the engine does, only when):
 *  - doorbell_poll_us: a real engine is always ready, so a channel whose
 *    worker ran out of work polls for that long (reading the kick flag,
 *    giving the CPU away when asked) before it sleeps.  While it polls, a
 *    doorbell (or any other kick) only sets the flag: no wake-up, no
 *    scheduler event charged to the writer.  A kick while the worker
 *    still executes needs nothing either (it takes the lock and looks
 *    again before it stops).  Counted per channel: wakeups (kicks that
 *    queued the worker), poll_hits (kicks a polling worker took), sleeps
 *    (times the worker stopped: the poll ran out, or polling is off).
 *  - link_paced, link_mbps, desc_ns: with link_paced 1 each descriptor
 *    completes no earlier than desc_ns after it started and a MEMCOPY
 *    between host and card no earlier than the end of its share of the
 *    link: a "link free at" time per direction per card, shared by all
 *    channels, that each MEMCOPY moves on by len / link_mbps.  So the
 *    channels of a card together never move more than link_mbps MB/s
 *    per direction.  The bytes are copied at once; only the completion
 *    (tail, DSTATWB, the interrupt) waits.  Card -> card copies use no
 *    link time.  Defaults: doc/x100-hardware.md F (dma_regs.c).
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "sim.h"
#include "../include/x100/desc.h"

/* ------------------------------------------------------------------ */
/* Memory side (the channel's worker, process context)                 */

/* What a worker needs from the registers for one descriptor. */
struct sim_dma_snap {
	u32 smpt[MIC_SMPT_NUM];
	u64 ring;		/* card address of the descriptor to run */
	u64 dstatwb;		/* card address of the DSTAT write-back */
	u32 err;		/* DCHERR bits before the fetch (ring, inject) */
	u32 delay_us;		/* delay_completion_us */
	bool inject;		/* fail_next: fail this descriptor */
	bool host_owned;	/* DCR owner bit: 512 KiB MEMCOPY limit */
};

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
	int err;

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
		if (snap->host_owned && len > MIC_DMA_MAX_XFER_HOST)
			return SIM_DCHERR_SIZE;
		*intr = qw1 & MIC_DESC_MEMCOPY_INTR;
		*bytes = len;
		err = sim_dma_memcopy(chan, snap->smpt, src, dst, len);
		if (!err)
			sim_dma_corrupt(chan, snap->smpt, dst);
		return err;
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

static bool sim_dma_ring_size_ok(u32 size)
{
	return size && size < SIM_DMA_RING_LIMIT &&
	       !(size % SIM_DMA_RING_ALIGN);
}

/* reg_lock held: the card address of descriptor @tail of @ch's ring */
static u64 sim_dma_desc_addr(struct sim_card *card, unsigned int ch,
			     u32 tail)
{
	u32 hi = __sim_reg_get(card, MIC_DRAR_HI(ch));
	u32 lo = __sim_reg_get(card, MIC_DRAR_LO(ch));
	u64 base;

	if (hi & MIC_DRAR_HI_SYS)
		base = MIC_SYSTEM_BASE +
		       ((u64)MIC_DRAR_HI_SMPT_GET(hi) << MIC_SMPT_PAGE_SHIFT) +
		       ((u64)(MIC_DRAR_HI_BA(hi) & 3) << 32) + lo;
	else
		base = ((u64)MIC_DRAR_HI_BA(hi) << 32) + lo;
	/* an unaligned ring base is a descriptor address error */
	return base & (MIC_DMA_ALIGN - 1) ? ~0ULL :
	       base + (u64)tail * sizeof(struct mic_desc);
}

/* reg_lock held: take the injection decisions for one descriptor. */
static void sim_dma_inject(struct sim_dma *dma, struct sim_dma_snap *snap)
{
	snap->inject = false;
	if (dma->fail_fetch_next) {
		dma->fail_fetch_next--;
		dma->injected_fail_fetch++;
		snap->err = SIM_DCHERR_FETCH;
	} else if (dma->fail_next) {
		if (dma->fail_skip) {
			dma->fail_skip--;
		} else {
			dma->fail_next--;
			dma->injected_fail++;
			snap->inject = true;
		}
	}
	snap->delay_us = dma->delay_completion_us;
}

/*
 * reg_lock held: may the channel execute its next descriptor?  Fills
 * @snap when it may; starts the extra lap of a repeated DHPR value when
 * tail has caught up with head.
 */
static bool sim_dma_next(struct sim_card *card, struct sim_dma_chan *chan,
			 struct sim_dma_snap *snap)
{
	struct sim_dma *dma = &card->dma;
	unsigned int ch = chan->nr, i;

	if (dma->stopped || card->vanished || !sim_dma_enabled(card, ch) ||
	    __sim_reg_get(card, MIC_DCHERR(ch)) ||
	    (chan->head == chan->tail && !chan->lap))
		return false;
	if (dma->stall & BIT(ch)) {
		if (!chan->stalled)
			dma->injected_stall++;
		chan->stalled = true;
		return false;
	}
	chan->stalled = false;
	if (chan->head == chan->tail)
		chan->lap = false;	/* the ring once more, through head */

	snap->err = sim_dma_ring_size_ok(sim_dma_ring_size(card, ch)) ?
		    0 : SIM_DCHERR_RING;
	snap->ring = sim_dma_desc_addr(card, ch, chan->tail);
	snap->dstatwb = ((u64)__sim_reg_get(card, MIC_DSTATWB_HI(ch)) << 32) |
			__sim_reg_get(card, MIC_DSTATWB_LO(ch));
	snap->host_owned = sim_dma_host_owned(card, ch);
	for (i = 0; i < MIC_SMPT_NUM; i++)
		snap->smpt[i] = __sim_reg_get(card, MIC_SMPT(i));
	if (!snap->err)
		sim_dma_inject(dma, snap);
	chan->running = true;
	return true;
}

/*
 * reg_lock held: does an interrupt of @chan reach the host?  The owner
 * bit picks the path, its DCAR mask gates it (top of the file).
 */
static bool sim_dma_irq_path(struct sim_card *card, struct sim_dma_chan *chan)
{
	u32 dcar = __sim_reg_get(card, MIC_DCAR(chan->nr));

	if (!sim_dma_host_owned(card, chan->nr)) {
		if (!(dcar & MIC_DCAR_IM0))
			chan->card_interrupts++;
		return false;
	}
	return !(dcar & MIC_DCAR_IM1);
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

	if (!intr || !sim_dma_irq_path(card, chan))
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
	return (err & ~__sim_reg_get(card, MIC_DCHERRMSK(ch))) &&
	       sim_dma_irq_path(card, chan);
}

/* delay_completion_us before a STATUS descriptor; fini cuts it short. */
static void sim_dma_delay(struct sim_card *card, const struct sim_dma_snap *snap,
			  const struct mic_desc *d)
{
	if (!snap->delay_us || mic_desc_type(d) != MIC_DESC_STATUS)
		return;
	spin_lock_irq(&card->reg_lock);
	card->dma.injected_delay_completion++;
	spin_unlock_irq(&card->reg_lock);
	wait_event_timeout(card->dma.wait, READ_ONCE(card->dma.stopped),
			   usecs_to_jiffies(snap->delay_us));
}

/*
 * Link-paced mode: when may descriptor @d, started at @start, complete?
 * Reserves its share of the link.  0 when the card is not paced.
 */
static ktime_t sim_dma_pace(struct sim_dma_chan *chan, ktime_t start,
			    const struct mic_desc *d)
{
	struct sim_card *card = chan->card;
	struct sim_dma *dma = &card->dma;
	enum sim_link_dir dir;
	ktime_t done, from;
	u64 len, ns;
	u32 mbps;

	if (!READ_ONCE(card->dma_cfg.link_paced))
		return 0;
	done = ktime_add_ns(start, READ_ONCE(card->dma_cfg.desc_ns));
	if (mic_desc_type(d) != MIC_DESC_MEMCOPY)
		return done;
	len = mic_desc_memcopy_len(d);
	dir = sim_dma_link_dir(card, mic_desc_memcopy_src(d),
			       mic_desc_memcopy_dst(d), len);
	if (dir == SIM_LINK_NONE)
		return done;
	/* >= 1 (configfs); len < 2^40, so len * 1000 cannot overflow */
	mbps = READ_ONCE(card->dma_cfg.link_mbps);
	ns = DIV_ROUND_UP_ULL(len * NSEC_PER_USEC, max(mbps, 1U));

	spin_lock(&dma->link_lock);
	from = ktime_after(dma->link_free[dir], start) ?
	       dma->link_free[dir] : start;
	dma->link_free[dir] = ktime_add_ns(from, ns);
	if (ktime_after(dma->link_free[dir], done))
		done = dma->link_free[dir];
	spin_unlock(&dma->link_lock);
	return done;
}

/* Paced spins below this, sleeps above it (a sleep costs a wake-up). */
#define SIM_DMA_PACE_SPIN_NS	(20 * NSEC_PER_USEC)

/*
 * Hold a paced descriptor's completion until @until; fini (and turning
 * link_paced off) cut it short.  True when it had to wait at all.
 */
static bool sim_dma_pace_wait(struct sim_card *card, ktime_t until)
{
	struct sim_dma *dma = &card->dma;
	s64 left = ktime_to_ns(ktime_sub(until, ktime_get()));

	if (left <= 0)
		return false;
	if (left > SIM_DMA_PACE_SPIN_NS) {
		wait_event_hrtimeout(dma->wait, READ_ONCE(dma->stopped) ||
				     !READ_ONCE(card->dma_cfg.link_paced),
				     ns_to_ktime(left));
		return true;
	}
	while (ktime_before(ktime_get(), until) && !READ_ONCE(dma->stopped))
		cpu_relax();
	return true;
}

/*
 * Fetch and execute the descriptor @snap points at; 0 or DCHERR bits.
 * *@paced: whether link pacing held its completion back.
 */
static u32 sim_dma_step(struct sim_dma_chan *chan,
			const struct sim_dma_snap *snap, struct mic_desc *d,
			bool *intr, u64 *bytes, bool *paced)
{
	struct sim_card *card = chan->card;
	ktime_t start, until;
	u32 err;

	*intr = false;
	*bytes = 0;
	*paced = false;
	start = ktime_get();
	memset(d, 0, sizeof(*d));
	if (snap->err)
		return snap->err;
	if (snap->inject)
		return SIM_DCHERR_INJECTED;
	if (snap->ring == ~0ULL)
		return SIM_DCHERR_ALIGN;
	err = sim_dma_access(card, snap->smpt, snap->ring, d, sizeof(*d),
			     false);
	if (err)
		return err;
	sim_dma_delay(card, snap, d);
	until = sim_dma_pace(chan, start, d);
	err = sim_dma_exec(chan, snap, d, intr, bytes);
	if (!err && until)
		*paced = sim_dma_pace_wait(card, until);
	return err;
}

/*
 * reg_lock held, the worker ran out of work: poll for a kick for up to
 * doorbell_poll_us (reading the value each round, so that a change takes
 * effect at once), the lock dropped meanwhile.  True when a kick came:
 * look for work again.
 */
static bool sim_dma_poll(struct sim_card *card, struct sim_dma_chan *chan)
	__must_hold(&card->reg_lock)
{
	struct sim_dma *dma = &card->dma;
	ktime_t start;
	bool kicked;

	if (!READ_ONCE(card->dma_cfg.doorbell_poll_us) || dma->stopped ||
	    card->vanished)
		return false;
	chan->polling = true;
	WRITE_ONCE(chan->poll_kick, false);
	spin_unlock_irq(&card->reg_lock);

	start = ktime_get();
	while (!READ_ONCE(chan->poll_kick) && !READ_ONCE(dma->stopped) &&
	       ktime_before(ktime_get(),
			    ktime_add_us(start,
					 READ_ONCE(card->dma_cfg.doorbell_poll_us)))) {
		cpu_relax();
		cond_resched();
	}

	spin_lock_irq(&card->reg_lock);
	chan->polling = false;
	kicked = chan->poll_kick;
	if (kicked)
		chan->poll_hits++;
	return kicked;
}

static void sim_dma_work(struct work_struct *work)
{
	struct sim_dma_chan *chan = container_of(work, struct sim_dma_chan,
						 work);
	struct sim_card *card = chan->card;
	struct sim_dma_snap *snap = chan->snap;
	struct mic_desc d;
	bool intr, raise, wb, paced;
	u32 err, dstat;
	u64 bytes;

	for (;;) {
		spin_lock_irq(&card->reg_lock);
		if (!sim_dma_next(card, chan, snap)) {
			chan->running = false;
			if (sim_dma_poll(card, chan)) {
				spin_unlock_irq(&card->reg_lock);
				continue;
			}
			chan->sleeps++;
			spin_unlock_irq(&card->reg_lock);
			break;
		}
		spin_unlock_irq(&card->reg_lock);

		err = sim_dma_step(chan, snap, &d, &intr, &bytes, &paced);

		spin_lock_irq(&card->reg_lock);
		if (paced)
			card->dma.link_waits++;
		if (err)
			raise = sim_dma_fail(card, chan, err);
		else
			raise = sim_dma_done(card, chan, &d, intr, bytes);
		dstat = (chan->tail & MIC_DSTAT_CMP_CNT) |
			(err ? MIC_DSTATWB_ERROR : 0);
		wb = err || card->dma_cfg.dstatwb == SIM_DSTATWB_PER_DESC ||
		     (chan->head == chan->tail && !chan->lap);
		if (raise)
			chan->interrupts++;
		spin_unlock_irq(&card->reg_lock);

		/* DSTATWB, then the interrupt: the handler reads memory */
		if (wb && snap->dstatwb) {
			__le32 v = cpu_to_le32(dstat);

			sim_dma_access(card, snap->smpt, snap->dstatwb, &v,
				       sizeof(v), true);
		}
		if (raise)
			sim_raise_interrupt(card, MIC_INT_DMA(chan->nr));
		cond_resched();
	}
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */

int sim_dma_init(struct sim_card *card)
{
	struct sim_dma *dma = &card->dma;
	unsigned int ch;
	int ret;

	memset(dma, 0, sizeof(*dma));
	init_waitqueue_head(&dma->wait);
	spin_lock_init(&dma->link_lock);
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
		chan->snap = kmalloc(sizeof(*chan->snap), GFP_KERNEL);
		if (!chan->bounce || !chan->snap) {
			ret = -ENOMEM;
			goto err_free;
		}
	}
	ret = sim_dma_knobs_add(card);
	if (ret)
		goto err_free;
	return 0;

err_free:
	for (ch = 0; ch < MIC_DMA_CHANNELS; ch++) {
		kfree(dma->chan[ch].snap);
		free_page((unsigned long)dma->chan[ch].bounce);
	}
	destroy_workqueue(dma->wq);
	return ret;
}

void sim_dma_cfg_changed(struct sim_card *card)
{
	wake_up_all(&card->dma.wait);
}

void sim_dma_fini(struct sim_card *card)
{
	struct sim_dma *dma = &card->dma;
	unsigned int ch;

	spin_lock_irq(&card->reg_lock);
	WRITE_ONCE(dma->stopped, true);
	spin_unlock_irq(&card->reg_lock);
	wake_up_all(&dma->wait);
	/* workers finish their descriptor and see "stopped" */
	for (ch = 0; ch < MIC_DMA_CHANNELS; ch++)
		cancel_work_sync(&dma->chan[ch].work);
	for (ch = 0; ch < MIC_DMA_CHANNELS; ch++) {
		kfree(dma->chan[ch].snap);
		free_page((unsigned long)dma->chan[ch].bounce);
	}
	destroy_workqueue(dma->wq);
}
