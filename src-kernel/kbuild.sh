#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the kernel modules out of the source tree:
#   kbuild.sh SRCROOT OUTDIR [KDIR] [make arguments...]
# copies SRCROOT/src-kernel and SRCROOT/include to OUTDIR (keeping
# timestamps, so Kbuild stays incremental) and runs Kbuild there.  KDIR
# defaults to the headers of the kernel the test VM boots, never the
# host's `uname -r`.
set -eu
src=$1
out=$2
shift 2
kdir=
if [ $# -gt 0 ] && [ -d "$1" ]; then
	kdir=$1
	shift
fi
if [ -z "$kdir" ] || [ "$kdir" = auto ]; then
	. "$src/tests/vm/vm-kernel.sh"
	vm_find_kernel || { echo "kbuild.sh: no cloud kernel headers installed" >&2; exit 1; }
	kdir=$vm_kdir
fi
mkdir -p "$out"
cp -a --update "$src/src-kernel" "$src/include" "$out/"
exec make -s -C "$kdir" M="$out/src-kernel" "$@" modules
