/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One card as the x100 code sees it, private to x100/: the core holds a
 * pointer to it (x100.h) and nothing more.
 */
#ifndef _MICMEM_X100_CARD_H
#define _MICMEM_X100_CARD_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "../include/micmem_hw.h"
#include "dma.h"
#include "state.h"

/**
 * struct mic_x100 - the x100 side of one card
 * @hw:		the glue's card (register access, DMA device); valid from
 *		mic_x100_probe() until mic_x100_remove() returns
 * @id:		N of /sys/class/mic/micN, for log messages
 * @dev:	the class device, NULL until mic_x100_set_dev(); the state
 *		code notifies "state" through it
 * @state_lock:	mutex (process context: the state attribute's writes, the
 *		op and health works, probe and remove; never on DMA paths).
 *		@state and @mgmt change only under it.
 * @state:	enum mic_state; readers that only need a snapshot use
 *		READ_ONCE()
 * @mgmt:	card management (state.h)
 * @dma:	the DMA channels (dma.h)
 */
struct mic_x100 {
	struct micmem_hw *hw;
	int id;
	struct device *dev;
	struct mutex state_lock;	/* see above */
	enum mic_state state;
	struct mic_mgmt mgmt;
	struct mic_dma dma;
};

/* PCI revision id of the B0 stepping (doc/x100-hardware.md B.6) */
#define MIC_REVISION_B0		0x10

/* B0 or a later stepping: the B0+ workarounds apply (C.8 #6, #7). */
static inline bool mic_b0_or_later(struct mic_x100 *card)
{
	return card->hw->revision >= MIC_REVISION_B0;
}

static inline u32 mic_rd(struct mic_x100 *card, u32 off)
{
	return card->hw->ops->read32(card->hw, off);
}

static inline void mic_wr(struct mic_x100 *card, u32 off, u32 val)
{
	card->hw->ops->write32(card->hw, off, val);
}

#endif /* _MICMEM_X100_CARD_H */
