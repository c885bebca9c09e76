// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * MICMEM_IOC_ATTACH, _DETACH and _SUBMIT, and the synchronous copies built
 * on submit + wait.
 */
#include <string.h>

#include "internal.h"

static int micmem_attach_ioctl(struct micmem *m, unsigned long cmd,
			       uint32_t card)
{
	struct micmem_attach a;

	if (!m)
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	a.card = card;
	return micmem_ioctl(m, cmd, &a);
}

MICMEM_API int micmem_attach(struct micmem *m, uint32_t card)
{
	return micmem_attach_ioctl(m, MICMEM_IOC_ATTACH, card);
}

MICMEM_API int micmem_detach(struct micmem *m, uint32_t card)
{
	return micmem_attach_ioctl(m, MICMEM_IOC_DETACH, card);
}

MICMEM_API int micmem_submit(struct micmem *m, uint32_t card,
			     const struct micmem_xfer *xfers,
			     unsigned int count, unsigned int flags,
			     uint64_t *ticket, uint32_t *bad_xfer)
{
	struct micmem_submit s;
	int ret;

	if (!m || !ticket)
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	s.card = card;
	s.flags = flags;
	s.count = count;
	s.bad_xfer = MICMEM_NO_XFER;
	s.xfers = (uintptr_t)xfers;
	ret = micmem_ioctl(m, MICMEM_IOC_SUBMIT, &s);
	/* The driver writes bad_xfer back on failures too. */
	*ticket = ret ? 0 : s.ticket;
	if (bad_xfer)
		*bad_xfer = s.bad_xfer;
	return ret;
}

static int micmem_copy(struct micmem *m, uint32_t card, uint64_t pool_offset,
		       uint64_t card_addr, uint64_t length, unsigned int dir,
		       unsigned int channel, struct micmem_status *status)
{
	struct micmem_status st;
	struct micmem_xfer x;
	uint64_t ticket;
	uint32_t bad;
	int ret;

	if (!status)
		status = &st;
	micmem_xfer_init(&x, pool_offset, card_addr, length, dir, channel);
	ret = micmem_submit(m, card, &x, 1, 0, &ticket, &bad);
	if (ret) {
		memset(status, 0, sizeof(*status));
		status->error = ret;
		status->failed_xfer = bad;
		return ret;
	}
	ret = micmem_wait(m, ticket, MICMEM_WAIT_FOREVER, 0, status);
	if (ret == -EINTR)	/* still in flight: the caller waits for it */
		status->ticket = ticket;
	return ret;
}

MICMEM_API int micmem_copy_to_card(struct micmem *m, uint32_t card,
				   uint64_t card_addr, uint64_t pool_offset,
				   uint64_t length, unsigned int channel,
				   struct micmem_status *status)
{
	return micmem_copy(m, card, pool_offset, card_addr, length,
			   MICMEM_DIR_TO_CARD, channel, status);
}

MICMEM_API int micmem_copy_from_card(struct micmem *m, uint32_t card,
				     uint64_t pool_offset, uint64_t card_addr,
				     uint64_t length, unsigned int channel,
				     struct micmem_status *status)
{
	return micmem_copy(m, card, pool_offset, card_addr, length,
			   MICMEM_DIR_FROM_CARD, channel, status);
}
