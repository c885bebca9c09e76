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
#include <linux/module.h>
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

/* Uninterruptibly, for leaving the admission queues after a signal. */
static void mic_dma_lock_chans_used(struct mic_dma *dma, unsigned int used)
{
	unsigned int ch;

	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++)
		if (used & BIT(ch))
			mutex_lock(&dma->chan[ch].submit_lock);
}

static u32 mic_dma_chan_free(struct mic_dma_chan *chan)
{
	return mic_ring_free(READ_ONCE(chan->head), READ_ONCE(chan->tail),
			     MIC_DMA_RING_SIZE);
}

/*
 * Interrupt coalescing.  A part may leave the interrupt bit off its last
 * STATUS ("quiet") when an interrupting STATUS of an earlier part is
 * still ahead of the engine: that interrupt comes anyway, and the work
 * queued behind it often completes by the time the handler reads the
 * completion word.  A lone batch (nothing ahead) always interrupts, so
 * it waits no longer than before.  Bounds: at most irq_coalesce parts
 * per interrupt, at most irq_coalesce_kb bytes of quiet parts (larger
 * work keeps an interrupt per part, so a pipeline of big batches is not
 * signalled late), and a quiet part leaves at least two free ring slots.
 *
 * Nothing is stranded: when the handler (or the hang check) retires
 * parts and finds work still in flight with no interrupting STATUS ahead
 * of the engine, mic_dma_chan_kick() appends a STATUS pair with the
 * interrupt bit to the last part (in a work: it needs submit_lock).  The
 * two free slots a quiet part leaves are its room; the last part in
 * flight is either interrupting or quiet with that room, because every
 * later post re-decides and the kick itself posts an interrupting pair.
 */
static unsigned int irq_coalesce = 16;
module_param(irq_coalesce, uint, 0644);
MODULE_PARM_DESC(irq_coalesce,
		 "Most batch parts in flight on a channel per DMA interrupt (0 or 1: one interrupt per part)");

static unsigned int irq_coalesce_kb = 1024;
module_param(irq_coalesce_kb, uint, 0644);
MODULE_PARM_DESC(irq_coalesce_kb,
		 "Most bytes (KiB) of batch parts that wait for a later part's interrupt");

/* chan->lock held: may a part of @desc descriptors, @bytes, be quiet? */
static bool mic_dma_chan_quiet(struct mic_dma_chan *chan, u32 desc, u64 bytes)
{
	u64 done = le64_to_cpu(READ_ONCE(chan->wb->seq));
	unsigned int max = READ_ONCE(irq_coalesce);

	if ((s64)(chan->irq_seq - done) <= 0)
		return false;		/* no interrupt ahead of the engine */
	if (list_empty(&chan->inflight) || list_is_singular(&chan->inflight))
		return false;		/* a queue of one or two: no gain */
	if (chan->quiet + 1 >= max)
		return false;
	if (chan->quiet_bytes + bytes > (u64)READ_ONCE(irq_coalesce_kb) * 1024)
		return false;
	return mic_ring_free(chan->head, chan->tail, MIC_DMA_RING_SIZE) >=
	       desc + MIC_DMA_PART_EXTRA;
}

/* chan->lock held: the STATUS that writes @seq interrupts. */
static void mic_dma_chan_irq_at(struct mic_dma_chan *chan, u64 seq)
{
	chan->irq_seq = seq;
	chan->quiet = 0;
	chan->quiet_bytes = 0;
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
	bool intr;

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
	chan->slot_xfer[pos] = last;

	/* the decision and the publication under one hold of chan->lock */
	spin_lock_irq(&chan->lock);
	intr = !mic_dma_chan_quiet(chan, part->desc, part->bytes);
	if (intr) {
		mic_dma_chan_irq_at(chan, part->seq);
	} else {
		chan->quiet++;
		chan->quiet_bytes += part->bytes;
	}
	chan->ring[pos] = mic_desc_status(part->seq, wb, intr);
	part->end = mic_ring_next(pos, MIC_DMA_RING_SIZE);
	if (list_empty(&chan->inflight))
		chan->busy_since = ktime_get_ns();
	list_add_tail(&part->node, &chan->inflight);
	chan->stats.descriptors += part->desc;
	spin_unlock_irq(&chan->lock);
	WRITE_ONCE(chan->head, part->end);
}

