// SPDX-License-Identifier: GPL-2.0
/*
 * micmem-cp against two sim cards (vm-run 'cards': 2, /bin/micmem-cp):
 * sizes from 0 bytes to 3 times the pool in both directions, the partial
 * last block, --verify against the sim's corrupt_next, -n, --json, the
 * progress bar on a pseudo-terminal and not on a pipe, and every bad
 * argument with its message and exit status (micmem-cp(1)).
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pty.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "card_util.h"
#include "run_util.h"

#define CP		"/bin/micmem-cp"
#define ADDR		0x1000000ULL		/* 16 MiB into card memory */
#define ADDR_S		"0x1000000"

static struct run r;

/*
 * Run micmem-cp with @args (NULL-terminated, without the program); its
 * stdout and stderr in r.  @pty: stderr is a pseudo-terminal.
 */
static void run_argv(bool pty, char *const args[])
{
	char *argv[32], cmd[512] = CP;
	int i;

	argv[0] = CP;
	for (i = 0; args[i] && i < 30; i++) {
		argv[i + 1] = args[i];
		strncat(cmd, " ", sizeof(cmd) - strlen(cmd) - 1);
		strncat(cmd, args[i], sizeof(cmd) - strlen(cmd) - 1);
	}
	argv[i + 1] = NULL;
	run_capture(&r, argv, pty);
	TH_LOG("$ %s -> %d%s%s", cmd, r.status, r.err[0] ? "; stderr: " : "",
	       r.err);
}

#define CP_RUN(...)	run_argv(false, (char *[]){ __VA_ARGS__, NULL })
#define CP_PTY(...)	run_argv(true, (char *[]){ __VA_ARGS__, NULL })

#define EXPECT_HAS(buf, s) do {						\
	if (!strstr(buf, s))						\
		TAP_FAIL_(0, "\"%s\" lacks \"%s\"", buf, s);		\
} while (0)

/* A file of @len pattern bytes (seed @seed); its contents in *@data. */
static unsigned char *make_file(const char *path, size_t len, uint64_t seed)
{
	unsigned char *p = malloc(len + 8);

	ASSERT_TRUE(p != NULL);
	fill_pattern(p, (len + 7) & ~7ULL, seed);
	write_file(path, p, len);
	return p;
}

/* The contents of @path; its size in *@len. */
static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *p;
	int fd = open(path, O_RDONLY);

	ASSERT_OK(fd);
	ASSERT_OK(fstat(fd, &st));
	p = malloc(st.st_size + 1);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(read(fd, p, st.st_size), (long long)st.st_size);
	close(fd);
	*len = st.st_size;
	return p;
}

static void setup(void)
{
	fast_params();
	card_to_ready(0);
	card_to_ready(1);
}

/* @path holds exactly @len bytes equal to @want. */
static void expect_file(const char *path, const unsigned char *want,
			size_t len)
{
	size_t got_len;
	unsigned char *got = slurp(path, &got_len);

	EXPECT_EQ(got_len, len);
	if (got_len == len)
		EXPECT_TRUE(!memcmp(got, want, len));
	free(got);
}

/* FILE -> card -> other FILE, byte for byte, for each size. */
TEST(sizes_round_trip_both_directions)
{
	static const size_t sizes[] = { 64, 192, 64 * 1001, 100, 4097,
					1000000 };
	unsigned int i;

	setup();
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *data = make_file("/tmp/in", sizes[i], i + 1);
		char spec[64];

		CP_RUN("/tmp/in", "mic1:" ADDR_S);
		ASSERT_EQ(r.status, 0);
		EXPECT_STREQ(r.out, "");
		EXPECT_STREQ(r.err, "");	/* no progress on a pipe */
		snprintf(spec, sizeof(spec), "mic1:" ADDR_S ":%zu", sizes[i]);
		CP_RUN(spec, "/tmp/out");
		ASSERT_EQ(r.status, 0);
		expect_file("/tmp/out", data, sizes[i]);
		free(data);
	}
}

