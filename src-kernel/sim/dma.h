/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMA engine model of a simulated card: channel registers, DCR, ring
 * fetch through the SMPT, descriptor execution, completion interrupts.
 *
 * Stub: the DMA helper owns this file and dma.c.
 */
#ifndef _MICMEM_SIM_DMA_H
#define _MICMEM_SIM_DMA_H

#include <linux/types.h>

struct sim_card;
struct configfs_attribute;

/* Per-card configuration (configfs) and state of the DMA engine model. */
struct sim_dma {
	u32 unused;
};

/* configfs attributes of the model, NULL-terminated */
extern struct configfs_attribute *sim_dma_cfg_attrs[];

/* mkdir: configuration defaults */
void sim_dma_cfg_init(struct sim_card *card);
/* live 1, after the register file reset; may add knobs */
int sim_dma_init(struct sim_card *card);
/*
 * live 0, after micmem_card_remove(): stop the engine; no access to host
 * memory, registers or interrupts after return.
 */
void sim_dma_fini(struct sim_card *card);

/* Host MMIO in [SIM_DMA_REGS_START, SIM_DMA_REGS_END); reg_lock held. */
void sim_dma_reg_read(struct sim_card *card, u32 off, u32 *val);
void sim_dma_reg_write(struct sim_card *card, u32 off, u32 val);

#endif /* _MICMEM_SIM_DMA_H */
