/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x100 DMA channels as the card-state code drives them.
 *
 * Placeholder written by the card-management side so that both sides
 * build; the DMA data path replaces these bodies with the real ones.
 */
#ifndef _MICMEM_X100_DMA_H
#define _MICMEM_X100_DMA_H

struct micmem_card;

/* Allocate per-card DMA state (rings, completion words); no MMIO. */
static inline int mic_dma_probe(struct micmem_card *card)
{
	return 0;
}

/* Free what mic_dma_probe() allocated; channels are already stopped. */
static inline void mic_dma_remove(struct micmem_card *card)
{
}

/*
 * Program SMPT, DCR and channels 0 and 1, enable interrupts.  Called with
 * card->state_lock held whenever the card enters ready or online, before
 * the state changes (so no submit sees the new state before this ran).
 */
static inline int mic_dma_start(struct micmem_card *card)
{
	return 0;
}

/*
 * Quiesce the channels and fail every in-flight batch with @err
 * (-ECANCELED on reset/boot, -ENODEV on loss or removal); submits fail
 * until the next mic_dma_start().  Called after the state changed, with
 * card->state_lock held (except from remove); may be called twice in a
 * row; must not wait unboundedly for a card that no longer answers.
 */
static inline void mic_dma_stop(struct micmem_card *card, int err)
{
}

#endif /* _MICMEM_X100_DMA_H */
