/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_suite.h - micmem-bench --suite (bench_suite.c): every figure of
 * doc/performance.md beside its peer, in one run.
 */
#ifndef MICMEM_BENCH_SUITE_H
#define MICMEM_BENCH_SUITE_H

#include <stdbool.h>
#include <stdint.h>

struct bench_suite_opts {
	uint32_t card;
	bool card_given;
	uint64_t card_addr;
	bool addr_given;
	bool quick;		/* fewer sizes, repetitions and bytes */
	unsigned int reps;	/* 0: the default (5, quick 3) */
	const char *json;	/* NULL: table only; "-": JSON on stdout */
};

/* Runs the suite; an exit status of tool_util.h. */
int bench_suite(const struct bench_suite_opts *o);

#endif /* MICMEM_BENCH_SUITE_H */
