/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hang check's progress test (dma_recovery.c).  Pure: compiled into
 * the driver and into the host unit tests (tests/unit/dma_logic.c).
 */
#ifndef _MICMEM_X100_HANG_H
#define _MICMEM_X100_HANG_H

#include <linux/types.h>

/**
 * struct mic_dma_hang - what the previous hang check of a channel saw
 * @seen:	a check of the current busy period recorded @dstat and @seq
 * @dstat:	DSTAT (the engine's completion count) at that check
 * @seq:	the completion word at that check
 *
 * Both values are kept and compared on their own: a combination of the two
 * (an XOR once) can stay the same while both move.
 */
struct mic_dma_hang {
	bool seen;
	u32 dstat;
	u64 seq;
};

/*
 * A new busy period starts (submit armed the check, or the channel went
 * idle): nothing seen yet.
 */
static inline void mic_dma_hang_restart(struct mic_dma_hang *h)
{
	h->seen = false;
}

/*
 * One check of a busy channel that reads @dstat and @seq: true when
 * neither moved since the previous check of the same busy period, i.e.
 * the channel is hung and must be reset (which starts a new period).
 */
static inline bool mic_dma_hang_check(struct mic_dma_hang *h, u32 dstat,
				      u64 seq)
{
	bool hung = h->seen && dstat == h->dstat && seq == h->seq;

	h->seen = !hung;
	h->dstat = dstat;
	h->seq = seq;
	return hung;
}

#endif /* _MICMEM_X100_HANG_H */
