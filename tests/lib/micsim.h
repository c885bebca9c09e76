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

/*
 * Register @off of card @name through the debugfs peek_offset/peek/poke
 * knobs: what a host read returns now, or a host write of @val with its
 * side effects.  Neither is counted in the MMIO counters.  micsim_peek()
 * returns the value (0 .. 0xffffffff) or -errno.
 */
long long micsim_peek(const char *name, unsigned int off);
int micsim_poke(const char *name, unsigned int off, unsigned int val);

/* Registers of the MMIO BAR (128 KiB of 32-bit registers). */
#define MICSIM_NR_REGS	(0x20000 / 4)

/* Host MMIO accesses per register, indexed by offset / 4. */
struct micsim_mmio {
	unsigned long long reads[MICSIM_NR_REGS];
	unsigned long long writes[MICSIM_NR_REGS];
};

/*
 * Reads the debugfs "mmio" file of card @name into @m (registers it does
 * not list are 0).  micsim_mmio_read() reads such a file at any @path.
 * -EINVAL when a line is not "<NAME> 0x<offset> reads <r> writes <w>" with
 * an aligned offset inside the BAR.
 */
int micsim_mmio(const char *name, struct micsim_mmio *m);
int micsim_mmio_read(const char *path, struct micsim_mmio *m);

/*
 * Reads knob @knob of card @name until it is @want or @ms milliseconds
 * passed (for effects that arrive asynchronously, e.g. interrupts through
 * the sim's irq_work); returns the last value read, or -errno.
 */
long long micsim_knob_wait(const char *name, const char *knob, long long want,
			   int ms);

/* Reads any file into @buf (NUL-terminated, trailing newline stripped). */
int micsim_read(const char *path, char *buf, size_t len);

/* Writes @value to any file in one write(). */
int micsim_write(const char *path, const char *value);

/*
 * Teardown for TAP test cases (tests/lib/tap.h; these need tap.c linked and
 * end the case when they cannot register).  Call them just before the
 * change:
 *
 *   micsim_defer_knob("card0", "stall");	// the value it has now
 *   ASSERT_OK(micsim_knob_set("card0", "stall", "1"));
 *
 *   micsim_defer_del("lost");		// before it exists
 *   card = micsim_add("lost", NULL);
 *
 * micsim_defer_knob() and micsim_defer_attr() restore debugfs knob @knob
 * or configfs attribute @attr of card @name to the value it has now;
 * micsim_defer_del() takes card @name offline and removes it, if it still
 * exists then (only for cards the case creates itself).  All of them also
 * run after a crash or a timeout of the case (see tap.h).
 */
void micsim_defer_knob(const char *name, const char *knob);
void micsim_defer_attr(const char *name, const char *attr);
void micsim_defer_del(const char *name);

#endif /* MICMEM_MICSIM_H */