TEST(zero_bytes_both_directions)
{
	setup();
	write_file("/tmp/empty", "", 0);
	CP_RUN("--json", "/tmp/empty", "mic0:" ADDR_S);
	ASSERT_EQ(r.status, 0);
	EXPECT_HAS(r.out, "\"bytes\": 0,");
	EXPECT_HAS(r.out, "\"batches\": 0,");
	/* an existing file is truncated to nothing */
	write_file("/tmp/out", "old contents", 12);
	CP_RUN("mic0:" ADDR_S ":0", "/tmp/out");
	ASSERT_EQ(r.status, 0);
	expect_file("/tmp/out", (const unsigned char *)"", 0);
}

/*
 * Not a multiple of 64 (micmem-cp(1)): to the card, the bytes after the
 * file's end up to the next multiple of 64 keep what the card had; from
 * the card, the file gets exactly LEN bytes.
 */
TEST(partial_last_block_keeps_the_card_bytes)
{
	unsigned char *old = make_file("/tmp/old", 256, 7);
	unsigned char *neu = make_file("/tmp/new", 100, 8);
	unsigned char want[256];

	setup();
	CP_RUN("/tmp/old", "mic0:" ADDR_S);
	ASSERT_EQ(r.status, 0);
	CP_RUN("/tmp/new", "mic0:" ADDR_S);
	ASSERT_EQ(r.status, 0);
	CP_RUN("mic0:" ADDR_S ":256", "/tmp/back");
	ASSERT_EQ(r.status, 0);
	memcpy(want, old, 256);
	memcpy(want, neu, 100);
	expect_file("/tmp/back", want, 256);
	/* LEN of the file only */
	CP_RUN("/tmp/old", "mic0:0x2000000:33");
	ASSERT_EQ(r.status, 0);
	CP_RUN("mic0:0x2000000:33", "/tmp/back");
	ASSERT_EQ(r.status, 0);
	expect_file("/tmp/back", old, 33);
	free(old);
	free(neu);
}

/*
 * Three times a 2 MiB pool, both ways, with 8 slots of 256 KiB: every
 * slot in flight at once, both channels moving the data.
 */
/* Does /tmp's file system take O_DIRECT (tmpfs does since Linux 6.6)? */
static int tmp_takes_o_direct(void)
{
	int fd = open("/tmp/o_direct.probe", O_CREAT | O_WRONLY | O_DIRECT,
		      0600);

	if (fd < 0)
		return 0;
	close(fd);
	unlink("/tmp/o_direct.probe");
	return 1;
}

TEST(three_pools_stream_on_both_channels)
{
	size_t len = 6 * 1024 * 1024 + 100;
	unsigned char *data = make_file("/tmp/big", len, 42);
	long long b0, b1;

	setup();
	b0 = chan_stat(1, 0, "bytes");
	b1 = chan_stat(1, 1, "bytes");
	CP_RUN("--json", "-p", "2M", "-b", "256K", "/tmp/big", "mic1:" ADDR_S);
	ASSERT_EQ(r.status, 0);
	EXPECT_HAS(r.out, "\"bytes\": 6291556,");
	EXPECT_HAS(r.out, "\"dma_bytes\": 6291584,");
	EXPECT_HAS(r.out, "\"batches\": 25,");
	EXPECT_HAS(r.out, "\"slots\": 8,");
	EXPECT_HAS(r.out, "\"max_in_flight\": 8,");
	EXPECT_HAS(r.out, "\"verified\": null}");
	/*
	 * batches alternate: 13 on channel 0 (12 x 256 KiB + the tail's 128
	 * bytes), and the 64 bytes after the file's end read first
	 */
	EXPECT_EQ(chan_stat(1, 0, "bytes") - b0, 12 * 262144 + 128 + 64);
	EXPECT_EQ(chan_stat(1, 1, "bytes") - b1, 12 * 262144);

	CP_RUN("--json", "-p", "2M", "-b", "256K", "mic1:" ADDR_S ":6291556",
	       "/tmp/big.back");
	ASSERT_EQ(r.status, 0);
	EXPECT_HAS(r.out, "\"direction\": \"from_card\"");
	EXPECT_HAS(r.out, "\"max_in_flight\": 8,");
	/* buffered where /tmp takes no O_DIRECT (tmpfs before Linux 6.6) */
	if (tmp_takes_o_direct())
		EXPECT_HAS(r.out, "\"io\": \"direct\", \"direct_bytes\": 6291456,");
	else
		EXPECT_HAS(r.out, "\"io\": \"buffered\", \"direct_bytes\": 0,");
	expect_file("/tmp/big.back", data, len);
	free(data);
}

