// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/mic/micN attributes: card identity and management here, DMA
 * in dma_sysfs.c.  doc/sysfs-class-mic documents each one.  The core
 * creates the class device with the struct mic_x100 as drvdata.
 *
 * The class device is created after mic_x100_probe() and removed after
 * mic_x100_remove(), and the struct mic_x100 is freed after both, so the
 * card-management state is always initialised here; after removal the
 * callbacks find mgmt.removed and return -ENODEV.
 */
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "mgmt.h"
#include "x100.h"

static ssize_t family_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "x100\n");
}
static DEVICE_ATTR_RO(family);

static ssize_t bus_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct mic_x100 *card = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", card->hw->bus);
}
static DEVICE_ATTR_RO(bus);

static ssize_t stepping_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct mic_x100 *card = dev_get_drvdata(dev);
	const char *name = mic_stepping_name(card->hw->revision);

	return sysfs_emit(buf, "%s\n", name ? name : "unknown");
}
static DEVICE_ATTR_RO(stepping);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct mic_x100 *card = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", mic_state_name(READ_ONCE(card->state)));
}

/*
 * Commands, as the historical driver accepted them: "boot:elf:<name>"
 * (<name> a firmware name), "reset", "reset:force", "shutdown".  Other
 * boot modes of the old driver (linux, flash) are recognised and refused
 * with -EOPNOTSUPP.
 */
static ssize_t state_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct mic_x100 *card = dev_get_drvdata(dev);
	size_t len = count;
	char *cmd;
	int ret;

	if (len && buf[len - 1] == '\n')
		len--;
	cmd = kmemdup_nul(buf, len, GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;

	if (!strcmp(cmd, "reset"))
		ret = mic_x100_reset(card, false);
	else if (!strcmp(cmd, "reset:force"))
		ret = mic_x100_reset(card, true);
	else if (!strcmp(cmd, "shutdown"))
		ret = mic_x100_shutdown(card);
	else if (str_has_prefix(cmd, "boot:elf:"))
		ret = mic_x100_boot(card, cmd + strlen("boot:elf:"));
	else if (str_has_prefix(cmd, "boot:"))
		ret = -EOPNOTSUPP;
	else
		ret = -EINVAL;

	kfree(cmd);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(state);

static ssize_t post_code_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct mic_x100 *card = dev_get_drvdata(dev);
	char code[3];
	int ret;

	if (READ_ONCE(card->mgmt.removed))
		return -ENODEV;
	ret = mic_postcode_format(mic_postcode_read(card), code);
	if (ret)
		return ret;
	return sysfs_emit(buf, "%s\n", code);
}
static DEVICE_ATTR_RO(post_code);

static ssize_t memsize_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct mic_x100 *card = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", READ_ONCE(card->mgmt.memsize) >> 10);
}
static DEVICE_ATTR_RO(memsize);

static ssize_t last_error_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct mic_x100 *card = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%d\n", READ_ONCE(card->mgmt.last_error));
}
static DEVICE_ATTR_RO(last_error);

static ssize_t image_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct mic_x100 *card = dev_get_drvdata(dev);
	ssize_t ret;

	mutex_lock(&card->state_lock);
	ret = sysfs_emit(buf, "%s\n", card->mgmt.image ? card->mgmt.image : "");
	mutex_unlock(&card->state_lock);
	return ret;
}
static DEVICE_ATTR_RO(image);

static struct attribute *mic_x100_attrs[] = {
	&dev_attr_family.attr,
	&dev_attr_bus.attr,
	&dev_attr_stepping.attr,
	&dev_attr_state.attr,
	&dev_attr_post_code.attr,
	&dev_attr_memsize.attr,
	&dev_attr_last_error.attr,
	&dev_attr_image.attr,
	NULL,
};

static const struct attribute_group mic_x100_group = {
	.attrs = mic_x100_attrs,
};

const struct attribute_group *mic_x100_groups[] = {
	&mic_x100_group,
	&mic_dma_attr_group,
	&mic_dma_ch0_group,
	&mic_dma_ch1_group,
	NULL,
};
