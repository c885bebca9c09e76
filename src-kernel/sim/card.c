// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing a described card live and taking it down again.
 *
 * Going live builds the card the way hardware exists before a driver
 * probes it (device, registers, memory, interrupts, models), then calls
 * micmem_card_add() like the PCI glue's probe.  Going offline is an
 * orderly unbind: micmem_card_remove() runs while the card still responds
 * (the driver quiesces the engine), then the models stop and the rest is
 * torn down in reverse.  Surprise removal is the "vanish" knob followed by
 * live 0.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/platform_device.h>

#include "sim.h"

/*
 * The DMA engine model turns bus addresses back into host pages, so the
 * card's device must map directly (bus address == physical address): no
 * IOMMU translation, no bounce buffering.  Check it with one page.
 */
static int sim_card_check_dma(struct device *dev)
{
	struct page *page;
	dma_addr_t addr;
	int ret = 0;

	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	addr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, addr)) {
		ret = -EIO;
		goto out_free;
	}
	if (addr != page_to_phys(page)) {
		dev_err(dev, "DMA mapping is not direct (IOMMU?); the sim needs bus == physical addresses\n");
		ret = -EOPNOTSUPP;
	}
	dma_unmap_page(dev, addr, PAGE_SIZE, DMA_BIDIRECTIONAL);
out_free:
	__free_page(page);
	return ret;
}

static int sim_card_pdev_add(struct sim_card *card)
{
	struct platform_device_info info = {
		.name		= SIM_DRV_NAME,
		.id		= PLATFORM_DEVID_AUTO,
		.dma_mask	= DMA_BIT_MASK(64),
	};
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_register_full(&info);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	ret = sim_card_check_dma(&pdev->dev);
	if (ret) {
		platform_device_unregister(pdev);
		return ret;
	}
	card->pdev = pdev;
	return 0;
}

static void sim_card_pdev_remove(struct sim_card *card)
{
	platform_device_unregister(card->pdev);
	card->pdev = NULL;
}

int sim_card_online(struct sim_card *card)
{
	int ret;

	lockdep_assert_held(&card->cfg_lock);

	ret = sim_regs_alloc(card);
	if (ret)
		return ret;
	sim_regs_reset(card);
	sim_mem_init(card);
	sim_irq_init(card);

	ret = sim_card_pdev_add(card);
	if (ret)
		goto err_mem;

	card->hw.ops = &sim_hw_ops;
	card->hw.dev = &card->pdev->dev;
	card->hw.device_id = card->device_id;
	card->hw.revision = card->revision;
	card->hw.aperture_size = card->mem_size;
	card->hw.bus = "sim";
	card->hw.nr_vectors = card->vectors;
	card->hw.card = NULL;

	sim_irq_start(card);
	ret = sim_debugfs_card_add(card);
	if (ret)
		goto err_irq;
	ret = sim_boot_init(card);
	if (ret)
		goto err_debugfs;
	ret = sim_dma_init(card);
	if (ret)
		goto err_boot;
	sim_knobs_enable(card, true);

	ret = micmem_card_add(&card->hw);
	if (ret)
		goto err_knobs;

	card->card_nr = micmem_card_id(&card->hw);
	card->live = true;
	return 0;

err_knobs:
	sim_knobs_enable(card, false);
	sim_dma_fini(card);
err_boot:
	sim_boot_fini(card);
err_debugfs:
	sim_debugfs_card_remove(card);
err_irq:
	sim_irq_stop(card);
	sim_card_pdev_remove(card);
err_mem:
	sim_mem_free(card);
	sim_regs_free(card);
	return ret;
}

void sim_card_offline(struct sim_card *card)
{
	lockdep_assert_held(&card->cfg_lock);

	micmem_card_remove(&card->hw);
	card->live = false;
	card->card_nr = -1;

	sim_knobs_enable(card, false);
	sim_dma_fini(card);
	sim_boot_fini(card);
	sim_debugfs_card_remove(card);
	/* Models are stopped: nothing raises interrupts any more. */
	sim_irq_stop(card);
	sim_card_pdev_remove(card);
	sim_mem_free(card);
	sim_regs_free(card);
}
