// SPDX-License-Identifier: GPL-2.0
/*
 * Debug-lane self-test: loading this module with bug=NAME commits one
 * deliberate bug of the kind a debug-kernel checker exists for.  The vm
 * tests selftest_<NAME> load it and are registered with should_fail (on a
 * debug kernel only), so the lane passes only while every checker is
 * built in, instruments out-of-tree modules, and is caught by the VM's
 * kernel-log or kmemleak scan.
 *
 *   kasan         read of a freed kmalloc object
 *   lockdep       two mutexes taken in both orders
 *   atomic_sleep  might_sleep() under a spinlock
 *   kmemleak      a kmalloc object whose only pointer is dropped
 *   dma_api       unmap of a DMA address that was never mapped
 *   ubsan         an int shifted by more than its width
 *
 * The module loads whatever the outcome; a bug the kernel lets pass is
 * what the test must notice.
 */
#include <linux/compiler.h>
#include <linux/dma-mapping.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *bug = "";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "kasan, lockdep, atomic_sleep, kmemleak, dma_api or ubsan");

static noinline void selftest_kasan(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	/* keep the compiler from seeing the use after free */
	OPTIMIZER_HIDE_VAR(p);
	pr_info("micmem_selftest_debug: freed byte %d\n", READ_ONCE(p[8]));
}

static DEFINE_MUTEX(selftest_a);
static DEFINE_MUTEX(selftest_b);

static noinline void selftest_lockdep(void)
{
	mutex_lock(&selftest_a);
	mutex_lock(&selftest_b);
	mutex_unlock(&selftest_b);
	mutex_unlock(&selftest_a);

	mutex_lock(&selftest_b);
	mutex_lock(&selftest_a);
	mutex_unlock(&selftest_a);
	mutex_unlock(&selftest_b);
}

static DEFINE_SPINLOCK(selftest_spin);

static noinline void selftest_atomic_sleep(void)
{
	spin_lock(&selftest_spin);
	might_sleep();
	spin_unlock(&selftest_spin);
}

static noinline void selftest_kmemleak(void)
{
	/* the only pointer to the object is dropped at once */
	if (!kmalloc(128, GFP_KERNEL))
		pr_warn("micmem_selftest_debug: nothing to leak\n");
}

static noinline void selftest_dma_api(void)
{
	struct platform_device *pdev;

	pdev = platform_device_register_simple("micmem_selftest_dma",
					       PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(pdev))
		return;
	if (!dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64)))
		dma_unmap_single(&pdev->dev, 0x100000, 64, DMA_TO_DEVICE);
	platform_device_unregister(pdev);
}

static noinline void selftest_ubsan(void)
{
	unsigned int shift = 40;

	OPTIMIZER_HIDE_VAR(shift);
	pr_info("micmem_selftest_debug: 1 << %u is %d\n", shift, 1 << shift);
}

static int __init micmem_selftest_debug_init(void)
{
	if (!strcmp(bug, "kasan"))
		selftest_kasan();
	else if (!strcmp(bug, "lockdep"))
		selftest_lockdep();
	else if (!strcmp(bug, "atomic_sleep"))
		selftest_atomic_sleep();
	else if (!strcmp(bug, "kmemleak"))
		selftest_kmemleak();
	else if (!strcmp(bug, "dma_api"))
		selftest_dma_api();
	else if (!strcmp(bug, "ubsan"))
		selftest_ubsan();
	else
		return -EINVAL;
	return 0;
}

static void __exit micmem_selftest_debug_exit(void)
{
}

module_init(micmem_selftest_debug_init);
module_exit(micmem_selftest_debug_exit);

MODULE_DESCRIPTION("micmem debug-lane self-test: one deliberate bug per checker");
MODULE_LICENSE("GPL");
