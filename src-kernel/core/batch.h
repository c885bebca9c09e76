/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An fd's batches and tickets: the DMA user interface of /dev/mic/ctrl.
 * Attaching cards to an fd (attach.c), submitting batches and their
 * tickets (submit.c), waiting and poll() (wait.c).  doc/uapi.md is the
 * user's manual; the channels behind a batch are x100's (x100/x100.h).
 *
 * Objects and who holds them:
 *  - struct micmem_fd_dma: one per open file, outlives it while batches of
 *    the file are in flight (each holds a reference).
 *  - struct micmem_attachment: the fd's pool DMA-mapped for one card; held
 *    by the fd's attachment table and by every batch in flight on it; it
 *    holds the pool and the card.
 *  - struct micmem_batch: one submit; held by the fd's ticket table until
 *    the ticket is consumed by a wait (or the fd is closed), by the channels
 *    while in flight, and briefly by waiters.  The first
 *    MICMEM_BATCH_CACHE batches of an fd live inside its micmem_fd_dma and
 *    go back to its free list when released; only beyond them is a batch
 *    allocated (and freed) per submit.
 *
 * Tickets.  The ticket table is an array of slots, grown by doubling when
 * full (never shrunk), with a free list threaded through it.  A ticket is
 * (generation << 32) | (slot + 1): never 0, and a slot's generation
 * advances each time its ticket is consumed, so a stale ticket names no
 * batch (until the same slot has been reused 2^32 times).
 *
 * Locks:
 *  - micmem_fd_dma.lock (spinlock, irq-safe): the fd's completed list,
 *    counters, ticket table and free batches; taken by submit, wait, poll,
 *    close and by batch completion (hard irq).  Innermost.
 *  - the attachment table is an xarray with its own lock.
 *  - micmem_fd_dma.xbuf_busy is not a lock: a submit that finds the bit
 *    clear owns the fd's transfer buffer until it clears the bit; one that
 *    finds it set allocates its own array.  Nobody waits for it.
 *  - micmem_fd_dma.attach_lock (mutex): attach and detach of this fd.
 *  - micmem_card.attach_lock (mutex, core/micmem.h): a card's list of
 *    attachments and their DMA mappings; attach, the last put of an
 *    attachment and card removal.  Taken after micmem_fd_dma.attach_lock.
 * No lock is shared between fds on the submit, completion or wait paths.
 */
#ifndef _MICMEM_CORE_BATCH_H
#define _MICMEM_CORE_BATCH_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "../x100/x100.h"

struct micmem_card;
struct micmem_ctx;
struct micmem_pool;

struct micmem_attachment {
	struct kref ref;
	struct micmem_card *card;
	struct micmem_pool *pool;
	struct device *dev;		/* the device the chunks are mapped for */
	dma_addr_t *bus;		/* bus address of each pool chunk */
	u64 *chunk_addr;		/* its card-side address */
	bool mapped;			/* under card->attach_lock */
	struct list_head card_node;	/* card->attachments */
};

struct micmem_fd_dma;

struct micmem_batch {
	struct mic_dma_batch dma;
	struct kref ref;
	u64 ticket;
	u32 slot;			/* in the fd's ticket table */
	bool cached;			/* part of the fd's batch cache */
	struct micmem_fd_dma *fd;
	struct micmem_attachment *att;
	/* fd->done, or fd->free_batches while unused; under fd->lock */
	struct list_head done_node;
	bool done;
	bool claimed;			/* a wait is handing it back (fd->lock) */
	struct work_struct free_work;	/* last put from irq context */
};

/* One entry of the ticket table (under fd->lock). */
struct micmem_ticket_slot {
	struct micmem_batch *batch;	/* NULL: free */
	u32 gen;			/* generation of its next ticket */
	u32 next_free;			/* free list link */
};

/* Batches kept with each fd, reused without allocation. */
#define MICMEM_BATCH_CACHE	8
/* Transfers one SUBMIT copies into the fd's buffer rather than allocate. */
#define MICMEM_XFER_BUF		256
/* Ticket table entries of a new fd. */
#define MICMEM_TICKETS_INIT	64

struct micmem_fd_dma {
	struct kref ref;
	spinlock_t lock;		/* see the top of this file */
	struct list_head done;		/* completed, not yet consumed */
	unsigned int ready;		/* of those, not claimed by a wait */
	unsigned int outstanding;	/* submitted, not yet waited for */
	unsigned int inflight;		/* submitted, not yet completed */
	bool closed;
	wait_queue_head_t wq;		/* completions, for wait and poll */
	/* ticket table (top of this file), under @lock */
	struct micmem_ticket_slot *slots;
	u32 nr_slots;
	u32 free_slot;			/* head of the free list, or U32_MAX */
	struct list_head free_batches;	/* unused batches of @cache */
	struct micmem_batch cache[MICMEM_BATCH_CACHE];
	struct micmem_xfer *xbuf;	/* MICMEM_XFER_BUF transfers */
	unsigned long xbuf_busy;	/* bit 0: @xbuf taken (not a lock) */
	struct mutex attach_lock;	/* see the top of this file */
	struct xarray cards;		/* card number -> attachment */
};

/* module init/exit */
int micmem_dma_init(void);
void micmem_dma_exit(void);

/* file open/release */
int micmem_dma_open(struct micmem_ctx *ctx);
void micmem_dma_release(struct micmem_ctx *ctx);

/* attach.c */
long micmem_ioctl_attach(struct micmem_ctx *ctx, void __user *arg);
long micmem_ioctl_detach(struct micmem_ctx *ctx, void __user *arg);
struct micmem_attachment *micmem_attachment_find(struct micmem_fd_dma *fd,
						 u32 card);
void micmem_attachment_put(struct micmem_attachment *att);
void micmem_attach_card_gone(struct micmem_card *card);
void micmem_attach_release_all(struct micmem_fd_dma *fd);

/* submit.c */
long micmem_ioctl_submit(struct micmem_ctx *ctx, void __user *arg);
u32 micmem_dma_max_batch(void);
void micmem_batch_put(struct micmem_batch *b);
void micmem_fd_dma_put(struct micmem_fd_dma *fd);

/* Ticket table, fd->lock held: the batch of @ticket or NULL; free a slot. */
struct micmem_batch *micmem_ticket_lookup(struct micmem_fd_dma *fd,
					  u64 ticket);
void micmem_ticket_free(struct micmem_fd_dma *fd, struct micmem_batch *b);

/* Hot-path allocations beyond the per-fd caches (debugfs, submit.c) */
void micmem_hot_alloc_count(unsigned int what);
#define MICMEM_HOT_BATCH	0	/* a batch beyond the cache */
#define MICMEM_HOT_XFERS	1	/* a transfer array beyond the buffer */
#define MICMEM_HOT_TICKETS	2	/* the ticket table grew */

/* wait.c */
long micmem_ioctl_wait(struct micmem_ctx *ctx, void __user *arg);
__poll_t micmem_dma_poll(struct file *file, poll_table *pt);

#endif /* _MICMEM_CORE_BATCH_H */
