#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the test VM (busybox).  Mounts the pseudo filesystems, loads the
# modules, creates sim cards, runs the program with its stdout on ttyS1,
# removes the cards and unloads the modules, scans the kernel log for
# splats and reports the status on ttyS2.

export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /dev/pts /tmp
mount -t tmpfs tmpfs /tmp
. /etc/vm-run.conf

# Heartbeat for vm-run's progress watch: a line on the status port every
# 5 s while the guest schedules user space (vm-run reads only the
# "vm-run-status:" line as the status).
while :; do
	echo vm-run-alive > /dev/ttyS2
	sleep 5
done &

out=/dev/ttyS1
report() {
	echo "vm-run-status: $1" > /dev/ttyS2
	sync
	poweroff -f
}

pat='BUG:|WARNING:|Oops|general protection|list_add corruption|list_del corruption|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|KASAN:|UBSAN:|kmemleak: .*(disabled|[Cc]annot|empty)|DMA-API: debugging out of memory|DMA-API: .*(device driver|cacheline tracking|exceeded)|lock inversion|possible deadlock|ODEBUG:|blocked for more than|soft lockup|hard LOCKUP|Call Trace:|slab error|Poison overwritten|Redzone|Object padding'
# The checkers of a debug kernel (scripts/debug-kernel); absent on the
# stock kernel.
kmemleak=/sys/kernel/debug/kmemleak
lockdep_on() {
	grep -qs 'debug_locks: *1$' /proc/lockdep_stats
}

if [ -f /lib/modules/configfs.ko ]; then
	insmod /lib/modules/configfs.ko || report 125
fi
mount -t configfs configfs /sys/kernel/config || report 125

# Baseline, before our modules: lockdep and KASAN report only once, so a
# splat of the kernel itself would leave our code unchecked.
: > /tmp/problems
dmesg | grep -E "$pat" | sed 's/^/before our modules: /' >> /tmp/problems
if [ -f /proc/lockdep_stats ] && ! lockdep_on; then
	echo "lockdep is off before our modules" >> /tmp/problems
fi
# Everything after this line is what our modules and the program cause.
mark='vm-init: checking the kernel log from here'
echo "$mark" > /dev/kmsg
jiffies() {
	sed -n 's/^jiffies: *//p' /proc/timer_list | head -n 1
}
j_mark=$(jiffies)

if [ "$MICMEM_LOAD" = 1 ]; then
	insmod /lib/modules/micmem.ko || report 125
	insmod /lib/modules/micmem_sim.ko || report 125
	i=0
	while [ "$i" -lt "$MICMEM_CARDS" ]; do
		# shellcheck disable=SC2086 # one word per attribute
		micsim add "card$i" $MICMEM_CARD_ATTRS > /dev/null || report 125
		i=$((i + 1))
	done
fi

"$MICMEM_PROG" "$@" > "$out" 2>&1
rc=$?

# Tear down as a user would (cards, then modules), so that removal,
# unbind and module exit run under the checkers after every program.
for c in $(micsim list 2> /dev/null); do
	micsim del "$c" 2> /dev/null || echo "teardown: cannot remove sim card $c" >> /tmp/problems
done
for m in micmem_sim micmem; do
	if [ -d "/sys/module/$m" ]; then
		rmmod "$m" 2> /dev/null || echo "teardown: rmmod $m failed" >> /tmp/problems
	fi
done
if [ -w "$kmemleak" ] && [ "${MICMEM_KMEMLEAK:-1}" = 1 ]; then
	# kmemleak reports an object that is 5 s old when a scan starts and
	# whose contents did not change since the previous scan.  A scan takes
	# ~8 s under TCG: the first one runs at once, the second no earlier
	# than 5 s after the teardown.  Objects allocated before the mark are
	# the kernel's own (the boot is not scanned apart, for time): keep
	# those allocated after it.
	read -r t_end _ < /proc/uptime
	echo scan > "$kmemleak"
	read -r t_now _ < /proc/uptime
	sleep "$(awk -v a="$t_end" -v b="$t_now" 'BEGIN { d = a + 5 - b; printf "%.2f", (d > 0 ? d : 0) }')"
	echo scan > "$kmemleak"
	awk -v mark="$j_mark" '
		/^unreferenced object/ { obj = $0; keep = 0; next }
		/^  comm .*, jiffies [0-9]+$/ {
			keep = $NF + 0 >= mark + 0
			if (keep) print obj
		}
		keep { print }
	' "$kmemleak" > /tmp/kmemleak
	if [ -s /tmp/kmemleak ]; then
		sed 's/^/# kmemleak: /' /tmp/kmemleak > "$out"
		cat /tmp/kmemleak > /dev/console
		sed -n 's/^/kmemleak: /; 1p' /tmp/kmemleak >> /tmp/problems
	fi
fi
sleep 0.2
dmesg > /tmp/klog.after
if grep -q "$mark" /tmp/klog.after; then
	sed -n "/$mark/,\$p" /tmp/klog.after > /tmp/klog.new
else
	echo "the kernel log overflowed (log_buf_len)" >> /tmp/problems
	cp /tmp/klog.after /tmp/klog.new
fi
grep -E "$pat" /tmp/klog.new >> /tmp/problems
if [ -f /proc/lockdep_stats ] && ! lockdep_on; then
	echo "lockdep turned itself off" >> /tmp/problems
fi
if [ -s /tmp/problems ]; then
	head -n 10 /tmp/problems | sed 's/^/# KLOG: /' > "$out"
	[ "$rc" = 0 ] && rc=3
fi
report "$rc"
