// SPDX-License-Identifier: GPL-2.0
/*
 * fidelity_matrix: the driver under every reading of the hardware that no
 * public source settles (doc/x100-hardware.md G.0), on C0 and B0, with
 * MSI-X and with one MSI vector.  A representative subset of the DMA,
 * error and card suites that touches every register path runs on a fresh
 * sim card per combination:
 *
 *   start      the card comes up ready, DMA starts: no DCHERR write,
 *              channels 0 and 1 host-owned and enabled in DCR
 *   submit     round trips on channel 0, 1 and auto, data compared
 *   interrupt  batches back to back each complete well inside the hang
 *              check period: every interrupt arrives (B0+ re-arm, MXAR0)
 *   error      fail_next: the batch fails with -EIO (MICMEM_ERR_CHANNEL)
 *              naming its transfer, whether the channel resumes or is
 *              re-programmed; the channel works afterwards
 *   hang       stall: -ETIMEDOUT, then the stale descriptors of the hung
 *              batch never run (engine byte counter) and no head value is
 *              written twice (dma_errata); DCR bits of channels 4-7 the
 *              card set survive
 *   quiesce    reset:force with a stalled channel returns within a second
 *              (the stop's quiesce is bounded) and cancels the batch
 *   reset      the card comes back ready, DMA works
 *   boot       a non-ELF file: online with boot_image=raw, "boot failed"
 *              (nA) with elf; then an ELF image; DMA works when online,
 *              after a stop without a card reset
 *   log        no channel failed to start or restart, and no stop found a
 *              channel still moving (kernel log): a quiesce bit that never
 *              sets or a DCHERR write that does nothing is no error
 *
 * The options are configfs attributes written before live = 1: dcherr
 * (ro, rw, w1c), drar_resets_pointers (0, 1), quiesce_bit (0, 1), dstatwb
 * (per_desc, on_complete), boot_image (raw, elf).  boot_image only
 * matters for the boot step: the combinations with boot_image = elf run
 * every step, those with raw only start, boot and DMA once online.
 *
 * A sim without an option's attribute behaves in one fixed way (the
 * values in "builtin" below: the sim before the options existed); a
 * combination asking for another value of a missing option is skipped
 * with the reason, never failed.  Each case prints its part of the
 * matrix, one line per combination, and the counts.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "card_util.h"

#define SCRATCH2	0x1ab28
#define DCR		0x1a280
#define DCHERR(ch)	(0x1a02c + 0x40 * (ch))
#define DCR_HOST_BITS	0xfu	/* owner + enable of channels 0 and 1 */
#define DCR_CARD_BITS	0xff00u	/* channels 4-7 */
#define DCR_CARD_SET	0x3300u	/* the card OS owns and enables 4 and 6 */

#define POOL		(4 * MIB)
#define CARD_A		(1 * MIB)
#define NOT_ELF		"micmem-not-elf"	/* a firmware name */

struct option {
	const char *attr;
	const char *const vals[3];
	int n;
	const char *builtin;
};

enum { O_DCHERR, O_DRAR, O_QUIESCE, O_DSTATWB, O_BOOT, O_COUNT };

static const struct option opts[O_COUNT] = {
	[O_DCHERR] = { "dcherr", { "ro", "rw", "w1c" }, 3, "w1c" },
	[O_DRAR] = { "drar_resets_pointers", { "0", "1" }, 2, "1" },
	[O_QUIESCE] = { "quiesce_bit", { "0", "1" }, 2, "1" },
	[O_DSTATWB] = { "dstatwb", { "per_desc", "on_complete" }, 2,
			"per_desc" },
	[O_BOOT] = { "boot_image", { "elf", "raw" }, 2, "elf" },
};

/* Results of one case. */
static int n_pass, n_fail, n_skip;

/* Checks of the current combination that failed. */
static int fails;
static char combo[160];

#define CHK(x) do {							\
	int ok_ = !!(x);						\
									\
	if (!ok_) {							\
		fails++;						\
		TH_LOG("%s: check failed: %s", combo, #x);		\
	}								\
	EXPECT_TRUE(ok_);						\
} while (0)

static void config_path(char *buf, size_t len, const char *name,
			const char *attr)
{
	snprintf(buf, len, MICSIM_CONFIGFS "/%s%s%s", name, attr ? "/" : "",
		 attr ? attr : "");
}

static void card_remove(const char *name)
{
	char path[256];

	micsim_set(name, "live", "0");
	config_path(path, sizeof(path), name, NULL);
	rmdir(path);
}

/*
 * Create sim card @name with the combination @val (index per option);
 * its micN, -ENOENT with @why filled when the sim lacks an option for a
 * value other than its built-in one, or another -errno.
 */
