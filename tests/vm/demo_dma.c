// SPDX-License-Identifier: GPL-2.0
/*
 * demo-dma: what scripts/demo shows inside the VM.  Round trips pool ->
 * card -> pool on channel 0, channel 1 and auto, on every simulated card,
 * with what each cost the "hardware" according to the sim's counters.
 *
 *   demo-dma [SIZE_MIB...]      (default: 0.0625 2 16 64)
 *
 * The MiB/s are those of a simulated card under QEMU TCG: they show the
 * software path, not PCIe.  Exit status 0 iff every round trip compared
 * equal.
 */
#include <dirent.h>
#include <stdlib.h>

#include "dma_util.h"

/*
 * Card memory from 4 KiB: the pool and the sim's card memory are both
 * 2 MiB-aligned, and under TCG a copy between equal offsets of the two
 * aliases in QEMU's direct-mapped soft TLB, which makes the sim's copy
 * ~10x slower at random (doc/performance.md, "Latest run").
 */
#define DEMO_CARD_ADDR	(4 * 1024)

struct counters {
	long long memcopy, status, irq, writes, reads;
};

static void counters(const char *sim, struct counters *c)
{
	c->memcopy = micsim_knob_get(sim, "dma_memcopy");
	c->status = micsim_knob_get(sim, "dma_status");
	c->irq = micsim_knob_get(sim, "interrupts");
	c->writes = micsim_knob_get(sim, "mmio_writes");
	c->reads = micsim_knob_get(sim, "mmio_reads");
}

static double mib_s(uint64_t bytes, uint64_t ns)
{
	return ns ? (double)bytes / (1024.0 * 1024.0) / (ns / 1e9) : 0;
}

static const char *chan_name(int ch)
{
	return ch == MICMEM_CHAN_AUTO ? "auto" : ch ? "1" : "0";
}

/* One round trip; prints its row; 0 when the data came back equal. */
static int row(const char *sim, int card, struct dma_fd *d, uint64_t len,
	       int ch, unsigned int seed)
{
	uint64_t src = 0, dst = d->size / 2, t0, t_to, t_from;
	struct counters a, b;
	struct micmem_xfer x;
	int ok;

	fill_pattern(d->pool + src, len, seed);
	memset(d->pool + dst, 0, len);
	counters(sim, &a);
	x = dma_xfer(src, DEMO_CARD_ADDR, len, MICMEM_DIR_TO_CARD, ch);
	t0 = now_ns();
	ok = !dma_run(d->fd, card, &x, 1);
	t_to = now_ns() - t0;
	x = dma_xfer(dst, DEMO_CARD_ADDR, len, MICMEM_DIR_FROM_CARD, ch);
	t0 = now_ns();
	ok = ok && !dma_run(d->fd, card, &x, 1);
	t_from = now_ns() - t0;
	counters(sim, &b);
	ok = ok && !memcmp(d->pool + src, d->pool + dst, len);

	printf("mic%-3d %9.4g %-5s %9.1f %9.1f %7lld %6lld %5lld %5lld %5lld  %s\n",
	       card, len / (1024.0 * 1024.0), chan_name(ch),
	       mib_s(len, t_to), mib_s(len, t_from),
	       b.memcopy - a.memcopy, b.status - a.status, b.irq - a.irq,
	       b.writes - a.writes, b.reads - a.reads, ok ? "ok" : "FAIL");
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const double dflt[] = { 0.0625, 2, 16, 64 };
	static const int chans[] = { MICMEM_CHAN_0, MICMEM_CHAN_1,
				     MICMEM_CHAN_AUTO };
	double sizes[16];
	int nsizes = 0, failed = 0, i, c, s, k;
	uint64_t max = 0;
	struct dirent **names;
	int n;

	for (i = 1; i < argc && nsizes < 16; i++)
		sizes[nsizes++] = atof(argv[i]);
	if (!nsizes)
		for (; nsizes < 4; nsizes++)
			sizes[nsizes] = dflt[nsizes];
	for (s = 0; s < nsizes; s++) {
		uint64_t b = (uint64_t)(sizes[s] * MIB) & ~63ULL;

		if (b < 64) {
			fprintf(stderr, "size %g MiB is below 64 bytes\n", sizes[s]);
			return 2;
		}
		if (b > max)
			max = b;
	}

	/* the register reads of the card-lost check would blur the counts */
	param_set("health_ms", "0");
	usleep(50000);

	printf("micmem DMA demo: round trips pool -> card -> pool, compared byte for byte\n");
	printf("(descs = MEMCOPY descriptors, status = STATUS descriptors, irqs = interrupts,\n");
	printf(" mmio w/r = register writes/reads for both directions; card-lost check paused)\n\n");
	printf("%-6s %9s %-5s %9s %9s %7s %6s %5s %5s %5s  %s\n", "card",
	       "MiB", "chan", "to MiB/s", "fromMiB/s", "descs", "status",
	       "irqs", "mmio", "mmio", "verdict");
	printf("%-6s %9s %-5s %9s %9s %7s %6s %5s %5s %5s\n", "", "", "", "",
	       "", "", "", "", "w", "r");

	n = scandir(MICSIM_CONFIGFS, &names, NULL, alphasort);
	if (n < 0) {
		perror(MICSIM_CONFIGFS);
		return 1;
	}
	for (i = 0; i < n; i++) {
		const char *sim = names[i]->d_name;
		struct micmem_xfer x;
		struct dma_fd d;
		int card;

		card = sim[0] == '.' ? -1 : sim_card_nr(sim);
		if (card < 0)
			continue;
		if (dma_fd_open(&d, 2 * ((max + CHUNK - 1) & ~(CHUNK - 1))) ||
		    dma_attach(d.fd, card)) {
			printf("mic%d: cannot set up DMA: %s\n", card,
			       strerror(errno));
			failed++;
			continue;
		}
		/*
		 * The sim allocates card memory on its first write (sparse
		 * GDDR, sim/mem.c): write the range once, untimed, so that the
		 * first row does not time the sim's allocation.
		 */
		x = dma_xfer(0, DEMO_CARD_ADDR, max, MICMEM_DIR_TO_CARD,
			     MICMEM_CHAN_AUTO);
		if (dma_run(d.fd, card, &x, 1)) {
			printf("mic%d: DMA failed: %s\n", card, strerror(errno));
			failed++;
		}
		k = 0;
		for (c = 0; c < 3; c++)
			for (s = 0; s < nsizes; s++)
				if (row(sim, card, &d,
					(uint64_t)(sizes[s] * MIB) & ~63ULL,
					chans[c], card * 100 + ++k))
					failed++;
		dma_fd_close(&d);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	param_set("health_ms", "500");

	printf("\n%s\n", failed ? "SOME ROUND TRIPS FAILED" :
	       "every round trip came back identical");
	return failed ? 1 : 0;
}
