/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmicmem - C API of the micmem driver (zero-copy DMA between host memory
 * and Intel Xeon Phi x100 card memory).
 *
 *   #include <libmicmem.h>          cc ... $(pkg-config --cflags --libs libmicmem)
 *
 * A thin layer over the ioctls of /dev/mic/ctrl (<linux/micmem.h>, which
 * this header includes) and the card attributes in /sys/class/mic/micN.
 * One handle is one open file of /dev/mic/ctrl with at most one pool:
 *
 *   struct micmem *m;
 *   void *pool;
 *
 *   micmem_open(&m, 0);
 *   micmem_pool_create(m, 64 << 20, 0, &pool);     64 MiB, mapped
 *   micmem_attach(m, 0);                            card mic0
 *   memcpy(pool, data, len);
 *   micmem_copy_to_card(m, 0, card_addr, 0, len, MICMEM_CHAN_AUTO, NULL);
 *   micmem_close(m);
 *
 * Conventions (liburing's):
 *  - functions return 0 (or a value >= 0 where said) on success and a
 *    negative errno on failure; they never set errno for the caller;
 *  - what the driver validates (sizes, alignment, flags, reserved fields,
 *    card numbers, windows) is left to the driver: its errno is returned
 *    unchanged, so the errnos of doc/uapi.md and doc/pool.md apply as they
 *    are.  The library itself checks only what the driver cannot see
 *    (NULL pointers, its own state) and says so below;
 *  - a handle may be used by several threads at once for attach, detach,
 *    submit, wait, query and the copies; micmem_pool_create() and
 *    micmem_close() must not run concurrently with anything else on it.
 *
 * Every function has a manual page, micmem_<name>(3); doc/libmicmem.md is
 * the overview.
 */
#ifndef LIBMICMEM_H
#define LIBMICMEM_H

#include <stddef.h>
#include <stdint.h>

#include <linux/micmem.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && defined(LIBMICMEM_BUILD)
#define MICMEM_API __attribute__((visibility("default")))
#else
#define MICMEM_API
#endif

/* Version of the library this header belongs to. */
#define MICMEM_LIB_VERSION_MAJOR	0
#define MICMEM_LIB_VERSION_MINOR	2
#define MICMEM_LIB_VERSION_PATCH	0

/**
 * micmem_lib_version() - version of the library that is running
 *
 * Returns "MAJOR.MINOR.PATCH" of the libmicmem actually loaded, which may
 * be newer than the MICMEM_LIB_VERSION_* this program was compiled with.
 * The driver's interface version is micmem_query()'s api_version.
 */
MICMEM_API const char *micmem_lib_version(void);

/* ------------------------------------------------------------------ */
/* Handle                                                              */

/* One open file of /dev/mic/ctrl and its pool; opaque. */
struct micmem;

/**
 * micmem_open() - open /dev/mic/ctrl
 * @m:		out: the new handle
 * @flags:	must be 0
 *
 * Opens "/dev/" MICMEM_CTRL_NODE read-write and close-on-exec.
 *
 * Returns 0, or -EINVAL (@m NULL, @flags not 0), -ENOMEM, or the errno of
 * open(2): -ENOENT (micmem.ko not loaded), -EACCES (the node is root's
 * alone unless udev rules say otherwise), ...
 */
MICMEM_API int micmem_open(struct micmem **m, unsigned int flags);

/**
 * micmem_open_path() - open the control node at another path
 * @path:	the node, e.g. inside a container; NULL means micmem_open()'s
 * @m:		out: the new handle
 * @flags:	must be 0
 *
 * As micmem_open().
 */
MICMEM_API int micmem_open_path(const char *path, struct micmem **m,
				unsigned int flags);

/**
 * micmem_close() - unmap the pool and close the file
 * @m:		handle from micmem_open(); NULL does nothing
 *
 * Batches still in flight are not waited for beyond what the driver does
 * at close (a bounded wait); their memory stays valid until they end.
 * Pointers into the pool are invalid afterwards.
 */
MICMEM_API void micmem_close(struct micmem *m);

/**
 * micmem_fd() - the file descriptor of the handle
 * @m:		handle
 *
 * For poll(2)/epoll(7): POLLIN while a completed batch has not been waited
 * for yet; collect it with micmem_wait(m, 0, MICMEM_WAIT_NO_BLOCK,
 * MICMEM_WAIT_ANY, &status).  The descriptor belongs to the handle: do not
 * close it.  Returns the descriptor (>= 0).
 */
MICMEM_API int micmem_fd(const struct micmem *m);

/**
 * micmem_query() - what the driver offers
 * @m:		handle
 * @q:		out: api_version, num_cards, features (MICMEM_FEAT_*),
 *		pool_max_bytes, max_batch, max_cards
 *
 * Issues MICMEM_IOC_QUERY every time (num_cards changes as cards come and
 * go).  Returns 0, -EINVAL (@m or @q NULL) or the driver's errno.
 */
MICMEM_API int micmem_query(struct micmem *m, struct micmem_query *q);

/* ------------------------------------------------------------------ */
/* Pool                                                                */

/**
 * micmem_pool_create() - create the handle's pool and map it
 * @m:		handle
 * @size:	bytes, a non-zero multiple of MICMEM_CHUNK_SIZE (2 MiB)
 * @flags:	pool flags, passed to the driver (none defined: 0)
 * @addr:	out, may be NULL: the mapping (2 MiB aligned, read-write,
 *		zeroed); also micmem_pool_addr()
 *
 * MICMEM_IOC_POOL_CREATE, then mmap(2) of the whole pool, MAP_SHARED.
 * A handle has one pool, for its whole life; it is unmapped by
 * micmem_close().
 *
 * Returns 0; -EINVAL (@m NULL); -EEXIST (the handle has a pool: no ioctl
 * is made); the driver's errno (-EINVAL bad size or flags, -E2BIG over
 * pool_max_mb, -ENOMEM over RLIMIT_MEMLOCK or out of memory, -EINTR);
 * or mmap(2)'s errno.  When mmap fails the driver's pool exists but is
 * unreachable: close the handle and open a new one.
 */
MICMEM_API int micmem_pool_create(struct micmem *m, uint64_t size,
				  unsigned int flags, void **addr);

/**
 * micmem_pool_addr() - address of the pool's mapping
 * @m:		handle
 *
 * Returns the mapping made by micmem_pool_create(), NULL before.
 */
MICMEM_API void *micmem_pool_addr(const struct micmem *m);

/**
 * micmem_pool_size() - size of the pool in bytes
 * @m:		handle
 *
 * Returns the size given to micmem_pool_create(), 0 before.
 */
MICMEM_API uint64_t micmem_pool_size(const struct micmem *m);

/**
 * micmem_pool_info() - the driver's view of the pool
 * @m:		handle
 * @info:	out: size, chunk_size, nr_chunks, map_mode (MICMEM_MAP_PMD),
 *		faults and pte_faults (0 since driver API 3)
 *
 * MICMEM_IOC_POOL_INFO.  Returns 0, -EINVAL (NULL argument), or the
 * driver's errno (-ENXIO: no pool yet).
 */
MICMEM_API int micmem_pool_info(struct micmem *m,
				struct micmem_pool_info *info);

/* ------------------------------------------------------------------ */
/* DMA                                                                 */

/**
 * micmem_attach() - make the pool reachable by card @card's DMA
 * @m:		handle with a pool
 * @card:	N of /sys/class/mic/micN
 *
 * MICMEM_IOC_ATTACH.  Returns 0, -EINVAL (@m NULL) or the driver's errno:
 * -ENOBUFS no pool yet, -ENODEV no such card (or lost), -EEXIST attached
 * already, -EBUSY card booting or resetting, -EIO card in a failed state,
 * -ERANGE pool memory beyond the card's 512 GiB SMPT window, -ENOMEM.
 */
MICMEM_API int micmem_attach(struct micmem *m, uint32_t card);

/**
 * micmem_detach() - undo micmem_attach()
 * @m:		handle
 * @card:	an attached card
 *
 * MICMEM_IOC_DETACH; batches in flight finish first.  Returns 0, -EINVAL
 * (@m NULL) or the driver's errno (-ENOTCONN: not attached).
 */
MICMEM_API int micmem_detach(struct micmem *m, uint32_t card);

/**
 * micmem_xfer_init() - fill one transfer
 * @x:		the transfer; every other field is zeroed
 * @pool_offset: bytes into the pool (multiple of MICMEM_DMA_ALIGN)
 * @card_addr:	card physical address (multiple of MICMEM_DMA_ALIGN, inside
 *		the card's dma_window)
 * @length:	bytes (non-zero multiple of MICMEM_DMA_ALIGN)
 * @dir:	MICMEM_DIR_TO_CARD or MICMEM_DIR_FROM_CARD
 * @channel:	MICMEM_CHAN_0, MICMEM_CHAN_1 or MICMEM_CHAN_AUTO
 *
 * Nothing is checked here: micmem_submit() reports a bad transfer.
 */
static inline void micmem_xfer_init(struct micmem_xfer *x,
				    uint64_t pool_offset, uint64_t card_addr,
				    uint64_t length, unsigned int dir,
				    unsigned int channel)
{
	x->pool_offset = pool_offset;
	x->card_addr = card_addr;
	x->length = length;
	x->dir = (uint8_t)dir;
	x->channel = (uint8_t)channel;
	x->flags = 0;
	x->reserved = 0;
}

/**
 * micmem_submit() - queue a batch of transfers on one card
 * @m:		handle
 * @card:	an attached card
 * @xfers:	@count transfers
 * @count:	1 .. micmem_query()'s max_batch
 * @flags:	0 or MICMEM_SUBMIT_NONBLOCK (fail with -EAGAIN instead of
 *		waiting for ring space)
 * @ticket:	out: names the batch for micmem_wait(); never 0
 * @bad_xfer:	out, may be NULL: index of the transfer that made the
 *		submit fail (-EINVAL, -ERANGE), MICMEM_NO_XFER otherwise
 *
 * MICMEM_IOC_SUBMIT.  The batch is queued whole or not at all.  Returns 0,
 * -EINVAL (@m or @ticket NULL) or the driver's errno: -EINVAL a malformed
 * transfer or flags, count 0; -E2BIG count over max_batch (or a channel's
 * part over 8189 descriptors); -ERANGE a transfer outside the pool or the
 * card's DMA window; -ENOTCONN card not attached; -EBUSY/-EIO/-ENODEV
 * card state; -EAGAIN ring full with MICMEM_SUBMIT_NONBLOCK; -ENOSPC too
 * many batches not waited for; -EFAULT @xfers unreadable; -EINTR (nothing
 * queued); -ENOMEM.
 */
MICMEM_API int micmem_submit(struct micmem *m, uint32_t card,
			     const struct micmem_xfer *xfers,
			     unsigned int count, unsigned int flags,
			     uint64_t *ticket, uint32_t *bad_xfer);

/* What micmem_wait() and the copies report about a batch. */
struct micmem_status {
	uint64_t ticket;	/* the batch; 0: no batch was consumed */
	int32_t error;		/* 0 or the batch's negative errno */
	uint32_t failed_xfer;	/* index of the failed transfer, MICMEM_NO_XFER */
	uint32_t error_class;	/* MICMEM_ERR_* */
	uint32_t reserved[3];	/* zero */
};

/**
 * micmem_wait() - wait for a batch until an absolute deadline
 * @m:		handle
 * @ticket:	from micmem_submit() on this handle; ignored with
 *		MICMEM_WAIT_ANY
 * @deadline_ns: CLOCK_MONOTONIC in ns (micmem_deadline_ns()), or
 *		MICMEM_WAIT_NO_BLOCK (just look), MICMEM_WAIT_FOREVER
 * @flags:	0 or MICMEM_WAIT_ANY (the oldest completed batch of the
 *		handle, waiting for one if none is), or'ed with
 *		MICMEM_WAIT_POLL (spin up to the driver's wait_poll_us,
 *		50 us by default, before sleeping: for small transfers;
 *		drivers without MICMEM_FEAT_WAIT_POLL give -EINVAL)
 * @status:	out, may be NULL: see struct micmem_status.  When a batch was
 *		handed back (and consumed): its ticket (never 0), error,
 *		failed transfer and error class.  When the call itself
 *		failed: ticket 0, the return value as error, MICMEM_NO_XFER
 *		and MICMEM_ERR_NONE; no batch was consumed.
 *
 * MICMEM_IOC_WAIT (driver API version 2 or later).  Each batch is handed
 * back exactly once, to one wait, even when several threads wait for it
 * or use MICMEM_WAIT_ANY at the same time; waiting for it afterwards gives
 * -ENOENT.  Returns 0 (the batch completed), the batch's error (-EIO
 * channel error, -ENODEV card lost, -ECANCELED card reset, -ETIMEDOUT
 * hung channel, with @status telling which transfer and class), or an
 * error of the call, which consumes nothing: -ETIME (the deadline passed
 * first; the batch is still in flight, wait again), -ENOENT (no such
 * ticket, already consumed, or with MICMEM_WAIT_ANY no batch at all),
 * -EINTR (a signal; the deadline is absolute, so calling again with the
 * same deadline is right), -EFAULT (the result could not be stored; the
 * batch stays waitable), -EINVAL (@m NULL, bad flags).  @status->ticket
 * tells the two kinds apart: it is 0 exactly when the call failed.
 */
MICMEM_API int micmem_wait(struct micmem *m, uint64_t ticket,
			   uint64_t deadline_ns, unsigned int flags,
			   struct micmem_status *status);

/**
 * micmem_wait_timeout() - wait for a batch for a relative time
 * @timeout_ns:	ns from now; 0 just looks, MICMEM_WAIT_FOREVER waits
 *		forever
 *
 * micmem_wait() with the deadline micmem_deadline_ns(@timeout_ns).  After
 * -EINTR the time already waited counts: prefer micmem_wait() in loops.
 */
MICMEM_API int micmem_wait_timeout(struct micmem *m, uint64_t ticket,
				   uint64_t timeout_ns, unsigned int flags,
				   struct micmem_status *status);

/**
 * micmem_now_ns() - CLOCK_MONOTONIC now, in ns: the clock of deadlines
 */
MICMEM_API uint64_t micmem_now_ns(void);

/**
 * micmem_deadline_ns() - the absolute deadline @timeout_ns from now
 * @timeout_ns:	ns; MICMEM_WAIT_FOREVER gives MICMEM_WAIT_FOREVER
 *
 * Returns micmem_now_ns() + @timeout_ns, saturated at MICMEM_WAIT_FOREVER.
 * A timeout of 0 gives "now", a deadline that has passed when the driver
 * looks: the wait only reports a batch that is already done.
 */
MICMEM_API uint64_t micmem_deadline_ns(uint64_t timeout_ns);

/**
 * micmem_copy_to_card() - copy pool memory to the card and wait
 * @m:		handle, attached to @card
 * @card:	card number
 * @card_addr:	destination on the card
 * @pool_offset: source in the pool
 * @length:	bytes (alignment rules of micmem_xfer_init())
 * @channel:	MICMEM_CHAN_0, MICMEM_CHAN_1 or MICMEM_CHAN_AUTO
 * @status:	out, may be NULL: as micmem_wait()'s; on a failed submit,
 *		failed_xfer is 0 when the transfer itself was refused
 *
 * One transfer, submitted and waited for without a deadline (the driver's
 * hang check bounds a stuck channel: -ETIMEDOUT).  Returns what
 * micmem_submit() or micmem_wait() returned.  -EINTR means the copy is
 * still in flight: @status->ticket names it, micmem_wait() for it before
 * touching the memory.
 */
MICMEM_API int micmem_copy_to_card(struct micmem *m, uint32_t card,
				   uint64_t card_addr, uint64_t pool_offset,
				   uint64_t length, unsigned int channel,
				   struct micmem_status *status);

/**
 * micmem_copy_from_card() - copy card memory into the pool and wait
 * @pool_offset: destination in the pool
 * @card_addr:	source on the card
 *
 * The other direction of micmem_copy_to_card(), same rules.
 */
MICMEM_API int micmem_copy_from_card(struct micmem *m, uint32_t card,
				     uint64_t pool_offset, uint64_t card_addr,
				     uint64_t length, unsigned int channel,
				     struct micmem_status *status);

/**
 * micmem_error_class_name() - a batch error class in words
 * @error_class: MICMEM_ERR_* (struct micmem_status.error_class)
 *
 * Returns a static string: "none", "channel error", "card lost",
 * "card reset", "channel hung", or "unknown".
 */
MICMEM_API const char *micmem_error_class_name(uint32_t error_class);

/* ------------------------------------------------------------------ */
/* Cards (sysfs)                                                       */
/*
 * These read /sys/class/mic (doc/sysfs-class-mic) and need no handle, nor
 * access to /dev/mic/ctrl.  The environment variable MICMEM_SYSFS replaces
 * /sys/class/mic (ignored in set-user-ID programs).
 */

/**
 * micmem_card_list() - the card numbers that exist now
 * @cards:	out: up to @max card numbers, ascending; may be NULL if @max
 *		is 0
 * @max:	room at @cards
 *
 * Returns the number of cards (which may exceed @max: call again with
 * more room), -ENOENT when there is no /sys/class/mic (micmem.ko not
 * loaded), -EINVAL (@cards NULL with @max > 0), or another -errno of
 * reading the directory.
 */
MICMEM_API int micmem_card_list(uint32_t *cards, unsigned int max);

/* One card, from /sys/class/mic/micN. */
struct micmem_card_info {
	uint32_t card;		/* N */
	int32_t last_error;	/* 0, or why the card is in a failure state */
	char state[16];		/* "ready", "booting", "online", "boot failed",
				 * "resetting", "reset failed", "lost" */
	char post_code[4];	/* two characters, e.g. "12" or "FF"; "" when
				 * post_code_error is not 0 */
	int32_t post_code_error; /* 0; -EAGAIN no code yet; -ENXIO the card
				  * does not respond */
	char stepping[8];	/* "A0", "B0", "B1", "C0", "unknown" */
	char family[8];		/* "x100" */
	char bus[8];		/* "pci" or "sim" */
	uint64_t memsize;	/* bytes of card memory; 0 until first ready */
	uint64_t dma_window;	/* bytes from card address 0 DMA may reach */
	uint64_t reserved[6];	/* zero */
};

/**
 * micmem_card_info() - state and geometry of card micN
 * @card:	N
 * @info:	out
 *
 * Returns 0, -EINVAL (@info NULL), -ENODEV (no such card, or it went away
 * while being read), or another -errno of reading an attribute.
 */
MICMEM_API int micmem_card_info(uint32_t card,
				struct micmem_card_info *info);

/* Statistics of one DMA channel since the card was registered. */
struct micmem_chan_stats {
	uint64_t descriptors;	/* descriptors handed to the engine */
	uint64_t bytes;		/* bytes of completed copy descriptors */
	uint64_t batches;	/* batch parts completed */
	uint64_t errors;	/* channel errors and resets of hung channels */
	uint64_t busy_ns;	/* time with work in flight */
	uint64_t reserved[3];	/* zero */
};

/**
 * micmem_chan_stats() - statistics of DMA channel @channel of micN
 * @card:	N
 * @channel:	0 or 1
 * @stats:	out
 *
 * Returns 0, -EINVAL (@stats NULL, @channel not 0 or 1), -ENODEV (no such
 * card), -EOPNOTSUPP (the driver has no statistics), or another -errno.
 */
MICMEM_API int micmem_chan_stats(uint32_t card, unsigned int channel,
				 struct micmem_chan_stats *stats);

/* ------------------------------------------------------------------ */
/* Card state (sysfs, since 0.2)                                       */
/*
 * The card state machine of doc/sysfs-class-mic through its "state"
 * attribute.  The commands return as soon as the driver accepted them;
 * micmem_card_wait_state() waits for the outcome.  Writing "state" needs
 * root (the attribute is 0644).
 */

/* The states of a card; "state" shows their names. */
enum micmem_card_state {
	MICMEM_CARD_READY = 0,		/* "ready": waits for an image; DMA */
	MICMEM_CARD_BOOTING = 1,	/* "booting" */
	MICMEM_CARD_ONLINE = 2,		/* "online": the image runs; DMA */
	MICMEM_CARD_BOOT_FAILED = 3,	/* "boot failed" */
	MICMEM_CARD_RESETTING = 4,	/* "resetting" */
	MICMEM_CARD_RESET_FAILED = 5,	/* "reset failed" */
	MICMEM_CARD_LOST = 6,		/* "lost": the card does not respond */
};
#define MICMEM_CARD_NR_STATES		7
/* A set of states for micmem_card_wait_state(). */
#define MICMEM_CARD_STATE_BIT(s)	(1U << (s))
#define MICMEM_CARD_ALL_STATES		((1U << MICMEM_CARD_NR_STATES) - 1)

/* micmem_card_reset() flags */
#define MICMEM_CARD_RESET_FORCE		(1U << 0) /* "reset:force" */

/**
 * micmem_card_state() - the state card micN is in now
 * @card:	N
 *
 * Returns a MICMEM_CARD_* state (>= 0), -ENODEV (no such card), -EPROTO
 * (a state this library does not know), or another -errno of reading it.
 */
MICMEM_API int micmem_card_state(uint32_t card);

/**
 * micmem_card_state_name() - the name "state" shows for @state
 * @state:	MICMEM_CARD_*
 *
 * Returns a static string ("ready", "boot failed", ...), or NULL when
 * @state is not a state.
 */
MICMEM_API const char *micmem_card_state_name(int state);

/**
 * micmem_card_state_parse() - a state from its name
 * @name:	"ready", "boot failed", ...; '_' or '-' may stand for the
 *		space ("boot_failed")
 *
 * Returns the MICMEM_CARD_* state or -EINVAL (@name NULL or no state).
 */
MICMEM_API int micmem_card_state_parse(const char *name);

/**
 * micmem_card_boot() - boot an image on a ready card
 * @card:	N
 * @image:	names the image for the driver; passed as it is in
 *		"boot:elf:<image>" (the driver decides how to find it)
 *
 * Returns 0 once the driver started the boot (the card is booting), or
 * the driver's errno: -EBUSY (booting, resetting or online), -EIO (a
 * failed state: reset first), -ENODEV (no such card, or lost), -ENOENT,
 * -EACCES, -EISDIR, -EINVAL, -EFBIG (the image), -E2BIG (@image longer
 * than a sysfs write), -EACCES/-EPERM (not root); -EINVAL when @image is
 * NULL or empty.
 */
MICMEM_API int micmem_card_boot(uint32_t card, const char *image);

/**
 * micmem_card_reset() - reset a card back to ready
 * @card:	N
 * @flags:	0 or MICMEM_CARD_RESET_FORCE (reset in any state, even a
 *		ready, booting, resetting or lost card)
 *
 * Returns 0 once the reset started (the card is resetting), -EINVAL
 * (unknown @flags), or the driver's errno: -EALREADY (ready already,
 * without the force flag), -EBUSY (booting or resetting), -ENODEV.
 */
MICMEM_API int micmem_card_reset(uint32_t card, unsigned int flags);

/**
 * micmem_card_shutdown() - stop the card's OS (a reset back to ready)
 * @card:	N
 *
 * Returns 0 (also on a ready card, where nothing happens) or the
 * driver's errno: -EBUSY (booting or resetting), -ENODEV.
 */
MICMEM_API int micmem_card_shutdown(uint32_t card);

/**
 * micmem_card_wait_state() - wait until a card is in one of @states
 * @card:	N
 * @states:	a set of MICMEM_CARD_STATE_BIT(MICMEM_CARD_*)
 * @deadline_ns: CLOCK_MONOTONIC in ns (micmem_deadline_ns()), or
 *		MICMEM_WAIT_NO_BLOCK (just look), MICMEM_WAIT_FOREVER
 *
 * Sleeps in poll(2) on the "state" attribute, which the driver notifies
 * on every change.  Returns the state reached (>= 0), -ETIME (the
 * deadline passed first), -ENODEV (no such card, or it was removed),
 * -EINTR (a signal: call again with the same deadline), -EINVAL (@states
 * empty or with bits of no state), -EPROTO (a state this library does not
 * know).
 */
MICMEM_API int micmem_card_wait_state(uint32_t card, unsigned int states,
				      uint64_t deadline_ns);

/**
 * micmem_card_image() - the image given to the last boot that reached
 *			 the card
 * @card:	N
 * @buf:	out: the "image" attribute, "" if there was none
 * @len:	room at @buf
 *
 * Returns 0, -EINVAL (@buf NULL or @len 0), -ERANGE (@len too small),
 * -ENODEV, or another -errno of reading it.
 */
MICMEM_API int micmem_card_image(uint32_t card, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* LIBMICMEM_H */
