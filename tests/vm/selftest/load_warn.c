// SPDX-License-Identifier: GPL-2.0
/*
 * Loads micmem_selftest_warn.ko, whose init WARN()s.  Every case here
 * passes; the test must still fail, through the kernel-log scan.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

#define WARN_KO	"/bin/micmem_selftest_warn.ko"

TEST(load_module_that_warns)
{
	int fd = open(WARN_KO, O_RDONLY | O_CLOEXEC);

	ASSERT_OK(fd);
	ASSERT_OK(syscall(SYS_finit_module, fd, "", 0));
	close(fd);
}

TEST_MAIN()
