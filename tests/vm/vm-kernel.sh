# SPDX-License-Identifier: GPL-2.0
# Sourced: find the kernel the test VM boots and the headers that match it.
# Never the host's `uname -r`: the VM runs Debian's cloud kernel.
#
# Sets vm_kver, vm_kernel (/boot/vmlinuz-...), vm_kdir (headers build dir)
# and vm_kdir_mods (/lib/modules/<ver>).  MICMEM_KVER overrides the choice.

vm_find_kernel() {
	local v
	for v in ${MICMEM_KVER:-$(ls /boot 2>/dev/null | sed -n 's/^vmlinuz-\(.*-cloud-amd64\)$/\1/p' | sort -V -r)}; do
		if [ -r "/boot/vmlinuz-$v" ] && [ -d "/lib/modules/$v/build" ] &&
		   [ -f "/lib/modules/$v/kernel/fs/configfs/configfs.ko" ]; then
			vm_kver=$v
			vm_kernel=/boot/vmlinuz-$v
			vm_kdir=/lib/modules/$v/build
			vm_kdir_mods=/lib/modules/$v
			return 0
		fi
	done
	return 1
}
