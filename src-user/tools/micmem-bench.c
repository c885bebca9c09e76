// SPDX-License-Identifier: GPL-2.0
/*
 * micmem-bench: DMA bandwidth host -> card and card -> host over a sweep
 * of sizes on channel 0, 1 and auto, and the cost of one call (the QUERY
 * ioctl, submit + wait of 64 bytes), each next to peers measured in the
 * same run: memcpy in ordinary memory and inside the pool, a null system
 * call.  doc/tools.md is the manual, doc/performance.md the results.
 *
 * Every figure is a loop of synchronous operations that runs for at least
 * --time ms and --iterations rounds; the result is total bytes (or calls)
 * over total time.
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
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libmicmem.h>

#include "bench_suite.h"
#include "tool_util.h"

#define MAX_SIZES	32
#define CHUNK		MICMEM_CHUNK_SIZE
#define VERIFY_BYTES	(1024 * 1024)


static const char *const default_sizes = "64K,256K,1M,4M";

static const struct {
	const char *name;
	unsigned int chan;
} channels[] = {
	{ "ch0", MICMEM_CHAN_0 },
	{ "ch1", MICMEM_CHAN_1 },
	{ "auto", MICMEM_CHAN_AUTO },
};

#define NR_CHANNELS	(sizeof(channels) / sizeof(channels[0]))

struct figure {
	uint64_t iters;
	uint64_t ns;
};

static struct {
	struct micmem *m;
	uint32_t card;
	uint64_t card_addr;
	uint8_t *pool;
	uint64_t pool_size;
	uint8_t *mem;			/* ordinary memory, same size */
	uint64_t sizes[MAX_SIZES];
	unsigned int nr_sizes;
	bool chan_on[NR_CHANNELS];
	uint64_t min_ns;
	uint64_t min_iters;
	bool json;
} b = {
	.min_ns = 200 * 1000000ULL,
	.min_iters = 3,
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options]\n"
		"Measure DMA bandwidth to and from a card and the cost of one call,\n"
		"next to memcpy and a null system call measured in the same run.\n"
		"options:\n"
		"  -c, --card CARD       card micN or N (default: the first card)\n"
		"  -s, --sizes LIST      transfer sizes, multiples of 64, with K/M/G\n"
		"                        suffixes (default %s)\n"
		"  -C, --channels LIST   of 0, 1, auto (default 0,1,auto)\n"
		"  -t, --time MS         least time per figure (default 200)\n"
		"  -n, --iterations N    least rounds per figure (default 3)\n"
		"  -a, --card-addr ADDR  card memory used, from ADDR (default 0;\n"
		"                        required when the card is online)\n"
		"  -j, --json[=FILE]     JSON instead of text (with --suite: the\n"
		"                        table on stdout and JSON into FILE;\n"
		"                        '-' or no FILE: JSON only, on stdout)\n"
		"      --suite           every figure of doc/performance.md beside\n"
		"                        its peer (not with -s, -C, -t, -n)\n"
		"      --quick           with --suite: fewer sizes and repetitions\n"
		"  -r, --reps N          with --suite: repetitions per figure, 1-32\n"
		"                        (default 5, --quick 3)\n"
		"  -h, --help            this text\n"
		"The card memory at [ADDR, ADDR + largest size) is overwritten\n"
		"(--suite: 64 MiB, --quick 16 MiB).\n"
		"exit status: 0 ok, 1 the driver or a transfer failed, 2 usage,\n"
		"             4 no such card or no cards\n",
		program_invocation_short_name, default_sizes);
}

/* ---- command line ---- */

