#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the test VM (busybox).  Mounts the pseudo filesystems, loads the
# modules, creates sim cards, runs the program with its stdout on ttyS1,
# scans the kernel log for splats and reports the status on ttyS2.

export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /dev/pts /tmp
mount -t tmpfs tmpfs /tmp
. /etc/vm-run.conf

out=/dev/ttyS1
report() {
	echo "vm-run-status: $1" > /dev/ttyS2
	sync
	poweroff -f
}

if [ -f /lib/modules/configfs.ko ]; then
	insmod /lib/modules/configfs.ko || report 125
fi
mount -t configfs configfs /sys/kernel/config || report 125
if [ "$MICMEM_LOAD" = 1 ]; then
	insmod /lib/modules/micmem.ko || report 125
	insmod /lib/modules/micmem_sim.ko || report 125
	i=0
	while [ "$i" -lt "$MICMEM_CARDS" ]; do
		micsim add "card$i" > /dev/null || report 125
		i=$((i + 1))
	done
fi

# Everything the kernel logged so far is the baseline; scan only what the
# program causes.
dmesg > /tmp/klog.before
"$MICMEM_PROG" "$@" > "$out" 2>&1
rc=$?
sleep 0.2
dmesg > /tmp/klog.after
lines=$(wc -l < /tmp/klog.before)
tail -n +"$((lines + 1))" /tmp/klog.after > /tmp/klog.new
pat='BUG:|WARNING:|Oops|general protection|list_add corruption|list_del corruption|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|KASAN:|kmemleak:|blocked for more than|soft lockup|hard LOCKUP|Call Trace:|slab error|Poison overwritten|Redzone|Object padding'
if grep -Eq "$pat" /tmp/klog.new; then
	grep -E "$pat" /tmp/klog.new | head -n 10 | sed 's/^/# KLOG: /' > "$out"
	[ "$rc" = 0 ] && rc=3
fi
report "$rc"
