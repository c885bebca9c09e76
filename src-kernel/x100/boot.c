// SPDX-License-Identifier: GPL-2.0
/*
 * Booting an image in "elf" mode (doc/x100-hardware.md D.2, MPSS boot:elf): the
 * bootstrap of a ready card reports a download address and the boot CPU's
 * APIC ID in SCRATCH2; the host copies the image byte for byte through the
 * aperture to that address, writes its size to SCRATCH5, clears SCRATCH2
 * bit 0 and sends the boot interrupt (APICICR7, vector 229).  The image
 * reports by setting SCRATCH2 bit 0 again: the card is online.
 *
 * The image is a firmware file, loaded with request_firmware() by name
 * (below /lib/firmware), as mainline's MIC driver did; the driver never
 * opens a path written to sysfs.  The driver does not parse the image:
 * the bootstrap decides what it accepts (post code "nA" when it rejects
 * one).  The request returns once the boot interrupt is sent; the op work
 * (state.c) polls from then on.
 */
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/firmware.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "../include/x100/regs.h"
#include "limits.h"
#include "mgmt.h"

/* MPSS's ELF mode defaults (doc/x100-hardware.md D.2): 100 ms polls, 60 s. */
static unsigned int boot_poll_ms = 100;
module_param(boot_poll_ms, uint, 0644);
MODULE_PARM_DESC(boot_poll_ms, "Poll period while an image boots, ms");

static unsigned int boot_timeout_ms = 60000;
module_param(boot_timeout_ms, uint, 0644);
MODULE_PARM_DESC(boot_timeout_ms,
		 "Time a booted image has to report (SCRATCH2 bit 0), ms");

#define MIC_POSTCODE_NA		MIC_POSTCODE_CHARS('n', 'A')

/* Why a card in @state cannot boot, or 0.  Locked. */
static int mic_boot_state_check(struct mic_x100 *card)
{
	lockdep_assert_held(&card->state_lock);
	if (card->mgmt.removed)
		return -ENODEV;
	switch (card->state) {
	case MIC_STATE_READY:
		return 0;
	case MIC_STATE_BOOTING:
	case MIC_STATE_RESETTING:
	case MIC_STATE_ONLINE:
		return -EBUSY;		/* busy, or running an image: reset */
	case MIC_STATE_LOST:
		return -ENODEV;
	default:
		return -EIO;		/* failed: needs a reset first */
	}
}

/*
 * Download @image of @size bytes and send the boot interrupt.  Once the
 * download starts, *@name becomes the card's image name (sysfs "image")
 * and the old one is handed back for freeing.  Locked.
 */
static int mic_boot_download(struct mic_x100 *card, const void *image,
			     size_t size, char **name)
{
	struct micmem_hw *hw = card->hw;
	u32 scratch2 = mic_rd(card, MIC_SCRATCH(2));
	u64 addr = MIC_SCRATCH2_DL_ADDR(scratch2);
	int ret;

	lockdep_assert_held(&card->state_lock);
	if (scratch2 == MIC_POSTCODE_LOST) {
		mic_state_lost(card);
		return -ENODEV;
	}
	if (!(scratch2 & MIC_SCRATCH2_READY)) {
		dev_err(hw->dev, "mic%d: bootstrap not ready for a download\n",
			card->id);
		return -EIO;
	}
	if (!mic_boot_dl_addr_ok(addr)) {
		dev_err(hw->dev, "mic%d: download address 0x%llx above 2 GiB (doc/x100-hardware.md D.2)\n",
			card->id, addr);
		return -EIO;
	}
	if (addr >= hw->aperture_size || size > hw->aperture_size - addr) {
		dev_err(hw->dev, "mic%d: image of %zu bytes does not fit at 0x%llx (aperture %llu bytes)\n",
			card->id, size, addr, hw->aperture_size);
		return -EFBIG;
	}

	mic_state_set(card, MIC_STATE_BOOTING, 0);
	mic_dma_stop(card, -ECANCELED);
	swap(card->mgmt.image, *name);

	ret = hw->ops->aperture_write(hw, addr, image, size);
	if (ret) {
		dev_err(hw->dev, "mic%d: image download failed: %pe\n",
			card->id, ERR_PTR(ret));
		mic_state_set(card, MIC_STATE_BOOT_FAILED, ret);
		return ret;
	}
	mic_wr(card, MIC_SCRATCH(5), size);
	/* ELF mode: the image sets bit 0 again when it runs */
	mic_wr(card, MIC_SCRATCH(2), scratch2 & ~MIC_SCRATCH2_READY);
	mic_wr(card, MIC_APICICR_HI(MIC_BOOT_APICICR),
	       MIC_SCRATCH2_APIC_ID(scratch2));
	/* the card acts on the low dword only */
	mic_wr(card, MIC_APICICR_LO(MIC_BOOT_APICICR),
	       MIC_BSP_INTERRUPT_VECTOR | MIC_APICICR_SEND);

	card->mgmt.deadline = jiffies +
		msecs_to_jiffies(READ_ONCE(boot_timeout_ms));
	mic_state_schedule(card, READ_ONCE(boot_poll_ms));
	return 0;
}

/*
 * "boot:elf:<name>" written to the state attribute: <name> is a firmware
 * name.  Errors of request_firmware(): -ENOENT (no such file), -EINVAL
 * (empty or not a regular file), ...
 */
int mic_x100_boot(struct mic_x100 *card, const char *name)
{
	const struct firmware *fw;
	char *image_name;
	int ret;

	if (!*name)
		return -EINVAL;

	/* Refuse early, before loading an image that could not be used. */
	mutex_lock(&card->state_lock);
	ret = mic_boot_state_check(card);
	mutex_unlock(&card->state_lock);
	if (ret)
		return ret;

	image_name = kstrdup(name, GFP_KERNEL);
	if (!image_name)
		return -ENOMEM;

	ret = request_firmware(&fw, name, card->hw->dev);
	if (ret)
		goto out_free_name;

	mutex_lock(&card->state_lock);
	ret = mic_boot_state_check(card);
	if (!ret)
		ret = mic_boot_download(card, fw->data, fw->size, &image_name);
	mutex_unlock(&card->state_lock);

	release_firmware(fw);
out_free_name:
	kfree(image_name);
	return ret;
}

/* One poll of a booting card (op work).  Locked. */
void mic_boot_poll(struct mic_x100 *card)
{
	u32 postcode;

	if (mic_op_poll_done(card, MIC_STATE_ONLINE, &postcode))
		return;
	if (mic_postcode_is_failure(postcode)) {
		/* "nA": the bootstrap refused the image */
		mic_state_fail(card, MIC_STATE_BOOT_FAILED, postcode,
			       postcode == MIC_POSTCODE_NA ? -ENOEXEC : -EIO);
		return;
	}
	if (time_after(jiffies, card->mgmt.deadline)) {
		mic_state_fail(card, MIC_STATE_BOOT_FAILED, postcode,
			       -ETIMEDOUT);
		return;
	}
	mic_state_schedule(card, READ_ONCE(boot_poll_ms));
}
