# SPDX-License-Identifier: GPL-2.0
# Sourced: find the kernel the test VM boots and the headers that match it
# (kbuild.sh builds the modules against them, the VM runner boots it).
# Never the host's `uname -r`: the VM runs Debian's cloud kernel.
#
# Sets vm_kver, vm_kernel (the image to boot), vm_kdir (headers/build dir),
# vm_kdir_mods (/lib/modules/<ver>, or the build tree) and vm_configfs
# (configfs.ko, empty when configfs is built in).
#
# A kernel is looked for in "kernel roots": / (the installed packages) and
# each directory of MICMEM_KROOT (colon separated) into which Debian's
# linux-image, linux-headers(-common) and linux-kbuild packages were
# unpacked with `dpkg -x` (scripts/kroot does that), for a second kernel
# that cannot be installed system-wide.  A root holds boot/vmlinuz-<ver>,
# lib/modules/<ver>/ and usr/src/linux-headers-<ver>; both kinds of root
# go through the same code below.
#
# MICMEM_KSERIES=<major.minor> (default 6.1): the kernel line ("lane") to
# pick; the newest matching Debian cloud kernel of all roots wins.  Never
# the newest of all lines: the lane is always chosen explicitly.
# MICMEM_KVER=<ver> picks a Debian kernel by its exact version instead.
# MICMEM_KDIR=<dir> picks the kernel by its build directory: a kernel tree
# built from source (arch/x86/boot/bzImage; the debug lane) or the headers
# of a Debian kernel (lib/modules/<ver>/build of a root).

# The roots to search: /, MICMEM_KROOT's, then those given as arguments.
vm_kernel_roots() {
	local r
	echo /
	for r in ${MICMEM_KROOT:+${MICMEM_KROOT//:/ }} "$@"; do
		[ -d "$r" ] && readlink -f "$r"
	done
}

# Resolves symlink $2 the way it resolves once root $1 is /: an absolute
# target (lib/modules/<ver>/build -> /usr/src/...) is taken inside $1.
vm_root_link() {
	local root=${1%/} t
	t=$(readlink "$2") || { echo "$2"; return; }
	case "$t" in
	/*) echo "$root$t" ;;
	*) echo "$(dirname "$2")/$t" ;;
	esac
}

# configfs.ko, or configfs.ko.xz (6.12 packages compress their modules;
# vm-run unpacks it into the initramfs).
vm_find_configfs() {
	local f
	vm_configfs=
	for f in "$vm_kdir_mods"/{kernel/,}fs/configfs/configfs.ko{,.xz}; do
		[ -f "$f" ] && { vm_configfs=$f; return 0; }
	done
	if ! grep -qs '^CONFIG_CONFIGFS_FS=y' "$vm_kdir/.config" "$vm_kroot/boot/config-$vm_kver"; then
		return 1
	fi
	return 0
}

# Debian's headers Makefile is one line, "include <path of the -common
# headers>": absolute, so in an unpacked root it must name that root.
vm_headers_ok() {
	local inc
	[ -f "$1/Makefile" ] || return 1
	inc=$(sed -n 's/^include //p' "$1/Makefile" | head -n 1)
	[ -z "$inc" ] || [ -f "$inc" ]
}

# Kernel <ver> $2 of root $1: image, modules and headers all present.
vm_use_kernel() {
	local root=${1%/} v=$2 kdir
	[ -r "$root/boot/vmlinuz-$v" ] && [ -d "$root/lib/modules/$v" ] ||
		return 1
	kdir=$(vm_root_link "$root" "$root/lib/modules/$v/build")
	vm_headers_ok "$kdir" || return 1
	vm_kroot=$root
	vm_kver=$v
	vm_kernel=$root/boot/vmlinuz-$v
	vm_kdir=$(readlink -f "$kdir")
	vm_kdir_mods=$root/lib/modules/$v
	vm_find_configfs
}

vm_find_kernel_by_kdir() {
	local d v r real
	real=$(readlink -f "$1") || return 1
	if [ -r "$real/arch/x86/boot/bzImage" ]; then
		vm_kroot=
		vm_kdir=$real
		vm_kernel=$real/arch/x86/boot/bzImage
		vm_kver=$(cat "$real/include/config/kernel.release" 2>/dev/null)
		vm_kdir_mods=$real
		vm_find_configfs
		return
	fi
	# Headers unpacked into a root: the root is what precedes /usr/src/.
	for r in $(vm_kernel_roots "${real%/usr/src/*}"); do
		for d in "${r%/}"/lib/modules/*/build; do
			[ -L "$d" ] || [ -e "$d" ] || continue
			[ "$(readlink -f "$(vm_root_link "$r" "$d")")" = "$real" ] || continue
			v=$(basename "$(dirname "$d")")
			vm_use_kernel "$r" "$v" && return 0
		done
	done
	return 1
}

# Lists "<root> <ver>" of every Debian cloud kernel, newest first.
vm_list_kernels() {
	local r f
	for r in $(vm_kernel_roots); do
		for f in "${r%/}"/boot/vmlinuz-*-cloud-amd64; do
			[ -e "$f" ] && echo "$r ${f##*/vmlinuz-}"
		done
	done | sort -k 2 -V -r
}

vm_find_kernel() {
	local r v series=${MICMEM_KSERIES:-6.1}
	if [ -n "${MICMEM_KDIR:-}" ] && [ "$MICMEM_KDIR" != auto ]; then
		vm_find_kernel_by_kdir "$MICMEM_KDIR"
		return
	fi
	while read -r r v; do
		if [ -n "${MICMEM_KVER:-}" ]; then
			[ "$v" = "$MICMEM_KVER" ] || continue
		else
			# "6.1" must not match 6.12: compare major.minor exactly.
			[ "$(echo "$v" | cut -d. -f1-2)" = "$series" ] || continue
		fi
		vm_use_kernel "$r" "$v" && return 0
	done < <(vm_list_kernels)
	return 1
}

# The newest PREEMPT_RT headers of kernel line $1 (major.minor) in any
# root; prints the build directory.
vm_find_rt_kdir() {
	local r d v
	for r in $(vm_kernel_roots); do
		for d in "${r%/}"/lib/modules/*-rt-amd64/build; do
			[ -L "$d" ] || [ -e "$d" ] || continue
			v=$(basename "$(dirname "$d")")
			[ "$(echo "$v" | cut -d. -f1-2)" = "$1" ] || continue
			d=$(vm_root_link "$r" "$d")
			vm_headers_ok "$d" && echo "$v $(readlink -f "$d")"
		done
	done | sort -V -r | head -n 1 | cut -d' ' -f2
}

# Prints the path of each module of the VM's kernel named (relative to its
# modules directory, without .ko) that is a module and not built in, in
# the order given; call after vm_find_kernel.
vm_module_paths() {
	local m f
	for m in "$@"; do
		for f in "$vm_kdir_mods"/kernel/"$m".ko{,.xz} \
			 "$vm_kdir_mods"/"$m".ko{,.xz}; do
			[ -f "$f" ] && echo "$f" && break
		done
	done
	return 0
}
