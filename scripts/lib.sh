# SPDX-License-Identifier: GPL-2.0
# Sourced by scripts/{test,demo} and .ci/run: Debian packages and the meson
# build directory.
#
#   micmem_packages GROUP...     the packages of scripts/packages in GROUPs
#   micmem_install GROUP...      apt-get install what is missing of them
#                                (as root, or through sudo)
#   micmem_lanes                 the kernel lanes to run (MICMEM_LANES)
#   micmem_lane_builddir LANE    the meson build directory of LANE
#   micmem_setup [LANE]          meson setup of LANE's build directory (all
#                                lanes without LANE), options kept current
#
# A lane is one Debian kernel line, "6.1" or "6.12": its own build
# directory ($MICMEM_BUILDDIR for 6.1, $MICMEM_BUILDDIR-6.12 for 6.12) whose
# modules build against, and whose VM boots, the newest Debian cloud kernel
# of that line, with the PREEMPT_RT headers of the same line for lint.  The
# kernels are found by scripts/kernel.sh in / and in the unpacked
# roots named by MICMEM_KROOT (scripts/kroot); the directories are passed
# to meson explicitly (-Dkdir, -Drt_kdir), so installing another kernel
# never switches a lane.
#
# A debug lane, "6.1-debug" or "6.12-debug", runs the vm suite on the
# KASAN/lockdep/kmemleak/DMA-API-debug kernel that scripts/debug-kernel
# builds from Debian's linux-source of that line (cached in
# /var/cache/micmem/debug-kernel): build directory
# $MICMEM_BUILDDIR-SERIES-debug, -Dkdir=<that kernel tree>.  6.12-debug
# is a default lane, the last one, so CI runs it (and builds its kernel
# first on a fresh machine): its boot reliability, duration and trims
# are in doc/testing.md "Debug lane".

micmem_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MICMEM_BUILDDIR=${MICMEM_BUILDDIR:-$micmem_root/build}
MICMEM_LANES=${MICMEM_LANES:-6.1 6.12 6.12-debug}
# shellcheck source=scripts/kernel.sh
. "$micmem_root/scripts/kernel.sh"

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

micmem_lanes() {
	echo "$MICMEM_LANES"
}

micmem_lane_builddir() {
	if [ "$1" = 6.1 ]; then
		echo "$MICMEM_BUILDDIR"
	else
		echo "$MICMEM_BUILDDIR-$1"
	fi
}

# Installs LANE's kernel packages (group kernel-LANE of scripts/packages)
# unless a kernel of that line is already found, installed or unpacked.
# A debug lane: the build packages and linux-source of its line, and the
# line's kernel group (its PREEMPT_RT headers for the lint builds).
micmem_install_lane() {
	case "$1" in
	*-debug)
		micmem_install "debug-${1%-debug}"
		micmem_install_lane "${1%-debug}"
		return ;;
	esac
	(MICMEM_KSERIES=$1 vm_find_kernel) && [ -n "$(vm_find_rt_kdir "$1")" ] &&
		return 0
	micmem_install "kernel-$1"
}

# The value of meson option $2 in build directory $1.
micmem_meson_option() {
	meson introspect --buildoptions "$1" 2>/dev/null |
		python3 -c 'import json, sys
for o in json.load(sys.stdin):
    if o["name"] == sys.argv[1]:
        print(o["value"])' "$2"
}

# The Debian package groups (scripts/packages) LANE needs.
micmem_lane_groups() {
	case "$1" in
	*-debug) echo "kernel-${1%-debug} debug-${1%-debug}" ;;
	*) echo "kernel-$1" ;;
	esac
}

micmem_setup_lane() {
	local lane=$1 dir kdir rt
	dir=$(micmem_lane_builddir "$lane")
	case "$lane" in
	*-debug)
		# Builds the kernel unless cached (12 to 25 minutes on 2 cores).
		kdir=$("$micmem_root/scripts/debug-kernel" --series "${lane%-debug}" --print-dir) ||
			return
		rt=$(vm_find_rt_kdir "${lane%-debug}")
		vm_kver="$(cat "$kdir/include/config/kernel.release") (debug)"
		;;
	*)
		if ! MICMEM_KSERIES=$lane vm_find_kernel; then
			echo "no Debian $lane cloud kernel with headers, installed or under MICMEM_KROOT (scripts/packages: kernel-$lane; scripts/kroot)" >&2
			return 1
		fi
		kdir=$vm_kdir
		rt=$(vm_find_rt_kdir "$lane")
		;;
	esac
	[ -n "$rt" ] || rt=auto
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$micmem_root" -Dkdir="$kdir" -Drt_kdir="$rt" ||
			return
	elif [ "$(micmem_meson_option "$dir" kdir)" != "$kdir" ] ||
	     [ "$(micmem_meson_option "$dir" rt_kdir)" != "$rt" ]; then
		meson configure "$dir" -Dkdir="$kdir" -Drt_kdir="$rt" || return
	fi
	echo "lane $lane: $dir, kernel $vm_kver ($kdir)"
}

micmem_setup() {
	local lane
	for lane in ${1:-$(micmem_lanes)}; do
		micmem_setup_lane "$lane" || return
	done
}
