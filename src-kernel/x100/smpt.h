/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SMPT window (doc/x100-hardware.md B.4): how the DMA engine reaches host
 * memory.  The driver programs the 32 entries as an identity map, so host
 * bus address H below 512 GiB is card address MIC_SYSTEM_BASE + H.
 */
#ifndef _MICMEM_X100_SMPT_H
#define _MICMEM_X100_SMPT_H

#include <linux/errno.h>
#include <linux/types.h>

#include "../include/x100/regs.h"

struct mic_x100;

/* Program the identity map (after every reset: erratum C.8 #8). */
void mic_smpt_program(struct mic_x100 *card);

/*
 * Card-side address of the host bus range [@bus, @bus + @len): 0, or
 * -ERANGE when the range does not fit in the identity-mapped window.
 * Pure: host unit tests use it too.
 */
static inline int mic_smpt_card_addr(u64 bus, u64 len, u64 *card_addr)
{
	if (bus >= MIC_SYSTEM_SIZE || len > MIC_SYSTEM_SIZE - bus)
		return -ERANGE;
	*card_addr = MIC_SYSTEM_BASE + bus;
	return 0;
}

#endif /* _MICMEM_X100_SMPT_H */