static int parse_sizes(const char *arg)
{
	char *list = strdup(arg), *save = NULL, *tok;
	int ret = 0;

	if (!list)
		return -ENOMEM;
	b.nr_sizes = 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;

		if (tool_parse_size(tok, &v) || !v || v % MICMEM_DMA_ALIGN) {
			tool_err("bad size '%s': a non-zero multiple of %d bytes, e.g. 4096, 64K, 2M",
			    tok, MICMEM_DMA_ALIGN);
			ret = -EINVAL;
			break;
		}
		if (v > (1ULL << 30)) {
			tool_err("size '%s' is over 1 GiB", tok);
			ret = -EINVAL;
			break;
		}
		if (b.nr_sizes == MAX_SIZES) {
			tool_err("more than %d sizes", MAX_SIZES);
			ret = -EINVAL;
			break;
		}
		b.sizes[b.nr_sizes++] = v;
	}
	if (!ret && !b.nr_sizes) {
		tool_err("no size given");
		ret = -EINVAL;
	}
	free(list);
	return ret;
}

static int parse_channels(const char *arg)
{
	char *list = strdup(arg), *save = NULL, *tok;
	unsigned int i;
	int ret = 0;

	if (!list)
		return -ENOMEM;
	memset(b.chan_on, 0, sizeof(b.chan_on));
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_CHANNELS; i++)
			if (!strcmp(tok, channels[i].name) ||
			    (channels[i].chan != MICMEM_CHAN_AUTO &&
			     !strcmp(tok, channels[i].name + 2)))
				break;
		if (i == NR_CHANNELS) {
			tool_err("bad channel '%s': 0, 1 or auto", tok);
			ret = -EINVAL;
			break;
		}
		b.chan_on[i] = true;
	}
	for (i = 0; !ret && i < NR_CHANNELS && !b.chan_on[i]; i++)
		;
	if (!ret && i == NR_CHANNELS) {
		tool_err("no channel given");
		ret = -EINVAL;
	}
	free(list);
	return ret;
}

/* A whole positive number in [1, max]; 0 or -EINVAL. */
static int parse_count(const char *what, const char *arg, uint64_t max,
		       uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end || errno || !v || v > max) {
		tool_err("bad %s '%s': a whole number from 1 to %" PRIu64, what, arg,
		    max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* ---- measuring ---- */

/* Keep the compiler from proving a copy dead. */
static inline void clobber(void)
{
	__asm__ __volatile__("" : : : "memory");
}

static uint64_t max_size(void)
{
	uint64_t max = 0;
	unsigned int i;

	for (i = 0; i < b.nr_sizes; i++)
		if (b.sizes[i] > max)
			max = b.sizes[i];
	return max;
}

/* Run @op until min time and rounds are reached; 0 or its error. */
#define MEASURE(fig, op) ({						\
	uint64_t t0_ = micmem_now_ns(), n_ = 0, dt_ = 0;		\
	int ret_ = 0;							\
									\
	do {								\
		ret_ = (op);						\
		if (ret_)						\
			break;						\
		n_++;							\
		dt_ = micmem_now_ns() - t0_;				\
	} while (dt_ < b.min_ns || n_ < b.min_iters);			\
	(fig)->iters = n_;						\
	(fig)->ns = ret_ ? 0 : dt_;					\
	ret_;								\
})

static double mib_per_s(uint64_t size, const struct figure *f)
{
	return f->ns ? (double)size * f->iters / (f->ns / 1e9) / (1 << 20) : 0;
}

static double ns_per_call(const struct figure *f)
{
	return f->iters ? (double)f->ns / f->iters : 0;
}

static int memcpy_ordinary(uint64_t size)
{
	memcpy(b.mem + size, b.mem, size);
	clobber();
	return 0;
}

static int memcpy_pool(uint64_t size)
{
	memcpy(b.pool + size, b.pool, size);
	clobber();
	return 0;
}

static int dma_once(unsigned int dir, unsigned int chan, uint64_t size)
{
	struct micmem_status st;
	int ret;

	if (dir == MICMEM_DIR_TO_CARD)
		ret = micmem_copy_to_card(b.m, b.card, b.card_addr, 0, size,
					  chan, &st);
	else
		ret = micmem_copy_from_card(b.m, b.card, size, b.card_addr,
					    size, chan, &st);
	if (ret && st.ticket)
		tool_err("mic%u: DMA of %" PRIu64 " bytes failed: %s (%s)", b.card,
		    size, strerror(-ret),
		    micmem_error_class_name(st.error_class));
	else if (ret)
		tool_err("mic%u: submitting %" PRIu64 " bytes failed: %s", b.card,
		    size, strerror(-ret));
	return ret;
}

