/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * micmem: zero-copy DMA between host memory and Intel Xeon Phi x100
 * ("Knights Corner") coprocessor memory.
 *
 * One control node, /dev/mic/ctrl, serves every card.  A typical session:
 *
 *   fd = open("/dev/mic/ctrl", O_RDWR | O_CLOEXEC);
 *   ioctl(fd, MICMEM_IOC_QUERY, &q);            version, features, cards
 *   ioctl(fd, MICMEM_IOC_POOL_CREATE, &pc);     2 MiB huge-page pool
 *   p = mmap(NULL, pc.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
 *            pc.mmap_offset);
 *   ioctl(fd, MICMEM_IOC_ATTACH, &a);           open card N for DMA
 *   ... fill p ...
 *   ioctl(fd, MICMEM_IOC_SUBMIT, &s);           queue descriptors, get ticket
 *   ioctl(fd, MICMEM_IOC_WAIT, &w);             wait for the ticket
 *
 * Rules that hold for every structure below:
 *  - only fixed-width types, natural alignment, explicit padding;
 *  - every field named "reserved" must be zero on input (-EINVAL otherwise)
 *    and is zero on output;
 *  - unknown flag bits are rejected with -EINVAL;
 *  - unknown ioctl commands fail with -ENOTTY.
 *
 * doc/uapi.md is the reference manual for this header.
 */
