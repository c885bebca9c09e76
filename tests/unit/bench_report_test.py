#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""scripts/bench_report.py on made-up runs (TAP): medians and ranges over
boots, n/a kept only where no boot measured, markdown rows, an SVG that
parses as XML with one line per series, and bad input refused.

    bench_report_test.py PATH/TO/bench_report.py
"""

import importlib.util
import json
import os
import sys
import tempfile
import xml.etree.ElementTree as ET

spec = importlib.util.spec_from_file_location("bench_report", sys.argv[1])
br = importlib.util.module_from_spec(spec)
spec.loader.exec_module(br)

results = []


def case(name):
    def wrap(fn):
        try:
            fn()
            results.append((True, name, ""))
        except Exception as e:  # pylint: disable=broad-except
            results.append((False, name, repr(e)))
        return fn
    return wrap


def run(i, value, peer, na_link=True):
    figs = [
        {"key": "rtt_4k", "group": "targets", "label": "4 KiB rtt",
         "unit": "ns", "value": value, "min": value, "max": value,
         "peer_label": "futex", "peer": peer, "peer_min": peer,
         "peer_max": peer, "ratio": value / peer, "target": "<= 1.5",
         "reps": 5},
    ]
    for ch in ("ch0", "ch1", "auto"):
        for size in (4096, 1 << 20):
            figs.append({"key": f"bw_to_card_{ch}_{size}",
                         "group": "bandwidth", "label": f"{ch} {size}",
                         "unit": "MiB/s", "value": 10.0 * (i + 1),
                         "min": 1, "max": 50, "peer_label": "memcpy",
                         "peer": 100.0, "peer_min": 90, "peer_max": 110,
                         "ratio": 0.1 * (i + 1), "reps": 5, "size": size,
                         "dir": "to_card", "channel": ch})
    link = {"key": "link_4096", "group": "link", "label": "link 4K",
            "unit": "ns", "value": None, "min": None, "max": None,
            "reps": 5, "size": 4096, "dir": "to_card", "channel": "auto",
            "na": "sim without link pacing"}
    if not na_link:
        link.update(value=20000.0, min=19000.0, max=21000.0,
                    peer_label="link", peer=1000.0, ratio=20.0)
        del link["na"]
    figs.append(link)
    return {"micmem_bench_suite": 1, "quick": False, "reps": 5,
            "kernel": "6.1", "elapsed_s": 100 + i, "figures": figs}


@case("median_of_odd_and_even")
def _():
    assert br.median([3, 1, 2]) == 2
    assert br.median([4, 1, 3, 2]) == 2.5
    s = br.stat([5, None, float("nan"), 1, True, 3])
    assert s == {"median": 3, "min": 1, "max": 5, "n": 3}, s
    assert br.stat([None]) is None


@case("combine_takes_median_and_range_over_boots")
def _():
    c = br.combine([run(0, 300, 100), run(1, 100, 100), run(2, 200, 100)])
    assert c["boots"] == 3
    f = {x["key"]: x for x in c["figures"]}
    assert f["rtt_4k"]["value"] == {"median": 200, "min": 100, "max": 300,
                                    "n": 3}
    assert f["rtt_4k"]["ratio"]["median"] == 2
    assert f["bw_to_card_ch0_4096"]["value"]["median"] == 20
    assert f["link_4096"]["na"] == "sim without link pacing"
    assert c["elapsed_s"]["max"] == 102
    # a figure one boot measured is not n/a
    c = br.combine([run(0, 1, 1), run(1, 1, 1, na_link=False)])
    f = {x["key"]: x for x in c["figures"]}
    assert "na" not in f["link_4096"] and f["link_4096"]["value"]["n"] == 1


@case("markdown_has_a_row_per_figure")
def _():
    md = br.markdown(br.combine([run(0, 300, 100), run(1, 100, 100),
                                 run(2, 200, 100)]))
    assert "| 4 KiB rtt | ns | 200 (100..300) | futex | 100 | 2 " \
           "(1..3) | <= 1.5 |" in md, md
    assert "| link 4K | ns | n/a: sim without link pacing |" in md
    assert md.count(" | MiB/s | ") == 6


@case("svg_parses_with_a_line_per_series")
def _():
    c = br.combine([run(0, 1, 1, na_link=False), run(1, 1, 1)])
    root = ET.fromstring(br.svg(c, "t"))
    ns = "{http://www.w3.org/2000/svg}"
    lines = root.findall(f"{ns}polyline")
    # memcpy, ch0, ch1, auto, link measured, link model
    assert len(lines) == 6, len(lines)
    names = [t.text for t in root.findall(f"{ns}text")]
    for n in ("memcpy", "ch0", "ch1", "auto", "link-paced, measured",
              "link model"):
        assert n in names, names


@case("command_line_writes_files_and_refuses_bad_input")
def _():
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for i in range(2):
            p = os.path.join(d, f"r{i}.json")
            with open(p, "w", encoding="utf-8") as f:
                json.dump(run(i, 100 * (i + 1), 100), f)
            paths.append(p)
        out = [os.path.join(d, n) for n in ("c.json", "c.md", "c.svg")]
        assert br.main(["--json", out[0], "--md", out[1], "--svg", out[2]]
                       + paths) == 0
        with open(out[0], encoding="utf-8") as f:
            assert json.load(f)["boots"] == 2
        # the combined JSON is accepted again as input
        assert br.main(["--md", out[1], out[0]]) == 0
        bad = os.path.join(d, "bad.json")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("{\"figures\": 1}")
        assert br.main([bad]) == 1
        with open(bad, "w", encoding="utf-8") as f:
            f.write("{not json")
        assert br.main([bad, paths[0]]) == 1
        assert br.main([os.path.join(d, "missing.json")]) == 1


print("TAP version 13")
for i, (ok, name, why) in enumerate(results, 1):
    if why:
        print(f"# {why}")
    print(f"{'ok' if ok else 'not ok'} {i} {name}")
print(f"1..{len(results)}")
