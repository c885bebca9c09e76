// SPDX-License-Identifier: GPL-2.0
/*
 * x100 DMA channels 0 and 1: probe, start, stop and remove, and the
 * completion side (retiring and failing parts).  Programming one
 * channel's registers is in dma_chan.c, submission in dma_submit.c, error
 * and hang recovery in dma_recovery.c; doc/design.md ("The DMA data
 * path") describes the whole, dma.h the locks.
 *
 * Completion: the channel interrupt (or, if one is lost, the hang check)
 * reads the completion word and retires every part whose sequence number
 * it reached, in ring order.  No register is read on the submit and
 * completion paths.
 */
#include <linux/dma-mapping.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/micmem.h>

#include "mgmt.h"
#include "smpt.h"

/*
 * Top of card memory kept out of the default DMA window: MPSS reserves
 * 512 KiB there for VGA/GTT (doc/x100-hardware.md B.6, G.24).
 */
#define MIC_DMA_RESERVED_TOP	(512 * 1024)

/* ------------------------------------------------------------------ */
/* Retiring and failing parts                                          */

/*
 * Record that transfer @xfer of @b failed with @err; the lowest-numbered
 * failure wins, so "failed_xfer" names the first failed transfer.
 */
void mic_dma_batch_fail(struct mic_dma_batch *b, u32 xfer, int err, u32 class)
{
	unsigned long flags;

	spin_lock_irqsave(&b->err_lock, flags);
	if (!b->error || xfer < b->failed_xfer) {
		b->error = err;
		b->error_class = class;
		b->failed_xfer = xfer;
	}
	spin_unlock_irqrestore(&b->err_lock, flags);
}

/* The part no longer needs the channel; complete the batch if last. */
static void mic_dma_part_done(struct mic_dma_part *part)
{
	struct mic_dma_batch *b = part->batch;

	if (atomic_dec_and_test(&b->pending))
		b->complete(b);
}

/* chan->lock held: take @part off the channel, account for it. */
static void mic_dma_part_unlink(struct mic_dma_chan *chan,
				struct mic_dma_part *part, bool ok)
{
	list_del(&part->node);
	WRITE_ONCE(chan->tail, part->end);
	if (ok) {
		chan->stats.bytes += part->bytes;
		chan->stats.batches++;
	}
	if (list_empty(&chan->inflight)) {
		chan->stats.busy_ns += ktime_get_ns() - chan->busy_since;
		/* idle: the next busy period starts its own hang check */
		cancel_delayed_work(&chan->watchdog);
	}
}

/*
 * Retire every part whose STATUS pair the engine executed, as told by the
 * completion word.  Any context.  Returns true when work is left in
 * flight with no interrupting STATUS ahead of the engine: the caller
 * must see that one follows (mic_dma_chan_kick(), dma_submit.c).
 */
static bool __mic_dma_retire(struct mic_dma_chan *chan, bool polling)
{
	struct mic_dma_part *part, *next;
	unsigned long flags;
	LIST_HEAD(retired);
	bool kick;
	u64 done;

	spin_lock_irqsave(&chan->lock, flags);
	/*
	 * A poller checks that the channels run: mic_dma_stop() clears
	 * @running before it takes chan->lock, and the completion word is
	 * freed only after that (mic_dma_remove()).
	 */
	if (polling && !READ_ONCE(chan->dma->running)) {
		spin_unlock_irqrestore(&chan->lock, flags);
		return false;
	}
	done = le64_to_cpu(READ_ONCE(chan->wb->seq));
	list_for_each_entry_safe(part, next, &chan->inflight, node) {
		if ((s64)(done - part->seq) < 0)
			break;
		mic_dma_part_unlink(chan, part, true);
		list_add_tail(&part->node, &retired);
	}
	kick = !list_empty(&chan->inflight) &&
	       (s64)(chan->irq_seq - done) <= 0;
	spin_unlock_irqrestore(&chan->lock, flags);

	if (list_empty(&retired))
		return kick;
	mic_dma_space_wake(chan);
	/* _safe: completing a batch may free it */
	list_for_each_entry_safe(part, next, &retired, node)
		mic_dma_part_done(part);
	return kick;
}

bool mic_dma_retire(struct mic_dma_chan *chan)
{
	return __mic_dma_retire(chan, false);
}

void mic_dma_batch_poll(struct mic_x100 *card, struct mic_dma_batch *b)
{
	unsigned int ch;

	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++) {
		struct mic_dma_chan *chan = &card->dma.chan[ch];

		/* parts retire in ring order: nothing to do past ours */
		if (!b->part[ch].desc || !atomic_read(&b->pending))
			continue;
		if (__mic_dma_retire(chan, true))
			queue_work(system_highpri_wq, &chan->kick_work);
	}
}

