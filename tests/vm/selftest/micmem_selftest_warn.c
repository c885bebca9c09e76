// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test: loading this module logs a WARNING with a call trace,
 * exactly what a driver bug would produce.  The vm test "selftest_warn"
 * loads it and is registered with should_fail, so the suite only passes
 * while the kernel-log scan keeps catching such splats.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init micmem_selftest_warn_init(void)
{
	WARN(1, "micmem_selftest_warn: deliberate warning for the harness self-test\n");
	return 0;
}

static void __exit micmem_selftest_warn_exit(void)
{
}

module_init(micmem_selftest_warn_init);
module_exit(micmem_selftest_warn_exit);

MODULE_DESCRIPTION("micmem test harness self-test: WARN() on load");
MODULE_LICENSE("GPL");
