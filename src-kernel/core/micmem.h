/* SPDX-License-Identifier: GPL-2.0 */
/*
 * micmem driver core: cards, file contexts and what the core files share.
 *
 * Locking overview (each lock is documented again where it is declared):
 *  - the card registry (card.c) is an xarray: its own lock, taken only
 *    to add, remove or look up a card, never across I/O.  There is no
 *    global lock on any data path.
 *  - micmem_ctx.lock: one file descriptor's pool and attachments.
 *  - per card and per channel locks live in the x100 code.
 * The order of all the driver's locks is in doc/design.md ("Lock order").
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

#define MICMEM_MAX_CARDS	256
#define MICMEM_DRV_NAME		"micmem"

struct mic_x100;

struct micmem_card {
	struct kref ref;
	int id;				/* N of micN; fixed for life */
	struct micmem_hw *hw;		/* NULL once removed */
	struct device *dev;		/* /sys/class/mic/micN */
	/*
	 * Set once by micmem_card_remove() with WRITE_ONCE(), read locklessly
	 * with READ_ONCE() (micmem_card_dma_check()).
	 */
	bool removed;
	/*
	 * The card itself: state, management, DMA channels (x100/x100.h).
	 * Set at add, freed with the structure.
	 */
	struct mic_x100 *x100;

	/*
	 * The fds' pool mappings for this card (core/batch.h).
	 * @attach_lock (mutex, process context: attach, the last put of an
	 * attachment, removal) protects @attachments and @attach_closed.
	 */
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
	/* DMA state of the fd (core/batch.h), set at open */
	struct micmem_fd_dma *dma;
};

/* card.c: registry and the "mic" class */
int micmem_card_init(void);
void micmem_card_exit(void);
struct micmem_card *micmem_card_get(unsigned int id);
void micmem_card_put(struct micmem_card *card);
unsigned int micmem_card_count(void);
int micmem_card_dma_check(struct micmem_card *card);

/* cdev.c */
int micmem_cdev_init(void);
void micmem_cdev_exit(void);

#endif /* _MICMEM_CORE_H */
