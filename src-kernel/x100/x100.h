/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x100 card code as the driver core sees it: probe and remove, and the
 * card-management operations behind /sys/class/mic/micN.
 */
#ifndef _MICMEM_X100_H
#define _MICMEM_X100_H

#include <linux/types.h>

#include "state.h"

struct micmem_card;

/*
 * Called by micmem_card_add() before the class device exists, and by
 * micmem_card_remove() once interrupt handlers are done (after the RCU
 * grace period), before the class device goes away.
 */
int mic_x100_probe(struct micmem_card *card);
void mic_x100_remove(struct micmem_card *card);

/*
 * Requests written to the "state" attribute.  Each returns once the
 * operation has started (or with -errno when it cannot start); the outcome
 * shows in card->state and mgmt.last_error.
 */
int mic_x100_boot(struct micmem_card *card, const char *path);
int mic_x100_reset(struct micmem_card *card, bool force);
int mic_x100_shutdown(struct micmem_card *card);

/* Post code register (DBOX 0x242c). */
u32 mic_postcode_read(struct micmem_card *card);
int mic_postcode_format(u32 code, char *buf);
const char *mic_postcode_meaning(u32 code);

/* PCI revision id -> "A0", "B0", "B1", "C0", or NULL. */
const char *mic_stepping_name(u8 revision);

#endif /* _MICMEM_X100_H */
