/* SPDX-License-Identifier: GPL-2.0 */
/*
 * engine_util.h - drive one DMA channel of a sim card by register peek and
 * poke, with its ring in card memory (DRAR_HI.SYS clear), for the tests of
 * the engine model itself (dma_engine.c, sim_sceptic.c).  The driver only
 * moves rings and data between a pool and card memory.
 *
 * Register offsets and descriptor encodings are written here from the
 * doc/x100-hardware.md (B.2, B.3, C.2), independently of include/x100/.
 */
#ifndef MICMEM_ENGINE_UTIL_H
#define MICMEM_ENGINE_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "dma_util.h"

#define CHREG(ch, off)	(0x1a000 + 0x40 * (ch) + (off))
#define DCAR(ch)	CHREG(ch, 0x00)
#define DHPR(ch)	CHREG(ch, 0x04)
#define DTPR(ch)	CHREG(ch, 0x08)
#define DRAR_LO(ch)	CHREG(ch, 0x14)
#define DRAR_HI(ch)	CHREG(ch, 0x18)
#define DSTAT(ch)	CHREG(ch, 0x20)
#define DSTATWB_LO(ch)	CHREG(ch, 0x24)
#define DSTATWB_HI(ch)	CHREG(ch, 0x28)
#define DCHERR(ch)	CHREG(ch, 0x2c)
#define DCHERRMSK(ch)	CHREG(ch, 0x30)
#define DSTAT_QUIESCE	(1U << 29)
#define DCR		0x1a280
#define DCR_OWNER(ch)	(1U << (2 * (ch)))
#define DCR_ENABLE(ch)	(1U << (2 * (ch) + 1))
#define DCAR_IM0	(1U << 24)
#define DCAR_IM1	(1U << 25)
#define SICR0		0x19004
#define SICE0		0x1900c
#define SICC0		0x19010
#define SIAC0		0x19014
#define MXAR(i)		(0x19044 + 4 * (i))
#define INT_DMA(ch)	(1U << (8 + (ch)))

#define RING_ADDR	(128 * MIB)	/* card memory */
#define RING_SLOTS	64
#define SYS		0x8000000000ULL	/* SMPT window */

/* model DCHERR bits (src-kernel/sim/dma.h) */
#define E_DESC		0x01
#define E_ALIGN		0x02
#define E_ADDR		0x04
#define E_HEAD		0x08
#define E_INJECTED	0x10
#define E_SIZE		0x20
#define E_RING		0x40
#define E_FETCH		0x80

struct desc {
	uint64_t qw0, qw1;
};

static inline struct desc memcopy(uint64_t src, uint64_t dst, uint64_t len)
{
	struct desc d = { src | (len / 64) << 46, dst | 1ULL << 60 };

	return d;
}

static inline struct desc status(uint64_t val, uint64_t dst, int intr)
{
	struct desc d = { val, dst | (uint64_t)!!intr << 59 | 2ULL << 60 };

	return d;
}

static inline struct desc general(uint32_t val, uint64_t dst)
{
	struct desc d = { val, dst | 3ULL << 60 };

	return d;
}

/* One sim card and the channel the test drives (2 unless changed). */
struct eng {
	const char *name;
	int card;
	unsigned int ch;
	struct dma_fd d;
};

static inline long long eng_peek(struct eng *e, unsigned int off)
{
	long long v = micsim_peek(e->name, off);

	ASSERT_GE(v, 0);
	return v;
}

static inline void eng_poke(struct eng *e, unsigned int off, unsigned int v)
{
	ASSERT_OK(micsim_poke(e->name, off, v));
}

static inline long long eng_knob(struct eng *e, const char *knob)
{
	long long v = micsim_knob_get(e->name, knob);

	ASSERT_GE(v, 0);
	return v;
}

/* Binds @e to the existing sim card @name ("card0" made by vm-run). */
static inline void eng_attach(struct eng *e, const char *name)
{
	memset(e, 0, sizeof(*e));
	e->name = name;
	e->ch = 2;
	e->card = sim_card_nr(name);
	ASSERT_GE(e->card, 0);
	ASSERT_OK(dma_fd_open(&e->d, 4 * MIB));
	ASSERT_OK(dma_attach(e->d.fd, e->card));
}

