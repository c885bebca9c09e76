// SPDX-License-Identifier: GPL-2.0
/*
 * micctl: boot, reset and watch x100 cards through /sys/class/mic.
 *
 *   micctl [options] status            [CARD...]
 *   micctl [options] boot IMAGE        [CARD...]
 *   micctl [options] reset             [CARD...]
 *   micctl [options] shutdown          [CARD...]
 *   micctl [options] wait STATE [SECS] [CARD...]
 *
 * CARD is micN, N or "all" (the default).  micctl(1) is the manual; the
 * exit codes are below.  micctl uses libmicmem's card-state calls (sysfs
 * underneath): the driver does the work, micctl starts it and waits for
 * the outcome.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmicmem.h>

#include "tool_util.h"

/* EXIT_OK, _FAILED, _USAGE, _NOCARD: tool_util.h */
#define EXIT_TIMEOUT	3	/* a card did not get there in time */

#define MAX_CARDS	256
#define DEFAULT_TIMEOUT	600	/* s: covers the driver's own 300 s reset limit */

static bool quiet;

struct card {
	uint32_t nr;
	char name[16];
	bool started;		/* the driver accepted our command */
	bool active;		/* still waited for */
	int result;		/* EXIT_* for this card */
};

static struct card cards[MAX_CARDS];
static int nr_cards;

static void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void msg(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options] COMMAND [ARGS] [CARD...]\n"
		"commands:\n"
		"  status              state, post code, stepping, memory, image\n"
		"  boot IMAGE          boot ELF image IMAGE (a firmware name: a file in\n"
		"                      /lib/firmware) on ready cards, wait for online\n"
		"  reset               reset cards, wait for ready (-f: reset:force)\n"
		"  shutdown            stop the card OS and reset to ready\n"
		"  wait STATE [SECS]   wait until the cards are in STATE\n"
		"CARD: micN, N or all (default: all cards)\n"
		"options:\n"
		"  -t, --timeout SECS  how long to wait (default %d)\n"
		"  -n, --no-wait       return once the operation started\n"
		"  -f, --force         reset even a ready or busy card (reset:force)\n"
		"  -q, --quiet         print errors only\n"
		"  -h, --help          this text\n"
		"exit status: 0 ok, 1 failed, 2 usage, 3 timeout, 4 no such card\n",
		program_invocation_short_name, DEFAULT_TIMEOUT);
}

/* What the library reads from /sys/class/mic (for messages). */
static const char *sysfs_root(void)
{
	const char *env = getenv("MICMEM_SYSFS");

	return env && *env ? env : "/sys/class/mic";
}

/* The card's state as text, or why there is none. */
static const char *state_text(const struct card *c, char *buf, size_t len)
{
	int st = micmem_card_state(c->nr);

	if (st >= 0)
		return micmem_card_state_name(st);
	snprintf(buf, len, "gone (%s)", strerror(-st));
	return buf;
}

static void add_card(uint32_t nr)
{
	cards[nr_cards].nr = nr;
	snprintf(cards[nr_cards].name, sizeof(cards[nr_cards].name),
		 "mic%" PRIu32, nr);
	nr_cards++;
}

/* Parse CARD arguments; returns an EXIT_* code. */
static int select_cards(int argc, char **argv)
{
	int i, j, n;

	if (!argc || (argc == 1 && !strcmp(argv[0], "all"))) {
		uint32_t all[MAX_CARDS];

		n = micmem_card_list(all, MAX_CARDS);
		if (n <= 0) {
			tool_err("no cards in %s", sysfs_root());
			return EXIT_NOCARD;
		}
		for (i = 0; i < n && i < MAX_CARDS; i++)
			add_card(all[i]);
		return EXIT_OK;
	}
	for (i = 0; i < argc; i++) {
		uint32_t v;

		if (tool_parse_card(argv[i], &v) || v >= INT_MAX) {
			tool_err("not a card: %s (micN, N or all)", argv[i]);
			return EXIT_USAGE;
		}
		if (nr_cards == MAX_CARDS) {
			tool_err("too many cards");
			return EXIT_USAGE;
		}
		for (j = 0; j < nr_cards; j++)
			if (cards[j].nr == v)
				break;
		if (j < nr_cards)
			continue;	/* named twice */
		if (micmem_card_state(v) == -ENODEV) {
			tool_err("no card mic%" PRIu32, v);
			return EXIT_NOCARD;
		}
		add_card(v);
	}
	return EXIT_OK;
}

