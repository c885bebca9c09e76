#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-run-outcomes.sh VM_RUN: vm-run's outcomes against a fake QEMU (a
# script first in PATH that plays a scripted guest on the three serial
# files) and a fake kernel tree: a clean run, a program's status, a kernel
# report before /init and before our modules (122, at once), an int3 flake
# booted once more (also after a debug kernel's boot banners), an int3
# with a KASAN report not booted again, no
# progress (123), a heartbeat keeping a silent program alive, a report
# after our modules and no status (123), a report after our modules and a
# status (the guest's verdict), a silent death before /init (126), the
# program timeout (124), a bad --stall and a vm-init.sh without report
# patterns (125); a --file named like a busybox applet (125); QEMU ended with vm-run by a TERM to its process group
# or to vm-run alone; and scripts/boot-loop's count on the same fake guest.
set -u
vm_run=$(readlink -f "$1")
tmp=$(mktemp -d /tmp/micmem-vmrun-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# A kernel tree as scripts/kernel.sh accepts one (a built source tree).
kdir=$tmp/kdir
mkdir -p "$kdir/arch/x86/boot" "$kdir/include/config" "$tmp/bin" "$tmp/mods"
echo fake > "$kdir/arch/x86/boot/bzImage"
echo 6.1.0-fake > "$kdir/include/config/kernel.release"
printf '# Linux/x86 6.1.0 Kernel Configuration\nCONFIG_CONFIGFS_FS=y\n' > "$kdir/.config"
printf '#!/bin/sh\nexit 0\n' > "$tmp/prog.sh"

cat > "$tmp/bin/qemu-system-x86_64" <<'EOF'
#!/bin/bash
# Fake QEMU: -serial file:CONSOLE, -serial stdio, -serial file:STATUS.
n=0
while [ $# -gt 0 ]; do
	if [ "$1" = -serial ]; then
		n=$((n + 1))
		case "$n" in
		1) con=${2#file:} ;;
		3) st=${2#file:} ;;
		esac
		shift
	fi
	shift
done
boots=$FAKE_DIR/boots
echo $$ > "$FAKE_DIR/qemu_pid"
[ -s "$boots" ] || date +%s > "$FAKE_DIR/t_qemu"
echo x >> "$boots"
boot=$(wc -l < "$boots")
c() { echo "$*" >> "$con"; }
mark() {
	c "Run /init as init process"
	c "vm-init: checking the kernel log from here"
}
hang() { exec sleep 1000; }
case "$FAKE_SCENARIO" in
clean)
	c "Linux version 6.1.0-fake"; mark
	echo "program output"
	echo "vm-run-status: 0" >> "$st" ;;
status7)
	mark; echo "vm-run-status: 7" >> "$st" ;;
booted)	# what scripts/boot-loop's program prints
	mark; echo booted; echo "vm-run-status: 0" >> "$st" ;;
kasan_early)
	c "Linux version 6.1.0-fake"
	c "BUG: KASAN: wild-memory-access in do_raw_spin_lock+0x9d/0x1c0"
	hang ;;
warn_before_modules)
	c "Run /init as init process"
	c "WARNING: CPU: 0 PID: 1 at kernel/foo.c:1 foo+0x1/0x2"
	hang ;;
int3_flake)
	if [ "$boot" = 1 ]; then
		c "int3: 0000 [#1] PREEMPT SMP NOPTI"
		c "Kernel panic - not syncing: Fatal exception in interrupt"
		exit 0
	fi
	mark; echo "second boot"; echo "vm-run-status: 0" >> "$st" ;;
int3_debug)
	if [ "$boot" = 1 ]; then
		c "kmemleak: Kernel memory leak detector initialized (mem pool available: 15765)"
		c "Oops: int3: 0000 [#1] PREEMPT SMP KASAN NOPTI"
		exit 0
	fi
	mark; echo "second boot"; echo "vm-run-status: 0" >> "$st" ;;
int3_kasan)
	c "BUG: KASAN: wild-memory-access in account_process_tick+0x1/0x2"
	c "int3: 0000 [#1] PREEMPT SMP NOPTI"
	c "Kernel panic - not syncing: Fatal exception"
	exit 0 ;;
stall)
	c "Linux version 6.1.0-fake"; hang ;;
heartbeat)
	mark
	for i in $(seq 12); do echo vm-run-alive >> "$st"; sleep 1; done
	echo "late output"
	echo "vm-run-status: 0" >> "$st" ;;
report_then_stall)
	mark
	c "BUG: KASAN: slab-use-after-free in micmem_foo+0x1/0x2"
	while :; do echo vm-run-alive >> "$st"; sleep 1; done ;;
report_then_status)
	mark
	c "BUG: KASAN: slab-use-after-free in micmem_foo+0x1/0x2"
	echo "# KLOG: BUG: KASAN: slab-use-after-free in micmem_foo+0x1/0x2"
	echo "vm-run-status: 3" >> "$st" ;;
