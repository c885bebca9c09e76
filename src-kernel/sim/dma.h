/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMA engine model of a simulated card: channel registers and DCR
 * (dma_regs.c), ring fetch through the SMPT, descriptor execution,
 * completion interrupts, fault injection and counters (dma.c).
 */
#ifndef _MICMEM_SIM_DMA_H
#define _MICMEM_SIM_DMA_H

#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../include/x100/regs.h"

struct sim_card;
struct sim_dma_snap;
struct configfs_attribute;

/*
 * DCHERR bits reported by the model.  doc/x100-hardware.md gives no bit
 * meanings (C.6: "non-zero = error"); these are the model's own, so that
 * a test can tell the causes apart.  The driver only tests for non-zero.
 */
#define SIM_DCHERR_DESC		BIT(0)	/* bad type, reserved bits, length 0 */
#define SIM_DCHERR_ALIGN	BIT(1)	/* address or length not 64-byte aligned */
#define SIM_DCHERR_ADDR		BIT(2)	/* outside card memory and SMPT window */
#define SIM_DCHERR_HEAD		BIT(3)	/* DHPR at or past the ring size */
#define SIM_DCHERR_INJECTED	BIT(4)	/* the fail_next knob */
#define SIM_DCHERR_SIZE		BIT(5)	/* MEMCOPY > 512 KiB, host-owned channel */
#define SIM_DCHERR_RING		BIT(6)	/* ring size 0, not a multiple of 64, >= 128 Ki */
#define SIM_DCHERR_FETCH	BIT(7)	/* the fail_fetch_next knob */

/* Smallest unit and bound of the ring size (MPSS set_desc_ring, C.3) */
#define SIM_DMA_RING_ALIGN	64
#define SIM_DMA_RING_LIMIT	(128 * 1024)
/* delay_completion_us bound */
#define SIM_DMA_DELAY_MAX_US	10000000

/* configfs "dcherr": what a host write to DCHERR does (see dma_regs.c) */
enum sim_dcherr_mode {
	SIM_DCHERR_RO,		/* ignored; cleared by re-programming the ring */
	SIM_DCHERR_RW,		/* stores the value written */
	SIM_DCHERR_W1C,		/* clears the bits written as 1 */
};

/* configfs "dstatwb": when DSTAT is written back (see dma.c) */
enum sim_dstatwb_mode {
	SIM_DSTATWB_ON_COMPLETE,	/* when the channel runs dry or stops */
	SIM_DSTATWB_PER_DESC,		/* after every descriptor */
};

/* Defaults and bounds of the engine's speed attributes (dma_regs.c) */
#define SIM_DMA_POLL_US_DEFAULT	200
#define SIM_DMA_POLL_US_MAX	10000000
#define SIM_DMA_LINK_MBPS_DEFAULT 6700
#define SIM_DMA_LINK_MBPS_MAX	1000000
#define SIM_DMA_DESC_NS_DEFAULT	500
#define SIM_DMA_DESC_NS_MAX	1000000000

/* Directions of the card's link (link-paced mode, dma.c) */
enum sim_link_dir {
	SIM_LINK_TO_CARD,		/* host memory -> card memory */
	SIM_LINK_TO_HOST,		/* card memory -> host memory */
	SIM_LINK_DIRS,
	SIM_LINK_NONE = SIM_LINK_DIRS,	/* card -> card: no link time */
};

/*
 * configfs options of the model (sim_dma_cfg_attrs).  The first four are
 * read-only while the card is live; the default of each is the least
 * forgiving reading.  The speed attributes after them change how fast
 * the engine goes, not what it does: they may be written at any time
 * (under card->cfg_lock) and the engine reads each with READ_ONCE(), once
 * per descriptor or poll.
 */
struct sim_dma_cfg {
	u32 dcherr;			/* enum sim_dcherr_mode */
	u32 drar_resets_pointers;	/* 1: a DRAR_HI write zeroes DHPR/DTPR */
	u32 quiesce_bit;		/* 1: DSTAT bit 29 while disabled+idle */
	u32 dstatwb;			/* enum sim_dstatwb_mode */

	u32 doorbell_poll_us;		/* a drained channel polls DHPR so long */
	u32 link_paced;			/* 1: descriptors take link time */
	u32 link_mbps;			/* MB/s per direction per card, >= 1 */
	u32 desc_ns;			/* paced: least time per descriptor */
};

/*
 * One channel.  All fields are protected by card->reg_lock, except @work,
 * @bounce and @snap, which only the channel's worker uses, and @poll_kick,
 * which the polling worker also reads without the lock.
 */
