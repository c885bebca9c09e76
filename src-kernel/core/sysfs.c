// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/mic/micN attributes.  doc/sysfs-class-mic documents each one.
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "micmem.h"

static ssize_t family_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "x100\n");
}
static DEVICE_ATTR_RO(family);

static ssize_t bus_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct micmem_card *card = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", card->hw ? card->hw->bus : "none");
}
static DEVICE_ATTR_RO(bus);

static struct attribute *micmem_card_attrs[] = {
	&dev_attr_family.attr,
	&dev_attr_bus.attr,
	NULL,
};

static const struct attribute_group micmem_card_group = {
	.attrs = micmem_card_attrs,
};

const struct attribute_group *micmem_card_groups[] = {
	&micmem_card_group,
	NULL,
};
