// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/micmem_sim/<name>/, present while the card
 * is live.  Counters are the ground truth tests check; knobs change how
 * the card behaves.
 *
 *   mmio          every register with a non-zero counter, one per line:
 *                 "<NAME> 0x<offset> reads <r> writes <w>"
 *   mmio_reset    write anything: zero the MMIO counters
 *   mmio_reads, mmio_writes   totals over all registers
 *   mmio_bad      accesses at unaligned or out-of-range offsets
 *   interrupts    interrupts delivered (all vectors)
 *   interrupts_vector<v>      per vector
 *   msi_armed     one vector: 1 while the card may send a message, 0 while
 *                 it waits for a SICE0 write (B0+ erratum, see irq.c)
 *   interrupt_storms          one vector: re-sends the sim refused because
 *                 the handler kept re-enabling unacknowledged sources
 *   irq_wait_sice, irq_wait_siac   B0+: masks of the DMA sources that
 *                 fired and wait for their re-arm by a SICE0 write and,
 *                 with MSI-X, a SIAC0 write (see irq.c)
 *   spurious_irq  write a vector: the card sends it with no source pending
 *   injected_spurious_irq     how many spurious_irq sent
 *   mem_pages     card memory allocated so far, in 4 KiB pages
 *   mem_huge_fail_next        the next N 2 MiB card memory allocations
 *                 fail: those chunks fall back to 4 KiB pages (see mem.c)
 *   injected_mem_huge_fail    how many mem_huge_fail_next failed
 *   vanish        1: the card fell off the bus (reads all-ones, writes and
 *                 interrupts lost, models stop); 0: registers respond again
 *   peek_offset   register offset for peek and poke
 *   peek          what a host read of that register returns now
 *   poke          write: a host write of the value to that register, with
 *                 its side effects (peek and poke are not counted)
 *   raise         write: the card raises these SICR0 sources
 * Models add their own knobs with sim_knobs_add().
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sim.h"

static struct dentry *sim_debugfs_root;

/* One knob file: which card, which knob. */
struct sim_knob_file {
	struct list_head node;
	struct sim_card *card;
	const struct sim_knob *knob;
};

static ssize_t sim_knob_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct sim_knob_file *kf = file->private_data;
	struct sim_card *card = kf->card;
	char buf[32];
	u64 val;
	int ret;
	int n;

	if (!kf->knob->get)
		return -EPERM;
	/*
	 * One value per open read: a reader that comes back for more after
	 * the first chunk gets end of file, not the tail of a value read
	 * again (a register may have changed length in between).
	 */
	if (*ppos)
		return 0;
	mutex_lock(&card->knob_lock);
	ret = card->knobs_live ? kf->knob->get(card, kf->knob->arg, &val) :
				 -ENODEV;
	mutex_unlock(&card->knob_lock);
	if (ret)
		return ret;
	n = scnprintf(buf, sizeof(buf), "%llu\n", val);
	return simple_read_from_buffer(ubuf, count, ppos, buf, n);
}

static ssize_t sim_knob_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct sim_knob_file *kf = file->private_data;
	struct sim_card *card = kf->card;
	u64 val;
	int ret;

	if (!kf->knob->set)
		return -EPERM;
	ret = kstrtou64_from_user(ubuf, count, 0, &val);
	if (ret)
		return ret == -ERANGE ? -EINVAL : ret;
	mutex_lock(&card->knob_lock);
	ret = card->knobs_live ? kf->knob->set(card, kf->knob->arg, val) :
				 -ENODEV;
	mutex_unlock(&card->knob_lock);
	return ret ? ret : count;
}

static const struct file_operations sim_knob_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= sim_knob_read,
	.write	= sim_knob_write,
	.llseek	= default_llseek,
};

int sim_knobs_add(struct sim_card *card, const struct sim_knob *knobs,
		  unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct sim_knob_file *kf;
		umode_t mode = 0;

		kf = kzalloc(sizeof(*kf), GFP_KERNEL);
		if (!kf)
			return -ENOMEM;
		kf->card = card;
		kf->knob = &knobs[i];
		list_add(&kf->node, &card->knob_files);
		if (knobs[i].get)
			mode |= 0400;
		if (knobs[i].set)
			mode |= 0200;
		debugfs_create_file(knobs[i].name, mode, card->debugfs, kf,
				    &sim_knob_fops);
	}
	return 0;
}