static int null_syscall(void)
{
	syscall(SYS_getppid);
	return 0;
}

static int query_once(void)
{
	struct micmem_query q;
	int ret = micmem_query(b.m, &q);

	if (ret)
		tool_err("MICMEM_IOC_QUERY: %s", strerror(-ret));
	return ret;
}

/*
 * Round trip before measuring: what we time must be a working copy.  A
 * pattern goes to the card on channel 0 and comes back on channel 1.
 */
static int verify(void)
{
	uint64_t len = max_size() < VERIFY_BYTES ? max_size() : VERIFY_BYTES;
	uint64_t i;
	int ret;

	for (i = 0; i < len; i++)
		b.pool[i] = (uint8_t)(i * 7 + (i >> 8) + 1);
	memset(b.pool + len, 0, len);
	ret = micmem_copy_to_card(b.m, b.card, b.card_addr, 0, len,
				  MICMEM_CHAN_0, NULL);
	if (!ret)
		ret = micmem_copy_from_card(b.m, b.card, len, b.card_addr, len,
					    MICMEM_CHAN_1, NULL);
	if (ret) {
		tool_err("mic%u: test transfer failed: %s", b.card, strerror(-ret));
		return ret;
	}
	if (memcmp(b.pool, b.pool + len, len)) {
		tool_err("mic%u: data read back differs from data written", b.card);
		return -EIO;
	}
	return 0;
}

/* ---- output ---- */

static const char *dir_name(unsigned int dir, bool json)
{
	if (json)
		return dir == MICMEM_DIR_TO_CARD ? "to_card" : "from_card";
	return dir == MICMEM_DIR_TO_CARD ? "host -> card" : "card -> host";
}

static void json_sep(bool *first)
{
	printf("%s\n    ", *first ? "" : ",");
	*first = false;
}

/* ---- main ---- */

