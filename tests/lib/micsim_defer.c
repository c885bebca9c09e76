// SPDX-License-Identifier: GPL-2.0
/*
 * micsim_defer.c - teardown of sim knobs, attributes and cards for TAP test
 * cases (tap.h), see micsim.h.  A member of its own in the micsim library:
 * programs that do not use it (scripts/demo's demo-dma) need no tap.c.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "micsim.h"
#include "tap.h"

static const char *micsim_defer_path(char *buf, size_t len, const char *root,
				     const char *name, const char *file)
{
	int n;

	if (!name || !*name || strchr(name, '/') ||
	    (file && (!*file || strchr(file, '/'))))
		TAP_FAIL_(1, "teardown: bad sim card %s or file %s",
			  name ? name : "(null)", file ? file : "(null)");
	n = file ? snprintf(buf, len, "%s/%s/%s", root, name, file) :
		   snprintf(buf, len, "%s/%s", root, name);
	if (n < 0 || (size_t)n >= len)
		TAP_FAIL_(1, "teardown: path of %s too long", name);
	return buf;
}

void micsim_defer_knob(const char *name, const char *knob)
{
	char path[PATH_MAX];

	tap_defer_restore_file(micsim_defer_path(path, sizeof(path),
						 MICSIM_DEBUGFS, name, knob));
}

void micsim_defer_attr(const char *name, const char *attr)
{
	char path[PATH_MAX];

	tap_defer_restore_file(micsim_defer_path(path, sizeof(path),
						 MICSIM_CONFIGFS, name, attr));
}

void micsim_defer_del(const char *name)
{
	char path[PATH_MAX];

	/* LIFO: offline first, then the directory goes. */
	tap_defer_rmdir(micsim_defer_path(path, sizeof(path), MICSIM_CONFIGFS,
					  name, NULL));
	tap_defer_write(micsim_defer_path(path, sizeof(path), MICSIM_CONFIGFS,
					  name, "live"), "0");
}
