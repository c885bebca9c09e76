/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Splitting a batch of user transfers into x100 MEMCOPY descriptors.
 * Pure logic (no locks, no allocation, no hardware): compiled into the
 * driver and, with a shim for the kernel types, into the host unit tests.
 */
#ifndef _MICMEM_X100_SPLIT_H
#define _MICMEM_X100_SPLIT_H

#include <linux/types.h>
#include <linux/micmem.h>

#include "../include/x100/desc.h"

/* The driver owns the host channels 0 and 1 of every card (x100.h too). */
#define MIC_DMA_NR_CHANS	2

/* Largest MEMCOPY the driver issues (doc/x100-hardware.md C.1, C.8 #9). */
#define MIC_SPLIT_MAX		MIC_DMA_MAX_XFER_HOST

/**
 * struct mic_split_sink - where the descriptors of one channel go
 * @ring:	descriptor ring, or NULL to only count
 * @xfer:	per ring slot, the index of the transfer the descriptor
 *		belongs to (needed with @ring)
 * @size:	slots in @ring (the fill position wraps at @size)
 * @pos:	in: first slot to fill; out: slot after the last one filled
 * @count:	out: descriptors emitted (added to the value on entry)
 * @bytes:	out: bytes those descriptors copy (added as well)
 */
struct mic_split_sink {
	struct mic_desc *ring;
	u32 *xfer;
	u32 size;
	u32 pos;
	u32 count;
	u64 bytes;
};

/*
 * Emit MEMCOPY descriptors for @n validated transfers: one descriptor per
 * piece of at most MIC_SPLIT_MAX bytes that never crosses a pool chunk
 * (2 MiB) boundary.  @chunk_addr[i] is the card-side (SMPT window) address
 * of pool chunk i.  Transfers on MICMEM_CHAN_AUTO are striped over the
 * channels one chunk piece at a time, the first piece of the batch on
 * channel @auto_first.  Running it twice with the same arguments produces
 * the same split, so a counting pass (@ring NULL) sizes the filling pass.
 */
void mic_split(const struct micmem_xfer *xfers, u32 n, const u64 *chunk_addr,
	       unsigned int auto_first,
	       struct mic_split_sink sink[MIC_DMA_NR_CHANS]);

#endif /* _MICMEM_X100_SPLIT_H */
