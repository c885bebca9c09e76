# SPDX-License-Identifier: GPL-2.0
# Sourced by scripts/{test,demo} and .ci/run: Debian packages and the meson
# build directory.
#
#   micmem_packages GROUP...     the packages of scripts/packages in GROUPs
#   micmem_install GROUP...      apt-get install what is missing of them
#                                (as root, or through sudo)
#   micmem_setup                 meson setup of $MICMEM_BUILDDIR once

micmem_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MICMEM_BUILDDIR=${MICMEM_BUILDDIR:-$micmem_root/build}

micmem_packages() {
	local g
	for g in "$@"; do
		awk -v g="$g" '$1 == g { for (i = 2; i <= NF; i++) print $i }' \
			"$micmem_root/scripts/packages"
	done
}

micmem_as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo > /dev/null; then
		sudo "$@"
	else
		echo "need root (or sudo) for: $*" >&2
		return 1
	fi
}

# Installs the missing packages; apt-get update only when something is
# missing, so a prepared machine starts at once.
micmem_install() {
	local p missing=()
	for p in $(micmem_packages "$@"); do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ "${#missing[@]}" = 0 ] && return 0
	echo "Installing: ${missing[*]}"
	micmem_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
	micmem_as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
}

micmem_setup() {
	if [ ! -f "$MICMEM_BUILDDIR/build.ninja" ]; then
		meson setup "$MICMEM_BUILDDIR" "$micmem_root" || return
	fi
}
