// SPDX-License-Identifier: GPL-2.0
/*
 * micmem module entry: the "mic" class, /dev/mic/ctrl and the PCI glue.
 */
#include <linux/device.h>
#include <linux/module.h>

#include "../include/micmem_compat.h"
#include "micmem.h"
#include "dma.h"
#include "../pci/pci.h"

struct class *micmem_class;

static int __init micmem_init(void)
{
	int ret;

	micmem_class = micmem_class_create("mic");
	if (IS_ERR(micmem_class))
		return PTR_ERR(micmem_class);
	micmem_class->dev_groups = micmem_card_groups;

	ret = micmem_dma_init();
	if (ret)
		goto err_class;

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
err_class:
	class_destroy(micmem_class);
	return ret;
}

static void __exit micmem_exit(void)
{
	micmem_pci_exit();
	micmem_cdev_exit();
	micmem_dma_exit();
	class_destroy(micmem_class);
}

module_init(micmem_init);
module_exit(micmem_exit);

MODULE_DESCRIPTION("Zero-copy DMA for Intel Xeon Phi x100 coprocessors");
MODULE_AUTHOR("The micmem developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");
