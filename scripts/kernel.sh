# SPDX-License-Identifier: GPL-2.0
# Sourced: find the kernel the test VM boots and the headers that match it
# (kbuild.sh builds the modules against them, the VM runner boots it).
# Never the host's `uname -r`: the VM runs Debian's cloud kernel.
#
# Sets vm_kver, vm_kernel (the image to boot), vm_kdir (headers/build dir),
# vm_kdir_mods (/lib/modules/<ver>, or the build tree) and vm_configfs
# (configfs.ko, empty when configfs is built in).
#
# MICMEM_KVER=<ver> picks an installed Debian kernel by version.
# MICMEM_KDIR=<dir> picks the kernel by its build directory: a kernel tree
# built from source (arch/x86/boot/bzImage; the debug lane) or the headers
# of an installed kernel (/lib/modules/<ver>/build).

vm_find_configfs() {
	vm_configfs=
	if [ -f "$vm_kdir_mods/kernel/fs/configfs/configfs.ko" ]; then
		vm_configfs=$vm_kdir_mods/kernel/fs/configfs/configfs.ko
	elif [ -f "$vm_kdir_mods/fs/configfs/configfs.ko" ]; then
		vm_configfs=$vm_kdir_mods/fs/configfs/configfs.ko
	elif ! grep -qs '^CONFIG_CONFIGFS_FS=y' "$vm_kdir/.config" "/boot/config-$vm_kver"; then
		return 1
	fi
	return 0
}

vm_find_kernel_by_kdir() {
	local d v real
	real=$(readlink -f "$1") || return 1
	if [ -r "$real/arch/x86/boot/bzImage" ]; then
		vm_kdir=$real
		vm_kernel=$real/arch/x86/boot/bzImage
		vm_kver=$(cat "$real/include/config/kernel.release" 2>/dev/null)
		vm_kdir_mods=$real
		vm_find_configfs
		return
	fi
	for d in /lib/modules/*/build; do
		[ "$(readlink -f "$d")" = "$real" ] || continue
		v=$(basename "$(dirname "$d")")
		[ -r "/boot/vmlinuz-$v" ] || continue
		vm_kver=$v
		vm_kernel=/boot/vmlinuz-$v
		vm_kdir=$real
		vm_kdir_mods=/lib/modules/$v
		vm_find_configfs
		return
	done
	return 1
}

vm_find_kernel() {
	local v
	if [ -n "${MICMEM_KDIR:-}" ] && [ "$MICMEM_KDIR" != auto ]; then
		vm_find_kernel_by_kdir "$MICMEM_KDIR"
		return
	fi
	for v in ${MICMEM_KVER:-$(ls /boot 2>/dev/null | sed -n 's/^vmlinuz-\(.*-cloud-amd64\)$/\1/p' | sort -V -r)}; do
		if [ -r "/boot/vmlinuz-$v" ] && [ -d "/lib/modules/$v/build" ]; then
			vm_kver=$v
			vm_kernel=/boot/vmlinuz-$v
			vm_kdir=/lib/modules/$v/build
			vm_kdir_mods=/lib/modules/$v
			vm_find_configfs || continue
			return 0
		fi
	done
	return 1
}
