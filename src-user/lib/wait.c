// SPDX-License-Identifier: LGPL-2.1-or-later
/* MICMEM_IOC_WAIT, its deadlines, and the error classes it reports. */
#include <string.h>
#include <time.h>

#include "internal.h"

MICMEM_API uint64_t micmem_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

MICMEM_API uint64_t micmem_deadline_ns(uint64_t timeout_ns)
{
	uint64_t now = micmem_now_ns();

	if (timeout_ns >= MICMEM_WAIT_FOREVER - now)
		return MICMEM_WAIT_FOREVER;
	return now + timeout_ns;
}

MICMEM_API int micmem_wait(struct micmem *m, uint64_t ticket,
			   uint64_t deadline_ns, unsigned int flags,
			   struct micmem_status *status)
{
	struct micmem_wait w;
	int ret;

	if (!m)
		return -EINVAL;
	memset(&w, 0, sizeof(w));
	w.ticket = ticket;
	w.deadline_ns = deadline_ns;
	w.flags = flags;
	/*
	 * The driver (API version 2) returns 0 exactly when it hands a
	 * batch back, with the batch's result in the struct; an error is
	 * the call's own, and then no batch was consumed.
	 */
	ret = micmem_ioctl(m, MICMEM_IOC_WAIT, &w);
	if (status) {
		memset(status, 0, sizeof(*status));
		if (ret) {
			status->error = ret;
			status->failed_xfer = MICMEM_NO_XFER;
			status->error_class = MICMEM_ERR_NONE;
		} else {
			status->ticket = w.ticket;
			status->error = w.error;
			status->failed_xfer = w.failed_xfer;
			status->error_class = w.error_class;
		}
	}
	return ret ? ret : w.error;
}

MICMEM_API int micmem_wait_timeout(struct micmem *m, uint64_t ticket,
				   uint64_t timeout_ns, unsigned int flags,
				   struct micmem_status *status)
{
	uint64_t deadline = timeout_ns ? micmem_deadline_ns(timeout_ns) :
			    MICMEM_WAIT_NO_BLOCK;

	return micmem_wait(m, ticket, deadline, flags, status);
}

MICMEM_API const char *micmem_error_class_name(uint32_t error_class)
{
	switch (error_class) {
	case MICMEM_ERR_NONE:
		return "none";
	case MICMEM_ERR_CHANNEL:
		return "channel error";
	case MICMEM_ERR_CARD_LOST:
		return "card lost";
	case MICMEM_ERR_CARD_RESET:
		return "card reset";
	case MICMEM_ERR_TIMEOUT:
		return "channel hung";
	default:
		return "unknown";
	}
}
