/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_stats.h - the pure part of micmem-bench --suite (bench_stats.c):
 * median and range of repetitions, ratios that are never infinite, and
 * one figure as a table row and as a JSON object.  No I/O besides the
 * FILE given; unit-tested on the host (tests/unit/bench_stats.c).
 */
#ifndef MICMEM_BENCH_STATS_H
#define MICMEM_BENCH_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Median of @v[0..n) (the mean of the middle two for even n); NAN if n is 0. */
double bench_median(const double *v, size_t n);

/* Smallest and largest of @v[0..n); NAN if n is 0. */
double bench_min(const double *v, size_t n);
double bench_max(const double *v, size_t n);

/* a / b, or NAN when either is not finite or b is 0. */
double bench_ratio(double a, double b);

/* @v as a JSON number ("%.6g"), or null when it is not finite. */
void bench_json_num(FILE *f, double v);

/*
 * One figure: a measured value (median of the repetitions, with their
 * range) beside the value of its peer measured in the same run, and
 * value / peer.  A figure that cannot be measured here has @na set (the
 * reason) and NAN values.
 */
struct bench_fig {
	const char *key;	/* unique, [a-z0-9_], e.g. "bw_to_card_ch0_4096" */
	const char *group;	/* "targets", "bandwidth", ... */
	char label[96];		/* what is measured, for the table */
	const char *unit;	/* "ns", "MiB/s", "ms", "faults", ... */
	double value, vmin, vmax;
	char peer_label[64];	/* "" when there is no peer */
	double peer, pmin, pmax;
	double ratio;		/* value / peer, NAN without a peer */
	const char *target;	/* the target for the ratio, or NULL */
	unsigned int reps;	/* repetitions the medians are of */
	/* bandwidth and link rows: what the plot needs (0 / NULL if none) */
	unsigned long long size;
	const char *dir, *channel;
	const char *na;		/* reason it was not measured, or NULL */
};

/* Fill value, vmin, vmax (and peer, pmin, pmax when @p) from repetitions. */
void bench_fig_set(struct bench_fig *fig, const double *v, const double *p,
		   size_t n);

/* The figure as one JSON object (no trailing newline). */
void bench_fig_json(FILE *f, const struct bench_fig *fig);

/* The figure as one table row (with newline). */
void bench_fig_row(FILE *f, const struct bench_fig *fig);

/* The table's header line (with newline). */
void bench_table_head(FILE *f);

#endif /* MICMEM_BENCH_STATS_H */
