// SPDX-License-Identifier: GPL-2.0
/*
 * MICMEM_IOC_WAIT and poll(): waiting for tickets.
 *
 * The deadline is absolute (CLOCK_MONOTONIC), so a wait interrupted by a
 * signal returns -ERESTARTSYS and the restarted call (SA_RESTART) waits
 * for the same instant; without SA_RESTART user space sees -EINTR.
 *
 * The ioctl returns 0 whenever it hands a batch back, whatever the batch's
 * result (that is in the struct); a negative errno is always the call's
 * own failure, and then no batch was handed back.
 *
 * Exactly-once delivery.  A completed batch sits on fd->done, in
 * completion order, until one wait consumes it.  A wait first *claims* it
 * (b->claimed, under fd->lock; claimed batches stay in their place on the
 * list), then copies the result to user space, then either consumes it
 * (off the list, out of the ticket table) or, if the copy failed, clears
 * the claim so that the batch is waitable again exactly as before.  Only
 * one wait can hold the claim, so a batch reaches user space once, whether
 * the waits name its ticket or use MICMEM_WAIT_ANY.  A wait for a ticket
 * that another wait has claimed keeps waiting until the claim is resolved:
 * -ENOENT if the batch was consumed, the batch if it was put back.
 *
 * poll(): EPOLLIN | EPOLLRDNORM while the fd has a completed batch that no
 * wait has claimed; MICMEM_WAIT_ANY with MICMEM_WAIT_NO_BLOCK takes them.
 *
 * MICMEM_WAIT_POLL: before it sleeps, the wait spins for at most
 * wait_poll_us (and never past its deadline), giving the CPU up as soon
 * as something else should run there or a signal is pending.  A wait for
 * a ticket reads the completion word of the batch's channels itself
 * (mic_dma_batch_poll()), so it sees the end of the batch without the
 * interrupt; MICMEM_WAIT_ANY watches for batches the interrupt completed.
 */
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/micmem.h>

#include "micmem.h"
#include "batch.h"

static unsigned int wait_poll_us = 50;
module_param(wait_poll_us, uint, 0644);
MODULE_PARM_DESC(wait_poll_us,
		 "Longest spin of a MICMEM_WAIT_POLL wait before it sleeps (us, at most 1000)");

/* The batch with @ticket, with a reference, or NULL. */
static struct micmem_batch *micmem_ticket_find(struct micmem_fd_dma *fd,
					       u64 ticket)
{
	struct micmem_batch *b;

	spin_lock_irq(&fd->lock);
	b = micmem_ticket_lookup(fd, ticket);
	if (b)
		kref_get(&b->ref);
	spin_unlock_irq(&fd->lock);
	return b;
}

/* fd->lock held: @b is completed, unclaimed and not consumed; claim it. */
static void micmem_batch_claim(struct micmem_fd_dma *fd,
			       struct micmem_batch *b)
{
	WRITE_ONCE(b->claimed, true);
	WRITE_ONCE(fd->ready, fd->ready - 1);
}

/*
 * The result of claimed batch @b reached user space: consume it.  The
 * ticket table's reference is dropped; the caller keeps its own.
 */
static void micmem_batch_consume(struct micmem_fd_dma *fd,
				 struct micmem_batch *b)
{
	spin_lock_irq(&fd->lock);
	list_del_init(&b->done_node);
	WRITE_ONCE(b->claimed, false);
	WRITE_ONCE(fd->outstanding, fd->outstanding - 1);
	micmem_ticket_free(fd, b);
	spin_unlock_irq(&fd->lock);
	micmem_batch_put(b);
	/* waiters for this ticket (-ENOENT) and for "no batch at all" */
	wake_up_all(&fd->wq);
}

/* The result of claimed batch @b could not be copied: waitable again. */
static void micmem_batch_unclaim(struct micmem_fd_dma *fd,
				 struct micmem_batch *b)
{
	spin_lock_irq(&fd->lock);
	WRITE_ONCE(b->claimed, false);
	WRITE_ONCE(fd->ready, fd->ready + 1);
	spin_unlock_irq(&fd->lock);
	wake_up_all(&fd->wq);
}

struct micmem_waiter {
	struct micmem_fd_dma *fd;
	struct micmem_batch *b;		/* NULL: any ticket */
	bool poll;			/* MICMEM_WAIT_POLL */
};

/*
 * Lockless check that something changed for @w; the decision is taken
 * again under fd->lock.  For a ticket: it completed and nobody holds its
 * claim (it is claimable, or was consumed).  For any ticket: a completed
 * batch is unclaimed, or the fd has no batch left.
 */
