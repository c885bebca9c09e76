// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/mic/micN/dma_window and the per-channel statistics in
 * /sys/class/mic/micN/dma0/ and dma1/ (doc/sysfs-class-mic).
 *
 * struct mic_dma is part of struct mic_x100, which outlives the class
 * device, so these callbacks never see freed memory, also during removal.
 */
#include <linux/capability.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "card.h"

static ssize_t dma_window_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct mic_x100 *card = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", mic_dma_window(card));
}

/*
 * Root may narrow (or widen again, up to the card memory size) the range
 * of card addresses DMA may touch.  A multiple of 64 bytes.
 */
static ssize_t dma_window_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t len)
{
	struct mic_x100 *card = dev_get_drvdata(dev);
	struct mic_dma *dma = &card->dma;
	ssize_t ret;
	u64 val;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = kstrtou64(buf, 0, &val);
	if (ret)
		return ret;
	if (val & (MICMEM_DMA_ALIGN - 1))
		return -EINVAL;

	mutex_lock(&dma->start_lock);
	if (dma->removed) {
		ret = -ENODEV;
	} else if (val > dma->memsize) {
		ret = -EINVAL;
	} else {
		WRITE_ONCE(dma->window, val);
		dma->window_set = true;
		ret = len;
	}
	mutex_unlock(&dma->start_lock);
	return ret;
}
static DEVICE_ATTR_RW(dma_window);

static struct attribute *mic_dma_attrs[] = {
	&dev_attr_dma_window.attr,
	NULL,
};

const struct attribute_group mic_dma_attr_group = {
	.attrs = mic_dma_attrs,
};

/* A per-channel counter: which channel, which field of mic_dma_stats. */
struct mic_dma_stat_attr {
	struct device_attribute attr;
	unsigned int ch;
	size_t off;
};

static ssize_t mic_dma_stat_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct mic_dma_stat_attr *sa = container_of(attr,
						     struct mic_dma_stat_attr,
						     attr);
	struct mic_x100 *card = dev_get_drvdata(dev);
	struct mic_dma_chan *chan = &card->dma.chan[sa->ch];
	u64 val, busy_since = 0;
	bool busy;

	spin_lock_irq(&chan->lock);
	val = *(u64 *)((char *)&chan->stats + sa->off);
	busy = !list_empty(&chan->inflight);
	if (busy)
		busy_since = chan->busy_since;
	spin_unlock_irq(&chan->lock);
	/* count the busy period in progress too */
	if (sa->off == offsetof(struct mic_dma_stats, busy_ns) && busy)
		val += ktime_get_ns() - busy_since;
	return sysfs_emit(buf, "%llu\n", val);
}

#define MIC_DMA_STAT(_ch, _field) {					\
	.attr = {							\
		.attr = { .name = #_field, .mode = 0444 },		\
		.show = mic_dma_stat_show,				\
	},								\
	.ch = _ch,							\
	.off = offsetof(struct mic_dma_stats, _field),			\
}

static struct mic_dma_stat_attr mic_dma_stats[MIC_DMA_NR_CHANS][5] = {
	{
		MIC_DMA_STAT(0, descriptors), MIC_DMA_STAT(0, bytes),
		MIC_DMA_STAT(0, batches), MIC_DMA_STAT(0, errors),
		MIC_DMA_STAT(0, busy_ns),
	}, {
		MIC_DMA_STAT(1, descriptors), MIC_DMA_STAT(1, bytes),
		MIC_DMA_STAT(1, batches), MIC_DMA_STAT(1, errors),
		MIC_DMA_STAT(1, busy_ns),
	},
};

static struct attribute *mic_dma_ch0_attrs[] = {
	&mic_dma_stats[0][0].attr.attr, &mic_dma_stats[0][1].attr.attr,
	&mic_dma_stats[0][2].attr.attr, &mic_dma_stats[0][3].attr.attr,
	&mic_dma_stats[0][4].attr.attr, NULL,
};

static struct attribute *mic_dma_ch1_attrs[] = {
	&mic_dma_stats[1][0].attr.attr, &mic_dma_stats[1][1].attr.attr,
	&mic_dma_stats[1][2].attr.attr, &mic_dma_stats[1][3].attr.attr,
	&mic_dma_stats[1][4].attr.attr, NULL,
};

const struct attribute_group mic_dma_ch0_group = {
	.name = "dma0",
	.attrs = mic_dma_ch0_attrs,
};

const struct attribute_group mic_dma_ch1_group = {
	.name = "dma1",
	.attrs = mic_dma_ch1_attrs,
};
