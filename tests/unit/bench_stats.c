// SPDX-License-Identifier: GPL-2.0
/*
 * micmem-bench --suite's pure helpers (src-user/tools/bench_stats.c) on
 * the host: medians of odd and even counts, ranges, ratios that are
 * never infinite, numbers that are valid JSON, and one figure as a JSON
 * object that parses (tests/vm/json_mini.h, the reader the VM test uses,
 * is checked here too).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "bench_stats.h"
#include "json_mini.h"

/* What @fn printed to a memory stream, NUL-terminated (static buffer). */
static char out[4096];

#define CAPTURE(call) do {						\
	FILE *f_ = fmemopen(out, sizeof(out), "w");			\
	ASSERT_TRUE(f_ != NULL);					\
	memset(out, 0, sizeof(out));					\
	call;								\
	fclose(f_);							\
} while (0)

TEST(median_of_odd_and_even_counts_and_unsorted_input)
{
	double a[] = { 5, 1, 3 }, b[] = { 4, 1, 3, 2 }, c[] = { 7 };
	double d[] = { 2, 2, 9, -1, 2 };

	EXPECT_TRUE(bench_median(a, 3) == 3);
	EXPECT_TRUE(bench_median(b, 4) == 2.5);
	EXPECT_TRUE(bench_median(c, 1) == 7);
	EXPECT_TRUE(bench_median(d, 5) == 2);
	EXPECT_TRUE(isnan(bench_median(a, 0)));
	/* the input is not reordered */
	EXPECT_TRUE(a[0] == 5 && a[1] == 1 && a[2] == 3);
}

TEST(range_is_min_and_max)
{
	double a[] = { 5, -1, 3, 12, 0 };

	EXPECT_TRUE(bench_min(a, 5) == -1);
	EXPECT_TRUE(bench_max(a, 5) == 12);
	EXPECT_TRUE(bench_min(a, 1) == 5 && bench_max(a, 1) == 5);
	EXPECT_TRUE(isnan(bench_min(a, 0)) && isnan(bench_max(a, 0)));
}

TEST(ratio_is_never_infinite)
{
	EXPECT_TRUE(bench_ratio(3, 2) == 1.5);
	EXPECT_TRUE(isnan(bench_ratio(1, 0)));
	EXPECT_TRUE(isnan(bench_ratio(NAN, 2)));
	EXPECT_TRUE(isnan(bench_ratio(2, NAN)));
	EXPECT_TRUE(isnan(bench_ratio(INFINITY, 2)));
	EXPECT_TRUE(isnan(bench_ratio(2, -INFINITY)));
	EXPECT_TRUE(bench_ratio(0, 5) == 0);
}

TEST(numbers_are_json_or_null)
{
	CAPTURE(bench_json_num(f_, 1234.5));
	EXPECT_STREQ(out, "1234.5");
	CAPTURE(bench_json_num(f_, 2.5e-7));
	EXPECT_STREQ(out, "2.5e-07");
	CAPTURE(bench_json_num(f_, 3e9));
	EXPECT_STREQ(out, "3e+09");
	CAPTURE(bench_json_num(f_, NAN));
	EXPECT_STREQ(out, "null");
	CAPTURE(bench_json_num(f_, -INFINITY));
	EXPECT_STREQ(out, "null");
}

TEST(figure_from_repetitions_as_json)
{
	double v[] = { 30, 10, 20 }, p[] = { 4, 6, 5 };
	struct bench_fig fig = {
		.key = "bw_to_card_ch0_4096", .group = "bandwidth",
		.label = "host->card \"ch0\" 4K", .unit = "MiB/s",
		.peer_label = "memcpy", .target = ">= 0.9", .size = 4096,
		.dir = "to_card", .channel = "ch0",
	};
	struct jm_node *root;
	size_t err = 0;

	bench_fig_set(&fig, v, p, 3);
	EXPECT_TRUE(fig.value == 20 && fig.vmin == 10 && fig.vmax == 30);
	EXPECT_TRUE(fig.peer == 5 && fig.pmin == 4 && fig.pmax == 6);
	EXPECT_TRUE(fig.ratio == 4);
	EXPECT_EQ(fig.reps, 3);
	CAPTURE(bench_fig_json(f_, &fig));
	root = jm_parse(out, &err);
	if (!root)
		TH_LOG("error at %zu: %s", err, out);
	ASSERT_TRUE(root != NULL);
	EXPECT_STREQ(jm_str(root, "key"), "bw_to_card_ch0_4096");
	EXPECT_STREQ(jm_str(root, "label"), "host->card \"ch0\" 4K");
	EXPECT_TRUE(jm_num(root, "value") == 20);
	EXPECT_TRUE(jm_num(root, "min") == 10 && jm_num(root, "max") == 30);
	EXPECT_TRUE(jm_num(root, "peer") == 5 && jm_num(root, "ratio") == 4);
	EXPECT_TRUE(jm_num(root, "size") == 4096);
	EXPECT_STREQ(jm_str(root, "target"), ">= 0.9");
	EXPECT_TRUE(jm_get(root, "na") == NULL);
	jm_free(root);
}

TEST(figure_without_peer_or_not_measured)
{
	double v[] = { 3 };
	struct bench_fig fig = {
		.key = "hw_4k_ch0_writes", .group = "hw_cost",
		.label = "4 KiB, ch0: writes", .unit = "/batch",
	};
	struct jm_node *root;

	bench_fig_set(&fig, v, NULL, 1);
	EXPECT_TRUE(isnan(fig.peer) && isnan(fig.ratio));
	CAPTURE(bench_fig_json(f_, &fig));
	root = jm_parse(out, NULL);
	ASSERT_TRUE(root != NULL);
	EXPECT_TRUE(jm_get(root, "peer") == NULL);
	EXPECT_TRUE(jm_get(root, "ratio") == NULL);
	jm_free(root);

	memset(&fig, 0, sizeof(fig));
	fig.key = "link_4096";
	fig.group = "link";
	fig.unit = "ns";
	fig.value = fig.vmin = fig.vmax = NAN;
	fig.na = "sim without link pacing";
	CAPTURE(bench_fig_json(f_, &fig));
	root = jm_parse(out, NULL);
	ASSERT_TRUE(root != NULL);
	EXPECT_TRUE(jm_get(root, "value")->type == JM_NULL);
	EXPECT_STREQ(jm_str(root, "na"), "sim without link pacing");
	jm_free(root);
	CAPTURE(bench_fig_row(f_, &fig));
	EXPECT_TRUE(strstr(out, "n/a: sim without link pacing\n") != NULL);
}

TEST(json_reader_rejects_what_is_not_json)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\" 1}", "{\"a\": 01}", "[1.]", "[.5]",
		"[nan]", "[\"\\x\"]", "[\"a\nb\"]", "{} {}", "[1e]", "tru",
		"{\"a\": [1, 2}",
	};
	static const char *const good[] = {
		"{}", "[]", "0", "-0.5e-3", "\"\\u00e9\\n\"", " [ null , true ] ",
		"{\"a\": {\"b\": [1, {\"c\": false}]}}",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jm_node *n = jm_parse(bad[i], NULL);

		if (n)
			TH_LOG("accepted: %s", bad[i]);
		EXPECT_TRUE(n == NULL);
		jm_free(n);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct jm_node *n = jm_parse(good[i], NULL);

		if (!n)
			TH_LOG("rejected: %s", good[i]);
		EXPECT_TRUE(n != NULL);
		jm_free(n);
	}
}

TEST_MAIN()
