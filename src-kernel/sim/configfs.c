// SPDX-License-Identifier: GPL-2.0
/*
 * configfs: /sys/kernel/config/micmem_sim/<name> describes one card.
 * Attributes are typed and validated when written, read-only (-EBUSY)
 * while the card is live; "live" 1 brings the card up and returns the
 * probe's error to the writer, "live" 0 and rmdir take it down.
 *
 * The attribute list is the core table below followed by the models'
 * tables (sim_boot_cfg_attrs, sim_dma_cfg_attrs), joined at module init.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

#define SIM_MEMSIZE_MB_DEFAULT	8192
#define SIM_MEMSIZE_MB_MIN	64
#define SIM_MEMSIZE_MB_MAX	16384
#define SIM_DEVICE_ID_DEFAULT	0x225d
#define SIM_DEVICE_ID_MIN	0x2250
#define SIM_DEVICE_ID_MAX	0x225e

static struct sim_card *to_sim_card(struct config_item *item)
{
	return container_of(to_config_group(item), struct sim_card, group);
}

ssize_t sim_cfg_show_u32(struct config_item *item, char *page, size_t off)
{
	struct sim_card *card = to_sim_card(item);
	u32 val;

	mutex_lock(&card->cfg_lock);
	val = *(u32 *)((char *)card + off);
	mutex_unlock(&card->cfg_lock);
	return sysfs_emit(page, "%u\n", val);
}

ssize_t sim_cfg_store_u32(struct config_item *item, const char *page,
			  size_t len, size_t off, u32 min, u32 max)
{
	struct sim_card *card = to_sim_card(item);
	ssize_t ret;
	u32 val;

	mutex_lock(&card->cfg_lock);
	if (card->live) {
		ret = -EBUSY;
		goto out;
	}
	/* Out of range for u32 (-ERANGE) is just as invalid. */
	if (kstrtou32(page, 0, &val) || val < min || val > max) {
		ret = -EINVAL;
		goto out;
	}
	*(u32 *)((char *)card + off) = val;
	ret = len;
out:
	mutex_unlock(&card->cfg_lock);
	return ret;
}

/*
 * The speed attributes of the engine: any time, also while live; the
 * engine reads them with READ_ONCE() and is told of the change.
 */
ssize_t sim_cfg_store_u32_live(struct config_item *item, const char *page,
			       size_t len, size_t off, u32 min, u32 max)
{
	struct sim_card *card = to_sim_card(item);
	u32 val;

	/* Out of range for u32 (-ERANGE) is just as invalid. */
	if (kstrtou32(page, 0, &val) || val < min || val > max)
		return -EINVAL;
	mutex_lock(&card->cfg_lock);
	WRITE_ONCE(*(u32 *)((char *)card + off), val);
	if (card->live)
		sim_dma_cfg_changed(card);
	mutex_unlock(&card->cfg_lock);
	return len;
}

ssize_t sim_cfg_show_enum(struct config_item *item, char *page, size_t off,
			  const char *const *names)
{
	struct sim_card *card = to_sim_card(item);
	u32 val;

	mutex_lock(&card->cfg_lock);
	val = *(u32 *)((char *)card + off);
	mutex_unlock(&card->cfg_lock);
	return sysfs_emit(page, "%s\n", names[val]);
}

ssize_t sim_cfg_store_enum(struct config_item *item, const char *page,
			   size_t len, size_t off, const char *const *names)
{
	struct sim_card *card = to_sim_card(item);
	ssize_t ret = -EINVAL;
	u32 i;

	mutex_lock(&card->cfg_lock);
	if (card->live) {
		ret = -EBUSY;
		goto out;
	}
	for (i = 0; names[i]; i++) {
		if (sysfs_streq(page, names[i])) {
			*(u32 *)((char *)card + off) = i;
			ret = len;
			break;
		}
	}
out:
	mutex_unlock(&card->cfg_lock);
	return ret;
}

SIM_CFG_ATTR_U32(memsize_mb, memsize_mb, SIM_MEMSIZE_MB_MIN,
		 SIM_MEMSIZE_MB_MAX);

/*
 * The store of an attribute that is not a plain u32 range: -EBUSY while
 * the card is live, else @parse sets it from @page under cfg_lock and
 * returns 0 or -EINVAL.
 */
