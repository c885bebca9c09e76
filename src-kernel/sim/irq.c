// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts: the SICR0 cause register (write 1 to clear), the enable
 * mask behind SICE0 (write sets bits) and SICC0 (write clears bits),
 * routing to MSI-X vectors by MXARn, auto-clear by SIAC0, and delivery to
 * the driver in hard-irq context through an irq_work.
 *
 * The sim always offers MICMEM_HW_VECTORS vectors (MSI-X).  Vector v gets
 * the sources whose bits are set in MXAR v; sources routed to none of the
 * vectors go to the last one.  A source set in SIAC0 is cleared in SICR0
 * when it is delivered.  A source is delivered when it is raised while
 * enabled, or when it gets enabled while its SICR0 bit is set; rewriting
 * an already enabled bit (the B0+ "re-enable" workaround) delivers
 * nothing.  The fact sheet does not say how the hardware behaves there;
 * this is the edge-triggered reading of MSI-X.
 */
#include <linux/bitops.h>

#include "sim.h"

bool sim_irq_reg(u32 off)
{
	return off == MIC_SICR0 || off == MIC_SICE0 || off == MIC_SICC0;
}

/* reg_lock held */
static void sim_irq_queue(struct sim_card *card, u32 sources)
{
	if (!sources || !card->irq_on || card->vanished)
		return;
	card->irq_pending |= sources;
	irq_work_queue(&card->irq_work);
}

/* SICC0 reads as 0: it is a command register (not in the fact sheet). */
u32 sim_irq_reg_read(struct sim_card *card, u32 off)
{
	switch (off) {
	case MIC_SICE0:
		return card->int_enable;
	case MIC_SICC0:
		return 0;
	default:
		return __sim_reg_get(card, off);
	}
}

void sim_irq_reg_write(struct sim_card *card, u32 off, u32 val)
{
	u32 newly;

	switch (off) {
	case MIC_SICR0:
		__sim_reg_set(card, off, __sim_reg_get(card, off) & ~val);
		break;
	case MIC_SICE0:
		newly = val & ~card->int_enable;
		card->int_enable |= val;
		sim_irq_queue(card, newly & __sim_reg_get(card, MIC_SICR0));
		break;
	case MIC_SICC0:
		card->int_enable &= ~val;
		break;
	}
}

void __sim_raise_interrupt(struct sim_card *card, u32 sources)
{
	lockdep_assert_held(&card->reg_lock);
	__sim_reg_set(card, MIC_SICR0, __sim_reg_get(card, MIC_SICR0) | sources);
	sim_irq_queue(card, sources & card->int_enable);
}

/*
 * Set @sources in SICR0 and deliver those that are enabled.  Any context;
 * must not be called with card->reg_lock held (use the __ variant).
 */
void sim_raise_interrupt(struct sim_card *card, u32 sources)
{
	unsigned long flags;

	spin_lock_irqsave(&card->reg_lock, flags);
	__sim_raise_interrupt(card, sources);
	spin_unlock_irqrestore(&card->reg_lock, flags);
}

/*
 * Hard-irq context; on PREEMPT_RT the irq_work thread, as interrupt
 * handlers are threaded there.
 */
static void sim_irq_work_fn(struct irq_work *work)
{
	struct sim_card *card = container_of(work, struct sim_card, irq_work);
	unsigned int nv = card->hw.nr_vectors, v;
	unsigned long vectors = 0;
	u32 pending, routed = 0, bits, sicr;

	spin_lock(&card->reg_lock);
	pending = card->irq_pending;
	card->irq_pending = 0;
	if (card->vanished)
		pending = 0;
	for (v = 0; v < nv; v++)
		routed |= __sim_reg_get(card, MIC_MXAR(v));
	sicr = __sim_reg_get(card, MIC_SICR0);
	for (v = 0; v < nv; v++) {
		bits = pending & __sim_reg_get(card, MIC_MXAR(v));
		if (v == nv - 1)
			bits |= pending & ~routed;
		if (!bits)
			continue;
		sicr &= ~(bits & __sim_reg_get(card, MIC_SIAC0));
		card->irq_count[v]++;
		__set_bit(v, &vectors);
	}
	__sim_reg_set(card, MIC_SICR0, sicr);
	spin_unlock(&card->reg_lock);

	for_each_set_bit(v, &vectors, nv)
		micmem_card_interrupt(&card->hw, v);
}

void sim_irq_init(struct sim_card *card)
{
	/* Not IRQ_WORK_HARD: the driver's handler takes spinlock_t locks. */
	init_irq_work(&card->irq_work, sim_irq_work_fn);
	card->irq_pending = 0;
	card->irq_on = false;
	memset(card->irq_count, 0, sizeof(card->irq_count));
}

void sim_irq_start(struct sim_card *card)
{
	unsigned long flags;

	spin_lock_irqsave(&card->reg_lock, flags);
	card->irq_on = true;
	spin_unlock_irqrestore(&card->reg_lock, flags);
}

/*
 * After this no interrupt is queued, and none is running or will run:
 * the irq_work may still call micmem_card_interrupt() on a removed card
 * until irq_work_sync() returns, which the driver tolerates (hw->card is
 * NULL by then), but card->hw must live until here.
 */
void sim_irq_stop(struct sim_card *card)
{
	unsigned long flags;

	spin_lock_irqsave(&card->reg_lock, flags);
	card->irq_on = false;
	card->irq_pending = 0;
	spin_unlock_irqrestore(&card->reg_lock, flags);
	irq_work_sync(&card->irq_work);
}
