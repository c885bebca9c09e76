// SPDX-License-Identifier: GPL-2.0
/*
 * Bootstrap model.  Stub: registers behave as plain storage; the card
 * stays at the reset values regs.c gives it (post code "12", ready).
 */
#include "sim.h"

struct configfs_attribute *sim_boot_cfg_attrs[] = {
	NULL,
};

void sim_boot_cfg_init(struct sim_card *card)
{
}

int sim_boot_init(struct sim_card *card)
{
	return 0;
}

void sim_boot_fini(struct sim_card *card)
{
}

void sim_boot_reg_read(struct sim_card *card, u32 off, u32 *val)
{
	*val = __sim_reg_get(card, off);
}

void sim_boot_reg_write(struct sim_card *card, u32 off, u32 val)
{
	__sim_reg_set(card, off, val);
}
