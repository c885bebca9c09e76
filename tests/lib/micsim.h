/* SPDX-License-Identifier: GPL-2.0 */
/*
 * micsim.h - create, configure and remove simulated x100 cards from a test
 * program (the C twin of tests/vm/micsim.sh).
 *
 * Cards live in configfs, /sys/kernel/config/micmem_sim/<name>/ (typed
 * attributes, "live", read-only "card" = N of micN); fault-injection knobs
 * and counters in debugfs, /sys/kernel/debug/micmem_sim/<name>/.
 * Values are written without a trailing newline.  Every function returns
 * 0 (or a value >= 0) on success and -errno on failure, errno being the
 * one of the failing system call (for a write: what the attribute's store
 * method returned).
 */
#ifndef MICMEM_MICSIM_H
#define MICMEM_MICSIM_H

#include <stddef.h>

#define MICSIM_CONFIGFS	"/sys/kernel/config/micmem_sim"
#define MICSIM_DEBUGFS	"/sys/kernel/debug/micmem_sim"

/*
 * Creates card @name, writes each "attr=value" of the NULL-terminated list
 * in order, then sets live=1.  Returns the card number N (micN); on error
 * the half-made card is removed again.
 */
int micsim_add(const char *name, ...) __attribute__((sentinel));

/* Sets live=0 if it is live, then removes the card's directory. */
int micsim_del(const char *name);

/* Writes configfs attribute @attr of card @name. */
int micsim_set(const char *name, const char *attr, const char *value);

/* Writes debugfs knob @knob of card @name. */
int micsim_knob_set(const char *name, const char *knob, const char *value);

/* Reads debugfs knob @knob of card @name as a (decimal or 0x) integer. */
long long micsim_knob_get(const char *name, const char *knob);

/* Reads any file into @buf (NUL-terminated, trailing newline stripped). */
int micsim_read(const char *path, char *buf, size_t len);

/* Writes @value to any file in one write(). */
int micsim_write(const char *path, const char *value);

#endif /* MICMEM_MICSIM_H */
