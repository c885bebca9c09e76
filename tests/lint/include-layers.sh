#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# include-layers.sh: every #include "..." of the kernel sources follows the
# layer order of doc/design.md ("Layers and where code lives"):
#
#   include/uapi -> core -> x100 -> seam (src-kernel/include) -> pci | sim
#
#   include-layers.sh SRC_KERNEL_DIR   check the tree; prints each offence
#   include-layers.sh --self-test      check that the checker catches bad
#                                      includes (fixtures built in a
#                                      temporary directory)
#
# The rules, by the directory of the including file (below src-kernel/);
# an include is named by the path it resolves to:
#
#   main.c     the module's composition: core/, x100/x100.h, pci/,
#              include/micmem_compat.h
#   core/      core/, include/micmem_hw.h, include/micmem_compat.h, and of
#              x100 only x100/x100.h
#   x100/      x100/, include/ (the seam and the hardware description)
#   pci/       pci/, include/
#   sim/       sim/, include/
#   include/   include/
#
# <...> includes (the kernel's, and the UAPI <linux/micmem.h>, which every
# layer may use) are not checked.  Exit 0 when clean, 1 otherwise.

set -u

# allowed LAYER TARGET: 0 if a file in LAYER may include TARGET (a path
# below src-kernel/).
allowed() {
	local layer=$1 target=$2
	case "$layer" in
	main)
		case "$target" in
		core/*|x100/x100.h|pci/*|include/micmem_compat.h) return 0 ;;
		esac ;;
	core)
		case "$target" in
		core/*|include/micmem_hw.h|include/micmem_compat.h|x100/x100.h)
			return 0 ;;
		esac ;;
	x100)
		case "$target" in
		x100/*|include/*) return 0 ;;
		esac ;;
	pci|sim)
		case "$target" in
		"$layer"/*|include/*) return 0 ;;
		esac ;;
	include)
		case "$target" in
		include/*) return 0 ;;
		esac ;;
	esac
	return 1
}

# Layer of a file given by its path below src-kernel/, into $layer (empty
# for files of no layer).  No subshells: the self-test runs it often.
layer_of() {
	case "$1" in
	main.c) layer=main ;;
	core/*|x100/*|pci/*|sim/*|include/*) layer=${1%%/*} ;;
	*) layer= ;;
	esac
}

# Normalise a relative path (a/b/../c -> a/c) into $norm; fails when it
# climbs above its start.
normalise() {
	local part out=()
	local IFS=/
	for part in $1; do
		case "$part" in
		''|.) ;;
		..)
			[ "${#out[@]}" -gt 0 ] || return 1
			unset 'out[${#out[@]}-1]' ;;
		*) out+=("$part") ;;
		esac
	done
	norm="${out[*]}"
}

check_tree() {
	local root=$1 file rel layer dir line inc norm bad=0 n=0
	[ -d "$root" ] || { echo "include-layers: no directory $root"; return 2; }
	while IFS= read -r file; do
		rel=${file#"$root"/}
		layer_of "$rel"
		[ -n "$layer" ] || continue
		n=$((n + 1))
		dir=${rel%/*}
		[ "$dir" = "$rel" ] && dir=
		while IFS= read -r line; do
			inc=${line#*\"}
			inc=${inc%%\"*}
			if ! normalise "${dir:+$dir/}$inc"; then
				echo "$rel: #include \"$inc\" leaves src-kernel/"
				bad=1
				continue
			fi
			if ! allowed "$layer" "$norm"; then
				echo "$rel: #include \"$inc\" ($norm): $layer may not include it"
				bad=1
			fi
		done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file")
	done < <(find "$root" -type f \( -name '*.c' -o -name '*.h' \) ! -name '*.mod.c' | sort)
	if [ "$n" = 0 ]; then
		echo "include-layers: no kernel sources under $root"
		return 2
	fi
	[ "$bad" = 0 ] && echo "include-layers: $n files follow the layer order"
	return "$bad"
}

# A fixture tree: the good one passes, and each bad include added to it
# alone makes the check fail.
self_test() {
	local tmp fails=0 case_file inc
	tmp=$(mktemp -d) || exit 1
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	mkdir -p "$tmp/good/core" "$tmp/good/x100" "$tmp/good/pci" \
		"$tmp/good/sim" "$tmp/good/include/x100"
	printf '#include "core/micmem.h"\n#include "pci/pci.h"\n' > "$tmp/good/main.c"
	printf '#include "micmem.h"\n#include "../x100/x100.h"\n#include "../include/micmem_hw.h"\n#include <linux/micmem.h>\n' > "$tmp/good/core/card.c"
	printf '#include "card.h"\n#include "../include/x100/regs.h"\n#include "../include/micmem_hw.h"\n' > "$tmp/good/x100/dma.c"
	printf '#include "pci.h"\n#include "../include/micmem_hw.h"\n' > "$tmp/good/pci/pci.c"
	printf '#include "sim.h"\n#include "../include/x100/desc.h"\n' > "$tmp/good/sim/dma.c"
	printf '#include "regs.h"\n' > "$tmp/good/include/x100/desc.h"
	if ! check_tree "$tmp/good" > "$tmp/out"; then
		echo "not ok 1 - a tree that follows the layers passes"
		sed 's/^/# /' "$tmp/out"
		fails=1
	else
		echo "ok 1 - a tree that follows the layers passes"
	fi

	local -a cases=(
		'core/attach.c|../x100/smpt.h'
		'core/micmem.h|../x100/dma.h'
		'core/card.c|../include/x100/regs.h'
		'core/card.c|../pci/pci.h'
		'core/card.c|../sim/sim.h'
		'x100/mgmt.h|../core/micmem.h'
		'x100/dma.c|../pci/pci.h'
		'x100/dma.c|../sim/sim.h'
		'pci/pci.c|../x100/regs.h'
		'pci/pci.c|../core/micmem.h'
		'sim/sim.h|../x100/regs.h'
		'sim/sim.h|../core/micmem.h'
		'include/micmem_hw.h|../core/micmem.h'
		'include/x100/regs.h|../../x100/dma.h'
		'main.c|sim/sim.h'
		'core/card.c|../../outside.h'
	)
	local i=2 c
	for c in "${cases[@]}"; do
		case_file=${c%%|*}
		inc=${c#*|}
		rm -rf "$tmp/bad"
		cp -a "$tmp/good" "$tmp/bad"
		mkdir -p "$(dirname "$tmp/bad/$case_file")"
		printf '#include "%s"\n' "$inc" >> "$tmp/bad/$case_file"
		if check_tree "$tmp/bad" > "$tmp/out"; then
			echo "not ok $i - $case_file including \"$inc\" fails"
			fails=1
		elif ! grep -q "^$case_file: #include \"$inc\"" "$tmp/out"; then
			echo "not ok $i - $case_file including \"$inc\" is named"
			sed 's/^/# /' "$tmp/out"
			fails=1
		else
			echo "ok $i - $case_file including \"$inc\" fails"
		fi
		i=$((i + 1))
	done
	echo "1..$((i - 1))"
	return "$fails"
}

case "${1:-}" in
--self-test) self_test ;;
'') echo "usage: include-layers.sh SRC_KERNEL_DIR | --self-test" >&2; exit 2 ;;
*) check_tree "$1" ;;
esac
