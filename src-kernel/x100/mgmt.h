/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Card management internals shared by x100/state.c, reset.c, boot.c,
 * postcode.c, device.c and sysfs.c.  Functions marked "locked" expect
 * card->state_lock held.
 */
#ifndef _MICMEM_X100_MGMT_H
#define _MICMEM_X100_MGMT_H

#include <linux/types.h>

#include "card.h"

/* state.c */
const char *mic_state_name(enum mic_state state);
void mic_state_set(struct mic_x100 *card, enum mic_state state, int err);
int mic_state_enter_up(struct mic_x100 *card, enum mic_state state);
void mic_state_fail(struct mic_x100 *card, enum mic_state state,
		    u32 postcode, int err);			/* locked */
void mic_state_lost(struct mic_x100 *card);
bool mic_card_responding(struct mic_x100 *card, u32 *postcode,
			 u32 *scratch2);
bool mic_op_poll_done(struct mic_x100 *card, enum mic_state up,
		      u32 *postcode);				/* locked */
void mic_state_schedule(struct mic_x100 *card, unsigned int ms);
void mic_health_start(struct mic_x100 *card);
void mic_op_work(struct work_struct *work);
void mic_health_work(struct work_struct *work);

/*
 * Requests written to the "state" attribute (sysfs.c).  Each returns once
 * the operation has started (or with -errno when it cannot start); the
 * outcome shows in card->state and mgmt.last_error.
 */
int mic_x100_boot(struct mic_x100 *card, const char *name);
int mic_x100_reset(struct mic_x100 *card, bool force);
int mic_x100_shutdown(struct mic_x100 *card);

/* reset.c */
void mic_reset_begin(struct mic_x100 *card);		/* locked */
void mic_reset_poll(struct mic_x100 *card);		/* locked */
void mic_reset_wait_ready(struct mic_x100 *card);	/* locked */

/* boot.c */
void mic_boot_poll(struct mic_x100 *card);		/* locked */

/* postcode.c: the post code register (DBOX 0x242c) */
u32 mic_postcode_read(struct mic_x100 *card);
int mic_postcode_format(u32 code, char *buf);
const char *mic_postcode_meaning(u32 code);
bool mic_postcode_is_failure(u32 code);

/* device.c */
const char *mic_stepping_name(u8 revision);	/* "A0".."C0" or NULL */
void mic_card_read_memsize(struct mic_x100 *card);	/* locked */

#endif /* _MICMEM_X100_MGMT_H */