TEST(verify_catches_a_corrupted_byte)
{
	unsigned char *data = make_file("/tmp/v", 65536, 3);
	long long injected;

	setup();
	CP_RUN("--verify", "--json", "/tmp/v", "mic0:" ADDR_S);
	ASSERT_EQ(r.status, 0);
	EXPECT_HAS(r.out, "\"verified\": true}");

	/* to the card: the copy's one descriptor lands with byte 0 flipped */
	injected = knob(0, "injected_corrupt");
	set_knob(0, "corrupt_next", "1");
	CP_RUN("--verify", "/tmp/v", "mic0:" ADDR_S);
	EXPECT_EQ(r.status, 3);
	EXPECT_HAS(r.err, "micmem-cp: verify: mic0:0x1000000 differs from /tmp/v at byte 0");
	EXPECT_EQ(knob(0, "injected_corrupt"), injected + 1);
	EXPECT_EQ(knob(0, "corrupt_next"), 0);

	/* from the card: the file gets the flipped byte, the read-back not */
	CP_RUN("/tmp/v", "mic0:" ADDR_S);
	ASSERT_EQ(r.status, 0);
	set_knob(0, "corrupt_next", "1");
	CP_RUN("--verify", "mic0:" ADDR_S ":65536", "/tmp/v.back");
	EXPECT_EQ(r.status, 3);
	EXPECT_HAS(r.err, "differs from /tmp/v.back at byte 0");
	EXPECT_EQ(knob(0, "injected_corrupt"), injected + 2);
	/* without corruption: same copy verifies */
	CP_RUN("--verify", "mic0:" ADDR_S ":65536", "/tmp/v.back");
	EXPECT_EQ(r.status, 0);
	expect_file("/tmp/v.back", data, 65536);
	free(data);
}

TEST(dry_run_prints_the_plan_and_moves_nothing)
{
	long long bytes;
	struct stat st;

	setup();
	free(make_file("/tmp/d", 3 * 1024 * 1024, 5));
	bytes = chan_stat(0, 0, "bytes") + chan_stat(0, 1, "bytes");
	CP_RUN("-n", "--verify", "/tmp/d", "mic0:" ADDR_S);
	ASSERT_EQ(r.status, 0);
	EXPECT_HAS(r.out, "copy /tmp/d (3145728 bytes) to mic0:0x1000000");
	EXPECT_HAS(r.out, "card range 0x1000000-0x1300000");
	EXPECT_HAS(r.out, "6 batches of up to 512 KiB through a pool of 4 MiB (8 slots), channel both");
	EXPECT_HAS(r.out, "read back and compared");
	CP_RUN("-n", "mic0:" ADDR_S ":100", "/tmp/not-created");
	ASSERT_EQ(r.status, 0);
	EXPECT_HAS(r.out, "the last 28 bytes of the card range are transferred but not written");
	EXPECT_ERRNO(stat("/tmp/not-created", &st), ENOENT);
	CP_RUN("-n", "--json", "/tmp/d", "mic0:" ADDR_S);
	ASSERT_EQ(r.status, 0);
	EXPECT_HAS(r.out, "\"dry_run\": true,");
	EXPECT_EQ(chan_stat(0, 0, "bytes") + chan_stat(0, 1, "bytes"), bytes);
	/* a dry run checks as much as a copy */
	CP_RUN("-n", "/tmp/d", "mic0:0x1fff00000");
	EXPECT_EQ(r.status, 2);
}

TEST(progress_on_a_terminal_none_on_a_pipe)
{
	setup();
	/* the VM's init mounts no devpts: openpty() needs one */
	ASSERT_EQ(mkdir("/dev/pts", 0755) && errno != EEXIST, 0);
	ASSERT_EQ(mount("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666") &&
		  errno != EBUSY, 0);
	free(make_file("/tmp/p", 2 * 1024 * 1024, 9));
	CP_PTY("/tmp/p", "mic0:" ADDR_S);
	ASSERT_EQ(r.status, 0);
	EXPECT_HAS(r.err, "copy   100% [####################] 2 MiB / 2 MiB");
	EXPECT_HAS(r.err, "/s  ETA ");
	CP_PTY("--verify", "mic0:" ADDR_S ":2M", "/tmp/p.back");
	ASSERT_EQ(r.status, 0);
	EXPECT_HAS(r.err, "verify 100%");
	CP_PTY("-q", "/tmp/p", "mic0:" ADDR_S);
	ASSERT_EQ(r.status, 0);
	EXPECT_STREQ(r.err, "");
	CP_RUN("--verify", "/tmp/p", "mic0:" ADDR_S);
	ASSERT_EQ(r.status, 0);
	EXPECT_STREQ(r.err, "");
	EXPECT_STREQ(r.out, "");
}

