// SPDX-License-Identifier: GPL-2.0
/*
 * The tools' shared helpers (src-user/tools/tool_util.c) on the host: the
 * card and size parsers accept exactly the documented forms, sizes print
 * as documented, JSON strings are escaped, messages carry the program's
 * name.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "tool_util.h"

TEST(parse_card_takes_micN_and_N_only)
{
	static const char *const bad[] = {
		"", "mic", "micx", "mic-1", "-1", "+0", " 1", "1 ", "1x",
		"card0", "4294967296", "mic4294967296", "0x1",
	};
	uint32_t c = 99;
	unsigned int i;

	EXPECT_EQ(tool_parse_card("mic0", &c), 0);
	EXPECT_EQ(c, 0);
	EXPECT_EQ(tool_parse_card("12", &c), 0);
	EXPECT_EQ(c, 12);
	EXPECT_EQ(tool_parse_card("mic4294967295", &c), 0);
	EXPECT_EQ(c, 4294967295u);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = 99;
		EXPECT_EQ(tool_parse_card(bad[i], &c), -EINVAL);
		EXPECT_EQ(c, 99);
	}
}

TEST(parse_size_takes_numbers_and_binary_suffixes)
{
	static const struct { const char *s; uint64_t v; } good[] = {
		{ "0", 0 }, { "4096", 4096 }, { "0x1000", 4096 },
		{ "0X10", 0 }, { "64K", 65536 }, { "64k", 65536 },
		{ "2M", 2 << 20 }, { "2MiB", 2 << 20 }, { "2MB", 2 << 20 },
		{ "1Ki", 1024 },
		{ "1G", 1ULL << 30 }, { "0x10M", 16ULL << 20 },
		{ "18446744073709551615", ~0ULL },
	};
	static const char *const bad[] = {
		"", "K", "-1", "+1", " 1", "1 ", "1T", "1iB", "1KBi", "0x",
		"0xg", "12zz", "18446744073709551616", "17179869184G",
	};
	unsigned int i;
	uint64_t v;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!strcmp(good[i].s, "0X10")) {
			/* only "0x" means hexadecimal */
			EXPECT_EQ(tool_parse_size(good[i].s, &v), -EINVAL);
			continue;
		}
		v = 1;
		EXPECT_EQ(tool_parse_size(good[i].s, &v), 0);
		EXPECT_EQ(v, good[i].v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 7;
		EXPECT_EQ(tool_parse_size(bad[i], &v), -EINVAL);
		EXPECT_EQ(v, 7);
	}
}

TEST(fmt_bytes)
{
	char b[32];

	EXPECT_STREQ(tool_fmt_bytes(0, b, sizeof(b)), "0 B");
	EXPECT_STREQ(tool_fmt_bytes(1023, b, sizeof(b)), "1023 B");
	EXPECT_STREQ(tool_fmt_bytes(65536, b, sizeof(b)), "64 KiB");
	EXPECT_STREQ(tool_fmt_bytes(66584576, b, sizeof(b)), "63.5 MiB");
	EXPECT_STREQ(tool_fmt_bytes(8ULL << 30, b, sizeof(b)), "8 GiB");
	EXPECT_STREQ(tool_fmt_bytes(3ULL << 40, b, sizeof(b)), "3 TiB");
}

TEST(json_strings_are_escaped)
{
	char buf[128] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	ASSERT_TRUE(f != NULL);
	tool_json_str(f, "a\"b\\c\n\x01");
	fclose(f);
	EXPECT_STREQ(buf, "\"a\\\"b\\\\c\\u000a\\u0001\"");
}

TEST(messages_carry_the_program_name)
{
	char buf[256] = "";
	int fds[2], saved;
	ssize_t n;

	ASSERT_OK(pipe(fds));
	saved = dup(2);
	ASSERT_OK(saved);
	dup2(fds[1], 2);
	tool_err("card %d: %s", 3, "gone");
	fflush(stderr);
	dup2(saved, 2);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	ASSERT_GT(n, 0);
	buf[n] = '\0';
	EXPECT_STREQ(buf, "tool_util: card 3: gone\n");
}

TEST_MAIN()
