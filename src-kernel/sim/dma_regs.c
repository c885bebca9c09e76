// SPDX-License-Identifier: GPL-2.0
/*
 * DMA engine model, register side: host MMIO to the channel blocks and
 * DCR (under card->reg_lock, from sim_reg_dispatch_*), the model's
 * configfs options and its debugfs knobs.  The engine that fetches and
 * executes descriptors is dma.c.
 *
 * Rules a public source states, enforced (doc/x100-hardware.md):
 *  - DRAR_LO/DRAR_HI are written only while the channel is disabled in
 *    DCR (MPSS set_desc_ring disables first).  A write while enabled is
 *    ignored and counted in "dma_drar_ignored": the engine keeps the ring
 *    it runs on.
 *  - DHPR < ring size, else a HEAD channel error (MPSS write_head).  DHPR
 *    may be written while the channel is disabled (the value is latched,
 *    nothing runs until it is enabled) or enabled (submission).
 *  - Erratum C.8 #1: writing the value DHPR already holds makes the engine
 *    take the ring as completely filled: it runs on through head for one
 *    whole ring more, re-executing every descriptor in it ("dma_errata"
 *    and "dma_head_repeat").  No error is reported, as on the chip.
 *  - DCR: owner of channel n is bit 2n, 1 = host (the code of every Intel
 *    driver; mainline's register comment says the opposite and is not what
 *    shipped), enable is bit 2n + 1.  The owner selects the channel's
 *    interrupt path (dma.c) and the 512 KiB MEMCOPY limit.
 *  - DCAR: IM1 (bit 25) masks the host interrupt of a host-owned channel,
 *    IM0 (bit 24) the card-side interrupt of a card-owned one.
 *
 * Where the sources are silent, a configfs option (-EBUSY while live)
 * selects the behaviour; each default is the least forgiving reading:
 *  - dcherr = ro | rw | w1c (default ro): a host write to DCHERR is
 *    ignored (ro), stores the value (rw) or clears the bits written as 1
 *    (w1c).  In every mode the channel executes nothing while DCHERR is
 *    non-zero, and resumes at DTPR when a host write makes it 0.  With ro
 *    the only way out of an error is to disable the channel and program
 *    its ring again: an accepted DRAR_HI write clears DCHERR (with rw and
 *    w1c it does not).
 *  - drar_resets_pointers = 0 | 1 (default 0): with 0 a DRAR_HI write
 *    leaves DHPR and DTPR (and the memory of the last DHPR value) as they
 *    were, so a ring re-programmed over a stale head runs [DTPR, DHPR)
 *    again when enabled; with 1 both become 0 as at power-on.
 *  - quiesce_bit = 0 | 1 (default 0): whether DSTAT bit 29 reads 1 while
 *    the channel is disabled in DCR and its engine idle.  With 0 it never
 *    does.
 *  - dstatwb: see dma.c.
 *
 * The speed attributes doorbell_poll_us, link_paced, link_mbps and
 * desc_ns (dma.c, "Speed") are writable while the card is live: they
 * decide how soon, never what.  link_mbps is at least 1 (a paced link of
 * 0 MB/s never completes anything): 0, values past the bounds and
 * anything that is not a u32 are -EINVAL.
 *
 * Knobs (debugfs): card_dcr_flip (write a mask of DCR bits of channels
 * 4-7, bits 15:8: the card OS toggles them behind the host's back, counted
 * in injected_dcr_flip; any other bit is -EINVAL), stall, fail_next,
 * fail_skip, fail_fetch_next, drop_irq, delay_completion_us and the
 * counters listed in sim_dma_knobs[] (doc/testing.md has the table),
 * among them the speed counters dma_link_waits (descriptors whose
 * completion pacing held back) and per channel wakeups, poll_hits and
 * sleeps.
 */
#include <linux/kernel.h>
#include <linux/workqueue.h>

#include "sim.h"

static const char *const sim_dcherr_names[] = {
	[SIM_DCHERR_RO] = "ro",
	[SIM_DCHERR_RW] = "rw",
	[SIM_DCHERR_W1C] = "w1c",
	NULL,
};

