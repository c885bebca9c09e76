/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MICMEM_PCI_H
#define _MICMEM_PCI_H

int micmem_pci_init(void);
void micmem_pci_exit(void);

#endif /* _MICMEM_PCI_H */
