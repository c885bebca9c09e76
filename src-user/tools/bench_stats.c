// SPDX-License-Identifier: GPL-2.0
/*
 * bench_stats.c - medians, ranges, ratios and the output of one figure of
 * micmem-bench --suite (bench_stats.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench_stats.h"
#include "tool_util.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_median(const double *v, size_t n)
{
	double *s, m;

	if (!n)
		return NAN;
	s = malloc(n * sizeof(*s));
	if (!s)
		return NAN;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

double bench_min(const double *v, size_t n)
{
	double m = NAN;
	size_t i;

	for (i = 0; i < n; i++)
		if (i == 0 || v[i] < m)
			m = v[i];
	return m;
}

double bench_max(const double *v, size_t n)
{
	double m = NAN;
	size_t i;

	for (i = 0; i < n; i++)
		if (i == 0 || v[i] > m)
			m = v[i];
	return m;
}

double bench_ratio(double a, double b)
{
	if (!isfinite(a) || !isfinite(b) || b == 0)
		return NAN;
	return a / b;
}

void bench_json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.6g", v);
	else
		fputs("null", f);
}

void bench_fig_set(struct bench_fig *fig, const double *v, const double *p,
		   size_t n)
{
	fig->reps = (unsigned int)n;
	fig->value = bench_median(v, n);
	fig->vmin = bench_min(v, n);
	fig->vmax = bench_max(v, n);
	if (p) {
		fig->peer = bench_median(p, n);
		fig->pmin = bench_min(p, n);
		fig->pmax = bench_max(p, n);
	} else {
		fig->peer = fig->pmin = fig->pmax = NAN;
	}
	fig->ratio = bench_ratio(fig->value, fig->peer);
}

static void json_field(FILE *f, const char *name, double v)
{
	fprintf(f, ", \"%s\": ", name);
	bench_json_num(f, v);
}

void bench_fig_json(FILE *f, const struct bench_fig *fig)
{
	fputs("{\"key\": ", f);
	tool_json_str(f, fig->key);
	fputs(", \"group\": ", f);
	tool_json_str(f, fig->group);
	fputs(", \"label\": ", f);
	tool_json_str(f, fig->label);
	fputs(", \"unit\": ", f);
	tool_json_str(f, fig->unit);
	json_field(f, "value", fig->value);
	json_field(f, "min", fig->vmin);
	json_field(f, "max", fig->vmax);
	if (fig->peer_label[0]) {
		fputs(", \"peer_label\": ", f);
		tool_json_str(f, fig->peer_label);
		json_field(f, "peer", fig->peer);
		json_field(f, "peer_min", fig->pmin);
		json_field(f, "peer_max", fig->pmax);
		json_field(f, "ratio", fig->ratio);
	}
	if (fig->target) {
		fputs(", \"target\": ", f);
		tool_json_str(f, fig->target);
	}
	fprintf(f, ", \"reps\": %u", fig->reps);
	if (fig->size)
		fprintf(f, ", \"size\": %llu", fig->size);
	if (fig->dir) {
		fputs(", \"dir\": ", f);
		tool_json_str(f, fig->dir);
	}
	if (fig->channel) {
		fputs(", \"channel\": ", f);
		tool_json_str(f, fig->channel);
	}
	if (fig->na) {
		fputs(", \"na\": ", f);
		tool_json_str(f, fig->na);
	}
	fputc('}', f);
}

static void num_cell(FILE *f, double v, int width)
{
	if (!isfinite(v))
		fprintf(f, " %*s", width, "-");
	else if (fabs(v) >= 100 || v == floor(v))
		fprintf(f, " %*.0f", width, v);
	else if (fabs(v) >= 1)
		fprintf(f, " %*.2f", width, v);
	else
		fprintf(f, " %*.4f", width, v);
}

void bench_table_head(FILE *f)
{
	fprintf(f, "%-44s %-7s %12s  %-28s %12s %9s  %s\n", "figure", "unit",
		"value", "peer", "peer value", "ratio", "target");
}

void bench_fig_row(FILE *f, const struct bench_fig *fig)
{
	fprintf(f, "%-44s %-7s", fig->label, fig->unit);
	if (fig->na) {
		fprintf(f, " %12s  n/a: %s\n", "-", fig->na);
		return;
	}
	num_cell(f, fig->value, 12);
	fprintf(f, "  %-28s", fig->peer_label[0] ? fig->peer_label : "-");
	num_cell(f, fig->peer, 12);
	num_cell(f, fig->ratio, 9);
	fprintf(f, "  %s\n", fig->target ? fig->target : "");
}
