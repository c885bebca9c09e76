/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Card state machine, shared by real and simulated cards.
 *
 *            reset ok                 image reports (SCRATCH2 bit 0)
 *   resetting -------> ready --boot--> booting ------------------> online
 *      |  ^  F2/F4:      ^                | post code error,          |
 *      |  |  re-issue    |                | timeout                   |
 *      |  +--------------+----------------v---------------------------+
 *      |        reset (from any state but lost: reset:force)   boot failed
 *      v
 *   reset failed            any state --registers read all-ones--> lost
 *
 * card->state (struct mic_x100, card.h) changes only under
 * card->state_lock (a mutex, process context: sysfs writes, the card's op
 * and health works, probe and remove).  Readers that only need a snapshot
 * use READ_ONCE(card->state).
 * Lock order: state_lock, then whatever mic_dma_start/stop take; the DMA
 * code never takes state_lock.
 */
#ifndef _MICMEM_X100_STATE_H
#define _MICMEM_X100_STATE_H

#include <linux/types.h>
#include <linux/workqueue.h>

enum mic_state {
	MIC_STATE_READY,	/* bootstrap waits for an image ("12") */
	MIC_STATE_BOOTING,	/* image downloaded, waiting for it to report */
	MIC_STATE_ONLINE,	/* the image reported (SCRATCH2 bit 0) */
	MIC_STATE_BOOT_FAILED,	/* rejected, crashed or never reported */
	MIC_STATE_RESETTING,	/* reset issued, waiting for the bootstrap */
	MIC_STATE_RESET_FAILED,	/* bootstrap error or timeout */
	MIC_STATE_LOST,		/* registers read all-ones, or removed */
	MIC_STATE_COUNT,
};

/**
 * struct mic_mgmt - card management state next to card->state
 * @op_work:	drives the current reset or boot (state resetting or
 *		booting): each run polls the card once and re-arms itself
 * @health_work: reads the post code every health_ms; all-ones -> lost
 * @deadline:	jiffies by which the current reset or boot must finish
 * @resets:	resets issued for the current reset request (F2/F4 retries)
 * @reset_at:	jiffies when the last reset was issued (or, at probe, the
 *		wait for the bootstrap began)
 * @removed:	mic_x100_remove() ran: works stop, no more register access
 * @last_error:	0, or the -errno of the last reset or boot that failed
 * @memsize:	usable GDDR in bytes (SCRATCH0), read when the card is ready
 * @image:	firmware name of the image of the last boot request, or NULL
 *
 * All fields are protected by card->state_lock except @removed and
 * @last_error, which sysfs may also read with READ_ONCE.
 */
struct mic_mgmt {
	struct delayed_work op_work;
	struct delayed_work health_work;
	unsigned long deadline;
	unsigned int resets;
	unsigned long reset_at;
	bool removed;
	int last_error;
	u64 memsize;
	char *image;
};

#endif /* _MICMEM_X100_STATE_H */
