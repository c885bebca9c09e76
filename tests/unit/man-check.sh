#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# man-check.sh PAGE...
#
# Each manual page: its .TH names the file (name and section), and groff
# renders it without a warning (-ww, tbl for pages that ask for it); a
# ".so" page points at a page next to it.  TAP, one case per page.
set -u
n=0
echo "TAP version 13"
for page in "$@"; do
	n=$((n + 1))
	base=$(basename "$page")
	name=${base%.*}
	sect=${base##*.}
	dir=$(dirname "$page")
	problem=
	target=$(sed -n 's/^\.so man[0-9]\/\(.*\)$/\1/p' "$page")
	if [ -n "$target" ]; then
		[ -f "$dir/$target" ] || problem="points at $target, which does not exist"
	else
		th=$(sed -n 's/^\.TH \([^ ]*\) \([^ ]*\) .*/\1 \2/p' "$page")
		[ "$th" = "$name $sect" ] || problem=".TH says '$th', the file is $base"
		out=$(groff -t -man -ww -z -rCHECKSTYLE=3 "$page" 2>&1)
		[ -z "$out" ] || problem="groff: $out"
	fi
	if [ -n "$problem" ]; then
		echo "$problem" | sed 's/^/# /'
		echo "not ok $n $base"
	else
		echo "ok $n $base"
	fi
done
echo "1..$n"
exit 0	# the TAP lines tell
