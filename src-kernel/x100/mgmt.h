/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Card management internals shared by x100/state.c, reset.c, boot.c,
 * postcode.c and device.c.  Functions marked "locked" expect
 * card->state_lock held.
 */
#ifndef _MICMEM_X100_MGMT_H
#define _MICMEM_X100_MGMT_H

#include <linux/types.h>

#include "../core/micmem.h"
#include "state.h"

static inline u32 mic_rd(struct micmem_card *card, u32 off)
{
	return card->hw->ops->read32(card->hw, off);
}

static inline void mic_wr(struct micmem_card *card, u32 off, u32 val)
{
	card->hw->ops->write32(card->hw, off, val);
}

/* state.c */
void mic_state_set(struct micmem_card *card, enum mic_state state, int err);
int mic_state_enter_up(struct micmem_card *card, enum mic_state state);
void mic_state_lost(struct micmem_card *card);
void mic_state_schedule(struct micmem_card *card, unsigned int ms);
void mic_health_start(struct micmem_card *card);
void mic_op_work(struct work_struct *work);
void mic_health_work(struct work_struct *work);

/* reset.c */
void mic_reset_begin(struct micmem_card *card);		/* locked */
void mic_reset_poll(struct micmem_card *card);		/* locked */
void mic_reset_wait_ready(struct micmem_card *card);	/* locked */

/* boot.c */
void mic_boot_poll(struct micmem_card *card);		/* locked */

/* postcode.c */
bool mic_postcode_is_failure(u32 code);

/* device.c */
void mic_card_read_memsize(struct micmem_card *card);	/* locked */

#endif /* _MICMEM_X100_MGMT_H */
