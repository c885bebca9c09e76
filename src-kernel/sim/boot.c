// SPDX-License-Identifier: GPL-2.0
/*
 * Bootstrap model: what the card's bootstrap firmware does that a host
 * driver can see (doc/x100-hardware.md D).
 *
 * Reset: RGCR bit 0 clears SCRATCH2, loses the SMPT entries (erratum
 * C.8 #8 in doc/x100-hardware.md: drivers restore them), walks the post code
 * through a few bootstrap steps in reset_ms; then either "12" with
 * SCRATCH0 (GDDR size), SCRATCH2 (download address, boot CPU APIC ID,
 * bit 0 ready), or "F2" when the fail_reset knob asks for it.
 *
 * Boot: in "12", the boot interrupt (APICICR7 low dword with the send bit
 * and vector 229) starts the image at the download address, SCRATCH5
 * bytes long: post code "FF" and, boot_ms later, the image "reports" by
 * setting SCRATCH2 bit 0 (unless fail_boot makes it hang).  Which images
 * the bootstrap accepts no source says (mainline and MPSS copy raw bytes),
 * so configfs "boot_image" chooses: raw (default) takes any image; elf
 * reads its header from card memory and refuses anything but an ELF64
 * file with post code "nA" (authentication failed, images_rejected); such
 * an image never reports.
 *
 * Register side effects run in the MMIO hooks (card->reg_lock held,
 * interrupts off); everything that takes time or reads card memory runs
 * in the model's delayed work, which takes reg_lock for each update.
 */
#include <linux/elf.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "sim.h"

#define SIM_BOOT_RESET_MS_DEFAULT	200
#define SIM_BOOT_BOOT_MS_DEFAULT	50
#define SIM_BOOT_MS_MAX			600000

/*
 * What the bootstrap reports in SCRATCH2 (B.6), the only definition of the
 * sim's power-on SCRATCH0/SCRATCH2/post code (sim_boot_reset_done(), also
 * run at live): download address 64 MiB (mainline: "typically 64 MiB").
 * The sources give the APIC ID of the boot CPU no value, only its field
 * (bits 9:1); a non-zero one makes a driver that sends the boot interrupt
 * to APIC ID 0 differ from one that uses the reported ID.
 */
#define SIM_BOOT_DL_ADDR		0x04000000U
#define SIM_BOOT_APIC_ID		124U

#define SIM_PC(a, b)			MIC_POSTCODE_CHARS(a, b)

/* Post codes a reset walks through before "12" (doc/x100-hardware.md D.3). */
static const u32 sim_reset_codes[] = {
	SIM_PC('0', '1'), SIM_PC('0', '3'), SIM_PC('0', '6'),
	SIM_PC('3', '0'), SIM_PC('3', 'F'), SIM_PC('0', 'C'),
	SIM_PC('1', '0'), SIM_PC('1', '1'),
};

SIM_CFG_ATTR_U32(reset_ms, boot.reset_ms, 0, SIM_BOOT_MS_MAX);
SIM_CFG_ATTR_U32(boot_ms, boot.boot_ms, 0, SIM_BOOT_MS_MAX);
SIM_CFG_ATTR_U32(power_on_reset, boot.power_on_reset, 0, 1);

static const char *const sim_boot_image_names[] = {
	[SIM_BOOT_IMAGE_RAW] = "raw",
	[SIM_BOOT_IMAGE_ELF] = "elf",
	NULL,
};

SIM_CFG_ATTR_ENUM(boot_image, boot.image, sim_boot_image_names);

struct configfs_attribute *sim_boot_cfg_attrs[] = {
	&sim_cfg_attr_reset_ms,
	&sim_cfg_attr_boot_ms,
	&sim_cfg_attr_power_on_reset,
	&sim_cfg_attr_boot_image,
	NULL,
};

void sim_boot_cfg_init(struct sim_card *card)
{
	card->boot.reset_ms = SIM_BOOT_RESET_MS_DEFAULT;
	card->boot.boot_ms = SIM_BOOT_BOOT_MS_DEFAULT;
	card->boot.power_on_reset = 0;
	card->boot.image = SIM_BOOT_IMAGE_RAW;
}

/* reg_lock held */
static void sim_boot_queue(struct sim_card *card, unsigned int ms)
{
	if (!card->boot.stopped)
		mod_delayed_work(system_wq, &card->boot.work,
				 msecs_to_jiffies(ms));
}