static const char *error_text(const struct card *c, char *buf, size_t len)
{
	struct micmem_card_info ci;

	if (micmem_card_info(c->nr, &ci))
		return "unknown error";
	if (!ci.last_error)
		return "no error recorded";
	snprintf(buf, len, "%s", strerror(-ci.last_error));
	return buf;
}

static int cmd_status(void)
{
	int i;

	printf("%-6s %-13s %-4s %-8s %-10s %s\n", "CARD", "STATE", "POST",
	       "STEPPING", "MEMORY", "IMAGE");
	for (i = 0; i < nr_cards; i++) {
		struct card *c = &cards[i];
		char image[PATH_MAX], ebuf[128], memtxt[32], sbuf[64];
		struct micmem_card_info ci;
		const char *post;
		int ret;

		ret = micmem_card_info(c->nr, &ci);
		if (ret) {	/* the card went away under us */
			printf("%-6s gone (%s)\n", c->name, strerror(-ret));
			continue;
		}
		if (ci.post_code_error == -ENXIO)
			post = "none";		/* all-ones */
		else if (ci.post_code_error || !ci.post_code[0])
			post = "--";
		else
			post = ci.post_code;
		if (ci.memsize)
			snprintf(memtxt, sizeof(memtxt), "%" PRIu64 " MiB",
				 ci.memsize >> 20);
		else
			snprintf(memtxt, sizeof(memtxt), "?");
		if (micmem_card_image(c->nr, image, sizeof(image)))
			image[0] = '\0';
		snprintf(sbuf, sizeof(sbuf), "%s", ci.state);
		printf("%-6s %-13s %-4s %-8s %-10s %s", c->name, sbuf, post,
		       ci.stepping[0] ? ci.stepping : "?", memtxt,
		       image[0] ? image : "-");
		if (strstr(sbuf, "failed") || !strcmp(sbuf, "lost"))
			printf(" (%s)", error_text(c, ebuf, sizeof(ebuf)));
		printf("\n");
	}
	return EXIT_OK;
}

/*
 * Wait until each active card is in one of @states or @deadline passes;
 * cards that get there leave the active set.  The deadline is absolute,
 * so waiting for one card after the other takes no longer than waiting
 * for all of them at once.  Returns EXIT_TIMEOUT if some did not in time.
 */
static int wait_cards(unsigned int states, uint64_t deadline)
{
	int i, ret, result = EXIT_OK;

	for (i = 0; i < nr_cards; i++) {
		struct card *c = &cards[i];
		char sbuf[64];

		if (!c->active)
			continue;
		do {
			ret = micmem_card_wait_state(c->nr, states, deadline);
		} while (ret == -EINTR);
		c->active = false;
		if (ret >= 0)
			continue;
		if (ret == -ETIME) {
			tool_err("%s: timed out, still %s", c->name,
				 state_text(c, sbuf, sizeof(sbuf)));
			c->result = EXIT_TIMEOUT;
			result = EXIT_TIMEOUT;
		} else {
			tool_err("%s: %s", c->name, strerror(-ret));
			c->result = EXIT_FAILED;
		}
	}
	return result;
}

static int worst(void)
{
	int i, ret = EXIT_OK;

	/* a timeout is reported over a failure: the script may retry */
	for (i = 0; i < nr_cards; i++)
		if (cards[i].result == EXIT_TIMEOUT ||
		    (cards[i].result && ret != EXIT_TIMEOUT))
			ret = cards[i].result;
	return ret;
}

enum op { OP_BOOT, OP_RESET, OP_SHUTDOWN };

/* Start @op on one card: 0 or the driver's errno. */
static int start_op(enum op op, const struct card *c, const char *image,
		    bool force)
{
	switch (op) {
	case OP_BOOT:
		return micmem_card_boot(c->nr, image);
	case OP_RESET:
		return micmem_card_reset(c->nr,
					 force ? MICMEM_CARD_RESET_FORCE : 0);
	default:
		return micmem_card_shutdown(c->nr);
	}
}

/*
 * Start @op on each card, wait while the cards are in the transitional
 * state, then check they ended in the target state.
 */
