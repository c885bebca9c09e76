/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Validation of one struct micmem_xfer (doc/uapi.md, MICMEM_IOC_SUBMIT).
 * Pure: compiled into the driver and into the host unit tests.
 */
#ifndef _MICMEM_CORE_XFER_H
#define _MICMEM_CORE_XFER_H

#include <linux/errno.h>
#include <linux/types.h>
#include <linux/micmem.h>

/*
 * 0 if @x may be submitted against a pool of @pool_size bytes and a card
 * whose DMA window is [0, @window); -EINVAL for a malformed transfer
 * (flags, reserved, direction, channel, zero length, 64-byte alignment),
 * -ERANGE for one outside the pool or the window (overflow included).
 */
static inline int micmem_xfer_check(const struct micmem_xfer *x,
				    u64 pool_size, u64 window)
{
	if (x->flags & ~MICMEM_XFER_VALID_FLAGS)
		return -EINVAL;
	if (x->reserved)
		return -EINVAL;
	if (x->dir != MICMEM_DIR_TO_CARD && x->dir != MICMEM_DIR_FROM_CARD)
		return -EINVAL;
	if (x->channel > MICMEM_CHAN_AUTO)
		return -EINVAL;
	if (!x->length)
		return -EINVAL;
	if ((x->pool_offset | x->card_addr | x->length) &
	    (MICMEM_DMA_ALIGN - 1))
		return -EINVAL;
	if (x->pool_offset > pool_size || x->length > pool_size - x->pool_offset)
		return -ERANGE;
	if (x->card_addr > window || x->length > window - x->card_addr)
		return -ERANGE;
	return 0;
}

#endif /* _MICMEM_CORE_XFER_H */