static int card_create(const char *name, const char *stepping,
		       const char *vectors, const int *val, char *why,
		       size_t len)
{
	char path[256], buf[16], s[32];
	int i, ret;

	config_path(path, sizeof(path), name, NULL);
	if (mkdir(path, 0755))
		return -errno;
	snprintf(s, sizeof(s), "%s", stepping);
	if (micsim_set(name, "stepping", s) || micsim_set(name, "vectors",
							   vectors) ||
	    micsim_set(name, "memsize_mb", "256") ||
	    micsim_set(name, "reset_ms", "20") ||
	    micsim_set(name, "boot_ms", "20")) {
		ret = -EINVAL;
		goto err;
	}
	for (i = 0; i < O_COUNT; i++) {
		const char *v = opts[i].vals[val[i]];

		ret = micsim_set(name, opts[i].attr, v);
		if (ret == -ENOENT) {
			if (!strcmp(v, opts[i].builtin))
				continue;
			snprintf(why, len,
				 "the sim has no \"%s\" attribute yet (it always behaves as %s=%s)",
				 opts[i].attr, opts[i].attr, opts[i].builtin);
			goto err;
		}
		if (ret) {
			TH_LOG("%s = %s: %s", opts[i].attr, v, strerror(-ret));
			goto err;
		}
	}
	ret = micsim_set(name, "live", "1");
	if (ret)
		goto err;
	config_path(path, sizeof(path), name, "card");
	ret = micsim_read(path, buf, sizeof(buf));
	if (ret)
		goto err;
	return atoi(buf);
err:
	card_remove(name);
	return ret;
}

/* /dev/kmsg positioned at its end, or -1. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Kernel log lines since kmsg_open() that report a false channel error. */
static int kmsg_channel_errors(int fd)
{
	static const char *const bad[] = {
		"failed to start", "did not restart", "still moves",
		"does not quiesce",
	};
	char rec[1024];
	unsigned int i;
	ssize_t n;
	int found = 0;

	if (fd < 0)
		return 0;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;
		rec[n] = 0;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (strstr(rec, bad[i])) {
				TH_LOG("%s: kernel log: %s", combo, rec);
				found++;
			}
		}
	}
	close(fd);
	return found;
}

/* One transfer and back through another channel; data compared. */
static int round_trip(struct dma_fd *d, int card, int chan_to, int chan_back,
		      uint64_t len, uint64_t seed)
{
	struct micmem_xfer x;

	fill_pattern(d->pool, len, seed);
	memset(d->pool + POOL / 2, 0, len);
	x = dma_xfer(0, CARD_A, len, MICMEM_DIR_TO_CARD, chan_to);
	if (dma_run(d->fd, card, &x, 1))
		return 0;
	x = dma_xfer(POOL / 2, CARD_A, len, MICMEM_DIR_FROM_CARD, chan_back);
	if (dma_run(d->fd, card, &x, 1))
		return 0;
	return check_pattern(d->pool + POOL / 2, len, seed) == -1;
}

static void step_start(const char *name, int card)
{
	long long dcr = micsim_peek(name, DCR);
	struct micsim_mmio *m = calloc(1, sizeof(*m));

	CHK(card_state_wait(card, "ready", 5000) == 0);
	CHK(dcr >= 0 && (dcr & DCR_HOST_BITS) == DCR_HOST_BITS);
	CHK(m && micsim_mmio(name, m) == 0);
	if (m) {
		/* setup only reads DCHERR (G.15) */
		CHK(m->writes[DCHERR(0) / 4] == 0);
		CHK(m->writes[DCHERR(1) / 4] == 0);
	}
	free(m);
}

static void step_submit(struct dma_fd *d, int card)
{
	CHK(round_trip(d, card, MICMEM_CHAN_0, MICMEM_CHAN_1, 256 * KIB, 1));
	CHK(round_trip(d, card, MICMEM_CHAN_1, MICMEM_CHAN_0, 64 * KIB, 2));
	/* across chunks: auto uses both channels */
	CHK(round_trip(d, card, MICMEM_CHAN_AUTO, MICMEM_CHAN_AUTO,
		       POOL / 2, 3));
}

/*
 * With a hang check of 3 s, a lost interrupt would hold a batch for
 * seconds: every batch must complete at once.
 */
static void step_interrupts(struct dma_fd *d, int card)
{
	struct micmem_xfer x;
	long long t0, dt;
	int i;

	set_param("hang_timeout_ms", 3000);
	for (i = 0; i < 8; i++) {
		x = dma_xfer(0, CARD_A, 16 * KIB, MICMEM_DIR_TO_CARD, i % 2);
		t0 = now_ms();
		CHK(dma_run(d->fd, card, &x, 1) == 0);
		dt = now_ms() - t0;
		if (dt >= 1500)
			TH_LOG("%s: batch %d took %lld ms", combo, i, dt);
		CHK(dt < 1500);
	}
}