static int run_op(enum op op, const char *image, bool force, bool wait,
		  uint64_t deadline)
{
	static const char *const what[] = { "boot", "reset", "shutdown" };
	int transient = op == OP_BOOT ? MICMEM_CARD_BOOTING :
					MICMEM_CARD_RESETTING;
	int target = op == OP_BOOT ? MICMEM_CARD_ONLINE : MICMEM_CARD_READY;
	int i, ret;

	for (i = 0; i < nr_cards; i++) {
		struct card *c = &cards[i];
		char sbuf[64];

		ret = start_op(op, c, image, force);
		if (ret == -EALREADY && op == OP_RESET) {
			msg("%s: already %s\n", c->name,
			    micmem_card_state_name(target));
			continue;
		}
		if (ret) {
			tool_err("%s: %s refused: %s (state %s)", c->name,
				 what[op], strerror(-ret),
				 state_text(c, sbuf, sizeof(sbuf)));
			c->result = EXIT_FAILED;
			continue;
		}
		c->active = true;
		c->started = true;
		msg("%s: %s started\n", c->name, what[op]);
	}
	if (!wait)
		return worst();

	wait_cards(MICMEM_CARD_ALL_STATES & ~MICMEM_CARD_STATE_BIT(transient),
		   deadline);
	for (i = 0; i < nr_cards; i++) {
		struct card *c = &cards[i];
		char ebuf[128], failed[64], sbuf[64];
		int st;

		if (!c->started || c->result)	/* refused, or timed out */
			continue;
		st = micmem_card_state(c->nr);
		if (st == target) {
			msg("%s: %s\n", c->name, micmem_card_state_name(st));
			continue;
		}
		/* "boot failed: <why>", plus the state if unexpected */
		snprintf(failed, sizeof(failed), "%s failed", what[op]);
		if (st >= 0 && !strcmp(micmem_card_state_name(st), failed))
			tool_err("%s: %s: %s", c->name, failed,
				 error_text(c, ebuf, sizeof(ebuf)));
		else
			tool_err("%s: %s: %s (card %s)", c->name, failed,
				 error_text(c, ebuf, sizeof(ebuf)),
				 state_text(c, sbuf, sizeof(sbuf)));
		c->result = EXIT_FAILED;
	}
	return worst();
}

/* Seconds from now as an absolute deadline. */
static uint64_t deadline_in(double secs)
{
	if (secs >= 1e9)
		return MICMEM_WAIT_FOREVER;
	return micmem_deadline_ns((uint64_t)(secs * 1e9));
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "no-wait", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	double timeout = DEFAULT_TIMEOUT;
	bool wait = true, force = false;
	const char *cmd;
	char *end;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+t:nfqh", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			timeout = strtod(optarg, &end);
			if (*end || end == optarg || !(timeout >= 0)) {
				tool_err("bad timeout: %s", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'n':
			wait = false;
			break;
		case 'f':
			force = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[optind++];
	argc -= optind;
	argv += optind;

	if (!strcmp(cmd, "status")) {
		ret = select_cards(argc, argv);
		return ret ? ret : cmd_status();
	}

	if (!strcmp(cmd, "boot")) {
		if (argc < 1) {
			tool_err("boot: IMAGE missing");
			return EXIT_USAGE;
		}
		if (!argv[0][0]) {
			tool_err("boot: IMAGE is empty");
			return EXIT_USAGE;
		}
		ret = select_cards(argc - 1, argv + 1);
		if (ret)
			return ret;
		/* a firmware name: the driver loads it with request_firmware() */
		return run_op(OP_BOOT, argv[0], false, wait,
			      deadline_in(timeout));
	}

	if (!strcmp(cmd, "reset") || !strcmp(cmd, "shutdown")) {
		ret = select_cards(argc, argv);
		if (ret)
			return ret;
		return run_op(!strcmp(cmd, "reset") ? OP_RESET : OP_SHUTDOWN,
			      NULL, force, wait, deadline_in(timeout));
	}

	if (!strcmp(cmd, "wait")) {
		uint64_t deadline;
		int i, state;

		if (argc < 1) {
			tool_err("wait: STATE missing");
			return EXIT_USAGE;
		}
		state = micmem_card_state_parse(argv[0]);
		if (state < 0) {
			tool_err("wait: unknown state \"%s\"", argv[0]);
			return EXIT_USAGE;
		}
		argc--;
		argv++;
		/* a plain number right after STATE is the timeout */
		if (argc && argv[0][0] >= '0' && argv[0][0] <= '9') {
			timeout = strtod(argv[0], &end);
			if (*end) {
				tool_err("wait: bad timeout: %s", argv[0]);
				return EXIT_USAGE;
			}
			argc--;
			argv++;
		}
		ret = select_cards(argc, argv);
		if (ret)
			return ret;
		deadline = deadline_in(timeout);
		for (i = 0; i < nr_cards; i++)
			cards[i].active = true;
		ret = wait_cards(MICMEM_CARD_STATE_BIT(state), deadline);
		if (!ret)
			ret = worst();
		if (!ret)
			msg("%s\n", micmem_card_state_name(state));
		return ret;
	}

	tool_err("unknown command \"%s\"", cmd);
	usage(stderr);
	return EXIT_USAGE;
}
