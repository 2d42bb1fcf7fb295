#!/usr/bin/env python3
"""Tables, ratios and targets of framealloc_mt_bench (multi-threaded pool patterns, thread churn, cost
per allocation against size, the whole frame as frame_demo writes it and with std::pmr containers).

Runs the driver (or reads the JSON report it wrote with --json) and prints one Markdown table per
benchmark: the best repetition's throughput of every contender (repetitions are interleaved by the
driver, one process per measurement) with the median of the repetitions beside it, the median of the
repetitions' peak resident growth, and each target of the pool suite's multi-threaded goals with PASS
or MISS, judged on the best repetitions (the medians are shown too: on a shared machine a single lucky
repetition can decide "best").

  perf/mt_report.py                                  # runs build/release/perf/framealloc_mt_bench
  perf/mt_report.py --repetitions 5 --out mt.json    # and keeps its report
  perf/mt_report.py --json mt.json                   # a saved report
  perf/mt_report.py -- --filter larson               # driver options after --

Exit status: 0, or 1 with --strict when a target is missed; 2 when the report cannot be had.
Standard library only.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections import defaultdict

PEERS = ["glibc", "mimalloc", "jemalloc", "tbbmalloc", "std_sync", "boost_sync", "foonathan"]
MIB = 1024.0 * 1024.0


def load(args):
    if args.json:
        with open(args.json) as f:
            return json.load(f)
    bench = args.bench or os.path.join("build", "release", "perf", "framealloc_mt_bench")
    if not os.path.exists(bench):
        sys.exit(f"{bench} not found: cmake --build --preset release --target framealloc_mt_bench")
    out = args.out or "framealloc_mt_bench.json"
    cmd = [bench, "--repetitions", str(args.repetitions), "--json", out] + args.rest
    if subprocess.call(cmd) not in (0, 1):
        sys.exit(2)
    with open(out) as f:
        return json.load(f)


def best_by_case(report):
    """{case key: {contender: summary}}: max throughput over repetitions, median of every other figure."""
    runs = defaultdict(list)
    for r in report["runs"]:
        if "error" in r or "skipped" in r:
            continue
        key = (r["group"], r["variant"], tuple(sorted(r["params"].items())))
        runs[(key, r["contender"])].append(r)
    table = defaultdict(dict)
    for (key, contender), rs in runs.items():
        best = max(rs, key=lambda r: r["ops_per_second"])
        summary = {"ops_per_second": best["ops_per_second"], "repetitions": len(rs),
                   "median_ops_per_second": statistics.median(r["ops_per_second"] for r in rs),
                   "min_ops_per_second": min(r["ops_per_second"] for r in rs)}
        for field in ("peak_rss_growth", "peak_held_bytes", "rss_growth_per_10k_threads", "median_us", "p99_us",
                      "ns_per_pair", "peak_batches_in_flight", "requests_last_frame", "checksum",
                      "shared_lines"):
            values = [r[field] for r in rs if r.get(field) is not None]
            if values:
                summary[field] = statistics.median(values)
        overheads = [r["peak_rss_growth"] - r["peak_batches_in_flight"] * r["bytes_per_batch"] for r in rs
                     if r.get("peak_rss_growth") is not None and r.get("bytes_per_batch") is not None]
        if overheads:  # producer/consumer: peak RSS above the live batches' bytes at the peak
            summary["rss_above_live"] = statistics.median(overheads)
        if "median_us" in summary:  # frame times: the best repetition of each statistic (lowest), and the
            # frames of the repetition with the lowest p99 (the one least disturbed by the neighbours)
            summary["median_us"] = min(r["median_us"] for r in rs)
            summary["p99_us"] = min(r["p99_us"] for r in rs)
            summary["samples"] = min(rs, key=lambda r: r["p99_us"]).get("samples", [])
        table[key][contender] = summary
    return table


def param_text(params):
    return " ".join(f"{k}={v:g}" for k, v in params)


class Verdicts:
    def __init__(self):
        self.rows = []

    def add(self, label, value, target, ok):
        self.rows.append((label, value, target, ok))

    def print(self):
        print("| target | value | wanted | |\n| --- | --- | --- | --- |")
        for label, value, target, ok in self.rows:
            print(f"| {label} | {value} | {target} | {'' if ok is None else 'PASS' if ok else 'MISS'} |")
        print()

    def missed(self):
        return any(ok is False for *_, ok in self.rows)


def contenders_of(rows):
    order = ["framealloc"] + PEERS + ["std_pools", "std_unsync", "boost_unsync", "ideal_checked"]
    seen = {c for row in rows.values() for c in row}
    return [c for c in order if c in seen] + sorted(seen - set(order))


def shared_lines_table(table):
    # Why a contender's larson loop is slow: lines holding blocks of two lineages, each write a miss for
    # the other thread. Not judged: an explanation of the throughput, not a target.
    keys = sorted(k for k in table if k[0] == "larson" and dict(k[2]).get("T", 1) > 1
                  and any("shared_lines" in s for s in table[k].values()))
    if not keys:
        return
    names = contenders_of({k: table[k] for k in keys})
    print("### larson: cache lines holding blocks of two lineages at the end of the run (median)\n")
    print("| case | " + " | ".join(names) + " |")
    print("| --- " * (len(names) + 1) + "|")
    for k in keys:
        cells = [f"{table[k][c]['shared_lines']:.0f}" if "shared_lines" in table[k].get(c, {}) else "-" for c in names]
        print(f"| {param_text(k[2])} | " + " | ".join(cells) + " |")
    print()


def throughput_tables(table, group, unit, scale, verdicts):
    keys = sorted(k for k in table if k[0] == group)
    if not keys:
        return
    rows = {k: table[k] for k in keys}
    names = contenders_of(rows)
    print(f"### {group}: {unit}, best repetition (median) / peak resident growth in MiB (median)"
          + (" (batches in flight at peak, median)" if group == "producer_consumer" else "") + "\n")
    print("| case | " + " | ".join(names) + " |")
    print("| --- " * (len(names) + 1) + "|")
    for k in keys:
        label = f"{k[1]} {param_text(k[2])}".strip()
        cells = []
        for c in names:
            s = rows[k].get(c)
            if s is None:
                cells.append("-")
                continue
            text = f"{s['ops_per_second'] / scale:.1f} ({s['median_ops_per_second'] / scale:.1f})"
            if "peak_rss_growth" in s:
                text += f" / {s['peak_rss_growth'] / MIB:.1f}"
            if "peak_batches_in_flight" in s:
                text += f" ({s['peak_batches_in_flight']:.0f})"
            cells.append(text)
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    for k in keys:
        row = rows[k]
        fa = row.get("framealloc")
        if fa is None:
            continue
        label = f"{group} {k[1]} {param_text(k[2])}".replace("  ", " ").strip()
        for peer in ("glibc", "mimalloc"):
            if peer in row:
                r = fa["ops_per_second"] / row[peer]["ops_per_second"]
                m = fa["median_ops_per_second"] / row[peer]["median_ops_per_second"]
                verdicts.add(f"{label}: framealloc / {peer} throughput", f"{r:.2f} (medians {m:.2f})", ">= 1.00", r >= 1.0)
        peers = [c for c in PEERS if c in row]
        if peers:
            best = max(peers, key=lambda c: row[c]["ops_per_second"])
            r = row[best]["ops_per_second"] / fa["ops_per_second"]
            oversubscribed = dict(k[2]).get("W", dict(k[2]).get("T", 0)) >= 4
            verdicts.add(f"{label}: best peer ({best}) / framealloc", f"{r:.2f}",
                         "<= 1.50" if oversubscribed else "(info)", r <= 1.5 if oversubscribed else None)
            lowest = min(peers, key=lambda c: row[c].get("peak_rss_growth", float("inf")))
            if "peak_rss_growth" in fa and "peak_rss_growth" in row[lowest]:
                a, b = fa["peak_rss_growth"] / MIB, row[lowest]["peak_rss_growth"] / MIB
                verdicts.add(f"{label}: peak RSS, framealloc vs lowest peer ({lowest})", f"{a:.1f} vs {b:.1f} MiB",
                             "<=", a <= b * 1.02 + 0.25)
            if "rss_above_live" in fa:
                low = min((c for c in peers if "rss_above_live" in row[c]), key=lambda c: row[c]["rss_above_live"])
                a, b = fa["rss_above_live"] / MIB, row[low]["rss_above_live"] / MIB
                verdicts.add(f"{label}: peak RSS above the live batches, framealloc vs lowest peer ({low})",
                             f"{a:.1f} vs {b:.1f} MiB", "(info)", None)


def churn_table(table, verdicts):
    keys = sorted(k for k in table if k[0] == "thread_churn")
    if not keys:
        return
    print("### thread_churn: threads per second (best) / resident growth per 10 000 threads, KiB (median)\n")
    print("| contender | variant | threads/s | growth per 10k threads (KiB) | peak RSS growth (MiB) |\n| --- | --- | --- | --- | --- |")
    for k in keys:
        for c in contenders_of({k: table[k]}):
            s = table[k][c]
            print(f"| {c} | {k[1]} | {s['ops_per_second']:.0f} | {s.get('rss_growth_per_10k_threads', 0) / 1024:.0f} | "
                  f"{s.get('peak_rss_growth', 0) / MIB:.1f} |")
            if c == "framealloc":
                g = s.get("rss_growth_per_10k_threads", 0) / MIB
                verdicts.add(f"thread_churn {k[1]}: framealloc growth per 10 000 threads", f"{g:.2f} MiB", "< 1 MiB", g < 1.0)
    print()


FRAME_GROUPS = {"whole_frame": "frame_demo's workload",
                "whole_frame_containers": "frame_demo's workload with its per-frame data in std::pmr containers"}


def frame_table(table, group, verdicts):
    key = next((k for k in table if k[0] == group), None)
    if key is None:
        return
    row = table[key]
    print(f"### {group} ({FRAME_GROUPS[group]}): frame time in µs (the lowest median and the lowest p99 over the "
          "repetitions), peak resident growth in MiB (median)\n")
    print("| backend | median | p99 | peak RSS growth |\n| --- | --- | --- | --- |")
    for c in contenders_of({key: row}):
        s = row[c]
        print(f"| {c} | {s['median_us']:.0f} | {s['p99_us']:.0f} | {s.get('peak_rss_growth', 0) / MIB:.1f} |")
    print()
    fa = row.get("framealloc")
    if fa and "requests_last_frame" in fa:
        print(f"Memory requests in a frame (framealloc's tag statistics, the last frame: frame and pool allocations "
              f"and pool frees; median of the repetitions): {fa['requests_last_frame']:.0f}\n")
    checksums = {c: s["checksum"] for c, s in row.items() if "checksum" in s}
    if len(checksums) > 1:  # every backend must have run the same frames
        same = len(set(checksums.values())) == 1
        verdicts.add(f"{group}: the same checksum on every backend",
                     f"{next(iter(checksums.values())):.0f}" if same else str(checksums), "equal", same)
    if fa and "glibc" in row:
        for q in ("median_us", "p99_us"):
            r = fa[q] / row["glibc"][q]
            verdicts.add(f"{group} {q[:-3]}: framealloc / glibc", f"{r:.2f}", "<= 0.70", r <= 0.70)
            others = [c for c in row if c != "framealloc"]
            best = min(others, key=lambda c: row[c][q])
            verdicts.add(f"{group} {q[:-3]}: framealloc below every peer (best: {best})",
                         f"{fa[q]:.0f} vs {row[best][q]:.0f} µs", "<", fa[q] < row[best][q])


def size_table(table):
    keys = sorted((k for k in table if k[0] == "size_sweep"), key=lambda k: dict(k[2])["bytes"])
    if not keys:
        return
    rows = {k: table[k] for k in keys}
    names = contenders_of(rows)
    print("### size_sweep: ns per allocate + deallocate pair, one thread (best repetition)\n")
    print("| bytes | " + " | ".join(names) + " |")
    print("| --- " * (len(names) + 1) + "|")
    for k in keys:
        cells = [f"{1e9 / rows[k][c]['ops_per_second']:.1f}" if c in rows[k] else "-" for c in names]
        print(f"| {dict(k[2])['bytes']:g} | " + " | ".join(cells) + " |")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", help="a report written by framealloc_mt_bench --json")
    parser.add_argument("--bench", help="the framealloc_mt_bench executable")
    parser.add_argument("--out", help="where the driver writes its report (default framealloc_mt_bench.json)")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("rest", nargs="*", help="options passed to the driver (after --)")
    args = parser.parse_args()
    report = load(args)
    ctx = report.get("context", {})
    print(f"framealloc_mt_bench {ctx.get('date', '')}: {ctx.get('repetitions')} repetitions, scale {ctx.get('scale')}, "
          f"{ctx.get('hardware_threads')} hardware threads, {ctx.get('baselines', '')}; {ctx.get('process_allocator', '')}\n")
    if ctx.get("framealloc_debug") == "ON" or "debug" in ctx.get("bench_build", ""):
        print("WARNING: not a release build: these numbers judge nothing\n")
    errors = [r for r in report["runs"] if "error" in r]
    for r in errors:
        print(f"failed: {r['name']}: {r['error']}")
    for name, why in sorted({(r["name"], r["skipped"]) for r in report["runs"] if "skipped" in r}):
        print(f"skipped: {name}: {why}")
    table = best_by_case(report)
    verdicts = Verdicts()
    throughput_tables(table, "producer_consumer", "M objects/s", 1e6, verdicts)
    throughput_tables(table, "larson", "M replacements/s", 1e6, verdicts)
    shared_lines_table(table)
    churn_table(table, verdicts)
    for group in FRAME_GROUPS:
        frame_table(table, group, verdicts)
    size_table(table)
    verdicts.print()
    return 1 if args.strict and verdicts.missed() else 0


if __name__ == "__main__":
    sys.exit(main())
