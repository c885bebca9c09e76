// SPDX-License-Identifier: GPL-2.0
/*
 * micmem-info: what the micmem driver offers and the state of each card.
 *
 *   micmem-info [-j] [-d NODE] [CARD...]
 *
 * Driver: interface version, features, limits (MICMEM_IOC_QUERY through
 * libmicmem).  Cards (sysfs through libmicmem): state, post code, memory,
 * DMA window, per-channel DMA statistics.  doc/tools.md is the manual.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmicmem.h>

#include "tool_util.h"

#define MAX_CARDS	256


static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options] [CARD...]\n"
		"Show the micmem driver's version, features and limits, and each\n"
		"card's state, post code, memory, DMA window and DMA statistics.\n"
		"CARD: micN or N (default: every card)\n"
		"options:\n"
		"  -j, --json         JSON instead of text\n"
		"  -d, --device NODE  control node (default /dev/%s)\n"
		"  -h, --help         this text\n"
		"exit status: 0 ok, 1 driver not available or a read failed,\n"
		"             2 usage, 4 no such card\n",
		program_invocation_short_name, MICMEM_CTRL_NODE);
}

static const struct {
	uint64_t bit;
	const char *name;
} features[] = {
	{ MICMEM_FEAT_POOL, "pool" },
	{ MICMEM_FEAT_POOL_PMD, "pool_pmd" },
	{ MICMEM_FEAT_DMA, "dma" },
	{ MICMEM_FEAT_DUAL_CHANNEL, "dual_channel" },
	{ MICMEM_FEAT_POLL, "poll" },
	{ MICMEM_FEAT_WAIT_POLL, "wait_poll" },
};

#define NR_FEATURES	(sizeof(features) / sizeof(features[0]))

/* Feature names separated by @sep, unknown bits as one hex number. */
static void print_features(uint64_t feat, const char *sep, bool json)
{
	const char *s = "";
	uint64_t known = 0;
	unsigned int i;
	char hex[32];

	for (i = 0; i < NR_FEATURES; i++) {
		known |= features[i].bit;
		if (!(feat & features[i].bit))
			continue;
		fputs(s, stdout);
		if (json)
			tool_json_str(stdout, features[i].name);
		else
			fputs(features[i].name, stdout);
		s = sep;
	}
	if (feat & ~known) {
		snprintf(hex, sizeof(hex), "0x%" PRIx64, feat & ~known);
		fputs(s, stdout);
		if (json)
			tool_json_str(stdout, hex);
		else
			fputs(hex, stdout);
	}
}

static void print_driver(const struct micmem_query *q, bool json)
{
	char b[32];

	if (json) {
		printf("  \"library\": ");
		tool_json_str(stdout, micmem_lib_version());
		printf(",\n  \"driver\": {\"api_version\": %u, \"features\": [",
		       q->api_version);
		print_features(q->features, ", ", true);
		printf("], \"features_mask\": %" PRIu64
		       ", \"pool_max_bytes\": %" PRIu64
		       ", \"max_batch\": %u, \"max_cards\": %u"
		       ", \"num_cards\": %u},\n",
		       (uint64_t)q->features, (uint64_t)q->pool_max_bytes,
		       q->max_batch, q->max_cards, q->num_cards);
		return;
	}
	printf("library       libmicmem %s\n", micmem_lib_version());
	printf("driver API    %u\n", q->api_version);
	printf("features      ");
	print_features(q->features, " ", false);
	printf("\npool max      %s\n",
	       tool_fmt_bytes(q->pool_max_bytes, b, sizeof(b)));
	printf("max batch     %u transfers\n", q->max_batch);
	printf("max cards     %u\n", q->max_cards);
	printf("cards         %u\n", q->num_cards);
}

static void print_stats_text(unsigned int ch, const struct micmem_chan_stats *s)
{
	char b[32];

	printf("  dma%u        %" PRIu64 " descriptors, %s, %" PRIu64
	       " batches, %" PRIu64 " errors, busy %.3f ms\n", ch,
	       (uint64_t)s->descriptors, tool_fmt_bytes(s->bytes, b, sizeof(b)),
	       (uint64_t)s->batches, (uint64_t)s->errors, s->busy_ns / 1e6);
}

static void print_stats_json(const struct micmem_chan_stats *s)
{
	printf("{\"descriptors\": %" PRIu64 ", \"bytes\": %" PRIu64
	       ", \"batches\": %" PRIu64 ", \"errors\": %" PRIu64
	       ", \"busy_ns\": %" PRIu64 "}",
	       (uint64_t)s->descriptors, (uint64_t)s->bytes,
	       (uint64_t)s->batches, (uint64_t)s->errors,
	       (uint64_t)s->busy_ns);
}

