#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""scripts/stress_summary.py on a made-up meson testlog.json (TAP): the
count lines of storms, fuzz and soak are printed with each test's result,
other tests' lines are not, every failing kernel_log_clean subtest of any
vm test but a should_fail self-test is counted, and a lane without a log says so.

    stress_summary_test.py PATH/TO/stress_summary.py
"""

import json
import os
import subprocess
import sys
import tempfile

script = sys.argv[1]
results = []


def summary(tests):
    with tempfile.TemporaryDirectory() as d:
        if tests is not None:
            with open(os.path.join(d, 'testlog.json'), 'w') as f:
                for t in tests:
                    f.write(json.dumps(t) + '\n')
        p = subprocess.run([sys.executable, script, d], capture_output=True,
                           text=True, check=False)
    return p.returncode, p.stdout


def check(name, ok, detail=''):
    results.append((ok, name, detail))


LOG = [
    {'name': 'micmem:vm / storms', 'result': 'OK', 'stdout':
     'TAP version 13\n'
     '# # sigkill: 1000 processes killed with DMA in flight in 9000 ms\n'
     '# # sigkill: memory in use +12 pages (pgalloc-pgfree) of which +0 sim\n'
     '# queued: 1000 iterations in 8000 ms: close 250, munmap 250\n'
     '# removal: 102 cards removed during DMA in 7000 ms\n'
     '# something else\nok 1 sigkill\n1..1\n'},
    {'name': 'micmem:vm / fuzz', 'result': 'OK', 'stdout':
     '# fuzz: seed 0x1, 4 threads, 115000 calls\nok 1 fuzz\n'},
    {'name': 'micmem:vm / soak', 'result': 'FAIL', 'stdout':
     '# soak: 8 threads, 45 s, 3 mismatches, 0 errors\nnot ok 1 soak\n'},
    {'name': 'micmem:vm / core', 'result': 'FAIL', 'stdout':
     '# sigkill: not a stress test\nok 1 a\nnot ok 2 kernel_log_clean\n'},
    {'name': 'micmem:vm / card', 'result': 'FAIL', 'stdout':
     'not ok 7 kernel_log_clean\n'},
    {'name': 'micmem:vm / selftest_warn', 'result': 'EXPECTEDFAIL',
     'stdout': 'ok 1 load\nnot ok 2 kernel_log_clean\n'},
]

rc, out = summary(LOG)
check('exit status 0', rc == 0, out)
for want in ('  storms: OK', '    sigkill: 1000 processes killed',
             '    sigkill: memory in use +12 pages',
             '    queued: 1000 iterations', '    removal: 102 cards',
             '  fuzz: OK', '    fuzz: seed 0x1', '  soak: FAIL',
             '    soak: 8 threads, 45 s, 3 mismatches',
             '  kernel reports in vm tests: 2'):
    check(f'prints "{want.strip()}"', want in out, out)
check('other lines of a stress test left out', 'something else' not in out,
      out)
check('count lines of other tests left out', 'not a stress test' not in out,
      out)
rc, out = summary([])
check('an empty log: no tests, 0 reports',
      rc == 0 and out == '  kernel reports in vm tests: 0\n', out)
rc, out = summary(None)
check('no log: says so', rc == 0 and 'no ' in out and 'testlog.json' in out,
      out)

print('TAP version 13')
for i, (ok, name, detail) in enumerate(results, 1):
    if not ok:
        for line in detail.splitlines():
            print(f'# {line}')
    print(f'{"ok" if ok else "not ok"} {i} {name}')
print(f'1..{len(results)}')
