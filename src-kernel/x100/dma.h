/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x100 DMA channels 0 and 1 of a card, driven by the host: rings in host
 * memory reached through the SMPT window, completion by STATUS write-backs
 * to host memory plus the channel interrupt, error and hang recovery.
 *
 * The card-state code calls mic_dma_probe/remove/start/stop; the core
 * submits batches with mic_dma_submit() (x100.h) and learns about their
 * end through the batch's ->complete() callback.
 *
 * Locks of a channel (struct mic_dma_chan), outermost first:
 *  - submit_lock (mutex): the producer side of the ring (head, next_seq,
 *    last_dhpr), the DHPR register and channel (re)programming.  Taken by
 *    submitters, the error and hang works, start and stop; process context
 *    only.  A batch on both channels takes channel 0's before channel 1's.
 *  - lock (spinlock, irq-safe): the consumer side (tail, the list of parts
 *    in flight) and the statistics.  Taken by the interrupt handler, by
 *    submitters to publish a part, and by the works.
 * dma->start_lock (mutex) serialises start, stop and remove; it is taken
 * before any submit_lock.  No lock is shared between cards or channels.
 * The driver-wide order is in doc/design.md ("Lock order").
 */
#ifndef _MICMEM_X100_DMA_H
#define _MICMEM_X100_DMA_H

#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../include/x100/desc.h"
#include "hang.h"
#include "split.h"
#include "x100.h"

struct mic_x100;

/* Slots per ring: 128 KiB of descriptors, a multiple of 4 (C.3). */
#define MIC_DMA_RING_SIZE	8192
/* Descriptors a part may have besides its MEMCOPYs: the STATUS pair. */
#define MIC_DMA_PART_EXTRA	2
/* Most MEMCOPY descriptors one batch may put on one channel. */
#define MIC_DMA_MAX_PART_DESC	(MIC_DMA_RING_SIZE - 1 - MIC_DMA_PART_EXTRA)

/*
 * Per channel, in coherent host memory the engine writes: the completion
 * word (STATUS descriptors store the sequence number of the part they
 * end) and the DSTAT write-back (DSTATWB).  One cache line each channel.
 */
struct mic_dma_wb {
	__le64 seq;
	__le32 dstat;
	__le32 pad;
} __aligned(64);

/* Per-channel statistics, /sys/class/mic/micN/dma<ch>/ */
struct mic_dma_stats {
	u64 descriptors;	/* descriptors handed to the engine */
	u64 bytes;		/* bytes of completed MEMCOPYs */
	u64 batches;		/* batch parts completed */
	u64 errors;		/* channel errors and hang resets */
	u64 busy_ns;		/* time with work in flight */
};

struct mic_dma;

struct mic_dma_chan {
	struct mic_dma *dma;
	unsigned int nr;

	struct mutex submit_lock;	/* see the top of this file */
	u32 head;
	u32 last_dhpr;
	u64 next_seq;

	spinlock_t lock;		/* see the top of this file */
	struct list_head inflight;
	u32 tail;
	/*
	 * Interrupt coalescing (dma_submit.c), under @lock: the sequence
	 * number of the last interrupting STATUS handed to the engine (0
	 * after programming), and the parts and bytes posted since without
	 * an interrupt of their own.
	 */
	u64 irq_seq;
	u32 quiet;
	u64 quiet_bytes;
	u64 busy_since;
	struct mic_dma_stats stats;

	/*
	 * Admission, FIFO: submitters that found no room wait in @admitq
	 * (under submit_lock) and no later submitter passes them.
	 * @space_events counts the events a waiter may be waiting for
	 * (slots retired, a stop, the queue's head leaving); space_wq is
	 * woken after each.
	 */
	struct list_head admitq;
	atomic_t space_events;
	wait_queue_head_t space_wq;

	struct mic_desc *ring;		/* coherent, MIC_DMA_RING_SIZE slots */
	dma_addr_t ring_bus;
	u64 ring_card;			/* its address in the SMPT window */
	u32 *slot_xfer;			/* transfer index of each slot */
	struct mic_dma_wb *wb;		/* inside dma->wb */
	u64 wb_card;			/* its address in the SMPT window */

	struct work_struct err_work;	/* channel error: DCHERR != 0 */
	struct work_struct kick_work;	/* an interrupt for quiet parts */
	struct delayed_work watchdog;	/* hang check while work is in flight */
	struct mic_dma_hang hang;	/* under submit_lock */
};