TEST(bad_arguments)
{
	setup();
	free(make_file("/tmp/f", 4096, 1));
	ASSERT_EQ(mkdir("/tmp/dir", 0755) && errno != EEXIST, 0);

	CP_RUN("/tmp/f");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "SOURCE and DEST needed");
	EXPECT_HAS(r.err, "usage:");
	CP_RUN("/tmp/f", "mic0:0", "mic1:0");
	EXPECT_EQ(r.status, 2);
	CP_RUN("/tmp/f", "/tmp/g");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "one of SOURCE and DEST must be card memory");
	CP_RUN("mic0:0:64", "mic1:0");
	EXPECT_EQ(r.status, 2);
	CP_RUN("--frob", "/tmp/f", "mic0:0");
	EXPECT_EQ(r.status, 2);
	CP_RUN("/tmp/f", "micx:0");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "micx:0: not a card: micx");
	CP_RUN("/tmp/f", "mic0:");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "mic0:: bad address ''");
	CP_RUN("/tmp/f", "mic0:12zz");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "bad address '12zz'");
	CP_RUN("mic0:0:-1", "/tmp/g");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "bad length '-1'");
	/* unaligned */
	CP_RUN("/tmp/f", "mic0:0x1000040");
	EXPECT_EQ(r.status, 0);
	CP_RUN("/tmp/f", "mic0:0x1000020");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "mic0:0x1000020: address 0x1000020 is not a multiple of 64 bytes");
	/* outside the DMA window: the end, the start, an overflow */
	CP_RUN("/tmp/f", "mic0:0x1fff80000");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "4096 bytes at 0x1fff80000 are outside the card's DMA window (0x0 to 0x1fff80000");
	CP_RUN("/tmp/f", "mic0:0x1fff7f040");
	EXPECT_EQ(r.status, 2);
	CP_RUN("/tmp/f", "mic0:0x1fff7f000");
	EXPECT_EQ(r.status, 0);
	CP_RUN("mic0:0x40:0xffffffffffffffc0", "/tmp/g");
	EXPECT_EQ(r.status, 2);
	CP_RUN("mic0:0:0xfffffffffffffff0", "/tmp/g");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "length too large");
	/* LEN and the file */
	CP_RUN("/tmp/f", "mic0:0:8192");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "/tmp/f: the file has 4096 bytes, fewer than LEN 8192");
	CP_RUN("mic0:0", "/tmp/g");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "mic0:0: LEN missing");
	CP_RUN("/tmp/none", "mic0:0");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "/tmp/none: No such file or directory");
	CP_RUN("/tmp/dir", "mic0:0");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "/tmp/dir: not a regular file");
	CP_RUN("mic0:0:64", "/tmp/dir");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "/tmp/dir: is a directory");
	/* options */
	CP_RUN("-p", "3M", "/tmp/f", "mic0:0");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "bad pool size '3M'");
	CP_RUN("-b", "1000", "/tmp/f", "mic0:0");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "bad batch size '1000'");
	CP_RUN("-p", "2M", "-b", "2M", "/tmp/f", "mic0:0");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "holds fewer than 2");
	CP_RUN("-c", "2", "/tmp/f", "mic0:0");
	EXPECT_EQ(r.status, 2);
	CP_RUN("-p", "8G", "/tmp/f", "mic0:0");
	EXPECT_EQ(r.status, 2);
	EXPECT_HAS(r.err, "over the driver's limit");
	/* cards */
	CP_RUN("/tmp/f", "mic7:0");
	EXPECT_EQ(r.status, 4);
	EXPECT_HAS(r.err, "micmem-cp: no card mic7");
	CP_RUN("-h");
	EXPECT_EQ(r.status, 0);
	EXPECT_HAS(r.out, "exit status: 0 ok, 1 failed, 2 bad argument");
}

