// SPDX-License-Identifier: GPL-2.0
/*
 * Card state: transitions, the DMA availability policy, the work that
 * drives resets and boots, and the health check that notices a card that
 * fell off the bus.  The state diagram is in state.h.
 */
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "../include/x100/regs.h"
#include "mgmt.h"
#include "x100.h"

static unsigned int health_ms = 500;
module_param(health_ms, uint, 0644);
MODULE_PARM_DESC(health_ms,
		 "Period of the card-lost check (one post code read), ms; 0 = off");

static const char * const mic_state_names[MIC_STATE_COUNT] = {
	[MIC_STATE_READY]		= "ready",
	[MIC_STATE_BOOTING]		= "booting",
	[MIC_STATE_ONLINE]		= "online",
	[MIC_STATE_BOOT_FAILED]		= "boot failed",
	[MIC_STATE_RESETTING]		= "resetting",
	[MIC_STATE_RESET_FAILED]	= "reset failed",
	[MIC_STATE_LOST]		= "lost",
};

const char *mic_state_name(enum mic_state state)
{
	if (state >= MIC_STATE_COUNT)
		return "invalid";
	return mic_state_names[state];
}

/*
 * Lockless: the DMA code calls it under its channel lock, and the state
 * code changes the state before it calls mic_dma_stop(), which takes that
 * lock.
 */
int mic_state_dma_check(struct mic_x100 *card)
{
	if (READ_ONCE(card->mgmt.removed))
		return -ENODEV;

	switch (READ_ONCE(card->state)) {
	case MIC_STATE_READY:
	case MIC_STATE_ONLINE:
		return 0;
	case MIC_STATE_BOOTING:
	case MIC_STATE_RESETTING:
		return -EBUSY;
	case MIC_STATE_BOOT_FAILED:
	case MIC_STATE_RESET_FAILED:
		return -EIO;
	default:
		return -ENODEV;
	}
}

/*
 * Set the state and the error that explains it (0 for the good states),
 * log the transition and wake poll()ers of the "state" attribute.  Callers
 * stop or start DMA around it (see mic_dma_stop/start in dma.h).
 */
void mic_state_set(struct mic_x100 *card, enum mic_state state, int err)
{
	enum mic_state old = card->state;
	struct device *dev;

	lockdep_assert_held(&card->state_lock);

	WRITE_ONCE(card->state, state);
	WRITE_ONCE(card->mgmt.last_error, err);
	if (old == MIC_STATE_COUNT) {		/* probe */
		dev_info(card->hw->dev, "mic%d: %s\n", card->id,
			 mic_state_name(state));
	} else if (old != state) {
		if (err)
			dev_info(card->hw->dev, "mic%d: %s -> %s (%pe)\n",
				 card->id, mic_state_name(old),
				 mic_state_name(state), ERR_PTR(err));
		else
			dev_info(card->hw->dev, "mic%d: %s -> %s\n", card->id,
				 mic_state_name(old), mic_state_name(state));
	}

	/* NULL until micmem_card_add() created the class device */
	dev = READ_ONCE(card->dev);
	if (dev)
		sysfs_notify(&dev->kobj, NULL, "state");
}

/*
 * A reset or boot ended in failure state @state (reset failed, boot
 * failed): log the post code and what it means, or the timeout, and enter
 * it with @err.  Locked.
 */
void mic_state_fail(struct mic_x100 *card, enum mic_state state,
		    u32 postcode, int err)
{
	char pc[3] = "--";

	mic_postcode_format(postcode, pc);
	dev_err(card->hw->dev, "mic%d: %s: post code %s (%s)%s\n",
		card->id, mic_state_name(state), pc,
		mic_postcode_meaning(postcode),
		err == -ETIMEDOUT ? ", timed out" : "");
	mic_state_set(card, state, err);
}

/*
 * Read the two registers every look at a resetting, booting or newly
 * found card starts with: the post code and SCRATCH2.  False when either
 * reads all-ones: the card fell off the bus.
 */
bool mic_card_responding(struct mic_x100 *card, u32 *postcode, u32 *scratch2)
{
	*postcode = mic_postcode_read(card);
	*scratch2 = mic_rd(card, MIC_SCRATCH(2));
	return *postcode != MIC_POSTCODE_LOST && *scratch2 != MIC_POSTCODE_LOST;
}

