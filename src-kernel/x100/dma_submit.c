// SPDX-License-Identifier: GPL-2.0
/*
 * x100 DMA submission.  Locking is described in dma.h.
 *
 * A batch puts one "part" on each channel it uses: its MEMCOPY descriptors
 * followed by two STATUS descriptors that store the part's (even) sequence
 * number minus one, then the number itself, into the channel's completion
 * word in host memory, the second one with the interrupt bit (KNC erratum:
 * an interrupting STATUS follows a plain one, doc/x100-hardware.md C.5).  Then
 * one DHPR write hands the part to the engine.  Every part adds at least
 * three descriptors and a ring never holds more than size - 1, so
 * consecutive DHPR values always differ (the "same head twice" erratum,
 * C.8 #1, cannot happen).
 */
#include <linux/ktime.h>
#include <linux/micmem.h>

#include "mgmt.h"

/* ------------------------------------------------------------------ */
/* Submission                                                          */

void mic_dma_lock_chans(struct mic_dma *dma)
{
	unsigned int ch;

	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++)
		mutex_lock(&dma->chan[ch].submit_lock);
}

void mic_dma_unlock_chans(struct mic_dma *dma, unsigned int used)
{
	unsigned int ch;

	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++)
		if (used & BIT(ch))
			mutex_unlock(&dma->chan[ch].submit_lock);
}

static u32 mic_dma_chan_free(struct mic_dma_chan *chan)
{
	return mic_ring_free(READ_ONCE(chan->head), READ_ONCE(chan->tail),
			     MIC_DMA_RING_SIZE);
}

/*
 * submit_lock held, room checked: put the STATUS pair after the MEMCOPYs
 * that mic_split() wrote at chan->head, publish the part.
 */
static void mic_dma_chan_post(struct mic_dma_chan *chan,
			      struct mic_dma_part *part,
			      const struct mic_split_sink *s)
{
	u64 wb = chan->wb_card + offsetof(struct mic_dma_wb, seq);
	u32 last = chan->slot_xfer[mic_ring_add(s->pos, MIC_DMA_RING_SIZE - 1,
						MIC_DMA_RING_SIZE)];
	u32 pos = s->pos;

	/*
	 * The pair writes seq - 1, then seq: the part retires only once its
	 * last slot ran, so a slot counted free is never one the engine has
	 * still to read.
	 */
	chan->next_seq += 2;
	part->seq = chan->next_seq;
	part->start = chan->head;
	part->desc = s->count + MIC_DMA_PART_EXTRA;
	part->bytes = s->bytes;

	chan->ring[pos] = mic_desc_status(part->seq - 1, wb, false);
	chan->slot_xfer[pos] = last;
	pos = mic_ring_next(pos, MIC_DMA_RING_SIZE);
	chan->ring[pos] = mic_desc_status(part->seq, wb, true);
	chan->slot_xfer[pos] = last;
	pos = mic_ring_next(pos, MIC_DMA_RING_SIZE);
	part->end = pos;

	spin_lock_irq(&chan->lock);
	if (list_empty(&chan->inflight))
		chan->busy_since = ktime_get_ns();
	list_add_tail(&part->node, &chan->inflight);
	chan->stats.descriptors += part->desc;
	spin_unlock_irq(&chan->lock);
	WRITE_ONCE(chan->head, pos);
}

int mic_dma_submit(struct mic_x100 *card, struct mic_dma_batch *b,
		   bool nonblock)
{
	struct mic_dma *dma = &card->dma;
	struct mic_split_sink sink[MIC_DMA_NR_CHANS] = {};
	unsigned int first, ch, used = 0, parts = 0;
	struct mic_dma_chan *full;
	int ret;

	first = (unsigned int)atomic_inc_return(&dma->auto_rr);
	mic_split(b->xfers, b->nr_xfers, b->chunk_addr, first, sink);
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++) {
		b->part[ch].desc = 0;
		b->part[ch].batch = b;
		if (!sink[ch].count)
			continue;
		if (sink[ch].count > MIC_DMA_MAX_PART_DESC)
			return -E2BIG;
		used |= BIT(ch);
		parts++;
	}
	atomic_set(&b->pending, parts);

	for (;;) {
		full = NULL;
		for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++) {
			if (!(used & BIT(ch)))
				continue;
			ret = mutex_lock_interruptible(&dma->chan[ch].submit_lock);
			if (ret) {
				mic_dma_unlock_chans(dma, used & (BIT(ch) - 1));
				return ret;
			}
		}
		if (!dma->running) {
			ret = dma->stop_err;
			goto out_unlock;
		}
		for (ch = 0; ch < MIC_DMA_NR_CHANS && !full; ch++)
			if ((used & BIT(ch)) &&
			    mic_dma_chan_free(&dma->chan[ch]) <
			    sink[ch].count + MIC_DMA_PART_EXTRA)
				full = &dma->chan[ch];
		if (!full)
			break;
		mic_dma_unlock_chans(dma, used);
		if (nonblock)
			return -EAGAIN;
		ch = full->nr;
		ret = wait_event_interruptible(full->space_wq,
					       !READ_ONCE(dma->running) ||
					       mic_dma_chan_free(full) >=
					       sink[ch].count + MIC_DMA_PART_EXTRA);
		if (ret)
			return ret;
	}

	/* Filling pass: same split, written straight into the rings. */
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++) {
		sink[ch].ring = used & BIT(ch) ? dma->chan[ch].ring : NULL;
		sink[ch].xfer = dma->chan[ch].slot_xfer;
		sink[ch].size = MIC_DMA_RING_SIZE;
		sink[ch].pos = dma->chan[ch].head;
		sink[ch].count = 0;
		sink[ch].bytes = 0;
	}
	mic_split(b->xfers, b->nr_xfers, b->chunk_addr, first, sink);
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++)
		if (used & BIT(ch))
			mic_dma_chan_post(&dma->chan[ch], &b->part[ch], &sink[ch]);

	/* Descriptors must be visible before the engine sees the new head. */
	wmb();
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++) {
		struct mic_dma_chan *chan = &dma->chan[ch];

		if (!(used & BIT(ch)))
			continue;
		mic_wr(card, MIC_DHPR(ch), chan->head);
		chan->last_dhpr = chan->head;
		/* a new check period: nothing seen yet */
		if (mic_dma_watchdog_arm(chan))
			mic_dma_hang_restart(&chan->hang);
	}
	ret = 0;
out_unlock:
	mic_dma_unlock_chans(dma, used);
	return ret;
}

u64 mic_dma_window(struct mic_x100 *card)
{
	return READ_ONCE(card->dma.window);
}
