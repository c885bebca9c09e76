/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hang check's progress test (dma_recovery.c) and the quiesce test of
 * a disabled channel (dma.c).  Pure: compiled into the driver and into
 * the host unit tests (tests/unit/dma_logic.c).
 */
#ifndef _MICMEM_X100_HANG_H
#define _MICMEM_X100_HANG_H

#include <linux/types.h>

#include "../include/x100/regs.h"

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

/*
 * Reads in a row, one per millisecond, over which DSTAT and DTPR of a
 * disabled channel must not change for it to count as quiet when
 * nothing else says so: ten times what the longest MEMCOPY the driver
 * writes (512 KiB) takes at PCIe gen2 speed.
 */
#define MIC_DMA_QUIET_READS	10

/**
 * struct mic_dma_quiet - a quiesce wait in progress (doc/x100-hardware.md C.9)
 * @seen:	@dstat and @dtpr hold a previous read
 * @stable:	reads in a row that found both unchanged
 * @dstat:	DSTAT at the previous read
 * @dtpr:	DTPR at the previous read
 */
struct mic_dma_quiet {
	bool seen;
	unsigned int stable;
	u32 dstat;
	u32 dtpr;
};

/*
 * One look at a disabled channel (C.9 step 3): true once it is quiet.
 * DSTAT bit 29 is taken as a hint only, since no source says the chip sets
 * it on a disabled, idle channel (G.18); without it the channel is quiet
 * when the engine completed everything it was handed (DSTAT's count and
 * DTPR both at @dhpr), or when DSTAT and DTPR stayed unchanged over
 * MIC_DMA_QUIET_READS reads (a stopped or stalled engine).  A card that
 * reads all-ones has bit 29 set: quiet at once.
 */
static inline bool mic_dma_quiet_check(struct mic_dma_quiet *q, u32 dstat,
				       u32 dtpr, u32 dhpr)
{
	if (dstat & MIC_DSTAT_QUIESCE)
		return true;
	if ((dstat & MIC_DSTAT_CMP_CNT) == (dhpr & MIC_DSTAT_CMP_CNT) &&
	    (dtpr & MIC_DSTAT_CMP_CNT) == (dhpr & MIC_DSTAT_CMP_CNT))
		return true;
	if (q->seen && dstat == q->dstat && dtpr == q->dtpr)
		q->stable++;
	else
		q->stable = 0;
	q->seen = true;
	q->dstat = dstat;
	q->dtpr = dtpr;
	return q->stable >= MIC_DMA_QUIET_READS;
}

/*
 * Channel (re)programming, after the ring was written (C.4, G.17): the
 * hardware reads @dtpr and @dhpr.  Returns true when DHPR must be written
 * with *@val while the channel is still disabled, so that nothing lies
 * between the engine's tail and head: DTPR's value, or 0 when DTPR lies
 * beyond a ring of @size (a stale index from a bigger ring).  Never asks
 * for the value DHPR already holds (erratum C.8 #1).
 */
static inline bool mic_dma_head_fix(u32 dtpr, u32 dhpr, u32 size, u32 *val)
{
	*val = dtpr < size ? dtpr : 0;
	return dhpr != *val;
}

#endif /* _MICMEM_X100_HANG_H */