/*
 * submit_lock held, channel running: if work is in flight and no
 * interrupting STATUS is ahead of the engine, append an interrupting
 * STATUS pair to the last part (it then retires only after the pair ran)
 * and hand it over.  The room is there (the top of this file).
 */
void mic_dma_chan_kick(struct mic_dma_chan *chan)
{
	struct mic_x100 *card = mic_dma_chan_card(chan);
	u64 wb = chan->wb_card + offsetof(struct mic_dma_wb, seq);
	struct mic_dma_part *last;
	u32 pos = chan->head, xfer;
	u64 done;

	mic_dma_retire(chan);
	spin_lock_irq(&chan->lock);
	last = list_empty(&chan->inflight) ? NULL :
	       list_last_entry(&chan->inflight, struct mic_dma_part, node);
	done = le64_to_cpu(READ_ONCE(chan->wb->seq));
	if (!last || (s64)(chan->irq_seq - done) > 0 ||
	    (s64)(done - last->seq) >= 0 ||
	    mic_ring_free(pos, chan->tail, MIC_DMA_RING_SIZE) <
	    MIC_DMA_PART_EXTRA) {
		spin_unlock_irq(&chan->lock);
		/* all done meanwhile: retire it here */
		if (last)
			mic_dma_retire(chan);
		return;
	}
	xfer = chan->slot_xfer[mic_ring_add(pos, MIC_DMA_RING_SIZE - 1,
					    MIC_DMA_RING_SIZE)];
	chan->next_seq += 2;
	chan->ring[pos] = mic_desc_status(chan->next_seq - 1, wb, false);
	chan->slot_xfer[pos] = xfer;
	pos = mic_ring_next(pos, MIC_DMA_RING_SIZE);
	chan->ring[pos] = mic_desc_status(chan->next_seq, wb, true);
	chan->slot_xfer[pos] = xfer;
	pos = mic_ring_next(pos, MIC_DMA_RING_SIZE);
	last->seq = chan->next_seq;
	last->end = pos;
	last->desc += MIC_DMA_PART_EXTRA;
	mic_dma_chan_irq_at(chan, last->seq);
	chan->stats.descriptors += MIC_DMA_PART_EXTRA;
	spin_unlock_irq(&chan->lock);
	WRITE_ONCE(chan->head, pos);

	/* descriptors visible before the engine sees the new head */
	wmb();
	mic_wr(card, MIC_DHPR(chan->nr), pos);
	chan->last_dhpr = pos;
	if (mic_dma_watchdog_arm(chan))
		mic_dma_hang_restart(&chan->hang);
}

void mic_dma_kick_work(struct work_struct *work)
{
	struct mic_dma_chan *chan = container_of(work, struct mic_dma_chan,
						 kick_work);

	mutex_lock(&chan->submit_lock);
	if (chan->dma->running)
		mic_dma_chan_kick(chan);
	mutex_unlock(&chan->submit_lock);
}

void mic_dma_space_wake(struct mic_dma_chan *chan)
{
	atomic_inc(&chan->space_events);
	wake_up_all(&chan->space_wq);
}

/*
 * A submitter waiting for ring space.  It queues on every channel its
 * batch uses at once, holding all their submit_locks, so waiters are in
 * the same order on every channel and the oldest can always go first:
 * no batch waits for another that waits for it.
 */
struct mic_dma_admit {
	struct list_head node[MIC_DMA_NR_CHANS];
	bool queued;
};

