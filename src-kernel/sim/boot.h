/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bootstrap model of a simulated card: post codes, scratch registers,
 * reset (RGCR), the boot interrupt (APICICR7) and the image check.
 */
#ifndef _MICMEM_SIM_BOOT_H
#define _MICMEM_SIM_BOOT_H

#include <linux/types.h>
#include <linux/workqueue.h>

struct sim_card;
struct configfs_attribute;

/* Where the bootstrap is (see boot.c for the transitions). */
enum sim_boot_phase {
	SIM_BOOT_READY,		/* "12": waiting for a download */
	SIM_BOOT_RESETTING,	/* running through the reset post codes */
	SIM_BOOT_CHECKING,	/* "13": boot interrupt taken, image next */
	SIM_BOOT_STARTING,	/* "FF": image runs, reports after boot_ms */
	SIM_BOOT_RUNNING,	/* the image reported (SCRATCH2 bit 0) */
	SIM_BOOT_FAILED,	/* error post code; only a reset leaves it */
};

/* configfs "boot_image": what the bootstrap accepts */
enum sim_boot_image {
	SIM_BOOT_IMAGE_RAW,	/* any bytes */
	SIM_BOOT_IMAGE_ELF,	/* an ELF64 file only, else "nA" */
};

/**
 * struct sim_boot - configuration and state of the bootstrap model
 * @reset_ms:	configfs: how long a reset takes, ms
 * @boot_ms:	configfs: from the boot interrupt to the image reporting, ms
 * @power_on_reset: configfs: 1 = at live the card is still running its
 *		bootstrap from power-on (reset_ms to go), 0 = already ready
 * @image:	configfs "boot_image": enum sim_boot_image
 *
 * State, under card->reg_lock:
 * @phase:	where the bootstrap is
 * @step:	index of the current reset post code
 * @gen:	bumped by every reset and boot interrupt, so that the work
 *		can tell its view went stale while it read card memory
 * @stopped:	sim_boot_fini() ran: no more work is queued
 * @fail_reset:	knob: the next N resets end in post code "F2"
 * @fail_boot:	knob: the next N accepted images never report
 * @resets:	resets taken (RGCR bit 0 writes)
 * @boots:	boot interrupts taken in phase ready
 * @rejected:	images rejected (boot_image elf, not an ELF64 file)
 * @injected_fail_reset: resets failed by @fail_reset
 * @injected_fail_boot: boots hung by @fail_boot
 *
 * @work:	advances resets and boots (process context)
 */
struct sim_boot {
	u32 reset_ms;
	u32 boot_ms;
	u32 power_on_reset;
	u32 image;

	enum sim_boot_phase phase;
	unsigned int step;
	unsigned int gen;
	bool stopped;
	u32 fail_reset;
	u32 fail_boot;
	u64 resets;
	u64 boots;
	u64 rejected;
	u64 injected_fail_reset;
	u64 injected_fail_boot;

	struct delayed_work work;
};

/* configfs attributes of the model, NULL-terminated */
extern struct configfs_attribute *sim_boot_cfg_attrs[];

/* mkdir: configuration defaults */
void sim_boot_cfg_init(struct sim_card *card);
/* live 1, after the register file reset; adds the knobs */
int sim_boot_init(struct sim_card *card);
/* live 0: stop the work; no register access after return */
void sim_boot_fini(struct sim_card *card);

/* Host MMIO outside the irq and DMA blocks; card->reg_lock held. */
void sim_boot_reg_read(struct sim_card *card, u32 off, u32 *val);
void sim_boot_reg_write(struct sim_card *card, u32 off, u32 val);

#endif /* _MICMEM_SIM_BOOT_H */
