/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x100 ("Knights Corner") register map: offsets inside the MMIO BAR (BAR 4)
 * and bit layouts.  Facts from doc/x100-hardware.md (sections B, C and D,
 * with their public sources); where sources disagree, the reading
 * named there is used and noted here.
 *
 * Shared by the driver and by the register-level model in micmem_sim.ko:
 * both sides follow one map.
 */
#ifndef _MICMEM_X100_REGS_H
#define _MICMEM_X100_REGS_H

#include <linux/bits.h>

/* The BARs (aperture, MMIO and its size) are in ../micmem_hw.h. */

/* Blocks inside the MMIO BAR */
#define MIC_DBOX_BASE			0x00000
#define MIC_SBOX_BASE			0x10000
#define MIC_SBOX(off)			(MIC_SBOX_BASE + (off))

/* DBOX */
#define MIC_POSTCODE			(MIC_DBOX_BASE + 0x242c)

/* SBOX: misc */
#define MIC_ELAPSED_TIME_LOW		MIC_SBOX(0x1074)
#define MIC_ELAPSED_TIME_HIGH		MIC_SBOX(0x1078)
#define MIC_RGCR			MIC_SBOX(0x4010)
#define   MIC_RGCR_RESET		BIT(0)

/* SBOX: SMPT, 32 entries of 16 GiB host pages */
#define MIC_SMPT(i)			MIC_SBOX(0x3100 + 4 * (i))
#define MIC_SMPT_NUM			32
#define MIC_SMPT_PAGE_SHIFT		34
#define MIC_SMPT_PAGE_SIZE		BIT_ULL(MIC_SMPT_PAGE_SHIFT)
#define MIC_SMPT_NO_SNOOP		BIT(0)
#define MIC_SMPT_ENTRY(host_addr)	((u32)(((host_addr) >> MIC_SMPT_PAGE_SHIFT) << 2))
#define MIC_SYSTEM_BASE			0x8000000000ULL	/* card view of host */
#define MIC_SYSTEM_SIZE			(MIC_SMPT_NUM * MIC_SMPT_PAGE_SIZE)
#define MIC_PHYS_ADDR_BITS		40

/* SBOX: interrupts.  SICR0/SICE0/SICC0/SIAC0/MXARn share one bit layout. */
#define MIC_SICR0			MIC_SBOX(0x9004)
#define MIC_SICE0			MIC_SBOX(0x900c)
#define MIC_SICC0			MIC_SBOX(0x9010)
#define MIC_SIAC0			MIC_SBOX(0x9014)
#define MIC_MXAR(i)			MIC_SBOX(0x9044 + 4 * (i))
#define MIC_MSIXPBACR			MIC_SBOX(0x9084)
#define   MIC_INT_DOORBELL(n)		BIT(n)			/* n = 0..3 */
#define   MIC_INT_DMA(ch)		BIT(8 + (ch))		/* ch = 0..7 */
#define   MIC_INT_DMA_MASK		GENMASK(15, 8)
#define   MIC_INT_SBOX_ERR		BIT(30)

/* SBOX: host -> card interrupt command registers (low dword, high dword) */
#define MIC_APICICR_LO(i)		MIC_SBOX(0xa9d0 + 8 * (i))
#define MIC_APICICR_HI(i)		MIC_SBOX(0xa9d4 + 8 * (i))
#define   MIC_APICICR_SEND		BIT(13)
#define MIC_BSP_INTERRUPT_VECTOR	229
#define MIC_BOOT_APICICR		7

/* SBOX: scratch registers */
#define MIC_SCRATCH(n)			MIC_SBOX(0xab20 + 4 * (n))
/* SCRATCH0: GDDR size */
#define   MIC_SCRATCH0_MEMSIZE_KB(v)	((v) >> 3)
#define   MIC_SCRATCH0_MEMUSAGE(v)	(((v) >> 1) & 3)
/* SCRATCH2: download status */
#define   MIC_SCRATCH2_READY		BIT(0)
#define   MIC_SCRATCH2_APIC_ID(v)	(((v) >> 1) & 0x1ff)
#define   MIC_SCRATCH2_DL_ADDR(v)	((v) & GENMASK(31, 12))
/* SCRATCH5: size of the downloaded image */
/* SCRATCH13: processor identification */
#define   MIC_SCRATCH13_STEPPING(v)	(((v) >> 4) & 0xf)

