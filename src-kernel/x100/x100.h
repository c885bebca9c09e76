/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x100 card code as the driver core sees it: the ONLY x100 header the
 * core includes.  The core holds a struct mic_x100 per card as an opaque
 * handle; it never sees the register map, the card state or the channels.
 *
 *  - probe, remove and free of a card's x100 side;
 *  - the sysfs attributes of /sys/class/mic/micN (all of them x100's);
 *  - the DMA entry points the fd's batches use: availability, the card
 *    window, the card-side address of host memory, submission;
 *  - interrupt dispatch.
 */
#ifndef _MICMEM_X100_H
#define _MICMEM_X100_H

#include <linux/atomic.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct attribute_group;
struct device;
struct micmem_hw;
struct micmem_xfer;
struct mic_x100;

/* The driver owns the host channels 0 and 1 of every card (split.h too). */
#define MIC_DMA_NR_CHANS	2

/*
 * Probe: bring card @hw, number @id (the N of micN), under card
 * management: allocate the x100 state and the DMA rings, find the state
 * the card is in.  Returns the handle or an ERR_PTR().  Called before the
 * class device exists; mic_x100_set_dev() hands it over once it does.
 */
struct mic_x100 *mic_x100_probe(struct micmem_hw *hw, int id);
void mic_x100_set_dev(struct mic_x100 *x, struct device *dev);

/*
 * Remove: stop the works and the DMA channels, fail what is in flight with
 * -ENODEV; from then on no register is accessed.  Called once interrupt
 * handlers are done (after the RCU grace period), before the class device
 * goes away.  mic_x100_free() frees the handle when the core's card
 * structure goes, so sysfs callbacks still running during removal never
 * see freed memory.
 */
void mic_x100_remove(struct mic_x100 *x);
void mic_x100_free(struct mic_x100 *x);

/*
 * Attributes of /sys/class/mic/micN (doc/sysfs-class-mic); the class
 * device's drvdata must be the struct mic_x100.
 */
extern const struct attribute_group *mic_x100_groups[];

/*
 * DMA availability policy: 0 if the card may be attached and DMA
 * submitted (ready, online), else -EBUSY (booting, resetting), -EIO (boot
 * failed, reset failed) or -ENODEV (lost or removed).  Lockless.
 */
int mic_state_dma_check(struct mic_x100 *x);

/* Card window for card addresses, 0 while the DMA side is not set up. */
u64 mic_dma_window(struct mic_x100 *x);

/*
 * Card-side address at which the DMA engine reaches the host bus range
 * [@bus, @bus + @len): 0, or -ERANGE when the range is out of its reach.
 */
int mic_x100_dma_addr(u64 bus, u64 len, u64 *card_addr);

/**
 * struct mic_dma_part - what one batch put on one channel (x100's)
 * @node:	on the channel's in-flight list (under chan->lock)
 * @batch:	the batch
 * @seq:	sequence number (even) its last STATUS descriptor writes
 * @start:	first ring slot
 * @end:	slot after the last one (the STATUS pair)
 * @desc:	descriptors (MEMCOPY count + the STATUS pair)
 * @bytes:	bytes copied
 */
struct mic_dma_part {
	struct list_head node;
	struct mic_dma_batch *batch;
	u64 seq;
	u32 start;
	u32 end;
	u32 desc;
	u64 bytes;
};

/**
 * struct mic_dma_batch - a batch as the channels see it
 *
 * The caller embeds it (no allocation per submit) and fills the first
 * group before mic_dma_submit(); it reads the second group once
 * ->complete() ran.  The last group is the channels' bookkeeping: the
 * caller never touches it.
 *
 * @xfers:	the validated transfers (read during mic_dma_submit only)
 * @nr_xfers:	how many
 * @chunk_addr:	card-side address of each pool chunk (mic_x100_dma_addr())
 * @complete:	called once when the last part retired or failed, from any
 *		context including hard irq; must not sleep
 * @err_lock:	protects @error, @error_class and @failed_xfer, which
 *		record the failure of the lowest-numbered transfer; the
 *		caller initialises it and sets @failed_xfer to MICMEM_NO_XFER
 * @error:	0 or the negative errno the batch failed with
 * @error_class: MICMEM_ERR_*
 * @failed_xfer: index of the first failed transfer, MICMEM_NO_XFER if none
 * @pending:	parts not yet retired; the batch is complete at 0
 * @part:	one per channel; @part[ch].desc is 0 for an unused channel
 */
struct mic_dma_batch {
	const struct micmem_xfer *xfers;
	u32 nr_xfers;
	const u64 *chunk_addr;
	void (*complete)(struct mic_dma_batch *b);

	spinlock_t err_lock;		/* see above */
	int error;
	u32 error_class;
	u32 failed_xfer;

	atomic_t pending;
	struct mic_dma_part part[MIC_DMA_NR_CHANS];
};

/*
 * Queue batch @b on card @x: the caller validated every transfer against
 * the pool and the window and initialised @b's input fields and
 * ->complete.  Returns 0 (the batch will complete, exactly once), -EAGAIN
 * when a ring is full and @nonblock, -ERESTARTSYS on a signal while
 * waiting for ring space, -E2BIG when a channel's part exceeds
 * MIC_DMA_MAX_PART_DESC, or the stop errno when the channels are stopped.
 * Nothing is queued on error.
 */
int mic_dma_submit(struct mic_x100 *x, struct mic_dma_batch *b,
		   bool nonblock);

/*
 * Process context, for a waiter that spins: retire what the engine
 * finished on the channels of @b, from the completion word, without
 * waiting for the interrupt (may call @b's ->complete()).  Does nothing
 * once the channels are stopped.
 */
void mic_dma_batch_poll(struct mic_x100 *x, struct mic_dma_batch *b);

/*
 * Interrupt @vector of the card (hard-irq context, under rcu_read_lock(),
 * see micmem_card_interrupt()).
 */
irqreturn_t mic_irq_handle(struct mic_x100 *x, unsigned int vector);

#endif /* _MICMEM_X100_H */
