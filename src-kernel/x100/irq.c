// SPDX-License-Identifier: GPL-2.0
/*
 * Host interrupts of the card (doc/x100-hardware.md B.5): routing, enabling and
 * dispatch.
 *
 * With MSI-X (hw->nr_vectors == MICMEM_HW_VECTORS) the DMA channel 0 and
 * 1 sources go to vectors 0 and 1 through MXAR0/MXAR1 and clear
 * themselves on delivery (SIAC0), so a completion interrupt costs no
 * register access at all: the handler reads the channel's completion word
 * in host memory.  Every other source goes to vector 2; the driver enables
 * none of them yet, so that vector has nothing to handle and leaves them
 * alone.  With one vector (MSI or INTx) every interrupt reads SICR0,
 * acknowledges the sources the driver enabled (the only ones that can
 * assert the line) and rewrites the enable mask, the B0+ workaround
 * (C.8 #6).  With MSI-X and auto-clear the workaround
 * is not applied: nothing is left to re-arm, and rewriting SICE0 would put
 * a register access back on every completion.  Whether real B0+ cards
 * need it with MSI-X is not known (no card to test on).
 *
 * The per-channel DCAR mask/unmask with read-back that MPSS does on every
 * interrupt (C.8 #3) is not done either: mainline does not do it for
 * host-owned channels.
 */
#include "mgmt.h"

#define MIC_IRQ_DMA_SOURCES	(MIC_INT_DMA(0) | MIC_INT_DMA(1))
/* PCI revision id of the B0 stepping (doc/x100-hardware.md B.6) */
#define MIC_REVISION_B0		0x10
#define MIC_IRQ_OTHER_SOURCES	(GENMASK(3, 0) | (MIC_INT_DMA_MASK & \
				 ~MIC_IRQ_DMA_SOURCES) | MIC_INT_SBOX_ERR)

static bool mic_irq_msix(struct mic_x100 *card)
{
	return card->hw->nr_vectors >= MICMEM_HW_VECTORS;
}

/* Route and enable the channel interrupts; process context. */
void mic_irq_start(struct mic_x100 *card)
{
	if (mic_irq_msix(card)) {
		mic_wr(card, MIC_MXAR(0), MIC_INT_DMA(0));
		mic_wr(card, MIC_MXAR(1), MIC_INT_DMA(1));
		mic_wr(card, MIC_MXAR(2), MIC_IRQ_OTHER_SOURCES);
		mic_wr(card, MIC_SIAC0, MIC_IRQ_DMA_SOURCES);
	}
	mic_wr(card, MIC_SICE0, MIC_IRQ_DMA_SOURCES);
}

void mic_irq_stop(struct mic_x100 *card)
{
	mic_wr(card, MIC_SICC0, MIC_IRQ_DMA_SOURCES);
	if (mic_irq_msix(card))
		mic_wr(card, MIC_SIAC0, 0);
}

/* Hard-irq context, under rcu_read_lock() (see micmem_card_interrupt). */
irqreturn_t mic_irq_handle(struct mic_x100 *card, unsigned int vector)
{
	unsigned int ch;
	u32 sicr;

	if (mic_irq_msix(card)) {
		if (vector >= MIC_DMA_NR_CHANS)
			return IRQ_NONE;
		mic_dma_chan_interrupt(&card->dma.chan[vector]);
		return IRQ_HANDLED;
	}

	sicr = mic_rd(card, MIC_SICR0);
	if (sicr == ~0U)		/* the card is gone */
		return IRQ_NONE;
	sicr &= MIC_IRQ_DMA_SOURCES;
	if (!sicr)
		return IRQ_NONE;
	mic_wr(card, MIC_SICR0, sicr);
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++)
		if (sicr & MIC_INT_DMA(ch))
			mic_dma_chan_interrupt(&card->dma.chan[ch]);
	if (card->hw->revision >= MIC_REVISION_B0)
		mic_wr(card, MIC_SICE0, MIC_IRQ_DMA_SOURCES);
	return IRQ_HANDLED;
}
