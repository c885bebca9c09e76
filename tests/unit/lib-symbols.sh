#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lib-symbols.sh LIBRARY MAP HEADER MANDIR
#
# libdrm's symbols-check, for libmicmem: the shared library exports
# exactly the functions listed in the version script, each under a
# MICMEM_* version node; each is declared MICMEM_API in the public
# header; each public function, the header's inline helpers included, has
# a manual page MANDIR/<name>.3.  TAP output, one case per rule.
set -u
lib=$1 map=$2 header=$3 mandir=$4
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

n=0
check() {	# check NAME FILE-OF-PROBLEMS
	n=$((n + 1))
	if [ -s "$2" ]; then
		sed 's/^/# /' "$2"
		echo "not ok $n $1"
	else
		echo "ok $n $1"
	fi
}

echo "TAP version 13"

# Exported: defined dynamic symbols, without the version.
nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' > "$tmp/versioned"
sed 's/@.*//' "$tmp/versioned" | sort > "$tmp/exported"
# The map's global list.
sed -n '/global:/,/local:/p' "$map" | sed -n 's/^[[:space:]]*\([a-z_0-9]*\);$/\1/p' |
	sort > "$tmp/mapped"
# Declared with MICMEM_API in the header.
tr '\n' ' ' < "$header" | sed 's/;/;\n/g' |
	sed -n 's/.*MICMEM_API[^(]*[ *]\([a-z_0-9]*\)(.*/\1/p' | sort > "$tmp/declared"
# Inline helpers of the header.
sed -n 's/^static inline [a-z_ 0-9]*[ *]\(micmem_[a-z_0-9]*\)(.*/\1/p' "$header" |
	sort > "$tmp/inline"

[ -s "$tmp/exported" ] || echo "no symbol exported at all" > "$tmp/none"
check "the library exports something" "$tmp/none"

comm -3 "$tmp/exported" "$tmp/mapped" |
	sed 's/^\t/listed in the map, not exported: /; t; s/^/exported, not in the map: /' \
	> "$tmp/p1"
check "exported symbols equal the map's global list" "$tmp/p1"

grep -v '@@MICMEM_[0-9][0-9.]*$' "$tmp/versioned" | sed 's/^/no MICMEM_ version: /' > "$tmp/p2"
check "every exported symbol has a MICMEM_ version" "$tmp/p2"

comm -3 "$tmp/exported" "$tmp/declared" |
	sed 's/^\t/declared MICMEM_API, not exported: /; t; s/^/exported, not declared MICMEM_API: /' \
	> "$tmp/p3"
check "exported symbols equal the header's MICMEM_API declarations" "$tmp/p3"

: > "$tmp/p4"
for f in $(cat "$tmp/exported" "$tmp/inline"); do
	[ -f "$mandir/$f.3" ] || echo "no manual page $mandir/$f.3" >> "$tmp/p4"
done
check "every public function has a manual page" "$tmp/p4"

echo "1..$n"
exit 0	# the TAP lines tell
