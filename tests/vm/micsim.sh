#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# micsim: create, configure and remove simulated x100 cards, so that tests
# never spell out configfs or debugfs paths.
#
#   micsim add NAME [ATTR=VALUE ...]   create a card, set attributes, go live;
#                                      prints the card number N (micN)
#   micsim del NAME                    go offline and remove the card
#   micsim set NAME ATTR VALUE         write a configfs attribute
#   micsim get NAME ATTR               read a configfs attribute
#   micsim knob NAME KNOB [VALUE]      read or write a debugfs knob
#   micsim card NAME                   print the card number N
#   micsim list                        names of existing sim cards

CFG=/sys/kernel/config/micmem_sim
DBG=/sys/kernel/debug/micmem_sim

die() { echo "micsim: $*" >&2; exit 1; }

cmd=$1
[ -n "$cmd" ] || die "usage: micsim add|del|set|get|knob|card|list ..."
shift
case "$cmd" in
add)
	name=$1; shift
	[ -n "$name" ] || die "add: name missing"
	mkdir "$CFG/$name" || die "cannot create $name"
	for kv in "$@"; do
		echo "${kv#*=}" > "$CFG/$name/${kv%%=*}" || { rmdir "$CFG/$name"; die "bad attribute $kv"; }
	done
	echo 1 > "$CFG/$name/live" || { rmdir "$CFG/$name"; die "$name did not go live"; }
	cat "$CFG/$name/card"
	;;
del)
	name=$1
	[ -d "$CFG/$name" ] || die "no card $name"
	if [ "$(cat "$CFG/$name/live")" = 1 ]; then
		echo 0 > "$CFG/$name/live" || die "$name did not go offline"
	fi
	rmdir "$CFG/$name" || die "cannot remove $name"
	;;
set)
	echo "$3" > "$CFG/$1/$2" || die "cannot set $2 of $1"
	;;
get)
	cat "$CFG/$1/$2" || die "cannot read $2 of $1"
	;;
knob)
	if [ $# -ge 3 ]; then
		echo "$3" > "$DBG/$1/$2" || die "cannot set knob $2 of $1"
	else
		cat "$DBG/$1/$2" || die "cannot read knob $2 of $1"
	fi
	;;
card)
	cat "$CFG/$1/card" || die "no card $1"
	;;
list)
	ls "$CFG"
	;;
*)
	die "unknown command $cmd"
	;;
esac
