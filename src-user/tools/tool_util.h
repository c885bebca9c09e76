/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tool_util.h - what micctl, micmem-info, micmem-bench and micmem-cp
 * share (tool_util.c): messages and their hints, exit codes, card names,
 * sizes with binary suffixes, JSON strings.  Messages are prefixed with
 * program_invocation_short_name, the name the tool was run as.
 */
#ifndef MICMEM_TOOL_UTIL_H
#define MICMEM_TOOL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit status shared by the tools (micctl's numbering). */
#define EXIT_OK		0	/* done */
#define EXIT_FAILED	1	/* the driver or a card failed us */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_NOCARD	4	/* no such card, or no cards at all */

/* "prog: message\n" on stderr. */
void tool_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "micN" or "N" -> N (decimal, no sign, no blanks); 0 or -EINVAL. */
int tool_parse_card(const char *s, uint32_t *card);

/*
 * "4096", "0x1000", "64K", "2M", "1GiB" (binary multiples) -> bytes;
 * 0 or -EINVAL.
 */
int tool_parse_size(const char *s, uint64_t *bytes);

/* @bytes as "512 B", "64 KiB", "63.5 MiB", "8 GiB"; returns @buf. */
const char *tool_fmt_bytes(uint64_t bytes, char *buf, size_t len);

/* @s as a JSON string, quotes included. */
void tool_json_str(FILE *f, const char *s);

/*
 * What to add to a message about the negative errno @err of opening the
 * control node, of creating a pool: " (is micmem.ko loaded?)" and the
 * like, or "" when there is nothing to add.
 */
const char *tool_open_hint(int err);
const char *tool_pool_hint(int err);

#endif /* MICMEM_TOOL_UTIL_H */
