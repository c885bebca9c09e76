// SPDX-License-Identifier: GPL-2.0
/*
 * dma_logic: the DMA path's pure logic, compiled for the host from the
 * driver's own sources: descriptor encoding (include/x100/desc.h), ring index
 * arithmetic, splitting transfers into descriptors (x100/split.c),
 * transfer validation (core/xfer.h), the SMPT window (x100/smpt.h) and
 * the hang check's progress test, the quiesce test and the head fix of
 * channel programming (x100/hang.h), the reset and boot limits
 * (x100/limits.h).
 */
#include <stdlib.h>

#include "tap.h"
#include "../../src-kernel/include/x100/desc.h"
#include "../../src-kernel/x100/hang.h"
#include "../../src-kernel/x100/limits.h"
#include "../../src-kernel/x100/smpt.h"
#include "../../src-kernel/x100/split.h"
#include "../../src-kernel/core/xfer.h"

#define KIB	1024ULL
#define MIB	(1024 * KIB)
#define CHUNK	MICMEM_CHUNK_SIZE

static u64 qw0(const struct mic_desc *d)
{
	return le64_to_cpu(d->qw0);
}

static u64 qw1(const struct mic_desc *d)
{
	return le64_to_cpu(d->qw1);
}

TEST(memcopy_encoding)
{
	struct mic_desc d = mic_desc_memcopy(0x8012345640ULL, 0x40,
					     512 * KIB);

	EXPECT_EQ(mic_desc_type(&d), MIC_DESC_MEMCOPY);
	EXPECT_EQ(qw0(&d) & 0xffffffffffULL, 0x8012345640ULL);
	EXPECT_EQ(qw0(&d) >> 46, 512 * KIB / 64);
	EXPECT_EQ(qw1(&d), (1ULL << 60) | 0x40);
	EXPECT_EQ(mic_desc_memcopy_src(&d), 0x8012345640ULL);
	EXPECT_EQ(mic_desc_memcopy_dst(&d), 0x40);
	EXPECT_EQ(mic_desc_memcopy_len(&d), 512 * KIB);
	EXPECT_EQ(qw0(&d) & MIC_DESC_MEMCOPY_RSVD0, 0);
	EXPECT_EQ(qw1(&d) & MIC_DESC_MEMCOPY_RSVD1, 0);
	EXPECT_FALSE(qw1(&d) & MIC_DESC_MEMCOPY_INTR);

	/* the 14-bit length field at its maximum: 1 MiB - 64 */
	d = mic_desc_memcopy(0, 0xffffffffc0ULL, MIC_DMA_MAX_XFER_HW);
	EXPECT_EQ(qw0(&d) >> 46, 0x3fff);
	EXPECT_EQ(mic_desc_memcopy_len(&d), 1024 * KIB - 64);
	EXPECT_EQ(mic_desc_memcopy_dst(&d), 0xffffffffc0ULL);
}

TEST(status_general_and_nop_encoding)
{
	struct mic_desc d = mic_desc_status(0x1122334455667788ULL,
					    0x8000001040ULL, false);

	EXPECT_EQ(mic_desc_type(&d), MIC_DESC_STATUS);
	EXPECT_EQ(qw0(&d), 0x1122334455667788ULL);
	EXPECT_EQ(mic_desc_dst(&d), 0x8000001040ULL);
	EXPECT_FALSE(mic_desc_status_intr(&d));
	EXPECT_EQ(qw1(&d) & MIC_DESC_STATUS_RSVD1, 0);
	d = mic_desc_status(7, 0x40, true);
	EXPECT_TRUE(mic_desc_status_intr(&d));
	EXPECT_EQ(qw1(&d), (2ULL << 60) | (1ULL << 59) | 0x40);

	d = mic_desc_general(0xdeadbeef, 0x80);
	EXPECT_EQ(mic_desc_type(&d), MIC_DESC_GENERAL);
	EXPECT_EQ(qw0(&d), 0xdeadbeef);
	EXPECT_EQ(qw1(&d), (3ULL << 60) | 0x80);

	d = mic_desc_nop();
	EXPECT_EQ(mic_desc_type(&d), MIC_DESC_NOP);
	EXPECT_EQ(qw0(&d) | qw1(&d), 0);
}