static const char *const sim_dstatwb_names[] = {
	[SIM_DSTATWB_ON_COMPLETE] = "on_complete",
	[SIM_DSTATWB_PER_DESC] = "per_desc",
	NULL,
};

SIM_CFG_ATTR_ENUM(dcherr, dma_cfg.dcherr, sim_dcherr_names);
SIM_CFG_ATTR_ENUM(dstatwb, dma_cfg.dstatwb, sim_dstatwb_names);
SIM_CFG_ATTR_U32(drar_resets_pointers, dma_cfg.drar_resets_pointers, 0, 1);
SIM_CFG_ATTR_U32(quiesce_bit, dma_cfg.quiesce_bit, 0, 1);

/* The speed attributes: writable while live (dma.c, "Speed"). */
SIM_CFG_ATTR_U32_LIVE(doorbell_poll_us, dma_cfg.doorbell_poll_us, 0,
		      SIM_DMA_POLL_US_MAX);
SIM_CFG_ATTR_U32_LIVE(link_paced, dma_cfg.link_paced, 0, 1);
SIM_CFG_ATTR_U32_LIVE(link_mbps, dma_cfg.link_mbps, 1,
		      SIM_DMA_LINK_MBPS_MAX);
SIM_CFG_ATTR_U32_LIVE(desc_ns, dma_cfg.desc_ns, 0, SIM_DMA_DESC_NS_MAX);

struct configfs_attribute *sim_dma_cfg_attrs[] = {
	&sim_cfg_attr_dcherr,
	&sim_cfg_attr_drar_resets_pointers,
	&sim_cfg_attr_quiesce_bit,
	&sim_cfg_attr_dstatwb,
	&sim_cfg_attr_doorbell_poll_us,
	&sim_cfg_attr_link_paced,
	&sim_cfg_attr_link_mbps,
	&sim_cfg_attr_desc_ns,
	NULL,
};

/*
 * The least forgiving reading of each (kzalloc'ed card: all 0 already).
 * Speed: link_mbps is what an x100 moves per direction over its PCIe
 * gen2 x16 link in practice (6.5-7 GB/s for large transfers, against
 * 8 GB/s raw: doc/x100-hardware.md F); desc_ns is one PCIe round trip
 * of the same link (0.44 us for 8 bytes, doc/x100-hardware.md F), what
 * fetching a descriptor from a ring in host memory costs at least; no
 * per-descriptor figure is published.  Pacing is off by default: tests
 * and the driver's figures want the engine as fast as the CPU copies.
 */
void sim_dma_cfg_init(struct sim_card *card)
{
	card->dma_cfg.dcherr = SIM_DCHERR_RO;
	card->dma_cfg.drar_resets_pointers = 0;
	card->dma_cfg.quiesce_bit = 0;
	card->dma_cfg.dstatwb = SIM_DSTATWB_ON_COMPLETE;
	card->dma_cfg.doorbell_poll_us = SIM_DMA_POLL_US_DEFAULT;
	card->dma_cfg.link_paced = 0;
	card->dma_cfg.link_mbps = SIM_DMA_LINK_MBPS_DEFAULT;
	card->dma_cfg.desc_ns = SIM_DMA_DESC_NS_DEFAULT;
}

/* Register offsets inside a channel block */
#define SIM_DMA_DHPR		(MIC_DHPR(0) - MIC_DCAR(0))
#define SIM_DMA_DTPR		(MIC_DTPR(0) - MIC_DCAR(0))
#define SIM_DMA_DRAR_LO		(MIC_DRAR_LO(0) - MIC_DCAR(0))
#define SIM_DMA_DRAR_HI		(MIC_DRAR_HI(0) - MIC_DCAR(0))
#define SIM_DMA_DSTAT		(MIC_DSTAT(0) - MIC_DCAR(0))
#define SIM_DMA_DCHERR		(MIC_DCHERR(0) - MIC_DCAR(0))

/* DCR bits of the card OS's channels 4-7 */
#define SIM_DCR_CARD_CHANNELS	GENMASK(15, 8)

static unsigned int sim_dma_reg_chan(u32 off)
{
	return (off - MIC_DCAR(0)) / (MIC_DCAR(1) - MIC_DCAR(0));
}

