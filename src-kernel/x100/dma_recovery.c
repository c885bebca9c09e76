// SPDX-License-Identifier: GPL-2.0
/*
 * x100 DMA error and hang recovery.  Locking is described in dma.h.
 *
 * Errors (doc/x100-hardware.md C.6): the engine stops at a failing
 * descriptor with DCHERR set.  On B0 and later it writes DSTAT with bit
 * 31 to the DSTATWB word and the channel interrupt queues the error work;
 * where no write-back comes (A0, or a chip that writes DSTATWB only on
 * completion, G.7), the hang check finds the stopped channel and reads
 * DCHERR.  Either way mic_dma_chan_error() (process context) finds the
 * failing slot in DSTAT, fails the batch it belongs to, turns the rest of
 * that part's MEMCOPYs into NOPs and tries to let the engine go on
 * (mic_dma_chan_clear_err(): the value read written back, then 0), so the
 * part's STATUS pair still retires it and the work behind it runs as if
 * nothing happened.  No public source says a channel resumes after an
 * error (G.16), and a write may not clear DCHERR at all (G.15): when
 * DCHERR stays set or the channel does not move, recovery escalates to a
 * channel re-program (C.6 step 4) that ends the failed part and hands the
 * parts queued behind it to the engine again from the fresh ring
 * (mic_dma_chan_requeue()).
 *
 * Hang check (C.10): while work is in flight, a delayed work looks at the
 * channel every hang_timeout_ms, starting when the channel becomes busy;
 * when neither DSTAT nor the completion word moved since the previous
 * look (mic_dma_hang_check()), and DCHERR shows no error to recover, the
 * channel is reset and its work fails with -ETIMEDOUT
 * (MICMEM_ERR_TIMEOUT).  A hung channel is thus detected after one to two
 * periods.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/micmem.h>

#include "mgmt.h"

static unsigned int hang_timeout_ms = 5000;
module_param(hang_timeout_ms, uint, 0644);
MODULE_PARM_DESC(hang_timeout_ms,
		 "Reset a DMA channel whose work made no progress for this long (ms, 0 = never)");

/* ------------------------------------------------------------------ */
/* Error work and hang check                                           */

/*
 * How long the engine has to move after DCHERR was cleared before
 * recovery escalates to a re-program (C.6 step 4).
 */
#define MIC_DMA_RESUME_MS	20

/*
 * submit_lock held, DCHERR cleared: does the engine go on from @slot?
 * It moves when DSTAT's count leaves @slot (the slot holds a NOP now, or
 * the STATUS that failed), or has nothing left to do.
 */
static bool mic_dma_chan_moves(struct mic_dma_chan *chan, u32 slot)
{
	struct mic_x100 *card = mic_dma_chan_card(chan);
	unsigned int ms;
	u32 dstat;

	if (slot == chan->head)
		return true;
	for (ms = 0; ms <= MIC_DMA_RESUME_MS; ms++) {
		dstat = mic_rd(card, MIC_DSTAT(chan->nr));
		if (dstat == ~0U || (dstat & MIC_DSTAT_CMP_CNT) != slot)
			return true;
		usleep_range(1000, 1100);
	}
	return false;
}

/*
 * submit_lock held, channel running: recover from a channel error (the
 * top of this file).  Returns false when DCHERR shows none.
 */
