// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The card state machine through /sys/class/mic/micN/state
 * (doc/sysfs-class-mic): read it, write its commands, wait for a state.
 * The boot argument is opaque here: the driver decides what it names.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/*
 * The driver notifies "state" on every change; this periodic look only
 * covers a notification that never comes (a filesystem that has none,
 * such as the tests' MICMEM_SYSFS tree) and a card directory removed
 * while we sleep.
 */
#define MICMEM_STATE_RECHECK_MS	200

static const char *const micmem_state_names[MICMEM_CARD_NR_STATES] = {
	[MICMEM_CARD_READY]		= "ready",
	[MICMEM_CARD_BOOTING]		= "booting",
	[MICMEM_CARD_ONLINE]		= "online",
	[MICMEM_CARD_BOOT_FAILED]	= "boot failed",
	[MICMEM_CARD_RESETTING]		= "resetting",
	[MICMEM_CARD_RESET_FAILED]	= "reset failed",
	[MICMEM_CARD_LOST]		= "lost",
};

MICMEM_API const char *micmem_card_state_name(int state)
{
	if (state < 0 || state >= MICMEM_CARD_NR_STATES)
		return NULL;
	return micmem_state_names[state];
}

MICMEM_API int micmem_card_state_parse(const char *name)
{
	int i;

	if (!name)
		return -EINVAL;
	for (i = 0; i < MICMEM_CARD_NR_STATES; i++) {
		const char *s = micmem_state_names[i], *p = name;

		for (; *s && *p; s++, p++)
			if (*p != *s && !(*s == ' ' && (*p == '_' || *p == '-')))
				break;
		if (!*s && !*p)
			return i;
	}
	return -EINVAL;
}

/* The state text as sysfs shows it: exact names only, -EPROTO else. */
static int micmem_state_of(const char *text)
{
	int i;

	for (i = 0; i < MICMEM_CARD_NR_STATES; i++)
		if (!strcmp(text, micmem_state_names[i]))
			return i;
	return -EPROTO;
}

MICMEM_API int micmem_card_state(uint32_t card)
{
	char buf[64];
	int ret;

	ret = micmem_card_read(card, "state", buf, sizeof(buf));
	if (ret)
		return ret == -ENOENT ? -ENODEV : ret;
	return micmem_state_of(buf);
}

/* Open micN's state attribute; -ENODEV when the card is not there. */
static int micmem_state_open(uint32_t card, int flags)
{
	char path[PATH_MAX];
	int fd, ret;

	ret = micmem_card_path(path, sizeof(path), card, "state");
	if (ret)
		return ret;
	fd = open(path, flags | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	ret = -errno;
	if (ret == -ENOENT)
		ret = -ENODEV;
	return ret;
}

/* One command, one write(2): 0 or the driver's errno. */
static int micmem_card_command(uint32_t card, const char *cmd)
{
	size_t len = strlen(cmd);
	ssize_t n;
	int fd, ret;

	fd = micmem_state_open(card, O_WRONLY | O_TRUNC);	/* as echo(1) */
	if (fd < 0)
		return fd;
	n = write(fd, cmd, len);
	ret = n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
	close(fd);
	return ret;
}

MICMEM_API int micmem_card_boot(uint32_t card, const char *image)
{
	static const char prefix[] = "boot:elf:";
	size_t len;
	char *cmd;
	int ret;

	if (!image || !*image)
		return -EINVAL;
	len = strlen(image);
	cmd = malloc(sizeof(prefix) + len);
	if (!cmd)
		return -ENOMEM;
	memcpy(cmd, prefix, sizeof(prefix) - 1);
	memcpy(cmd + sizeof(prefix) - 1, image, len + 1);
	ret = micmem_card_command(card, cmd);
	free(cmd);
	return ret;
}

MICMEM_API int micmem_card_reset(uint32_t card, unsigned int flags)
{
	if (flags & ~MICMEM_CARD_RESET_FORCE)
		return -EINVAL;
	return micmem_card_command(card, flags & MICMEM_CARD_RESET_FORCE ?
				   "reset:force" : "reset");
}

MICMEM_API int micmem_card_shutdown(uint32_t card)
{
	return micmem_card_command(card, "shutdown");
}

MICMEM_API int micmem_card_wait_state(uint32_t card, unsigned int states,
				      uint64_t deadline_ns)
{
	struct pollfd pfd;
	uint64_t now, left;
	char buf[64];
	ssize_t n;
	int fd, ret, ms;

	if (!states || (states & ~MICMEM_CARD_ALL_STATES))
		return -EINVAL;
	fd = micmem_state_open(card, O_RDONLY);
	if (fd < 0)
		return fd;
	for (;;) {
		/* sysfs poll: read the value, then sleep until it changes */
		n = pread(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0) {
			ret = errno == ENOENT ? -ENODEV : -errno;
			break;
		}
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
			n--;
		buf[n] = '\0';
		ret = micmem_state_of(buf);
		if (ret < 0 || (states & MICMEM_CARD_STATE_BIT(ret)))
			break;
		now = micmem_now_ns();
		if (deadline_ns != MICMEM_WAIT_FOREVER && now >= deadline_ns) {
			ret = -ETIME;
			break;
		}
		ms = MICMEM_STATE_RECHECK_MS;
		if (deadline_ns != MICMEM_WAIT_FOREVER) {
			left = (deadline_ns - now + 999999) / 1000000;
			if (left < (uint64_t)ms)
				ms = (int)left;
		}
		pfd.fd = fd;
		pfd.events = POLLPRI;
		pfd.revents = 0;
		if (poll(&pfd, 1, ms) < 0) {
			ret = -errno;
			break;
		}
		ret = micmem_card_exists(card);
		if (ret)
			break;
	}
	close(fd);
	return ret;
}

MICMEM_API int micmem_card_image(uint32_t card, char *buf, size_t len)
{
	char val[PATH_MAX + 2];
	size_t n;
	int ret;

	if (!buf || !len)
		return -EINVAL;
	ret = micmem_card_read(card, "image", val, sizeof(val));
	if (ret == -ENOENT)
		val[0] = '\0';
	else if (ret)
		return ret;
	n = strlen(val);
	if (n >= len)
		return -ERANGE;
	memcpy(buf, val, n + 1);
	return 0;
}