static ssize_t sim_cfg_store(struct config_item *item, const char *page,
			     size_t len,
			     int (*parse)(struct sim_card *card,
					  const char *page))
{
	struct sim_card *card = to_sim_card(item);
	int ret;

	mutex_lock(&card->cfg_lock);
	ret = card->live ? -EBUSY : parse(card, page);
	mutex_unlock(&card->cfg_lock);
	return ret ? ret : len;
}

static ssize_t sim_cfg_stepping_show(struct config_item *item, char *page)
{
	struct sim_card *card = to_sim_card(item);
	const char *name = "?";
	unsigned int i;

	mutex_lock(&card->cfg_lock);
	for (i = 0; i < SIM_NR_STEPPINGS; i++)
		if (sim_steppings[i].revision == card->revision)
			name = sim_steppings[i].name;
	mutex_unlock(&card->cfg_lock);
	return sysfs_emit(page, "%s\n", name);
}

static int sim_cfg_stepping_parse(struct sim_card *card, const char *page)
{
	unsigned int i;

	for (i = 0; i < SIM_NR_STEPPINGS; i++) {
		if (sysfs_streq(page, sim_steppings[i].name)) {
			card->revision = sim_steppings[i].revision;
			return 0;
		}
	}
	return -EINVAL;
}

static ssize_t sim_cfg_stepping_store(struct config_item *item,
				      const char *page, size_t len)
{
	return sim_cfg_store(item, page, len, sim_cfg_stepping_parse);
}
CONFIGFS_ATTR(sim_cfg_, stepping);

static ssize_t sim_cfg_device_id_show(struct config_item *item, char *page)
{
	struct sim_card *card = to_sim_card(item);
	u16 id;

	mutex_lock(&card->cfg_lock);
	id = card->device_id;
	mutex_unlock(&card->cfg_lock);
	return sysfs_emit(page, "0x%04x\n", id);
}

static int sim_cfg_device_id_parse(struct sim_card *card, const char *page)
{
	u16 id;

	if (kstrtou16(page, 0, &id) || id < SIM_DEVICE_ID_MIN ||
	    id > SIM_DEVICE_ID_MAX)
		return -EINVAL;
	card->device_id = id;
	return 0;
}

static ssize_t sim_cfg_device_id_store(struct config_item *item,
				       const char *page, size_t len)
{
	return sim_cfg_store(item, page, len, sim_cfg_device_id_parse);
}
CONFIGFS_ATTR(sim_cfg_, device_id);

static ssize_t sim_cfg_vectors_show(struct config_item *item, char *page)
{
	return sim_cfg_show_u32(item, page, offsetof(struct sim_card, vectors));
}

/*
 * MSI-X (MICMEM_HW_VECTORS) or one MSI vector: what the PCI glue got from
 * the platform decides which interrupt path the driver takes.
 */
static int sim_cfg_vectors_parse(struct sim_card *card, const char *page)
{
	u32 nr;

	if (kstrtou32(page, 0, &nr) || (nr != 1 && nr != MICMEM_HW_VECTORS))
		return -EINVAL;
	card->vectors = nr;
	return 0;
}

static ssize_t sim_cfg_vectors_store(struct config_item *item,
				     const char *page, size_t len)
{
	return sim_cfg_store(item, page, len, sim_cfg_vectors_parse);
}
CONFIGFS_ATTR(sim_cfg_, vectors);

static ssize_t sim_cfg_card_show(struct config_item *item, char *page)
{
	struct sim_card *card = to_sim_card(item);
	int nr;

	mutex_lock(&card->cfg_lock);
	nr = card->card_nr;
	mutex_unlock(&card->cfg_lock);
	return sysfs_emit(page, "%d\n", nr);
}
CONFIGFS_ATTR_RO(sim_cfg_, card);

static ssize_t sim_cfg_live_show(struct config_item *item, char *page)
{
	struct sim_card *card = to_sim_card(item);
	bool live;

	mutex_lock(&card->cfg_lock);
	live = card->live;
	mutex_unlock(&card->cfg_lock);
	return sysfs_emit(page, "%d\n", live);
}

/* Writing the state the card is already in is a successful no-op. */
static ssize_t sim_cfg_live_store(struct config_item *item, const char *page,
				  size_t len)
{
	struct sim_card *card = to_sim_card(item);
	bool live;
	int ret = 0;

	if (kstrtobool(page, &live))
		return -EINVAL;

	mutex_lock(&card->cfg_lock);
	if (live && !card->live)
		ret = sim_card_online(card);
	else if (!live && card->live)
		sim_card_offline(card);
	mutex_unlock(&card->cfg_lock);
	return ret ? ret : len;
}
CONFIGFS_ATTR(sim_cfg_, live);

