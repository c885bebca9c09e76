/* SPDX-License-Identifier: GPL-2.0 */
/*
 * micmem_sim: a register-level model of an Intel Xeon Phi x100 card behind
 * the same seam (struct micmem_hw) as the PCI glue.
 *
 * A card is described in configfs (configfs.c), goes live on "live" = 1
 * (card.c): a platform device for DMA mapping, a register file (regs.c),
 * sparse card memory (mem.c), interrupt delivery (irq.c), debugfs counters
 * and knobs (debugfs.c), then the bootstrap model (boot.c) and the DMA
 * engine model (dma.c), and finally micmem_card_add(), exactly like a PCI
 * probe.
 *
 * Register dispatch (regs.c): host MMIO accesses to
 *  - SICR0, SICE0, SICC0, SIAC0 are handled by irq.c;
 *  - [SIM_DMA_REGS_START, SIM_DMA_REGS_END) by sim_dma_reg_read/write();
 *  - everything else by sim_boot_reg_read/write().
 * The hooks run with card->reg_lock held and interrupts off: they must not
 * sleep, and use __sim_reg_get/__sim_reg_set/__sim_raise_interrupt().
 *
 * Locks, outermost first:
 *  - card->cfg_lock (mutex): configuration attributes and the live state.
 *    Taken by configfs callbacks (process context); held across going live
 *    and offline, so it is never taken by the models or by the driver's
 *    calls into the card.
 *  - card->knob_lock (mutex): debugfs knob callbacks run under it, and
 *    card->knobs_live tells whether the models behind them still exist.
 *  - card->reg_lock (spinlock, irqsave): register file, MMIO counters,
 *    interrupt enable mask, pending interrupt sources, the MSI arming
 *    state, interrupt counters, the vanish flag.  Taken from any context, including hard irq (the
 *    driver's read32/write32 and the irq_work), never held while calling
 *    into the driver.
 * Card memory (card->mem) needs no sim lock; see mem.c.
 */
#ifndef _MICMEM_SIM_H
#define _MICMEM_SIM_H

#include <linux/configfs.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include "../include/micmem_hw.h"
#include "../include/x100/regs.h"
#include "boot.h"
#include "dma.h"

#define SIM_DRV_NAME		"micmem_sim"
#define SIM_NR_REGS		(MIC_X100_MMIO_SIZE / 4)

/* DMA channel blocks, DCR and the other DMA-global registers up to LOCK */
#define SIM_DMA_REGS_START	MIC_SBOX(0xa000)
#define SIM_DMA_REGS_END	MIC_SBOX(0xa404)

struct platform_device;
struct dentry;

/**
 * struct sim_card - one simulated card, from mkdir to rmdir
 * @group:	configfs directory /sys/kernel/config/micmem_sim/<name>
 * @cfg_lock:	see the lock list at the top of this file
 * @memsize_mb:	configfs: GDDR size in MiB
 * @revision:	configfs (stepping): PCI revision id
 * @device_id:	configfs: PCI device id
 * @vectors:	configfs: interrupt vectors, MICMEM_HW_VECTORS (MSI-X) or 1
 *		(MSI); hw.nr_vectors while live
 * @live:	configfs: the card is registered with the driver
 * @card_nr:	N of micN while live, -1 otherwise
 *
 * Valid while live (built by sim_card_online(), torn down by
 * sim_card_offline()):
 * @hw:		what the driver sees (ops, device, ids)
 * @pdev:	platform device, hw.dev; DMA mapping with a 64-bit mask
 * @reg_lock:	see the lock list at the top of this file
 * @regs:	register file, SIM_NR_REGS 32-bit registers (the MMIO BAR)
 * @mmio_reads:	host reads per register
 * @mmio_writes: host writes per register
 * @mmio_bad:	host accesses at an unaligned or out-of-range offset
 * @int_enable:	interrupt enable mask (set by SICE0, cleared by SICC0)
 * @irq_pending: enabled sources waiting for the irq_work
 * @irq_on:	interrupts may be queued (cleared before irq_work_sync)
 * @irq_spurious: vectors the spurious_irq knob asked for
 * @irq_armed:	one vector: the card may send a message (see irq.c)
 * @irq_wait_sice: B0+: delivered DMA sources waiting for a SICE0 write
 * @irq_wait_siac: B0+, MSI-X: ... and for a SIAC0 write
 * @irq_resends: one vector: messages re-sent by SICE0 writes since the
 *		card last raised a source
 * @irq_storms:	one vector: re-sends refused for exceeding the storm limit
 * @irq_count:	interrupts delivered per vector
 * @injected_spurious_irq: interrupts sent by the spurious_irq knob
 * @irq_work:	delivers interrupts in hard-irq context
 * @vanished:	the card "fell off the bus": reads all-ones, writes dropped
 * @mem:	card memory pages by card page number (see mem.c)
 * @mem_size:	card memory size in bytes
 * @mem_pages:	card pages allocated so far (4 KiB pages, whatever the
 *		size of the blocks they came in)
 * @mem_huge_fail_next: knob: the next N 2 MiB chunk allocations fail and
 *		fall back to 4 KiB pages (under @reg_lock)
 * @injected_mem_huge_fail: 2 MiB allocations the knob failed (@reg_lock)
 * @debugfs:	/sys/kernel/debug/micmem_sim/<name>
 * @knob_lock:	see the lock list at the top of this file
 * @knobs_live:	knob callbacks may run (under @knob_lock)
 * @knob_files:	bindings of the knob files, freed at teardown
 * @peek_offset: register the "peek" knob reads (under @knob_lock)
 * @boot:	bootstrap model (boot.c), configuration and state
 * @dma_cfg:	DMA engine model options (configfs, dma_regs.c)
 * @dma:	DMA engine model state (dma.c, dma_regs.c)
 */
