/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bootstrap model of a simulated card: post codes, scratch registers,
 * reset (RGCR), the boot interrupt (APICICR7) and image checks.
 *
 * Stub: the card-management helper owns this file and boot.c.
 */
#ifndef _MICMEM_SIM_BOOT_H
#define _MICMEM_SIM_BOOT_H

#include <linux/types.h>

struct sim_card;
struct configfs_attribute;

/* Per-card configuration (configfs) and state of the bootstrap model. */
struct sim_boot {
	u32 unused;
};

/* configfs attributes of the model, NULL-terminated */
extern struct configfs_attribute *sim_boot_cfg_attrs[];

/* mkdir: configuration defaults */
void sim_boot_cfg_init(struct sim_card *card);
/* live 1, after the register file reset; may add knobs */
int sim_boot_init(struct sim_card *card);
/* live 0: stop timers and work; no register access after return */
void sim_boot_fini(struct sim_card *card);

/* Host MMIO outside the irq and DMA blocks; card->reg_lock held. */
void sim_boot_reg_read(struct sim_card *card, u32 off, u32 *val);
void sim_boot_reg_write(struct sim_card *card, u32 off, u32 val);

#endif /* _MICMEM_SIM_BOOT_H */
