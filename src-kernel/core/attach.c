// SPDX-License-Identifier: GPL-2.0
/*
 * MICMEM_IOC_ATTACH / MICMEM_IOC_DETACH: the historical OPENDEV/CLOSEDEV.
 * Attaching DMA-maps every chunk of the fd's pool for the card once and
 * asks the card code for the chunks' card-side addresses
 * (mic_x100_dma_addr()); submits then only add offsets.
 *
 * The mappings are made for the card's device (hw->dev), which goes away
 * with the card: micmem_attach_card_gone() unmaps every attachment of a
 * removed card, after its channels were stopped, while the device still
 * exists.  An attachment outlives its mapping if an fd or a failed batch
 * still holds it; it is then only a name that fails with -ENODEV
 * (SUBMIT), that DETACH drops, and that an ATTACH of the same card number
 * replaces once a new card has that number.
 *
 * The pool is mapped once, DMA_BIDIRECTIONAL, and never synced per
 * transfer: user space writes it at any time through its own mapping, as
 * with an RDMA memory registration.  That relies on DMA-coherent hosts,
 * which every x86 host of an x100 card is.  A pool attached to several
 * cards is one buffer shared by several devices, the case the DMA API
 * defines DMA_ATTR_SKIP_CPU_SYNC for (core-api/dma-attributes.rst): every
 * map and unmap passes it, as the pool lives in the device domain from
 * creation to release and nothing here ever syncs it.  (DMA-API debugging
 * reports a second BIDIRECTIONAL mapping of the same memory without it.)
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/micmem.h>

#include "micmem.h"
#include "batch.h"
#include "pool.h"
#include "../x100/x100.h"

/* see the top of this file */
#define MICMEM_POOL_DMA_ATTRS	DMA_ATTR_SKIP_CPU_SYNC

/* card->attach_lock held */
static void micmem_attachment_unmap(struct micmem_attachment *att,
				    unsigned int n)
{
	while (n--)
		dma_unmap_page_attrs(att->dev, att->bus[n], MICMEM_CHUNK_SIZE,
				     DMA_BIDIRECTIONAL, MICMEM_POOL_DMA_ATTRS);
	att->mapped = false;
}

/* card->attach_lock held */
static int micmem_attachment_map(struct micmem_attachment *att)
{
	struct micmem_pool *pool = att->pool;
	unsigned int i;
	int ret;

	att->dev = att->card->hw->dev;
	for (i = 0; i < pool->nr_chunks; i++) {
		att->bus[i] = dma_map_page_attrs(att->dev, pool->chunks[i], 0,
						 MICMEM_CHUNK_SIZE,
						 DMA_BIDIRECTIONAL,
						 MICMEM_POOL_DMA_ATTRS);
		if (dma_mapping_error(att->dev, att->bus[i])) {
			ret = -ENOMEM;
			goto err_unmap;
		}
		ret = mic_x100_dma_addr(att->bus[i], MICMEM_CHUNK_SIZE,
					&att->chunk_addr[i]);
		if (ret) {
			dev_warn_ratelimited(att->dev,
					     "mic%d: pool chunk at bus address %pad is out of the card's DMA reach\n",
					     att->card->id, &att->bus[i]);
			i++;
			goto err_unmap;
		}
	}
	att->mapped = true;
	return 0;

err_unmap:
	micmem_attachment_unmap(att, i);
	return ret;
}

static struct micmem_attachment *
micmem_attachment_create(struct micmem_card *card, struct micmem_pool *pool)
{
	struct micmem_attachment *att;
	int ret;

	att = kzalloc(sizeof(*att), GFP_KERNEL);
	if (!att)
		return ERR_PTR(-ENOMEM);
	kref_init(&att->ref);
	INIT_LIST_HEAD(&att->card_node);
	att->card = card;
	att->pool = pool;
	att->bus = kvcalloc(pool->nr_chunks, sizeof(*att->bus), GFP_KERNEL);
	att->chunk_addr = kvcalloc(pool->nr_chunks, sizeof(*att->chunk_addr),
				   GFP_KERNEL);
	if (!att->bus || !att->chunk_addr) {
		ret = -ENOMEM;
		goto err_free;
	}

	mutex_lock(&card->attach_lock);
	if (card->attach_closed) {
		ret = -ENODEV;
		goto err_unlock;
	}
	ret = micmem_attachment_map(att);
	if (ret)
		goto err_unlock;
	list_add_tail(&att->card_node, &card->attachments);
	mutex_unlock(&card->attach_lock);

	/* the references the caller passed in now belong to @att */
	return att;

err_unlock:
	mutex_unlock(&card->attach_lock);
err_free:
	kvfree(att->chunk_addr);
	kvfree(att->bus);
	kfree(att);
	return ERR_PTR(ret);
}

