/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMA engine model of a simulated card: channel registers and DCR
 * (dma_regs.c), ring fetch through the SMPT, descriptor execution,
 * completion interrupts, fault injection and counters (dma.c).
 */
#ifndef _MICMEM_SIM_DMA_H
#define _MICMEM_SIM_DMA_H

#include <linux/types.h>
#include <linux/workqueue.h>

#include "../include/x100/regs.h"

struct sim_card;
struct configfs_attribute;

/*
 * DCHERR bits reported by the model.  The fact sheet documents no bit
 * meanings (C.6: "non-zero = error"); these are the model's own, so that
 * a test can tell the causes apart.  The driver only tests for non-zero.
 */
#define SIM_DCHERR_DESC		BIT(0)	/* bad type, reserved bits, length 0 */
#define SIM_DCHERR_ALIGN	BIT(1)	/* address or length not 64-byte aligned */
#define SIM_DCHERR_ADDR		BIT(2)	/* outside card memory and SMPT window */
#define SIM_DCHERR_HEAD		BIT(3)	/* DHPR past the ring or written twice */
#define SIM_DCHERR_INJECTED	BIT(4)	/* the fail_next knob */

/*
 * One channel.  All fields are protected by card->reg_lock, except @work
 * and @bounce, which only the channel's worker uses.
 */
struct sim_dma_chan {
	struct sim_card *card;
	unsigned int nr;
	struct work_struct work;
	void *bounce;			/* one page, card -> card copies */

	u32 head;			/* last DHPR value */
	u32 tail;			/* next descriptor (DTPR, DSTAT count) */
	bool head_written;		/* DHPR written since DRAR was set */
	bool running;			/* the worker is executing descriptors */
	bool stalled;			/* counted in injected_stall already */
	bool plain_status;		/* last descriptor: STATUS without INTR */

	u64 descriptors;
	u64 bytes;
	u64 interrupts;
	u64 errors;
};

/*
 * Per-card engine state.  Knobs and counters are protected by
 * card->reg_lock; @wq and @chan[].work are set up and torn down by
 * sim_dma_init/fini.
 */
struct sim_dma {
	struct workqueue_struct *wq;
	bool stopped;			/* fini: the workers must not run */
	struct sim_dma_chan chan[MIC_DMA_CHANNELS];

	u32 stall;			/* knob: channels that stop processing */
	u32 fail_next;			/* knob: descriptors that will fail */
	u32 fail_skip;			/* knob: good ones before they do */
	u32 drop_irq;			/* knob: interrupts to lose */
	u64 injected_stall;
	u64 injected_fail;
	u64 injected_drop_irq;

	u64 nop;			/* descriptors executed, by type */
	u64 memcopy;
	u64 status;
	u64 status_intr;		/* STATUS with the interrupt bit */
	u64 general;
	u64 errata;			/* erratum-triggering driver behaviour */
};

/* configfs attributes of the model, NULL-terminated */
extern struct configfs_attribute *sim_dma_cfg_attrs[];

/* mkdir: configuration defaults */
void sim_dma_cfg_init(struct sim_card *card);
/* live 1, after the register file reset; may add knobs */
int sim_dma_init(struct sim_card *card);
/*
 * live 0, after micmem_card_remove(): stop the engine; no access to host
 * memory, registers or interrupts after return.
 */
void sim_dma_fini(struct sim_card *card);

/* dma_regs.c: host MMIO in [SIM_DMA_REGS_START, SIM_DMA_REGS_END) */
void sim_dma_reg_read(struct sim_card *card, u32 off, u32 *val);
void sim_dma_reg_write(struct sim_card *card, u32 off, u32 val);
/* dma_regs.c, for the engine; reg_lock held */
u32 sim_dma_ring_size(struct sim_card *card, unsigned int ch);
bool sim_dma_enabled(struct sim_card *card, unsigned int ch);
void sim_dma_kick(struct sim_card *card, struct sim_dma_chan *chan);
/* dma_regs.c: the model's debugfs knobs and counters */
int sim_dma_knobs_add(struct sim_card *card);

#endif /* _MICMEM_SIM_DMA_H */
