// SPDX-License-Identifier: GPL-2.0
/*
 * micctl (on libmicmem's card-state calls): the tool against two
 * simulated cards (vm-run 'cards': 2, with /bin/micctl and
 * /lib/firmware/micmem-test.elf): the full boot/reset/boot cycle, every
 * exit code, and the failure modes as a script sees them.  DMA is
 * checked after each boot when the driver offers it.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "card_util.h"

#define MICCTL	"/bin/micctl"

static char out[8192];

/* Run "micctl ARGS" through the shell; its exit status, output in out[]. */
static int micctl(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int micctl(const char *fmt, ...)
{
	char cmd[512];
	size_t n = 0;
	va_list ap;
	FILE *f;
	int st;

	n = snprintf(cmd, sizeof(cmd), MICCTL " ");
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - n, fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);

	f = popen(cmd, "r");
	ASSERT_TRUE(f != NULL);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	st = pclose(f);
	ASSERT_TRUE(WIFEXITED(st));
	TH_LOG("$ %s -> %d", cmd, WEXITSTATUS(st));
	return WEXITSTATUS(st);
}

#define EXPECT_OUT(s) do {						\
	if (!strstr(out, s))						\
		TAP_FAIL_(0, "output lacks \"%s\":\n%s", s, out);	\
} while (0)

static void all_ready(void)
{
	fast_params();
	card_to_ready(0);
	card_to_ready(1);
}

TEST(status_lists_the_cards)
{
	all_ready();
	ASSERT_EQ(micctl("status"), 0);
	EXPECT_OUT("CARD");
	EXPECT_OUT("mic0   ready");
	EXPECT_OUT("mic1   ready");
	EXPECT_OUT("8192 MiB");
	ASSERT_EQ(micctl("status mic1"), 0);
	EXPECT_TRUE(strstr(out, "mic0") == NULL);
}

/* ready -> boot -> online -> reset -> ready -> boot -> online, all cards */
TEST(full_cycle_with_micctl)
{
	struct dma_fd d;
	int dma, n;

	all_ready();
	dma = dma_open_both_cards(&d);

	ASSERT_EQ(micctl("boot " CARD_IMAGE), 0);
	EXPECT_OUT("mic0: online");
	EXPECT_OUT("mic1: online");
	for (n = 0; n < 2; n++) {
		EXPECT_STREQ(card_attr(n, "state"), "online");
		if (dma)
			dma_roundtrip(&d, n, 1);
	}
	ASSERT_EQ(micctl("wait online 5"), 0);

	ASSERT_EQ(micctl("reset"), 0);
	EXPECT_OUT("mic0: ready");
	EXPECT_OUT("mic1: ready");
	for (n = 0; n < 2; n++) {
		EXPECT_STREQ(card_attr(n, "state"), "ready");
		if (dma)
			dma_roundtrip(&d, n, 2);
	}

	/* the image is a firmware name, whatever the working directory */
	ASSERT_EQ(chdir("/bin"), 0);
	ASSERT_EQ(micctl("boot micmem-test.elf mic0 1"), 0);
	for (n = 0; n < 2; n++) {
		EXPECT_STREQ(card_attr(n, "state"), "online");
		EXPECT_STREQ(card_attr(n, "image"), CARD_IMAGE);
		if (dma)
			dma_roundtrip(&d, n, 3);
	}
	ASSERT_EQ(micctl("status"), 0);
	EXPECT_OUT("mic0   online        FF");
	EXPECT_OUT(CARD_IMAGE);
}

TEST(reset_of_a_ready_card_succeeds)
{
	long long resets;

	all_ready();
	resets = knob(0, "resets");
	ASSERT_EQ(micctl("reset mic0"), 0);
	EXPECT_OUT("mic0: already ready");
	EXPECT_EQ(knob(0, "resets"), resets);
	/* -f resets it anyway */
	ASSERT_EQ(micctl("-f reset mic0"), 0);
	EXPECT_EQ(knob(0, "resets"), resets + 1);
	ASSERT_EQ(micctl("shutdown mic0"), 0);
}

TEST(boot_of_a_non_elf_file_fails)
{
	all_ready();
	write_file(FIRMWARE_DIR "/micmem-not-elf", "just text\n", 10);
	ASSERT_EQ(micctl("boot micmem-not-elf mic1"), 1);
	EXPECT_OUT("mic1: boot failed: Exec format error\n");
	EXPECT_STREQ(card_attr(1, "state"), "boot failed");
	ASSERT_EQ(micctl("status mic1"), 0);
	EXPECT_OUT("boot failed   nA");
	EXPECT_OUT("(Exec format error)");
	/* a failed card needs a reset before the next boot */
	ASSERT_EQ(micctl("boot " CARD_IMAGE " mic1"), 1);
	EXPECT_OUT("refused: Input/output error");
	ASSERT_EQ(micctl("reset mic1"), 0);
	ASSERT_EQ(micctl("boot " CARD_IMAGE " mic1"), 0);
}

TEST(boot_of_a_busy_card_is_refused)
{
	all_ready();
	ASSERT_EQ(micctl("boot " CARD_IMAGE " mic0"), 0);
	ASSERT_EQ(micctl("boot " CARD_IMAGE " mic0"), 1);
	EXPECT_OUT("mic0: boot refused: Device or resource busy (state online)");
	/* the other card is not held back by it */
	ASSERT_EQ(micctl("boot " CARD_IMAGE " mic1"), 0);
}

