// SPDX-License-Identifier: GPL-2.0
/*
 * One x100 DMA channel's registers, as the host drives them: our bits of
 * DCR and DCAR (read-modify-write, never cached: the card OS owns the
 * other channels' bits), disable and quiesce, clearing a channel error,
 * programming a disabled channel and restarting it.  Callers hold the
 * channel's submit_lock (dma.h).  doc/x100-hardware.md B.3, C.4, C.6 and
 * C.9 give the sequences.
 */
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/micmem.h>

#include "mgmt.h"
#include "smpt.h"

/* How long stop and reset wait for a disabled channel to go quiet. */
#define MIC_DMA_QUIESCE_MS	200

/*
 * DCR is shared by all channels, the card OS's 4-7 included, and the
 * card OS writes it at any time (doc/x100-hardware.md B.3, G.19): read it
 * fresh and change only the bits of @clear and @set, as every Intel
 * driver does.  Nothing is written to a card that reads all-ones.
 */
static void mic_dma_dcr_update(struct mic_dma *dma, u32 clear, u32 set)
{
	unsigned long flags;
	u32 dcr;

	spin_lock_irqsave(&dma->dcr_lock, flags);
	dcr = mic_rd(dma->card, MIC_DCR);
	if (dcr != ~0U)
		mic_wr(dma->card, MIC_DCR, (dcr & ~clear) | set);
	spin_unlock_irqrestore(&dma->dcr_lock, flags);
}

/*
 * DCAR: only IM1, the host's mask of a host-owned channel, is the
 * driver's; IM0 (the card side) and the other bits are kept
 * (doc/x100-hardware.md B.2, mainline's mic_dma_chan_mask_intr()).
 * submit_lock keeps the channel's DCAR to one writer on the host.
 */
static void mic_dma_dcar_im1(struct mic_dma_chan *chan, bool mask)
{
	struct mic_x100 *card = mic_dma_chan_card(chan);
	u32 dcar = mic_rd(card, MIC_DCAR(chan->nr));

	if (dcar == ~0U)
		return;
	mic_wr(card, MIC_DCAR(chan->nr), mask ? dcar | MIC_DCAR_IM1 :
						dcar & ~MIC_DCAR_IM1);
}

/*
 * Wait, bounded, until a disabled channel is quiet (doc/x100-hardware.md
 * C.9 step 3, mic_dma_quiet_check()): at most MIC_DMA_QUIESCE_MS.  DSTAT
 * bit 29 never setting is normal (G.18) and not logged; only a channel
 * whose indices still move after the whole wait is.  Returns true when
 * quiet.
 */
static bool mic_dma_chan_quiesce(struct mic_dma_chan *chan)
{
	struct mic_x100 *card = mic_dma_chan_card(chan);
	ktime_t end = ktime_add_ms(ktime_get(), MIC_DMA_QUIESCE_MS);
	struct mic_dma_quiet q = {};
	unsigned int ch = chan->nr;
	u32 dstat, dtpr, dhpr;

	/* bounded by the clock, not by counting sleeps that may run long */
	for (;;) {
		dstat = mic_rd(card, MIC_DSTAT(ch));
		dtpr = mic_rd(card, MIC_DTPR(ch));
		dhpr = mic_rd(card, MIC_DHPR(ch));
		if (mic_dma_quiet_check(&q, dstat, dtpr, dhpr))
			return true;
		if (ktime_after(ktime_get(), end))
			break;
		usleep_range(1000, 1100);
	}
	dev_warn(card->hw->dev,
		 "mic%d: DMA channel %u still moves %u ms after disable (DSTAT %#x DTPR %#x)\n",
		 card->id, ch, MIC_DMA_QUIESCE_MS, dstat, dtpr);
	return false;
}

void mic_dma_chan_disable(struct mic_dma_chan *chan)
{
	mic_dma_dcar_im1(chan, true);
	mic_dma_dcr_update(chan->dma, MIC_DCR_ENABLE(chan->nr), 0);
	mic_dma_chan_quiesce(chan);
}

/*
 * Try to clear DCHERR value @err of channel @ch without knowing what a
 * write does (doc/x100-hardware.md C.6 step 3, G.15): write back the
 * value read (clears a write-1-to-clear register, changes nothing in a
 * read/write or read-only one); if it still reads non-zero write 0
 * (clears a read/write register, nothing otherwise).  Never ~0, which
 * would set every error bit of a read/write register.  Returns what
 * DCHERR reads afterwards.
 */
u32 mic_dma_chan_clear_err(struct mic_dma_chan *chan, u32 err)
{
	struct mic_x100 *card = mic_dma_chan_card(chan);
	unsigned int ch = chan->nr;

	mic_wr(card, MIC_DCHERR(ch), err);
	err = mic_rd(card, MIC_DCHERR(ch));
	if (!err || err == ~0U)
		return err;
	mic_wr(card, MIC_DCHERR(ch), 0);
	return mic_rd(card, MIC_DCHERR(ch));
}

/*
 * Program a disabled, quiet channel (doc/x100-hardware.md C.4, with the
 * additions for a ring that may have run before): error interrupts on
 * and the DSTAT write-back (B0 and later only, C.8 #7), the ring full of
 * NOPs, the ring registers, DHPR brought to DTPR while still disabled,
 * then enable and unmask.  Whatever indices the hardware kept (G.17), it
 * finds only NOPs between them, and no DHPR value is written twice in a
 * row (C.8 #1).  -EIO if the channel reports an error or stays quiesced
 * after enabling (C.4 step 9, the only DCHERR check at setup, as
 * mainline).
 */