static void step_error(const char *name, struct dma_fd *d, int card)
{
	struct micmem_xfer x[3], y;
	struct micmem_wait w;
	uint64_t ta, tb;
	int i, rb;

	set_param("hang_timeout_ms", 200);
	for (i = 0; i < 3; i++)
		x[i] = dma_xfer(i * KIB, CARD_A + i * KIB, KIB,
				MICMEM_DIR_TO_CARD, 0);
	y = dma_xfer(64 * KIB, CARD_A + 64 * KIB, 4 * KIB, MICMEM_DIR_TO_CARD,
		     0);
	CHK(micsim_knob_set(name, "fail_skip", "1") == 0);
	CHK(micsim_knob_set(name, "fail_next", "1") == 0);
	CHK(dma_submit(d->fd, card, x, 3, 0, &ta) == 0);
	CHK(dma_submit(d->fd, card, &y, 1, 0, &tb) == 0);
	CHK(dma_wait_ms(d->fd, ta, 5000, &w) == -1 && errno == EIO);
	CHK(w.error_class == MICMEM_ERR_CHANNEL);
	CHK(w.failed_xfer == 1);
	/* behind it: resumed (ok) or failed by the re-program (-EIO) */
	rb = dma_wait_ms(d->fd, tb, 5000, &w);
	CHK(rb == 0 || (errno == EIO && w.error_class == MICMEM_ERR_CHANNEL));
	TH_LOG("%s: error recovery %s", combo,
	       rb ? "re-programmed the channel" : "resumed the channel");
	CHK(round_trip(d, card, MICMEM_CHAN_0, MICMEM_CHAN_0, 64 * KIB, 4));
}

static void step_hang(const char *name, struct dma_fd *d, int card)
{
	struct micmem_xfer x = dma_xfer(0, CARD_A, 64 * KIB,
					MICMEM_DIR_TO_CARD, 0);
	long long dcr, bytes, errata;
	struct micmem_wait w;
	uint64_t t;

	dcr = micsim_peek(name, DCR);
	CHK(dcr >= 0);
	CHK(micsim_poke(name, DCR, (dcr & ~DCR_CARD_BITS) | DCR_CARD_SET) ==
	    0);
	set_param("hang_timeout_ms", 200);
	CHK(micsim_knob_set(name, "stall", "1") == 0);
	CHK(dma_submit(d->fd, card, &x, 1, 0, &t) == 0);
	CHK(dma_wait_ms(d->fd, t, 5000, &w) == -1 && errno == ETIMEDOUT);
	CHK(w.error_class == MICMEM_ERR_TIMEOUT);
	bytes = micsim_knob_get(name, "dma0_bytes");
	errata = micsim_knob_get(name, "dma_errata");
	CHK(micsim_knob_set(name, "stall", "0") == 0);
	x.length = 4 * KIB;
	CHK(dma_run(d->fd, card, &x, 1) == 0);
	/* only the new 4 KiB ran: the hung 64 KiB were not re-executed */
	CHK(micsim_knob_get(name, "dma0_bytes") - bytes == 4 * KIB);
	CHK(micsim_knob_get(name, "dma_errata") == errata);
	dcr = micsim_peek(name, DCR);
	CHK((dcr & DCR_CARD_BITS) == DCR_CARD_SET);
	CHK((dcr & DCR_HOST_BITS) == DCR_HOST_BITS);
	set_param("hang_timeout_ms", 5000);
}

static void step_quiesce_and_reset(const char *name, struct dma_fd *d,
				   int card)
{
	struct micmem_xfer x = dma_xfer(0, CARD_A, 64 * KIB,
					MICMEM_DIR_TO_CARD, 1);
	struct micmem_wait w;
	long long t0, dt;
	uint64_t t;

	CHK(micsim_knob_set(name, "stall", "2") == 0);
	CHK(dma_submit(d->fd, card, &x, 1, 0, &t) == 0);
	t0 = now_ms();
	CHK(card_state_cmd(card, "reset:force") == 0);
	dt = now_ms() - t0;
	TH_LOG("%s: stop with a stalled channel took %lld ms", combo, dt);
	CHK(dt < 1000);
	CHK(dma_wait_ms(d->fd, t, 5000, &w) == -1 && errno == ECANCELED);
	CHK(micsim_knob_set(name, "stall", "0") == 0);
	CHK(card_state_wait(card, "ready", 5000) == 0);
	CHK(round_trip(d, card, MICMEM_CHAN_AUTO, MICMEM_CHAN_1, 2 * MIB, 5));
}