/*
 * The start of every poll of a resetting or booting card (op work): a
 * card that stopped responding is lost; one whose bootstrap (reset) or
 * image (boot) set SCRATCH2 bit 0 enters @up.  True when that ended the
 * poll, else *@postcode is the post code for the caller to judge.  Locked.
 */
bool mic_op_poll_done(struct mic_x100 *card, enum mic_state up,
		      u32 *postcode)
{
	u32 scratch2;

	lockdep_assert_held(&card->state_lock);

	if (!mic_card_responding(card, postcode, &scratch2)) {
		dev_err(card->hw->dev, "mic%d: card not responding while %s\n",
			card->id, mic_state_name(card->state));
		mic_state_lost(card);
		return true;
	}
	if (scratch2 & MIC_SCRATCH2_READY) {
		mic_state_enter_up(card, up);
		return true;
	}
	return false;
}

/*
 * Enter ready or online: start DMA first so that no submit sees the new
 * state before the channels run.  If DMA cannot start, the card is not
 * usable: it goes to the matching failure state instead.
 */
int mic_state_enter_up(struct mic_x100 *card, enum mic_state state)
{
	int ret;

	lockdep_assert_held(&card->state_lock);

	mic_card_read_memsize(card);
	ret = mic_dma_start(card);
	if (ret) {
		dev_err(card->hw->dev, "mic%d: DMA did not start: %pe\n",
			card->id, ERR_PTR(ret));
		mic_state_set(card, state == MIC_STATE_ONLINE ?
			      MIC_STATE_BOOT_FAILED : MIC_STATE_RESET_FAILED,
			      ret);
		return ret;
	}
	mic_state_set(card, state, 0);
	return 0;
}

/* The card stopped answering: fail its DMA with -ENODEV, end any op. */
void mic_state_lost(struct mic_x100 *card)
{
	lockdep_assert_held(&card->state_lock);

	if (card->state == MIC_STATE_LOST)
		return;
	mic_state_set(card, MIC_STATE_LOST, -ENODEV);
	/* op_work may be running and waiting for our lock: it sees "lost" */
	cancel_delayed_work(&card->mgmt.op_work);
	mic_dma_stop(card, -ENODEV);
}

/*
 * (Re)arm the op work to poll the card in @ms milliseconds, at least one:
 * a poll period of 0 written to a module parameter must not turn the
 * work into a busy loop.
 */
void mic_state_schedule(struct mic_x100 *card, unsigned int ms)
{
	lockdep_assert_held(&card->state_lock);

	if (!card->mgmt.removed)
		mod_delayed_work(system_wq, &card->mgmt.op_work,
				 msecs_to_jiffies(max(ms, 1U)));
}

void mic_op_work(struct work_struct *work)
{
	struct mic_x100 *card = container_of(to_delayed_work(work),
						struct mic_x100,
						mgmt.op_work);

	mutex_lock(&card->state_lock);
	if (!card->mgmt.removed) {
		if (card->state == MIC_STATE_RESETTING)
			mic_reset_poll(card);
		else if (card->state == MIC_STATE_BOOTING)
			mic_boot_poll(card);
	}
	mutex_unlock(&card->state_lock);
}

static void mic_health_arm(struct mic_x100 *card)
{
	unsigned int ms = READ_ONCE(health_ms);

	/* when off, look again later in case it is switched on */
	queue_delayed_work(system_wq, &card->mgmt.health_work,
			   msecs_to_jiffies(ms ? ms : 1000));
}

void mic_health_start(struct mic_x100 *card)
{
	mutex_lock(&card->state_lock);
	if (!card->mgmt.removed)
		mic_health_arm(card);
	mutex_unlock(&card->state_lock);
}

/*
 * A card that fell off the bus reads all-ones.  One post code read per
 * period, never on a DMA path.  Surprise removal itself goes through
 * micmem_card_remove(); this catches a card that is still registered but
 * no longer answers.
 */
void mic_health_work(struct work_struct *work)
{
	struct mic_x100 *card = container_of(to_delayed_work(work),
						struct mic_x100,
						mgmt.health_work);

	mutex_lock(&card->state_lock);
	if (card->mgmt.removed)
		goto out_unlock;
	if (READ_ONCE(health_ms) && card->state != MIC_STATE_LOST &&
	    mic_postcode_read(card) == MIC_POSTCODE_LOST) {
		dev_err(card->hw->dev, "mic%d: card not responding (registers read all-ones)\n",
			card->id);
		mic_state_lost(card);
	}
	mic_health_arm(card);
out_unlock:
	mutex_unlock(&card->state_lock);
}
