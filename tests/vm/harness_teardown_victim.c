// SPDX-License-Identifier: GPL-2.0
/*
 * harness-teardown-victim: cases that change a module parameter, a sim
 * knob and a sim card, register their teardown (tests/lib/tap.h), and then
 * end badly on purpose: a failed ASSERT, a crash, a timeout.  Not a test
 * by itself: harness_teardown runs it case by case (-t) and checks what
 * the runner printed and what state the next case finds.
 *
 * Environment: HT_PARAM_WANT and HT_KNOB_WANT, the values the case
 * "sees_the_values_found" expects of micmem's max_tickets and of card0's
 * fail_skip knob.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "tap.h"
#include "dma_util.h"

#define PARAM	PARAM_DIR "max_tickets"
#define SIM	"card0"
#define KNOB	"fail_skip"
#define CARD	"ht_victim"

/* Changes all three, each with its teardown registered first. */
static void change_everything(void)
{
	tap_defer_restore_file(PARAM);
	ASSERT_OK(micsim_write(PARAM, "3"));
	micsim_defer_knob(SIM, KNOB);
	ASSERT_OK(micsim_knob_set(SIM, KNOB, "5"));
	micsim_defer_del(CARD);
	ASSERT_GE(micsim_add(CARD, "memsize_mb=64", NULL), 0);
	EXPECT_EQ(read_ll(PARAM), 3);
	EXPECT_EQ(micsim_knob_get(SIM, KNOB), 5);
}

TEST(fails_an_assert)
{
	change_everything();
	ASSERT_EQ(read_ll(PARAM), 4);	/* fails: it is 3 */
	TH_LOG("not reached");
}

TEST(crashes)
{
	change_everything();
	raise(SIGSEGV);
}

TEST(aborts)
{
	change_everything();
	abort();
}

TEST_TIMEOUT(hangs, 1)
{
	change_everything();
	pause();
}

TEST(sees_the_values_found)
{
	const char *p = getenv("HT_PARAM_WANT"), *k = getenv("HT_KNOB_WANT");
	char path[128];

	ASSERT_TRUE(p && k);
	EXPECT_EQ(read_ll(PARAM), atoll(p));
	EXPECT_EQ(micsim_knob_get(SIM, KNOB), atoll(k));
	snprintf(path, sizeof(path), MICSIM_CONFIGFS "/" CARD);
	EXPECT_ERRNO(access(path, F_OK), ENOENT);
}

TEST_MAIN()
