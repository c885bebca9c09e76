// SPDX-License-Identifier: GPL-2.0
/*
 * x100 DMA error and hang recovery.  Locking is described in dma.h.
 *
 * Errors: the engine stops at a failing descriptor, sets DCHERR, writes
 * DSTAT with bit 31 set to the DSTATWB location and raises the channel
 * interrupt.  The error work (process context, may read registers) finds
 * the failing slot in DSTAT, fails the batch it belongs to, turns the
 * rest of that part's MEMCOPYs into NOPs and clears DCHERR so the engine
 * resumes: the part's STATUS pair still retires it, and the work queued
 * behind it on the channel runs as if nothing happened.  Resuming after
 * clearing DCHERR is the simulator's reading; doc/x100-hardware.md has no
 * public per-channel recovery (C.6, G.16).
 *
 * Hang check: while work is in flight, a delayed work looks at the
 * channel every hang_timeout_ms, starting when the channel becomes busy;
 * when neither DSTAT nor the completion word moved since the previous
 * look (mic_dma_hang_check()), the channel is reset and its work fails
 * with -ETIMEDOUT (MICMEM_ERR_TIMEOUT).  A hung channel is thus detected
 * after one to two periods.
 */
#include <linux/module.h>
#include <linux/micmem.h>

#include "mgmt.h"

static unsigned int hang_timeout_ms = 5000;
module_param(hang_timeout_ms, uint, 0644);
MODULE_PARM_DESC(hang_timeout_ms,
		 "Reset a DMA channel whose work made no progress for this long (ms, 0 = never)");

/* ------------------------------------------------------------------ */
/* Error work and hang check                                           */

static bool mic_dma_slot_in(u32 slot, u32 start, u32 end)
{
	return start <= end ? slot >= start && slot < end :
			      slot >= start || slot < end;
}

void mic_dma_err_work(struct work_struct *work)
{
	struct mic_dma_chan *chan = container_of(work, struct mic_dma_chan,
						 err_work);
	struct mic_x100 *card = mic_dma_chan_card(chan);
	struct mic_dma_part *part, *failed = NULL;
	unsigned int ch = chan->nr;
	u32 err, slot, s;

	mutex_lock(&chan->submit_lock);
	if (!chan->dma->running)
		goto out;
	err = mic_rd(card, MIC_DCHERR(ch));
	if (!err || err == ~0U)
		goto out;
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
	mic_wr(card, MIC_DCHERR(ch), err);
out:
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

	mic_dma_chan_disable(chan);
	mic_dma_fail_inflight(chan, -ETIMEDOUT, MICMEM_ERR_TIMEOUT);
	if (mic_dma_chan_program(chan))
		dev_err(card->hw->dev, "mic%d: DMA channel %u did not restart\n",
			card->id, chan->nr);
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
	/* also picks up completions whose interrupt was lost */
	mic_dma_retire(chan);
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
		mic_dma_chan_reset(chan);
		goto out;
	}
	mic_dma_watchdog_arm(chan);
out:
	mutex_unlock(&chan->submit_lock);
}

