// SPDX-License-Identifier: GPL-2.0
/*
 * The register file: the whole 128 KiB MMIO BAR (BAR 4) as 32-bit
 * registers, the read32/write32/aperture_write ops the driver calls, MMIO
 * counters per register, and register names for debugfs.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "sim.h"

/*
 * The steppings (configfs "stepping"): name, PCI revision id
 * (doc/x100-hardware.md B.6) and the stepping field of SCRATCH13 (7:4) in MPSS's enum: 0 A,
 * 1 B0, 2 C, 3 B1.
 */
const struct sim_stepping sim_steppings[SIM_NR_STEPPINGS] = {
	{ "A0", 0x00, 0 },
	{ "B0", SIM_REVISION_B0, 1 },
	{ "B1", 0x11, 3 },
	{ "C0", 0x20, 2 },
};

/* SCRATCH13 processor identification: family 0xb, model 1 (k1om). */
static u32 sim_scratch13(u8 revision)
{
	unsigned int i, stepping = 0;

	for (i = 0; i < SIM_NR_STEPPINGS; i++)
		if (sim_steppings[i].revision == revision)
			stepping = sim_steppings[i].scratch13;
	return (0xb << 12) | (1 << 8) | (stepping << 4);
}

int sim_regs_alloc(struct sim_card *card)
{
	card->regs = kvcalloc(SIM_NR_REGS, sizeof(*card->regs), GFP_KERNEL);
	if (!card->regs)
		goto err;
	card->mmio_reads = kvcalloc(SIM_NR_REGS, sizeof(u64), GFP_KERNEL);
	if (!card->mmio_reads)
		goto err_regs;
	card->mmio_writes = kvcalloc(SIM_NR_REGS, sizeof(u64), GFP_KERNEL);
	if (!card->mmio_writes)
		goto err_reads;
	spin_lock_init(&card->reg_lock);
	card->mmio_bad = 0;
	card->vanished = false;
	return 0;

err_reads:
	kvfree(card->mmio_reads);
err_regs:
	kvfree(card->regs);
err:
	return -ENOMEM;
}

void sim_regs_free(struct sim_card *card)
{
	kvfree(card->mmio_writes);
	kvfree(card->mmio_reads);
	kvfree(card->regs);
	card->mmio_writes = NULL;
	card->mmio_reads = NULL;
	card->regs = NULL;
}

/*
 * Power-on values of the register file: SCRATCH13 (the processor) and 0
 * everywhere else, including DCR (doc/x100-hardware.md G.2: unknown) and the DMA
 * channels.  What the bootstrap reports (post code, SCRATCH0, SCRATCH2) is
 * set in one place only, by the bootstrap model at its init (boot.c).
 */
void sim_regs_reset(struct sim_card *card)
{
	memset(card->regs, 0, SIM_NR_REGS * sizeof(*card->regs));
	card->regs[MIC_SCRATCH(13) / 4] = sim_scratch13(card->revision);
	card->int_enable = 0;
}

static bool sim_reg_valid(u32 off)
{
	return off < MIC_X100_MMIO_SIZE && !(off & 3);
}

static bool sim_dma_reg(u32 off)
{
	return off >= SIM_DMA_REGS_START && off < SIM_DMA_REGS_END;
}

/* Model view of a host read; reg_lock held, no counting. */
static u32 sim_reg_dispatch_read(struct sim_card *card, u32 off)
{
	u32 val;

	if (card->vanished)
		return ~0U;
	if (sim_irq_reg(off))
		return sim_irq_reg_read(card, off);
	if (sim_dma_reg(off))
		sim_dma_reg_read(card, off, &val);
	else
		sim_boot_reg_read(card, off, &val);
	return val;
}

/* Model view of a host write; reg_lock held, no counting. */
static void sim_reg_dispatch_write(struct sim_card *card, u32 off, u32 val)
{
	if (card->vanished)
		return;
	if (sim_irq_reg(off))
		sim_irq_reg_write(card, off, val);
	else if (sim_dma_reg(off))
		sim_dma_reg_write(card, off, val);
	else
		sim_boot_reg_write(card, off, val);
}

static u32 sim_hw_read32(struct micmem_hw *hw, u32 off)
{
	struct sim_card *card = sim_card_from_hw(hw);
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&card->reg_lock, flags);
	if (sim_reg_valid(off)) {
		card->mmio_reads[off / 4]++;
		val = sim_reg_dispatch_read(card, off);
	} else {
		card->mmio_bad++;
		val = ~0U;
	}
	spin_unlock_irqrestore(&card->reg_lock, flags);
	return val;
}

