// SPDX-License-Identifier: GPL-2.0
/*
 * DMA engine model.  Stub: registers behave as plain storage.
 */
#include "sim.h"

struct configfs_attribute *sim_dma_cfg_attrs[] = {
	NULL,
};

void sim_dma_cfg_init(struct sim_card *card)
{
}

int sim_dma_init(struct sim_card *card)
{
	return 0;
}

void sim_dma_fini(struct sim_card *card)
{
}

void sim_dma_reg_read(struct sim_card *card, u32 off, u32 *val)
{
	*val = __sim_reg_get(card, off);
}

void sim_dma_reg_write(struct sim_card *card, u32 off, u32 val)
{
	__sim_reg_set(card, off, val);
}