static bool mic_dma_chan_error(struct mic_dma_chan *chan)
{
	struct mic_x100 *card = mic_dma_chan_card(chan);
	struct mic_dma_part *part, *failed = NULL;
	unsigned int ch = chan->nr;
	u32 err, left, slot, s;

	err = mic_rd(card, MIC_DCHERR(ch));
	if (!err || err == ~0U)
		return false;
	slot = mic_rd(card, MIC_DSTAT(ch)) & MIC_DSTAT_CMP_CNT;

	mic_dma_retire(chan);
	spin_lock_irq(&chan->lock);
	list_for_each_entry(part, &chan->inflight, node) {
		if (mic_dma_slot_in(slot, part->start, part->end)) {
			failed = part;
			break;
		}
	}
	chan->stats.errors++;
	spin_unlock_irq(&chan->lock);

	dev_warn_ratelimited(card->hw->dev,
			     "mic%d: DMA channel %u error %#x at slot %u\n",
			     card->id, ch, err, slot);
	/*
	 * The part stays in flight (its STATUS pair retires it); we hold
	 * submit_lock and the engine is stopped, so it cannot retire under
	 * us.  Skip what is left of its copies.
	 */
	if (failed) {
		u32 status = mic_ring_add(failed->end,
					  MIC_DMA_RING_SIZE - MIC_DMA_PART_EXTRA,
					  MIC_DMA_RING_SIZE);
		u64 lost = 0;

		mic_dma_batch_fail(failed->batch, chan->slot_xfer[slot], -EIO,
				   MICMEM_ERR_CHANNEL);
		/* a failed STATUS is simply executed again */
		if (mic_dma_slot_in(slot, failed->start, status))
			for (s = slot; s != status;
			     s = mic_ring_next(s, MIC_DMA_RING_SIZE)) {
				struct mic_desc *d = &chan->ring[s];

				if (mic_desc_type(d) == MIC_DESC_MEMCOPY)
					lost += mic_desc_memcopy_len(d);
				*d = mic_desc_nop();
			}
		/* "bytes" counts only the copies that completed */
		spin_lock_irq(&chan->lock);
		failed->bytes -= lost;
		spin_unlock_irq(&chan->lock);
	}
	chan->wb->dstat = 0;
	wmb();	/* NOPs visible before the engine resumes */
	left = mic_dma_chan_clear_err(chan, err);
	if (!left && mic_dma_chan_moves(chan, slot))
		return true;

	dev_warn_ratelimited(card->hw->dev,
			     "mic%d: DMA channel %u does not resume after error %#x (DCHERR now %#x): re-programming\n",
			     card->id, ch, err, left);
	if (failed)
		mic_dma_chan_requeue(chan, failed, slot);
	else
		mic_dma_chan_restart(chan, -EIO, MICMEM_ERR_CHANNEL, slot);
	return true;
}

void mic_dma_err_work(struct work_struct *work)
{
	struct mic_dma_chan *chan = container_of(work, struct mic_dma_chan,
						 err_work);

	mutex_lock(&chan->submit_lock);
	if (chan->dma->running)
		mic_dma_chan_error(chan);
	mutex_unlock(&chan->submit_lock);
}

/* submit_lock held: reset a hung channel, fail what it had in flight. */
static void mic_dma_chan_reset(struct mic_dma_chan *chan)
{
	struct mic_x100 *card = mic_dma_chan_card(chan);

	dev_err(card->hw->dev,
		"mic%d: DMA channel %u made no progress for %u ms: reset\n",
		card->id, chan->nr, hang_timeout_ms);
	spin_lock_irq(&chan->lock);
	chan->stats.errors++;
	spin_unlock_irq(&chan->lock);

	mic_dma_chan_restart(chan, -ETIMEDOUT, MICMEM_ERR_TIMEOUT,
			     MIC_DMA_NO_SLOT);
}

/* submit_lock held */
bool mic_dma_watchdog_arm(struct mic_dma_chan *chan)
{
	unsigned int ms = READ_ONCE(hang_timeout_ms);

	return ms && queue_delayed_work(system_wq, &chan->watchdog,
					msecs_to_jiffies(ms));
}

void mic_dma_watchdog(struct work_struct *work)
{
	struct mic_dma_chan *chan = container_of(to_delayed_work(work),
						 struct mic_dma_chan, watchdog);
	u32 dstat;
	u64 seq;
	bool idle;

	mutex_lock(&chan->submit_lock);
	if (!chan->dma->running || !READ_ONCE(hang_timeout_ms))
		goto out;
	/*
	 * also picks up completions whose interrupt was lost, and makes an
	 * interrupt follow work that was waiting for the lost one
	 */
	if (mic_dma_retire(chan))
		mic_dma_chan_kick(chan);
	spin_lock_irq(&chan->lock);
	idle = list_empty(&chan->inflight);
	spin_unlock_irq(&chan->lock);
	if (idle) {
		mic_dma_hang_restart(&chan->hang);
		goto out;
	}

	dstat = mic_rd(mic_dma_chan_card(chan), MIC_DSTAT(chan->nr));
	seq = le64_to_cpu(READ_ONCE(chan->wb->seq));
	if (mic_dma_hang_check(&chan->hang, dstat, seq)) {
		/* a stopped channel may be an error nobody reported (G.7) */
		if (!mic_dma_chan_error(chan)) {
			mic_dma_chan_reset(chan);
			goto out;
		}
		mic_dma_hang_restart(&chan->hang);
	}
	mic_dma_watchdog_arm(chan);
out:
	mutex_unlock(&chan->submit_lock);
}

