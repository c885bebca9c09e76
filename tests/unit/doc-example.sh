#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# doc-example.sh DOC.md CC [CFLAGS...] -- [LIBS...]
#
# Compiles and links the first ```c block of DOC.md, so that a manual's
# example program cannot rot: CC CFLAGS -o TMP BLOCK.c LIBS.  TAP output.
set -u
doc=$1
cc=$2
shift 2
cflags=
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	cflags="$cflags $1"
	shift
done
[ $# -gt 0 ] && shift
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
awk '/^```c$/ { on = 1; next } on && /^```$/ { exit } on' "$doc" > "$tmp/example.c"
echo "TAP version 13"
# shellcheck disable=SC2086 # word splitting of the flags is wanted
if [ ! -s "$tmp/example.c" ]; then
	echo "# no \`\`\`c block in $doc"
	echo "not ok 1 example compiles and links"
elif out=$("$cc" $cflags -o "$tmp/example" "$tmp/example.c" "$@" 2>&1); then
	echo "ok 1 example compiles and links"
else
	echo "$out" | sed 's/^/# /'
	echo "not ok 1 example compiles and links"
fi
echo "1..1"
