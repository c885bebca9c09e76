// SPDX-License-Identifier: GPL-2.0
/*
 * MICMEM_IOC_SUBMIT: validate a batch of transfers, give it a ticket and
 * queue it on the card's channels (x100/dma.c).  Also the per-fd DMA
 * state, its lifetime and batch completion.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/micmem.h>

#include "micmem.h"
#include "batch.h"
#include "pool.h"
#include "xfer.h"

static unsigned int max_batch = 1024;
module_param(max_batch, uint, 0444);
MODULE_PARM_DESC(max_batch, "Most transfers one MICMEM_IOC_SUBMIT accepts");

static unsigned int max_tickets = 65536;
module_param(max_tickets, uint, 0644);
MODULE_PARM_DESC(max_tickets,
		 "Most batches one fd may have submitted and not yet waited for");

static unsigned int close_wait_ms = 1000;
module_param(close_wait_ms, uint, 0644);
MODULE_PARM_DESC(close_wait_ms,
		 "How long close() waits for the fd's DMA in flight (ms)");

/* Frees batches whose last reference went away in interrupt context. */
static struct workqueue_struct *micmem_dma_wq;

/* Transfers copied on the stack rather than allocated. */
#define MICMEM_XFERS_ON_STACK	4

u32 micmem_dma_max_batch(void)
{
	return clamp(READ_ONCE(max_batch), 1U, 65536U);
}

/* ------------------------------------------------------------------ */
/* Per-fd state                                                        */

static void micmem_batch_free_work(struct work_struct *work);
static void micmem_batch_complete(struct mic_dma_batch *db);

/* The last put or an undone submit: back to the cache, or freed. */
static void micmem_batch_recycle(struct micmem_fd_dma *fd,
				 struct micmem_batch *b)
{
	if (!b->cached) {
		kfree(b);
		return;
	}
	spin_lock_irq(&fd->lock);
	list_add(&b->done_node, &fd->free_batches);
	spin_unlock_irq(&fd->lock);
}

/* Set up what a batch keeps across reuse; once per object. */
static void micmem_batch_init_once(struct micmem_batch *b)
{
	INIT_WORK(&b->free_work, micmem_batch_free_work);
	spin_lock_init(&b->dma.err_lock);
	b->dma.complete = micmem_batch_complete;
}

/* Link ticket slots [@from, @to) into the free list; fd->lock held. */
static void micmem_slots_link(struct micmem_fd_dma *fd, u32 from, u32 to)
{
	u32 i = to;

	while (i-- > from) {
		fd->slots[i].next_free = fd->free_slot;
		fd->free_slot = i;
	}
}

int micmem_dma_open(struct micmem_ctx *ctx)
{
	struct micmem_fd_dma *fd;
	unsigned int i;

	fd = kzalloc(sizeof(*fd), GFP_KERNEL);
	if (!fd)
		return -ENOMEM;
	fd->slots = kvcalloc(MICMEM_TICKETS_INIT, sizeof(*fd->slots),
			     GFP_KERNEL);
	if (!fd->slots)
		goto err_fd;
	fd->xbuf = kvmalloc_array(MICMEM_XFER_BUF, sizeof(*fd->xbuf),
				  GFP_KERNEL);
	if (!fd->xbuf)
		goto err_slots;
	kref_init(&fd->ref);
	spin_lock_init(&fd->lock);
	INIT_LIST_HEAD(&fd->done);
	init_waitqueue_head(&fd->wq);
	fd->nr_slots = MICMEM_TICKETS_INIT;
	fd->free_slot = U32_MAX;
	micmem_slots_link(fd, 0, fd->nr_slots);
	INIT_LIST_HEAD(&fd->free_batches);
	for (i = 0; i < MICMEM_BATCH_CACHE; i++) {
		micmem_batch_init_once(&fd->cache[i]);
		fd->cache[i].cached = true;
		list_add_tail(&fd->cache[i].done_node, &fd->free_batches);
	}
	mutex_init(&fd->attach_lock);
	xa_init(&fd->cards);
	ctx->dma = fd;
	return 0;

err_slots:
	kvfree(fd->slots);
err_fd:
	kfree(fd);
	return -ENOMEM;
}

