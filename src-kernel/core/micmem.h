/* SPDX-License-Identifier: GPL-2.0 */
/*
 * micmem driver core: cards, file contexts and what the core files share.
 *
 * Locking overview (each lock is documented again where it is declared):
 *  - micmem_cards_lock (card.c): the card registry only (add, remove,
 *    lookup by number).  Never held across I/O.  There is no global lock
 *    on any data path.
 *  - micmem_ctx.lock: one file descriptor's pool and attachments.
 *  - per card and per channel locks live in the x100 code.
 *
 * Lifetime: a card is reference counted.  The registry, every fd that has
 * it attached, and every in-flight batch hold a reference.  Removal
 * (micmem_card_remove) detaches the hardware at once; the struct lives on
 * until the last reference is dropped, and every operation on a removed
 * card fails with -ENODEV.
 */
#ifndef _MICMEM_CORE_H
#define _MICMEM_CORE_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include "../include/micmem_hw.h"
#include "../x100/dma.h"
#include "../x100/state.h"

#define MICMEM_MAX_CARDS	256
#define MICMEM_DRV_NAME		"micmem"

struct micmem_card {
	struct kref ref;
	int id;				/* N of micN; fixed for life */
	struct micmem_hw *hw;		/* NULL once removed */
	struct device *dev;		/* /sys/class/mic/micN */
	bool removed;			/* set once by micmem_card_remove */

	/*
	 * Card management (x100/state.h): @state changes only under
	 * @state_lock, a mutex taken in process context by the state
	 * attribute's writes, the card's op and health works, probe and
	 * remove; never on DMA paths.  Readers may use READ_ONCE(@state).
	 */
	struct mutex state_lock;
	enum mic_state state;
	struct mic_mgmt mgmt;

	/*
	 * DMA (x100/dma.h, core/dma.h): the channels, and the fds' pool
	 * mappings for this card.  @attach_lock (mutex, process context:
	 * attach, the last put of an attachment, removal) protects
	 * @attachments and @attach_closed.
	 */
	struct mic_dma dma;
	struct mutex attach_lock;	/* see above */
	struct list_head attachments;
	bool attach_closed;		/* removed: no new attachments */
};

/* One open file of /dev/mic/ctrl. */
struct micmem_pool;
struct micmem_fd_dma;

struct micmem_ctx {
	struct mutex lock;		/* protects the fields below */
	/*
	 * Set once under @lock by MICMEM_IOC_POOL_CREATE, then immutable
	 * until release: read it locklessly with micmem_ctx_pool().
	 */
	struct micmem_pool *pool;
	/* DMA state of the fd (core/dma.h), set at open */
	struct micmem_fd_dma *dma;
};

/* card.c: registry */
struct micmem_card *micmem_card_get(unsigned int id);
void micmem_card_put(struct micmem_card *card);
unsigned int micmem_card_count(void);

/* main.c */
extern struct class *micmem_class;

/* cdev.c */
int micmem_cdev_init(void);
void micmem_cdev_exit(void);

/* sysfs.c */
extern const struct attribute_group *micmem_card_groups[];

#endif /* _MICMEM_CORE_H */
