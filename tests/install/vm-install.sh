#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-install.sh MODE BUILDDIR SRCROOT VERSION LIBDIR DKMSDIR CC VMTEST
#               [vm-test options...]
#
# Installs BUILDDIR with `meson install --destdir` into a temporary
# directory and builds tests/install/app.c against the installed library
# with `pkg-config --static --cflags --libs libmicmem` (static, for the
# guest).  Then, MODE
#   app   runs the application in the VM (vm-test, meson's modules);
#   dkms  runs `dkms add` and `dkms build` of the installed DKMS tree
#         against the headers of the kernel the VM boots (dkms trees in
#         the temporary directory; a throw-away signing key), boots the
#         VM with the modules dkms built and checks there that they are
#         the ones loaded and that the application moves data with them.
# TAP on stdout (vm-test's).
set -u
mode=$1 build=$2 src=$3 version=$4 libdir=$5 dkmsdir=$6 cc=$7 vmtest=$8
shift 8

bail() {
	echo "TAP version 13"
	echo "Bail out! $*"
	exit 1
}
skip() {
	if [ -n "${CI:-}" ]; then
		bail "missing prerequisite (CI=$CI): $*"
	fi
	echo "TAP version 13"
	echo "1..0 # SKIP missing prerequisite: $*"
	exit 0
}

command -v pkg-config > /dev/null || skip "pkg-config"
dest=$(mktemp -d /tmp/micmem-vminst.XXXXXX) || bail "mktemp"
trap 'rm -rf "$dest"' EXIT
log=$dest/log

meson install -C "$build" --destdir "$dest/root" --no-rebuild --quiet > "$log" 2>&1 ||
	bail "meson install failed: $(tail -n 5 "$log" | tr '\n' ' ')"

# The application, compiled as a user compiles against an installed libmicmem.
export PKG_CONFIG_SYSROOT_DIR=$dest/root PKG_CONFIG_LIBDIR=$dest/root$libdir/pkgconfig
flags=$(pkg-config --static --cflags --libs libmicmem) || bail "pkg-config --cflags --libs libmicmem failed"
# shellcheck disable=SC2086  # the flags are words
"$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -static -o "$dest/micmem-app" \
	"$src/tests/install/app.c" $flags > "$log" 2>&1 ||
	bail "building app.c with $flags failed: $(head -n 5 "$log" | tr '\n' ' ')"

case "$mode" in
app)
	"$vmtest" "$@" -- "$dest/micmem-app"
	exit ;;
dkms) ;;
*) bail "unknown mode $mode" ;;
esac

command -v dkms > /dev/null || skip "dkms (apt-get install dkms)"
# The kernel the VM boots is the lane's: the one vm-test's --kdir names.
args=("$@")
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
	if [ "${args[i]}" = --kdir ] && [ "${args[i + 1]}" != auto ]; then
		export MICMEM_KDIR=${args[i + 1]}
	fi
done
# shellcheck source=scripts/kernel.sh
. "$src/scripts/kernel.sh"
vm_find_kernel || skip "a Debian cloud kernel with matching headers"

# Nothing outside $dest: dkms's trees, and the signing key it would
# otherwise create in /var/lib/dkms.
tree=(--sourcetree "$dest/root$dkmsdir" --dkmstree "$dest/dkms")
export mok_signing_key=$dest/mok.key mok_certificate=$dest/mok.pub
mkdir -p "$dest/dkms"
dkms add -m micmem -v "$version" "${tree[@]}" > "$log" 2>&1 ||
	bail "dkms add failed: $(tail -n 5 "$log" | tr '\n' ' ')"
dkms build -m micmem -v "$version" -k "$vm_kver" --kernelsourcedir "$vm_kdir" -j "$(nproc)" \
	"${tree[@]}" > "$log" 2>&1 || {
	cat "$log" "$dest/dkms/micmem/$version/build/make.log" 2> /dev/null | sed 's/^/# /'
	bail "dkms build failed"
}
mods=$dest/dkms/micmem/$version/$vm_kver/$(uname -m)/module
for m in micmem.ko micmem_sim.ko; do
	# dkms compresses modules as the kernel's own are (6.12: xz)
	if [ ! -f "$mods/$m" ] && [ -f "$mods/$m.xz" ]; then
		xz -dk "$mods/$m.xz" || bail "cannot unpack $mods/$m.xz"
	fi
	[ -f "$mods/$m" ] || bail "dkms built no $m (in $mods)"
done

# The guest: the loaded modules are dkms's, and the application runs.
sum() { md5sum "$1" | cut -d' ' -f1; }
cat > "$dest/dkms-check.sh" <<GUEST
#!/bin/sh
echo "TAP version 13"
n=0
check() {
	n=\$((n + 1))
	if [ "\$2" = 0 ]; then echo "ok \$n \$1"; else echo "not ok \$n \$1"; fi
}
for m in micmem micmem_sim; do
	test -d /sys/module/\$m
	check "\$m is loaded" \$?
done
test "\$(busybox md5sum /lib/modules/micmem.ko | cut -d' ' -f1)" = "$(sum "$mods/micmem.ko")"
check "the loaded micmem.ko is the one dkms built for $vm_kver" \$?
test "\$(busybox md5sum /lib/modules/micmem_sim.ko | cut -d' ' -f1)" = "$(sum "$mods/micmem_sim.ko")"
check "the loaded micmem_sim.ko is the one dkms built" \$?
test -c /dev/mic/ctrl && test -d /sys/class/mic/mic0
check "/dev/mic/ctrl and mic0 exist" \$?
/bin/micmem-app > /tmp/app.out 2>&1
rc=\$?
sed 's/^/# /' /tmp/app.out
check "the application built against the installed library moves data" \$rc
echo "1..\$n"
GUEST
"$vmtest" "$@" --modules "$mods" --file "$dest/micmem-app" -- "$dest/dkms-check.sh"