TEST(ring_index_arithmetic)
{
	EXPECT_EQ(mic_ring_next(6, 8), 7);
	EXPECT_EQ(mic_ring_next(7, 8), 0);
	EXPECT_EQ(mic_ring_used(3, 3, 8), 0);
	EXPECT_EQ(mic_ring_free(3, 3, 8), 7);	/* one slot stays empty */
	EXPECT_EQ(mic_ring_used(5, 3, 8), 2);
	EXPECT_EQ(mic_ring_used(1, 6, 8), 3);	/* wrapped */
	EXPECT_EQ(mic_ring_free(1, 6, 8), 4);
	EXPECT_EQ(mic_ring_free(2, 3, 8), 0);	/* full */
	EXPECT_EQ(mic_ring_add(6, 5, 8), 3);
	EXPECT_EQ(mic_ring_add(8191, 8191, 8192), 8190);
}

/* A fake pool: chunk i lives at card address 16 GiB * (i + 1), so that
 * chunks are not contiguous and a wrong split shows. */
static u64 chunk_addr[64];

static void init_chunks(void)
{
	unsigned int i;

	for (i = 0; i < 64; i++)
		chunk_addr[i] = MIC_SYSTEM_BASE + (i + 1) * 0x40000000ULL;
}

static struct micmem_xfer xfer(u64 off, u64 card, u64 len, int dir, int ch)
{
	struct micmem_xfer x;

	memset(&x, 0, sizeof(x));
	x.pool_offset = off;
	x.card_addr = card;
	x.length = len;
	x.dir = dir;
	x.channel = ch;
	return x;
}

#define RING	512

struct rings {
	struct mic_desc d[MIC_DMA_NR_CHANS][RING];
	u32 xi[MIC_DMA_NR_CHANS][RING];
	struct mic_split_sink s[MIC_DMA_NR_CHANS];
};

static void split(struct rings *r, const struct micmem_xfer *x, u32 n,
		  unsigned int first, u32 pos)
{
	unsigned int ch;

	memset(r, 0, sizeof(*r));
	for (ch = 0; ch < MIC_DMA_NR_CHANS; ch++) {
		r->s[ch].ring = r->d[ch];
		r->s[ch].xfer = r->xi[ch];
		r->s[ch].size = RING;
		r->s[ch].pos = pos;
	}
	init_chunks();
	mic_split(x, n, chunk_addr, first, r->s);
}

TEST(split_at_512k_within_a_chunk)
{
	struct micmem_xfer x = xfer(CHUNK, 0x1000, 2 * MIB,
				    MICMEM_DIR_TO_CARD, 0);
	static struct rings r;
	int i;

	split(&r, &x, 1, 0, 0);
	ASSERT_EQ(r.s[0].count, 4);
	EXPECT_EQ(r.s[1].count, 0);
	EXPECT_EQ(r.s[0].bytes, 2 * MIB);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(mic_desc_memcopy_src(&r.d[0][i]),
			  chunk_addr[1] + i * 512 * KIB);
		EXPECT_EQ(mic_desc_memcopy_dst(&r.d[0][i]),
			  0x1000 + i * 512 * KIB);
		EXPECT_EQ(mic_desc_memcopy_len(&r.d[0][i]), 512 * KIB);
	}
	/* from the card: source and destination swap */
	x.dir = MICMEM_DIR_FROM_CARD;
	x.channel = 1;
	split(&r, &x, 1, 0, 0);
	ASSERT_EQ(r.s[1].count, 4);
	EXPECT_EQ(mic_desc_memcopy_src(&r.d[1][0]), 0x1000);
	EXPECT_EQ(mic_desc_memcopy_dst(&r.d[1][0]), chunk_addr[1]);
}

