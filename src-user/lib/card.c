// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cards as /sys/class/mic shows them (doc/sysfs-class-mic).  No handle:
 * these work without access to /dev/mic/ctrl.  MICMEM_SYSFS replaces the
 * class directory for tests (libnvme's LIBNVME_SYSFS_PATH pattern).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

const char *micmem_sysfs_root(void)
{
	const char *root = secure_getenv("MICMEM_SYSFS");

	return root && *root ? root : "/sys/class/mic";
}

/* "mic<N>" with N a plain decimal number; -1 otherwise. */
static int64_t micmem_card_nr(const char *name)
{
	uint64_t n = 0;
	const char *p;

	if (strncmp(name, "mic", 3) || !name[3])
		return -1;
	if (name[3] == '0' && name[4])
		return -1;
	for (p = name + 3; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > UINT32_MAX)
			return -1;
	}
	return (int64_t)n;
}

static int micmem_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

MICMEM_API int micmem_card_list(uint32_t *cards, unsigned int max)
{
	uint32_t *all = NULL, *grown;
	size_t n = 0, room = 0;
	struct dirent *de;
	int64_t nr;
	DIR *dir;

	if (!cards && max)
		return -EINVAL;
	dir = opendir(micmem_sysfs_root());
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		nr = micmem_card_nr(de->d_name);
		if (nr < 0)
			continue;
		if (n == room) {
			room = room ? 2 * room : 16;
			grown = realloc(all, room * sizeof(*all));
			if (!grown) {
				free(all);
				closedir(dir);
				return -ENOMEM;
			}
			all = grown;
		}
		all[n++] = (uint32_t)nr;
	}
	closedir(dir);
	if (n)
		qsort(all, n, sizeof(*all), micmem_u32_cmp);
	if (max)
		memcpy(cards, all, (n < max ? n : max) * sizeof(*all));
	free(all);
	return n > INT_MAX ? INT_MAX : (int)n;
}

/* Path of @attr ("" for the directory) of micN; -ENAMETOOLONG if cut. */
int micmem_card_path(char *buf, size_t len, uint32_t card,
			    const char *attr)
{
	int n = snprintf(buf, len, "%s/mic%" PRIu32 "%s%s",
			 micmem_sysfs_root(), card, *attr ? "/" : "", attr);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int micmem_card_exists(uint32_t card)
{
	char path[PATH_MAX];
	struct stat st;
	int ret;

	ret = micmem_card_path(path, sizeof(path), card, "");
	if (ret)
		return ret;
	if (stat(path, &st))
		return errno == ENOENT ? -ENODEV : -errno;
	return 0;
}

/*
 * Attribute @attr of micN into @buf without its newline.  -ENOENT when
 * the card has no such attribute, -ENODEV when the card is gone.
 */
int micmem_card_read(uint32_t card, const char *attr, char *buf,
		     size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, ret;

	ret = micmem_card_path(path, sizeof(path), card, attr);
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	n = read(fd, buf, len - 1);
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret)
		goto out;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
out:
	/* A vanished directory is a vanished card, not a missing file. */
	if (ret == -ENOENT && micmem_card_exists(card) == -ENODEV)
		ret = -ENODEV;
	return ret;
}

/*
 * Same for a string field: a missing attribute leaves it "", a value too
 * long for it (none of the documented ones is) is cut.
 */
static int micmem_card_str(uint32_t card, const char *attr, char *field,
			   size_t len)
{
	char buf[256];
	size_t n;
	int ret;

	ret = micmem_card_read(card, attr, buf, sizeof(buf));
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	n = strlen(buf);
	if (n >= len)
		n = len - 1;
	memcpy(field, buf, n);
	field[n] = '\0';
	return 0;
}

/* Same for a number: a missing attribute leaves it 0. */
static int micmem_card_num(uint32_t card, const char *attr, int64_t *val)
{
	char buf[64], *end;
	int ret;

	ret = micmem_card_read(card, attr, buf, sizeof(buf));
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	errno = 0;
	*val = strtoll(buf, &end, 0);
	if (errno || end == buf || *end)
		return -EPROTO;
	return 0;
}

MICMEM_API int micmem_card_info(uint32_t card, struct micmem_card_info *info)
{
	int64_t last_error = 0, memsize = 0, window = 0;
	int ret;

	if (!info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	ret = micmem_card_exists(card);
	if (ret)
		return ret;
	info->card = card;

	ret = micmem_card_str(card, "state", info->state, sizeof(info->state));
	if (ret)
		return ret;
	ret = micmem_card_read(card, "post_code", info->post_code,
			       sizeof(info->post_code));
	if (ret == -EAGAIN || ret == -ENXIO) {
		info->post_code[0] = '\0';
		info->post_code_error = ret;
	} else if (ret && ret != -ENOENT) {
		return ret;
	}
	ret = micmem_card_str(card, "stepping", info->stepping,
			      sizeof(info->stepping));
	if (!ret)
		ret = micmem_card_str(card, "family", info->family,
				      sizeof(info->family));
	if (!ret)
		ret = micmem_card_str(card, "bus", info->bus, sizeof(info->bus));
	if (!ret)
		ret = micmem_card_num(card, "last_error", &last_error);
	if (!ret)
		ret = micmem_card_num(card, "memsize", &memsize);
	if (!ret)
		ret = micmem_card_num(card, "dma_window", &window);
	if (ret)
		return ret;
	info->last_error = (int32_t)last_error;
	info->memsize = (uint64_t)memsize * 1024;	/* sysfs: KiB */
	info->dma_window = (uint64_t)window;
	return 0;
}

MICMEM_API int micmem_chan_stats(uint32_t card, unsigned int channel,
				 struct micmem_chan_stats *stats)
{
	static const char *const names[] = {
		"descriptors", "bytes", "batches", "errors", "busy_ns",
	};
	char attr[32], buf[32], *end;
	uint64_t *fields[5];
	unsigned int i;
	int ret;

	if (!stats || channel > 1)
		return -EINVAL;
	memset(stats, 0, sizeof(*stats));
	fields[0] = &stats->descriptors;
	fields[1] = &stats->bytes;
	fields[2] = &stats->batches;
	fields[3] = &stats->errors;
	fields[4] = &stats->busy_ns;
	ret = micmem_card_exists(card);
	if (ret)
		return ret;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(attr, sizeof(attr), "dma%u/%s", channel, names[i]);
		ret = micmem_card_read(card, attr, buf, sizeof(buf));
		if (ret)
			return ret == -ENOENT ? -EOPNOTSUPP : ret;
		errno = 0;
		*fields[i] = strtoull(buf, &end, 10);
		if (errno || end == buf || *end)
			return -EPROTO;
	}
	return 0;
}