static int setup(uint32_t card, bool card_given, bool addr_given)
{
	struct micmem_card_info ci;
	struct micmem_query q;
	uint32_t first;
	int ret;

	if (!card_given) {
		ret = micmem_card_list(&first, 1);
		if (ret <= 0) {
			tool_err("no cards%s%s", ret < 0 ? ": " : "",
			    ret < 0 ? strerror(-ret) : "");
			return EXIT_NOCARD;
		}
		card = first;
	}
	ret = micmem_card_info(card, &ci);
	if (ret) {
		tool_err("no card mic%u%s%s", card, ret == -ENODEV ? "" : ": ",
		    ret == -ENODEV ? "" : strerror(-ret));
		return EXIT_NOCARD;
	}
	if (!strcmp(ci.state, "online") && !addr_given) {
		tool_err("mic%u is online: its OS owns card memory; give --card-addr for memory it does not use",
		    card);
		return EXIT_USAGE;
	}
	if (b.card_addr % MICMEM_DMA_ALIGN) {
		tool_err("card address 0x%" PRIx64 " is not a multiple of %d",
		    b.card_addr, MICMEM_DMA_ALIGN);
		return EXIT_USAGE;
	}
	if (b.card_addr > ci.dma_window ||
	    max_size() > ci.dma_window - b.card_addr) {
		tool_err("mic%u: card memory [0x%" PRIx64 ", 0x%" PRIx64
		    ") is outside its DMA window [0, 0x%" PRIx64 ")",
		    card, b.card_addr, b.card_addr + max_size(),
		    (uint64_t)ci.dma_window);
		return EXIT_USAGE;
	}
	b.card = card;

	ret = micmem_open(&b.m, 0);
	if (ret) {
		tool_err("cannot open /dev/%s: %s%s", MICMEM_CTRL_NODE,
		    strerror(-ret), tool_open_hint(ret));
		return EXIT_FAILED;
	}
	ret = micmem_query(b.m, &q);
	if (ret) {
		tool_err("MICMEM_IOC_QUERY: %s", strerror(-ret));
		return EXIT_FAILED;
	}
	b.pool_size = (2 * max_size() + CHUNK - 1) / CHUNK * CHUNK;
	ret = micmem_pool_create(b.m, b.pool_size, 0, (void **)&b.pool);
	if (ret) {
		tool_err("cannot create a pool of %" PRIu64 " MiB: %s%s",
		    b.pool_size >> 20, strerror(-ret), tool_pool_hint(ret));
		return EXIT_FAILED;
	}
	ret = micmem_attach(b.m, b.card);
	if (ret) {
		tool_err("cannot attach mic%u: %s (state %s)", b.card,
		    strerror(-ret), ci.state);
		return EXIT_FAILED;
	}
	b.mem = mmap(NULL, b.pool_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b.mem == MAP_FAILED) {
		tool_err("cannot allocate %" PRIu64 " MiB: %s", b.pool_size >> 20,
		    strerror(errno));
		return EXIT_FAILED;
	}
	/* Fault everything in: first touches are not what we measure. */
	memset(b.mem, 1, b.pool_size);
	memset(b.pool, 1, b.pool_size);

	if (!b.json)
		printf("micmem-bench: mic%u (%s, %s, %s), card memory from 0x%"
		       PRIx64 ", pool %" PRIu64 " MiB, libmicmem %s, driver API %u\n"
		       "each figure: at least %" PRIu64 " ms and %" PRIu64
		       " rounds\n",
		       b.card, ci.bus, ci.stepping, ci.state, b.card_addr,
		       b.pool_size >> 20, micmem_lib_version(), q.api_version,
		       b.min_ns / 1000000, b.min_iters);
	else
		printf("{\n  \"library\": \"%s\",\n  \"api_version\": %u,\n"
		       "  \"card\": %u,\n  \"bus\": \"%s\",\n"
		       "  \"card_addr\": %" PRIu64 ",\n  \"min_time_ms\": %" PRIu64
		       ",\n  \"min_iterations\": %" PRIu64 ",\n",
		       micmem_lib_version(), q.api_version, b.card, ci.bus,
		       b.card_addr, b.min_ns / 1000000, b.min_iters);
	return verify() ? EXIT_FAILED : EXIT_OK;
}

static int bench_bandwidth(void)
{
	struct figure ord[MAX_SIZES], pool[MAX_SIZES], f;
	bool first = true;
	unsigned int i, dir, ch;
	char sz[32];

	for (i = 0; i < b.nr_sizes; i++) {
		MEASURE(&ord[i], memcpy_ordinary(b.sizes[i]));
		MEASURE(&pool[i], memcpy_pool(b.sizes[i]));
	}
	if (b.json) {
		printf("  \"memcpy\": [");
		for (i = 0; i < b.nr_sizes; i++) {
			json_sep(&first);
			printf("{\"size\": %" PRIu64 ", \"ordinary_mib_per_s\": %.1f"
			       ", \"pool_mib_per_s\": %.1f}", b.sizes[i],
			       mib_per_s(b.sizes[i], &ord[i]),
			       mib_per_s(b.sizes[i], &pool[i]));
		}
		printf("\n  ],\n  \"dma\": [");
	} else {
		printf("\nmemcpy, MiB/s\n%10s %12s %12s\n", "size", "ordinary",
		       "pool");
		for (i = 0; i < b.nr_sizes; i++)
			printf("%10s %12.1f %12.1f\n",
			       tool_fmt_bytes(b.sizes[i], sz, sizeof(sz)),
			       mib_per_s(b.sizes[i], &ord[i]),
			       mib_per_s(b.sizes[i], &pool[i]));
	}

	first = true;
	for (dir = MICMEM_DIR_TO_CARD; dir <= MICMEM_DIR_FROM_CARD; dir++) {
		if (!b.json) {
			printf("\n%s, MiB/s (x: ratio to memcpy in ordinary memory)\n%10s",
			       dir_name(dir, false), "size");
			for (ch = 0; ch < NR_CHANNELS; ch++)
				if (b.chan_on[ch])
					printf(" %17s", channels[ch].name);
			printf("\n");
		}
		for (i = 0; i < b.nr_sizes; i++) {
			double ref = mib_per_s(b.sizes[i], &ord[i]);

			if (!b.json)
				printf("%10s", tool_fmt_bytes(b.sizes[i], sz,
							      sizeof(sz)));
			for (ch = 0; ch < NR_CHANNELS; ch++) {
				double v;

				if (!b.chan_on[ch])
					continue;
				if (MEASURE(&f, dma_once(dir, channels[ch].chan,
							  b.sizes[i])))
					return EXIT_FAILED;
				v = mib_per_s(b.sizes[i], &f);
				if (b.json) {
					json_sep(&first);
					printf("{\"dir\": \"%s\", \"channel\": \"%s\", \"size\": %"
					       PRIu64 ", \"iterations\": %" PRIu64
					       ", \"ns\": %" PRIu64 ", \"mib_per_s\": %.1f"
					       ", \"ratio_memcpy\": %.4f}",
					       dir_name(dir, true), channels[ch].name,
					       b.sizes[i], f.iters, f.ns, v,
					       ref ? v / ref : 0);
				} else {
					printf(" %9.1f (%5.3fx)", v,
					       ref ? v / ref : 0);
					fflush(stdout);
				}
			}
			if (!b.json)
				printf("\n");
		}
	}
	if (b.json)
		printf("\n  ],\n");
	return EXIT_OK;
}

