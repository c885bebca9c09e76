// SPDX-License-Identifier: GPL-2.0
/*
 * PCI glue for real x100 cards (8086:2250..225e, doc/x100-hardware.md A):
 * BAR 4 holds the registers, BAR 0 is the aperture onto card memory
 * (mapped write-combined), interrupts are MSI-X with one vector per DMA
 * channel plus one for the rest, or else a single MSI or INTx vector.
 * The glue fills struct micmem_hw and hands the card to the driver core;
 * which interrupt sources reach which vector (SICE0, MXAR, SIAC0) is
 * programmed by the x100 code, not here.
 */
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "../include/micmem_compat.h"
#include "../include/micmem_hw.h"
#include "pci.h"

struct micmem_pci;

/* dev_id of one requested interrupt: which vector it is */
struct micmem_pci_vec {
	struct micmem_pci *mp;
	unsigned int index;
};

/**
 * struct micmem_pci - one x100 PCI function
 * @hw:		what the driver core sees
 * @pdev:	the PCI function
 * @mmio:	BAR 4, the registers
 * @aper:	BAR 0, the aperture onto card memory (write-combined)
 * @nr_irqs:	vectors requested with request_irq()
 * @vec:	dev_id of each vector
 */
struct micmem_pci {
	struct micmem_hw hw;
	struct pci_dev *pdev;
	void __iomem *mmio;
	void __iomem *aper;
	unsigned int nr_irqs;
	struct micmem_pci_vec vec[MICMEM_HW_VECTORS];
};

static struct micmem_pci *to_micmem_pci(struct micmem_hw *hw)
{
	return container_of(hw, struct micmem_pci, hw);
}

static u32 micmem_pci_read32(struct micmem_hw *hw, u32 offset)
{
	return ioread32(to_micmem_pci(hw)->mmio + offset);
}

static void micmem_pci_write32(struct micmem_hw *hw, u32 offset, u32 val)
{
	iowrite32(val, to_micmem_pci(hw)->mmio + offset);
}

static int micmem_pci_aperture_write(struct micmem_hw *hw, u64 card_addr,
				     const void *src, size_t len)
{
	struct micmem_pci *mp = to_micmem_pci(hw);

	if (card_addr > hw->aperture_size ||
	    len > hw->aperture_size - card_addr)
		return -ERANGE;
	memcpy_toio(mp->aper + card_addr, src, len);
	/* drain write-combining buffers before a register write signals */
	wmb();
	return 0;
}

static const struct micmem_hw_ops micmem_pci_ops = {
	.read32		= micmem_pci_read32,
	.write32	= micmem_pci_write32,
	.aperture_write	= micmem_pci_aperture_write,
};

static irqreturn_t micmem_pci_irq(int irq, void *data)
{
	struct micmem_pci_vec *vec = data;

	return micmem_card_interrupt(&vec->mp->hw, vec->index);
}

/* Free the requested vectors in reverse, then the allocation. */
static void micmem_pci_irq_teardown(struct micmem_pci *mp)
{
	while (mp->nr_irqs) {
		mp->nr_irqs--;
		free_irq(pci_irq_vector(mp->pdev, mp->nr_irqs),
			 &mp->vec[mp->nr_irqs]);
	}
	pci_free_irq_vectors(mp->pdev);
}

/*
 * MSI-X with one vector per DMA channel and one for the rest; otherwise
 * one MSI or legacy INTx vector (shared, so the x100 code checks SICR0).
 */
static int micmem_pci_irq_setup(struct micmem_pci *mp)
{
	struct pci_dev *pdev = mp->pdev;
	unsigned long flags = 0;
	int i, nvec, ret;

	nvec = pci_alloc_irq_vectors(pdev, MICMEM_HW_VECTORS,
				     MICMEM_HW_VECTORS, PCI_IRQ_MSIX);
	if (nvec < 0) {
		nvec = pci_alloc_irq_vectors(pdev, 1, 1,
					     PCI_IRQ_MSI | PCI_IRQ_INTX);
		if (nvec < 0)
			return nvec;
		if (!pdev->msi_enabled)
			flags = IRQF_SHARED;
	}

	for (i = 0; i < nvec; i++) {
		mp->vec[i].mp = mp;
		mp->vec[i].index = i;
		ret = request_irq(pci_irq_vector(pdev, i), micmem_pci_irq,
				  flags, "micmem", &mp->vec[i]);
		if (ret)
			goto err_free_irqs;
		mp->nr_irqs = i + 1;
	}
	mp->hw.nr_vectors = nvec;
	dev_info(&pdev->dev, "%d %s interrupt vector(s)\n", nvec,
		 pdev->msix_enabled ? "MSI-X" :
		 pdev->msi_enabled ? "MSI" : "INTx");
	return 0;

err_free_irqs:
	micmem_pci_irq_teardown(mp);
	return ret;
}