/*
 * Fail every part still in flight on @chan (the channel is stopped and
 * quiet); the ring is empty afterwards.  A part fails at its first
 * transfer, or, if the engine stopped inside it at slot @stop (else
 * MIC_DMA_NO_SLOT), at the transfer of that slot: the ones before it
 * were copied.  Process context.
 */
void mic_dma_fail_inflight(struct mic_dma_chan *chan, int err, u32 class,
			   u32 stop)
{
	struct mic_dma_part *part, *next;
	LIST_HEAD(failed);

	spin_lock_irq(&chan->lock);
	list_for_each_entry_safe(part, next, &chan->inflight, node) {
		mic_dma_part_unlink(chan, part, false);
		list_add_tail(&part->node, &failed);
	}
	spin_unlock_irq(&chan->lock);

	mic_dma_space_wake(chan);
	list_for_each_entry_safe(part, next, &failed, node) {
		u32 slot = stop != MIC_DMA_NO_SLOT &&
			   mic_dma_slot_in(stop, part->start, part->end) ?
			   stop : part->start;

		mic_dma_batch_fail(part->batch, chan->slot_xfer[slot], err,
				   class);
		mic_dma_part_done(part);
	}
}

/*
 * submit_lock held, channel running: @failed, in flight on @chan, hit a
 * channel error that clearing DCHERR did not get past (error recovery's
 * escalation, doc/x100-hardware.md C.6 step 4; its batch already records
 * the error).  Stop the channel, end @failed (the copies before the
 * failing slot count as done), program the channel again and hand the
 * parts queued behind @failed to the engine once more from the fresh
 * ring: one bad descriptor fails only its own batch, whatever a write to
 * DCHERR does (G.15, G.16).  If the copy cannot be made or the channel
 * does not restart, those parts fail with -EIO instead.
 */
void mic_dma_chan_requeue(struct mic_dma_chan *chan,
			  struct mic_dma_part *failed, u32 slot)
{
	struct mic_x100 *card = mic_dma_chan_card(chan);
	struct mic_desc *desc = NULL;
	struct mic_dma_part *part;
	u32 *xfer = NULL;
	u32 n = 0, i = 0, s, pos;

	mic_dma_chan_disable(chan);

	/*
	 * The engine stopped inside @failed, so nothing behind it ran and
	 * nothing can retire it: the parts and their slots hold still.
	 */
	list_for_each_entry(part, &chan->inflight, node)
		if (part != failed)
			n += mic_ring_used(part->end, part->start,
					   MIC_DMA_RING_SIZE);
	if (n) {
		desc = kvmalloc_array(n, sizeof(*desc), GFP_KERNEL);
		xfer = kvmalloc_array(n, sizeof(*xfer), GFP_KERNEL);
	}
	if (n && (!desc || !xfer)) {
		kvfree(desc);
		kvfree(xfer);
		mic_dma_fail_inflight(chan, -EIO, MICMEM_ERR_CHANNEL, slot);
		goto program;
	}
	list_for_each_entry(part, &chan->inflight, node) {
		if (part == failed)
			continue;
		for (s = part->start; s != part->end;
		     s = mic_ring_next(s, MIC_DMA_RING_SIZE)) {
			desc[i] = chan->ring[s];
			xfer[i++] = chan->slot_xfer[s];
		}
	}

	spin_lock_irq(&chan->lock);
	mic_dma_part_unlink(chan, failed, true);
	spin_unlock_irq(&chan->lock);
	mic_dma_space_wake(chan);
	mic_dma_part_done(failed);

program:
	if (mic_dma_chan_program(chan)) {
		dev_err(card->hw->dev, "mic%d: DMA channel %u did not restart\n",
			card->id, chan->nr);
		mic_dma_fail_inflight(chan, -EIO, MICMEM_ERR_CHANNEL,
				      MIC_DMA_NO_SLOT);
		goto out;
	}
	if (!desc)
		goto out;

	/* the same descriptors, from the engine's new tail on */
	pos = chan->head;
	i = 0;
	spin_lock_irq(&chan->lock);
	list_for_each_entry(part, &chan->inflight, node) {
		u32 len = mic_ring_used(part->end, part->start,
					MIC_DMA_RING_SIZE);

		part->start = pos;
		while (len--) {
			chan->ring[pos] = desc[i];
			chan->slot_xfer[pos] = xfer[i++];
			pos = mic_ring_next(pos, MIC_DMA_RING_SIZE);
		}
		part->end = pos;
	}
	/* the last part interrupts, whatever it did before (coalescing) */
	part = list_last_entry(&chan->inflight, struct mic_dma_part, node);
	chan->ring[mic_ring_add(pos, MIC_DMA_RING_SIZE - 1, MIC_DMA_RING_SIZE)] =
		mic_desc_status(part->seq, chan->wb_card +
				offsetof(struct mic_dma_wb, seq), true);
	chan->irq_seq = part->seq;
	spin_unlock_irq(&chan->lock);
	WRITE_ONCE(chan->head, pos);
	/* descriptors visible before the engine sees the new head */
	wmb();
	mic_wr(card, MIC_DHPR(chan->nr), pos);
	chan->last_dhpr = pos;
	if (mic_dma_watchdog_arm(chan))
		mic_dma_hang_restart(&chan->hang);
out:
	kvfree(desc);
	kvfree(xfer);
}