static u32 sim_dma_reg_field(u32 off)
{
	return (off - MIC_DCAR(0)) % (MIC_DCAR(1) - MIC_DCAR(0));
}

static bool sim_dma_is_chan_reg(u32 off)
{
	return off >= MIC_DCAR(0) && off < MIC_DCAR(MIC_DMA_CHANNELS);
}

/* The helpers below and the hooks run with reg_lock held. */

u32 sim_dma_ring_size(struct sim_card *card, unsigned int ch)
{
	return MIC_DRAR_HI_SIZE_GET(__sim_reg_get(card, MIC_DRAR_HI(ch)));
}

bool sim_dma_enabled(struct sim_card *card, unsigned int ch)
{
	return __sim_reg_get(card, MIC_DCR) & MIC_DCR_ENABLE(ch);
}

bool sim_dma_host_owned(struct sim_card *card, unsigned int ch)
{
	return __sim_reg_get(card, MIC_DCR) & MIC_DCR_OWNER_HOST(ch);
}

/*
 * Something may have given @chan work.  A worker still executing looks
 * again before it stops, a polling one sees the flag; only an idle
 * channel needs its worker queued (dma.c, "Speed").
 */
void sim_dma_kick(struct sim_card *card, struct sim_dma_chan *chan)
{
	if (card->dma.stopped || card->vanished || chan->running)
		return;
	if (chan->polling) {
		WRITE_ONCE(chan->poll_kick, true);
		return;
	}
	if (queue_work(card->dma.wq, &chan->work))
		chan->wakeups++;
}

void sim_dma_reg_read(struct sim_card *card, u32 off, u32 *val)
{
	struct sim_dma_chan *chan;

	*val = __sim_reg_get(card, off);
	if (!sim_dma_is_chan_reg(off))
		return;
	chan = &card->dma.chan[sim_dma_reg_chan(off)];
	switch (sim_dma_reg_field(off)) {
	case SIM_DMA_DHPR:
		*val = chan->head;
		break;
	case SIM_DMA_DTPR:
		*val = chan->tail;
		break;
	case SIM_DMA_DSTAT:
		*val = chan->tail & MIC_DSTAT_CMP_CNT;
		if (card->dma_cfg.quiesce_bit &&
		    !sim_dma_enabled(card, chan->nr) && !chan->running)
			*val |= MIC_DSTAT_QUIESCE;
		break;
	}
}

static void sim_dma_head_write(struct sim_card *card,
			       struct sim_dma_chan *chan, u32 val)
{
	u32 off = MIC_DCHERR(chan->nr);

	if (val >= sim_dma_ring_size(card, chan->nr)) {
		chan->errors++;
		__sim_reg_set(card, off, __sim_reg_get(card, off) |
			      SIM_DCHERR_HEAD);
		return;
	}
	if (chan->head_written && val == chan->head) {
		/* erratum C.8 #1: "the whole ring is full" */
		card->dma.errata++;
		card->dma.head_repeat++;
		chan->lap = true;
	}
	chan->head = val;
	chan->head_written = true;
	sim_dma_kick(card, chan);
}

/* DRAR_HI written while the channel is disabled: a new ring. */
static void sim_dma_ring_write(struct sim_card *card,
			       struct sim_dma_chan *chan, u32 val)
{
	__sim_reg_set(card, MIC_DRAR_HI(chan->nr), val);
	chan->plain_status = false;
	if (card->dma_cfg.drar_resets_pointers) {
		chan->head = 0;
		chan->tail = 0;
		chan->head_written = false;
		chan->lap = false;
	}
	if (card->dma_cfg.dcherr == SIM_DCHERR_RO)
		__sim_reg_set(card, MIC_DCHERR(chan->nr), 0);
}

static void sim_dma_dcherr_write(struct sim_card *card,
				 struct sim_dma_chan *chan, u32 val)
{
	u32 off = MIC_DCHERR(chan->nr), old = __sim_reg_get(card, off);

