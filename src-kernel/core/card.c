// SPDX-License-Identifier: GPL-2.0
/*
 * Card registry: the probe and remove path shared by the PCI glue and the
 * simulated card, card numbers, card lifetime, and the "mic" class whose
 * devices show the cards (their attributes are x100's).
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kdev_t.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "../include/micmem_compat.h"
#include "micmem.h"
#include "batch.h"
#include "../x100/x100.h"

/*
 * Card number -> card.  A number is reserved (NULL entry) while its card
 * is probed and holds the card once published.  The xarray's own lock is
 * the only lock: taken to add, remove or look up a card, never across I/O.
 */
static DEFINE_XARRAY_ALLOC(micmem_cards);
static atomic_t micmem_nr_cards = ATOMIC_INIT(0);

static struct class *micmem_class;

int micmem_card_init(void)
{
	micmem_class = micmem_class_create("mic");
	if (IS_ERR(micmem_class))
		return PTR_ERR(micmem_class);
	micmem_class->dev_groups = mic_x100_groups;
	return 0;
}

void micmem_card_exit(void)
{
	class_destroy(micmem_class);
}

static void micmem_card_release(struct kref *ref)
{
	struct micmem_card *card = container_of(ref, struct micmem_card, ref);

	mic_x100_free(card->x100);
	kfree(card);
}

void micmem_card_put(struct micmem_card *card)
{
	kref_put(&card->ref, micmem_card_release);
}

/* Look up card @id and take a reference; NULL if there is none. */
struct micmem_card *micmem_card_get(unsigned int id)
{
	struct micmem_card *card;

	xa_lock(&micmem_cards);
	card = xa_load(&micmem_cards, id);
	if (card)
		kref_get(&card->ref);
	xa_unlock(&micmem_cards);
	return card;
}

unsigned int micmem_card_count(void)
{
	return atomic_read(&micmem_nr_cards);
}

/* 0 if @card may be attached and DMA submitted, else -errno. */
int micmem_card_dma_check(struct micmem_card *card)
{
	if (READ_ONCE(card->removed))
		return -ENODEV;
	return mic_state_dma_check(card->x100);
}

int micmem_card_add(struct micmem_hw *hw)
{
	struct micmem_card *card;
	struct device *dev;
	u32 id;
	int ret;

	if (!hw || !hw->ops || !hw->ops->read32 || !hw->ops->write32 ||
	    !hw->ops->aperture_write || !hw->dev)
		return -EINVAL;

	card = kzalloc(sizeof(*card), GFP_KERNEL);
	if (!card)
		return -ENOMEM;
	kref_init(&card->ref);
	card->hw = hw;
	mutex_init(&card->attach_lock);
	INIT_LIST_HEAD(&card->attachments);

	ret = xa_alloc(&micmem_cards, &id, NULL,
		       XA_LIMIT(0, MICMEM_MAX_CARDS - 1), GFP_KERNEL);
	if (ret == -EBUSY)	/* every card number is taken */
		ret = -ENOSPC;
	if (ret)
		goto err_free;
	card->id = id;

	/* Card state is valid before the class device shows it. */
	card->x100 = mic_x100_probe(hw, card->id);
	if (IS_ERR(card->x100)) {
		ret = PTR_ERR(card->x100);
		goto err_id;
	}

	dev = device_create(micmem_class, hw->dev, MKDEV(0, 0), card->x100,
			    "mic%d", card->id);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto err_x100;
	}
	card->dev = dev;
	/* the card-state works notify "state" through it from now on */
	mic_x100_set_dev(card->x100, dev);

	/* Publish last: from here on, fds and interrupts can find the card. */
	xa_store(&micmem_cards, card->id, card, GFP_KERNEL);
	atomic_inc(&micmem_nr_cards);
	rcu_assign_pointer(hw->card, card);
	return 0;

err_x100:
	mic_x100_remove(card->x100);
	mic_x100_free(card->x100);
err_id:
	xa_erase(&micmem_cards, card->id);
err_free:
	kfree(card);
	return ret;
}
EXPORT_SYMBOL_GPL(micmem_card_add);

void micmem_card_remove(struct micmem_hw *hw)
{
	/* the glue never runs add and remove of one card concurrently */
	struct micmem_card *card = rcu_dereference_protected(hw->card, true);

	if (!card)
		return;

	/* Unpublish first: no new fd can find or attach the card. */
	xa_erase(&micmem_cards, card->id);
	atomic_dec(&micmem_nr_cards);

	/* Interrupt paths look the card up under RCU; wait for them. */
	RCU_INIT_POINTER(hw->card, NULL);
	synchronize_rcu();

	WRITE_ONCE(card->removed, true);
	/* stops the card's works and DMA; sysfs fails with -ENODEV after */
	mic_x100_remove(card->x100);
	/* DMA stopped: unmap the fds' pools while the device still exists */
	micmem_attach_card_gone(card);
	device_unregister(card->dev);
	card->hw = NULL;
	micmem_card_put(card);
}
EXPORT_SYMBOL_GPL(micmem_card_remove);

int micmem_card_id(const struct micmem_hw *hw)
{
	const struct micmem_card *card;
	int id;

	rcu_read_lock();
	card = rcu_dereference(hw->card);
	id = card ? card->id : -ENODEV;
	rcu_read_unlock();
	return id;
}
EXPORT_SYMBOL_GPL(micmem_card_id);

irqreturn_t micmem_card_interrupt(struct micmem_hw *hw, unsigned int vector)
{
	struct micmem_card *card;
	irqreturn_t ret = IRQ_NONE;

	rcu_read_lock();
	card = rcu_dereference(hw->card);
	if (card)
		ret = mic_irq_handle(card->x100, vector);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(micmem_card_interrupt);