/* Hard-irq context (or any context): the channel signalled. */
void mic_dma_chan_interrupt(struct mic_dma_chan *chan)
{
	u32 dstat = le32_to_cpu(READ_ONCE(chan->wb->dstat));

	if (mic_dma_retire(chan))
		queue_work(system_highpri_wq, &chan->kick_work);
	if (dstat & MIC_DSTATWB_ERROR)
		queue_work(system_highpri_wq, &chan->err_work);
}

/* ------------------------------------------------------------------ */
/* Probe, start, stop, remove                                          */

static void mic_dma_chan_free_mem(struct mic_x100 *card,
				  struct mic_dma_chan *chan)
{
	if (chan->ring)
		dma_free_coherent(card->hw->dev,
				  MIC_DMA_RING_SIZE * sizeof(struct mic_desc),
				  chan->ring, chan->ring_bus);
	chan->ring = NULL;
	kvfree(chan->slot_xfer);
	chan->slot_xfer = NULL;
}

/*
 * A batch on both channels, start and stop hold channel 0's submit_lock
 * while they take channel 1's.  One lockdep class per channel number
 * lets lockdep check that order instead of reporting one class taken
 * twice (all cards share the two classes; cards never nest).
 */
static struct lock_class_key mic_dma_submit_key[MIC_DMA_NR_CHANS];
static const char * const mic_dma_submit_name[MIC_DMA_NR_CHANS] = {
	"mic_dma_chan0_submit_lock", "mic_dma_chan1_submit_lock",
};

static int mic_dma_chan_init(struct mic_x100 *card, unsigned int ch)
{
	struct mic_dma *dma = &card->dma;
	struct mic_dma_chan *chan = &dma->chan[ch];

	chan->dma = dma;
	chan->nr = ch;
	mutex_init(&chan->submit_lock);
	lockdep_set_class_and_name(&chan->submit_lock, &mic_dma_submit_key[ch],
				   mic_dma_submit_name[ch]);
	spin_lock_init(&chan->lock);
	INIT_LIST_HEAD(&chan->inflight);
	INIT_LIST_HEAD(&chan->admitq);
	atomic_set(&chan->space_events, 0);
	init_waitqueue_head(&chan->space_wq);
	INIT_WORK(&chan->err_work, mic_dma_err_work);
	INIT_WORK(&chan->kick_work, mic_dma_kick_work);
	INIT_DELAYED_WORK(&chan->watchdog, mic_dma_watchdog);
	chan->wb = &dma->wb[ch];
	chan->wb_card = dma->wb_card + ch * sizeof(struct mic_dma_wb);

	chan->slot_xfer = kvcalloc(MIC_DMA_RING_SIZE, sizeof(u32), GFP_KERNEL);
	if (!chan->slot_xfer)
		return -ENOMEM;
	chan->ring = dma_alloc_coherent(card->hw->dev,
					MIC_DMA_RING_SIZE * sizeof(struct mic_desc),
					&chan->ring_bus, GFP_KERNEL);
	if (!chan->ring)
		return -ENOMEM;
	return mic_smpt_card_addr(chan->ring_bus,
				  MIC_DMA_RING_SIZE * sizeof(struct mic_desc),
				  &chan->ring_card);
}

/* Allocate rings and completion words; no register access. */
int mic_dma_probe(struct mic_x100 *card)
{
	struct mic_dma *dma = &card->dma;
	unsigned int ch;
	int ret;

	dma->card = card;
	mutex_init(&dma->start_lock);
	spin_lock_init(&dma->dcr_lock);
	dma->stop_err = -EBUSY;
	dma->stop_class = MICMEM_ERR_CARD_RESET;

	dma->wb = dma_alloc_coherent(card->hw->dev,
				     MIC_DMA_NR_CHANS * sizeof(*dma->wb),
				     &dma->wb_bus, GFP_KERNEL);
	if (!dma->wb)
		return -ENOMEM;
	ret = mic_smpt_card_addr(dma->wb_bus,
				 MIC_DMA_NR_CHANS * sizeof(*dma->wb), &dma->wb_card);
	if (ret)
		goto err_wb;

	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++) {
		ret = mic_dma_chan_init(card, ch);
		if (ret)
			goto err_chans;
	}
	return 0;