TEST(wait_and_no_wait)
{
	all_ready();
	ASSERT_EQ(micctl("wait online 0.3 mic0"), 3);
	EXPECT_OUT("mic0: timed out, still ready");
	ASSERT_EQ(micctl("wait ready 1"), 0);

	ASSERT_EQ(micctl("-n boot " CARD_IMAGE " mic1"), 0);
	EXPECT_OUT("mic1: boot started");
	EXPECT_TRUE(card_in(1, "booting", "online"));
	ASSERT_EQ(micctl("wait online 5 mic1"), 0);
	ASSERT_EQ(micctl("-q -n reset mic1"), 0);
	EXPECT_STREQ(out, "");
	ASSERT_EQ(micctl("wait ready 5 1"), 0);
}

TEST(reset_failure_exit_code)
{
	all_ready();
	set_knob(0, "fail_reset", "100");
	ASSERT_EQ(micctl("-f reset mic0"), 1);
	EXPECT_OUT("mic0: reset failed: Input/output error\n");
	ASSERT_EQ(micctl("wait reset_failed 1 mic0"), 0);
	set_knob(0, "fail_reset", "0");
	ASSERT_EQ(micctl("reset mic0"), 0);
	EXPECT_STREQ(card_attr(0, "state"), "ready");
}

TEST(operation_timeout_exit_code)
{
	all_ready();
	set_knob(1, "fail_boot", "1");
	ASSERT_EQ(micctl("-t 0.3 boot " CARD_IMAGE " mic1"), 3);
	EXPECT_OUT("mic1: timed out, still booting");
	ASSERT_EQ(micctl("-f reset mic1"), 0);
}

TEST(lost_card)
{
	all_ready();
	set_knob(0, "vanish", "1");
	ASSERT_EQ(micctl("wait lost 3 mic0"), 0);
	ASSERT_EQ(micctl("status"), 0);
	EXPECT_OUT("mic0   lost          none");
	EXPECT_OUT("(No such device)");
	ASSERT_EQ(micctl("reset mic0"), 1);
	EXPECT_OUT("refused: No such device");
	set_knob(0, "vanish", "0");
	ASSERT_EQ(micctl("-f reset mic0"), 0);
	ASSERT_EQ(micctl("boot " CARD_IMAGE " mic0"), 0);

	/* the card falls off the bus while micctl waits for a boot */
	ASSERT_EQ(micctl("-f reset mic0"), 0);
	set_knob(0, "fail_boot", "1");
	ASSERT_EQ(system("(sleep 0.3; echo 1 > " MICSIM_DEBUGFS
			 "/card0/vanish) &"), 0);
	ASSERT_EQ(micctl("boot " CARD_IMAGE " mic0"), 1);
	EXPECT_OUT("mic0: boot failed: No such device (card lost)");
	set_knob(0, "vanish", "0");
	ASSERT_EQ(micctl("-f reset mic0"), 0);
}

TEST(usage_errors)
{
	ASSERT_EQ(micctl("%s", ""), 2);
	EXPECT_OUT("usage:");
	EXPECT_EQ(micctl("frobnicate"), 2);
	EXPECT_EQ(micctl("--bogus status"), 2);
	EXPECT_EQ(micctl("boot"), 2);
	EXPECT_EQ(micctl("wait"), 2);
	EXPECT_EQ(micctl("wait sleeping"), 2);
	EXPECT_EQ(micctl("wait online 1x"), 2);
	EXPECT_EQ(micctl("-t soon reset"), 2);
	EXPECT_EQ(micctl("status card0"), 2);
	EXPECT_OUT("not a card: card0 (micN, N or all)");
	EXPECT_EQ(micctl("status mic"), 2);
	EXPECT_EQ(micctl("status +0"), 2);
	EXPECT_EQ(micctl("status mic-1"), 2);
	EXPECT_EQ(micctl("status 2147483647"), 2);
	EXPECT_EQ(micctl("status 2147483646"), 4);
	EXPECT_EQ(micctl("status mic7"), 4);
	EXPECT_OUT("no card mic7");
	EXPECT_EQ(micctl("boot ''"), 2);
	EXPECT_OUT("boot: IMAGE is empty");
	all_ready();
	EXPECT_EQ(micctl("boot no-such-image mic0"), 1);
	EXPECT_OUT("mic0: boot refused: No such file or directory (state ready)");
	EXPECT_EQ(micctl("-h"), 0);
	EXPECT_OUT("exit status: 0 ok, 1 failed, 2 usage, 3 timeout, 4 no such card");
	EXPECT_EQ(micctl("status"), 0);
}

TEST(no_cards_at_all)
{
	/* libmicmem looks at MICMEM_SYSFS instead of /sys/class/mic if set */
	ASSERT_EQ(mkdir("/tmp/empty-class", 0755) && errno != EEXIST, 0);
	ASSERT_OK(setenv("MICMEM_SYSFS", "/tmp/empty-class", 1));
	ASSERT_EQ(micctl("status"), 4);
	EXPECT_OUT("no cards in /tmp/empty-class");
}

TEST_MAIN()