TEST(split_never_crosses_a_chunk)
{
	struct micmem_xfer x = xfer(2 * MIB - 64, 0x40000, 128,
				    MICMEM_DIR_TO_CARD, 1);
	static struct rings r;

	split(&r, &x, 1, 0, 0);
	ASSERT_EQ(r.s[1].count, 2);
	EXPECT_EQ(mic_desc_memcopy_src(&r.d[1][0]), chunk_addr[0] + CHUNK - 64);
	EXPECT_EQ(mic_desc_memcopy_len(&r.d[1][0]), 64);
	EXPECT_EQ(mic_desc_memcopy_dst(&r.d[1][0]), 0x40000);
	EXPECT_EQ(mic_desc_memcopy_src(&r.d[1][1]), chunk_addr[1]);
	EXPECT_EQ(mic_desc_memcopy_dst(&r.d[1][1]), 0x40040);
	EXPECT_EQ(mic_desc_memcopy_len(&r.d[1][1]), 64);
}

/* Random transfers: the split covers every byte once, in order, in pieces
 * of at most 512 KiB inside one chunk, ceil(piece / 512 KiB) per piece. */
TEST(split_covers_every_byte_once)
{
	static struct rings r;
	unsigned int seed = 1, k;

	for (k = 0; k < 2000; k++) {
		u64 len = 64 * (1 + rand_r(&seed) % (48 * 1024));
		u64 off = 64 * (rand_r(&seed) % ((60 * MIB - len) / 64));
		struct micmem_xfer x = xfer(off, 0x100000, len,
					    MICMEM_DIR_TO_CARD, k % 2);
		u64 expect = 0, o = off, left = len, pos = off, card = 0x100000;
		u32 i;

		while (left) {
			u64 piece = CHUNK - o % CHUNK;

			if (piece > left)
				piece = left;
			expect += (piece + 512 * KIB - 1) / (512 * KIB);
			o += piece;
			left -= piece;
		}
		split(&r, &x, 1, 0, 0);
		ASSERT_EQ(r.s[k % 2].count, expect);
		ASSERT_EQ(r.s[k % 2].bytes, len);
		for (i = 0; i < r.s[k % 2].count; i++) {
			const struct mic_desc *d = &r.d[k % 2][i];
			u64 n = mic_desc_memcopy_len(d);

			ASSERT_LE(n, 512 * KIB);
			ASSERT_EQ(pos / CHUNK, (pos + n - 1) / CHUNK);
			ASSERT_EQ(mic_desc_memcopy_src(d),
				  chunk_addr[pos / CHUNK] + pos % CHUNK);
			ASSERT_EQ(mic_desc_memcopy_dst(d), card);
			pos += n;
			card += n;
		}
		ASSERT_EQ(pos, off + len);
	}
}

TEST(auto_stripes_chunk_pieces_over_both_channels)
{
	struct micmem_xfer x = xfer(0, 0, 64 * MIB, MICMEM_DIR_TO_CARD,
				    MICMEM_CHAN_AUTO);
	static struct rings r;

	split(&r, &x, 1, 0, 0);
	EXPECT_EQ(r.s[0].count, 64);
	EXPECT_EQ(r.s[1].count, 64);
	EXPECT_EQ(r.s[0].bytes, 32 * MIB);
	EXPECT_EQ(r.s[1].bytes, 32 * MIB);
	/* chunk 0 on channel 0, chunk 1 on channel 1, ... */
	EXPECT_EQ(mic_desc_memcopy_src(&r.d[0][0]), chunk_addr[0]);
	EXPECT_EQ(mic_desc_memcopy_src(&r.d[1][0]), chunk_addr[1]);
	EXPECT_EQ(mic_desc_memcopy_src(&r.d[0][4]), chunk_addr[2]);
	EXPECT_EQ(mic_desc_memcopy_dst(&r.d[1][4]), 3 * CHUNK);

	/* the first stripe goes where asked; a small transfer is one stripe */
	x.length = 64 * KIB;
	split(&r, &x, 1, 1, 0);
	EXPECT_EQ(r.s[0].count, 0);
	EXPECT_EQ(r.s[1].count, 1);
	/* consecutive small transfers of a batch alternate */
	{
		struct micmem_xfer two[2] = { x, x };

		split(&r, two, 2, 0, 0);
		EXPECT_EQ(r.s[0].count, 1);
		EXPECT_EQ(r.s[1].count, 1);
	}
}