static void micmem_attachment_release(struct kref *ref)
{
	struct micmem_attachment *att =
		container_of(ref, struct micmem_attachment, ref);
	struct micmem_card *card = att->card;

	mutex_lock(&card->attach_lock);
	if (att->mapped)
		micmem_attachment_unmap(att, att->pool->nr_chunks);
	list_del(&att->card_node);
	mutex_unlock(&card->attach_lock);

	kvfree(att->chunk_addr);
	kvfree(att->bus);
	micmem_pool_put(att->pool);
	micmem_card_put(card);
	kfree(att);
}

/* Process context: the last put unmaps and may sleep. */
void micmem_attachment_put(struct micmem_attachment *att)
{
	might_sleep();
	kref_put(&att->ref, micmem_attachment_release);
}

/* The attachment of card @card on @fd, with a reference, or NULL. */
struct micmem_attachment *micmem_attachment_find(struct micmem_fd_dma *fd,
						 u32 card)
{
	struct micmem_attachment *att;

	xa_lock(&fd->cards);
	att = xa_load(&fd->cards, card);
	if (att)
		kref_get(&att->ref);
	xa_unlock(&fd->cards);
	return att;
}

static int micmem_attach_args(void __user *arg, struct micmem_attach *a)
{
	if (copy_from_user(a, arg, sizeof(*a)))
		return -EFAULT;
	if (a->flags & ~MICMEM_ATTACH_VALID_FLAGS)
		return -EINVAL;
	if (a->reserved[0] || a->reserved[1])
		return -EINVAL;
	return 0;
}

long micmem_ioctl_attach(struct micmem_ctx *ctx, void __user *arg)
{
	struct micmem_fd_dma *fd = ctx->dma;
	struct micmem_attachment *att;
	struct micmem_pool *pool;
	struct micmem_card *card;
	struct micmem_attach a;
	int ret;

	ret = micmem_attach_args(arg, &a);
	if (ret)
		return ret;
	pool = micmem_ctx_pool(ctx);
	if (!pool)
		return -ENOBUFS;
	card = micmem_card_get(a.card);
	if (!card)
		return -ENODEV;
	ret = micmem_card_dma_check(card);
	if (ret)
		goto err_card;

	mutex_lock(&fd->attach_lock);
	att = xa_load(&fd->cards, a.card);
	if (att && att->card == card) {
		ret = -EEXIST;
		goto err_unlock;
	}
	if (att) {
		/*
		 * Stale: the card this fd attached under that number was
		 * removed (its SUBMITs fail with -ENODEV); the new card of
		 * the number replaces it.
		 */
		xa_erase(&fd->cards, a.card);
		micmem_attachment_put(att);
	}
	att = micmem_attachment_create(card, micmem_pool_get(pool));
	if (IS_ERR(att)) {
		micmem_pool_put(pool);
		ret = PTR_ERR(att);
		goto err_unlock;
	}
	ret = xa_err(xa_store(&fd->cards, a.card, att, GFP_KERNEL));
	mutex_unlock(&fd->attach_lock);
	if (ret)
		micmem_attachment_put(att);
	return ret;

err_unlock:
	mutex_unlock(&fd->attach_lock);
err_card:
	micmem_card_put(card);
	return ret;
}

long micmem_ioctl_detach(struct micmem_ctx *ctx, void __user *arg)
{
	struct micmem_fd_dma *fd = ctx->dma;
	struct micmem_attachment *att;
	struct micmem_attach a;
	int ret;

	ret = micmem_attach_args(arg, &a);
	if (ret)
		return ret;
	mutex_lock(&fd->attach_lock);
	att = xa_erase(&fd->cards, a.card);
	mutex_unlock(&fd->attach_lock);
	if (!att)
		return -ENOTCONN;
	micmem_attachment_put(att);
	return 0;
}

/* Close: drop the fd's attachments (batches in flight keep theirs). */
void micmem_attach_release_all(struct micmem_fd_dma *fd)
{
	struct micmem_attachment *att;
	unsigned long idx;

	mutex_lock(&fd->attach_lock);
	xa_for_each(&fd->cards, idx, att) {
		xa_erase(&fd->cards, idx);
		micmem_attachment_put(att);
	}
	mutex_unlock(&fd->attach_lock);
}

/*
 * Card removal, after its channels stopped (nothing in flight uses the
 * mappings any more) and before its device goes away: unmap everything
 * and refuse new attachments.
 */
void micmem_attach_card_gone(struct micmem_card *card)
{
	struct micmem_attachment *att, *next;

	mutex_lock(&card->attach_lock);
	card->attach_closed = true;
	list_for_each_entry_safe(att, next, &card->attachments, card_node) {
		if (att->mapped)
			micmem_attachment_unmap(att, att->pool->nr_chunks);
		list_del_init(&att->card_node);
	}
	mutex_unlock(&card->attach_lock);
}