/* Every used submit_lock held: may the batch go now? */
static bool mic_dma_admissible(struct mic_dma *dma, unsigned int used,
			       const struct mic_split_sink *sink,
			       struct mic_dma_admit *me,
			       struct mic_dma_chan **blocked)
{
	unsigned int ch;

	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++) {
		struct mic_dma_chan *chan = &dma->chan[ch];
		struct list_head *first = chan->admitq.next;

		if (!(used & BIT(ch)))
			continue;
		if ((first != &chan->admitq &&
		     (!me->queued || first != &me->node[ch])) ||
		    mic_dma_chan_free(chan) < sink[ch].count + MIC_DMA_PART_EXTRA) {
			*blocked = chan;
			return false;
		}
	}
	return true;
}

static bool mic_dma_events_since(struct mic_dma_chan *chan, int seen)
{
	return atomic_read(&chan->space_events) != seen;
}

/* Every used submit_lock held: leave the queues, let the next look. */
static void mic_dma_admit_leave(struct mic_dma *dma, unsigned int used,
				struct mic_dma_admit *me)
{
	unsigned int ch;

	if (!me->queued)
		return;
	me->queued = false;
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++) {
		if (!(used & BIT(ch)))
			continue;
		list_del(&me->node[ch]);
		mic_dma_space_wake(&dma->chan[ch]);
	}
}

static int mic_dma_lock_used(struct mic_dma *dma, unsigned int used)
{
	unsigned int ch;
	int ret;

	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++) {
		if (!(used & BIT(ch)))
			continue;
		ret = mutex_lock_interruptible(&dma->chan[ch].submit_lock);
		if (ret) {
			mic_dma_unlock_chans(dma, used & (BIT(ch) - 1));
			return ret;
		}
	}
	return 0;
}

/*
 * Take ring space on every channel the batch uses, first come first
 * served: a batch that needs most of a ring is not starved by small ones
 * that keep fitting in what retires.  Returns with the used submit_locks
 * held, or an error without them.
 */
static int mic_dma_admit(struct mic_dma *dma, unsigned int used,
			 const struct mic_split_sink *sink, bool nonblock)
{
	struct mic_dma_admit me = { .queued = false };
	struct mic_dma_chan *blocked;
	unsigned int ch;
	int seen, ret;

	ret = mic_dma_lock_used(dma, used);
	if (ret)
		return ret;
	for (;;) {
		if (!dma->running) {
			ret = dma->stop_err;
			break;
		}
		if (mic_dma_admissible(dma, used, sink, &me, &blocked)) {
			mic_dma_admit_leave(dma, used, &me);
			return 0;
		}
		if (nonblock) {
			ret = -EAGAIN;
			break;
		}
		if (!me.queued) {
			for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++)
				if (used & BIT(ch))
					list_add_tail(&me.node[ch],
						      &dma->chan[ch].admitq);
			me.queued = true;
		}
		/* read under the lock: an event after it ends the wait */
		seen = atomic_read(&blocked->space_events);
		mic_dma_unlock_chans(dma, used);
		ret = wait_event_interruptible(blocked->space_wq,
					       mic_dma_events_since(blocked,
								    seen));
		if (ret) {
			/* the queues need the locks: wait for them */
			mic_dma_lock_chans_used(dma, used);
			break;
		}
		ret = mic_dma_lock_used(dma, used);
		if (ret) {
			mic_dma_lock_chans_used(dma, used);
			break;
		}
	}
	mic_dma_admit_leave(dma, used, &me);
	mic_dma_unlock_chans(dma, used);
	return ret;
}

int mic_dma_submit(struct mic_x100 *card, struct mic_dma_batch *b,
		   bool nonblock)
{
	struct mic_dma *dma = &card->dma;
	struct mic_split_sink sink[MIC_DMA_NR_CHANS] = {};
	unsigned int first, ch, used = 0, parts = 0;
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

	ret = mic_dma_admit(dma, used, sink, nonblock);
	if (ret)
		return ret;

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
	mic_dma_unlock_chans(dma, used);
	return 0;
}

u64 mic_dma_window(struct mic_x100 *card)
{
	return READ_ONCE(card->dma.window);
}
