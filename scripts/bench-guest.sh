#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM (busybox sh) for scripts/bench: the suite with
# its table on stdout and its JSON into a file, then that JSON between
# two marker lines, which scripts/bench cuts out.  Arguments go to
# micmem-bench (e.g. --quick).
/bin/micmem-bench --suite --json /tmp/suite.json "$@"
rc=$?
if [ -s /tmp/suite.json ]; then
	echo "=== json begin ==="
	cat /tmp/suite.json
	echo "=== json end ==="
fi
exit "$rc"