silent_death)
	c "Linux version 6.1.0-fake"
	exit 0 ;;
timeout)
	mark
	while :; do echo vm-run-alive >> "$st"; sleep 1; done ;;
esac
exit 0
EOF
chmod +x "$tmp/bin/qemu-system-x86_64"

# case ID SCENARIO EXPECTED_RC 'OUTPUT_REGEX' MAX_SECONDS BOOTS [vm-run
# options]: started in the background (the cases run together), judged
# by check().
ids=()
case_() {
	local id=$1 name=$2 d=$tmp/case.$1
	shift 2
	mkdir -p "$d"
	printf '%s\n' "$name" "$@" > "$d/spec"
	ids+=("$id")
	(
		shift 4
		FAKE_SCENARIO=$name FAKE_DIR=$d MICMEM_KDIR=$kdir \
			PATH="$tmp/bin:$PATH" "$vm_run" --no-modules --timeout 300 \
			--console "$d/console" "$@" "$tmp/prog.sh" > "$d/out" 2> "$d/err"
		rc=$?
		# from the first (fake) QEMU start: building the initramfs
		# is slow on a loaded machine and not what is measured
		t0=$(cat "$d/t_qemu" 2> /dev/null || date +%s)
		echo "$rc $(( $(date +%s) - t0 ))" > "$d/result"
	) &
}

echo "TAP version 13"
# The limits are generous (a loaded machine, every case at once); what
# matters is that each outcome comes long before the 300 s timeout.
case_ clean clean 0 '^program output$' 120 1 --stall 10
case_ status7 status7 7 '' 120 1 --stall 10
case_ kasan_early kasan_early 122 '^# vm-run: kernel report before /init: BUG: KASAN: wild-memory-access' 120 1 --stall 50
case_ warn warn_before_modules 122 '^# vm-run: kernel report before our modules loaded: WARNING:' 120 1 --stall 50
case_ int3 int3_flake 0 '^# vm-run: the kernel died before /init \(int3\).*booting again' 120 2 --stall 10
case_ int3_debug int3_debug 0 '^second boot$' 120 2 --stall 10
case_ int3_kasan int3_kasan 122 '^# vm-run: kernel report before /init: BUG: KASAN' 120 1 --stall 10
case_ stall stall 123 '^# vm-run: no progress for 3 s' 120 1 --stall 3
case_ heartbeat heartbeat 0 '^late output$' 120 1 --stall 8
case_ report_stall report_then_stall 123 '^# vm-run: kernel report at [0-9]+ s and no status 3 s later: BUG: KASAN' 120 1 --stall 3
case_ report_status report_then_status 3 '^# KLOG: BUG: KASAN' 120 1 --stall 10
case_ silent silent_death 126 '^# vm-run: the guest died without reporting' 120 1 --stall 10
case_ timeout timeout 124 '^# vm-run: timed out after 4s' 120 1 --stall 0 --timeout 4
case_ bad_stall clean 125 '' 120 0 --stall 2x

# A vm-run whose vm-init.sh has no report pattern refuses to run (125):
# the same files in a copy of the tree, vm-init.sh without its pat= line.
mkdir -p "$tmp/tree/tests/vm" "$tmp/tree/scripts" "$tmp/case.no_pat"
cp "$vm_run" "$(dirname "$vm_run")/micsim.sh" "$tmp/tree/tests/vm/"
grep -v '^pat=' "$(dirname "$vm_run")/vm-init.sh" > "$tmp/tree/tests/vm/vm-init.sh"
cp "$(dirname "$vm_run")/../../scripts/kernel.sh" "$tmp/tree/scripts/"
(
	MICMEM_KDIR=$kdir PATH="$tmp/bin:$PATH" FAKE_SCENARIO=clean \
		FAKE_DIR=$tmp/case.no_pat "$tmp/tree/tests/vm/vm-run" --no-modules \
		"$tmp/prog.sh" > "$tmp/case.no_pat/out" 2>&1
	echo $? > "$tmp/case.no_pat/result"
) &

# A file named like one of the guest's own tools (/bin/true is busybox)
# is refused (125) before any boot: copied, it would overwrite busybox.
mkdir -p "$tmp/case.applet/x"
cp "$tmp/prog.sh" "$tmp/case.applet/x/true"
(
	FAKE_SCENARIO=clean FAKE_DIR=$tmp/case.applet MICMEM_KDIR=$kdir \
		PATH="$tmp/bin:$PATH" "$vm_run" --no-modules \
		--file "$tmp/case.applet/x/true" "$tmp/prog.sh" \
		> "$tmp/case.applet/out" 2>&1
	echo $? > "$tmp/case.applet/result"
) &