TEST(split_wraps_around_the_ring_and_records_transfers)
{
	struct micmem_xfer x[2] = {
		xfer(0, 0, 1 * MIB, MICMEM_DIR_TO_CARD, 0),
		xfer(CHUNK, 0, 1 * MIB, MICMEM_DIR_FROM_CARD, 0),
	};
	static struct rings r;

	split(&r, x, 2, 0, RING - 2);
	EXPECT_EQ(r.s[0].count, 4);
	EXPECT_EQ(r.s[0].pos, 2);
	EXPECT_EQ(r.xi[0][RING - 2], 0);
	EXPECT_EQ(r.xi[0][RING - 1], 0);
	EXPECT_EQ(r.xi[0][0], 1);
	EXPECT_EQ(r.xi[0][1], 1);
	EXPECT_EQ(mic_desc_memcopy_dst(&r.d[0][0]), chunk_addr[1]);

	/* counting (no ring) gives the same numbers */
	{
		struct mic_split_sink s[MIC_DMA_NR_CHANS];

		memset(s, 0, sizeof(s));
		mic_split(x, 2, chunk_addr, 0, s);
		EXPECT_EQ(s[0].count, 4);
		EXPECT_EQ(s[0].bytes, 2 * MIB);
		EXPECT_EQ(s[1].count, 0);
	}
}

#define POOL	(8 * MIB)
#define WIN	(1024 * MIB)

TEST(transfer_validation_rules)
{
	struct micmem_xfer x = xfer(0, 0, 64, 0, 0);
	const struct micmem_xfer ok = x;

	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), 0);
	x.flags = 1;
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -EINVAL);
	x = ok;
	x.reserved = 1;
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -EINVAL);
	x = ok;
	x.dir = 2;
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -EINVAL);
	x = ok;
	x.channel = 3;
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -EINVAL);
	x = ok;
	x.length = 0;
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -EINVAL);
	x = ok;
	x.pool_offset = 1;
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -EINVAL);
	x = ok;
	x.card_addr = 32;
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -EINVAL);
	x = ok;
	x.length = 65;
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -EINVAL);

	/* bounds: up to the end is fine, one cache line more is not */
	x = xfer(POOL - 64, WIN - 64, 64, 1, 2);
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), 0);
	x.pool_offset = POOL;
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -ERANGE);
	x = xfer(POOL - 64, 0, 128, 0, 0);
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -ERANGE);
	x = xfer(0, WIN, 64, 0, 0);
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -ERANGE);
	/* overflow of offset + length on either side */
	x = xfer(~0ULL - 63, 0, 128, 0, 0);
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -ERANGE);
	x = xfer(64, 0, ~0ULL - 63, 0, 0);
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -ERANGE);
	x = xfer(0, ~0ULL - 63, 128, 0, 0);
	EXPECT_EQ(micmem_xfer_check(&x, POOL, WIN), -ERANGE);
	/* an empty window admits nothing */
	x = ok;
	EXPECT_EQ(micmem_xfer_check(&x, POOL, 0), -ERANGE);
}

