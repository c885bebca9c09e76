// SPDX-License-Identifier: GPL-2.0
/*
 * Post codes: the bootstrap's progress register (DBOX 0x242c), two ASCII
 * characters, the first one in the low byte (doc/x100-hardware.md D.3: MPSS's
 * reading; Barrelfish's constants are byte-swapped).  Raw 0 means "not
 * available yet", all-ones means the card does not respond.
 */
#include <linux/errno.h>
#include <linux/kernel.h>

#include "../include/x100/regs.h"
#include "mgmt.h"

u32 mic_postcode_read(struct mic_x100 *card)
{
	return card->hw->ops->read32(card->hw, MIC_POSTCODE);
}

/*
 * Two characters into @buf (3 bytes), or -ENXIO for a card that does not
 * respond and -EAGAIN while no code is available: the errors MPSS's
 * post_code attribute returned.
 */
int mic_postcode_format(u32 code, char *buf)
{
	int i;

	if (code == MIC_POSTCODE_LOST)
		return -ENXIO;
	if (code == MIC_POSTCODE_NONE)
		return -EAGAIN;
	for (i = 0; i < 2; i++) {
		char c = (code >> (8 * i)) & 0xff;

		buf[i] = (c >= 0x21 && c <= 0x7e) ? c : '?';
	}
	buf[2] = '\0';
	return 0;
}

struct mic_postcode_info {
	char code[3];
	bool failure;
	const char *meaning;
};

/* Codes of doc/x100-hardware.md D.3; "failure" ends a reset or boot at once. */
static const struct mic_postcode_info mic_postcodes[] = {
	{ "10", false, "waiting for APs" },
	{ "11", false, "signalling host to download" },
	{ "12", false, "waiting for download" },
	{ "13", false, "boot signal received" },
	{ "15", false, "reporting platform info" },
	{ "17", false, "setting up page tables" },
	{ "40", false, "authenticating the OS image" },
	{ "Ld", false, "locking down hardware access" },
	{ "FF", false, "bootstrap done, image running" },
	{ "nA", true, "OS image failed authentication" },
	{ "EE", true, "memory test failed" },
	{ "F0", true, "GDDR parameters not found" },
	{ "F1", true, "GBOX PLL lock failure" },
	{ "F2", true, "GDDR training failed" },
	{ "F3", true, "GDDR module query failed" },
	{ "F4", true, "memory preservation failure" },
	/* CPU exceptions 0..18 taken in the bootstrap */
	{ "dE", true, "divide error" },
	{ "db", true, "debug exception" },
	{ "no", true, "NMI" },
	{ "bP", true, "breakpoint" },
	{ "oF", true, "overflow" },
	{ "br", true, "bound range exceeded" },
	{ "ud", true, "invalid opcode" },
	{ "nd", true, "device not available" },
	{ "dF", true, "double fault" },
	{ "co", true, "coprocessor segment overrun" },
	{ "r5", true, "invalid TSS" },
	{ "nP", true, "segment not present" },
	{ "6P", true, "stack fault" },
	{ "PF", true, "page fault" },
	{ "87", true, "x87 floating point error" },
	{ "AC", true, "alignment check" },
	{ "CC", true, "machine check" },
	{ "F5", true, "SIMD floating point error" },
};

static const struct mic_postcode_info *mic_postcode_lookup(u32 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mic_postcodes); i++) {
		const char *c = mic_postcodes[i].code;

		if (code == MIC_POSTCODE_CHARS(c[0], c[1]))
			return &mic_postcodes[i];
	}
	return NULL;
}

/* What a post code means, for log messages. */
const char *mic_postcode_meaning(u32 code)
{
	const struct mic_postcode_info *info;

	if (code == MIC_POSTCODE_LOST)
		return "card not responding";
	if (code == MIC_POSTCODE_NONE)
		return "no post code";
	info = mic_postcode_lookup(code);
	if (info)
		return info->meaning;
	if ((code & 0xff) == '5' && ((code >> 8) & 0xff) >= '0')
		return "loading the OS image";
	return "bootstrap step";
}

/* True for the codes with which the bootstrap gives up. */
bool mic_postcode_is_failure(u32 code)
{
	const struct mic_postcode_info *info = mic_postcode_lookup(code);

	return info && info->failure;
}