	switch (card->dma_cfg.dcherr) {
	case SIM_DCHERR_RW:
		__sim_reg_set(card, off, val);
		break;
	case SIM_DCHERR_W1C:
		__sim_reg_set(card, off, old & ~val);
		break;
	default:
		return;
	}
	if (old && !__sim_reg_get(card, off))
		sim_dma_kick(card, chan);
}

/* DCR: a host write, or the card OS's (card_dcr_flip); kicks enabled ones. */
static void sim_dma_dcr_set(struct sim_card *card, u32 val)
{
	unsigned int ch;

	__sim_reg_set(card, MIC_DCR, val);
	for (ch = 0; ch < MIC_DMA_CHANNELS; ch++)
		if (val & MIC_DCR_ENABLE(ch))
			sim_dma_kick(card, &card->dma.chan[ch]);
}

void sim_dma_reg_write(struct sim_card *card, u32 off, u32 val)
{
	struct sim_dma_chan *chan;

	if (off == MIC_DCR) {
		sim_dma_dcr_set(card, val);
		return;
	}
	if (!sim_dma_is_chan_reg(off)) {
		__sim_reg_set(card, off, val);
		return;
	}

	chan = &card->dma.chan[sim_dma_reg_chan(off)];
	switch (sim_dma_reg_field(off)) {
	case SIM_DMA_DHPR:
		sim_dma_head_write(card, chan, val);
		break;
	case SIM_DMA_DTPR:
	case SIM_DMA_DSTAT:
		break;		/* read-only */
	case SIM_DMA_DRAR_LO:
	case SIM_DMA_DRAR_HI:
		if (sim_dma_enabled(card, chan->nr))
			card->dma.drar_ignored++;
		else if (sim_dma_reg_field(off) == SIM_DMA_DRAR_HI)
			sim_dma_ring_write(card, chan, val);
		else
			__sim_reg_set(card, off, val);
		break;
	case SIM_DMA_DCHERR:
		sim_dma_dcherr_write(card, chan, val);
		break;
	default:
		__sim_reg_set(card, off, val);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Knobs and counters (debugfs)                                        */

/* stall: a mask of channels; the ones released resume at once. */
static int sim_dma_stall_set(struct sim_card *card, unsigned long arg,
			     u64 val)
{
	unsigned long flags;
	unsigned int ch;

	if (val >= BIT(MIC_DMA_CHANNELS))
		return -EINVAL;
	spin_lock_irqsave(&card->reg_lock, flags);
	card->dma.stall = val;
	for (ch = 0; ch < MIC_DMA_CHANNELS; ch++)
		if (!(val & BIT(ch)))
			sim_dma_kick(card, &card->dma.chan[ch]);
	spin_unlock_irqrestore(&card->reg_lock, flags);
	return 0;
}

/* card_dcr_flip: the card OS toggles DCR bits of its channels 4-7. */
static int sim_dma_dcr_flip_set(struct sim_card *card, unsigned long arg,
				u64 val)
{
	unsigned long flags;

	if (!val || val & ~(u64)SIM_DCR_CARD_CHANNELS)
		return -EINVAL;
	spin_lock_irqsave(&card->reg_lock, flags);
	sim_dma_dcr_set(card, __sim_reg_get(card, MIC_DCR) ^ val);
	card->dma.injected_dcr_flip++;
	spin_unlock_irqrestore(&card->reg_lock, flags);
	return 0;
}

static int sim_dma_delay_set(struct sim_card *card, unsigned long arg,
			     u64 val)
{
	if (val > SIM_DMA_DELAY_MAX_US)
		return -EINVAL;
	return sim_knob_u32_set(card, arg, val);
}

#define SIM_DMA_CHAN_KNOB(ch, field)					\
	SIM_KNOB_U64_RO("dma" #ch "_" #field, dma.chan[ch].field)

static const struct sim_knob sim_dma_knobs[] = {
	{ "stall", sim_knob_u32_get, sim_dma_stall_set,
	  SIM_KNOB_OFF(dma.stall) },
	{ "card_dcr_flip", NULL, sim_dma_dcr_flip_set },
	{ "delay_completion_us", sim_knob_u32_get, sim_dma_delay_set,
	  SIM_KNOB_OFF(dma.delay_completion_us) },
	SIM_KNOB_U32("fail_next", dma.fail_next),
	SIM_KNOB_U32("fail_skip", dma.fail_skip),
	SIM_KNOB_U32("fail_fetch_next", dma.fail_fetch_next),
	SIM_KNOB_U32("drop_irq", dma.drop_irq),
	SIM_KNOB_U32("corrupt_next", dma.corrupt_next),
	SIM_KNOB_U64_RO("injected_stall", dma.injected_stall),
	SIM_KNOB_U64_RO("injected_fail", dma.injected_fail),
	SIM_KNOB_U64_RO("injected_fail_fetch", dma.injected_fail_fetch),
	SIM_KNOB_U64_RO("injected_drop_irq", dma.injected_drop_irq),
	SIM_KNOB_U64_RO("injected_corrupt", dma.injected_corrupt),
	SIM_KNOB_U64_RO("injected_delay_completion",
			dma.injected_delay_completion),
	SIM_KNOB_U64_RO("injected_dcr_flip", dma.injected_dcr_flip),
	SIM_KNOB_U64_RO("dma_nop", dma.nop),
	SIM_KNOB_U64_RO("dma_memcopy", dma.memcopy),
	SIM_KNOB_U64_RO("dma_status", dma.status),
	SIM_KNOB_U64_RO("dma_status_intr", dma.status_intr),
	SIM_KNOB_U64_RO("dma_general", dma.general),
	SIM_KNOB_U64_RO("dma_errata", dma.errata),
	SIM_KNOB_U64_RO("dma_head_repeat", dma.head_repeat),
	SIM_KNOB_U64_RO("dma_drar_ignored", dma.drar_ignored),
	SIM_KNOB_U64_RO("dma_link_waits", dma.link_waits),
	/* the host's channels; 4-7 belong to the card OS */
	SIM_DMA_CHAN_KNOB(0, descriptors),
	SIM_DMA_CHAN_KNOB(0, bytes),
	SIM_DMA_CHAN_KNOB(0, interrupts),
	SIM_DMA_CHAN_KNOB(0, card_interrupts),
	SIM_DMA_CHAN_KNOB(0, errors),
	SIM_DMA_CHAN_KNOB(0, wakeups),
	SIM_DMA_CHAN_KNOB(0, poll_hits),
	SIM_DMA_CHAN_KNOB(0, sleeps),
	SIM_DMA_CHAN_KNOB(1, descriptors),
	SIM_DMA_CHAN_KNOB(1, bytes),
	SIM_DMA_CHAN_KNOB(1, interrupts),
	SIM_DMA_CHAN_KNOB(1, card_interrupts),
	SIM_DMA_CHAN_KNOB(1, errors),
	SIM_DMA_CHAN_KNOB(1, wakeups),
	SIM_DMA_CHAN_KNOB(1, poll_hits),
	SIM_DMA_CHAN_KNOB(1, sleeps),
	SIM_DMA_CHAN_KNOB(2, descriptors),
	SIM_DMA_CHAN_KNOB(2, bytes),
	SIM_DMA_CHAN_KNOB(2, interrupts),
	SIM_DMA_CHAN_KNOB(2, card_interrupts),
	SIM_DMA_CHAN_KNOB(2, errors),
	SIM_DMA_CHAN_KNOB(2, wakeups),
	SIM_DMA_CHAN_KNOB(2, poll_hits),
	SIM_DMA_CHAN_KNOB(2, sleeps),
	SIM_DMA_CHAN_KNOB(3, descriptors),
	SIM_DMA_CHAN_KNOB(3, bytes),
	SIM_DMA_CHAN_KNOB(3, interrupts),
	SIM_DMA_CHAN_KNOB(3, card_interrupts),
	SIM_DMA_CHAN_KNOB(3, errors),
	SIM_DMA_CHAN_KNOB(3, wakeups),
	SIM_DMA_CHAN_KNOB(3, poll_hits),
	SIM_DMA_CHAN_KNOB(3, sleeps),
};

int sim_dma_knobs_add(struct sim_card *card)
{
	return sim_knobs_add(card, sim_dma_knobs, ARRAY_SIZE(sim_dma_knobs));
}