/* Knob callbacks run only between sim_knobs_enable(true) and (false). */
void sim_knobs_enable(struct sim_card *card, bool on)
{
	mutex_lock(&card->knob_lock);
	card->knobs_live = on;
	mutex_unlock(&card->knob_lock);
}

/* The plain-field accessors of SIM_KNOB_U32/U32_RO/U64_RO (sim.h). */
static void *sim_knob_field(struct sim_card *card, unsigned long off)
{
	return (char *)card + off;
}

int sim_knob_u32_get(struct sim_card *card, unsigned long off, u64 *val)
{
	unsigned long flags;

	spin_lock_irqsave(&card->reg_lock, flags);
	*val = *(u32 *)sim_knob_field(card, off);
	spin_unlock_irqrestore(&card->reg_lock, flags);
	return 0;
}

int sim_knob_u32_set(struct sim_card *card, unsigned long off, u64 val)
{
	unsigned long flags;

	if (val > U32_MAX)
		return -EINVAL;
	spin_lock_irqsave(&card->reg_lock, flags);
	*(u32 *)sim_knob_field(card, off) = val;
	spin_unlock_irqrestore(&card->reg_lock, flags);
	return 0;
}

int sim_knob_u64_get(struct sim_card *card, unsigned long off, u64 *val)
{
	unsigned long flags;

	spin_lock_irqsave(&card->reg_lock, flags);
	*val = *(u64 *)sim_knob_field(card, off);
	spin_unlock_irqrestore(&card->reg_lock, flags);
	return 0;
}

static int sim_mmio_show(struct seq_file *m, void *unused)
{
	struct sim_card *card = m->private;
	char name[24];
	u32 i;

	for (i = 0; i < SIM_NR_REGS; i++) {
		u64 r = READ_ONCE(card->mmio_reads[i]);
		u64 w = READ_ONCE(card->mmio_writes[i]);

		if (!r && !w)
			continue;
		sim_reg_name(i * 4, name, sizeof(name));
		seq_printf(m, "%s 0x%05x reads %llu writes %llu\n",
			   name, i * 4, r, w);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_mmio);

static u64 sim_sum(const u64 *v, unsigned int n)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += READ_ONCE(v[i]);
	return sum;
}

static int sim_mmio_reset_set(struct sim_card *card, unsigned long arg,
			      u64 val)
{
	unsigned long flags;

	spin_lock_irqsave(&card->reg_lock, flags);
	memset(card->mmio_reads, 0, SIM_NR_REGS * sizeof(u64));
	memset(card->mmio_writes, 0, SIM_NR_REGS * sizeof(u64));
	card->mmio_bad = 0;
	spin_unlock_irqrestore(&card->reg_lock, flags);
	return 0;
}

/* Totals: arg selects the counter array (SIM_TOTAL_*). */
enum { SIM_TOTAL_READS, SIM_TOTAL_WRITES, SIM_TOTAL_IRQS };

static int sim_total_get(struct sim_card *card, unsigned long arg, u64 *val)
{
	switch (arg) {
	case SIM_TOTAL_READS:
		*val = sim_sum(card->mmio_reads, SIM_NR_REGS);
		break;
	case SIM_TOTAL_WRITES:
		*val = sim_sum(card->mmio_writes, SIM_NR_REGS);
		break;
	default:
		*val = sim_sum(card->irq_count, MICMEM_HW_VECTORS);
		break;
	}
	return 0;
}

static int sim_mem_pages_get(struct sim_card *card, unsigned long arg,
			     u64 *val)
{
	*val = atomic_long_read(&card->mem_pages);
	return 0;
}

static int sim_vanish_get(struct sim_card *card, unsigned long arg, u64 *val)
{
	*val = sim_card_vanished(card);
	return 0;
}

