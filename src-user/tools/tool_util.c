// SPDX-License-Identifier: GPL-2.0
/* tool_util.c - the tools' shared helpers; see tool_util.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tool_util.h"

void tool_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int tool_parse_card(const char *s, uint32_t *card)
{
	unsigned long long v;
	char *end;

	if (!strncmp(s, "mic", 3))
		s += 3;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return -EINVAL;
	*card = (uint32_t)v;
	return 0;
}

int tool_parse_size(const char *s, uint64_t *bytes)
{
	int base = strncmp(s, "0x", 2) ? 10 : 16;
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (base == 16)
		s += 2;
	if (base == 10 ? !isdigit((unsigned char)*s) :
			 !isxdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (shift && *end == 'i')	/* "KiB" */
		end++;
	if (shift && *end == 'B')	/* "KB", "KiB" */
		end++;
	if (*end || v > (UINT64_MAX >> shift))
		return -EINVAL;
	*bytes = (uint64_t)v << shift;
	return 0;
}

const char *tool_fmt_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;
	double v = (double)bytes;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0 || v == (double)(uint64_t)v)
		snprintf(buf, len, "%.0f %s", v, unit[u]);
	else
		snprintf(buf, len, "%.1f %s", v, unit[u]);
	return buf;
}

void tool_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

const char *tool_open_hint(int err)
{
	return err == -ENOENT ? " (is micmem.ko loaded?)" : "";
}

const char *tool_pool_hint(int err)
{
	switch (err) {
	case -E2BIG:
		return " (over the driver's pool_max_mb)";
	case -ENOMEM:
		return " (RLIMIT_MEMLOCK, or no free 2 MiB pages)";
	case -EOPNOTSUPP:
		return " (the kernel has no 2 MiB tmpfs pages)";
	default:
		return "";
	}
}
