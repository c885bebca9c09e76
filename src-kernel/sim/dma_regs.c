// SPDX-License-Identifier: GPL-2.0
/*
 * DMA engine model, register side: host MMIO to the channel blocks and
 * DCR (under card->reg_lock, from sim_reg_dispatch_*), and the model's
 * debugfs knobs.  The engine that fetches and executes descriptors is
 * dma.c; the readings of the fact sheet that both follow are listed there.
 */
#include <linux/kernel.h>
#include <linux/workqueue.h>

#include "sim.h"

struct configfs_attribute *sim_dma_cfg_attrs[] = {
	NULL,
};

void sim_dma_cfg_init(struct sim_card *card)
{
}

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

void sim_dma_kick(struct sim_card *card, struct sim_dma_chan *chan)
{
	if (!card->dma.stopped && !card->vanished)
		queue_work(card->dma.wq, &chan->work);
}

void sim_dma_reg_read(struct sim_card *card, u32 off, u32 *val)
{
	struct sim_dma_chan *chan;

	*val = __sim_reg_get(card, off);
	if (!sim_dma_is_chan_reg(off))
		return;
	chan = &card->dma.chan[sim_dma_reg_chan(off)];
	switch (sim_dma_reg_field(off)) {
	case 0x04:	/* DHPR */
		*val = chan->head;
		break;
	case 0x08:	/* DTPR */
		*val = chan->tail;
		break;
	case 0x20:	/* DSTAT */
		*val = chan->tail & MIC_DSTAT_CMP_CNT;
		if (!sim_dma_enabled(card, chan->nr) && !chan->running)
			*val |= MIC_DSTAT_QUIESCE;
		break;
	}
}

static void sim_dma_head_write(struct sim_card *card,
			       struct sim_dma_chan *chan, u32 val)
{
	u32 size = sim_dma_ring_size(card, chan->nr);
	u32 off = MIC_DCHERR(chan->nr);

	if ((chan->head_written && val == chan->head) || val >= size) {
		if (chan->head_written && val == chan->head)
			card->dma.errata++;
		chan->errors++;
		__sim_reg_set(card, off, __sim_reg_get(card, off) |
			      SIM_DCHERR_HEAD);
		return;
	}
	chan->head = val;
	chan->head_written = true;
	sim_dma_kick(card, chan);
}

void sim_dma_reg_write(struct sim_card *card, u32 off, u32 val)
{
	struct sim_dma_chan *chan;
	unsigned int ch;

	if (off == MIC_DCR) {
		__sim_reg_set(card, off, val);
		for (ch = 0; ch < MIC_DMA_CHANNELS; ch++)
			if (val & MIC_DCR_ENABLE(ch))
				sim_dma_kick(card, &card->dma.chan[ch]);
		return;
	}
	if (!sim_dma_is_chan_reg(off)) {
		__sim_reg_set(card, off, val);
		return;
	}

	chan = &card->dma.chan[sim_dma_reg_chan(off)];
	switch (sim_dma_reg_field(off)) {
	case 0x04:	/* DHPR */
		sim_dma_head_write(card, chan, val);
		break;
	case 0x08:	/* DTPR: read-only */
	case 0x20:	/* DSTAT: read-only */
		break;
	case 0x18:	/* DRAR_HI: a new ring */
		__sim_reg_set(card, off, val);
		chan->head = 0;
		chan->tail = 0;
		chan->head_written = false;
		chan->plain_status = false;
		break;
	case 0x2c:	/* DCHERR: write 1 to clear; resume when clear */
		__sim_reg_set(card, off, __sim_reg_get(card, off) & ~val);
		if (!__sim_reg_get(card, off))
			sim_dma_kick(card, chan);
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

#define SIM_DMA_CHAN_KNOB(ch, field)					\
	SIM_KNOB_U64_RO("dma" #ch "_" #field, dma.chan[ch].field)

static const struct sim_knob sim_dma_knobs[] = {
	{ "stall", sim_knob_u32_get, sim_dma_stall_set,
	  SIM_KNOB_OFF(dma.stall) },
	SIM_KNOB_U32("fail_next", dma.fail_next),
	SIM_KNOB_U32("fail_skip", dma.fail_skip),
	SIM_KNOB_U32("drop_irq", dma.drop_irq),
	SIM_KNOB_U64_RO("injected_stall", dma.injected_stall),
	SIM_KNOB_U64_RO("injected_fail", dma.injected_fail),
	SIM_KNOB_U64_RO("injected_drop_irq", dma.injected_drop_irq),
	SIM_KNOB_U64_RO("dma_nop", dma.nop),
	SIM_KNOB_U64_RO("dma_memcopy", dma.memcopy),
	SIM_KNOB_U64_RO("dma_status", dma.status),
	SIM_KNOB_U64_RO("dma_status_intr", dma.status_intr),
	SIM_KNOB_U64_RO("dma_general", dma.general),
	SIM_KNOB_U64_RO("dma_errata", dma.errata),
	/* the host's channels; 4-7 belong to the card OS */
	SIM_DMA_CHAN_KNOB(0, descriptors),
	SIM_DMA_CHAN_KNOB(0, bytes),
	SIM_DMA_CHAN_KNOB(0, interrupts),
	SIM_DMA_CHAN_KNOB(0, errors),
	SIM_DMA_CHAN_KNOB(1, descriptors),
	SIM_DMA_CHAN_KNOB(1, bytes),
	SIM_DMA_CHAN_KNOB(1, interrupts),
	SIM_DMA_CHAN_KNOB(1, errors),
	SIM_DMA_CHAN_KNOB(2, descriptors),
	SIM_DMA_CHAN_KNOB(2, bytes),
	SIM_DMA_CHAN_KNOB(2, interrupts),
	SIM_DMA_CHAN_KNOB(2, errors),
	SIM_DMA_CHAN_KNOB(3, descriptors),
	SIM_DMA_CHAN_KNOB(3, bytes),
	SIM_DMA_CHAN_KNOB(3, interrupts),
	SIM_DMA_CHAN_KNOB(3, errors),
};

int sim_dma_knobs_add(struct sim_card *card)
{
	return sim_knobs_add(card, sim_dma_knobs, ARRAY_SIZE(sim_dma_knobs));
}
