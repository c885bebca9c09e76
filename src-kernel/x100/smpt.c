// SPDX-License-Identifier: GPL-2.0
/*
 * SMPT programming.  Entry i maps the card window page
 * MIC_SYSTEM_BASE + i * 16 GiB to host bus page i, snooped, as MPSS and
 * mainline do at probe; they rewrite it after every reset because some
 * steppings lose it (doc/x100-hardware.md C.8 #8): mic_dma_start() calls it.
 */
#include "mgmt.h"
#include "smpt.h"

void mic_smpt_program(struct micmem_card *card)
{
	unsigned int i;

	for (i = 0; i < MIC_SMPT_NUM; i++)
		mic_wr(card, MIC_SMPT(i),
		       MIC_SMPT_ENTRY((u64)i << MIC_SMPT_PAGE_SHIFT));
}
