// SPDX-License-Identifier: GPL-2.0
/*
 * bench_suite: `micmem-bench --suite --quick` as scripts/bench runs it,
 * on two sim cards.  No timing is asserted (doc/testing.md): the JSON must
 * parse, hold every figure of the quick set exactly once, and every
 * measured figure must be finite and positive with ratio = value / peer;
 * only the figures the sim may lack (hugetlbfs pages, link pacing) may be
 * n/a.  The hardware-cost rows are deterministic and checked for their
 * shape (no register reads, a doorbell per batch).  Bad command lines of
 * the suite get their message and exit status 2.
 */
#include <sys/stat.h>

#include "tap.h"
#include "dma_util.h"
#include "json_mini.h"
#include "run_util.h"

#define BENCH	"/bin/micmem-bench"
#define JSON	"/tmp/suite.json"

static struct run r;

/* Run a tool (first argument a path); its stdout and stderr in r. */
#define RUN(...) RUN_INTO(&r, __VA_ARGS__)

/* The keys of --quick (sizes 4 KiB, 1 MiB, 16 MiB). */
static const char *const fixed_keys[] = {
	"map_ms_anon_nothp", "map_faults_anon_nothp", "map_ms_anon_thp",
	"map_faults_anon_thp", "map_ms_hugetlbfs", "map_faults_hugetlbfs",
	"cpu_per_gib", "submit_desc_held", "submit_desc_running", "rtt_4k",
	"one_channel_vs_memcpy", "auto_vs_one_channel",
	"batch_submit_1", "batch_submit_16", "batch_submit_64",
	"batch_submit_256", "batch_e2e_1", "batch_e2e_16", "batch_e2e_64",
	"batch_e2e_256",
};
static const char *const sizes[] = { "4096", "1048576", "16777216" };
static const char *const hw_cases[] = {
	"4k_ch0", "16m_auto", "batch64_ch0", "inflight32_ch0",
};

#define MAX_KEYS	128
static char keys[MAX_KEYS][48];
static unsigned int nr_keys;

static void expect_key(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void expect_key(const char *fmt, ...)
{
	va_list ap;

	ASSERT_LT(nr_keys, MAX_KEYS);
	va_start(ap, fmt);
	vsnprintf(keys[nr_keys++], sizeof(keys[0]), fmt, ap);
	va_end(ap);
}

static void all_keys(void)
{
	static const char *const dirs[] = { "to_card", "from_card" };
	static const char *const chans[] = { "ch0", "ch1", "auto" };
	static const char *const what[] = { "reads", "writes", "irqs", "descs" };
	unsigned int i, j, k;

	nr_keys = 0;
	for (i = 0; i < sizeof(fixed_keys) / sizeof(fixed_keys[0]); i++)
		expect_key("%s", fixed_keys[i]);
	for (i = 0; i < 2; i++)
		for (j = 0; j < 3; j++)
			for (k = 0; k < 3; k++)
				expect_key("bw_%s_%s_%s", dirs[i], chans[j],
					   sizes[k]);
	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++)
			expect_key("hw_%s_%s", hw_cases[i], what[j]);
	for (k = 0; k < 3; k++)
		expect_key("link_%s", sizes[k]);
}

static bool may_be_na(const char *key)
{
	return !strncmp(key, "link_", 5) || strstr(key, "hugetlbfs");
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = 0;
	fclose(f);
	return buf;
}

static bool pos_finite(double v)
{
	return isfinite(v) && v > 0;
}

