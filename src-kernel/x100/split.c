// SPDX-License-Identifier: GPL-2.0
/*
 * Splitting user transfers into MEMCOPY descriptors; see split.h.
 */
#include "split.h"

static void mic_split_emit(struct mic_split_sink *s, u64 src, u64 dst,
			   u64 len, u32 xfer)
{
	if (s->ring) {
		s->ring[s->pos] = mic_desc_memcopy(src, dst, len);
		s->xfer[s->pos] = xfer;
		s->pos = mic_ring_next(s->pos, s->size);
	}
	s->count++;
	s->bytes += len;
}

void mic_split(const struct micmem_xfer *xfers, u32 n, const u64 *chunk_addr,
	       unsigned int auto_first,
	       struct mic_split_sink sink[MIC_DMA_NR_CHANS])
{
	unsigned int stripe = auto_first;
	u32 i;

	for (i = 0; i < n; i++) {
		const struct micmem_xfer *x = &xfers[i];
		u64 off = x->pool_offset, card = x->card_addr;
		u64 left = x->length;

		while (left) {
			u64 in = off & (MICMEM_CHUNK_SIZE - 1);
			u64 piece = MICMEM_CHUNK_SIZE - in;
			u64 host = chunk_addr[off >> MICMEM_CHUNK_SHIFT] + in;
			struct mic_split_sink *s;

			if (piece > left)
				piece = left;
			if (x->channel == MICMEM_CHAN_AUTO)
				s = &sink[stripe++ % MIC_DMA_NR_CHANS];
			else
				s = &sink[x->channel];
			off += piece;
			left -= piece;
			while (piece) {
				u64 len = piece < MIC_SPLIT_MAX ? piece : MIC_SPLIT_MAX;

				if (x->dir == MICMEM_DIR_TO_CARD)
					mic_split_emit(s, host, card, len, i);
				else
					mic_split_emit(s, card, host, len, i);
				host += len;
				card += len;
				piece -= len;
			}
		}
	}
}
