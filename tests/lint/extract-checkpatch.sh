#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# extract-checkpatch.sh TARBALL OUTDIR: checkpatch.pl and the data files it
# reads from its own directory, out of Debian's linux-source tarball.
set -eu
tarball=$1
out=$2
top=$(tar tJf "$tarball" | head -n 1 | cut -d/ -f1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar xJf "$tarball" -C "$tmp" --occurrence=1 \
	"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
	"$top/scripts/const_structs.checkpatch"
for f in checkpatch.pl spelling.txt const_structs.checkpatch; do
	mv "$tmp/$top/scripts/$f" "$out/$f"
	touch "$out/$f"	# newer than the tarball, or ninja reruns this
done