/* Boot a non-ELF file; elf: rejected, then the ELF image. */
static void step_boot(struct dma_fd *d, int card, int elf)
{
	char cmd[128];

	write_file(FIRMWARE_DIR "/" NOT_ELF, "#!/bin/sh\necho no ELF image\n", 28);
	snprintf(cmd, sizeof(cmd), "boot:elf:%s", NOT_ELF);
	CHK(card_state_cmd(card, cmd) == 0);
	if (elf) {
		CHK(card_state_wait(card, "boot failed", 5000) == 0);
		CHK(card_attr_ll(card, "last_error") == -ENOEXEC);
		CHK(card_state_cmd(card, "reset") == 0);
		CHK(card_state_wait(card, "ready", 5000) == 0);
		CHK(card_state_cmd(card, "boot:elf:" CARD_IMAGE) == 0);
	}
	CHK(card_state_wait(card, "online", 5000) == 0);
	/* DMA restarted when the image reported, without a card reset */
	CHK(round_trip(d, card, MICMEM_CHAN_0, MICMEM_CHAN_AUTO, 1 * MIB, 6));
}

/* One combination; prints its matrix line. */
static void run_combo(const char *stepping, const char *vectors,
		      const int *val)
{
	const char *name = "fid";
	int full = !strcmp(opts[O_BOOT].vals[val[O_BOOT]], "elf");
	char why[160] = "";
	struct dma_fd d;
	int card, i, n, kmsg;

	n = snprintf(combo, sizeof(combo), "%s %-5s", stepping,
		     !strcmp(vectors, "1") ? "msi" : "msix");
	for (i = 0; i < O_COUNT; i++)
		n += snprintf(combo + n, sizeof(combo) - n, " %s=%s",
			      opts[i].attr, opts[i].vals[val[i]]);
	fails = 0;

	kmsg = kmsg_open();
	if (kmsg < 0)
		TH_LOG("/dev/kmsg: %s: the log step is not checked",
		       strerror(errno));
	card = card_create(name, stepping, vectors, val, why, sizeof(why));
	if (card == -ENOENT && why[0]) {
		close(kmsg);
		n_skip++;
		printf("%-100s SKIP: %s\n", combo, why);
		fflush(stdout);
		return;
	}
	if (card < 0) {
		close(kmsg);
		n_fail++;
		TH_LOG("%s: card not created: %s", combo, strerror(-card));
		EXPECT_GE(card, 0);
		printf("%-100s FAIL (card not created)\n", combo);
		fflush(stdout);
		return;
	}
	step_start(name, card);
	if (dma_fd_open(&d, POOL) || dma_attach(d.fd, card)) {
		CHK(0);
	} else {
		if (full) {
			step_submit(&d, card);
			step_interrupts(&d, card);
			step_error(name, &d, card);
			step_hang(name, &d, card);
			step_quiesce_and_reset(name, &d, card);
		}
		step_boot(&d, card, full);
		dma_fd_close(&d);
	}
	set_param("hang_timeout_ms", 5000);
	card_remove(name);
	CHK(kmsg_channel_errors(kmsg) == 0);
	if (fails)
		n_fail++;
	else
		n_pass++;
	printf("%-100s %s\n", combo, fails ? "FAIL" : "pass");
	fflush(stdout);
}

/* Every combination of the options on one stepping and vector count. */
static void matrix(const char *stepping, const char *vectors)
{
	int val[O_COUNT] = { 0 };
	int i;

	fast_params();
	n_pass = n_fail = n_skip = 0;
	for (;;) {
		run_combo(stepping, vectors, val);
		for (i = O_COUNT - 1; i >= 0; i--) {
			if (++val[i] < opts[i].n)
				break;
			val[i] = 0;
		}
		if (i < 0)
			break;
	}
	printf("%s %s: %d combinations: %d passed, %d failed, %d skipped\n",
	       stepping, !strcmp(vectors, "1") ? "msi" : "msix",
	       n_pass + n_fail + n_skip, n_pass, n_fail, n_skip);
	fflush(stdout);
	if (!n_pass && !n_fail)
		SKIP("no combination runs on this sim");
}

TEST_TIMEOUT(matrix_c0_msix, 300)
{
	matrix("C0", "3");
}

TEST_TIMEOUT(matrix_c0_msi, 300)
{
	matrix("C0", "1");
}

TEST_TIMEOUT(matrix_b0_msix, 300)
{
	matrix("B0", "3");
}

TEST_TIMEOUT(matrix_b0_msi, 300)
{
	matrix("B0", "1");
}

TEST_MAIN()
