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
 * CARD is micN, N or "all" (the default).  doc/micctl.md is the manual;
 * the exit codes are below.  micctl talks only to sysfs: the driver does
 * the work, micctl starts it and waits for the outcome.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* the name in messages; tool_util.h uses it */
static const char *prog = "micctl";

#include "tool_util.h"

/* EXIT_OK, _FAILED, _USAGE, _NOCARD: tool_util.h */
#define EXIT_TIMEOUT	3	/* a card did not get there in time */

#define MAX_CARDS	256
#define DEFAULT_TIMEOUT	600	/* s: covers the driver's own 300 s reset limit */

static const char *sysfs_root = "/sys/class/mic";
static bool quiet;

struct card {
	int nr;
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
		prog, DEFAULT_TIMEOUT);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void card_path(const struct card *c, const char *attr, char *buf,
		      size_t len)
{
	snprintf(buf, len, "%s/%s/%s", sysfs_root, c->name, attr);
}

/* Read attribute @attr of @c into @buf without the newline; 0 or -errno. */
static int read_attr(const struct card *c, const char *attr, char *buf,
		     size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	card_path(c, attr, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

/* Write @val to the state attribute of @c in one write(); 0 or -errno. */
static int write_state(const struct card *c, const char *val)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	card_path(c, "state", path, sizeof(path));
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return 0;
}

static void read_state(const struct card *c, char *buf, size_t len)
{
	int ret = read_attr(c, "state", buf, len);

	if (ret)	/* the card went away under us */
		snprintf(buf, len, "gone (%s)", strerror(-ret));
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Every micN under the sysfs root, in numeric order. */
static int find_all_cards(void)
{
	int nrs[MAX_CARDS], n = 0, i;
	struct dirent *de;
	DIR *dir;

	dir = opendir(sysfs_root);
	if (!dir)
		return 0;
	while ((de = readdir(dir)) && n < MAX_CARDS) {
		char *end;
		long v;

		if (strncmp(de->d_name, "mic", 3))
			continue;
		errno = 0;
		v = strtol(de->d_name + 3, &end, 10);
		if (de->d_name[3] && !*end && !errno && v >= 0 && v < INT_MAX)
			nrs[n++] = v;
	}
	closedir(dir);
	qsort(nrs, n, sizeof(*nrs), cmp_int);
	for (i = 0; i < n; i++) {
		cards[i].nr = nrs[i];
		snprintf(cards[i].name, sizeof(cards[i].name), "mic%d", nrs[i]);
	}
	return n;
}

/* Parse CARD arguments; returns an EXIT_* code. */
static int select_cards(int argc, char **argv)
{
	int i, j;

	if (!argc || (argc == 1 && !strcmp(argv[0], "all"))) {
		nr_cards = find_all_cards();
		if (!nr_cards) {
			err("no cards in %s", sysfs_root);
			return EXIT_NOCARD;
		}
		return EXIT_OK;
	}
	for (i = 0; i < argc; i++) {
		char path[PATH_MAX];
		uint32_t v;

		if (tool_parse_card(argv[i], &v) || v >= INT_MAX) {
			err("not a card: %s (micN, N or all)", argv[i]);
			return EXIT_USAGE;
		}
		if (nr_cards == MAX_CARDS) {
			err("too many cards");
			return EXIT_USAGE;
		}
		for (j = 0; j < nr_cards; j++)
			if (cards[j].nr == (int)v)
				break;
		if (j < nr_cards)
			continue;	/* named twice */
		cards[nr_cards].nr = v;
		snprintf(cards[nr_cards].name, sizeof(cards[nr_cards].name),
			 "mic%" PRIu32, v);
		snprintf(path, sizeof(path), "%s/%s", sysfs_root,
			 cards[nr_cards].name);
		if (access(path, F_OK)) {
			err("no card %s", cards[nr_cards].name);
			return EXIT_NOCARD;
		}
		nr_cards++;
	}
	return EXIT_OK;
}

static const char *error_text(const struct card *c, char *buf, size_t len)
{
	char v[32];
	long e;

	if (read_attr(c, "last_error", v, sizeof(v)))
		return "unknown error";
	e = strtol(v, NULL, 10);
	if (!e)
		return "no error recorded";
	snprintf(buf, len, "%s", strerror((int)-e));
	return buf;
}

static int cmd_status(void)
{
	int i;

	printf("%-6s %-13s %-4s %-8s %-10s %s\n", "CARD", "STATE", "POST",
	       "STEPPING", "MEMORY", "IMAGE");
	for (i = 0; i < nr_cards; i++) {
		struct card *c = &cards[i];
		char state[64], post[16], step[16], mem[32], image[PATH_MAX];
		char ebuf[128], memtxt[32];
		int ret;

		read_state(c, state, sizeof(state));
		ret = read_attr(c, "post_code", post, sizeof(post));
		if (ret == -ENXIO)
			snprintf(post, sizeof(post), "none");	/* all-ones */
		else if (ret)
			snprintf(post, sizeof(post), "--");
		if (read_attr(c, "stepping", step, sizeof(step)))
			snprintf(step, sizeof(step), "?");
		if (read_attr(c, "memsize", mem, sizeof(mem)) ||
		    !strtoull(mem, NULL, 10))
			snprintf(memtxt, sizeof(memtxt), "?");
		else
			snprintf(memtxt, sizeof(memtxt), "%llu MiB",
				 strtoull(mem, NULL, 10) / 1024);
		if (read_attr(c, "image", image, sizeof(image)))
			image[0] = '\0';
		printf("%-6s %-13s %-4s %-8s %-10s %s", c->name, state, post,
		       step, memtxt, image[0] ? image : "-");
		if (strstr(state, "failed") || !strcmp(state, "lost"))
			printf(" (%s)", error_text(c, ebuf, sizeof(ebuf)));
		printf("\n");
	}
	return EXIT_OK;
}

/* Accept "boot failed", "boot_failed" and "boot-failed". */
static void normalize_state(const char *in, char *out, size_t len)
{
	size_t i;

	for (i = 0; in[i] && i < len - 1; i++)
		out[i] = (in[i] == '_' || in[i] == '-') ? ' ' : in[i];
	out[i] = '\0';
}

static bool valid_state(const char *s)
{
	static const char * const states[] = {
		"ready", "booting", "online", "boot failed", "resetting",
		"reset failed", "lost",
	};
	size_t i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (!strcmp(s, states[i]))
			return true;
	return false;
}

/*
 * Block until the state attribute of one of the active cards changes or
 * @deadline passes.  The driver notifies "state" on every change; the
 * periodic wake-up only guards against a missed notification.
 */
static void wait_change(double deadline)
{
	struct pollfd pfd[MAX_CARDS];
	int i, n = 0, ms;
	char buf[64];

	for (i = 0; i < nr_cards; i++) {
		char path[PATH_MAX];
		int fd;

		if (!cards[i].active)
			continue;
		card_path(&cards[i], "state", path, sizeof(path));
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* sysfs poll: read first, then wait for POLLPRI */
		if (read(fd, buf, sizeof(buf)) < 0) {
			close(fd);
			continue;
		}
		pfd[n].fd = fd;
		pfd[n].events = POLLPRI;
		n++;
	}
	ms = (int)((deadline - now()) * 1000);
	if (ms > 200)
		ms = 200;
	if (ms > 0)
		poll(pfd, n, ms);
	for (i = 0; i < n; i++)
		close(pfd[i].fd);
}

/*
 * Wait until no active card is in @transient (NULL: until each is in
 * @target); cards that get there leave the active set.  Returns
 * EXIT_TIMEOUT if some did not in time.
 */
static int wait_cards(const char *transient, const char *target,
		      double deadline)
{
	int i, left;

	for (;;) {
		left = 0;
		for (i = 0; i < nr_cards; i++) {
			struct card *c = &cards[i];
			char state[64];

			if (!c->active)
				continue;
			read_state(c, state, sizeof(state));
			if (transient ? strcmp(state, transient) :
			    !strcmp(state, target)) {
				c->active = false;
				continue;
			}
			left++;
		}
		if (!left)
			return EXIT_OK;
		if (now() >= deadline)
			break;
		wait_change(deadline);
	}
	for (i = 0; i < nr_cards; i++) {
		if (cards[i].active) {
			char state[64];

			read_state(&cards[i], state, sizeof(state));
			err("%s: timed out, still %s", cards[i].name, state);
			cards[i].result = EXIT_TIMEOUT;
		}
	}
	return EXIT_TIMEOUT;
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

/*
 * Write @cmd to each card, wait while the cards are @transient, then
 * check they ended in @target.  @already_ok: the errno with which a card
 * says it is in @target already.
 */
static int run_op(const char *what, const char *cmd, const char *transient,
		  const char *target, int already_ok, bool wait,
		  double deadline)
{
	int i, ret;

	for (i = 0; i < nr_cards; i++) {
		struct card *c = &cards[i];

		ret = write_state(c, cmd);
		if (ret == -already_ok && already_ok) {
			msg("%s: already %s\n", c->name, target);
			continue;
		}
		if (ret) {
			char state[64];

			read_state(c, state, sizeof(state));
			err("%s: %s refused: %s (state %s)", c->name, what,
			    strerror(-ret), state);
			c->result = EXIT_FAILED;
			continue;
		}
		c->active = true;
		c->started = true;
		msg("%s: %s started\n", c->name, what);
	}
	if (!wait)
		return worst();

	wait_cards(transient, NULL, deadline);
	for (i = 0; i < nr_cards; i++) {
		struct card *c = &cards[i];
		char state[64], ebuf[128];

		if (!c->started || c->result)	/* refused, or timed out */
			continue;
		read_state(c, state, sizeof(state));
		if (!strcmp(state, target)) {
			msg("%s: %s\n", c->name, state);
		} else {
			char failed[64];

			/* "boot failed: <why>", plus the state if unexpected */
			snprintf(failed, sizeof(failed), "%s failed", what);
			if (!strcmp(state, failed))
				err("%s: %s: %s", c->name, failed,
				    error_text(c, ebuf, sizeof(ebuf)));
			else
				err("%s: %s: %s (card %s)", c->name, failed,
				    error_text(c, ebuf, sizeof(ebuf)), state);
			c->result = EXIT_FAILED;
		}
	}
	return worst();
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
	double timeout = DEFAULT_TIMEOUT, deadline;
	bool wait = true, force = false;
	const char *cmd, *env;
	char *end;
	int opt, ret;

	env = getenv("MICCTL_SYSFS");
	if (env && *env)
		sysfs_root = env;

	while ((opt = getopt_long(argc, argv, "+t:nfqh", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			timeout = strtod(optarg, &end);
			if (*end || end == optarg || timeout < 0) {
				err("bad timeout: %s", optarg);
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
		char line[PATH_MAX + 16];

		if (argc < 1) {
			err("boot: IMAGE missing");
			return EXIT_USAGE;
		}
		ret = select_cards(argc - 1, argv + 1);
		if (ret)
			return ret;
		/* a firmware name: the driver loads it with request_firmware() */
		snprintf(line, sizeof(line), "boot:elf:%s", argv[0]);
		deadline = now() + timeout;
		return run_op("boot", line, "booting", "online", 0, wait,
			      deadline);
	}

	if (!strcmp(cmd, "reset") || !strcmp(cmd, "shutdown")) {
		bool reset = !strcmp(cmd, "reset");

		ret = select_cards(argc, argv);
		if (ret)
			return ret;
		deadline = now() + timeout;
		return run_op(cmd, reset ? (force ? "reset:force" : "reset") :
			      "shutdown", "resetting", "ready",
			      reset ? EALREADY : 0, wait, deadline);
	}

	if (!strcmp(cmd, "wait")) {
		char state[64];
		int i;

		if (argc < 1) {
			err("wait: STATE missing");
			return EXIT_USAGE;
		}
		normalize_state(argv[0], state, sizeof(state));
		if (!valid_state(state)) {
			err("wait: unknown state \"%s\"", argv[0]);
			return EXIT_USAGE;
		}
		argc--;
		argv++;
		/* a plain number right after STATE is the timeout */
		if (argc && argv[0][0] >= '0' && argv[0][0] <= '9') {
			timeout = strtod(argv[0], &end);
			if (*end) {
				err("wait: bad timeout: %s", argv[0]);
				return EXIT_USAGE;
			}
			argc--;
			argv++;
		}
		ret = select_cards(argc, argv);
		if (ret)
			return ret;
		for (i = 0; i < nr_cards; i++)
			cards[i].active = true;
		ret = wait_cards(NULL, state, now() + timeout);
		if (!ret)
			msg("%s\n", state);
		return ret;
	}

	err("unknown command \"%s\"", cmd);
	usage(stderr);
	return EXIT_USAGE;
}
