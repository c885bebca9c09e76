// SPDX-License-Identifier: GPL-2.0
/*
 * PCI glue for real x100 cards (8086:2250 .. 8086:225e).
 * Placeholder: registers the driver with no probe logic yet.
 */
#include <linux/module.h>
#include <linux/pci.h>

#include "pci.h"

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

static int micmem_pci_probe(struct pci_dev *pdev,
			    const struct pci_device_id *id)
{
	return -ENODEV;
}

static void micmem_pci_remove(struct pci_dev *pdev)
{
}

static struct pci_driver micmem_pci_driver = {
	.name		= "micmem",
	.id_table	= micmem_pci_ids,
	.probe		= micmem_pci_probe,
	.remove		= micmem_pci_remove,
};

int micmem_pci_init(void)
{
	return pci_register_driver(&micmem_pci_driver);
}

void micmem_pci_exit(void)
{
	pci_unregister_driver(&micmem_pci_driver);
}