/* One card; EXIT_OK or EXIT_FAILED (reported). */
static int print_card(uint32_t card, bool json, bool first)
{
	struct micmem_chan_stats st[2];
	struct micmem_card_info ci;
	bool have_stats = true;
	char b1[32], b2[32];
	const char *post;
	unsigned int ch;
	int ret;

	ret = micmem_card_info(card, &ci);
	if (ret) {
		tool_err("mic%u: %s", card, strerror(-ret));
		return EXIT_FAILED;
	}
	for (ch = 0; ch < 2; ch++) {
		ret = micmem_chan_stats(card, ch, &st[ch]);
		if (ret == -EOPNOTSUPP) {
			have_stats = false;
		} else if (ret) {
			tool_err("mic%u: dma%u statistics: %s", card, ch,
			    strerror(-ret));
			return EXIT_FAILED;
		}
	}
	post = ci.post_code_error == -ENXIO ? "none" :
	       ci.post_code_error ? "--" : ci.post_code;

	if (json) {
		printf("%s    {\"card\": %u, \"name\": \"mic%u\", \"state\": ",
		       first ? "" : ",\n", card, card);
		tool_json_str(stdout, ci.state);
		printf(", \"post_code\": ");
		tool_json_str(stdout, ci.post_code);
		printf(", \"post_code_error\": %d, \"last_error\": %d"
		       ", \"family\": ", ci.post_code_error, ci.last_error);
		tool_json_str(stdout, ci.family);
		printf(", \"stepping\": ");
		tool_json_str(stdout, ci.stepping);
		printf(", \"bus\": ");
		tool_json_str(stdout, ci.bus);
		printf(", \"memsize\": %" PRIu64 ", \"dma_window\": %" PRIu64,
		       (uint64_t)ci.memsize, (uint64_t)ci.dma_window);
		if (have_stats) {
			printf(", \"dma0\": ");
			print_stats_json(&st[0]);
			printf(", \"dma1\": ");
			print_stats_json(&st[1]);
		}
		printf("}");
		return EXIT_OK;
	}

	printf("\nmic%u (%s %s %s)\n", card, ci.bus[0] ? ci.bus : "?",
	       ci.family[0] ? ci.family : "?",
	       ci.stepping[0] ? ci.stepping : "?");
	printf("  state       %s", ci.state);
	if (ci.last_error)
		printf(" (%s)", strerror(-ci.last_error));
	printf("\n  post code   %s\n", post);
	printf("  memory      %s\n", ci.memsize ?
	       tool_fmt_bytes(ci.memsize, b1, sizeof(b1)) : "unknown");
	printf("  dma window  %s (%" PRIu64 " bytes)\n",
	       tool_fmt_bytes(ci.dma_window, b2, sizeof(b2)),
	       (uint64_t)ci.dma_window);
	if (have_stats) {
		print_stats_text(0, &st[0]);
		print_stats_text(1, &st[1]);
	} else {
		printf("  dma stats   not offered by this driver\n");
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t cards[MAX_CARDS];
	const char *node = NULL;
	struct micmem_query q;
	int c, i, n, ret, printed = 0, status = EXIT_OK;
	struct micmem *m;
	bool json = false;

	while ((c = getopt_long(argc, argv, "jd:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'd':
			node = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			fprintf(stderr, "Try '%s --help'.\n", program_invocation_short_name);
			return EXIT_USAGE;
		}
	}

	/* Cards named on the command line, checked before anything else. */
	n = 0;
	for (i = optind; i < argc; i++) {
		struct micmem_card_info ci;
		uint32_t card;

		if (tool_parse_card(argv[i], &card)) {
			tool_err("not a card: '%s' (micN or N)", argv[i]);
			return EXIT_USAGE;
		}
		if (n == MAX_CARDS) {
			tool_err("too many cards");
			return EXIT_USAGE;
		}
		ret = micmem_card_info(card, &ci);
		if (ret == -ENODEV) {
			tool_err("no card mic%u", card);
			return EXIT_NOCARD;
		}
		cards[n++] = card;
	}

	ret = micmem_open_path(node, &m, 0);
	if (ret) {
		tool_err("cannot open %s: %s%s", node ? node : "/dev/" MICMEM_CTRL_NODE,
		    strerror(-ret),
		    node ? "" : tool_open_hint(ret));
		return EXIT_FAILED;
	}
	ret = micmem_query(m, &q);
	micmem_close(m);
	if (ret) {
		tool_err("MICMEM_IOC_QUERY: %s", strerror(-ret));
		return EXIT_FAILED;
	}

	if (!n) {
		n = micmem_card_list(cards, MAX_CARDS);
		if (n < 0) {
			tool_err("cannot list cards: %s", strerror(-n));
			return EXIT_FAILED;
		}
		if (n > MAX_CARDS)
			n = MAX_CARDS;
	}

	if (json)
		printf("{\n");
	print_driver(&q, json);
	if (json)
		printf("  \"cards\": [\n");
	for (i = 0; i < n; i++) {
		if (print_card(cards[i], json, !printed) != EXIT_OK)
			status = EXIT_FAILED;
		else
			printed++;
	}
	if (json)
		printf("%s  ]\n}\n", printed ? "\n" : "");
	return status;
}