struct sim_card {
	struct config_group group;
	struct mutex cfg_lock;		/* config, live; configfs only */
	u32 memsize_mb;
	u8 revision;
	u16 device_id;
	u32 vectors;
	bool live;
	int card_nr;

	struct micmem_hw hw;
	struct platform_device *pdev;

	spinlock_t reg_lock;		/* registers, counters; any ctx */
	u32 *regs;
	u64 *mmio_reads;
	u64 *mmio_writes;
	u64 mmio_bad;
	u32 int_enable;
	u32 irq_pending;
	unsigned long irq_spurious;
	bool irq_on;
	u32 irq_armed;
	u32 irq_wait_sice;
	u32 irq_wait_siac;
	u32 irq_resends;
	u64 irq_storms;
	u64 irq_count[MICMEM_HW_VECTORS];
	u64 injected_spurious_irq;
	struct irq_work irq_work;
	bool vanished;

	struct xarray mem;
	u64 mem_size;
	atomic_long_t mem_pages;
	u32 mem_huge_fail_next;
	u64 injected_mem_huge_fail;

	struct dentry *debugfs;
	struct mutex knob_lock;		/* knob callbacks vs teardown */
	bool knobs_live;
	struct list_head knob_files;
	u32 peek_offset;

	struct sim_boot boot;
	struct sim_dma_cfg dma_cfg;
	struct sim_dma dma;
};

static inline struct sim_card *sim_card_from_hw(struct micmem_hw *hw)
{
	return container_of(hw, struct sim_card, hw);
}

static inline const char *sim_card_name(struct sim_card *card)
{
	return config_item_name(&card->group.cg_item);
}

/* card.c: live 1 / live 0, called with cfg_lock held */
int sim_card_online(struct sim_card *card);
void sim_card_offline(struct sim_card *card);

/* configfs.c */
int sim_configfs_init(void);
void sim_configfs_exit(void);

/*
 * Typed u32 configfs attribute with range check, read-only (-EBUSY) while
 * the card is live.  @_field is a member path inside struct sim_card, e.g.
 * boot.reset_ms.  Defines sim_cfg_attr_<_name>; list its address in
 * sim_boot_cfg_attrs[] or sim_dma_cfg_attrs[].
 */
ssize_t sim_cfg_show_u32(struct config_item *item, char *page, size_t off);
ssize_t sim_cfg_store_u32(struct config_item *item, const char *page,
			  size_t len, size_t off, u32 min, u32 max);
/*
 * The store of an attribute that may change while the card is live (the
 * DMA engine's speed, dma_regs.c): written with WRITE_ONCE() under
 * cfg_lock, read by the models with READ_ONCE().
 */
ssize_t sim_cfg_store_u32_live(struct config_item *item, const char *page,
			       size_t len, size_t off, u32 min, u32 max);

