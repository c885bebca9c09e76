// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts: the SICR0 cause register (write 1 to clear), the enable
 * mask behind SICE0 (write sets bits) and SICC0 (write clears bits),
 * routing to vectors by MXARn, auto-clear by SIAC0, the B0+ disarming of
 * DMA sources, and delivery to the driver in hard-irq context through an
 * irq_work (doc/x100-hardware.md B.5).
 *
 * Routing: MXAR v is the set of sources that reach vector v.  With
 * MICMEM_HW_VECTORS vectors (MSI-X, the default) a source reaches every
 * vector whose MXAR has its bit; with one vector (configfs "vectors" = 1,
 * MSI) it reaches vector 0 only if MXAR0 has its bit (mainline programs
 * MXAR0 in MSI mode too, mic_intr.c).  A source routed nowhere is not
 * delivered: it stays pending in SICR0.  A source set in SIAC0 is cleared
 * in SICR0 when it is delivered, with MSI-X only (SIAC0 is MSI-X only,
 * B.5): with MSI the handler must acknowledge SICR0.
 *
 * Delivery is edge-like: a source is delivered when it is raised while
 * enabled, armed and routed, or when it becomes enabled or armed while its
 * SICR0 bit is set.
 *
 * B0 and later steppings (erratum C.8 #6, "interrupts need re-enabling";
 * mainline's intr_workarounds re-enables on every DMA interrupt in every
 * mode): each DMA source (SICR0 15:8) is disarmed when it is delivered and
 * delivers nothing more until the host writes SICE0 with its bit again,
 * and, with MSI-X, SIAC0 with its bit too (mainline's enable_interrupts
 * rewrites both).  A raise while disarmed stays pending in SICR0 and is
 * delivered at the re-arm.  debugfs "irq_wait_sice" and "irq_wait_siac"
 * show the sources waiting for each write.  No source says which of the
 * two writes re-arms, so the sim wants both.
 *
 * With one vector, on top of that, a message is sent when a deliverable
 * source is raised, and whenever SICE0 is written while one is pending in
 * SICR0; on B0+ the card then sends nothing until SICE0 is written again
 * ("msi_armed").  A handler that rewrites SICE0 without acknowledging
 * gets the message again at once, an interrupt storm, which on real
 * hardware would lock the CPU up; the sim refuses more than SIM_IRQ_STORM
 * such re-sends in a row (debugfs interrupt_storms) so that a test sees
 * the storm in the counters instead of a hung VM.
 *
 * Knob spurious_irq: write a vector number, the card sends that vector
 * with no source pending (injected_spurious_irq).
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
	return off == MIC_SICR0 || off == MIC_SICE0 || off == MIC_SICC0 ||
	       off == MIC_SIAC0;
}

/* reg_lock held: the sources MXAR routes to some vector */
static u32 sim_irq_routed(struct sim_card *card)
{
	unsigned int v;
	u32 routed = 0;

	for (v = 0; v < card->hw.nr_vectors; v++)
		routed |= __sim_reg_get(card, MIC_MXAR(v));
	return routed;
}

static u32 sim_irq_disarmed(struct sim_card *card)
{
	return card->irq_wait_sice | card->irq_wait_siac;
}

/* reg_lock held: send what of @sources may be delivered now */
static void sim_irq_queue(struct sim_card *card, u32 sources)
{
	sources &= card->int_enable & ~sim_irq_disarmed(card) &
		   sim_irq_routed(card);
	if (!sources || !card->irq_on || card->vanished)
		return;
	if (sim_irq_msi(card)) {
		/* a disarmed card keeps the source pending in SICR0 */
		if (!card->irq_armed)
			return;
		if (sim_card_b0_plus(card))
			card->irq_armed = 0;
	}
	if (sim_card_b0_plus(card)) {
		card->irq_wait_sice |= sources & MIC_INT_DMA_MASK;
		if (!sim_irq_msi(card))
			card->irq_wait_siac |= sources & MIC_INT_DMA_MASK;
	}
	card->irq_pending |= sources;
	irq_work_queue(&card->irq_work);
}

/* reg_lock held: SICE0 written with one vector, see the top of the file */
static void sim_irq_msi_rearm(struct sim_card *card)
{
	u32 pending = __sim_reg_get(card, MIC_SICR0) & card->int_enable &
		      ~sim_irq_disarmed(card) & sim_irq_routed(card);

	card->irq_armed = 1;
	if (pending && ++card->irq_resends > SIM_IRQ_STORM) {
		card->irq_storms++;
		return;
	}
	sim_irq_queue(card, pending);
}