/**
 * struct mic_dma - the DMA side of one card
 * @card:	the card
 * @start_lock:	see the top of this file
 * @running:	submits are accepted (written under all submit_locks and
 *		@start_lock, so holding either kind of lock gives a stable
 *		view)
 * @stop_err:	errno for submits while stopped (-EBUSY or -ENODEV)
 * @stop_class:	MICMEM_ERR_* of the last stop, for batches failed by it
 * @removed:	mic_dma_remove() ran: the channels cannot start again
 * @dcr_lock:	spinlock (irq-safe) serialising the driver's read-modify-
 *		writes of DCR, which both channels share (start, stop,
 *		channel reset); DCR itself is never cached (the card OS
 *		writes it too)
 * @memsize:	card memory in bytes (SCRATCH0, read by start)
 * @window:	DMA window [0, @window) checked against every card address
 * @window_set:	@window was set by the administrator: keep it across starts
 * @auto_rr:	rotates the channel that gets the first MICMEM_CHAN_AUTO stripe
 * @chan:	channels 0 and 1
 * @wb:		write-back area for both channels (coherent)
 * @wb_bus:	its bus address
 * @wb_card:	its address in the card's SMPT window
 */
struct mic_dma {
	struct mic_x100 *card;
	struct mutex start_lock;	/* see the top of this file */
	bool running;
	int stop_err;
	u32 stop_class;
	bool removed;
	spinlock_t dcr_lock;		/* see above */
	u64 memsize;
	u64 window;
	bool window_set;
	atomic_t auto_rr;
	struct mic_dma_chan chan[MIC_DMA_NR_CHANS];
	struct mic_dma_wb *wb;
	dma_addr_t wb_bus;
	u64 wb_card;
};

/* Card-state interface (see x100/state.c) */
int mic_dma_probe(struct mic_x100 *card);
void mic_dma_remove(struct mic_x100 *card);
int mic_dma_start(struct mic_x100 *card);
void mic_dma_stop(struct mic_x100 *card, int err);

/* Shared by dma.c, dma_submit.c and dma_recovery.c only */
/* No slot known where the engine stopped (mic_dma_fail_inflight()). */
#define MIC_DMA_NO_SLOT		U32_MAX

/* Does ring slot @slot lie in [@start, @end), modulo the ring? */
static inline bool mic_dma_slot_in(u32 slot, u32 start, u32 end)
{
	return start <= end ? slot >= start && slot < end :
			      slot >= start || slot < end;
}

static inline struct mic_x100 *mic_dma_chan_card(struct mic_dma_chan *chan)
{
	return chan->dma->card;
}

/* dma.c: completion side (any context unless noted) */
void mic_dma_batch_fail(struct mic_dma_batch *b, u32 xfer, int err, u32 class);
bool mic_dma_retire(struct mic_dma_chan *chan);
void mic_dma_fail_inflight(struct mic_dma_chan *chan, int err, u32 class,
			   u32 stop);			/* process context */
/* submit_lock held: error recovery's escalation */
void mic_dma_chan_requeue(struct mic_dma_chan *chan,
			  struct mic_dma_part *failed, u32 slot);
/* dma.c: channel programming, submit_lock held */
void mic_dma_chan_disable(struct mic_dma_chan *chan);
int mic_dma_chan_program(struct mic_dma_chan *chan);
void mic_dma_chan_restart(struct mic_dma_chan *chan, int err, u32 class,
			  u32 stop);
u32 mic_dma_chan_clear_err(struct mic_dma_chan *chan, u32 err);

/* dma_submit.c: slots retired or channel stopped: let waiters look again */
void mic_dma_space_wake(struct mic_dma_chan *chan);

/* dma_submit.c: every channel's submit_lock, in channel order */
void mic_dma_lock_chans(struct mic_dma *dma);
void mic_dma_unlock_chans(struct mic_dma *dma, unsigned int used);
/* dma_submit.c: interrupt coalescing's fix-up (submit_lock held; work) */
void mic_dma_chan_kick(struct mic_dma_chan *chan);
void mic_dma_kick_work(struct work_struct *work);

/* dma_recovery.c: the channel's works; the hang check's timer */
void mic_dma_err_work(struct work_struct *work);
void mic_dma_watchdog(struct work_struct *work);
bool mic_dma_watchdog_arm(struct mic_dma_chan *chan);	/* submit_lock */

/* irq.c: interrupt programming and dispatch */
void mic_irq_start(struct mic_x100 *card);
void mic_irq_stop(struct mic_x100 *card);
void mic_dma_chan_interrupt(struct mic_dma_chan *chan);

/* sysfs: dma_window and the per-channel statistics groups */
extern const struct attribute_group mic_dma_attr_group;
extern const struct attribute_group mic_dma_ch0_group;
extern const struct attribute_group mic_dma_ch1_group;

#endif /* _MICMEM_X100_DMA_H */
