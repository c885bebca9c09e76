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
 *    while in flight, and briefly by waiters.
 *
 * Locks:
 *  - micmem_fd_dma.lock (spinlock, irq-safe): the fd's completed list and
 *    counters; taken by submit, wait, poll, close and by batch completion
 *    (hard irq).  Innermost.
 *  - the ticket and attachment tables are xarrays with their own lock.
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

struct micmem_fd_dma {
	struct kref ref;
	spinlock_t lock;		/* see the top of this file */
	struct list_head done;		/* completed, not yet consumed */
	unsigned int ready;		/* of those, not claimed by a wait */
	unsigned int outstanding;	/* submitted, not yet waited for */
	unsigned int inflight;		/* submitted, not yet completed */
	bool closed;
	wait_queue_head_t wq;		/* completions, for wait and poll */
	struct xarray tickets;		/* ticket -> struct micmem_batch */
	atomic64_t last_ticket;
	struct mutex attach_lock;	/* see the top of this file */
	struct xarray cards;		/* card number -> attachment */
};

struct micmem_batch {
	struct mic_dma_batch dma;
	struct kref ref;
	u64 ticket;
	struct micmem_fd_dma *fd;
	struct micmem_attachment *att;
	struct list_head done_node;	/* fd->done, under fd->lock */
	bool done;
	bool claimed;			/* a wait is handing it back (fd->lock) */
	struct work_struct free_work;	/* last put from irq context */
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

/* wait.c */
long micmem_ioctl_wait(struct micmem_ctx *ctx, void __user *arg);
__poll_t micmem_dma_poll(struct file *file, poll_table *pt);

#endif /* _MICMEM_CORE_BATCH_H */
