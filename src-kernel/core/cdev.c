// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/mic/ctrl: one control node for every card.  Each open file is a
 * struct micmem_ctx; ioctls are dispatched from here to the file that owns
 * the concept (pool.c, submit.c, ...).
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/micmem.h>

#include "micmem.h"
#include "batch.h"
#include "pool.h"

static int micmem_open(struct inode *inode, struct file *file)
{
	struct micmem_ctx *ctx;
	int ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->lock);
	file->private_data = ctx;

	ret = micmem_dma_open(ctx);
	if (ret)
		goto err_free_ctx;
	return 0;

err_free_ctx:
	mutex_destroy(&ctx->lock);
	kfree(ctx);
	return ret;
}

static int micmem_release(struct inode *inode, struct file *file)
{
	struct micmem_ctx *ctx = file->private_data;

	micmem_dma_release(ctx);
	micmem_pool_release(ctx);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
	return 0;
}

static u64 micmem_features(void)
{
	return micmem_pool_features() | MICMEM_FEAT_DMA |
	       MICMEM_FEAT_DUAL_CHANNEL | MICMEM_FEAT_POLL |
	       MICMEM_FEAT_WAIT_POLL;
}

static long micmem_ioctl_query(void __user *arg)
{
	struct micmem_query q;

	memset(&q, 0, sizeof(q));
	q.api_version = MICMEM_API_VERSION;
	q.num_cards = micmem_card_count();
	q.features = micmem_features();
	q.pool_max_bytes = micmem_pool_max_bytes();
	q.max_batch = micmem_dma_max_batch();
	q.max_cards = MICMEM_MAX_CARDS;
	if (copy_to_user(arg, &q, sizeof(q)))
		return -EFAULT;
	return 0;
}

/*
 * The calls that give the fd memory or let it move data (doc/security.md):
 * an fd opened without write access gets -EBADF, as write(2) does.  It may
 * QUERY, POOL_INFO, WAIT and poll.
 */
static bool micmem_ioctl_writes(unsigned int cmd)
{
	return cmd == MICMEM_IOC_POOL_CREATE || cmd == MICMEM_IOC_ATTACH ||
	       cmd == MICMEM_IOC_DETACH || cmd == MICMEM_IOC_SUBMIT;
}

/*
 * SUBMIT on an fd without write access: -EBADF, and like every other
 * outcome of SUBMIT, bad_xfer and ticket written back (MICMEM_NO_XFER, 0).
 */
static long micmem_ioctl_submit_ebadf(void __user *arg)
{
	struct micmem_submit s;

	if (copy_from_user(&s, arg, sizeof(s)))
		return -EFAULT;
	s.bad_xfer = MICMEM_NO_XFER;
	s.ticket = 0;
	memset(s.reserved, 0, sizeof(s.reserved));
	if (copy_to_user(arg, &s, sizeof(s)))
		return -EFAULT;
	return -EBADF;
}

static long micmem_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct micmem_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (micmem_ioctl_writes(cmd) && !(file->f_mode & FMODE_WRITE))
		return cmd == MICMEM_IOC_SUBMIT ?
		       micmem_ioctl_submit_ebadf(uarg) : -EBADF;
	switch (cmd) {
	case MICMEM_IOC_QUERY:
		return micmem_ioctl_query(uarg);
	case MICMEM_IOC_POOL_CREATE:
		return micmem_pool_ioctl_create(ctx, uarg);
	case MICMEM_IOC_POOL_INFO:
		return micmem_pool_ioctl_info(ctx, uarg);
	case MICMEM_IOC_ATTACH:
		return micmem_ioctl_attach(ctx, uarg);
	case MICMEM_IOC_DETACH:
		return micmem_ioctl_detach(ctx, uarg);
	case MICMEM_IOC_SUBMIT:
		return micmem_ioctl_submit(ctx, uarg);
	case MICMEM_IOC_WAIT:
		return micmem_ioctl_wait(ctx, uarg);
	default:
		return -ENOTTY;
	}
}

static void micmem_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct micmem_ctx *ctx = file->private_data;

	micmem_pool_show_fdinfo(m, ctx);
}

static const struct file_operations micmem_fops = {
	.owner		= THIS_MODULE,
	.open		= micmem_open,
	.release	= micmem_release,
	.unlocked_ioctl	= micmem_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= micmem_pool_mmap,
	.get_unmapped_area = micmem_pool_get_unmapped_area,
	/* msync(MS_SYNC) of the pool: RAM only, nothing to write back. */
	.fsync		= noop_fsync,
	.poll		= micmem_dma_poll,
	.show_fdinfo	= micmem_show_fdinfo,
	.llseek		= noop_llseek,
};

static struct miscdevice micmem_misc = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= "mic_ctrl",
	.nodename	= "mic/ctrl",
	.mode		= 0600,
	.fops		= &micmem_fops,
};

int micmem_cdev_init(void)
{
	int ret;

	ret = micmem_pool_init();
	if (ret)
		return ret;
	ret = misc_register(&micmem_misc);
	if (ret)
		goto err_pool;
	return 0;

err_pool:
	micmem_pool_exit();
	return ret;
}

void micmem_cdev_exit(void)
{
	misc_deregister(&micmem_misc);
	micmem_pool_exit();
}
