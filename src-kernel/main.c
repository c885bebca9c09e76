// SPDX-License-Identifier: GPL-2.0
/*
 * micmem.ko's composition: the one file that knows every layer of the
 * driver and wires them together at module load (doc/design.md, "Layers").
 *
 *   core/   the "mic" class and card registry, the batches' workqueue,
 *           /dev/mic/ctrl (which brings the pool with it)
 *   x100/   the card code; no module-wide state, reached through core
 *   pci/    the glue that finds real cards and adds them through the seam
 *
 * The simulated card is another module (micmem_sim.ko) adding its cards
 * through the same seam.
 */
#include <linux/module.h>

#include "core/micmem.h"
#include "core/batch.h"
#include "pci/pci.h"

static int __init micmem_init(void)
{
	int ret;

	ret = micmem_card_init();
	if (ret)
		return ret;

	ret = micmem_dma_init();
	if (ret)
		goto err_card;

	ret = micmem_cdev_init();
	if (ret)
		goto err_dma;

	ret = micmem_pci_init();
	if (ret)
		goto err_cdev;

	return 0;

err_cdev:
	micmem_cdev_exit();
err_dma:
	micmem_dma_exit();
err_card:
	micmem_card_exit();
	return ret;
}

static void __exit micmem_exit(void)
{
	micmem_pci_exit();
	micmem_cdev_exit();
	micmem_dma_exit();
	micmem_card_exit();
}

module_init(micmem_init);
module_exit(micmem_exit);

MODULE_DESCRIPTION("Zero-copy DMA for Intel Xeon Phi x100 coprocessors");
MODULE_AUTHOR("The micmem developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");
