// SPDX-License-Identifier: GPL-2.0
/*
 * Host interrupts of the card (doc/x100-hardware.md B.5): routing,
 * enabling, the per-interrupt workarounds and dispatch.
 *
 * With MSI-X (hw->nr_vectors == MICMEM_HW_VECTORS) the DMA channel 0 and
 * 1 sources go to vectors 0 and 1 through MXAR0/MXAR1 and clear
 * themselves on delivery (SIAC0); every other source goes to vector 2,
 * which has nothing to handle (the driver enables none of them).  With
 * one vector (MSI or INTx) both DMA sources are routed to MXAR entry 0 as
 * mainline does (B.5 step 1), and every interrupt reads SICR0 and
 * acknowledges the DMA sources it found (B.5 step 2).
 *
 * After every DMA interrupt, in every mode, come the stepping workarounds
 * of B.5 step 3 (mainline's intr_workarounds):
 *  - B0 and later: enable the DMA sources again, SICE0 and with MSI-X
 *    SIAC0 (doc/x100-hardware.md C.8 #6); the card sends nothing more
 *    for a delivered source until then;
 *  - A0: write 1 to MSIXPBACR to clear the MSI-X pending bits (C.8 #5).
 * Mainline reads SICE0 and SIAC0 and ORs its bits in.  The driver WRITES
 * its bits without reading: a read crosses PCIe and back (a non-posted
 * transaction of a microsecond or more, stalling the CPU in hard-irq
 * context on every completion), and it would tell nothing new.  SICE0
 * sets the enable bits written as 1 and leaves the others (SICC0 clears),
 * and SIAC0 holds exactly the DMA sources the driver set at start: the
 * driver is the only one that enables host sources, so the value written
 * is the value mainline's read-OR would produce.  The re-arm comes before
 * the completion word is read, so a completion the card signals while the
 * write is on its way is either seen in memory now or interrupts again.
 *
 * Cost per DMA interrupt (doc/performance.md): MSI-X B0+ 2 writes (SICE0,
 * SIAC0), MSI-X A0 1 write (MSIXPBACR); one vector: 1 read (SICR0) and 1
 * write (SICR0) plus SICE0 on B0+ or MSIXPBACR on A0.
 *
 * The per-channel DCAR mask/unmask with read-back that MPSS does on every
 * interrupt (C.8 #3) is not done: mainline does not do it for host-owned
 * channels.
 */
#include "mgmt.h"

#define MIC_IRQ_DMA_SOURCES	(MIC_INT_DMA(0) | MIC_INT_DMA(1))
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
	} else {
		/* MSI: the sources still need their MXAR entry (B.5 step 1) */
		mic_wr(card, MIC_MXAR(0), MIC_IRQ_DMA_SOURCES);
	}
	mic_wr(card, MIC_SICE0, MIC_IRQ_DMA_SOURCES);
}

void mic_irq_stop(struct mic_x100 *card)
{
	mic_wr(card, MIC_SICC0, MIC_IRQ_DMA_SOURCES);
	if (mic_irq_msix(card))
		mic_wr(card, MIC_SIAC0, 0);
}

/*
 * B.5 step 3 after a DMA interrupt, hard-irq context: writes only, see
 * the top of this file.
 */
static void mic_irq_workarounds(struct mic_x100 *card, bool msix)
{
	if (mic_b0_or_later(card)) {
		mic_wr(card, MIC_SICE0, MIC_IRQ_DMA_SOURCES);
		if (msix)
			mic_wr(card, MIC_SIAC0, MIC_IRQ_DMA_SOURCES);
	} else {
		mic_wr(card, MIC_MSIXPBACR, 1);
	}
}

/* Hard-irq context, under rcu_read_lock() (see micmem_card_interrupt). */
irqreturn_t mic_irq_handle(struct mic_x100 *card, unsigned int vector)
{
	unsigned int ch;
	u32 sicr;

	if (mic_irq_msix(card)) {
		if (vector >= MIC_DMA_NR_CHANS)
			return IRQ_NONE;
		mic_irq_workarounds(card, true);
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
	mic_irq_workarounds(card, false);
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++)
		if (sicr & MIC_INT_DMA(ch))
			mic_dma_chan_interrupt(&card->dma.chan[ch]);
	return IRQ_HANDLED;
}
