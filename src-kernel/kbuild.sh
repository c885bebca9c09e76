#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build kernel modules out of the source tree:
#   kbuild.sh [options] SRCROOT OUTDIR [KDIR] [make arguments...]
# copies SRCROOT/src-kernel and SRCROOT/include to OUTDIR (keeping
# timestamps, so Kbuild stays incremental) and runs Kbuild there; the
# modules land in OUTDIR/src-kernel.  KDIR (or "auto") defaults to the
# headers of the kernel the test VM boots, never the host's `uname -r`.
#
#   --kdir DIR        same as the KDIR argument ("auto" or a directory)
#   --subdir DIR      build SRCROOT/DIR instead of src-kernel (modules land
#                     in OUTDIR/$(basename DIR)); include/ is copied too
#   --stamp FILE      write FILE after a successful build (for meson)
#   --if-available    no kernel headers installed: write the reason into the
#                     stamp and succeed, so that the tests can skip
set -eu
subdir=src-kernel
kdir=
stamp=
if_available=0
while [ $# -gt 0 ]; do
	case "$1" in
	--kdir) kdir=$2; shift 2 ;;
	--subdir) subdir=$2; shift 2 ;;
	--stamp) stamp=$2; shift 2 ;;
	--if-available) if_available=1; shift ;;
	--) shift; break ;;
	-*) echo "kbuild.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || { echo "usage: kbuild.sh [options] SRCROOT OUTDIR [KDIR] [make args]" >&2; exit 2; }
src=$1
out=$2
shift 2
if [ -z "$kdir" ] && [ $# -gt 0 ] && { [ "$1" = auto ] || [ -d "$1" ]; }; then
	kdir=$1
	shift
fi
if [ -z "$kdir" ] || [ "$kdir" = auto ]; then
	# shellcheck source=scripts/kernel.sh
	. "$src/scripts/kernel.sh"
	if ! vm_find_kernel; then
		msg="no Debian cloud kernel with headers installed (apt-get install linux-image-cloud-amd64 linux-headers-cloud-amd64)"
		if [ "$if_available" = 1 ] && [ -n "$stamp" ]; then
			echo "missing: $msg" > "$stamp"
			exit 0
		fi
		echo "kbuild.sh: $msg" >&2
		exit 1
	fi
	kdir=$vm_kdir
fi
[ -d "$kdir" ] || { echo "kbuild.sh: no kernel build directory $kdir" >&2; exit 1; }
name=$(basename "$subdir")
mkdir -p "$out"
cp -a --update "$src/$subdir" "$src/include" "$out/"
# A source removed or renamed in the tree must not linger in the copy,
# where an old #include would still find it.
prune() {
	local f
	find "$1" -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) \
		! -name '*.mod.c' -print0 |
	while IFS= read -r -d '' f; do
		[ -e "$2/${f#"$1"/}" ] || rm -f "$f"
	done
}
prune "$out/$name" "$src/$subdir"
prune "$out/include" "$src/include"
make -s -C "$kdir" M="$out/$name" "$@" modules
if [ -n "$stamp" ]; then
	echo "built: $out/$name against $kdir" > "$stamp"
fi