/*
 * Submit of one 64-byte transfer, timed without its wait: what the
 * driver costs per batch, apart from the engine's latency.
 */
static int submit_alone(struct figure *f)
{
	uint64_t t0 = micmem_now_ns(), t1, ticket, n = 0, spent = 0;
	struct micmem_xfer x;
	int ret;

	micmem_xfer_init(&x, 0, b.card_addr, 64, MICMEM_DIR_TO_CARD,
			 MICMEM_CHAN_0);
	do {
		t1 = micmem_now_ns();
		ret = micmem_submit(b.m, b.card, &x, 1, 0, &ticket, NULL);
		spent += micmem_now_ns() - t1;
		if (!ret)
			ret = micmem_wait(b.m, ticket, MICMEM_WAIT_FOREVER, 0,
					  NULL);
		if (ret) {
			tool_err("mic%u: 64-byte transfer failed: %s", b.card,
			    strerror(-ret));
			return ret;
		}
		n++;
	} while (micmem_now_ns() - t0 < b.min_ns || n < b.min_iters);
	f->iters = n;
	f->ns = spent;
	return 0;
}

static int bench_overhead(void)
{
	static const char *const names[][2] = {
		{ "null_syscall", "null system call (getppid)" },
		{ "query_ioctl", "MICMEM_IOC_QUERY ioctl" },
		{ "submit_64", "submit ioctl alone, 64 B, ch0" },
		{ "submit_wait_64", "submit + wait, 64 B, ch0" },
	};
	struct figure f[4];
	bool first = true;
	double ref;
	unsigned int i;

	MEASURE(&f[0], null_syscall());
	if (MEASURE(&f[1], query_once()) || submit_alone(&f[2]) ||
	    MEASURE(&f[3], dma_once(MICMEM_DIR_TO_CARD, MICMEM_CHAN_0, 64)))
		return EXIT_FAILED;
	ref = ns_per_call(&f[0]);
	if (b.json)
		printf("  \"overhead\": [");
	else
		printf("\nper call, ns (x: ratio to a null system call)\n");
	for (i = 0; i < 4; i++) {
		double v = ns_per_call(&f[i]);

		if (b.json) {
			json_sep(&first);
			printf("{\"name\": \"%s\", \"iterations\": %" PRIu64
			       ", \"ns_per_call\": %.1f, \"ratio_syscall\": %.2f}",
			       names[i][0], f[i].iters, v, ref ? v / ref : 0);
		} else {
			printf("  %-30s %12.1f (%.1fx)\n", names[i][1], v,
			       ref ? v / ref : 0);
		}
	}
	if (b.json)
		printf("\n  ]\n}\n");
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "card", required_argument, NULL, 'c' },
		{ "sizes", required_argument, NULL, 's' },
		{ "channels", required_argument, NULL, 'C' },
		{ "time", required_argument, NULL, 't' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "card-addr", required_argument, NULL, 'a' },
		{ "json", optional_argument, NULL, 'j' },
		{ "suite", no_argument, NULL, 'S' },
		{ "quick", no_argument, NULL, 'Q' },
		{ "reps", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool card_given = false, addr_given = false, suite = false;
	bool quick = false;
	const char *sweep_opt = NULL, *json_file = NULL;
	struct bench_suite_opts so;
	uint32_t card = 0;
	uint64_t v;
	int c, ret;

	memset(b.chan_on, 1, sizeof(b.chan_on));
	if (parse_sizes(default_sizes))
		return EXIT_FAILED;
	memset(&so, 0, sizeof(so));
	while ((c = getopt_long(argc, argv, "c:s:C:t:n:a:j::r:h", opts,
				NULL)) != -1) {
		switch (c) {
		case 'c':
			if (tool_parse_card(optarg, &card)) {
				tool_err("not a card: '%s' (micN or N)", optarg);
				return EXIT_USAGE;
			}
			card_given = true;
			break;
		case 's':
			sweep_opt = "--sizes";
			if (parse_sizes(optarg))
				return EXIT_USAGE;
			break;
		case 'C':
			sweep_opt = "--channels";
			if (parse_channels(optarg))
				return EXIT_USAGE;
			break;
		case 't':
			sweep_opt = "--time";
			if (parse_count("time", optarg, 3600000, &v))
				return EXIT_USAGE;
			b.min_ns = v * 1000000;
			break;
		case 'n':
			sweep_opt = "--iterations";
			if (parse_count("iteration count", optarg, 1000000000,
					&b.min_iters))
				return EXIT_USAGE;
			break;
		case 'a':
			if (tool_parse_size(optarg, &b.card_addr)) {
				tool_err("bad card address '%s'", optarg);
				return EXIT_USAGE;
			}
			addr_given = true;
			break;
		case 'j':
			/* no positional arguments: "--json FILE" is unambiguous */
			if (!optarg && optind < argc &&
			    (argv[optind][0] != '-' || !strcmp(argv[optind], "-")))
				optarg = argv[optind++];
			if (optarg && !*optarg) {
				tool_err("empty JSON file name");
				return EXIT_USAGE;
			}
			json_file = optarg ? optarg : "-";
			b.json = true;
			break;
		case 'S':
			suite = true;
			break;
		case 'Q':
			quick = true;
			break;
		case 'r':
			if (parse_count("repetition count", optarg, 32, &v))
				return EXIT_USAGE;
			so.reps = (unsigned int)v;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			fprintf(stderr, "Try '%s --help'.\n", program_invocation_short_name);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_err("unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}

	if (!suite && (quick || so.reps)) {
		tool_err("%s is an option of --suite", quick ? "--quick" :
			 "--reps");
		return EXIT_USAGE;
	}
	if (suite && sweep_opt) {
		tool_err("%s is not an option of --suite (its sizes and times are fixed)",
			 sweep_opt);
		return EXIT_USAGE;
	}
	if (suite) {
		so.card = card;
		so.card_given = card_given;
		so.card_addr = b.card_addr;
		so.addr_given = addr_given;
		so.quick = quick;
		so.json = json_file;
		return bench_suite(&so);
	}
	if (json_file && strcmp(json_file, "-") &&
	    !freopen(json_file, "w", stdout)) {
		tool_err("cannot write %s: %s", json_file, strerror(errno));
		return EXIT_USAGE;
	}

	ret = setup(card, card_given, addr_given);
	if (ret == EXIT_OK)
		ret = bench_bandwidth();
	if (ret == EXIT_OK)
		ret = bench_overhead();
	micmem_close(b.m);
	return ret;
}
