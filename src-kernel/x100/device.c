// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing a card under card management at probe and releasing it at
 * remove; identity read from the card (stepping, GDDR size).
 */
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "../include/x100/regs.h"
#include "mgmt.h"
#include "x100.h"

/* PCI revision id -> stepping (doc/x100-hardware.md B.6, as mainline). */
const char *mic_stepping_name(u8 revision)
{
	switch (revision) {
	case 0x00:
		return "A0";
	case 0x10:
		return "B0";
	case 0x11:
		return "B1";
	case 0x20:
		return "C0";
	default:
		return NULL;
	}
}

/*
 * Usable GDDR from SCRATCH0 (doc/x100-hardware.md B.6): bits 31:3 KiB,
 * bits 2:1 how much of it is used (all, half, a third, a quarter).  Valid
 * once the bootstrap is ready.  Locked.
 */
void mic_card_read_memsize(struct mic_x100 *card)
{
	u32 v = mic_rd(card, MIC_SCRATCH(0));
	u64 bytes;

	lockdep_assert_held(&card->state_lock);
	if (v == MIC_POSTCODE_LOST)
		return;
	bytes = (u64)MIC_SCRATCH0_MEMSIZE_KB(v) * SZ_1K;
	card->mgmt.memsize = div_u64(bytes, MIC_SCRATCH0_MEMUSAGE(v) + 1);
}

/*
 * The state a card is in when the driver finds it.  A card that is
 * running an image (post code "FF" with SCRATCH2 bit 0) is online, e.g.
 * after the driver was reloaded; a bootstrap still on its way from
 * power-on is waited for; a card in any failure is reset.  Locked.
 */
static void mic_x100_find_state(struct mic_x100 *card)
{
	u32 postcode, scratch2;

	if (!mic_card_responding(card, &postcode, &scratch2)) {
		dev_err(card->hw->dev, "mic%d: card not responding\n", card->id);
		mic_state_set(card, MIC_STATE_LOST, -ENODEV);
	} else if (scratch2 & MIC_SCRATCH2_READY) {
		mic_state_enter_up(card, postcode == MIC_POSTCODE_DONE ?
				   MIC_STATE_ONLINE : MIC_STATE_READY);
	} else if (postcode == MIC_POSTCODE_DONE ||
		   mic_postcode_is_failure(postcode)) {
		mic_reset_begin(card);
	} else {
		mic_reset_wait_ready(card);
	}
}

/* No unwinding needed past mic_dma_probe(): the rest cannot fail. */
struct mic_x100 *mic_x100_probe(struct micmem_hw *hw, int id)
{
	struct mic_x100 *card;
	int ret;

	card = kzalloc(sizeof(*card), GFP_KERNEL);
	if (!card)
		return ERR_PTR(-ENOMEM);
	card->hw = hw;
	card->id = id;
	mutex_init(&card->state_lock);
	INIT_DELAYED_WORK(&card->mgmt.op_work, mic_op_work);
	INIT_DELAYED_WORK(&card->mgmt.health_work, mic_health_work);
	/* not a state: mic_x100_find_state() sets the first one */
	card->state = MIC_STATE_COUNT;

	ret = mic_dma_probe(card);
	if (ret) {
		kfree(card);
		return ERR_PTR(ret);
	}

	mutex_lock(&card->state_lock);
	mic_x100_find_state(card);
	mutex_unlock(&card->state_lock);

	mic_health_start(card);
	return card;
}

/* From now on state changes are notified through @dev ("state"). */
void mic_x100_set_dev(struct mic_x100 *card, struct device *dev)
{
	WRITE_ONCE(card->dev, dev);
}

/*
 * Runs before the class device goes away, so sysfs callbacks may still
 * come in until micmem_card_remove() unregisters it: they find "removed"
 * under state_lock and fail with -ENODEV.  The lock itself lives until
 * mic_x100_free().
 */
void mic_x100_remove(struct mic_x100 *card)
{
	mutex_lock(&card->state_lock);
	WRITE_ONCE(card->mgmt.removed, true);
	if (card->state != MIC_STATE_LOST)
		mic_state_set(card, MIC_STATE_LOST, -ENODEV);
	kfree(card->mgmt.image);
	card->mgmt.image = NULL;
	mutex_unlock(&card->state_lock);

	/* the works see "removed" and do not re-arm */
	cancel_delayed_work_sync(&card->mgmt.op_work);
	cancel_delayed_work_sync(&card->mgmt.health_work);

	mic_dma_stop(card, -ENODEV);
	mic_dma_remove(card);
}

/* After mic_x100_remove(), once nothing can reach @card any more. */
void mic_x100_free(struct mic_x100 *card)
{
	mutex_destroy(&card->state_lock);
	kfree(card);
}
