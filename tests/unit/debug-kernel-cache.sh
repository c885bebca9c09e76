#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debug-kernel-cache.sh SCRIPT: scripts/debug-kernel's cache against a fake
# kernel source tarball (a Makefile that "builds" in no time, a
# merge_config.sh that appends): the first run builds and prints the
# directory, the second finds it cached without running make, a failed
# build is not cached and the next run builds again, a new tarball is a
# new key, a fragment option Kconfig dropped fails the run, and the bad
# arguments (--series, a directory inside the repository) are refused.
set -u
script=$(readlink -f "$1")
repo=$(cd "$(dirname "$script")/.." && pwd)
tmp=$(mktemp -d /tmp/micmem-dk-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

src=$tmp/src/linux-fake
mkdir -p "$src/scripts/kconfig"
# The fake kernel: FAKE_DIR/make.log counts the builds; FAKE_FAIL=1 fails
# the build half way (bzImage written, no modules), FAKE_DROP=OPT drops
# an option in allnoconfig (or olddefconfig).
cat > "$src/Makefile" <<'EOF'
allnoconfig:
	@grep '^CONFIG_.*=' $(KCONFIG_ALLCONFIG) > .config
	@if [ -n "$$FAKE_DROP" ]; then grep -v "^$$FAKE_DROP=" .config > .config.new; mv .config.new .config; fi
x86_64_defconfig:
	@echo 'CONFIG_64BIT=y' > .config
kvm_guest.config:
	@echo 'CONFIG_KVM_GUEST=y' >> .config
olddefconfig:
	@if [ -n "$$FAKE_DROP" ]; then grep -v "^$$FAKE_DROP=" .config > .config.new; mv .config.new .config; fi
bzImage:
	@echo build >> "$$FAKE_DIR/make.log"
	@mkdir -p arch/x86/boot include/config
	@echo image > arch/x86/boot/bzImage
	@echo 6.12.0-fake > include/config/kernel.release
modules: bzImage
	@if [ "$$FAKE_FAIL" = 1 ]; then echo "fake build failure" >&2; exit 1; fi
	@echo modules > modules.order
EOF
cat > "$src/scripts/kconfig/merge_config.sh" <<'EOF'
#!/bin/sh
# merge_config.sh -m -O DIR BASE FRAGMENT: append
eval "frag=\${$#}"
cat "$frag" >> .config
EOF
chmod +x "$src/scripts/kconfig/merge_config.sh"
tar cJf "$tmp/linux-fake.tar.xz" -C "$tmp/src" linux-fake

export MICMEM_NO_INSTALL=1 MICMEM_LINUX_SOURCE=$tmp/linux-fake.tar.xz \
	MICMEM_DEBUG_KERNEL_CACHE=$tmp/cache FAKE_DIR=$tmp FAKE_FAIL='' FAKE_DROP=''
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/#   /' "$tmp/out" "$tmp/err"
		failed=$((failed + 1))
	fi
}
builds() { [ -f "$tmp/make.log" ] && wc -l < "$tmp/make.log" || echo 0; }
dk() { "$script" "$@" > "$tmp/out" 2> "$tmp/err"; }

echo "TAP version 13"
dk --series 6.12 --print-dir
rc=$?
dir=$(cat "$tmp/out")
case "$dir" in "$tmp/cache/6.12-"*) in_cache=0 ;; *) in_cache=1 ;; esac
ok $(( rc || in_cache )) "first run builds into the cache: exit $rc, $dir"
[ -f "$dir/.micmem-built" ] && [ "$(builds)" = 1 ]
ok $? "the stamp is written after the build ($(builds) build)"
[ "$(wc -l < "$tmp/out")" = 1 ]
ok $? "--print-dir prints only the directory on stdout"

dk --series 6.12 --print-dir
rc=$?
[ "$rc" = 0 ] && [ "$(cat "$tmp/out")" = "$dir" ] && [ "$(builds)" = 1 ] &&
	grep -q 'debug-kernel: cached 6.12.0-fake' "$tmp/err"
ok $? "second run: cached, no make ($(builds) build)"

# A new tarball (size or modification time): a new key, a new tree.
touch -d '2001-01-01' "$MICMEM_LINUX_SOURCE"
FAKE_FAIL=1 dk --series 6.12 --print-dir
rc=$?
dir2=
for d in "$tmp"/cache/6.12-*; do
	case "$d" in "$dir"|*.lock) ;; *) dir2=$d ;; esac
done
[ "$rc" != 0 ] && [ -n "$dir2" ] && [ "$dir2" != "$dir" ] &&
	[ -f "$dir2/arch/x86/boot/bzImage" ] && ! [ -f "$dir2/.micmem-built" ]
ok $? "a failed build of a new key: exit $rc, bzImage there, no stamp"
dk --series 6.12 --print-dir
rc=$?
[ "$rc" = 0 ] && [ "$(cat "$tmp/out")" = "$dir2" ] && [ "$(builds)" = 3 ] &&
	[ -f "$dir2/.micmem-built" ]
ok $? "the next run builds again, not cached ($(builds) builds)"

# The fragment's options are checked after olddefconfig.
touch -d '2002-02-02' "$MICMEM_LINUX_SOURCE"
FAKE_DROP=CONFIG_KASAN dk --series 6.12 --print-dir
rc=$?
[ "$rc" != 0 ] && grep -q 'wanted CONFIG_KASAN=y, got: unset' "$tmp/err"
ok $? "an option Kconfig dropped fails the run: exit $rc"

dk --series 6.13
[ $? = 2 ] && grep -q 'series must be 6.1 or 6.12' "$tmp/err"
ok $? "--series 6.13 is refused"
dk --series 6.1 "$repo/build-debug-kernel"
[ $? = 1 ] && grep -q 'inside the repository' "$tmp/err" &&
	! [ -e "$repo/build-debug-kernel" ]
ok $? "a directory inside the repository is refused"
dk --bogus
[ $? = 2 ]
ok $? "an unknown option is refused"

echo "1..$n"
[ "$failed" = 0 ]
