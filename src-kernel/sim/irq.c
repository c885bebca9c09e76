// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts: the SICR0 cause register (write 1 to clear), the enable
 * mask behind SICE0 (write sets bits) and SICC0 (write clears bits),
 * routing to MSI-X vectors by MXARn, auto-clear by SIAC0, and delivery to
 * the driver in hard-irq context through an irq_work.
 *
 * With MICMEM_HW_VECTORS vectors (MSI-X, the default), vector v gets the
 * sources whose bits are set in MXAR v; sources routed to none of the
 * vectors go to the last one.  A source set in SIAC0 is cleared in SICR0
 * when it is delivered.  A source is delivered when it is raised while
 * enabled, or when it gets enabled while its SICR0 bit is set; rewriting
 * an already enabled bit (the B0+ "re-enable" workaround) delivers
 * nothing.  The fact sheet does not say how the hardware behaves there;
 * this is the edge-triggered reading of MSI-X.
 *
 * With one vector (configfs "vectors" = 1, MSI) every source goes to
 * vector 0 whatever MXAR says, and nothing auto-clears (SIAC0 is only
 * valid with MSI-X, fact sheet B.5): the handler must acknowledge SICR0.
 * A message is sent when an enabled source is raised, and whenever SICE0
 * is written while an enabled source is pending in SICR0.  On B0 and
 * later steppings the card then sends nothing until SICE0 is written
 * again: this is how the sim reads erratum C.8 #6 ("interrupts need
 * re-enabling"), so a driver without the workaround loses interrupts.
 * A handler that rewrites SICE0 without acknowledging gets the message
 * again at once, an interrupt storm, which on real hardware would lock
 * the CPU up; the sim refuses more than SIM_IRQ_STORM such re-sends in a
 * row (debugfs interrupt_storms) so that a test sees the storm in the
 * counters instead of a hung VM.
 */
#include <linux/bitops.h>

#include "sim.h"

/* Re-sends by SICE0 writes without a new source raised in between */
#define SIM_IRQ_STORM		1000

static bool sim_irq_msi(struct sim_card *card)
{
	return card->hw.nr_vectors == 1;
}

bool sim_irq_reg(u32 off)
{
	return off == MIC_SICR0 || off == MIC_SICE0 || off == MIC_SICC0;
}

/* reg_lock held */
static void sim_irq_queue(struct sim_card *card, u32 sources)
{
	if (!sources || !card->irq_on || card->vanished)
		return;
	if (sim_irq_msi(card)) {
		/* a disarmed card keeps the source pending in SICR0 */
		if (!card->irq_armed)
			return;
		if (sim_card_b0_plus(card))
			card->irq_armed = 0;
	}
	card->irq_pending |= sources;
	irq_work_queue(&card->irq_work);
}

/* reg_lock held: SICE0 written with one vector, see the top of the file */
static void sim_irq_msi_rearm(struct sim_card *card)
{
	u32 pending = __sim_reg_get(card, MIC_SICR0) & card->int_enable;

	card->irq_armed = 1;
	if (pending && ++card->irq_resends > SIM_IRQ_STORM) {
		card->irq_storms++;
		return;
	}
	sim_irq_queue(card, pending);
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
		if (sim_irq_msi(card))
			sim_irq_msi_rearm(card);
		else
			sim_irq_queue(card, newly &
					    __sim_reg_get(card, MIC_SICR0));
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
	card->irq_resends = 0;
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
 * reg_lock held: which MSI-X vectors @pending sources go to; counts the
 * interrupts and auto-clears the delivered sources set in SIAC0.
 */
static unsigned long sim_irq_route_msix(struct sim_card *card, u32 pending)
{
	unsigned int nv = card->hw.nr_vectors, v;
	u32 routed = 0, bits, sicr = __sim_reg_get(card, MIC_SICR0);
	unsigned long vectors = 0;

	for (v = 0; v < nv; v++)
		routed |= __sim_reg_get(card, MIC_MXAR(v));
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
	return vectors;
}

/*
 * Hard-irq context; on PREEMPT_RT the irq_work thread, as interrupt
 * handlers are threaded there.
 */
static void sim_irq_work_fn(struct irq_work *work)
{
	struct sim_card *card = container_of(work, struct sim_card, irq_work);
	unsigned long vectors = 0;
	unsigned int v;
	u32 pending;

	spin_lock(&card->reg_lock);
	pending = card->irq_pending;
	card->irq_pending = 0;
	if (card->vanished)
		pending = 0;
	if (!sim_irq_msi(card)) {
		vectors = sim_irq_route_msix(card, pending);
	} else if (pending) {
		card->irq_count[0]++;
		vectors = BIT(0);
	}
	spin_unlock(&card->reg_lock);

	for_each_set_bit(v, &vectors, card->hw.nr_vectors)
		micmem_card_interrupt(&card->hw, v);
}

void sim_irq_init(struct sim_card *card)
{
	/* Not IRQ_WORK_HARD: the driver's handler takes spinlock_t locks. */
	init_irq_work(&card->irq_work, sim_irq_work_fn);
	card->irq_pending = 0;
	card->irq_on = false;
	card->irq_armed = 1;
	card->irq_resends = 0;
	card->irq_storms = 0;
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
