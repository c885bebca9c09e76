/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x100 DMA descriptors (doc/x100-hardware.md C.2).  Pure functions of their
 * arguments: shared by the driver, the DMA engine model of micmem_sim.ko
 * and the host unit tests (tests/unit), which compile this header with a
 * small shim for the kernel types.
 *
 * A descriptor is 16 bytes, two little-endian 64-bit words; the type sits
 * in QW1 bits 63:60.  Addresses are 40-bit card physical addresses (host
 * memory through the SMPT window).
 */
#ifndef _MICMEM_X100_DESC_H
#define _MICMEM_X100_DESC_H

#include <asm/byteorder.h>
#include <linux/types.h>

#include "regs.h"

struct mic_desc {
	__le64 qw0;
	__le64 qw1;
};

/* MEMCOPY reserved bits: QW0 45:43 and 63:60, QW1 54:40 */
#define MIC_DESC_MEMCOPY_RSVD0		(GENMASK_ULL(45, 43) | GENMASK_ULL(63, 60))
#define MIC_DESC_MEMCOPY_RSVD1		GENMASK_ULL(54, 40)
/* STATUS reserved bits: QW1 58:40 */
#define MIC_DESC_STATUS_RSVD1		GENMASK_ULL(58, 40)
/* GENERAL reserved bits: QW0 63:32, QW1 59:40 */
#define MIC_DESC_GENERAL_RSVD0		GENMASK_ULL(63, 32)
#define MIC_DESC_GENERAL_RSVD1		GENMASK_ULL(59, 40)

static inline u64 mic_desc_type(const struct mic_desc *d)
{
	return le64_to_cpu(d->qw1) >> MIC_DESC_TYPE_SHIFT;
}

/* A descriptor that does nothing: all zero. */
static inline struct mic_desc mic_desc_nop(void)
{
	struct mic_desc d = { 0, 0 };

	return d;
}

/*
 * Copy @len bytes from @src to @dst.  The caller guarantees what the engine
 * requires: all three 64-byte aligned, 0 < @len <= MIC_DMA_MAX_XFER_HW,
 * addresses below 2^40.
 */
static inline struct mic_desc mic_desc_memcopy(u64 src, u64 dst, u64 len)
{
	struct mic_desc d;

	d.qw0 = cpu_to_le64((src & MIC_DESC_ADDR_MASK) |
			    ((len / MIC_DMA_ALIGN) << MIC_DESC_MEMCOPY_LEN_SHIFT));
	d.qw1 = cpu_to_le64((dst & MIC_DESC_ADDR_MASK) |
			    (MIC_DESC_MEMCOPY << MIC_DESC_TYPE_SHIFT));
	return d;
}

static inline u64 mic_desc_memcopy_src(const struct mic_desc *d)
{
	return le64_to_cpu(d->qw0) & MIC_DESC_ADDR_MASK;
}

static inline u64 mic_desc_memcopy_dst(const struct mic_desc *d)
{
	return le64_to_cpu(d->qw1) & MIC_DESC_ADDR_MASK;
}

static inline u64 mic_desc_memcopy_len(const struct mic_desc *d)
{
	u64 qw0 = le64_to_cpu(d->qw0);

	return ((qw0 & MIC_DESC_MEMCOPY_LEN_MASK) >>
		MIC_DESC_MEMCOPY_LEN_SHIFT) * MIC_DMA_ALIGN;
}

/*
 * Store the 64-bit @value at @dst once every earlier descriptor of the
 * channel has completed; with @intr the channel interrupt follows.  The
 * KNC erratum (doc/x100-hardware.md C.8 #2): an interrupting STATUS must be
 * preceded by a non-interrupting one; x100/dma_submit.c always emits the pair.
 */
static inline struct mic_desc mic_desc_status(u64 value, u64 dst, bool intr)
{
	struct mic_desc d;

	d.qw0 = cpu_to_le64(value);
	d.qw1 = cpu_to_le64((dst & MIC_DESC_ADDR_MASK) |
			    (intr ? MIC_DESC_STATUS_INTR : 0) |
			    (MIC_DESC_STATUS << MIC_DESC_TYPE_SHIFT));
	return d;
}

static inline bool mic_desc_status_intr(const struct mic_desc *d)
{
	return le64_to_cpu(d->qw1) & MIC_DESC_STATUS_INTR;
}

/* Store the 32-bit @value at @dst. */
static inline struct mic_desc mic_desc_general(u32 value, u64 dst)
{
	struct mic_desc d;

	d.qw0 = cpu_to_le64(value);
	d.qw1 = cpu_to_le64((dst & MIC_DESC_ADDR_MASK) |
			    (MIC_DESC_GENERAL << MIC_DESC_TYPE_SHIFT));
	return d;
}

/* Destination of a STATUS or GENERAL descriptor. */
static inline u64 mic_desc_dst(const struct mic_desc *d)
{
	return le64_to_cpu(d->qw1) & MIC_DESC_ADDR_MASK;
}

/*
 * Ring index arithmetic.  A ring of @size slots holds at most @size - 1
 * descriptors so that head == tail means empty (doc/x100-hardware.md C.3).
 */
static inline u32 mic_ring_next(u32 idx, u32 size)
{
	return idx + 1 == size ? 0 : idx + 1;
}

static inline u32 mic_ring_used(u32 head, u32 tail, u32 size)
{
	return head >= tail ? head - tail : size - tail + head;
}

static inline u32 mic_ring_free(u32 head, u32 tail, u32 size)
{
	return size - 1 - mic_ring_used(head, tail, size);
}

static inline u32 mic_ring_add(u32 idx, u32 n, u32 size)
{
	return (u32)(((u64)idx + n) % size);
}

#endif /* _MICMEM_X100_DESC_H */