int mic_dma_chan_program(struct mic_dma_chan *chan)
{
	struct mic_x100 *card = mic_dma_chan_card(chan);
	unsigned int ch = chan->nr;
	u64 ring = chan->ring_card - MIC_SYSTEM_BASE;	/* offset in the window */
	u64 wb = chan->wb_card + offsetof(struct mic_dma_wb, dstat);
	u32 dtpr, dhpr, head, err, dstat;

	/* an error left from before: clear it where a write can (G.15) */
	err = mic_rd(card, MIC_DCHERR(ch));
	if (err && err != ~0U)
		mic_dma_chan_clear_err(chan, err);
	if (mic_b0_or_later(card)) {
		mic_wr(card, MIC_DCHERRMSK(ch), 0);
		mic_wr(card, MIC_DSTATWB_LO(ch), lower_32_bits(wb));
		mic_wr(card, MIC_DSTATWB_HI(ch), upper_32_bits(wb));
	}
	chan->wb->dstat = 0;
	memset(chan->ring, 0, MIC_DMA_RING_SIZE * sizeof(struct mic_desc));
	wmb();	/* NOPs in memory before the engine may look */
	/* host ring: SMPT entry + bits 33:0 of the offset inside its page */
	mic_wr(card, MIC_DRAR_LO(ch), lower_32_bits(ring));
	mic_wr(card, MIC_DRAR_HI(ch),
	       MIC_DRAR_HI_BA(upper_32_bits(ring) & 3) |
	       MIC_DRAR_HI_SIZE(MIC_DMA_RING_SIZE) |
	       MIC_DRAR_HI_SMPT(ring >> MIC_SMPT_PAGE_SHIFT) |
	       MIC_DRAR_HI_SYS);

	/*
	 * C.4 step 7 and G.17: the engine's tail is where it goes on; its
	 * head must not lie ahead of it.  A DTPR beyond the ring (left by a
	 * driver with a bigger one) gets DHPR = 0; if DTPR still reads
	 * beyond the ring afterwards, the software starts at 0 anyway: the
	 * engine can only run NOPs until it reaches our first head.
	 */
	dtpr = mic_rd(card, MIC_DTPR(ch)) & MIC_DSTAT_CMP_CNT;
	dhpr = mic_rd(card, MIC_DHPR(ch)) & MIC_DSTAT_CMP_CNT;
	if (mic_dma_head_fix(dtpr, dhpr, MIC_DMA_RING_SIZE, &head))
		mic_wr(card, MIC_DHPR(ch), head);
	if (dtpr >= MIC_DMA_RING_SIZE) {
		dhpr = head;
		dtpr = mic_rd(card, MIC_DTPR(ch)) & MIC_DSTAT_CMP_CNT;
		if (mic_dma_head_fix(dtpr, dhpr, MIC_DMA_RING_SIZE, &head))
			mic_wr(card, MIC_DHPR(ch), head);
		if (dtpr >= MIC_DMA_RING_SIZE)
			dev_warn(card->hw->dev,
				 "mic%d: DMA channel %u: DTPR %u beyond the ring of %u, starting at 0\n",
				 card->id, ch, dtpr, MIC_DMA_RING_SIZE);
	}
	WRITE_ONCE(chan->head, head);
	chan->last_dhpr = head;
	spin_lock_irq(&chan->lock);
	WRITE_ONCE(chan->tail, head);
	/* no interrupting STATUS ahead: the next part interrupts */
	chan->irq_seq = 0;
	chan->quiet = 0;
	chan->quiet_bytes = 0;
	spin_unlock_irq(&chan->lock);

	mic_dma_dcr_update(chan->dma, 0, MIC_DCR_OWNER_HOST(ch) |
			   MIC_DCR_ENABLE(ch));
	mic_dma_dcar_im1(chan, false);

	/* mainline's check after setup (C.4 step 9) */
	err = mic_rd(card, MIC_DCHERR(ch));
	dstat = mic_rd(card, MIC_DSTAT(ch));
	if (err || (dstat & MIC_DSTAT_QUIESCE)) {
		dev_err(card->hw->dev,
			"mic%d: DMA channel %u failed to start (DCHERR %#x DSTAT %#x)\n",
			card->id, ch, err, dstat);
		mic_dma_chan_disable(chan);
		return -EIO;
	}
	return 0;
}

/*
 * submit_lock held: stop the channel, fail what it had in flight with
 * @err (@stop: the slot the engine stopped at, or MIC_DMA_NO_SLOT, see
 * mic_dma_fail_inflight()) and program it again (doc/x100-hardware.md C.9
 * then C.4): the hang reset and the escalation of error recovery (C.6
 * step 4).
 */
void mic_dma_chan_restart(struct mic_dma_chan *chan, int err, u32 class,
			  u32 stop)
{
	struct mic_x100 *card = mic_dma_chan_card(chan);

	mic_dma_chan_disable(chan);
	mic_dma_fail_inflight(chan, err, class, stop);
	if (mic_dma_chan_program(chan))
		dev_err(card->hw->dev, "mic%d: DMA channel %u did not restart\n",
			card->id, chan->nr);
}
