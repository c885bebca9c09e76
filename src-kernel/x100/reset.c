// SPDX-License-Identifier: GPL-2.0
/*
 * Reset (doc/x100-hardware.md D.4): clear SCRATCH2 so a stale "ready" is not
 * seen, set RGCR bit 0, leave the card alone for reset_settle_ms, then poll
 * SCRATCH2 bit 0 until the bootstrap reports ready.  Post code "F2"/"F4"
 * (GDDR training / memory preservation failed) re-issues the reset, as
 * MPSS did; other failure codes, a post code of 0 once
 * MIC_RESET_POSTCODE0_GRACE_MS passed since the reset (before that 0 may
 * be the register's value early in a reset, as MPSS allows: D.4 step 4),
 * or the timeout end in "reset failed"; all-ones means the card is lost.
 *
 * The request returns once the reset is issued; the op work (state.c)
 * polls from then on, so no sysfs writer and no lock waits for the card.
 */
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>

#include "../include/x100/regs.h"
#include "limits.h"
#include "mgmt.h"

/* Defaults follow doc/x100-hardware.md D.4: >= 1 s settle, 1 s polls, 300 s. */
static unsigned int reset_settle_ms = 1000;
module_param(reset_settle_ms, uint, 0644);
MODULE_PARM_DESC(reset_settle_ms,
		 "Time to leave a card alone after triggering a reset, ms");

static unsigned int reset_poll_ms = 1000;
module_param(reset_poll_ms, uint, 0644);
MODULE_PARM_DESC(reset_poll_ms, "Poll period while a reset runs, ms");

static unsigned int reset_timeout_ms = 300000;
module_param(reset_timeout_ms, uint, 0644);
MODULE_PARM_DESC(reset_timeout_ms,
		 "Time a reset may take after the settle delay, ms");

static unsigned int reset_retries = 2;
module_param(reset_retries, uint, 0644);
MODULE_PARM_DESC(reset_retries,
		 "Resets re-issued when the bootstrap posts F2 or F4");

static void mic_reset_issue(struct mic_x100 *card)
{
	unsigned int settle = READ_ONCE(reset_settle_ms);
	u32 rgcr;

	card->mgmt.resets++;
	mic_wr(card, MIC_SCRATCH(2), 0);
	rgcr = mic_rd(card, MIC_RGCR);
	if (rgcr == MIC_POSTCODE_LOST)	/* not answering: set only our bit */
		rgcr = 0;
	mic_wr(card, MIC_RGCR, rgcr | MIC_RGCR_RESET);
	card->mgmt.reset_at = jiffies;
	card->mgmt.deadline = jiffies +
		msecs_to_jiffies(settle + READ_ONCE(reset_timeout_ms));
	mic_state_schedule(card, settle);
}

/* Cancel DMA and any boot in progress, then reset.  Locked. */
void mic_reset_begin(struct mic_x100 *card)
{
	lockdep_assert_held(&card->state_lock);

	mic_state_set(card, MIC_STATE_RESETTING, 0);
	mic_dma_stop(card, -ECANCELED);
	card->mgmt.resets = 0;
	mic_reset_issue(card);
}

/*
 * At probe: the bootstrap is still running from power-on (no ready bit, no
 * failure yet).  Wait for it like for a reset we issued.  Locked.
 */
void mic_reset_wait_ready(struct mic_x100 *card)
{
	lockdep_assert_held(&card->state_lock);

	mic_state_set(card, MIC_STATE_RESETTING, 0);
	card->mgmt.resets = 1;
	card->mgmt.reset_at = jiffies;
	card->mgmt.deadline = jiffies +
		msecs_to_jiffies(READ_ONCE(reset_timeout_ms));
	mic_state_schedule(card, READ_ONCE(reset_poll_ms));
}

/* One poll of a running reset (op work).  Locked. */
void mic_reset_poll(struct mic_x100 *card)
{
	u32 postcode;

	if (mic_op_poll_done(card, MIC_STATE_READY, &postcode))
		return;
	if (postcode == MIC_POSTCODE_F2 || postcode == MIC_POSTCODE_F4) {
		if (card->mgmt.resets <= READ_ONCE(reset_retries)) {
			dev_warn(card->hw->dev, "mic%d: reset %u: post code %s, resetting again\n",
				 card->id, card->mgmt.resets,
				 postcode == MIC_POSTCODE_F2 ? "F2" : "F4");
			mic_reset_issue(card);
			return;
		}
		mic_state_fail(card, MIC_STATE_RESET_FAILED, postcode, -EIO);
		return;
	}
	if (postcode == MIC_POSTCODE_NONE &&
	    !mic_reset_postcode0_fails(jiffies_to_msecs(jiffies -
						       card->mgmt.reset_at))) {
		mic_state_schedule(card, READ_ONCE(reset_poll_ms));
		return;
	}
	if (postcode == MIC_POSTCODE_NONE || mic_postcode_is_failure(postcode)) {
		mic_state_fail(card, MIC_STATE_RESET_FAILED, postcode, -EIO);
		return;
	}
	if (time_after(jiffies, card->mgmt.deadline)) {
		mic_state_fail(card, MIC_STATE_RESET_FAILED, postcode,
			       -ETIMEDOUT);
		return;
	}
	mic_state_schedule(card, READ_ONCE(reset_poll_ms));
}

/* "reset" and "reset:force" written to the state attribute. */
int mic_x100_reset(struct mic_x100 *card, bool force)
{
	int ret = 0;

	mutex_lock(&card->state_lock);
	if (card->mgmt.removed) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (!force) {
		switch (card->state) {
		case MIC_STATE_READY:
			ret = -EALREADY;
			goto out_unlock;
		case MIC_STATE_BOOTING:
		case MIC_STATE_RESETTING:
			ret = -EBUSY;
			goto out_unlock;
		case MIC_STATE_LOST:
			ret = -ENODEV;
			goto out_unlock;
		default:
			break;
		}
	}
	mic_reset_begin(card);
out_unlock:
	mutex_unlock(&card->state_lock);
	return ret;
}

/*
 * "shutdown": there is no card OS protocol for an orderly stop in a bare
 * DMA driver (doc/x100-hardware.md D.4): it stops DMA and resets the card to
 * ready; on a card that is ready already it does nothing.
 */
int mic_x100_shutdown(struct mic_x100 *card)
{
	int ret = 0;

	mutex_lock(&card->state_lock);
	if (card->mgmt.removed) {
		ret = -ENODEV;
		goto out_unlock;
	}
	switch (card->state) {
	case MIC_STATE_READY:
		break;
	case MIC_STATE_BOOTING:
	case MIC_STATE_RESETTING:
		ret = -EBUSY;
		break;
	case MIC_STATE_LOST:
		ret = -ENODEV;
		break;
	default:
		mic_reset_begin(card);
		break;
	}
out_unlock:
	mutex_unlock(&card->state_lock);
	return ret;
}