static int micmem_pci_probe(struct pci_dev *pdev,
			    const struct pci_device_id *id)
{
	struct micmem_pci *mp;
	int ret;

	mp = kzalloc(sizeof(*mp), GFP_KERNEL);
	if (!mp)
		return -ENOMEM;
	mp->pdev = pdev;

	ret = pci_enable_device(pdev);
	if (ret)
		goto err_free;

	ret = pci_request_regions(pdev, "micmem");
	if (ret)
		goto err_disable;

	/*
	 * Every address the engine sees must lie in the SMPT window
	 * (doc/x100-hardware.md B.4): with this mask a host with memory
	 * above 512 GiB still probes, its rings and pool chunks being
	 * bounced or IOMMU-mapped below it.
	 */
	ret = dma_set_mask_and_coherent(&pdev->dev,
					DMA_BIT_MASK(MICMEM_HW_DMA_BITS));
	if (ret) {
		dev_err(&pdev->dev, "no %d-bit DMA\n", MICMEM_HW_DMA_BITS);
		goto err_release;
	}
	pci_set_master(pdev);

	if (pci_resource_len(pdev, MIC_X100_MMIO_BAR) < MIC_X100_MMIO_SIZE) {
		dev_err(&pdev->dev, "register BAR too small\n");
		ret = -ENODEV;
		goto err_master;
	}
	mp->mmio = pci_iomap(pdev, MIC_X100_MMIO_BAR, MIC_X100_MMIO_SIZE);
	if (!mp->mmio) {
		ret = -ENOMEM;
		goto err_master;
	}

	/*
	 * A "zombie" card exposes no aperture (doc/x100-hardware.md A.2): it
	 * still registers, and a boot fails cleanly with -EFBIG.
	 */
	mp->hw.aperture_size = pci_resource_len(pdev, MIC_X100_APER_BAR);
	if (mp->hw.aperture_size) {
		mp->aper = ioremap_wc(pci_resource_start(pdev,
							 MIC_X100_APER_BAR),
				      mp->hw.aperture_size);
		if (!mp->aper) {
			ret = -ENOMEM;
			goto err_unmap_mmio;
		}
	} else {
		dev_warn(&pdev->dev, "no aperture (BAR 0): cannot boot\n");
	}

	ret = micmem_pci_irq_setup(mp);
	if (ret)
		goto err_unmap_aper;

	mp->hw.ops = &micmem_pci_ops;
	mp->hw.dev = &pdev->dev;
	mp->hw.device_id = pdev->device;
	mp->hw.revision = pdev->revision;
	mp->hw.bus = "pci";
	pci_set_drvdata(pdev, mp);

	ret = micmem_card_add(&mp->hw);
	if (ret)
		goto err_irq;
	return 0;

err_irq:
	pci_set_drvdata(pdev, NULL);
	micmem_pci_irq_teardown(mp);
err_unmap_aper:
	if (mp->aper)
		iounmap(mp->aper);
err_unmap_mmio:
	pci_iounmap(pdev, mp->mmio);
err_master:
	pci_clear_master(pdev);
err_release:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
err_free:
	kfree(mp);
	return ret;
}

static void micmem_pci_remove(struct pci_dev *pdev)
{
	struct micmem_pci *mp = pci_get_drvdata(pdev);

	micmem_card_remove(&mp->hw);
	pci_set_drvdata(pdev, NULL);
	micmem_pci_irq_teardown(mp);
	if (mp->aper)
		iounmap(mp->aper);
	pci_iounmap(pdev, mp->mmio);
	pci_clear_master(pdev);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	kfree(mp);
}

/*
 * Host shutdown or kexec: stop the card's DMA and bus mastering so nothing
 * writes host memory afterwards.  The card is not reset: resets during
 * host power-off caused PCIe bridge NMIs (doc/x100-hardware.md C.8 #10).
 */
static void micmem_pci_shutdown(struct pci_dev *pdev)
{
	struct micmem_pci *mp = pci_get_drvdata(pdev);

	if (!mp)
		return;
	micmem_card_remove(&mp->hw);
	pci_clear_master(pdev);
}

static const struct pci_device_id micmem_pci_ids[] = {
	{ PCI_VDEVICE(INTEL, 0x2250) }, { PCI_VDEVICE(INTEL, 0x2251) },
	{ PCI_VDEVICE(INTEL, 0x2252) }, { PCI_VDEVICE(INTEL, 0x2253) },
	{ PCI_VDEVICE(INTEL, 0x2254) }, { PCI_VDEVICE(INTEL, 0x2255) },
	{ PCI_VDEVICE(INTEL, 0x2256) }, { PCI_VDEVICE(INTEL, 0x2257) },
	{ PCI_VDEVICE(INTEL, 0x2258) }, { PCI_VDEVICE(INTEL, 0x2259) },
	{ PCI_VDEVICE(INTEL, 0x225a) }, { PCI_VDEVICE(INTEL, 0x225b) },
	{ PCI_VDEVICE(INTEL, 0x225c) }, { PCI_VDEVICE(INTEL, 0x225d) },
	{ PCI_VDEVICE(INTEL, 0x225e) },
	{ }
};
MODULE_DEVICE_TABLE(pci, micmem_pci_ids);

static struct pci_driver micmem_pci_driver = {
	.name		= "micmem",
	.id_table	= micmem_pci_ids,
	.probe		= micmem_pci_probe,
	.remove		= micmem_pci_remove,
	.shutdown	= micmem_pci_shutdown,
};

int micmem_pci_init(void)
{
	return pci_register_driver(&micmem_pci_driver);
}

void micmem_pci_exit(void)
{
	pci_unregister_driver(&micmem_pci_driver);
}
