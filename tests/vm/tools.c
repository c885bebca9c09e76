// SPDX-License-Identifier: GPL-2.0
/*
 * tools: micmem-info and micmem-bench as a user runs them, with two sim
 * cards: good arguments give the figures the driver has (checked against
 * libmicmem), bad ones a message that names the problem and the
 * documented exit status (doc/tools.md).
 */
#include <poll.h>
#include <sys/wait.h>

#include <libmicmem.h>

#include "tap.h"
#include "dma_util.h"
#include "run_util.h"

#define INFO	"/bin/micmem-info"
#define BENCH	"/bin/micmem-bench"

static struct run r;

/* Run a tool (first argument a path); its stdout and stderr in r. */
#define RUN(...) RUN_INTO(&r, __VA_ARGS__)

static int has(const char *buf, const char *what)
{
	if (strstr(buf, what))
		return 1;
	TH_LOG("\"%s\" not found in:\n%s", what, buf);
	return 0;
}

static int count(const char *buf, const char *what)
{
	int n = 0;

	for (; (buf = strstr(buf, what)); buf += strlen(what))
		n++;
	return n;
}

static char *str(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *str(const char *fmt, ...)
{
	static char buf[8][128];
	static int i;
	char *b = buf[i++ % 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(buf[0]), fmt, ap);
	va_end(ap);
	return b;
}

/* ---- micmem-info ---- */

TEST(info_shows_driver_and_every_card)
{
	int c0 = sim_card_nr("card0"), c1 = sim_card_nr("card1");
	struct micmem_card_info ci;

	ASSERT_EQ(micmem_card_info(c0, &ci), 0);
	RUN(INFO);
	ASSERT_EQ(r.status, 0);
	EXPECT_STREQ(r.err, "");
	EXPECT_TRUE(has(r.out, str("library       libmicmem %s\n",
				   micmem_lib_version())));
	EXPECT_TRUE(has(r.out, str("driver API    %d\n", MICMEM_API_VERSION)));
	EXPECT_TRUE(has(r.out, "features      pool pool_pmd dma dual_channel poll wait_poll\n"));
	EXPECT_TRUE(has(r.out, "cards         2\n"));
	EXPECT_TRUE(has(r.out, str("\nmic%d (sim x100 ", c0)));
	EXPECT_TRUE(has(r.out, str("\nmic%d (sim x100 ", c1)));
	EXPECT_EQ(count(r.out, "  state       ready\n"), 2);
	EXPECT_EQ(count(r.out, "  post code   12\n"), 2);
	EXPECT_TRUE(has(r.out, str("  dma window  %.1f GiB (%llu bytes)\n",
				   ci.dma_window / (1024.0 * MIB),
				   (unsigned long long)ci.dma_window)));
	EXPECT_EQ(count(r.out, "  dma0        "), 2);
	EXPECT_EQ(count(r.out, "  dma1        "), 2);
}

TEST(info_json_counts_what_the_driver_counts)
{
	struct micmem_chan_stats st;
	struct micmem *m;
	int c0 = sim_card_nr("card0");
	void *p;

	/* move 1 MiB on channel 1 first, so that the counters are not 0 */
	ASSERT_EQ(micmem_open(&m, 0), 0);
	ASSERT_EQ(micmem_pool_create(m, 2 * MIB, 0, &p), 0);
	ASSERT_EQ(micmem_attach(m, c0), 0);
	ASSERT_EQ(micmem_copy_to_card(m, c0, 0, 0, MIB, MICMEM_CHAN_1, NULL),
		  0);
	micmem_close(m);
	ASSERT_EQ(micmem_chan_stats(c0, 1, &st), 0);
	ASSERT_GE(st.bytes, MIB);

	RUN(INFO, "--json", str("mic%d", c0));
	ASSERT_EQ(r.status, 0);
	EXPECT_TRUE(has(r.out, "\"features\": [\"pool\", \"pool_pmd\", \"dma\", \"dual_channel\", \"poll\", \"wait_poll\"]"));
	EXPECT_TRUE(has(r.out, "\"num_cards\": 2}"));
	EXPECT_EQ(count(r.out, "\"card\": "), 1);
	EXPECT_TRUE(has(r.out, str("\"card\": %d, \"name\": \"mic%d\", \"state\": \"ready\"",
				   c0, c0)));
	EXPECT_TRUE(has(r.out, str("\"dma1\": {\"descriptors\": %llu, \"bytes\": %llu, \"batches\": %llu, \"errors\": %llu",
				   (unsigned long long)st.descriptors,
				   (unsigned long long)st.bytes,
				   (unsigned long long)st.batches,
				   (unsigned long long)st.errors)));
	EXPECT_EQ(r.out[0], '{');
	EXPECT_TRUE(has(r.out, "\n  ]\n}\n"));
}

TEST(info_names_bad_arguments)
{
	RUN(INFO, "mic77");
	EXPECT_EQ(r.status, 4);
	EXPECT_STREQ(r.err, "micmem-info: no card mic77\n");
	EXPECT_STREQ(r.out, "");

	RUN(INFO, "card0");
	EXPECT_EQ(r.status, 2);
	EXPECT_STREQ(r.err, "micmem-info: not a card: 'card0' (micN or N)\n");

	RUN(INFO, "--frobnicate");
	EXPECT_EQ(r.status, 2);
	EXPECT_STREQ(r.err, "/bin/micmem-info: unrecognized option '--frobnicate'\n"
			    "Try 'micmem-info --help'.\n");

	RUN(INFO, "-d", "/dev/mic/nothing");
	EXPECT_EQ(r.status, 1);
	EXPECT_STREQ(r.err, "micmem-info: cannot open /dev/mic/nothing: No such file or directory\n");

	RUN(INFO, "--help");
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(has(r.out, "usage: micmem-info [options] [CARD...]"));
	EXPECT_STREQ(r.err, "");
}

/* ---- micmem-bench ---- */

TEST_TIMEOUT(bench_measures_every_channel_and_peer, 50)
{
	int c1 = sim_card_nr("card1");

	RUN(BENCH, "-c", str("mic%d", c1), "-s", "64K,1M", "-t", "20", "-n",
	    "2", "-a", "64M");
	ASSERT_EQ(r.status, 0);
	EXPECT_STREQ(r.err, "");
	EXPECT_TRUE(has(r.out, str("micmem-bench: mic%d (sim, ", c1)));
	EXPECT_TRUE(has(r.out, "card memory from 0x4000000, pool 2 MiB"));
	EXPECT_TRUE(has(r.out, "\nmemcpy, MiB/s\n"));
	EXPECT_TRUE(has(r.out, "\nhost -> card, MiB/s"));
	EXPECT_TRUE(has(r.out, "\ncard -> host, MiB/s"));
	/* 2 sizes x (memcpy + 2 directions) rows */
	EXPECT_EQ(count(r.out, "\n    64 KiB "), 3);
	EXPECT_EQ(count(r.out, "\n     1 MiB "), 3);
	/* 2 sizes x 2 directions x 3 channels figures */
	EXPECT_EQ(count(r.out, "x)"), 12 + 4);
	EXPECT_TRUE(has(r.out, "null system call (getppid)"));
	EXPECT_TRUE(has(r.out, "MICMEM_IOC_QUERY ioctl"));
	EXPECT_TRUE(has(r.out, "submit ioctl alone, 64 B, ch0"));
	EXPECT_TRUE(has(r.out, "submit + wait, 64 B, ch0"));
}

TEST_TIMEOUT(bench_json_has_every_figure, 50)
{
	RUN(BENCH, "-s", "128K", "-C", "1,auto", "-t", "10", "-n", "1",
	    "--json");
	ASSERT_EQ(r.status, 0);
	EXPECT_EQ(r.out[0], '{');
	EXPECT_TRUE(has(r.out, "\"memcpy\": ["));
	EXPECT_EQ(count(r.out, "\"ordinary_mib_per_s\": "), 1);
	/* 1 size x 2 directions x 2 channels */
	EXPECT_EQ(count(r.out, "\"mib_per_s\": "), 4);
	EXPECT_EQ(count(r.out, "\"channel\": \"ch1\""), 2);
	EXPECT_EQ(count(r.out, "\"channel\": \"auto\""), 2);
	EXPECT_EQ(count(r.out, "\"channel\": \"ch0\""), 0);
	EXPECT_EQ(count(r.out, "\"ns_per_call\": "), 4);
	EXPECT_TRUE(has(r.out, "\n  ]\n}\n"));
}

TEST(bench_names_bad_arguments)
{
	int c0 = sim_card_nr("card0");
	struct micmem_card_info ci;
	static const struct {
		const char *opt, *val;
		int status;
		const char *msg;
	} bad[] = {
		{ "-s", "100", 2, "micmem-bench: bad size '100': a non-zero multiple of 64 bytes, e.g. 4096, 64K, 2M\n" },
		{ "-s", "0", 2, "micmem-bench: bad size '0': a non-zero multiple of 64 bytes, e.g. 4096, 64K, 2M\n" },
		{ "-s", "2X", 2, "micmem-bench: bad size '2X': a non-zero multiple of 64 bytes, e.g. 4096, 64K, 2M\n" },
		{ "-s", "2G", 2, "micmem-bench: size '2G' is over 1 GiB\n" },
		{ "-C", "2", 2, "micmem-bench: bad channel '2': 0, 1 or auto\n" },
		{ "-t", "0", 2, "micmem-bench: bad time '0': a whole number from 1 to 3600000\n" },
		{ "-n", "-3", 2, "micmem-bench: bad iteration count '-3': a whole number from 1 to 1000000000\n" },
		{ "-c", "mic99", 4, "micmem-bench: no card mic99\n" },
		{ "-c", "x", 2, "micmem-bench: not a card: 'x' (micN or N)\n" },
	};
	unsigned int i;

	ASSERT_EQ(micmem_card_info(c0, &ci), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		RUN(BENCH, (char *)bad[i].opt, (char *)bad[i].val);
		EXPECT_EQ(r.status, bad[i].status);
		EXPECT_STREQ(r.err, bad[i].msg);
		EXPECT_STREQ(r.out, "");
	}

	/* card memory outside the DMA window, or not aligned */
	RUN(BENCH, "-c", str("mic%d", c0), "-s", "4M", "-a", "0x1000000000");
	EXPECT_EQ(r.status, 2);
	EXPECT_STREQ(r.err, str("micmem-bench: mic%d: card memory [0x1000000000, 0x1000400000) is outside its DMA window [0, 0x%llx)\n",
				c0, (unsigned long long)ci.dma_window));
	RUN(BENCH, "-a", "100");
	EXPECT_EQ(r.status, 2);
	EXPECT_STREQ(r.err, "micmem-bench: card address 0x64 is not a multiple of 64\n");
	RUN(BENCH, "-a", "64M+1");
	EXPECT_EQ(r.status, 2);
	EXPECT_STREQ(r.err, "micmem-bench: bad card address '64M+1'\n");

	RUN(BENCH, "extra");
	EXPECT_EQ(r.status, 2);
	EXPECT_STREQ(r.err, "micmem-bench: unexpected argument 'extra'\n");
	RUN(BENCH, "--bogus", "4K");
	EXPECT_EQ(r.status, 2);
	EXPECT_STREQ(r.err, "/bin/micmem-bench: unrecognized option '--bogus'\n"
			    "Try 'micmem-bench --help'.\n");
	RUN(BENCH, "-h");
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(has(r.out, "usage: micmem-bench [options]"));
}

TEST_MAIN()