/* SBOX: DMA.  Channel ch register block at 0xa000 + 0x40 * ch. */
#define MIC_DMA_CHANNELS		8
#define MIC_DMA_CH(ch, off)		MIC_SBOX(0xa000 + 0x40 * (ch) + (off))
#define MIC_DCAR(ch)			MIC_DMA_CH(ch, 0x00)
#define   MIC_DCAR_IM0			BIT(24)	/* card-side interrupt mask */
#define   MIC_DCAR_IM1			BIT(25)	/* host-side interrupt mask */
#define   MIC_DCAR_IS0			BIT(26)	/* interrupt pending */
#define MIC_DHPR(ch)			MIC_DMA_CH(ch, 0x04)
#define MIC_DTPR(ch)			MIC_DMA_CH(ch, 0x08)
#define MIC_DAUX_LO(ch)			MIC_DMA_CH(ch, 0x0c)
#define MIC_DAUX_HI(ch)			MIC_DMA_CH(ch, 0x10)
#define MIC_DRAR_LO(ch)			MIC_DMA_CH(ch, 0x14)
#define MIC_DRAR_HI(ch)			MIC_DMA_CH(ch, 0x18)
#define   MIC_DRAR_HI_BA(v)		((v) & GENMASK(3, 0))	/* addr 35:32 */
#define   MIC_DRAR_HI_SIZE(n)		((u32)(n) << 4)		/* 20:4 */
#define   MIC_DRAR_HI_SIZE_GET(v)	(((v) >> 4) & 0x1ffff)
#define   MIC_DRAR_HI_SMPT(i)		((u32)(i) << 21)	/* 25:21 */
#define   MIC_DRAR_HI_SMPT_GET(v)	(((v) >> 21) & 0x1f)
#define   MIC_DRAR_HI_SYS		BIT(26)
#define MIC_DITR(ch)			MIC_DMA_CH(ch, 0x1c)
#define MIC_DSTAT(ch)			MIC_DMA_CH(ch, 0x20)
#define   MIC_DSTAT_CMP_CNT		GENMASK(16, 0)
#define   MIC_DSTAT_QUIESCE		BIT(29)
#define MIC_DSTATWB_LO(ch)		MIC_DMA_CH(ch, 0x24)
#define MIC_DSTATWB_HI(ch)		MIC_DMA_CH(ch, 0x28)
/* in the DSTAT value written back: "DMA hardware error" (MPSS reading) */
#define   MIC_DSTATWB_ERROR		BIT(31)
#define MIC_DCHERR(ch)			MIC_DMA_CH(ch, 0x2c)
#define MIC_DCHERRMSK(ch)		MIC_DMA_CH(ch, 0x30)

/* DCR: channel n owner at bit 2n (1 = host), enable at bit 2n + 1 */
#define MIC_DCR				MIC_SBOX(0xa280)
#define   MIC_DCR_OWNER_HOST(ch)	BIT(2 * (ch))
#define   MIC_DCR_ENABLE(ch)		BIT(2 * (ch) + 1)

/* Ring indices are 17 bits wide; the hardware maximum is 128Ki - 1. */
#define MIC_DMA_RING_MAX		(BIT(17) - 1)

/*
 * Descriptors: 16 bytes, two little-endian 64-bit words, type in QW1 63:60.
 */
#define MIC_DESC_TYPE_SHIFT		60
#define MIC_DESC_NOP			0ULL
#define MIC_DESC_MEMCOPY		1ULL
#define MIC_DESC_STATUS			2ULL
#define MIC_DESC_GENERAL		3ULL
#define MIC_DESC_ADDR_MASK		GENMASK_ULL(39, 0)
/* MEMCOPY: QW0 39:0 source, 59:46 length / 64; QW1 39:0 destination */
#define MIC_DESC_MEMCOPY_LEN_SHIFT	46
#define MIC_DESC_MEMCOPY_LEN_MASK	GENMASK_ULL(59, 46)
#define MIC_DESC_MEMCOPY_INTR		BIT_ULL(56)
/* STATUS: QW0 value; QW1 39:0 destination, 59 interrupt */
#define MIC_DESC_STATUS_INTR		BIT_ULL(59)
#define MIC_DMA_ALIGN			64
#define MIC_DMA_MAX_XFER_HW		((BIT(14) - 1) * 64)	/* 1 MiB - 64 */
#define MIC_DMA_MAX_XFER_HOST		(512 * 1024)		/* host drivers */

/* Post codes: two ASCII characters, low byte first */
#define MIC_POSTCODE_CHARS(a, b)	((u32)(a) | ((u32)(b) << 8))
#define MIC_POSTCODE_READY		MIC_POSTCODE_CHARS('1', '2')
#define MIC_POSTCODE_DONE		MIC_POSTCODE_CHARS('F', 'F')
#define MIC_POSTCODE_F2			MIC_POSTCODE_CHARS('F', '2')
#define MIC_POSTCODE_F4			MIC_POSTCODE_CHARS('F', '4')
#define MIC_POSTCODE_NONE		0
#define MIC_POSTCODE_LOST		0xffffffffU

#endif /* _MICMEM_X100_REGS_H */