/* Both kinds: @_store_fn is sim_cfg_store_u32 or sim_cfg_store_u32_live. */
#define SIM_CFG_ATTR_U32_WITH(_name, _field, _min, _max, _store_fn)	\
enum { sim_cfg_##_name##_off = offsetof(struct sim_card, _field) };	\
static ssize_t sim_cfg_##_name##_show(struct config_item *item,	\
				      char *page)			\
{									\
	return sim_cfg_show_u32(item, page, sim_cfg_##_name##_off);	\
}									\
static ssize_t sim_cfg_##_name##_store(struct config_item *item,	\
				       const char *page, size_t len)	\
{									\
	return _store_fn(item, page, len, sim_cfg_##_name##_off,	\
			 _min, _max);					\
}									\
CONFIGFS_ATTR(sim_cfg_, _name)

#define SIM_CFG_ATTR_U32(_name, _field, _min, _max)			\
	SIM_CFG_ATTR_U32_WITH(_name, _field, _min, _max, sim_cfg_store_u32)
#define SIM_CFG_ATTR_U32_LIVE(_name, _field, _min, _max)		\
	SIM_CFG_ATTR_U32_WITH(_name, _field, _min, _max,		\
			      sim_cfg_store_u32_live)

/*
 * An option with named values (e.g. "rw", "w1c", "ro"): a u32 @_field
 * holding the index of the name in @_names, a NULL-terminated array.
 * Reads show the name, writes take one; -EINVAL for another, -EBUSY while
 * the card is live.  Defines sim_cfg_attr_<_name>.
 */
ssize_t sim_cfg_show_enum(struct config_item *item, char *page, size_t off,
			  const char *const *names);
ssize_t sim_cfg_store_enum(struct config_item *item, const char *page,
			   size_t len, size_t off, const char *const *names);