struct sim_dma_chan {
	struct sim_card *card;
	unsigned int nr;
	struct work_struct work;
	void *bounce;			/* one page, card -> card copies */
	struct sim_dma_snap *snap;	/* the worker's register snapshot */

	u32 head;			/* DHPR */
	u32 tail;			/* next descriptor (DTPR, DSTAT count) */
	bool head_written;		/* DHPR holds a value the host wrote */
	bool lap;			/* same DHPR twice: one whole ring more */
	bool running;			/* the worker is executing descriptors */
	bool stalled;			/* counted in injected_stall already */
	bool plain_status;		/* last descriptor: STATUS without INTR */
	bool polling;			/* the drained worker polls for work */
	bool poll_kick;			/* ... and a kick came while it did */

	u64 descriptors;
	u64 bytes;
	u64 interrupts;			/* host interrupts raised (IM1 path) */
	u64 card_interrupts;		/* card-side interrupts (IM0 path) */
	u64 errors;
	u64 wakeups;			/* kicks that had to queue the worker */
	u64 poll_hits;			/* kicks a polling worker took */
	u64 sleeps;			/* the worker went idle (poll ran out) */
};

/*
 * Per-card engine state.  Knobs and counters are protected by
 * card->reg_lock; @wq, @wait and @chan[].work are set up and torn down by
 * sim_dma_init/fini.  @link_lock (taken by the workers alone, process
 * context, innermost) protects @link_free.
 */
struct sim_dma {
	struct workqueue_struct *wq;
	wait_queue_head_t wait;		/* delay and link sleeps, fini wakes */
	bool stopped;			/* fini: the workers must not run */
	struct sim_dma_chan chan[MIC_DMA_CHANNELS];

	spinlock_t link_lock;		/* link-paced mode; see above */
	ktime_t link_free[SIM_LINK_DIRS];	/* the link is busy until */
	u64 link_waits;			/* descriptors held back by pacing */

	u32 stall;			/* knob: channels that stop processing */
	u32 fail_next;			/* knob: descriptors that will fail */
	u32 fail_skip;			/* knob: good ones before they do */
	u32 fail_fetch_next;		/* knob: descriptor fetches that fail */
	u32 drop_irq;			/* knob: interrupts to lose */
	u32 delay_completion_us;	/* knob: wait before each STATUS */
	u32 corrupt_next;		/* knob: MEMCOPYs to corrupt */
	u64 injected_stall;
	u64 injected_fail;
	u64 injected_fail_fetch;
	u64 injected_drop_irq;
	u64 injected_corrupt;
	u64 injected_delay_completion;
	u64 injected_dcr_flip;

	u64 nop;			/* descriptors executed, by type */
	u64 memcopy;
	u64 status;
	u64 status_intr;		/* STATUS with the interrupt bit */
	u64 general;
	u64 errata;			/* erratum-triggering driver behaviour */
	u64 head_repeat;		/* same DHPR twice: whole ring re-run */
	u64 drar_ignored;		/* DRAR written while enabled */
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
/* live, cfg_lock held: a speed attribute changed (sleeps look again) */
void sim_dma_cfg_changed(struct sim_card *card);

/*
 * dma_mem.c, in the channel's worker: read or write a small buffer at any
 * card physical address; execute a MEMCOPY (the one function that does).
 * 0 or DCHERR bits.
 */
int sim_dma_access(struct sim_card *card, const u32 *smpt, u64 addr,
		   void *buf, size_t len, bool write);
void sim_dma_corrupt(struct sim_dma_chan *chan, const u32 *smpt, u64 dst);
enum sim_link_dir sim_dma_link_dir(struct sim_card *card, u64 src, u64 dst,
				   u64 len);
int sim_dma_memcopy(struct sim_dma_chan *chan, const u32 *smpt, u64 src,
		    u64 dst, u64 len);

/* dma_regs.c: host MMIO in [SIM_DMA_REGS_START, SIM_DMA_REGS_END) */
void sim_dma_reg_read(struct sim_card *card, u32 off, u32 *val);
void sim_dma_reg_write(struct sim_card *card, u32 off, u32 val);
/* dma_regs.c, for the engine; reg_lock held */
u32 sim_dma_ring_size(struct sim_card *card, unsigned int ch);
bool sim_dma_enabled(struct sim_card *card, unsigned int ch);
bool sim_dma_host_owned(struct sim_card *card, unsigned int ch);
void sim_dma_kick(struct sim_card *card, struct sim_dma_chan *chan);
/* dma_regs.c: the model's debugfs knobs and counters */
int sim_dma_knobs_add(struct sim_card *card);

#endif /* _MICMEM_SIM_DMA_H */
