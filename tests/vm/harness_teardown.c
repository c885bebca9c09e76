// SPDX-License-Identifier: GPL-2.0
/*
 * harness_teardown: the harness undoes what a case changed however the
 * case ends (tests/lib/tap.h, "Teardown").  Runs /bin/harness-teardown-
 * victim one failing case at a time, followed by a case that checks the
 * values: micmem's max_tickets and card0's fail_skip knob must be back to
 * what they were before the failing case (values this test set first, not
 * the defaults), and the sim card the failing case made must be gone.
 * The victim's failures are expected: this program checks its TAP output
 * and exit status, so only a teardown that does not work fails here.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "dma_util.h"

#define VICTIM	"/bin/harness-teardown-victim"
#define PARAM	PARAM_DIR "max_tickets"
#define SIM	"card0"
#define KNOB	"fail_skip"

/* Not the defaults (65536, 0): restoring a default would not do. */
#define PARAM_FOUND	"1234"
#define KNOB_FOUND	"7"

static char out[32768];

/* Sets the values the victim will find, restored after this case. */
static void set_found_values(void)
{
	tap_defer_restore_file(PARAM);
	ASSERT_OK(micsim_write(PARAM, PARAM_FOUND));
	micsim_defer_knob(SIM, KNOB);
	ASSERT_OK(micsim_knob_set(SIM, KNOB, KNOB_FOUND));
}

/*
 * Runs the victim's case @name and then its "sees_the_values_found";
 * returns its exit status, output in out[].
 */
static int run_victim(const char *name)
{
	char cmd[256];
	size_t n;
	FILE *f;
	int st;

	snprintf(cmd, sizeof(cmd),
		 "HT_PARAM_WANT=" PARAM_FOUND " HT_KNOB_WANT=" KNOB_FOUND
		 " " VICTIM " -t %s -t sees_the_values_found 2>&1", name);
	f = popen(cmd, "r");
	ASSERT_TRUE(f != NULL);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	st = pclose(f);
	ASSERT_TRUE(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static int has_line(const char *line)
{
	size_t n = strlen(line);
	const char *p = out;

	while ((p = strstr(p, line))) {
		if ((p == out || p[-1] == '\n') &&
		    (p[n] == '\n' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

#define EXPECT_LINE(l) do {						\
	if (!has_line(l))						\
		TAP_FAIL_(0, "victim output lacks the line \"%s\"", l);	\
} while (0)

#define EXPECT_TEXT(t) do {						\
	if (!strstr(out, t))						\
		TAP_FAIL_(0, "victim output lacks \"%s\"", t);		\
} while (0)

/* What every run must show: case 1 failed, case 2 saw the found values. */
static void check_run(const char *name, int status)
{
	char line[128];

	EXPECT_EQ(status, 1);
	EXPECT_LINE("1..2");
	snprintf(line, sizeof(line), "not ok 1 %s", name);
	EXPECT_LINE(line);
	EXPECT_LINE("ok 2 sees_the_values_found");
	EXPECT_LINE("# 1 of 2 cases failed");
	/* and so does this program, after the victim is gone */
	EXPECT_EQ(read_ll(PARAM), atoll(PARAM_FOUND));
	EXPECT_EQ(micsim_knob_get(SIM, KNOB), atoll(KNOB_FOUND));
	EXPECT_ERRNO(access(MICSIM_CONFIGFS "/ht_victim", F_OK), ENOENT);
	if (status != 1 || !has_line("ok 2 sees_the_values_found"))
		TH_LOG("victim output:\n%s", out);
}

TEST(failed_assert_restores_in_the_case)
{
	int st;

	set_found_values();
	st = run_victim("fails_an_assert");
	check_run("fails_an_assert", st);
	EXPECT_TEXT("expected read_ll(PARAM) == 4, got 3 vs 4");
	EXPECT_FALSE(strstr(out, "not reached"));
	/* the case's own process ran its teardown */
	EXPECT_FALSE(strstr(out, "by the runner"));
}

TEST(crash_is_restored_by_the_runner)
{
	int st;

	set_found_values();
	st = run_victim("crashes");
	check_run("crashes", st);
	EXPECT_LINE("# crashes: killed by signal 11 (Segmentation fault)");
	/* card: live=0 and rmdir; the knob; the parameter */
	EXPECT_LINE("# crashes: teardown of 4 actions by the runner");
	EXPECT_LINE("# teardown: write \"" KNOB_FOUND "\" to " MICSIM_DEBUGFS
		    "/" SIM "/" KNOB);
	EXPECT_LINE("# teardown: write \"" PARAM_FOUND "\" to " PARAM);
	EXPECT_LINE("# teardown: rmdir " MICSIM_CONFIGFS "/ht_victim");
}

TEST(abort_is_restored_by_the_runner)
{
	int st;

	set_found_values();
	st = run_victim("aborts");
	check_run("aborts", st);
	EXPECT_TEXT("# aborts: killed by signal 6");
	EXPECT_LINE("# aborts: teardown of 4 actions by the runner");
}

TEST(timeout_is_restored_by_the_runner)
{
	int st;

	set_found_values();
	st = run_victim("hangs");
	check_run("hangs", st);
	EXPECT_LINE("# hangs: timed out after 1 s");
	EXPECT_LINE("# hangs: teardown of 4 actions by the runner");
}

TEST_MAIN()
