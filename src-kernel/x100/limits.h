/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Limits of the reset and boot handshakes (doc/x100-hardware.md D.2,
 * D.4).  Pure: compiled into the driver and into the host unit tests
 * (tests/unit/dma_logic.c).
 */
#ifndef _MICMEM_X100_LIMITS_H
#define _MICMEM_X100_LIMITS_H

#include <linux/types.h>

#include "../include/x100/regs.h"

/*
 * MPSS first looks at the post code about 2 s after a reset and only
 * then counts 0 as a failure (D.4 step 4, G.21).
 */
#define MIC_RESET_POSTCODE0_GRACE_MS	2000

/* Post code 0 read @ms after the reset was issued: a failure? */
static inline bool mic_reset_postcode0_fails(unsigned long ms)
{
	return ms >= MIC_RESET_POSTCODE0_GRACE_MS;
}

/* Mainline refuses a download address above 2 GiB (D.2 step 1). */
#define MIC_BOOT_DL_ADDR_MAX		0x80000000ULL

static inline bool mic_boot_dl_addr_ok(u64 addr)
{
	return addr <= MIC_BOOT_DL_ADDR_MAX;
}

#endif /* _MICMEM_X100_LIMITS_H */
