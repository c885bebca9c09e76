/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The register-access seam between micmem's x100 code and whatever sits
 * behind it: the PCI glue (a real card) or micmem_sim.ko (a model).
 *
 * The x100 code talks to a card ONLY through these operations.  It must not
 * know which implementation it is talking to.
 */
#ifndef _MICMEM_HW_H
#define _MICMEM_HW_H

#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/types.h>

struct micmem_card;
struct micmem_hw;

/*
 * The two BARs of an x100 function that this seam abstracts: card memory
 * (the aperture, BAR 0) and the register block (BAR 4, DBOX at 0, SBOX at
 * 0x10000).  The glue maps them; the model sizes its register file by them.
 */
#define MIC_X100_APER_BAR		0
#define MIC_X100_MMIO_BAR		4
#define MIC_X100_MMIO_SIZE		0x20000

/*
 * Host bus addresses the card's DMA engine reaches: the driver maps the
 * 32 x 16 GiB SMPT entries one to one, so 512 GiB = 2^39
 * (doc/x100-hardware.md B.4).  The glue sets this DMA mask, and the DMA
 * API then keeps every address it hands out below it (bouncing or
 * IOMMU-mapping where the memory lies above).
 */
#define MICMEM_HW_DMA_BITS		39

/**
 * struct micmem_hw_ops - how to reach one card
 * @read32:	read a 32-bit register at @offset inside the MMIO BAR (BAR 4;
 *		DBOX at 0, SBOX at 0x10000).  A card that fell off the bus
 *		reads as 0xffffffff.
 * @write32:	write a 32-bit register at @offset inside the MMIO BAR.
 * @aperture_write: copy @len bytes to card memory at @card_addr through the
 *		aperture (BAR 0).  Returns 0 or -errno (-ERANGE past the end).
 *
 * @read32 and @write32 may be called from any context, including hard-irq
 * context and under spinlocks; @aperture_write may sleep.
 */
struct micmem_hw_ops {
	u32 (*read32)(struct micmem_hw *hw, u32 offset);
	void (*write32)(struct micmem_hw *hw, u32 offset, u32 val);
	int (*aperture_write)(struct micmem_hw *hw, u64 card_addr,
			      const void *src, size_t len);
};

/**
 * struct micmem_hw - one card as the glue presents it to the driver core
 * @ops:		register access
 * @dev:		the device used for DMA mapping (the PCI function, or
 *			the sim's device) and parent of /sys/class/mic/micN
 * @device_id:		PCI device id (0x2250 .. 0x225e)
 * @revision:		PCI revision id: 0x00 A0, 0x10 B0, 0x11 B1, 0x20 C0
 * @aperture_size:	bytes of card memory reachable through BAR 0
 * @bus:		"pci" or "sim", shown in sysfs only
 * @nr_vectors:	interrupt vectors the glue set up.  With MICMEM_HW_VECTORS
 *			(MSI-X) vector v receives the SICR0 sources routed to
 *			it in MXAR v and auto-clears (SIAC0), so the handler
 *			needs no MMIO read; with 1 (MSI or INTx) the handler
 *			reads and acknowledges SICR0.
 * @card:		set by micmem_card_add(), NULL before and after; the
 *			driver's (RCU: published with rcu_assign_pointer(),
 *			read under rcu_read_lock()), the glue leaves it alone
 */
struct micmem_hw {
	const struct micmem_hw_ops *ops;
	struct device *dev;
	u16 device_id;
	u8 revision;
	u64 aperture_size;
	const char *bus;
	unsigned int nr_vectors;
	struct micmem_card __rcu *card;
};

/*
 * Probe and remove, shared by the PCI glue and the sim.
 *
 * micmem_card_add() brings the card under the driver's control and creates
 * /sys/class/mic/micN.  It returns 0 or -errno; on success hw->card is set.
 *
 * micmem_card_remove() may be called at any time after a successful add,
 * also while the card is in use (surprise removal).  Pending and later
 * operations on the card fail with -ENODEV.  When it returns the driver no
 * longer calls @hw->ops and no longer touches memory reached through the
 * card, so the caller may free @hw.
 */
int micmem_card_add(struct micmem_hw *hw);
void micmem_card_remove(struct micmem_hw *hw);

/*
 * N of /sys/class/mic/micN for a card added with micmem_card_add(), or
 * -ENODEV before a successful add and after micmem_card_remove().  The
 * glue calls it in process context; N does not change while the card is
 * added.
 */
int micmem_card_id(const struct micmem_hw *hw);

/* MSI-X vectors the driver asks for: DMA channel 0, DMA channel 1, other */
#define MICMEM_HW_VECTORS	3

/*
 * The glue calls this from its interrupt handler (hard-irq context) for
 * every interrupt the card raises on @vector (0 .. nr_vectors - 1).
 */
irqreturn_t micmem_card_interrupt(struct micmem_hw *hw, unsigned int vector);

#endif /* _MICMEM_HW_H */