static void micmem_fd_dma_release(struct kref *ref)
{
	struct micmem_fd_dma *fd = container_of(ref, struct micmem_fd_dma, ref);

	xa_destroy(&fd->cards);
	mutex_destroy(&fd->attach_lock);
	kvfree(fd->xbuf);
	kvfree(fd->slots);
	kfree(fd);
}

void micmem_fd_dma_put(struct micmem_fd_dma *fd)
{
	kref_put(&fd->ref, micmem_fd_dma_release);
}

/* fd->lock held */
struct micmem_batch *micmem_ticket_lookup(struct micmem_fd_dma *fd,
					  u64 ticket)
{
	u64 slot = (ticket & U32_MAX) - 1;
	struct micmem_batch *b;

	if (slot >= fd->nr_slots)
		return NULL;
	b = fd->slots[slot].batch;
	return b && b->ticket == ticket ? b : NULL;
}

/* fd->lock held: @b's ticket is gone; its slot gets a new generation. */
void micmem_ticket_free(struct micmem_fd_dma *fd, struct micmem_batch *b)
{
	struct micmem_ticket_slot *s = &fd->slots[b->slot];

	s->batch = NULL;
	s->gen++;
	s->next_free = fd->free_slot;
	fd->free_slot = b->slot;
}

/*
 * Double the ticket table (process context, fd->lock not held).  Another
 * submit may have grown it meanwhile: then the new array is dropped.
 */