/*
 * Creates sim card @name with the "attr=value" strings that follow (NULL
 * ends them), live, and binds @e to it.
 */
static inline void eng_up(struct eng *e, const char *name, ...)
{
	char path[256];
	const char *kv;
	va_list ap;

	snprintf(path, sizeof(path), MICSIM_CONFIGFS "/%s", name);
	ASSERT_OK(mkdir(path, 0755));
	va_start(ap, name);
	while ((kv = va_arg(ap, const char *))) {
		char attr[64];
		const char *eq = strchr(kv, '=');

		ASSERT_TRUE(eq && (size_t)(eq - kv) < sizeof(attr));
		memcpy(attr, kv, eq - kv);
		attr[eq - kv] = '\0';
		ASSERT_EQ(micsim_set(name, attr, eq + 1), 0);
	}
	va_end(ap);
	ASSERT_EQ(micsim_set(name, "live", "1"), 0);
	eng_attach(e, name);
}

static inline void eng_down(struct eng *e)
{
	dma_fd_close(&e->d);
	EXPECT_EQ(micsim_del(e->name), 0);
}

/* Copies @len bytes between the pool (at @pool_off) and card memory. */
static inline void eng_to_card(struct eng *e, uint64_t pool_off,
			       uint64_t addr, uint64_t len)
{
	struct micmem_xfer x = dma_xfer(pool_off, addr, len,
					MICMEM_DIR_TO_CARD, 0);

	ASSERT_OK(dma_run(e->d.fd, e->card, &x, 1));
}

static inline void eng_from_card(struct eng *e, uint64_t pool_off,
				 uint64_t addr, uint64_t len)
{
	struct micmem_xfer x = dma_xfer(pool_off, addr, len,
					MICMEM_DIR_FROM_CARD, 1);

	ASSERT_OK(dma_run(e->d.fd, e->card, &x, 1));
}

/* The 32-bit word at card address @addr. */
static inline uint32_t eng_card_u32(struct eng *e, uint64_t addr)
{
	eng_from_card(e, 3 * MIB, addr & ~63ULL, 64);
	return *(uint32_t *)(void *)(e->d.pool + 3 * MIB + (addr & 63));
}

/* Writes the whole ring (@n descriptors from slot 0, NOPs after). */
static inline void eng_write_ring(struct eng *e, const struct desc *ring,
				  unsigned int n)
{
	memset(e->d.pool, 0, RING_SLOTS * sizeof(*ring));
	memcpy(e->d.pool, ring, n * sizeof(*ring));
	eng_to_card(e, 0, RING_ADDR, RING_SLOTS * sizeof(*ring));
}

static inline void eng_disable(struct eng *e)
{
	eng_poke(e, DCR, eng_peek(e, DCR) & ~DCR_ENABLE(e->ch));
	usleep(20000);		/* a running descriptor finishes */
}

static inline void eng_enable(struct eng *e)
{
	eng_poke(e, DCR, eng_peek(e, DCR) | DCR_ENABLE(e->ch));
}

/*
 * The ring (card memory, @slots descriptors) into the disabled channel:
 * host interrupt masked; enabled afterwards.  DHPR and DTPR are whatever
 * the card's options make of a DRAR write.
 */
static inline void eng_program(struct eng *e, unsigned int slots)
{
	eng_disable(e);
	eng_poke(e, DCAR(e->ch), DCAR_IM1);
	eng_poke(e, DRAR_LO(e->ch), RING_ADDR);
	eng_poke(e, DRAR_HI(e->ch), slots << 4);
	eng_enable(e);
}

/* Waits until DTPR is @tail or DCHERR is set; returns DCHERR. */
static inline long long eng_wait(struct eng *e, unsigned int tail)
{
	long long err = 0;
	int i;

	for (i = 0; i < 400; i++) {
		err = eng_peek(e, DCHERR(e->ch));
		if (err || eng_peek(e, DTPR(e->ch)) == tail)
			break;
		usleep(5000);
	}
	return err;
}

/* Hands descriptors up to @head to the engine; DCHERR once it stopped. */
static inline long long eng_run(struct eng *e, unsigned int head)
{
	eng_poke(e, DHPR(e->ch), head);
	return eng_wait(e, head);
}

#endif /* MICMEM_ENGINE_UTIL_H */
