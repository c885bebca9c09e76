// SPDX-License-Identifier: GPL-2.0
/*
 * Card registry: the probe and remove path shared by the PCI glue and the
 * simulated card, card numbers, and card lifetime.
 */
#include <linux/idr.h>
#include <linux/kdev_t.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "micmem.h"
#include "dma.h"
#include "../x100/x100.h"

/*
 * micmem_cards_lock protects micmem_cards (number -> card) and nothing
 * else.  It is held only to add, remove or look up a card, never across
 * I/O, so it is no global lock in the old micmem sense.
 */
static DEFINE_MUTEX(micmem_cards_lock);
static DEFINE_IDR(micmem_cards);
static unsigned int micmem_nr_cards;

static void micmem_card_release(struct kref *ref)
{
	struct micmem_card *card = container_of(ref, struct micmem_card, ref);

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

	mutex_lock(&micmem_cards_lock);
	card = idr_find(&micmem_cards, id);
	if (card)
		kref_get(&card->ref);
	mutex_unlock(&micmem_cards_lock);
	return card;
}

unsigned int micmem_card_count(void)
{
	unsigned int n;

	mutex_lock(&micmem_cards_lock);
	n = micmem_nr_cards;
	mutex_unlock(&micmem_cards_lock);
	return n;
}

int micmem_card_add(struct micmem_hw *hw)
{
	struct micmem_card *card;
	struct device *dev;
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

	mutex_lock(&micmem_cards_lock);
	ret = idr_alloc(&micmem_cards, NULL, 0, MICMEM_MAX_CARDS, GFP_KERNEL);
	mutex_unlock(&micmem_cards_lock);
	if (ret < 0)
		goto err_free;
	card->id = ret;

	/* Card state is valid before the class device shows it. */
	ret = mic_x100_probe(card);
	if (ret)
		goto err_idr;

	dev = device_create(micmem_class, hw->dev, MKDEV(0, 0), card,
			    "mic%d", card->id);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto err_x100;
	}
	/* the card-state works notify "state" through it from now on */
	WRITE_ONCE(card->dev, dev);

	/* Publish last: from here on, fds can find the card. */
	mutex_lock(&micmem_cards_lock);
	idr_replace(&micmem_cards, card, card->id);
	micmem_nr_cards++;
	mutex_unlock(&micmem_cards_lock);
	hw->card = card;
	return 0;

err_x100:
	mic_x100_remove(card);
err_idr:
	mutex_lock(&micmem_cards_lock);
	idr_remove(&micmem_cards, card->id);
	mutex_unlock(&micmem_cards_lock);
err_free:
	kfree(card);
	return ret;
}
EXPORT_SYMBOL_GPL(micmem_card_add);

void micmem_card_remove(struct micmem_hw *hw)
{
	struct micmem_card *card = hw->card;

	if (!card)
		return;

	/* Unpublish first: no new fd can find or attach the card. */
	mutex_lock(&micmem_cards_lock);
	idr_remove(&micmem_cards, card->id);
	micmem_nr_cards--;
	mutex_unlock(&micmem_cards_lock);

	/* Interrupt paths look the card up under RCU; wait for them. */
	WRITE_ONCE(hw->card, NULL);
	synchronize_rcu();

	card->removed = true;
	/* stops the card's works and DMA; sysfs fails with -ENODEV after */
	mic_x100_remove(card);
	/* DMA stopped: unmap the fds' pools while the device still exists */
	micmem_attach_card_gone(card);
	device_unregister(card->dev);
	card->hw = NULL;
	micmem_card_put(card);
}
EXPORT_SYMBOL_GPL(micmem_card_remove);

int micmem_card_id(const struct micmem_hw *hw)
{
	const struct micmem_card *card = READ_ONCE(hw->card);

	return card ? card->id : -ENODEV;
}
EXPORT_SYMBOL_GPL(micmem_card_id);

irqreturn_t micmem_card_interrupt(struct micmem_hw *hw, unsigned int vector)
{
	struct micmem_card *card;
	irqreturn_t ret = IRQ_NONE;

	rcu_read_lock();
	card = READ_ONCE(hw->card);
	if (card)
		ret = mic_irq_handle(card, vector);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(micmem_card_interrupt);