#define SIM_CFG_ATTR_ENUM(_name, _field, _names)			\
enum { sim_cfg_##_name##_off = offsetof(struct sim_card, _field) };	\
static const char *const *const sim_cfg_##_name##_names = _names;	\
static ssize_t sim_cfg_##_name##_show(struct config_item *item,	\
				      char *page)			\
{									\
	return sim_cfg_show_enum(item, page, sim_cfg_##_name##_off,	\
				 sim_cfg_##_name##_names);		\
}									\
static ssize_t sim_cfg_##_name##_store(struct config_item *item,	\
				       const char *page, size_t len)	\
{									\
	return sim_cfg_store_enum(item, page, len,			\
				  sim_cfg_##_name##_off,		\
				  sim_cfg_##_name##_names);		\
}									\
CONFIGFS_ATTR(sim_cfg_, _name)

/* regs.c: the steppings, one table for configfs, SCRATCH13 and the models */
#define SIM_REVISION_B0		0x10	/* PCI revision id of B0 (B.6) */
#define SIM_REVISION_DEFAULT	0x20	/* C0 */
#define SIM_NR_STEPPINGS	4
struct sim_stepping {
	const char *name;
	u8 revision;
	u8 scratch13;
};

extern const struct sim_stepping sim_steppings[SIM_NR_STEPPINGS];

/* B0 and later steppings: the "re-enable interrupts" erratum (C.8 #6) */
static inline bool sim_card_b0_plus(struct sim_card *card)
{
	return card->revision >= SIM_REVISION_B0;
}

/* regs.c: the register file */
extern const struct micmem_hw_ops sim_hw_ops;
int sim_regs_alloc(struct sim_card *card);
void sim_regs_free(struct sim_card *card);
void sim_regs_reset(struct sim_card *card);
int sim_reg_name(u32 off, char *buf, size_t len);
u32 sim_reg_peek(struct sim_card *card, u32 off);
void sim_reg_poke(struct sim_card *card, u32 off, u32 val);

/* Card-internal register access (no MMIO counting, vanish ignored). */
static inline u32 __sim_reg_get(struct sim_card *card, u32 off)
{
	lockdep_assert_held(&card->reg_lock);
	return card->regs[off / 4];
}

static inline void __sim_reg_set(struct sim_card *card, u32 off, u32 val)
{
	lockdep_assert_held(&card->reg_lock);
	card->regs[off / 4] = val;
}

/* True once the card fell off the bus: models stop working. */
static inline bool sim_card_vanished(struct sim_card *card)
{
	return READ_ONCE(card->vanished);
}

/* irq.c: SICR0/SICE0/SICC0 and delivery to the driver */
void sim_irq_init(struct sim_card *card);
void sim_irq_start(struct sim_card *card);
void sim_irq_stop(struct sim_card *card);
u32 sim_irq_reg_read(struct sim_card *card, u32 off);
void sim_irq_reg_write(struct sim_card *card, u32 off, u32 val);
bool sim_irq_reg(u32 off);
void sim_raise_interrupt(struct sim_card *card, u32 sources);
void __sim_raise_interrupt(struct sim_card *card, u32 sources);
int sim_irq_spurious(struct sim_card *card, unsigned long arg, u64 v);

/* mem.c: card memory (GDDR), in chunks of 2 MiB allocated on first write */
#define SIM_MEM_CHUNK_SHIFT	21
#define SIM_MEM_CHUNK_SIZE	BIT_ULL(SIM_MEM_CHUNK_SHIFT)
void sim_mem_init(struct sim_card *card);
void sim_mem_free(struct sim_card *card);
int sim_mem_write(struct sim_card *card, u64 addr, const void *src,
		  size_t len);
int sim_mem_read(struct sim_card *card, u64 addr, void *dst, size_t len);
/* Copy between non-overlapping buffers at memory speed (also under TCG). */
void sim_mem_copy(void *dst, const void *src, size_t len);
/*
 * sim_mem_walk() calls @fn for each piece of [addr, addr + len) that lies
 * in one card page: @cmem points at the piece's bytes in card memory,
 * @done is the piece's offset from @addr.  With @write false, untouched
 * pages are not allocated and @cmem points at zeros that @fn must not
 * modify.  A non-zero return from @fn stops the walk and is returned.
 */
typedef int (*sim_mem_fn)(void *cmem, size_t done, size_t len, void *arg);
int sim_mem_walk(struct sim_card *card, u64 addr, size_t len, bool write,
		 sim_mem_fn fn, void *arg);

/* debugfs.c */
int sim_debugfs_init(void);
void sim_debugfs_exit(void);
int sim_debugfs_card_add(struct sim_card *card);
void sim_debugfs_card_remove(struct sim_card *card);
void sim_knobs_enable(struct sim_card *card, bool on);

/**
 * struct sim_knob - an integer debugfs file under the card's directory
 * @name:	file name
 * @get:	read the value; NULL for a write-only knob
 * @set:	act on a written value; NULL for a read-only knob
 * @arg:	passed to @get and @set (e.g. a channel number)
 *
 * The callbacks run in process context under card->knob_lock and only
 * while the card's models exist (between the init and fini hooks); at
 * other times the file returns -ENODEV.  A callback returns 0 or -errno,
 * which the reader or writer gets.
 */
struct sim_knob {
	const char *name;
	int (*get)(struct sim_card *card, unsigned long arg, u64 *val);
	int (*set)(struct sim_card *card, unsigned long arg, u64 val);
	unsigned long arg;
};

/* Add knobs (a static table) to the card's debugfs directory. */
int sim_knobs_add(struct sim_card *card, const struct sim_knob *knobs,
		  unsigned int n);

/*
 * The one accessor for "a plain field of struct sim_card under
 * card->reg_lock" (debugfs.c): @arg is the field's offset inside struct
 * sim_card, so no channel number or other index is packed into it (a field
 * of channel 2 is simply dma.chan[2].bytes).  Only knobs that compute
 * their value or act on a write have functions of their own.
 */
int sim_knob_u32_get(struct sim_card *card, unsigned long off, u64 *val);
int sim_knob_u32_set(struct sim_card *card, unsigned long off, u64 val);
int sim_knob_u64_get(struct sim_card *card, unsigned long off, u64 *val);

#define SIM_KNOB_OFF(_field)	offsetof(struct sim_card, _field)
/* read-write u32 field, e.g. SIM_KNOB_U32("fail_boot", boot.fail_boot) */
#define SIM_KNOB_U32(_name, _field)					\
	{ _name, sim_knob_u32_get, sim_knob_u32_set,			\
	  SIM_KNOB_OFF(_field) }
/* read-only u32 field */
#define SIM_KNOB_U32_RO(_name, _field)					\
	{ _name, sim_knob_u32_get, NULL, SIM_KNOB_OFF(_field) }
/* read-only u64 field (the counters) */
#define SIM_KNOB_U64_RO(_name, _field)					\
	{ _name, sim_knob_u64_get, NULL, SIM_KNOB_OFF(_field) }

#endif /* _MICMEM_SIM_H */