static struct configfs_attribute *sim_core_cfg_attrs[] = {
	&sim_cfg_attr_memsize_mb,
	&sim_cfg_attr_stepping,
	&sim_cfg_attr_device_id,
	&sim_cfg_attr_vectors,
	&sim_cfg_attr_card,
	&sim_cfg_attr_live,
	NULL,
};

static void sim_card_release(struct config_item *item)
{
	struct sim_card *card = to_sim_card(item);

	mutex_destroy(&card->knob_lock);
	mutex_destroy(&card->cfg_lock);
	kfree(card);
}

static struct configfs_item_operations sim_card_item_ops = {
	.release	= sim_card_release,
};

/* ct_attrs is filled by sim_configfs_init() */
static struct config_item_type sim_card_type = {
	.ct_item_ops	= &sim_card_item_ops,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *sim_make_group(struct config_group *group,
					   const char *name)
{
	struct sim_card *card;

	card = kzalloc(sizeof(*card), GFP_KERNEL);
	if (!card)
		return ERR_PTR(-ENOMEM);

	mutex_init(&card->cfg_lock);
	mutex_init(&card->knob_lock);
	INIT_LIST_HEAD(&card->knob_files);
	card->memsize_mb = SIM_MEMSIZE_MB_DEFAULT;
	card->revision = SIM_REVISION_DEFAULT;
	card->device_id = SIM_DEVICE_ID_DEFAULT;
	card->vectors = MICMEM_HW_VECTORS;
	card->card_nr = -1;
	sim_boot_cfg_init(card);
	sim_dma_cfg_init(card);

	config_group_init_type_name(&card->group, name, &sim_card_type);
	return &card->group;
}

/* rmdir: a live card goes offline first (rmdir cannot fail). */
static void sim_drop_item(struct config_group *group, struct config_item *item)
{
	struct sim_card *card = to_sim_card(item);

	mutex_lock(&card->cfg_lock);
	if (card->live)
		sim_card_offline(card);
	mutex_unlock(&card->cfg_lock);
	config_item_put(item);
}

static struct configfs_group_operations sim_group_ops = {
	.make_group	= sim_make_group,
	.drop_item	= sim_drop_item,
};

static const struct config_item_type sim_subsys_type = {
	.ct_group_ops	= &sim_group_ops,
	.ct_owner	= THIS_MODULE,
};

static struct configfs_subsystem sim_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf	= SIM_DRV_NAME,
			.ci_type	= &sim_subsys_type,
		},
	},
};

static struct configfs_attribute **sim_card_attrs;

static unsigned int sim_attrs_count(struct configfs_attribute **attrs)
{
	unsigned int n = 0;

	while (attrs[n])
		n++;
	return n;
}

/* Join the core and model attribute tables into one NULL-terminated list. */
static int sim_card_attrs_build(void)
{
	struct configfs_attribute **tables[] = {
		sim_core_cfg_attrs, sim_boot_cfg_attrs, sim_dma_cfg_attrs,
	};
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(tables); i++)
		n += sim_attrs_count(tables[i]);
	sim_card_attrs = kcalloc(n + 1, sizeof(*sim_card_attrs), GFP_KERNEL);
	if (!sim_card_attrs)
		return -ENOMEM;
	n = 0;
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		unsigned int k = sim_attrs_count(tables[i]);

		memcpy(&sim_card_attrs[n], tables[i], k * sizeof(*tables[i]));
		n += k;
	}
	sim_card_type.ct_attrs = sim_card_attrs;
	return 0;
}

int sim_configfs_init(void)
{
	int ret;

	ret = sim_card_attrs_build();
	if (ret)
		return ret;

	config_group_init(&sim_subsys.su_group);
	mutex_init(&sim_subsys.su_mutex);
	ret = configfs_register_subsystem(&sim_subsys);
	if (ret)
		goto err_attrs;
	return 0;

err_attrs:
	mutex_destroy(&sim_subsys.su_mutex);
	kfree(sim_card_attrs);
	return ret;
}

/* Cards pin the module (configfs holds a reference per directory). */
void sim_configfs_exit(void)
{
	configfs_unregister_subsystem(&sim_subsys);
	mutex_destroy(&sim_subsys.su_mutex);
	kfree(sim_card_attrs);
}