TEST_TIMEOUT(quick_suite_json_has_every_figure, 240)
{
	struct jm_node *root, *figs, *f;
	unsigned int i, seen[MAX_KEYS] = { 0 };
	size_t err = 0;
	char *text;

	unlink(JSON);
	RUN(BENCH, "--suite", "--quick", "--json", JSON);
	ASSERT_EQ(r.status, 0);
	EXPECT_STREQ(r.err, "");
	/* the table on stdout, every group */
	EXPECT_TRUE(strstr(r.out, "micmem-bench --suite --quick: mic") != NULL);
	EXPECT_TRUE(strstr(r.out, "== the issue's targets ==") != NULL);
	EXPECT_TRUE(strstr(r.out, "== pool mapping") != NULL);
	EXPECT_TRUE(strstr(r.out, "== bandwidth") != NULL);
	EXPECT_TRUE(strstr(r.out, "== batch size") != NULL);
	EXPECT_TRUE(strstr(r.out, "== hardware cost per batch") != NULL);
	EXPECT_TRUE(strstr(r.out, "== link-paced sim") != NULL);
	EXPECT_TRUE(strstr(r.out, "\nsuite took ") != NULL);

	text = slurp(JSON);
	ASSERT_TRUE(text != NULL);
	root = jm_parse(text, &err);
	if (!root)
		TH_LOG("JSON error near offset %zu:\n%.200s", err,
		       text + (err > 100 ? err - 100 : 0));
	ASSERT_TRUE(root != NULL);
	EXPECT_TRUE(jm_num(root, "micmem_bench_suite") == 1);
	EXPECT_TRUE(jm_get(root, "quick") &&
		    jm_get(root, "quick")->type == JM_BOOL &&
		    jm_get(root, "quick")->num == 1);
	EXPECT_TRUE(jm_num(root, "reps") == 3);
	EXPECT_TRUE(pos_finite(jm_num(root, "elapsed_s")));
	EXPECT_TRUE(jm_str(root, "kernel") != NULL);
	EXPECT_TRUE(jm_str(root, "cmdline") != NULL);
	EXPECT_STREQ(jm_str(root, "bus"), "sim");
	figs = jm_get(root, "figures");
	ASSERT_TRUE(figs && figs->type == JM_ARR);

	all_keys();
	for (f = figs->child; f; f = f->next) {
		const char *key = jm_str(f, "key"), *na = jm_str(f, "na");
		double v = jm_num(f, "value"), p = jm_num(f, "peer");
		double ratio = jm_num(f, "ratio");

		ASSERT_TRUE(key != NULL);
		for (i = 0; i < nr_keys && strcmp(keys[i], key); i++)
			;
		if (i == nr_keys) {
			TH_LOG("unexpected figure %s", key);
			EXPECT_TRUE(false);
			continue;
		}
		seen[i]++;
		EXPECT_TRUE(jm_str(f, "label") && jm_str(f, "unit") &&
			    jm_str(f, "group"));
		if (na) {
			if (!may_be_na(key))
				TH_LOG("%s: n/a: %s", key, na);
			EXPECT_TRUE(may_be_na(key));
			EXPECT_TRUE(jm_get(f, "value")->type == JM_NULL);
			continue;
		}
		if (!strncmp(key, "hw_", 3)) {
			/* deterministic: no reads, a doorbell, descriptors */
			if (strstr(key, "_reads"))
				EXPECT_TRUE(v == 0);
			else
				EXPECT_TRUE(pos_finite(v));
			if (strstr(key, "_descs") && strstr(key, "batch64"))
				EXPECT_TRUE(v >= 64);
			continue;
		}
		if (!pos_finite(v) || !pos_finite(p) || !pos_finite(ratio))
			TH_LOG("%s: value %g peer %g ratio %g", key, v, p, ratio);
		EXPECT_TRUE(pos_finite(v));
		EXPECT_TRUE(v >= jm_num(f, "min") && v <= jm_num(f, "max"));
		EXPECT_TRUE(jm_str(f, "peer_label") != NULL);
		EXPECT_TRUE(pos_finite(p));
		EXPECT_TRUE(pos_finite(ratio));
		/* printed with 6 significant digits */
		EXPECT_TRUE(fabs(ratio - v / p) <= 1e-4 * ratio);
		EXPECT_TRUE(jm_num(f, "reps") == 3);
	}
	for (i = 0; i < nr_keys; i++) {
		if (seen[i] != 1)
			TH_LOG("figure %s seen %u times", keys[i], seen[i]);
		EXPECT_EQ(seen[i], 1);
	}
	jm_free(root);
	free(text);
}

TEST(json_on_stdout_alone)
{
	size_t err;
	struct jm_node *root;

	/* bad suite options first: quick, and the JSON parser sees them */
	RUN(BENCH, "--suite", "--quick", "--reps", "1", "--json", "-",
	    "-c", "mic99");
	EXPECT_EQ(r.status, 4);
	EXPECT_STREQ(r.err, "micmem-bench: no card mic99\n");
	EXPECT_STREQ(r.out, "");
	root = jm_parse("{\"a\": [1, 2.5e3, null, true, \"x\\\"y\"]}", &err);
	ASSERT_TRUE(root != NULL);
	EXPECT_TRUE(jm_get(root, "a")->child->next->num == 2500);
	jm_free(root);
}

TEST(suite_names_bad_arguments)
{
	static const struct {
		const char *a[4];
		int status;
		const char *msg;
	} bad[] = {
		{ { "--quick" }, 2, "micmem-bench: --quick is an option of --suite\n" },
		{ { "--reps", "3" }, 2, "micmem-bench: --reps is an option of --suite\n" },
		{ { "--suite", "-s", "4K" }, 2, "micmem-bench: --sizes is not an option of --suite (its sizes and times are fixed)\n" },
		{ { "--suite", "-C", "0" }, 2, "micmem-bench: --channels is not an option of --suite (its sizes and times are fixed)\n" },
		{ { "--suite", "-t", "10" }, 2, "micmem-bench: --time is not an option of --suite (its sizes and times are fixed)\n" },
		{ { "--suite", "-n", "2" }, 2, "micmem-bench: --iterations is not an option of --suite (its sizes and times are fixed)\n" },
		{ { "--suite", "--reps", "0" }, 2, "micmem-bench: bad repetition count '0': a whole number from 1 to 32\n" },
		{ { "--suite", "--reps", "33" }, 2, "micmem-bench: bad repetition count '33': a whole number from 1 to 32\n" },
		{ { "--suite", "--reps", "x" }, 2, "micmem-bench: bad repetition count 'x': a whole number from 1 to 32\n" },
		{ { "--suite", "--json=" }, 2, "micmem-bench: empty JSON file name\n" },
		{ { "--suite", "--json", "/nonexistent/s.json" }, 2, "micmem-bench: cannot write /nonexistent/s.json: No such file or directory\n" },
		{ { "--suite", "--quick", "extra" }, 2, "micmem-bench: unexpected argument 'extra'\n" },
		{ { "--suite", "-a", "100" }, 2, "micmem-bench: card address 0x64 is not a multiple of 64\n" },
	};
	unsigned int i, j;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[6] = { BENCH };

		for (j = 0; j < 4 && bad[i].a[j]; j++)
			argv[j + 1] = (char *)bad[i].a[j];
		run_logged(&r, argv);
		EXPECT_EQ(r.status, bad[i].status);
		EXPECT_STREQ(r.err, bad[i].msg);
		EXPECT_STREQ(r.out, "");
	}
	/* no JSON file is left behind by a refused run */
	EXPECT_ERRNO(access("/nonexistent/s.json", F_OK), ENOENT);
}

TEST_MAIN()
