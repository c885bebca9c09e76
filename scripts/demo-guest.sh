#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM (busybox sh) for scripts/demo: one row per card of
# /sys/class/mic, one column per attribute, then /bin/demo-dma: DMA round
# trips on channel 0, 1 and auto of every card with their hardware cost.

cd /sys/class/mic 2>/dev/null || { echo "no /sys/class/mic: is micmem.ko loaded?"; exit 1; }
cards=$(ls -d mic* 2>/dev/null)
[ -n "$cards" ] || { echo "no cards"; exit 1; }

# Attributes: the readable regular files of the first card.
set -- $cards
first=$1
attrs=
for f in "$first"/*; do
	name=${f##*/}
	[ -f "$f" ] && [ -r "$f" ] || continue
	case "$name" in uevent|dev) continue ;; esac
	attrs="$attrs $name"
done

echo "micmem demo: $# simulated x100 card(s)"
echo
printf '%-6s' card
for a in $attrs; do printf ' %-14s' "$a"; done
echo
for c in $cards; do
	printf '%-6s' "$c"
	for a in $attrs; do
		v=$(head -c 64 "$c/$a" 2>/dev/null | head -n 1)
		printf ' %-14s' "${v:--}"
	done
	echo
done

echo
exec /bin/demo-dma