TEST(card_not_ready)
{
	setup();
	free(make_file("/tmp/f", 4096, 1));
	/* the image never reports: the card stays "booting" */
	set_knob(1, "fail_boot", "1");
	card_boot(1, CARD_IMAGE);
	ASSERT_STREQ(card_attr(1, "state"), "booting");
	CP_RUN("/tmp/f", "mic1:0");
	EXPECT_EQ(r.status, 5);
	EXPECT_HAS(r.err, "micmem-cp: mic1: card is in state \"booting\": no DMA until it is ready or online");
	CP_RUN("-n", "mic1:0:64", "/tmp/g");
	EXPECT_EQ(r.status, 5);
	card_to_ready(1);
	CP_RUN("/tmp/f", "mic1:0");
	EXPECT_EQ(r.status, 0);
}

TEST(disk_full)
{
	setup();
	ASSERT_EQ(mkdir("/tmp/small", 0755) && errno != EEXIST, 0);
	ASSERT_OK(mount("tmpfs", "/tmp/small", "tmpfs", 0, "size=256k"));
	CP_RUN("mic0:0:1M", "/tmp/small/out");
	EXPECT_EQ(r.status, 1);
	EXPECT_HAS(r.err, "/tmp/small/out: write failed at byte 262144: ");
	EXPECT_HAS(r.err, "No space left on device");
	/* an output that cannot be created */
	CP_RUN("mic0:0:64", "/nonexistent/dir/out");
	EXPECT_EQ(r.status, 1);
	EXPECT_HAS(r.err, "/nonexistent/dir/out: No such file or directory");
	umount("/tmp/small");
}

/*
 * O_DIRECT where the file system takes it: ext2 on a RAM disk (brd.ko,
 * copied in by meson when the VM's kernel has it).  Whole 4 KiB blocks
 * go between the disk and the pool directly; a last piece that is not
 * whole blocks goes through the page cache; --no-direct never uses it.
 */
TEST(o_direct_on_ext2)
{
	size_t len = 3 * 1024 * 1024 + 100;
	unsigned char *data;

	if (access("/bin/brd.ko", F_OK) && access("/dev/ram0", F_OK))
		SKIP("no brd.ko for the VM's kernel");
	setup();
	if (access("/dev/ram0", F_OK))
		ASSERT_EQ(system("insmod /bin/brd.ko rd_nr=1 rd_size=16384"), 0);
	ASSERT_EQ(system("busybox mke2fs -q /dev/ram0 > /dev/null 2>&1 || "
			 "busybox mke2fs /dev/ram0 > /dev/null"), 0);
	ASSERT_EQ(mkdir("/tmp/ext", 0755) && errno != EEXIST, 0);
	ASSERT_OK(mount("/dev/ram0", "/tmp/ext", "ext2", 0, NULL));
	data = make_file("/tmp/ext/in", len, 11);

	CP_RUN("--json", "/tmp/ext/in", "mic0:" ADDR_S);
	ASSERT_EQ(r.status, 0);
	/* O_DIRECT pins the pool's pages on every kernel (doc/pool.md) */
	EXPECT_HAS(r.out, "\"io\": \"direct\", \"direct_bytes\": 3145828,");
	CP_RUN("--json", "--verify", "mic0:" ADDR_S ":3145828", "/tmp/ext/out");
	ASSERT_EQ(r.status, 0);
	/* the 100 bytes after the last whole block: buffered */
	EXPECT_HAS(r.out, "\"io\": \"direct\", \"direct_bytes\": 3145728,");
	EXPECT_HAS(r.out, "\"verified\": true}");
	expect_file("/tmp/ext/out", data, len);
	CP_RUN("--json", "--no-direct", "mic0:" ADDR_S ":3145828",
	       "/tmp/ext/out2");
	ASSERT_EQ(r.status, 0);
	EXPECT_HAS(r.out, "\"io\": \"buffered\", \"direct_bytes\": 0,");
	expect_file("/tmp/ext/out2", data, len);
	EXPECT_OK(umount("/tmp/ext"));
	free(data);
}

TEST_MAIN()