TEST(smpt_window_addresses)
{
	u64 a = 0;

	EXPECT_EQ(mic_smpt_card_addr(0, 4096, &a), 0);
	EXPECT_EQ(a, 0x8000000000ULL);
	EXPECT_EQ(mic_smpt_card_addr(0x123456000ULL, CHUNK, &a), 0);
	EXPECT_EQ(a, 0x8123456000ULL);
	/* the last 2 MiB below 512 GiB fit, one byte more does not */
	EXPECT_EQ(mic_smpt_card_addr(512 * 1024 * MIB - CHUNK, CHUNK, &a), 0);
	EXPECT_EQ(a, 0xffffe00000ULL);
	EXPECT_EQ(mic_smpt_card_addr(512 * 1024 * MIB - CHUNK + 64, CHUNK, &a),
		  -ERANGE);
	EXPECT_EQ(mic_smpt_card_addr(512 * 1024 * MIB, 64, &a), -ERANGE);
	EXPECT_EQ(mic_smpt_card_addr(~0ULL - 4095, 4096, &a), -ERANGE);
	/* the identity map programs entry i with host page i */
	EXPECT_EQ(MIC_SMPT_ENTRY(5ULL << 34), 5 << 2);
}

/* DSTAT's completion count as the engine reports it, tail slot @tail */
#define DSTAT(tail)	((u32)(tail))

TEST(hang_check_needs_two_still_looks)
{
	struct mic_dma_hang h = { 0 };

	/* the first look of a busy period only records */
	EXPECT_FALSE(mic_dma_hang_check(&h, DSTAT(914), 711898));
	/* nothing moved since: hung */
	EXPECT_TRUE(mic_dma_hang_check(&h, DSTAT(914), 711898));
	/* the reset started a new period: the next look records again */
	EXPECT_FALSE(mic_dma_hang_check(&h, DSTAT(914), 711898));
	/* a restart (submit, idle) forgets what was seen */
	mic_dma_hang_restart(&h);
	EXPECT_FALSE(mic_dma_hang_check(&h, DSTAT(914), 711898));
}

TEST(hang_check_sees_either_value_move)
{
	struct mic_dma_hang h = { 0 };

	EXPECT_FALSE(mic_dma_hang_check(&h, DSTAT(100), 40));
	EXPECT_FALSE(mic_dma_hang_check(&h, DSTAT(101), 40));	/* DSTAT */
	EXPECT_FALSE(mic_dma_hang_check(&h, DSTAT(101), 42));	/* seq */
	EXPECT_TRUE(mic_dma_hang_check(&h, DSTAT(101), 42));
}

/*
 * The review's collision (defect 1): three parts of 4, 4 and 14
 * descriptors move the tail 914 -> 936 while the completion word goes
 * 711898 -> 711904.  DSTAT ^ seq, the old fingerprint, is the same for
 * both looks; the channel made progress and must not be reset.
 */
TEST(hang_check_progress_with_equal_xor)
{
	struct mic_dma_hang h = { 0 };

	ASSERT_EQ(DSTAT(914) ^ 711898U, DSTAT(936) ^ 711904U);
	EXPECT_FALSE(mic_dma_hang_check(&h, DSTAT(914), 711898));
	EXPECT_FALSE(mic_dma_hang_check(&h, DSTAT(936), 711904));
	/* and it still counts as hung once both stay */
	EXPECT_TRUE(mic_dma_hang_check(&h, DSTAT(936), 711904));
}

/* DSTAT bit 29 set: quiet at once; an all-ones card too. */
TEST(quiet_check_takes_the_quiesce_bit)
{
	struct mic_dma_quiet q = { 0 };

	EXPECT_TRUE(mic_dma_quiet_check(&q, MIC_DSTAT_QUIESCE | 5, 5, 9));
	EXPECT_TRUE(mic_dma_quiet_check(&q, ~0U, ~0U, ~0U));
}

/* Without bit 29: everything handed over completed is quiet at once. */
TEST(quiet_check_without_the_bit_caught_up)
{
	struct mic_dma_quiet q = { 0 };

	EXPECT_TRUE(mic_dma_quiet_check(&q, 4711, 4711, 4711));
	/* DHPR's upper bits are not an index */
	EXPECT_TRUE(mic_dma_quiet_check(&q, 17, 17, 0xfffe0000 | 17));
}

