// SPDX-License-Identifier: GPL-2.0
/*
 * MICMEM_IOC_SUBMIT: validate a batch of transfers, give it a ticket and
 * queue it on the card's channels (x100/dma.c).  Also the per-fd DMA
 * state, its lifetime and batch completion.
 */
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

int micmem_dma_open(struct micmem_ctx *ctx)
{
	struct micmem_fd_dma *fd;

	fd = kzalloc(sizeof(*fd), GFP_KERNEL);
	if (!fd)
		return -ENOMEM;
	kref_init(&fd->ref);
	spin_lock_init(&fd->lock);
	INIT_LIST_HEAD(&fd->done);
	init_waitqueue_head(&fd->wq);
	xa_init(&fd->tickets);
	mutex_init(&fd->attach_lock);
	xa_init(&fd->cards);
	ctx->dma = fd;
	return 0;
}

static void micmem_fd_dma_release(struct kref *ref)
{
	struct micmem_fd_dma *fd = container_of(ref, struct micmem_fd_dma, ref);

	xa_destroy(&fd->tickets);
	xa_destroy(&fd->cards);
	mutex_destroy(&fd->attach_lock);
	kfree(fd);
}

void micmem_fd_dma_put(struct micmem_fd_dma *fd)
{
	kref_put(&fd->ref, micmem_fd_dma_release);
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
	unsigned long idx;

	spin_lock_irq(&fd->lock);
	fd->closed = true;
	while ((b = list_first_entry_or_null(&fd->done, struct micmem_batch,
					     done_node)))
		list_del_init(&b->done_node);
	spin_unlock_irq(&fd->lock);

	xa_for_each(&fd->tickets, idx, b) {
		xa_erase(&fd->tickets, idx);
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

	micmem_attachment_put(b->att);
	micmem_fd_dma_put(b->fd);
	kfree(b);
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

	spin_lock_irqsave(&fd->lock, flags);
	WRITE_ONCE(b->done, true);
	fd->inflight--;
	if (!fd->closed) {
		list_add_tail(&b->done_node, &fd->done);
		WRITE_ONCE(fd->ready, fd->ready + 1);
	}
	spin_unlock_irqrestore(&fd->lock, flags);
	wake_up_all(&fd->wq);
	micmem_batch_put_any(b);
}

static struct micmem_batch *micmem_batch_alloc(struct micmem_fd_dma *fd,
					       struct micmem_attachment *att)
{
	struct micmem_batch *b;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;
	kref_init(&b->ref);
	INIT_LIST_HEAD(&b->done_node);
	INIT_WORK(&b->free_work, micmem_batch_free_work);
	spin_lock_init(&b->dma.err_lock);
	b->dma.failed_xfer = MICMEM_NO_XFER;
	b->dma.complete = micmem_batch_complete;
	kref_get(&fd->ref);
	b->fd = fd;
	kref_get(&att->ref);
	b->att = att;
	return b;
}

/* Count the batch against the fd's ticket limit; -ENOSPC past it. */
static int micmem_fd_reserve(struct micmem_fd_dma *fd)
{
	int ret = 0;

	spin_lock_irq(&fd->lock);
	if (fd->outstanding >= READ_ONCE(max_tickets)) {
		ret = -ENOSPC;
	} else {
		fd->outstanding++;
		fd->inflight++;
	}
	spin_unlock_irq(&fd->lock);
	return ret;
}

static void micmem_fd_unreserve(struct micmem_fd_dma *fd)
{
	spin_lock_irq(&fd->lock);
	fd->outstanding--;
	fd->inflight--;
	spin_unlock_irq(&fd->lock);
}

/* Give @xfers a ticket and queue them; the batch runs or nothing happens. */
static int micmem_submit_batch(struct micmem_fd_dma *fd,
			       struct micmem_attachment *att,
			       const struct micmem_xfer *xfers, u32 count,
			       bool nonblock, u64 *ticket)
{
	struct micmem_batch *b;
	int ret;

	b = micmem_batch_alloc(fd, att);
	if (!b)
		return -ENOMEM;
	b->dma.xfers = xfers;
	b->dma.nr_xfers = count;
	b->dma.chunk_addr = att->chunk_addr;

	ret = micmem_fd_reserve(fd);
	if (ret)
		goto err_put;
	b->ticket = atomic64_inc_return(&fd->last_ticket);
	ret = xa_insert(&fd->tickets, b->ticket, b, GFP_KERNEL);
	if (ret)
		goto err_unreserve;

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
		goto err_erase;
	}
	return 0;

err_erase:
	*ticket = 0;
	xa_erase(&fd->tickets, b->ticket);
	/*
	 * A wait that found the ticket in the table meanwhile sees it done,
	 * not on fd->done: consumed, -ENOENT.
	 */
	WRITE_ONCE(b->done, true);
	wake_up_all(&fd->wq);
err_unreserve:
	micmem_fd_unreserve(fd);
err_put:
	micmem_batch_put(b);
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
		xfers = kvmalloc_array(s.count, sizeof(*xfers), GFP_KERNEL);
		if (!xfers) {
			ret = -ENOMEM;
			goto out_att;
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
	if (xfers != stack_xfers)
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

int micmem_dma_init(void)
{
	micmem_dma_wq = alloc_workqueue("micmem_dma", 0, 0);
	return micmem_dma_wq ? 0 : -ENOMEM;
}

void micmem_dma_exit(void)
{
	destroy_workqueue(micmem_dma_wq);
}
