#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install-check.sh BUILDDIR SRCROOT VERSION LIBVERSION PREFIX LIBDIR BINDIR
#                  INCLUDEDIR MANDIR DATADIR UDEVRULESDIR SYSUSERSDIR DKMSDIR
#                  -- MANPAGE...
#
# `meson install --destdir` of BUILDDIR into a temporary directory, then
# the tree: library (shared, static, symbol versions), headers, pkg-config
# file (and what it tells a compiler), tools, every manual page, the udev
# rule, the sysusers group, the DKMS tree (dkms.conf and every module
# source), the modprobe/modules-load examples.  Relative directories are
# taken relative to PREFIX.  TAP, one case per part.
set -u
build=$1 src=$2 version=$3 libversion=$4 prefix=$5
shift 5
dirs=()
for d in libdir bindir includedir mandir datadir udevrulesdir sysusersdir dkmsdir; do
	case "$1" in
	/*) v=$1 ;;
	*) v=$prefix/$1 ;;
	esac
	eval "$d=\$v"
	dirs+=("$v")
	shift
done
[ "$1" = -- ] && shift
dest=$(mktemp -d /tmp/micmem-install.XXXXXX) || exit 1
trap 'rm -rf "$dest"' EXIT

n=0
problems=$dest.problems
ok() {	# ok NAME: a case passes when $problems is empty
	n=$((n + 1))
	if [ -s "$problems" ]; then
		sed 's/^/# /' "$problems"
		echo "not ok $n $1"
	else
		echo "ok $n $1"
	fi
	: > "$problems"
}
trap 'rm -rf "$dest" "$problems"' EXIT
: > "$problems"
need() {	# need FILE [what]: the installed FILE exists
	[ -e "$dest$1" ] || [ -L "$dest$1" ] || echo "missing: $1${2:+ ($2)}" >> "$problems"
}

echo "TAP version 13"

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet > "$dest.log" 2>&1 ||
	{ echo "meson install failed:"; cat "$dest.log"; } >> "$problems"
rm -f "$dest.log"
ok "meson install --destdir succeeds"

# library
for f in libmicmem.so.$libversion libmicmem.a; do
	need "$libdir/$f"
done
[ "$(readlink "$dest$libdir/libmicmem.so.0")" = "libmicmem.so.$libversion" ] ||
	echo "libmicmem.so.0 does not point at libmicmem.so.$libversion" >> "$problems"
[ "$(readlink "$dest$libdir/libmicmem.so")" = "libmicmem.so.0" ] ||
	echo "libmicmem.so does not point at libmicmem.so.0" >> "$problems"
syms=$(nm -D --defined-only "$dest$libdir/libmicmem.so.$libversion" 2>&1)
for s in micmem_open@@MICMEM_0.1 micmem_card_wait_state@@MICMEM_0.2 micmem_card_boot@@MICMEM_0.2; do
	grep -q " $s\$" <<< "$syms" || echo "not exported: $s" >> "$problems"
done
ok "library: libmicmem.so.$libversion, its links, libmicmem.a, versioned symbols"

# headers
need "$includedir/micmem/libmicmem.h"
need "$includedir/micmem/linux/micmem.h"
cmp -s "$src/src-user/lib/libmicmem.h" "$dest$includedir/micmem/libmicmem.h" ||
	echo "libmicmem.h differs from the source" >> "$problems"
cmp -s "$src/include/uapi/linux/micmem.h" "$dest$includedir/micmem/linux/micmem.h" ||
	echo "linux/micmem.h differs from the source" >> "$problems"
ok "headers: micmem/libmicmem.h and micmem/linux/micmem.h"

# pkg-config: what the file tells a compiler, inside the destdir
pc=$libdir/pkgconfig/libmicmem.pc
need "$pc"
pcv() { PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$dest$libdir/pkgconfig pkg-config "$@" libmicmem; }
[ "$(pcv --modversion 2>&1)" = "$libversion" ] ||
	echo "pkg-config --modversion: $(pcv --modversion 2>&1), not $libversion" >> "$problems"
flags=" $(pcv --cflags --libs 2>&1) "
for f in "-I$dest$includedir/micmem" "-L$dest$libdir" "-lmicmem"; do
	[[ "$flags" == *" $f "* ]] || echo "pkg-config --cflags --libs lacks $f: $flags" >> "$problems"
done
ok "pkg-config: libmicmem.pc, version $libversion, -I.../micmem -L... -lmicmem"

# tools
for t in micctl micmem-info micmem-bench micmem-cp; do
	need "$bindir/$t"
	if [ -x "$dest$bindir/$t" ]; then
		out=$("$dest$bindir/$t" --help 2>&1) || echo "$t --help: exit status $?" >> "$problems"
		[[ "$out" == *"usage:"* ]] || echo "$t --help prints no usage" >> "$problems"
	else
		echo "$t is not executable" >> "$problems"
	fi
done
ok "tools: micctl, micmem-info, micmem-bench, micmem-cp"

# manual pages
for p in "$@"; do
	b=$(basename "$p")
	need "$mandir/man${b##*.}/$b"
done
for p in micctl.1 micmem-cp.1 micmem-info.1 micmem-bench.1 micmem.7 libmicmem.3; do
	need "$mandir/man${p##*.}/$p"
done
ok "manual pages: all $# of doc/man, micctl(1), micmem-cp(1), micmem(7) among them"

# udev rule and group
rule=$udevrulesdir/60-micmem.rules
need "$rule"
for w in 'SUBSYSTEM=="misc"' 'KERNEL=="mic_ctrl"' 'GROUP="mic"' 'MODE="0660"'; do
	grep -v '^#' "$dest$rule" 2>/dev/null | grep -qF "$w" || echo "$rule lacks $w" >> "$problems"
done
need "$sysusersdir/micmem.conf"
grep -q '^g mic ' "$dest$sysusersdir/micmem.conf" 2>/dev/null ||
	echo "sysusers.d/micmem.conf does not create group mic" >> "$problems"
ok "udev: /dev/mic/ctrl for group mic, mode 0660; sysusers.d creates the group"

# DKMS tree
tree=$dkmsdir/micmem-$version
need "$tree/dkms.conf"
for w in "PACKAGE_NAME=\"micmem\"" "PACKAGE_VERSION=\"$version\"" \
	 'BUILT_MODULE_NAME[0]="micmem"' 'BUILT_MODULE_LOCATION[0]="src-kernel/"' \
	 'MAKE[0]="make -C src-kernel KDIR=${kernel_source_dir}"' 'AUTOINSTALL="yes"'; do
	grep -qF "$w" "$dest$tree/dkms.conf" 2>/dev/null || echo "dkms.conf lacks $w" >> "$problems"
done
for d in src-kernel include; do
	diff -r -x kbuild.sh "$src/$d" "$dest$tree/$d" >> "$problems" 2>&1
done
[ ! -e "$dest$tree/src-kernel/kbuild.sh" ] || echo "kbuild.sh installed" >> "$problems"
ok "DKMS: $tree/dkms.conf and every module source"

for e in micmem-modprobe.conf micmem-modules-load.conf; do
	need "$datadir/doc/micmem/examples/$e"
done
grep -q '^#options micmem pool_max_mb=' "$dest$datadir/doc/micmem/examples/micmem-modprobe.conf" 2>/dev/null ||
	echo "the modprobe example lacks pool_max_mb" >> "$problems"
grep -qx 'micmem' "$dest$datadir/doc/micmem/examples/micmem-modules-load.conf" 2>/dev/null ||
	echo "the modules-load example does not load micmem" >> "$problems"
ok "examples: modprobe.d options and modules-load.d"

echo "1..$n"
exit 0	# the TAP lines tell
