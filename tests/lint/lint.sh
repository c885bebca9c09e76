#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh: the checks of the 'lint' suite, one per invocation.
#
#   lint.sh checkpatch SRCROOT CHECKPATCH_DIR
#   lint.sh kbuild     SRCROOT OUTDIR KDIR      W=1 build, KCFLAGS=-Werror
#   lint.sh sparse     SRCROOT OUTDIR KDIR      C=2: sparse on every file
#   lint.sh rt         SRCROOT OUTDIR RT_KDIR   W=1 build against PREEMPT_RT
#   lint.sh hwdoc      SRCROOT                  citations of doc/x100-hardware.md
#
# KDIR "auto" is the VM's cloud kernel (scripts/kernel.sh), RT_KDIR
# "auto" the newest Debian -rt-amd64 headers of the same kernel line
# (MICMEM_KSERIES, default 6.1); scripts/test passes both explicitly per
# lane.  Any warning fails.
# Missing prerequisites exit 77 (meson: skipped), or 1 when CI is set.
# Exit code protocol; the offending lines are printed.

set -u
check=$1
src=$2

missing() {
	echo "missing prerequisite: $*"
	[ -n "${CI:-}" ] && exit 1
	exit 77
}

# Kernel C sources that must be checkpatch-clean: the modules and the
# harness self-test module.
kernel_sources() {
	find "$src/src-kernel" "$src/tests/vm/selftest" -type f \
		\( -name '*.c' -o -name '*.h' \) ! -name '*.mod.c' | sort
}

# Builds into $1 with make arguments $3..., against $2; prints the output
# and fails on any warning or error line.
build_clean() {
	local out=$1 kdir=$2 log rc
	shift 2
	log=$(mktemp) || exit 1
	"$src/src-kernel/kbuild.sh" --kdir "$kdir" "$src" "$out" "$@" > "$log" 2>&1
	rc=$?
	cat "$log"
	if [ "$rc" != 0 ]; then
		echo "FAIL: the build failed (status $rc)"
		rm -f "$log"
		exit 1
	fi
	if grep -Eiq 'warning:|error:' "$log"; then
		echo "FAIL: the build printed warnings:"
		grep -Ei 'warning:|error:' "$log"
		rm -f "$log"
		exit 1
	fi
	rm -f "$log"
	echo "clean: $*"
}

find_kdir() {
	local kdir=$1
	if [ "$kdir" = auto ]; then
		# shellcheck source=scripts/kernel.sh
		. "$src/scripts/kernel.sh"
		vm_find_kernel || missing "Debian cloud kernel headers (apt-get install linux-image-cloud-amd64 linux-headers-cloud-amd64)"
		kdir=$vm_kdir
	fi
	[ -d "$kdir" ] || missing "kernel build directory $kdir"
	echo "$kdir"
}

case "$check" in
checkpatch)
	dir=$3
	[ -x "$dir/checkpatch.pl" ] || [ -f "$dir/checkpatch.pl" ] ||
		missing "checkpatch.pl (apt-get install linux-source-6.1)"
	command -v perl > /dev/null || missing "perl"
	mapfile -t files < <(kernel_sources)
	[ "${#files[@]}" -gt 0 ] || { echo "FAIL: no kernel sources found"; exit 1; }
	cd "$src" || exit 1
	# FILE_PATH_CHANGES only applies to patches touching MAINTAINERS.
	# GIT_DIR: no .checkpatch-camelcase.git.* cache file in the tree.
	# The compatibility header is the one file allowed to test the
	# kernel version (doc/design.md, "Kernels"); everywhere else
	# LINUX_VERSION_CODE is a warning.
	compat="src-kernel/include/micmem_compat.h"
	rc=0
	for set in others compat; do
		ignore=FILE_PATH_CHANGES
		sel=()
		for f in "${files[@]#"$src"/}"; do
			if [ "$f" = "$compat" ]; then
				[ "$set" = compat ] && sel+=("$f")
			else
				[ "$set" = others ] && sel+=("$f")
			fi
		done
		[ "$set" = compat ] && ignore=$ignore,LINUX_VERSION_CODE
		[ "${#sel[@]}" -gt 0 ] || continue
		GIT_DIR=/nonexistent perl "$dir/checkpatch.pl" --no-tree --strict --quiet --show-types \
			--ignore "$ignore" -f "${sel[@]}" || rc=1
	done
	[ "$rc" = 0 ] && echo "checkpatch --strict: ${#files[@]} files clean"
	exit "$rc"
	;;
kbuild)
	kdir=$(find_kdir "$4") || exit $?
	build_clean "$3" "$kdir" W=1 KCFLAGS=-Werror
	;;
sparse)
	command -v sparse > /dev/null || missing "sparse (apt-get install sparse)"
	kdir=$(find_kdir "$4") || exit $?
	build_clean "$3" "$kdir" C=2
	;;
rt)
	kdir=$4
	if [ "$kdir" = auto ]; then
		# shellcheck source=scripts/kernel.sh
		. "$src/scripts/kernel.sh"
		kdir=$(vm_find_rt_kdir "${MICMEM_KSERIES:-6.1}")
		[ -n "$kdir" ] || missing "PREEMPT_RT headers of Linux ${MICMEM_KSERIES:-6.1} (scripts/packages, kernel-${MICMEM_KSERIES:-6.1})"
	fi
	[ -d "$kdir" ] || missing "kernel build directory $kdir"
	grep -qs '^CONFIG_PREEMPT_RT=y' "$kdir/.config" ||
		missing "$kdir is not a PREEMPT_RT kernel"
	build_clean "$3" "$kdir" W=1 KCFLAGS=-Werror
	;;
hwdoc)
	command -v perl > /dev/null || missing "perl"
	checker=$src/tests/lint/hwdoc-cites.pl
	# The checker itself first: a tree with one bad citation of each kind
	# (and a string that only looks like one) must fail with exactly those.
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/doc" "$tmp/src-kernel/x"
	cp "$src/doc/x100-hardware.md" "$tmp/doc/"
	cat > "$tmp/src-kernel/x/bad.c" <<-'EOF'
	/* fact sheet B.4 */
	/* doc/x100-hardware notes */
	/* doc/x100-hardware.md B.99 */
	/* C.8 #99, C.4 step 99 */
	// doc/x100-hardware.md Z
	static const char *s = "fact sheet Q.1";
	/* doc/x100-hardware.md B.4, C.8 #6, C.4 step 7, doc/x100-hardware.md D */
	EOF
	out=$(perl "$checker" "$tmp")
	rc=$?
	want='x/bad.c:1: cites the fact sheet
x/bad.c:2: names the hardware reference other than doc/x100-hardware.md
x/bad.c:3: doc/x100-hardware.md has no section B.99
x/bad.c:4: doc/x100-hardware.md C.8 has no item #99
x/bad.c:4: doc/x100-hardware.md C.4 has no step 99
x/bad.c:5: doc/x100-hardware.md has no part Z
FAIL: 6 bad'
	got=$(printf '%s\n' "$out" | sed -e 's/^src-kernel\///' -e 's/; cite.*//' -e 's/ citation.*//')
	if [ "$rc" != 1 ] || [ "$got" != "$want" ]; then
		echo "FAIL: hwdoc-cites.pl self-test (status $rc), got:"
		printf '%s\n' "$out"
		exit 1
	fi
	echo "self-test: the checker finds each kind of bad citation"
	perl "$checker" "$src"
	;;
*)
	echo "lint.sh: unknown check $check" >&2
	exit 2
	;;
esac