static unsigned int sim_boot_step_ms(struct sim_card *card)
{
	return card->boot.reset_ms / (ARRAY_SIZE(sim_reset_codes) + 1);
}

/* Start (or restart) the bootstrap from reset.  reg_lock held. */
static void sim_boot_reset_start(struct sim_card *card)
{
	unsigned int i;

	card->boot.phase = SIM_BOOT_RESETTING;
	card->boot.step = 0;
	card->boot.gen++;
	__sim_reg_set(card, MIC_POSTCODE, sim_reset_codes[0]);
	__sim_reg_set(card, MIC_SCRATCH(2), 0);
	__sim_reg_set(card, MIC_SCRATCH(5), 0);
	for (i = 0; i < MIC_SMPT_NUM; i++)
		__sim_reg_set(card, MIC_SMPT(i), 0);
	sim_boot_queue(card, sim_boot_step_ms(card));
}

/* The last reset step: ready, or "F2" if the knob says so.  reg_lock held. */
static void sim_boot_reset_done(struct sim_card *card)
{
	struct sim_boot *boot = &card->boot;

	__sim_reg_set(card, MIC_RGCR,
		      __sim_reg_get(card, MIC_RGCR) & ~MIC_RGCR_RESET);
	if (boot->fail_reset) {
		boot->fail_reset--;
		boot->injected_fail_reset++;
		boot->phase = SIM_BOOT_FAILED;
		__sim_reg_set(card, MIC_POSTCODE, SIM_PC('F', '2'));
		return;
	}
	boot->phase = SIM_BOOT_READY;
	__sim_reg_set(card, MIC_SCRATCH(0), (u32)((u64)card->memsize_mb << 13));
	__sim_reg_set(card, MIC_SCRATCH(2), SIM_BOOT_DL_ADDR |
		      (SIM_BOOT_APIC_ID << 1) | MIC_SCRATCH2_READY);
	__sim_reg_set(card, MIC_POSTCODE, MIC_POSTCODE_READY);
}

/* Boot interrupt: only a bootstrap waiting in "12" takes it. */
static void sim_boot_interrupt(struct sim_card *card)
{
	if (card->boot.phase != SIM_BOOT_READY)
		return;
	card->boot.phase = SIM_BOOT_CHECKING;
	card->boot.boots++;
	card->boot.gen++;
	__sim_reg_set(card, MIC_POSTCODE, SIM_PC('1', '3'));
	sim_boot_queue(card, 0);
}

/* Does the bootstrap take the downloaded image?  Process context. */
static void sim_boot_check_image(struct sim_card *card)
{
	struct sim_boot *boot = &card->boot;
	u8 ident[EI_NIDENT] = { 0 };
	unsigned long flags;
	unsigned int gen;
	bool elf = false;
	u32 size;
	u64 addr;

	spin_lock_irqsave(&card->reg_lock, flags);
	gen = boot->gen;
	size = __sim_reg_get(card, MIC_SCRATCH(5));
	addr = MIC_SCRATCH2_DL_ADDR(__sim_reg_get(card, MIC_SCRATCH(2)));
	spin_unlock_irqrestore(&card->reg_lock, flags);

	if (boot->image == SIM_BOOT_IMAGE_RAW)
		elf = true;	/* not looked at */
	else if (size >= EI_NIDENT &&
		 !sim_mem_read(card, addr, ident, sizeof(ident)))
		elf = !memcmp(ident, ELFMAG, SELFMAG) &&
		      ident[EI_CLASS] == ELFCLASS64;

	spin_lock_irqsave(&card->reg_lock, flags);
	if (boot->gen != gen || boot->phase != SIM_BOOT_CHECKING)
		goto out_unlock;	/* reset meanwhile */
	if (!elf) {
		boot->rejected++;
		boot->phase = SIM_BOOT_FAILED;
		__sim_reg_set(card, MIC_POSTCODE, SIM_PC('n', 'A'));
		goto out_unlock;
	}
	__sim_reg_set(card, MIC_POSTCODE, MIC_POSTCODE_DONE);
	if (boot->fail_boot) {
		/* control passed to an image that never reports */
		boot->fail_boot--;
		boot->injected_fail_boot++;
		boot->phase = SIM_BOOT_FAILED;
		goto out_unlock;
	}
	boot->phase = SIM_BOOT_STARTING;
	sim_boot_queue(card, boot->boot_ms);
out_unlock:
	spin_unlock_irqrestore(&card->reg_lock, flags);
}