#ifndef _UAPI_LINUX_MICMEM_H
#define _UAPI_LINUX_MICMEM_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * Interface version reported by MICMEM_IOC_QUERY.
 *  1: first version.
 *  2: MICMEM_IOC_WAIT returns 0 whenever it hands a batch back (the
 *     batch's result is in the struct) and -1/errno only for its own
 *     failures; each batch is handed back exactly once; a result that
 *     cannot be copied out leaves the ticket waitable.  SUBMIT writes
 *     bad_xfer and ticket back on every failure past reading its argument.
 *  3: the pool is a file of a private tmpfs: micmem_pool_info.faults and
 *     pte_faults are always 0 and map_mode always MICMEM_MAP_PMD;
 *     MADV_REMOVE of pool memory fails with EPERM; the last close() of
 *     the fd ends the pool even while it is mapped (the mapping keeps its
 *     bytes as ordinary memory).
 */
#define MICMEM_API_VERSION		3

/* Control node, relative to /dev. */
#define MICMEM_CTRL_NODE		"mic/ctrl"

/* Size of one pool chunk: a 2 MiB compound page. */
#define MICMEM_CHUNK_SHIFT		21
#define MICMEM_CHUNK_SIZE		(1ULL << MICMEM_CHUNK_SHIFT)

/* DMA engine rule: pool offset, card address and length are multiples. */
#define MICMEM_DMA_ALIGN		64

/* ioctl magic; 0xC8 is unused in Documentation/userspace-api/ioctl. */
#define MICMEM_IOC_MAGIC		0xC8

/* Feature bits reported in micmem_query.features. */
#define MICMEM_FEAT_POOL		(1ULL << 0) /* POOL_CREATE and mmap */
#define MICMEM_FEAT_POOL_PMD		(1ULL << 1) /* pool mapped by 2 MiB PMDs */
#define MICMEM_FEAT_DMA			(1ULL << 2) /* ATTACH/SUBMIT/WAIT */
#define MICMEM_FEAT_DUAL_CHANNEL	(1ULL << 3) /* MICMEM_CHAN_AUTO stripes */
#define MICMEM_FEAT_POLL		(1ULL << 4) /* poll() reports completions */
#define MICMEM_FEAT_WAIT_POLL		(1ULL << 5) /* MICMEM_WAIT_POLL */

/**
 * struct micmem_query - MICMEM_IOC_QUERY: what this driver offers
 * @api_version:	MICMEM_API_VERSION of the running driver
 * @num_cards:		number of cards registered right now
 * @features:		MICMEM_FEAT_* bits
 * @pool_max_bytes:	largest pool one fd may create (module parameter
 *			pool_max_mb); RLIMIT_MEMLOCK applies as well
 * @max_batch:		most descriptors one MICMEM_IOC_SUBMIT accepts
 * @max_cards:		highest card number + 1 the driver can register
 * @reserved:		zero
 */
struct micmem_query {
	__u32 api_version;
	__u32 num_cards;
	__u64 features;
	__u64 pool_max_bytes;
	__u32 max_batch;
	__u32 max_cards;
	__u64 reserved[4];
};

/* Pool flags: none defined yet. */
#define MICMEM_POOL_VALID_FLAGS		0U

/**
 * struct micmem_pool_create - MICMEM_IOC_POOL_CREATE: allocate the fd's pool
 * @size:		in: bytes, a non-zero multiple of MICMEM_CHUNK_SIZE
 * @flags:		in: must be 0 (MICMEM_POOL_VALID_FLAGS)
 * @reserved0:		in: zero
 * @mmap_offset:	out: the offset to pass to mmap()
 * @reserved:		in: zero
 *
 * One pool per file descriptor; a second create fails with -EEXIST.
 */
struct micmem_pool_create {
	__u64 size;
	__u32 flags;
	__u32 reserved0;
	__u64 mmap_offset;
	__u64 reserved[2];
};

/* micmem_pool_info.map_mode */
#define MICMEM_MAP_PMD			1 /* one 2 MiB entry per chunk */
#define MICMEM_MAP_PTE			2 /* 4 KiB entries (API 1 and 2 only) */

/**
 * struct micmem_pool_info - MICMEM_IOC_POOL_INFO: the fd's pool
 * @size:		pool size in bytes
 * @chunk_size:		MICMEM_CHUNK_SIZE
 * @nr_chunks:		size / chunk_size
 * @map_mode:		MICMEM_MAP_PMD: chunks are mapped with 2 MiB entries
 *			where the mapping allows (on 6.12 not in a process or
 *			VMA that opted out of huge pages: PR_SET_THP_DISABLE,
 *			MADV_NOHUGEPAGE).
 * @faults:		0 (API 1 and 2: page faults served for the pool)
 * @pte_faults:		0 (API 1 and 2: those served with a 4 KiB entry)
 * @reserved:		zero
 */
struct micmem_pool_info {
	__u64 size;
	__u64 chunk_size;
	__u32 nr_chunks;
	__u32 map_mode;
	__u64 faults;
	__u64 pte_faults;
	__u64 reserved[3];
};

/* Attach flags: none defined yet. */
#define MICMEM_ATTACH_VALID_FLAGS	0U

/**
 * struct micmem_attach - MICMEM_IOC_ATTACH / MICMEM_IOC_DETACH
 * @card:	card number N of /sys/class/mic/micN
 * @flags:	must be 0
 * @reserved:	zero
 *
 * ATTACH maps the fd's pool for DMA by card @card, once; the fd needs a
 * pool first (-ENOBUFS otherwise).  DETACH undoes it; batches in flight
 * keep the mapping until they complete.
 */
struct micmem_attach {
	__u32 card;
	__u32 flags;
	__u64 reserved[2];
};

/* micmem_xfer.dir */
#define MICMEM_DIR_TO_CARD		0 /* pool -> card memory */
#define MICMEM_DIR_FROM_CARD		1 /* card memory -> pool */

/* micmem_xfer.channel */
#define MICMEM_CHAN_0			0
#define MICMEM_CHAN_1			1
#define MICMEM_CHAN_AUTO		2 /* stripe over both, 2 MiB granularity */

/* Transfer flags: none defined yet. */
#define MICMEM_XFER_VALID_FLAGS		0U

/**
 * struct micmem_xfer - one transfer of a batch
 * @pool_offset:	byte offset in the fd's pool (64-byte aligned)
 * @card_addr:		card physical address (64-byte aligned, inside the
 *			card's DMA window, /sys/class/mic/micN/dma_window)
 * @length:		bytes (non-zero multiple of 64)
 * @dir:		MICMEM_DIR_*
 * @channel:		MICMEM_CHAN_*
 * @flags:		must be 0
 * @reserved:		zero
 */
struct micmem_xfer {
	__u64 pool_offset;
	__u64 card_addr;
	__u64 length;
	__u8 dir;
	__u8 channel;
	__u16 flags;
	__u32 reserved;
};

/* Submit flags */
#define MICMEM_SUBMIT_NONBLOCK		(1U << 0) /* -EAGAIN when a ring is full */
#define MICMEM_SUBMIT_VALID_FLAGS	MICMEM_SUBMIT_NONBLOCK

/* micmem_submit.bad_xfer when no single transfer was at fault */
#define MICMEM_NO_XFER			0xffffffffU

/**
 * struct micmem_submit - MICMEM_IOC_SUBMIT: queue a batch on one card
 * @card:	in: an attached card
 * @flags:	in: MICMEM_SUBMIT_*
 * @count:	in: number of entries at @xfers (1 .. micmem_query.max_batch)
 * @bad_xfer:	out: when the submit fails because of one transfer (-EINVAL,
 *		-ERANGE), its index; MICMEM_NO_XFER otherwise, success included
 * @xfers:	in: user pointer to @count struct micmem_xfer
 * @ticket:	out: identifies the whole batch for MICMEM_IOC_WAIT; never 0;
 *		0 when the submit fails
 * @reserved:	zero
 *
 * The batch is validated completely before anything is queued: it is
 * queued whole or not at all.  @bad_xfer and @ticket are written back on
 * every outcome except -EFAULT for the struct itself.
 */
struct micmem_submit {
	__u32 card;
	__u32 flags;
	__u32 count;
	__u32 bad_xfer;
	__u64 xfers;
	__u64 ticket;
	__u64 reserved[2];
};

/* micmem_wait.deadline_ns special values */
#define MICMEM_WAIT_NO_BLOCK		0ULL
#define MICMEM_WAIT_FOREVER		(~0ULL)

/* Wait flags */
#define MICMEM_WAIT_ANY			(1U << 0) /* any ticket of the fd */
/*
 * Spin (bounded by the module parameter wait_poll_us, 50 us by default)
 * watching for the completion before sleeping; for small transfers whose
 * round trip is shorter than a sleep and a wake-up.  Needs
 * MICMEM_FEAT_WAIT_POLL.
 */
#define MICMEM_WAIT_POLL		(1U << 1)
#define MICMEM_WAIT_VALID_FLAGS		(MICMEM_WAIT_ANY | MICMEM_WAIT_POLL)

/* micmem_wait.error_class */
#define MICMEM_ERR_NONE			0
#define MICMEM_ERR_CHANNEL		1 /* the DMA engine reported an error */
#define MICMEM_ERR_CARD_LOST		2 /* card removed or not responding */
#define MICMEM_ERR_CARD_RESET		3 /* cancelled by a card reset */
#define MICMEM_ERR_TIMEOUT		4 /* channel hung; the driver reset it */

/**
 * struct micmem_wait - MICMEM_IOC_WAIT: wait for a ticket
 * @ticket:		in: from MICMEM_IOC_SUBMIT on this fd; ignored with
 *			MICMEM_WAIT_ANY.  out: the ticket waited for
 * @deadline_ns:	in: absolute CLOCK_MONOTONIC deadline in ns, or
 *			MICMEM_WAIT_NO_BLOCK / MICMEM_WAIT_FOREVER
 * @flags:		in: MICMEM_WAIT_*
 * @failed_xfer:	out: index in the batch of the first failed transfer
 *			(MICMEM_NO_XFER on success)
 * @error:		out: 0 if the batch succeeded, else its negative errno
 *			(-EIO channel error, -ENODEV card lost, -ECANCELED
 *			card reset, -ETIMEDOUT hung channel)
 * @error_class:	out: MICMEM_ERR_*
 * @reserved:		zero
 *
 * Returns 0 whenever a batch is handed back, whether it succeeded or not:
 * @ticket, @error, @error_class and @failed_xfer then describe it.  A
 * failure of the call itself returns -1 with errno (-ETIME the deadline
 * passed first, -ENOENT no such ticket, -EINVAL, -EINTR, -EFAULT) and
 * hands no batch back; the struct is not written (except possibly for
 * -EFAULT on the result).
 *
 * Each completed batch is handed back exactly once, to one wait: a ticket
 * is consumed when its result has been copied to user space, and a wait
 * for it that was blocked at the same time, or comes later, fails with
 * -ENOENT.  This holds between waits for the ticket and MICMEM_WAIT_ANY
 * alike.  If the result cannot be written (-EFAULT), the batch is not
 * consumed and stays waitable as before.  MICMEM_WAIT_ANY takes the
 * oldest completed batch of the fd not being handed to another wait
 * (waiting for one if none is), -ENOENT when the fd has no batch at all.
 */
struct micmem_wait {
	__u64 ticket;
	__u64 deadline_ns;
	__u32 flags;
	__u32 failed_xfer;
	__s32 error;
	__u32 error_class;
	__u64 reserved[2];
};

#define MICMEM_IOC_QUERY	_IOR(MICMEM_IOC_MAGIC, 0x00, struct micmem_query)
#define MICMEM_IOC_POOL_CREATE	_IOWR(MICMEM_IOC_MAGIC, 0x01, struct micmem_pool_create)
#define MICMEM_IOC_POOL_INFO	_IOR(MICMEM_IOC_MAGIC, 0x02, struct micmem_pool_info)
#define MICMEM_IOC_ATTACH	_IOW(MICMEM_IOC_MAGIC, 0x03, struct micmem_attach)
#define MICMEM_IOC_DETACH	_IOW(MICMEM_IOC_MAGIC, 0x04, struct micmem_attach)
#define MICMEM_IOC_SUBMIT	_IOWR(MICMEM_IOC_MAGIC, 0x05, struct micmem_submit)
#define MICMEM_IOC_WAIT		_IOWR(MICMEM_IOC_MAGIC, 0x06, struct micmem_wait)

#endif /* _UAPI_LINUX_MICMEM_H */
