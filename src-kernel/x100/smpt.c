// SPDX-License-Identifier: GPL-2.0
/*
 * SMPT programming.  Entry i maps the card window page
 * MIC_SYSTEM_BASE + i * 16 GiB to host bus page i, snooped, as MPSS and
 * mainline do at probe; they rewrite it after every reset because some
 * steppings lose it (doc/x100-hardware.md C.8 #8): mic_dma_start() calls it.
 * With it, the card reaches host bus address H at MIC_SYSTEM_BASE + H:
 * mic_x100_dma_addr() tells the core.
 */
#include <linux/build_bug.h>

#include "mgmt.h"
#include "smpt.h"
#include "x100.h"

/* The glue's DMA mask covers exactly the identity-mapped window. */
static_assert(BIT_ULL(MICMEM_HW_DMA_BITS) == MIC_SYSTEM_SIZE);

void mic_smpt_program(struct mic_x100 *card)
{
	unsigned int i;

	for (i = 0; i < MIC_SMPT_NUM; i++)
		mic_wr(card, MIC_SMPT(i),
		       MIC_SMPT_ENTRY((u64)i << MIC_SMPT_PAGE_SHIFT));
}

int mic_x100_dma_addr(u64 bus, u64 len, u64 *card_addr)
{
	return mic_smpt_card_addr(bus, len, card_addr);
}