static bool micmem_wait_ready(struct micmem_waiter *w)
{
	if (w->b)
		return READ_ONCE(w->b->done) && !READ_ONCE(w->b->claimed);
	return READ_ONCE(w->fd->ready) || !READ_ONCE(w->fd->outstanding);
}

/*
 * MICMEM_WAIT_POLL: spin until @w is ready (true), the spin bound or
 * @deadline_ns passes, or the CPU is wanted elsewhere (false).
 */
static bool micmem_wait_spin(struct micmem_waiter *w, u64 deadline_ns)
{
	u64 now = ktime_get_ns();
	u64 end = now + min(READ_ONCE(wait_poll_us), 1000U) * NSEC_PER_USEC;

	end = min(end, deadline_ns);
	while (now < end) {
		if (w->b)
			mic_dma_batch_poll(w->b->att->card->x100, &w->b->dma);
		if (micmem_wait_ready(w))
			return true;
		if (need_resched() || signal_pending(current))
			break;
		cpu_relax();
		now = ktime_get_ns();
	}
	return false;
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
	if (w->poll && micmem_wait_spin(w, deadline_ns))
		return 0;

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

/*
 * Claim the oldest completed, unclaimed batch of the fd, with a reference;
 * NULL if there is none, and then *@none tells whether the fd has no batch
 * at all (not even one in flight or claimed by another wait).
 */
static struct micmem_batch *micmem_claim_any(struct micmem_fd_dma *fd,
					     bool *none)
{
	struct micmem_batch *b, *found = NULL;

	spin_lock_irq(&fd->lock);
	list_for_each_entry(b, &fd->done, done_node) {
		if (!b->claimed) {
			micmem_batch_claim(fd, b);
			kref_get(&b->ref);
			found = b;
			break;
		}
	}
	*none = !fd->outstanding;
	spin_unlock_irq(&fd->lock);
	return found;
}

static int micmem_wait_any(struct micmem_fd_dma *fd, u64 deadline_ns,
			   bool poll, struct micmem_batch **out)
{
	struct micmem_waiter w = { .fd = fd, .poll = poll };
	bool none;
	int ret;

	for (;;) {
		*out = micmem_claim_any(fd, &none);
		if (*out)
			return 0;
		if (none)
			return -ENOENT;
		ret = micmem_wait_until(&w, deadline_ns);
		if (ret)
			return ret;
	}
}

/* Claim the batch of @ticket, with a reference, once it is done. */
static int micmem_wait_ticket(struct micmem_fd_dma *fd, u64 ticket,
			      u64 deadline_ns, bool poll,
			      struct micmem_batch **out)
{
	struct micmem_waiter w = { .fd = fd, .poll = poll };
	struct micmem_batch *b;
	int ret = 0;

	b = micmem_ticket_find(fd, ticket);
	if (!b)
		return -ENOENT;
	w.b = b;
	for (;;) {
		ret = micmem_wait_until(&w, deadline_ns);
		if (ret)
			break;
		spin_lock_irq(&fd->lock);
		if (list_empty(&b->done_node)) {
			ret = -ENOENT;	/* another wait consumed it */
		} else if (!b->claimed) {
			micmem_batch_claim(fd, b);
			*out = b;
		} else {
			ret = -EAGAIN;	/* claimed by another: wait on */
		}
		spin_unlock_irq(&fd->lock);
		if (ret != -EAGAIN)
			break;
	}
	if (ret)
		micmem_batch_put(b);
	return ret;
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

	if (w.flags & MICMEM_WAIT_ANY)
		ret = micmem_wait_any(fd, w.deadline_ns,
				      w.flags & MICMEM_WAIT_POLL, &b);
	else
		ret = micmem_wait_ticket(fd, w.ticket, w.deadline_ns,
					 w.flags & MICMEM_WAIT_POLL, &b);
	if (ret)
		return ret;

	/* done: the channels no longer write these (see mic_dma_batch) */
	w.ticket = b->ticket;
	w.error = b->dma.error;
	w.error_class = b->dma.error_class;
	w.failed_xfer = b->dma.failed_xfer;
	if (copy_to_user(arg, &w, sizeof(w))) {
		micmem_batch_unclaim(fd, b);
		ret = -EFAULT;
	} else {
		micmem_batch_consume(fd, b);
	}
	micmem_batch_put(b);
	return ret;
}

__poll_t micmem_dma_poll(struct file *file, poll_table *pt)
{
	struct micmem_ctx *ctx = file->private_data;
	struct micmem_fd_dma *fd = ctx->dma;
	__poll_t mask = 0;

	poll_wait(file, &fd->wq, pt);
	if (READ_ONCE(fd->ready))
		mask = EPOLLIN | EPOLLRDNORM;
	return mask;
}
