// SPDX-License-Identifier: GPL-2.0
/*
 * MICMEM_IOC_WAIT and poll(): waiting for tickets.
 *
 * The deadline is absolute (CLOCK_MONOTONIC), so a wait interrupted by a
 * signal returns -ERESTARTSYS and the restarted call (SA_RESTART) waits
 * for the same instant; without SA_RESTART user space sees -EINTR.
 *
 * A completed ticket is consumed by the wait that reports it (the ticket
 * table's reference dropped): each ticket is reported once, except that
 * waiters already waiting for the same ticket when it completes all see
 * the result.
 *
 * poll(): EPOLLIN | EPOLLRDNORM while the fd has a completed ticket not yet
 * consumed; MICMEM_WAIT_ANY with MICMEM_WAIT_NO_BLOCK consumes them.
 */
#include <linux/hrtimer.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/micmem.h>

#include "micmem.h"
#include "batch.h"

/* The batch with @ticket, with a reference, or NULL. */
static struct micmem_batch *micmem_ticket_find(struct micmem_fd_dma *fd,
					       u64 ticket)
{
	struct micmem_batch *b;

	if (ticket > ULONG_MAX)
		return NULL;
	xa_lock(&fd->tickets);
	b = xa_load(&fd->tickets, ticket);
	if (b)
		kref_get(&b->ref);
	xa_unlock(&fd->tickets);
	return b;
}

/* Consume @b's ticket if nobody did yet (the caller holds a reference). */
static void micmem_ticket_consume(struct micmem_fd_dma *fd,
				  struct micmem_batch *b)
{
	bool mine;

	spin_lock_irq(&fd->lock);
	mine = !list_empty(&b->done_node);
	if (mine) {
		list_del_init(&b->done_node);
		fd->outstanding--;
	}
	spin_unlock_irq(&fd->lock);
	if (mine) {
		xa_erase(&fd->tickets, b->ticket);
		micmem_batch_put(b);
	}
}

struct micmem_waiter {
	struct micmem_fd_dma *fd;
	struct micmem_batch *b;		/* NULL: any ticket */
};

static bool micmem_wait_ready(struct micmem_waiter *w)
{
	if (w->b)
		return READ_ONCE(w->b->done);
	return !list_empty_careful(&w->fd->done) ||
	       !READ_ONCE(w->fd->outstanding);
}

/* 0 when ready, -ETIME past @deadline_ns, -ERESTARTSYS on a signal. */
static int micmem_wait_until(struct micmem_waiter *w, u64 deadline_ns)
{
	ktime_t expires = ns_to_ktime(min_t(u64, deadline_ns, KTIME_MAX));
	bool forever = deadline_ns >= KTIME_MAX;
	DEFINE_WAIT(wait);
	int ret = 0;

	if (micmem_wait_ready(w))
		return 0;
	if (deadline_ns == MICMEM_WAIT_NO_BLOCK)
		return -ETIME;

	for (;;) {
		prepare_to_wait(&w->fd->wq, &wait, TASK_INTERRUPTIBLE);
		if (micmem_wait_ready(w))
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (forever) {
			schedule();
		} else if (!schedule_hrtimeout(&expires, HRTIMER_MODE_ABS)) {
			if (!micmem_wait_ready(w))
				ret = -ETIME;
			break;
		}
	}
	finish_wait(&w->fd->wq, &wait);
	return ret;
}

/* Oldest completed batch of the fd, consumed, with a reference; or NULL. */
static struct micmem_batch *micmem_take_any(struct micmem_fd_dma *fd,
					    bool *none)
{
	struct micmem_batch *b;

	spin_lock_irq(&fd->lock);
	b = list_first_entry_or_null(&fd->done, struct micmem_batch,
				     done_node);
	if (b) {
		list_del_init(&b->done_node);
		fd->outstanding--;
	}
	*none = !fd->outstanding;
	spin_unlock_irq(&fd->lock);
	if (b)	/* the table's reference becomes ours */
		xa_erase(&fd->tickets, b->ticket);
	return b;
}

static int micmem_wait_any(struct micmem_fd_dma *fd, u64 deadline_ns,
			   struct micmem_batch **out)
{
	struct micmem_waiter w = { .fd = fd };
	bool none;
	int ret;

	for (;;) {
		*out = micmem_take_any(fd, &none);
		if (*out)
			return 0;
		if (none)
			return -ENOENT;
		ret = micmem_wait_until(&w, deadline_ns);
		if (ret)
			return ret;
	}
}

long micmem_ioctl_wait(struct micmem_ctx *ctx, void __user *arg)
{
	struct micmem_fd_dma *fd = ctx->dma;
	struct micmem_batch *b;
	struct micmem_wait w;
	int ret;

	if (copy_from_user(&w, arg, sizeof(w)))
		return -EFAULT;
	if ((w.flags & ~MICMEM_WAIT_VALID_FLAGS) ||
	    w.reserved[0] || w.reserved[1])
		return -EINVAL;

	if (w.flags & MICMEM_WAIT_ANY) {
		ret = micmem_wait_any(fd, w.deadline_ns, &b);
		if (ret)
			return ret;
	} else {
		struct micmem_waiter waiter = { .fd = fd };

		b = micmem_ticket_find(fd, w.ticket);
		if (!b)
			return -ENOENT;
		waiter.b = b;
		ret = micmem_wait_until(&waiter, w.deadline_ns);
		if (ret) {
			micmem_batch_put(b);
			return ret;
		}
		micmem_ticket_consume(fd, b);
	}

	/* done: the channels no longer write these (see mic_dma_batch) */
	w.ticket = b->ticket;
	w.error = b->dma.error;
	w.error_class = b->dma.error_class;
	w.failed_xfer = b->dma.failed_xfer;
	micmem_batch_put(b);
	if (copy_to_user(arg, &w, sizeof(w)))
		return -EFAULT;
	return w.error;
}

__poll_t micmem_dma_poll(struct file *file, poll_table *pt)
{
	struct micmem_ctx *ctx = file->private_data;
	struct micmem_fd_dma *fd = ctx->dma;
	__poll_t mask = 0;

	poll_wait(file, &fd->wq, pt);
	spin_lock_irq(&fd->lock);
	if (!list_empty(&fd->done))
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock_irq(&fd->lock);
	return mask;
}
