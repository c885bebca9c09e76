#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""scripts/stress_summary.py LOGDIR: what one lane's storms, fuzz and soak
reported, for the CI log (issue 10: counts, kernel reports, data
mismatches, memory against its baseline, in every run's output).

Reads LOGDIR/testlog.json (meson) and prints, for each of those tests
that ran, its result and the count lines it printed ("# sigkill: ...",
"# fuzz: ...", "# soak: ...", the memory lines), then one line with the
number of kernel reports across every vm test of the lane (a failing
"kernel_log_clean" subtest is one; the should_fail self-tests, whose
report is expected, do not count).  Exit status 0; the verdict is
meson's.
"""
import json
import os
import re
import sys

STRESS = ('storms', 'fuzz', 'soak')
# the harness prefixes a case's own comments with one more "# "
COUNT = re.compile(r'^(?:# )+((?:sigkill|queued|removal|fuzz|soak)\b.*)')


def main():
    path = os.path.join(sys.argv[1], 'testlog.json')
    try:
        tests = [json.loads(line) for line in open(path)]
    except OSError:
        print(f'stress summary: no {path}')
        return 0
    reports = 0
    for t in tests:
        out = t.get('stdout') or ''
        # a should_fail self-test's report is the point of that test
        if t.get('result') != 'EXPECTEDFAIL':
            reports += len(re.findall(r'^not ok \d+ kernel_log_clean', out,
                                      re.M))
        name = t['name'].rsplit('/', 1)[-1].strip()
        if name not in STRESS:
            continue
        print(f'  {name}: {t["result"]}')
        for line in out.splitlines():
            m = COUNT.match(line)
            if m:
                print(f'    {m.group(1)}')
    print(f'  kernel reports in vm tests: {reports}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