# A signal ends QEMU with vm-run: TERM to vm-run's process group, as
# meson's timeout sends it (`timeout` must not take QEMU out of that
# group), and TERM to vm-run alone (its exit stops the VM).
for how in group alone; do
	d=$tmp/sig.$how
	mkdir -p "$d"
	(
		FAKE_SCENARIO=timeout FAKE_DIR=$d MICMEM_KDIR=$kdir \
			PATH="$tmp/bin:$PATH" setsid "$vm_run" --no-modules \
			--timeout 300 --stall 0 --console "$d/console" \
			"$tmp/prog.sh" > "$d/out" 2>&1 &
		vpid=$!
		echo "$vpid" > "$d/vm_run_pid"
		for _ in $(seq 240); do
			[ -s "$d/qemu_pid" ] && break
			sleep 0.5
		done
		sleep 1
		if [ "$how" = group ]; then
			kill -TERM -- "-$vpid"
		else
			kill -TERM "$vpid"
		fi
		wait "$vpid"
		rc=$?
		gone=no
		for _ in $(seq 10); do
			kill -0 "$(cat "$d/qemu_pid")" 2> /dev/null || { gone=yes; break; }
			sleep 0.5
		done
		kill -KILL "$(cat "$d/qemu_pid")" 2> /dev/null
		echo "$rc $gone" > "$d/result"
	) &
done

# scripts/boot-loop on the fake guest: two clean boots, and a boot with a
# report that ends the loop (its console kept).
root=$(cd "$(dirname "$vm_run")/../.." && pwd)
for bl in booted kasan_early; do
	mkdir -p "$tmp/bl.$bl/logs"
	(
		MICMEM_BOOT_LOOP_LOGS=$tmp/bl.$bl/logs PATH="$tmp/bin:$PATH" \
			FAKE_SCENARIO=$bl FAKE_DIR=$tmp/bl.$bl \
			"$root/scripts/boot-loop" --kdir "$kdir" -n 2 --stall 20 \
			> "$tmp/bl.$bl/out" 2>&1
		echo $? > "$tmp/bl.$bl/result"
	) &
done
wait

n=0
failed=0
for id in "${ids[@]}"; do
	d=$tmp/case.$id
	{ read -r name; read -r want; read -r re; read -r max; read -r boots; } < "$d/spec"
	read -r rc took < "$d/result"
	[ "$want" != 125 ] || took=0
	got_boots=0
	[ -f "$d/boots" ] && got_boots=$(wc -l < "$d/boots")
	n=$((n + 1))
	if [ "$rc" = "$want" ] && { [ -z "$re" ] || grep -qE -- "$re" "$d/out"; } &&
	   [ "$took" -le "$max" ] && [ "$got_boots" = "$boots" ]; then
		echo "ok $n - $id: exit $rc in $took s, $got_boots boot(s)"
	else
		echo "not ok $n - $id: exit $rc (want $want) in $took s (max $max), $got_boots boot(s) (want $boots), output:"
		sed 's/^/#   /' "$d/out" "$d/err"
		failed=$((failed + 1))
	fi
done
judge() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/#   /' "$3"
		failed=$((failed + 1))
	fi
}
[ "$(cat "$tmp/case.no_pat/result")" = 125 ] &&
	grep -q 'no report pattern in' "$tmp/case.no_pat/out" &&
	! [ -f "$tmp/case.no_pat/boots" ]
judge $? "no_pat: a vm-init.sh without pat= is refused (125), no boot" "$tmp/case.no_pat/out"
[ "$(cat "$tmp/case.applet/result")" = 125 ] &&
	grep -q "/bin/true is its own (busybox)" "$tmp/case.applet/out" &&
	! [ -f "$tmp/case.applet/boots" ]
judge $? "applet: --file named true is refused (125), no boot" "$tmp/case.applet/out"
for how in group alone; do
	read -r rc gone < "$tmp/sig.$how/result"
	[ "$rc" = 143 ] && [ "$gone" = yes ]
	judge $? "TERM to vm-run ($how): exit $rc (want 143), QEMU gone within 5 s: $gone" "$tmp/sig.$how/out"
done
[ "$(cat "$tmp/bl.booted/result")" = 0 ] &&
	grep -q '^boot-loop: 2 clean of 2 boots' "$tmp/bl.booted/out"
judge $? "boot-loop: 2 clean of 2 boots, exit 0" "$tmp/bl.booted/out"
[ "$(cat "$tmp/bl.kasan_early/result")" = 1 ] &&
	grep -q '^boot-loop: 0 clean of 1 boots' "$tmp/bl.kasan_early/out" &&
	grep -q 'exit 122' "$tmp/bl.kasan_early/out" &&
	grep -q 'KASAN' "$tmp/bl.kasan_early/logs/console.1"
judge $? "boot-loop: a report stops the loop (0 clean of 1), console kept" "$tmp/bl.kasan_early/out"

echo "1..$n"
[ "$failed" = 0 ]
