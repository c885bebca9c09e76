// SPDX-License-Identifier: GPL-2.0
/*
 * micsim.c - simulated-card helpers for test programs, see micsim.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "micsim.h"

static int micsim_path(char *buf, size_t len, const char *root,
		       const char *name, const char *file)
{
	int n;

	if (!name || !*name || strchr(name, '/'))
		return -EINVAL;
	if (file && (!*file || strchr(file, '/')))
		return -EINVAL;
	n = file ? snprintf(buf, len, "%s/%s/%s", root, name, file) :
		   snprintf(buf, len, "%s/%s", root, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int micsim_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	size_t got = 0;
	int fd, err = 0;

	if (!len)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got < len - 1) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (!n)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	if (got && buf[got - 1] == '\n')
		buf[got - 1] = '\0';
	return err;
}

int micsim_write(const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = write(fd, value, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

static int micsim_attr_path(char *buf, size_t len, const char *name,
			    const char *attr)
{
	return micsim_path(buf, len, MICSIM_CONFIGFS, name, attr);
}

int micsim_set(const char *name, const char *attr, const char *value)
{
	char path[PATH_MAX];
	int err;

	err = micsim_attr_path(path, sizeof(path), name, attr);
	return err ? err : micsim_write(path, value);
}

int micsim_knob_set(const char *name, const char *knob, const char *value)
{
	char path[PATH_MAX];
	int err;

	err = micsim_path(path, sizeof(path), MICSIM_DEBUGFS, name, knob);
	return err ? err : micsim_write(path, value);
}

long long micsim_knob_get(const char *name, const char *knob)
{
	char path[PATH_MAX], buf[64], *end;
	long long v;
	int err;

	err = micsim_path(path, sizeof(path), MICSIM_DEBUGFS, name, knob);
	if (!err)
		err = micsim_read(path, buf, sizeof(buf));
	if (err)
		return err;
	errno = 0;
	v = strtoll(buf, &end, 0);
	if (errno)
		return -errno;
	if (end == buf || *end)
		return -EINVAL;
	return v;
}

long long micsim_knob_wait(const char *name, const char *knob, long long want,
			   int ms)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 }, now, end;
	long long v;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	for (;;) {
		v = micsim_knob_get(name, knob);
		if (v < 0 || v == want)
			return v;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec ||
		    (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
			return v;
		nanosleep(&ts, NULL);
	}
}

long long micsim_peek(const char *name, unsigned int off)
{
	char v[16];
	int err;

	snprintf(v, sizeof(v), "0x%x", off);
	err = micsim_knob_set(name, "peek_offset", v);
	return err ? err : micsim_knob_get(name, "peek");
}

int micsim_poke(const char *name, unsigned int off, unsigned int val)
{
	char v[16];
	int err;

	snprintf(v, sizeof(v), "0x%x", off);
	err = micsim_knob_set(name, "peek_offset", v);
	if (err)
		return err;
	snprintf(v, sizeof(v), "0x%x", val);
	return micsim_knob_set(name, "poke", v);
}

int micsim_mmio_read(const char *path, struct micsim_mmio *m)
{
	char line[256], reg[64], tail;
	unsigned long long r, w;
	unsigned int off;
	int err = 0;
	FILE *f;

	memset(m, 0, sizeof(*m));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!err && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s 0x%x reads %llu writes %llu%c", reg,
			   &off, &r, &w, &tail) != 5 || tail != '\n' ||
		    off % 4 || off / 4 >= MICSIM_NR_REGS) {
			err = -EINVAL;
			break;
		}
		m->reads[off / 4] = r;
		m->writes[off / 4] = w;
	}
	if (!err && ferror(f))
		err = -EIO;
	fclose(f);
	return err;
}

int micsim_mmio(const char *name, struct micsim_mmio *m)
{
	char path[PATH_MAX];
	int err;

	err = micsim_path(path, sizeof(path), MICSIM_DEBUGFS, name, "mmio");
	return err ? err : micsim_mmio_read(path, m);
}

int micsim_del(const char *name)
{
	char path[PATH_MAX], live[16];
	int err;

	err = micsim_attr_path(path, sizeof(path), name, "live");
	if (err)
		return err;
	err = micsim_read(path, live, sizeof(live));
	if (err)
		return err;
	if (strcmp(live, "0")) {
		err = micsim_write(path, "0");
		if (err)
			return err;
	}
	err = micsim_path(path, sizeof(path), MICSIM_CONFIGFS, name, NULL);
	if (err)
		return err;
	return rmdir(path) ? -errno : 0;
}

static int micsim_add_attrs(const char *name, va_list ap)
{
	char path[PATH_MAX], attr[128];
	const char *kv, *eq;
	int err;

	while ((kv = va_arg(ap, const char *))) {
		eq = strchr(kv, '=');
		if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(attr))
			return -EINVAL;
		memcpy(attr, kv, eq - kv);
		attr[eq - kv] = '\0';
		err = micsim_attr_path(path, sizeof(path), name, attr);
		if (!err)
			err = micsim_write(path, eq + 1);
		if (err)
			return err;
	}
	return 0;
}

int micsim_add(const char *name, ...)
{
	char path[PATH_MAX], buf[32], *end;
	va_list ap;
	long card;
	int err;

	err = micsim_path(path, sizeof(path), MICSIM_CONFIGFS, name, NULL);
	if (err)
		return err;
	if (mkdir(path, 0755))
		return -errno;

	va_start(ap, name);
	err = micsim_add_attrs(name, ap);
	va_end(ap);
	if (!err)
		err = micsim_set(name, "live", "1");
	if (!err) {
		err = micsim_attr_path(path, sizeof(path), name, "card");
		if (!err)
			err = micsim_read(path, buf, sizeof(buf));
	}
	if (!err) {
		errno = 0;
		card = strtol(buf, &end, 10);
		if (errno || end == buf || *end || card < 0 || card > INT_MAX)
			err = -EINVAL;
	}
	if (err) {
		micsim_del(name);
		return err;
	}
	return (int)card;
}
