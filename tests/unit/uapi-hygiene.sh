#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# uapi-hygiene.sh HEADER...: what headers_install would refuse or what
# breaks the ABI rules: a missing syscall-note SPDX line, CONFIG_ or
# __KERNEL__, and struct members that are not fixed-width __u/__s types.
rc=0
for h in "$@"; do
	head -n 1 "$h" | grep -q 'SPDX-License-Identifier: .* WITH Linux-syscall-note' ||
		{ echo "$h:1: SPDX line without WITH Linux-syscall-note"; rc=1; }
	grep -n 'CONFIG_\|__KERNEL__' "$h" && { echo "$h: mentions CONFIG_ or __KERNEL__"; rc=1; }
	awk -v f="$h" '
		/^struct [a-z_0-9]+ \{/ { in_struct = 1; next }
		in_struct && /^\};/ { in_struct = 0; next }
		in_struct && !/^\t__[us](8|16|32|64) [a-z_0-9]+(\[[0-9]+\])?;/ {
			printf "%s:%d: not a fixed-width member: %s\n", f, NR, $0
			bad = 1
		}
		END { exit bad }' "$h" || rc=1
done
[ "$rc" = 0 ] && echo "$# header(s) clean"
exit "$rc"