static int micmem_slots_grow(struct micmem_fd_dma *fd)
{
	struct micmem_ticket_slot *slots, *old;
	u32 n = READ_ONCE(fd->nr_slots);

	if (n >= U32_MAX / 2)
		return -ENOSPC;
	slots = kvcalloc(2 * n, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;
	spin_lock_irq(&fd->lock);
	if (fd->nr_slots != n) {
		old = slots;
	} else {
		old = fd->slots;
		memcpy(slots, old, n * sizeof(*slots));
		fd->slots = slots;
		fd->nr_slots = 2 * n;
		micmem_slots_link(fd, n, 2 * n);
	}
	spin_unlock_irq(&fd->lock);
	kvfree(old);
	micmem_hot_alloc_count(MICMEM_HOT_TICKETS);
	return 0;
}

/*
 * Close: forget the tickets (batches in flight live on, holding the pool
 * through their attachment, until the engine is done with them), drop the
 * attachments, then give the work in flight a bounded, killable wait so
 * that the pool is usually free when close() returns.  A dying process
 * (its files closed by exit, where SIGKILL is no longer pending) does not
 * wait: nobody is left to care.
 */
void micmem_dma_release(struct micmem_ctx *ctx)
{
	struct micmem_fd_dma *fd = ctx->dma;
	struct micmem_batch *b;
	u32 i;

	spin_lock_irq(&fd->lock);
	fd->closed = true;
	while ((b = list_first_entry_or_null(&fd->done, struct micmem_batch,
					     done_node)))
		list_del_init(&b->done_node);
	spin_unlock_irq(&fd->lock);

	/* no ioctl runs any more: the table holds still but for us */
	for (i = 0; i < fd->nr_slots; i++) {
		spin_lock_irq(&fd->lock);
		b = fd->slots[i].batch;
		if (b)
			micmem_ticket_free(fd, b);
		spin_unlock_irq(&fd->lock);
		if (b)
			micmem_batch_put(b);
	}
	micmem_attach_release_all(fd);

	if (!(current->flags & PF_EXITING))
		wait_event_killable_timeout(fd->wq, !READ_ONCE(fd->inflight),
					    msecs_to_jiffies(READ_ONCE(close_wait_ms)));
	ctx->dma = NULL;
	micmem_fd_dma_put(fd);
}

/* ------------------------------------------------------------------ */
/* Batches                                                             */

static void micmem_batch_release(struct kref *ref)
{
	struct micmem_batch *b = container_of(ref, struct micmem_batch, ref);
	struct micmem_fd_dma *fd = b->fd;

	micmem_attachment_put(b->att);
	/* the fd (and a cached batch with it) lives until the put below */
	micmem_batch_recycle(fd, b);
	micmem_fd_dma_put(fd);
}

/* Process context: the last put drops the attachment, which may sleep. */
void micmem_batch_put(struct micmem_batch *b)
{
	might_sleep();
	kref_put(&b->ref, micmem_batch_release);
}

static void micmem_batch_free_work(struct work_struct *work)
{
	micmem_batch_put(container_of(work, struct micmem_batch, free_work));
}

/* Any context: a last put from hard irq is finished by a work. */
static void micmem_batch_put_any(struct micmem_batch *b)
{
	if (!refcount_dec_not_one(&b->ref.refcount))
		queue_work(micmem_dma_wq, &b->free_work);
}

/*
 * ->complete() of the channels: the last part of the batch retired or
 * failed.  Any context, including hard irq.
 */
static void micmem_batch_complete(struct mic_dma_batch *db)
{
	struct micmem_batch *b = container_of(db, struct micmem_batch, dma);
	struct micmem_fd_dma *fd = b->fd;
	unsigned long flags;
	bool closed;

	spin_lock_irqsave(&fd->lock, flags);
	WRITE_ONCE(b->done, true);
	fd->inflight--;
	closed = fd->closed;
	if (!closed) {
		/*
		 * The ticket table holds the batch until a wait consumes it,
		 * which needs fd->lock: the channels' reference is not the
		 * last, and the wait's put frees (or recycles) the batch at
		 * once instead of a work.  The wake-up stays under the lock:
		 * once it is dropped the batch may be consumed and the fd
		 * closed.
		 */
		refcount_dec(&b->ref.refcount);
		list_add_tail(&b->done_node, &fd->done);
		WRITE_ONCE(fd->ready, fd->ready + 1);
		wake_up_all(&fd->wq);
	}
	spin_unlock_irqrestore(&fd->lock, flags);
	if (closed) {
		wake_up_all(&fd->wq);
		micmem_batch_put_any(b);
	}
}

/* A batch taken for a new submit: fresh state, its fd and attachment. */
static void micmem_batch_reset(struct micmem_batch *b,
			       struct micmem_fd_dma *fd,
			       struct micmem_attachment *att)
{
	kref_init(&b->ref);
	INIT_LIST_HEAD(&b->done_node);
	b->done = false;
	b->claimed = false;
	b->dma.error = 0;
	b->dma.error_class = MICMEM_ERR_NONE;
	b->dma.failed_xfer = MICMEM_NO_XFER;
	kref_get(&fd->ref);
	b->fd = fd;
	kref_get(&att->ref);
	b->att = att;
}

/*
 * Take a batch (from the fd's cache, allocated beyond it) and a ticket
 * slot, and count the batch against the fd's ticket limit (-ENOSPC past
 * it).  The batch comes back initialised for @att, with its ticket.
 */
static int micmem_batch_get(struct micmem_fd_dma *fd,
			    struct micmem_attachment *att,
			    struct micmem_batch **out)
{
	struct micmem_ticket_slot *s;
	struct micmem_batch *b = NULL;
	int ret;

	for (;;) {
		spin_lock_irq(&fd->lock);
		if (fd->outstanding >= READ_ONCE(max_tickets)) {
			ret = -ENOSPC;
			break;
		}
		if (!b) {
			b = list_first_entry_or_null(&fd->free_batches,
						     struct micmem_batch,
						     done_node);
			if (b)
				list_del(&b->done_node);
		}
		if (b && fd->free_slot != U32_MAX) {
			b->slot = fd->free_slot;
			s = &fd->slots[b->slot];
			fd->free_slot = s->next_free;
			b->ticket = ((u64)s->gen << 32) | (b->slot + 1);
			/* whole before a lookup of the ticket can find it */
			micmem_batch_reset(b, fd, att);
			s->batch = b;
			fd->outstanding++;
			fd->inflight++;
			spin_unlock_irq(&fd->lock);
			*out = b;
			return 0;
		}
		spin_unlock_irq(&fd->lock);
		if (!b) {
			b = kzalloc(sizeof(*b), GFP_KERNEL);
			if (!b)
				return -ENOMEM;
			micmem_batch_init_once(b);
			micmem_hot_alloc_count(MICMEM_HOT_BATCH);
		} else {
			ret = micmem_slots_grow(fd);
			if (ret)
				goto err;
		}
	}
	spin_unlock_irq(&fd->lock);
err:
	if (b)
		micmem_batch_recycle(fd, b);
	return ret;
}

/* Undo micmem_batch_get() for a batch that was never queued. */
static void micmem_batch_unget(struct micmem_fd_dma *fd,
			       struct micmem_batch *b)
{
	spin_lock_irq(&fd->lock);
	micmem_ticket_free(fd, b);
	fd->outstanding--;
	fd->inflight--;
	spin_unlock_irq(&fd->lock);
	/*
	 * A wait that found the ticket meanwhile sees it done, not on
	 * fd->done: consumed, -ENOENT.
	 */
	WRITE_ONCE(b->done, true);
	wake_up_all(&fd->wq);
	micmem_batch_put(b);
}

/* Give @xfers a ticket and queue them; the batch runs or nothing happens. */
static int micmem_submit_batch(struct micmem_fd_dma *fd,
			       struct micmem_attachment *att,
			       const struct micmem_xfer *xfers, u32 count,
			       bool nonblock, u64 *ticket)
{
	struct micmem_batch *b;
	int ret;

	ret = micmem_batch_get(fd, att, &b);
	if (ret)
		return ret;
	b->dma.xfers = xfers;
	b->dma.nr_xfers = count;
	b->dma.chunk_addr = att->chunk_addr;

	/*
	 * Once queued, the batch may complete and be consumed by another
	 * thread's MICMEM_WAIT_ANY (and freed) before we look at it again.
	 */
	*ticket = b->ticket;
	/* the channels' reference, dropped by micmem_batch_complete() */
	kref_get(&b->ref);
	ret = mic_dma_submit(att->card->x100, &b->dma, nonblock);
	if (ret) {
		kref_put(&b->ref, micmem_batch_release);	/* not the last */
		*ticket = 0;
		micmem_batch_unget(fd, b);
	}
	return ret;
}

static int micmem_submit_check(struct micmem_attachment *att,
			       const struct micmem_xfer *xfers, u32 count,
			       u32 *bad)
{
	u64 window = mic_dma_window(att->card->x100);
	u32 i;
	int ret;

	for (i = 0; i < count; i++) {
		ret = micmem_xfer_check(&xfers[i], att->pool->size, window);
		if (ret) {
			*bad = i;
			return ret;
		}
	}
	return 0;
}

long micmem_ioctl_submit(struct micmem_ctx *ctx, void __user *arg)
{
	struct micmem_xfer stack_xfers[MICMEM_XFERS_ON_STACK];
	struct micmem_xfer *xfers = stack_xfers;
	struct micmem_fd_dma *fd = ctx->dma;
	struct micmem_attachment *att;
	struct micmem_submit s;
	int ret;

	if (copy_from_user(&s, arg, sizeof(s)))
		return -EFAULT;
	/* from here on, every outcome is written back (see out:) */
	s.bad_xfer = MICMEM_NO_XFER;
	s.ticket = 0;
	if ((s.flags & ~MICMEM_SUBMIT_VALID_FLAGS) ||
	    s.reserved[0] || s.reserved[1]) {
		ret = -EINVAL;
		goto out;
	}
	if (!s.count) {
		ret = -EINVAL;
		goto out;
	}
	if (s.count > micmem_dma_max_batch()) {
		ret = -E2BIG;
		goto out;
	}

	att = micmem_attachment_find(fd, s.card);
	if (!att) {
		ret = -ENOTCONN;
		goto out;
	}
	ret = micmem_card_dma_check(att->card);
	if (ret)
		goto out_att;

	if (s.count > MICMEM_XFERS_ON_STACK) {
		if (s.count <= MICMEM_XFER_BUF &&
		    !test_and_set_bit_lock(0, &fd->xbuf_busy)) {
			xfers = fd->xbuf;
		} else {
			xfers = kvmalloc_array(s.count, sizeof(*xfers),
					       GFP_KERNEL);
			if (!xfers) {
				ret = -ENOMEM;
				goto out_att;
			}
			micmem_hot_alloc_count(MICMEM_HOT_XFERS);
		}
	}
	if (copy_from_user(xfers, u64_to_user_ptr(s.xfers),
			   s.count * sizeof(*xfers))) {
		ret = -EFAULT;
		goto out_xfers;
	}

	ret = micmem_submit_check(att, xfers, s.count, &s.bad_xfer);
	if (!ret)
		ret = micmem_submit_batch(fd, att, xfers, s.count,
					  s.flags & MICMEM_SUBMIT_NONBLOCK,
					  &s.ticket);

out_xfers:
	if (xfers == fd->xbuf)
		clear_bit_unlock(0, &fd->xbuf_busy);
	else if (xfers != stack_xfers)
		kvfree(xfers);
out_att:
	micmem_attachment_put(att);
out:
	/*
	 * bad_xfer and ticket go back on failures too (MICMEM_NO_XFER and 0
	 * unless one transfer was at fault).  On success the batch runs even
	 * if this copy fails; its ticket can still be reaped with
	 * MICMEM_WAIT_ANY.
	 */
	memset(s.reserved, 0, sizeof(s.reserved));
	if (copy_to_user(arg, &s, sizeof(s)) && !ret)
		ret = -EFAULT;
	return ret;
}

/*
 * Allocations the submit and wait paths still make, beyond the per-fd
 * caches: /sys/kernel/debug/micmem/{batch,xfer,ticket}_allocs, read by
 * tests/vm/dma_cost.c.  Zero while every fd keeps within
 * MICMEM_BATCH_CACHE batches in flight, MICMEM_XFER_BUF transfers per
 * submit (one submit at a time per fd) and MICMEM_TICKETS_INIT tickets.
 */
static atomic_t micmem_hot_allocs[3];
static struct dentry *micmem_debugfs;

void micmem_hot_alloc_count(unsigned int what)
{
	atomic_inc(&micmem_hot_allocs[what]);
}

int micmem_dma_init(void)
{
	micmem_dma_wq = alloc_workqueue("micmem_dma", 0, 0);
	if (!micmem_dma_wq)
		return -ENOMEM;
	/* debugfs is optional: its failures are not errors */
	micmem_debugfs = debugfs_create_dir(MICMEM_DRV_NAME, NULL);
	debugfs_create_atomic_t("batch_allocs", 0444, micmem_debugfs,
				&micmem_hot_allocs[MICMEM_HOT_BATCH]);
	debugfs_create_atomic_t("xfer_allocs", 0444, micmem_debugfs,
				&micmem_hot_allocs[MICMEM_HOT_XFERS]);
	debugfs_create_atomic_t("ticket_allocs", 0444, micmem_debugfs,
				&micmem_hot_allocs[MICMEM_HOT_TICKETS]);
	return 0;
}

void micmem_dma_exit(void)
{
	debugfs_remove_recursive(micmem_debugfs);
	destroy_workqueue(micmem_dma_wq);
}
