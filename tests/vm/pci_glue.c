// SPDX-License-Identifier: GPL-2.0
/*
 * pci_glue: the VM has no x100 device, so the PCI driver must register,
 * bind nothing, and load and unload cleanly (the kernel-log scan fails the
 * run on any warning).  Probing real hardware is out of reach here.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

#define DRV_DIR		"/sys/bus/pci/drivers/micmem"

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* PCI functions bound to the driver: its directory's 0000:bb:dd.f links */
static int bound_devices(void)
{
	struct dirent *de;
	int n = 0;
	DIR *dir;

	dir = opendir(DRV_DIR);
	if (!dir)
		return -1;
	while ((de = readdir(dir)))
		if (strchr(de->d_name, ':'))
			n++;
	closedir(dir);
	return n;
}

static int sh(const char *cmd)
{
	int ret = system(cmd);

	return ret == -1 ? -1 : WEXITSTATUS(ret);
}

TEST(driver_registered_and_binds_nothing)
{
	struct dirent *de;
	int pci = 0;
	DIR *dir;

	/* QEMU's own PCI devices are there: the driver saw and skipped them */
	dir = opendir("/sys/bus/pci/devices");
	ASSERT_TRUE(dir != NULL);
	while ((de = readdir(dir)))
		pci += de->d_name[0] != '.';
	closedir(dir);
	EXPECT_GT(pci, 0);

	ASSERT_TRUE(exists(DRV_DIR));
	/* the id table covers 8086:2250..225e */
	EXPECT_TRUE(exists(DRV_DIR "/new_id"));
	EXPECT_EQ(bound_devices(), 0);
}

TEST(module_unloads_and_loads_cleanly)
{
	int i;

	ASSERT_EQ(sh("rmmod micmem_sim"), 0);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(sh("rmmod micmem"), 0);
		EXPECT_FALSE(exists(DRV_DIR));
		EXPECT_FALSE(exists("/sys/class/mic"));
		EXPECT_FALSE(exists("/dev/mic/ctrl"));

		ASSERT_EQ(sh("insmod /lib/modules/micmem.ko health_ms=250"), 0);
		EXPECT_TRUE(exists(DRV_DIR));
		EXPECT_EQ(bound_devices(), 0);
		EXPECT_TRUE(exists("/sys/class/mic"));
		EXPECT_TRUE(exists("/dev/mic/ctrl"));
		EXPECT_TRUE(exists("/sys/module/micmem/parameters/reset_settle_ms"));
	}
	/* leave the VM as vm-run set it up */
	ASSERT_EQ(sh("insmod /lib/modules/micmem_sim.ko"), 0);
}

TEST_MAIN()