/*
 * Without bit 29 and with work left (a stopped or stalled engine): quiet
 * only after MIC_DMA_QUIET_READS reads in a row saw nothing move.
 */
TEST(quiet_check_without_the_bit_waits_for_stillness)
{
	struct mic_dma_quiet q = { 0 };
	unsigned int i;

	/* still moving: never quiet */
	for (i = 0; i < 3 * MIC_DMA_QUIET_READS; i++)
		EXPECT_FALSE(mic_dma_quiet_check(&q, 100 + i, 100 + i, 500));
	/* stops at 200: the first read records, then the count runs */
	for (i = 0; i < MIC_DMA_QUIET_READS; i++)
		EXPECT_FALSE(mic_dma_quiet_check(&q, 200, 200, 500));
	EXPECT_TRUE(mic_dma_quiet_check(&q, 200, 200, 500));

	/* DTPR moving alone (fetch ahead of completion) also counts */
	memset(&q, 0, sizeof(q));
	for (i = 0; i < MIC_DMA_QUIET_READS; i++)
		EXPECT_FALSE(mic_dma_quiet_check(&q, 300, 301 + i % 2, 500));
}

/* Programming: DHPR brought to DTPR, never rewritten with its value. */
TEST(head_fix_brings_dhpr_to_dtpr)
{
	u32 v = 12345;

	/* equal (a fresh channel, or a DRAR write that reset both) */
	EXPECT_FALSE(mic_dma_head_fix(0, 0, 8192, &v));
	EXPECT_EQ(v, 0);
	EXPECT_FALSE(mic_dma_head_fix(77, 77, 8192, &v));
	EXPECT_EQ(v, 77);
	/* head ahead of tail (stale descriptors in between): DHPR = DTPR */
	EXPECT_TRUE(mic_dma_head_fix(77, 300, 8192, &v));
	EXPECT_EQ(v, 77);
	/* head behind tail (wrapped) */
	EXPECT_TRUE(mic_dma_head_fix(8000, 12, 8192, &v));
	EXPECT_EQ(v, 8000);
}

/* A DTPR beyond the ring (a bigger ring before): start at 0. */
TEST(head_fix_stale_dtpr_beyond_the_ring)
{
	u32 v = 12345;

	EXPECT_TRUE(mic_dma_head_fix(131000, 131005, 8192, &v));
	EXPECT_EQ(v, 0);
	EXPECT_TRUE(mic_dma_head_fix(8192, 5, 8192, &v));
	EXPECT_EQ(v, 0);
	/* DHPR holds 0 already: no second write of the same value */
	EXPECT_FALSE(mic_dma_head_fix(131000, 0, 8192, &v));
	EXPECT_EQ(v, 0);
	/* the last slot is in the ring */
	EXPECT_TRUE(mic_dma_head_fix(8191, 0, 8192, &v));
	EXPECT_EQ(v, 8191);
}

/* Post code 0 fails a reset only from 2 s after it was issued. */
TEST(reset_postcode0_grace)
{
	EXPECT_FALSE(mic_reset_postcode0_fails(0));
	EXPECT_FALSE(mic_reset_postcode0_fails(1000));
	EXPECT_FALSE(mic_reset_postcode0_fails(1999));
	EXPECT_TRUE(mic_reset_postcode0_fails(2000));
	EXPECT_TRUE(mic_reset_postcode0_fails(300000));
}

/* Download addresses up to 2 GiB, as mainline. */
TEST(boot_download_address_limit)
{
	EXPECT_TRUE(mic_boot_dl_addr_ok(0));
	EXPECT_TRUE(mic_boot_dl_addr_ok(64 * MIB));
	EXPECT_TRUE(mic_boot_dl_addr_ok(2048 * MIB));
	EXPECT_FALSE(mic_boot_dl_addr_ok(2048 * MIB + 4096));
	EXPECT_FALSE(mic_boot_dl_addr_ok(0xfffff000ULL));
}

TEST_MAIN()