static void sim_boot_work(struct work_struct *work)
{
	struct sim_card *card = container_of(to_delayed_work(work),
					     struct sim_card, boot.work);
	struct sim_boot *boot = &card->boot;
	unsigned long flags;

	spin_lock_irqsave(&card->reg_lock, flags);
	/* a card off the bus does nothing until a reset revives it */
	if (card->vanished || boot->stopped)
		goto out_unlock;
	switch (boot->phase) {
	case SIM_BOOT_RESETTING:
		if (++boot->step < ARRAY_SIZE(sim_reset_codes)) {
			__sim_reg_set(card, MIC_POSTCODE,
				      sim_reset_codes[boot->step]);
			sim_boot_queue(card, sim_boot_step_ms(card));
		} else {
			sim_boot_reset_done(card);
		}
		break;
	case SIM_BOOT_CHECKING:
		spin_unlock_irqrestore(&card->reg_lock, flags);
		sim_boot_check_image(card);
		return;
	case SIM_BOOT_STARTING:
		/* the image reports: SCRATCH2 bit 0 */
		__sim_reg_set(card, MIC_SCRATCH(2),
			      __sim_reg_get(card, MIC_SCRATCH(2)) |
			      MIC_SCRATCH2_READY);
		boot->phase = SIM_BOOT_RUNNING;
		break;
	default:
		break;
	}
out_unlock:
	spin_unlock_irqrestore(&card->reg_lock, flags);
}

void sim_boot_reg_read(struct sim_card *card, u32 off, u32 *val)
{
	*val = __sim_reg_get(card, off);
}

void sim_boot_reg_write(struct sim_card *card, u32 off, u32 val)
{
	switch (off) {
	case MIC_POSTCODE:
		/* written by the bootstrap only */
		break;
	case MIC_RGCR:
		__sim_reg_set(card, off, val);
		if (val & MIC_RGCR_RESET) {
			card->boot.resets++;
			sim_boot_reset_start(card);
		}
		break;
	case MIC_APICICR_LO(MIC_BOOT_APICICR):
		__sim_reg_set(card, off, val);
		if ((val & MIC_APICICR_SEND) &&
		    (val & 0xff) == MIC_BSP_INTERRUPT_VECTOR)
			sim_boot_interrupt(card);
		break;
	default:
		__sim_reg_set(card, off, val);
		break;
	}
}

static int sim_boot_phase_get(struct sim_card *card, unsigned long arg,
			      u64 *val)
{
	unsigned long flags;

	spin_lock_irqsave(&card->reg_lock, flags);
	*val = card->boot.phase;
	spin_unlock_irqrestore(&card->reg_lock, flags);
	return 0;
}

static const struct sim_knob sim_boot_knobs[] = {
	SIM_KNOB_U32("fail_reset", boot.fail_reset),
	SIM_KNOB_U32("fail_boot", boot.fail_boot),
	SIM_KNOB_U64_RO("resets", boot.resets),
	SIM_KNOB_U64_RO("boots", boot.boots),
	SIM_KNOB_U64_RO("images_rejected", boot.rejected),
	SIM_KNOB_U64_RO("injected_fail_reset", boot.injected_fail_reset),
	SIM_KNOB_U64_RO("injected_fail_boot", boot.injected_fail_boot),
	{ "boot_phase", sim_boot_phase_get, NULL },
};

int sim_boot_init(struct sim_card *card)
{
	struct sim_boot *boot = &card->boot;
	unsigned long flags;
	int ret;

	INIT_DELAYED_WORK(&boot->work, sim_boot_work);
	ret = sim_knobs_add(card, sim_boot_knobs, ARRAY_SIZE(sim_boot_knobs));
	if (ret)
		return ret;

	spin_lock_irqsave(&card->reg_lock, flags);
	boot->stopped = false;
	boot->fail_reset = 0;
	boot->fail_boot = 0;
	boot->resets = 0;
	boot->boots = 0;
	boot->rejected = 0;
	boot->injected_fail_reset = 0;
	boot->injected_fail_boot = 0;
	if (boot->power_on_reset)
		sim_boot_reset_start(card);
	else
		sim_boot_reset_done(card);
	spin_unlock_irqrestore(&card->reg_lock, flags);
	return 0;
}

void sim_boot_fini(struct sim_card *card)
{
	unsigned long flags;

	spin_lock_irqsave(&card->reg_lock, flags);
	card->boot.stopped = true;
	spin_unlock_irqrestore(&card->reg_lock, flags);
	cancel_delayed_work_sync(&card->boot.work);
}
