#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench_report.py: combine the JSON of several `micmem-bench --suite` runs
(one per VM boot, scripts/bench) into the median and range (min..max) of
every figure, as JSON and as markdown tables, and draw bandwidth against
size as SVG (written here by hand: no dependency beyond python3).

    bench_report.py [--json OUT.json] [--md OUT.md] [--svg OUT.svg] RUN.json...

Figures a run reports as n/a stay n/a (with the reason) unless another run
measured them.  Only the standard library is used.
"""

import argparse
import json
import math
import sys


def median(values):
    """Median of a non-empty list (mean of the middle two for even n)."""
    v = sorted(values)
    n = len(v)
    if n == 0:
        raise ValueError("median of nothing")
    if n % 2:
        return v[n // 2]
    return (v[n // 2 - 1] + v[n // 2]) / 2


def stat(values):
    """{median, min, max, n} of the finite numbers in values, or None."""
    v = [x for x in values
         if isinstance(x, (int, float)) and not isinstance(x, bool)
         and math.isfinite(x)]
    if not v:
        return None
    return {"median": median(v), "min": min(v), "max": max(v), "n": len(v)}


def load(paths):
    runs = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            d = json.load(f)
        if d.get("micmem_bench_suite") != 1 or not isinstance(
                d.get("figures"), list):
            raise ValueError(f"{p}: not the JSON of micmem-bench --suite")
        runs.append(d)
    if not runs:
        raise ValueError("no runs")
    return runs


def combine(runs):
    """The figures of all runs, by key in the order of the first run."""
    order, by_key = [], {}
    for r in runs:
        for f in r["figures"]:
            k = f["key"]
            if k not in by_key:
                order.append(k)
                by_key[k] = []
            by_key[k].append(f)
    figures = []
    for k in order:
        fs = by_key[k]
        first = fs[0]
        out = {key: first[key] for key in
               ("key", "group", "label", "unit", "peer_label", "target",
                "size", "dir", "channel") if key in first}
        out["value"] = stat([f.get("value") for f in fs])
        if any("peer_label" in f for f in fs):
            out["peer"] = stat([f.get("peer") for f in fs])
            out["ratio"] = stat([f.get("ratio") for f in fs])
        if out["value"] is None:
            nas = [f["na"] for f in fs if f.get("na")]
            out["na"] = nas[0] if nas else "no value"
        figures.append(out)
    first = runs[0]
    return {
        "micmem_bench_combined": 1,
        "boots": len(runs),
        "quick": first.get("quick"),
        "library": first.get("library"),
        "kernel": first.get("kernel"),
        "cmdline": first.get("cmdline"),
        "thp": first.get("thp"),
        "reps": first.get("reps"),
        "elapsed_s": stat([r.get("elapsed_s") for r in runs]),
        "figures": figures,
    }


def fmt(x):
    if x is None:
        return "-"
    a = abs(x)
    if a >= 100 or x == int(x):
        return f"{x:,.0f}"
    if a >= 1:
        return f"{x:.2f}"
    if a >= 0.01:
        return f"{x:.3f}"
    return f"{x:.2g}"


def cell(s):
    """median (min..max)"""
    if s is None:
        return "-"
    if s["n"] == 1 or s["min"] == s["max"]:
        return fmt(s["median"])
    return f"{fmt(s['median'])} ({fmt(s['min'])}..{fmt(s['max'])})"


GROUP_TITLES = {
    "targets": "The issue's targets",
    "pool_mapping": "Pool mapping",
    "bandwidth": "Bandwidth (one transfer per submit + wait)",
    "batch": "Batch size",
    "hw_cost": "Hardware cost per batch (sim counters)",
    "link": "Link-paced sim",
}


def markdown(c):
    out = [f"Median and range (min..max) over {c['boots']} boot(s); each "
           f"boot's figure is itself the median of {c.get('reps')} "
           "repetitions.  ratio = value / peer.", ""]
    group = None
    for f in c["figures"]:
        if f.get("group") != group:
            group = f.get("group")
            out += ["", f"### {GROUP_TITLES.get(group, group)}", "",
                    "| figure | unit | value | peer | peer value | ratio "
                    "| target |",
                    "|---|---|---:|---|---:|---:|---|"]
        if f.get("na"):
            out.append(f"| {f['label']} | {f['unit']} | n/a: {f['na']} "
                       "| | | | |")
            continue
        out.append("| {} | {} | {} | {} | {} | {} | {} |".format(
            f["label"], f["unit"], cell(f["value"]),
            f.get("peer_label", "-"), cell(f.get("peer")),
            cell(f.get("ratio")), f.get("target", "")))
    return "\n".join(out) + "\n"


# ---- SVG ----

SERIES = [
    # name, colour, how to get (size, MiB/s) from a combined figure
    ("memcpy", "#444444"),
    ("ch0", "#1f77b4"),
    ("ch1", "#2ca02c"),
    ("auto", "#d62728"),
    ("link-paced, measured", "#9467bd"),
    ("link model", "#ff7f0e"),
]


def series(c, direction="to_card"):
    """{name: [(size, median, min, max)]} in MiB/s, sorted by size."""
    s = {name: [] for name, _ in SERIES}
    for f in c["figures"]:
        size = f.get("size")
        if not size or f.get("na"):
            continue
        if f.get("group") == "bandwidth" and f.get("dir") == direction:
            v = f["value"]
            s[f["channel"]].append((size, v["median"], v["min"], v["max"]))
            if f["channel"] == "ch0" and f.get("peer"):
                p = f["peer"]
                s["memcpy"].append((size, p["median"], p["min"], p["max"]))
        elif f.get("group") == "link":
            # value and peer are ns per transfer: MiB/s = size / ns
            def bw(ns):
                return size / ns * 1e9 / (1 << 20) if ns else None
            v = f["value"]
            s["link-paced, measured"].append(
                (size, bw(v["median"]), bw(v["max"]), bw(v["min"])))
            if f.get("peer"):
                p = f["peer"]["median"]
                s["link model"].append((size, bw(p), bw(p), bw(p)))
    return {k: sorted(v) for k, v in s.items() if v}


def svg(c, title):
    data = series(c)
    pts = [p for v in data.values() for p in v]
    if not pts:
        raise ValueError("no bandwidth figures to plot")
    W, H, L, R, T, B = 760, 460, 70, 170, 40, 50
    xs = [p[0] for p in pts]
    ys = [y for p in pts for y in p[1:] if y and y > 0]
    x0, x1 = math.log2(min(xs)), math.log2(max(xs))
    if x1 == x0:
        x1 = x0 + 1
    y0 = math.floor(math.log10(min(ys)))
    y1 = math.ceil(math.log10(max(ys)))
    if y1 == y0:
        y1 = y0 + 1

    def X(size):
        return L + (math.log2(size) - x0) / (x1 - x0) * (W - L - R)

    def Y(v):
        return T + (y1 - math.log10(v)) / (y1 - y0) * (H - T - B)

    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" '
         f'height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" '
         'font-size="12">',
         f'<rect width="{W}" height="{H}" fill="white"/>',
         f'<text x="{W / 2 - R / 2:.0f}" y="22" text-anchor="middle" '
         f'font-size="14">{title}</text>']
    # grid and axes
    for e in range(y0, y1 + 1):
        y = Y(10 ** e)
        o.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" '
                 'stroke="#dddddd"/>')
        o.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">'
                 f'{10 ** e:g}</text>')
    size = 2 ** math.ceil(x0)
    while math.log2(size) <= x1 + 1e-9:
        x = X(size)
        o.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{H - B}" '
                 'stroke="#eeeeee"/>')
        if round(math.log2(size)) % 2 == 0:
            lab = (f"{size >> 20} MiB" if size >= 1 << 20
                   else f"{size >> 10} KiB")
            o.append(f'<text x="{x:.1f}" y="{H - B + 16}" '
                     f'text-anchor="middle">{lab}</text>')
        size *= 2
    o.append(f'<rect x="{L}" y="{T}" width="{W - L - R}" '
             f'height="{H - T - B}" fill="none" stroke="black"/>')
    o.append(f'<text x="{(L + W - R) / 2:.0f}" y="{H - 12}" '
             'text-anchor="middle">transfer size (log scale)</text>')
    o.append(f'<text x="16" y="{(T + H - B) / 2:.0f}" text-anchor="middle" '
             f'transform="rotate(-90 16 {(T + H - B) / 2:.0f})">'
             'MiB/s, median and range over boots (log scale)</text>')
    # series
    ly = T + 10
    for name, colour in SERIES:
        if name not in data:
            continue
        p = data[name]
        dash = ' stroke-dasharray="6 4"' if name == "link model" else ""
        path = " ".join(f"{X(s):.1f},{Y(m):.1f}" for s, m, _, _ in p if m)
        o.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                 f'stroke-width="2"{dash}/>')
        for s, m, lo, hi in p:
            if not m:
                continue
            if lo and hi and lo != hi:
                o.append(f'<line x1="{X(s):.1f}" y1="{Y(lo):.1f}" '
                         f'x2="{X(s):.1f}" y2="{Y(hi):.1f}" '
                         f'stroke="{colour}" stroke-width="1"/>')
            o.append(f'<circle cx="{X(s):.1f}" cy="{Y(m):.1f}" r="3" '
                     f'fill="{colour}"/>')
        o.append(f'<line x1="{W - R + 12}" y1="{ly}" x2="{W - R + 36}" '
                 f'y2="{ly}" stroke="{colour}" stroke-width="2"{dash}/>')
        o.append(f'<text x="{W - R + 42}" y="{ly + 4}">{name}</text>')
        ly += 20
    o.append("</svg>")
    return "\n".join(o) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", help="write the combined JSON here")
    ap.add_argument("--md", help="write the markdown tables here")
    ap.add_argument("--svg", help="draw bandwidth against size here")
    ap.add_argument("--title", default="micmem: host -> card bandwidth "
                    "against size (test VM, TCG, sim card)")
    ap.add_argument("runs", nargs="+", help="JSON of micmem-bench --suite, "
                    "or one combined JSON")
    a = ap.parse_args(argv)
    try:
        if len(a.runs) == 1:
            with open(a.runs[0], encoding="utf-8") as f:
                d = json.load(f)
            c = d if d.get("micmem_bench_combined") == 1 else combine(
                load(a.runs))
        else:
            c = combine(load(a.runs))
        if a.json:
            with open(a.json, "w", encoding="utf-8") as f:
                json.dump(c, f, indent=1)
                f.write("\n")
        md = markdown(c)
        if a.md:
            with open(a.md, "w", encoding="utf-8") as f:
                f.write(md)
        if a.svg:
            with open(a.svg, "w", encoding="utf-8") as f:
                f.write(svg(c, a.title))
        if not (a.json or a.md or a.svg):
            sys.stdout.write(md)
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"bench_report.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
