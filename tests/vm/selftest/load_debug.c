// SPDX-License-Identifier: GPL-2.0
/*
 * Loads micmem_selftest_debug.ko with one deliberate bug (run with
 * -t <bug>).  Every case passes; on a debug kernel the run must still
 * fail, through the kernel-log or kmemleak scan of the VM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

#define DEBUG_KO	"/bin/micmem_selftest_debug.ko"

/*
 * A module that does not load commits no bug.  The case passes then as
 * well, so that the run has nothing to fail on and meson reports an
 * unexpected pass, instead of an "expected" failure for the wrong reason.
 */
static void load_module(const char *params)
{
	int fd = open(DEBUG_KO, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0))
		TH_LOG("cannot load %s %s: %s", DEBUG_KO, params,
		       strerror(errno));
	if (fd >= 0)
		close(fd);
}

TEST(kasan)
{
	load_module("bug=kasan");
}

TEST(lockdep)
{
	load_module("bug=lockdep");
}

TEST(atomic_sleep)
{
	load_module("bug=atomic_sleep");
}

TEST(kmemleak)
{
	load_module("bug=kmemleak");
}

TEST(dma_api)
{
	load_module("bug=dma_api");
}

TEST(ubsan)
{
	load_module("bug=ubsan");
}

TEST_MAIN()