err_chans:
	if (ret == -ERANGE)
		dev_err(card->hw->dev,
			"mic%d: DMA memory above the 512 GiB SMPT window\n",
			card->id);
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++)
		mic_dma_chan_free_mem(card, &dma->chan[ch]);
err_wb:
	dma_free_coherent(card->hw->dev, MIC_DMA_NR_CHANS * sizeof(*dma->wb),
			  dma->wb, dma->wb_bus);
	dma->wb = NULL;
	return ret;
}

/* Window after a start: keep the administrator's if it still fits. */
static void mic_dma_set_window(struct mic_dma *dma, u64 memsize)
{
	dma->memsize = memsize;
	if (dma->window_set && dma->window <= memsize)
		return;
	dma->window_set = false;
	WRITE_ONCE(dma->window, memsize > MIC_DMA_RESERVED_TOP ?
		   memsize - MIC_DMA_RESERVED_TOP : 0);
}

/*
 * Program SMPT, DCR, both channels and their interrupts; accept submits.
 * Called by the card-state code (card->state_lock held) when the card
 * enters ready or online; a second call while running does nothing.
 */
int mic_dma_start(struct mic_x100 *card)
{
	struct mic_dma *dma = &card->dma;
	unsigned int ch;
	int ret = 0;

	mutex_lock(&dma->start_lock);
	if (dma->removed) {
		ret = -ENODEV;
		goto out;
	}
	if (dma->running)
		goto out;

	mic_dma_set_window(dma, card->mgmt.memsize);
	mic_smpt_program(card);
	mic_dma_lock_chans(dma);
	/* The host owns and enables channels 0 and 1 itself (C.4 step 1). */
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++)
		mic_dma_chan_disable(&dma->chan[ch]);
	for (ch = 0; ch < MIC_DMA_NR_CHANS && !ret; ch++)
		ret = mic_dma_chan_program(&dma->chan[ch]);
	if (ret) {
		while (ch--)
			mic_dma_chan_disable(&dma->chan[ch]);
	} else {
		mic_irq_start(card);
		dma->running = true;
	}
	mic_dma_unlock_chans(dma, BIT(MIC_DMA_NR_CHANS) - 1);
out:
	mutex_unlock(&dma->start_lock);
	return ret;
}

/*
 * Disable both channels, wait (bounded) until they are quiet and fail
 * every batch in flight with @err: -ECANCELED (MICMEM_ERR_CARD_RESET)
 * before a reset or boot, -ENODEV (MICMEM_ERR_CARD_LOST) when the card is
 * lost or removed.  Submits fail until the next start.
 */
void mic_dma_stop(struct mic_x100 *card, int err)
{
	struct mic_dma *dma = &card->dma;
	u32 class = err == -ENODEV ? MICMEM_ERR_CARD_LOST :
				     MICMEM_ERR_CARD_RESET;
	unsigned int ch;

	mutex_lock(&dma->start_lock);
	mic_dma_lock_chans(dma);
	dma->stop_err = err == -ENODEV ? -ENODEV : -EBUSY;
	dma->stop_class = class;
	if (dma->running) {
		WRITE_ONCE(dma->running, false);
		mic_irq_stop(card);
		for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++)
			mic_dma_chan_disable(&dma->chan[ch]);
	}
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++)
		mic_dma_fail_inflight(&dma->chan[ch], err, class,
				      MIC_DMA_NO_SLOT);
	mic_dma_unlock_chans(dma, BIT(MIC_DMA_NR_CHANS) - 1);

	/* They see !running and do nothing more. */
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++) {
		cancel_work_sync(&dma->chan[ch].err_work);
		cancel_work_sync(&dma->chan[ch].kick_work);
		cancel_delayed_work_sync(&dma->chan[ch].watchdog);
	}
	mutex_unlock(&dma->start_lock);
}

/* Free what mic_dma_probe() allocated; stops the channels if needed. */
void mic_dma_remove(struct mic_x100 *card)
{
	struct mic_dma *dma = &card->dma;
	unsigned int ch;

	mic_dma_stop(card, -ENODEV);
	mutex_lock(&dma->start_lock);
	dma->removed = true;
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++)
		mic_dma_chan_free_mem(card, &dma->chan[ch]);
	dma_free_coherent(card->hw->dev, MIC_DMA_NR_CHANS * sizeof(*dma->wb),
			  dma->wb, dma->wb_bus);
	dma->wb = NULL;
	mutex_unlock(&dma->start_lock);
}