/* SICC0 reads as 0: it is a command register (not in doc/x100-hardware.md). */
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
	u32 disarmed = sim_irq_disarmed(card), newly;

	switch (off) {
	case MIC_SICR0:
		__sim_reg_set(card, off, __sim_reg_get(card, off) & ~val);
		break;
	case MIC_SICE0:
		newly = val & ~card->int_enable;
		card->int_enable |= val;
		card->irq_wait_sice &= ~val;
		if (sim_irq_msi(card))
			sim_irq_msi_rearm(card);
		else
			sim_irq_queue(card, (newly | (disarmed &
					     ~sim_irq_disarmed(card))) &
					    __sim_reg_get(card, MIC_SICR0));
		break;
	case MIC_SICC0:
		card->int_enable &= ~val;
		break;
	case MIC_SIAC0:
		__sim_reg_set(card, off, val);
		if (sim_irq_msi(card))
			break;
		card->irq_wait_siac &= ~val;
		sim_irq_queue(card, disarmed & ~sim_irq_disarmed(card) &
				    __sim_reg_get(card, MIC_SICR0));
		break;
	}
}

void __sim_raise_interrupt(struct sim_card *card, u32 sources)
{
	lockdep_assert_held(&card->reg_lock);
	__sim_reg_set(card, MIC_SICR0, __sim_reg_get(card, MIC_SICR0) | sources);
	card->irq_resends = 0;
	sim_irq_queue(card, sources);
}

/*
 * Set @sources in SICR0 and deliver those that may be.  Any context;
 * must not be called with card->reg_lock held (use the __ variant).
 */
void sim_raise_interrupt(struct sim_card *card, u32 sources)
{
	unsigned long flags;

	spin_lock_irqsave(&card->reg_lock, flags);
	__sim_raise_interrupt(card, sources);
	spin_unlock_irqrestore(&card->reg_lock, flags);
}

/* Knob spurious_irq: vector @v with no source behind it. */
int sim_irq_spurious(struct sim_card *card, unsigned long arg, u64 v)
{
	unsigned long flags;

	if (v >= card->hw.nr_vectors)
		return -EINVAL;
	spin_lock_irqsave(&card->reg_lock, flags);
	if (card->irq_on && !card->vanished) {
		card->irq_spurious |= BIT(v);
		card->injected_spurious_irq++;
		irq_work_queue(&card->irq_work);
	}
	spin_unlock_irqrestore(&card->reg_lock, flags);
	return 0;
}

/*
 * reg_lock held: which vectors @pending sources go to; counts the
 * interrupts and, with MSI-X, auto-clears the delivered sources set in
 * SIAC0.
 */
static unsigned long sim_irq_route(struct sim_card *card, u32 pending)
{
	u32 bits, sicr = __sim_reg_get(card, MIC_SICR0);
	unsigned long vectors = 0;
	unsigned int v;

	for (v = 0; v < card->hw.nr_vectors; v++) {
		bits = pending & __sim_reg_get(card, MIC_MXAR(v));
		if (!bits)
			continue;
		if (!sim_irq_msi(card))
			sicr &= ~(bits & __sim_reg_get(card, MIC_SIAC0));
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

	spin_lock(&card->reg_lock);
	if (!card->vanished)
		vectors = sim_irq_route(card, card->irq_pending) |
			  card->irq_spurious;
	card->irq_pending = 0;
	card->irq_spurious = 0;
	for_each_set_bit(v, &vectors, card->hw.nr_vectors)
		card->irq_count[v]++;
	spin_unlock(&card->reg_lock);

	for_each_set_bit(v, &vectors, card->hw.nr_vectors)
		micmem_card_interrupt(&card->hw, v);
}

void sim_irq_init(struct sim_card *card)
{
	/* Not IRQ_WORK_HARD: the driver's handler takes spinlock_t locks. */
	init_irq_work(&card->irq_work, sim_irq_work_fn);
	card->irq_pending = 0;
	card->irq_spurious = 0;
	card->irq_on = false;
	card->irq_armed = 1;
	card->irq_wait_sice = 0;
	card->irq_wait_siac = 0;
	card->irq_resends = 0;
	card->irq_storms = 0;
	card->injected_spurious_irq = 0;
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
	card->irq_spurious = 0;
	spin_unlock_irqrestore(&card->reg_lock, flags);
	irq_work_sync(&card->irq_work);
}