static int sim_vanish_set(struct sim_card *card, unsigned long arg, u64 val)
{
	unsigned long flags;

	if (val > 1)
		return -EINVAL;
	spin_lock_irqsave(&card->reg_lock, flags);
	WRITE_ONCE(card->vanished, val);
	spin_unlock_irqrestore(&card->reg_lock, flags);
	return 0;
}

static int sim_peek_offset_get(struct sim_card *card, unsigned long arg,
			       u64 *val)
{
	*val = card->peek_offset;
	return 0;
}

static int sim_peek_offset_set(struct sim_card *card, unsigned long arg,
			       u64 val)
{
	if (val >= MIC_X100_MMIO_SIZE || val & 3)
		return -EINVAL;
	card->peek_offset = val;
	return 0;
}

static int sim_peek_get(struct sim_card *card, unsigned long arg, u64 *val)
{
	*val = sim_reg_peek(card, card->peek_offset);
	return 0;
}

static int sim_poke_set(struct sim_card *card, unsigned long arg, u64 val)
{
	if (val > U32_MAX)
		return -EINVAL;
	sim_reg_poke(card, card->peek_offset, val);
	return 0;
}

static int sim_raise_set(struct sim_card *card, unsigned long arg, u64 val)
{
	if (val > U32_MAX)
		return -EINVAL;
	sim_raise_interrupt(card, val);
	return 0;
}

static const struct sim_knob sim_core_knobs[] = {
	{ "mmio_reset", NULL, sim_mmio_reset_set },
	{ "mmio_reads", sim_total_get, NULL, SIM_TOTAL_READS },
	{ "mmio_writes", sim_total_get, NULL, SIM_TOTAL_WRITES },
	SIM_KNOB_U64_RO("mmio_bad", mmio_bad),
	{ "interrupts", sim_total_get, NULL, SIM_TOTAL_IRQS },
	SIM_KNOB_U64_RO("interrupts_vector0", irq_count[0]),
	SIM_KNOB_U64_RO("interrupts_vector1", irq_count[1]),
	SIM_KNOB_U64_RO("interrupts_vector2", irq_count[2]),
	SIM_KNOB_U32_RO("msi_armed", irq_armed),
	SIM_KNOB_U64_RO("interrupt_storms", irq_storms),
	SIM_KNOB_U32_RO("irq_wait_sice", irq_wait_sice),
	SIM_KNOB_U32_RO("irq_wait_siac", irq_wait_siac),
	{ "spurious_irq", NULL, sim_irq_spurious },
	SIM_KNOB_U64_RO("injected_spurious_irq", injected_spurious_irq),
	{ "mem_pages", sim_mem_pages_get, NULL },
	SIM_KNOB_U32("mem_huge_fail_next", mem_huge_fail_next),
	SIM_KNOB_U64_RO("injected_mem_huge_fail", injected_mem_huge_fail),
	{ "vanish", sim_vanish_get, sim_vanish_set },
	{ "peek_offset", sim_peek_offset_get, sim_peek_offset_set },
	{ "peek", sim_peek_get, NULL },
	{ "poke", NULL, sim_poke_set },
	{ "raise", NULL, sim_raise_set },
};

static_assert(MICMEM_HW_VECTORS == 3);

int sim_debugfs_card_add(struct sim_card *card)
{
	card->debugfs = debugfs_create_dir(sim_card_name(card),
					   sim_debugfs_root);
	debugfs_create_file("mmio", 0400, card->debugfs, card,
			    &sim_mmio_fops);
	return sim_knobs_add(card, sim_core_knobs,
			     ARRAY_SIZE(sim_core_knobs));
}

/* Removal waits for running file operations (debugfs file proxies). */
void sim_debugfs_card_remove(struct sim_card *card)
{
	struct sim_knob_file *kf, *tmp;

	debugfs_remove_recursive(card->debugfs);
	card->debugfs = NULL;
	list_for_each_entry_safe(kf, tmp, &card->knob_files, node) {
		list_del(&kf->node);
		kfree(kf);
	}
}

int sim_debugfs_init(void)
{
	sim_debugfs_root = debugfs_create_dir(SIM_DRV_NAME, NULL);
	return 0;
}

void sim_debugfs_exit(void)
{
	debugfs_remove_recursive(sim_debugfs_root);
}