static void sim_hw_write32(struct micmem_hw *hw, u32 off, u32 val)
{
	struct sim_card *card = sim_card_from_hw(hw);
	unsigned long flags;

	spin_lock_irqsave(&card->reg_lock, flags);
	if (sim_reg_valid(off)) {
		card->mmio_writes[off / 4]++;
		sim_reg_dispatch_write(card, off, val);
	} else {
		card->mmio_bad++;
	}
	spin_unlock_irqrestore(&card->reg_lock, flags);
}

/* Writes to a card that fell off the bus are lost, like posted writes. */
static int sim_hw_aperture_write(struct micmem_hw *hw, u64 card_addr,
				 const void *src, size_t len)
{
	struct sim_card *card = sim_card_from_hw(hw);

	if (sim_card_vanished(card))
		return 0;
	return sim_mem_write(card, card_addr, src, len);
}

const struct micmem_hw_ops sim_hw_ops = {
	.read32		= sim_hw_read32,
	.write32	= sim_hw_write32,
	.aperture_write	= sim_hw_aperture_write,
};

/* What a host read of @off would return now, without counting it. */
u32 sim_reg_peek(struct sim_card *card, u32 off)
{
	unsigned long flags;
	u32 val;

	if (!sim_reg_valid(off))
		return ~0U;
	spin_lock_irqsave(&card->reg_lock, flags);
	val = sim_reg_dispatch_read(card, off);
	spin_unlock_irqrestore(&card->reg_lock, flags);
	return val;
}

/* A host write of @val to @off, with its side effects, not counted. */
void sim_reg_poke(struct sim_card *card, u32 off, u32 val)
{
	unsigned long flags;

	if (!sim_reg_valid(off))
		return;
	spin_lock_irqsave(&card->reg_lock, flags);
	sim_reg_dispatch_write(card, off, val);
	spin_unlock_irqrestore(&card->reg_lock, flags);
}

static const char * const sim_dma_reg_names[] = {
	"DCAR", "DHPR", "DTPR", "DAUX_LO", "DAUX_HI", "DRAR_LO", "DRAR_HI",
	"DITR", "DSTAT", "DSTATWB_LO", "DSTATWB_HI", "DCHERR", "DCHERRMSK",
};

/* A register array: @count registers every @stride bytes from @base. */
struct sim_reg_array {
	const char *name;
	u32 base;
	u32 stride;
	u32 count;
};

static const struct sim_reg_array sim_reg_arrays[] = {
	{ "POSTCODE",		MIC_POSTCODE,		4, 1 },
	{ "ELAPSED_TIME_LOW",	MIC_ELAPSED_TIME_LOW,	4, 1 },
	{ "ELAPSED_TIME_HIGH",	MIC_ELAPSED_TIME_HIGH,	4, 1 },
	{ "SMPT",		MIC_SMPT(0),		4, MIC_SMPT_NUM },
	{ "RGCR",		MIC_RGCR,		4, 1 },
	{ "SICR0",		MIC_SICR0,		4, 1 },
	{ "SICE0",		MIC_SICE0,		4, 1 },
	{ "SICC0",		MIC_SICC0,		4, 1 },
	{ "SIAC0",		MIC_SIAC0,		4, 1 },
	{ "MXAR",		MIC_MXAR(0),		4, 16 },
	{ "MSIXPBACR",		MIC_MSIXPBACR,		4, 1 },
	{ "DCR",		MIC_DCR,		4, 1 },
	{ "APICICR_LO",		MIC_APICICR_LO(0),	8, 8 },
	{ "APICICR_HI",		MIC_APICICR_HI(0),	8, 8 },
	{ "SCRATCH",		MIC_SCRATCH(0),		4, 16 },
};

/*
 * Name of the register at @off: the regs.h macro name without "MIC_",
 * followed by the index for arrays and DMA channel registers (SMPT3,
 * SCRATCH2, DHPR0, DRAR_HI1, APICICR_LO7); "REG_0x....." otherwise.
 * Returns the snprintf() length.
 */
int sim_reg_name(u32 off, char *buf, size_t len)
{
	unsigned int i;

	if (off >= MIC_DCAR(0) && off < MIC_DCAR(MIC_DMA_CHANNELS)) {
		u32 rel = off - MIC_DCAR(0);
		u32 ch = rel / 0x40, idx = (rel % 0x40) / 4;

		if (idx < ARRAY_SIZE(sim_dma_reg_names))
			return snprintf(buf, len, "%s%u",
					sim_dma_reg_names[idx], ch);
	}
	for (i = 0; i < ARRAY_SIZE(sim_reg_arrays); i++) {
		const struct sim_reg_array *a = &sim_reg_arrays[i];
		u32 rel = off - a->base;

		if (off < a->base || rel % a->stride ||
		    rel / a->stride >= a->count)
			continue;
		if (a->count == 1)
			return snprintf(buf, len, "%s", a->name);
		return snprintf(buf, len, "%s%u", a->name, rel / a->stride);
	}
	return snprintf(buf, len, "REG_0x%05x", off);
}
