#!/usr/bin/env python3
"""Ratios of framealloc_arena_bench against its baselines, with the targets they are held to.

Runs the benchmark executable with --benchmark_format=json (or reads a saved JSON report) and prints one
row per comparison: the ratio, the target, PASS or MISS. With repetitions the median of each benchmark
is used, and its coefficient of variation is shown so a noisy run can be recognised as such. Repetitions
are interleaved at random, and CPU time is compared by default (end_frame: its manual time), because the
machines this runs on are shared: wall time there measures the neighbours as much as the code.

  perf/ratios.py                                   # runs build/release/perf/framealloc_arena_bench
  perf/ratios.py --repetitions 5                   # more repetitions (default 3)
  perf/ratios.py --bench path/to/framealloc_arena_bench -- --benchmark_min_time=1
  perf/ratios.py --json report.json                # a report saved with --benchmark_format=json
                                                   # (or --benchmark_out=report.json)

Exit status: 0, or 1 with --strict when a target is missed; 2 when a benchmark is missing from the report.
Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass

TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


@dataclass
class Comparison:
    label: str
    numerator: str  # benchmark name prefix (run_name), up to and including the last argument
    denominator: str
    target: str  # printed as is
    passes: object  # ratio -> bool, or None for a row that is information only


# The four required comparisons (and a few informative rows after each). Every ratio is
# time(numerator) / time(denominator), so "x slower" reads directly; speed-ups are stated as baseline
# over frame_resource so that bigger is better there, as the target says.
COMPARISONS = [
    Comparison("1a smart_alloc::frame_alloc<64 B> / raw bump, 1024 objects",
               "frame_alloc/smart_alloc/1024", "frame_alloc/raw_bump/1024", "<= 1.30", lambda r: r <= 1.30),
    Comparison("1b smart_alloc::frame_alloc<64 B> / raw bump, 8192 objects",
               "frame_alloc/smart_alloc/8192", "frame_alloc/raw_bump/8192", "<= 1.30", lambda r: r <= 1.30),
    Comparison("   info: frame_arena::allocate_inline / raw bump, 1024",
               "frame_alloc/frame_arena/1024", "frame_alloc/raw_bump/1024", "", None),
    Comparison("   info: frame_arena::allocate_inline / raw bump, 8192",
               "frame_alloc/frame_arena/8192", "frame_alloc/raw_bump/8192", "", None),
    Comparison("2  memory_resource* allocate: frame_resource / monotonic",
               "resource_alloc/frame_resource/4096", "resource_alloc/monotonic/4096", "<= 1.00", lambda r: r <= 1.00),
    Comparison("   info: frame_arena (one owner) / monotonic",
               "resource_alloc/frame_arena/4096", "resource_alloc/monotonic/4096", "", None),
    Comparison("3a pmr frame: new_delete / frame_resource (speed-up)",
               "pmr_containers/new_delete/10000", "pmr_containers/frame_resource/10000", ">= 2.00", lambda r: r >= 2.00),
    Comparison("3b pmr frame: monotonic / frame_resource (speed-up)",
               "pmr_containers/monotonic/10000", "pmr_containers/frame_resource/10000", "> 1.00", lambda r: r > 1.00),
    Comparison("   info: monotonic on a kept 1 MiB buffer / frame_resource",
               "pmr_containers/monotonic_buffered/10000", "pmr_containers/frame_resource/10000", "", None),
    Comparison("4  end_frame(), 2 threads: 100k allocs / 100 allocs (3.2 MB each)",
               "end_frame/2_threads/allocs:100000/bytes:3200000/", "end_frame/2_threads/allocs:100/bytes:3200000/",
               "<= 1.50", lambda r: r <= 1.50),
    Comparison("   info: 10k allocs / 100 allocs (3.2 MB each)",
               "end_frame/2_threads/allocs:10000/bytes:3200000/", "end_frame/2_threads/allocs:100/bytes:3200000/", "", None),
    Comparison("   info: 100k allocs of 64 B / 100 of 64 B (6.4 MB / 6.4 KB)",
               "end_frame/2_threads/allocs:100000/bytes:6400000/", "end_frame/2_threads/allocs:100/bytes:6400/", "", None),
]


@dataclass
class Measurement:
    name: str
    ns: float  # median over repetitions (or the single run)
    cv: float  # coefficient of variation over repetitions, None without repetitions
    repetitions: int


def default_bench():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(root, "build", "release", "perf", "framealloc_arena_bench")


def load_report(args):
    if args.json:
        with open(args.json, encoding="utf-8") as f:
            return json.load(f)
    bench = args.bench or default_bench()
    if not os.path.exists(bench):
        sys.exit(f"ratios.py: {bench} not found; build it first "
                 "(cmake --preset release && cmake --build --preset release --target framealloc_arena_bench)")
    command = [bench, "--benchmark_format=json", f"--benchmark_repetitions={args.repetitions}"]
    if not args.no_interleave:
        # Repetitions of all benchmarks in random order: load that comes and goes hits every side of a
        # comparison alike, instead of whichever benchmark happened to run at the time.
        command.append("--benchmark_enable_random_interleaving=true")
    command += args.bench_args
    print("running:", " ".join(command), file=sys.stderr)
    done = subprocess.run(command, stdout=subprocess.PIPE, check=True)
    return json.loads(done.stdout)


def time_ns(entry, field):
    # A benchmark with manual time reports it as real_time; its cpu_time is the harness's, not the measure.
    if "manual_time" in entry.get("run_name", entry["name"]):
        field = "real_time"
    return entry[field] * TO_NS[entry.get("time_unit", "ns")]


def measurements(report, field):
    """Median per benchmark (run_name) when the report has aggregates, else the mean of its runs."""
    iterations, medians, cvs = {}, {}, {}
    for entry in report.get("benchmarks", []):
        if entry.get("error_occurred"):
            continue
        name = entry.get("run_name", entry["name"])
        if entry.get("run_type") == "aggregate":
            if entry.get("aggregate_name") == "median":
                medians[name] = time_ns(entry, field)
            elif entry.get("aggregate_name") == "cv":
                # cv is reported as a fraction whatever the time unit
                cvs[name] = entry["real_time"] if "manual_time" in name or field == "real_time" else entry["cpu_time"]
        else:
            iterations.setdefault(name, []).append(time_ns(entry, field))
    result = {}
    for name, runs in iterations.items():
        ns = medians.get(name, sum(runs) / len(runs))
        result[name] = Measurement(name, ns, cvs.get(name), len(runs))
    for name, ns in medians.items():  # --benchmark_report_aggregates_only: no individual runs
        result.setdefault(name, Measurement(name, ns, cvs.get(name), 0))
    return result


def find(found, prefix):
    matches = [m for name, m in found.items() if name == prefix or name.startswith(prefix.rstrip("/") + "/")]
    return matches[0] if len(matches) == 1 else None


def describe(m):
    noise = f" cv {m.cv * 100:.0f}%" if m.cv is not None else ""
    return f"{format_ns(m.ns)}{noise}"


def format_ns(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--bench", help="benchmark executable to run (default: build/release/perf/framealloc_arena_bench)")
    source.add_argument("--json", help="read this JSON report instead of running the benchmark")
    parser.add_argument("--repetitions", type=int, default=3, help="--benchmark_repetitions when running (default 3)")
    parser.add_argument("--time", choices=("real", "cpu"), default="cpu",
                        help="which time to compare (default cpu: on a shared machine it leaves out the time the "
                             "benchmark thread waited for a core; end_frame always uses its manual time)")
    parser.add_argument("--no-interleave", action="store_true",
                        help="run the repetitions in order instead of --benchmark_enable_random_interleaving")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("bench_args", nargs="*", help="after --: more arguments for the benchmark")
    args = parser.parse_args()

    report = load_report(args)
    context = report.get("context", {})
    found = measurements(report, f"{args.time}_time")

    print(f"host {context.get('host_name', '?')}, {context.get('num_cpus', '?')} CPUs at "
          f"{context.get('mhz_per_cpu', '?')} MHz, load {context.get('load_avg', '?')}, {context.get('date', '')}")
    warnings = []
    if context.get("framealloc_debug", "OFF") != "OFF":
        warnings.append("the library was built with FRAMEALLOC_DEBUG: these numbers say nothing about release")
    if "debug" in context.get("framealloc_bench_build", ""):
        warnings.append("the benchmark was built without NDEBUG (not the release preset)")
    for w in warnings:
        print(f"WARNING: {w}")

    rows, missing, missed = [], [], False
    for c in COMPARISONS:
        num, den = find(found, c.numerator), find(found, c.denominator)
        if num is None or den is None:
            missing.append(c.numerator if num is None else c.denominator)
            continue
        ratio = num.ns / den.ns
        verdict = "" if c.passes is None else ("PASS" if c.passes(ratio) else "MISS")
        missed |= verdict == "MISS"
        rows.append((c.label, f"{ratio:.2f}x", c.target, verdict, f"{describe(num)} / {describe(den)}"))

    headers = ("comparison", "ratio", "target", "result", "numerator / denominator (median)")
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())
    reps = {m.repetitions for m in found.values()}
    print(f"\n{args.time} time, median of {max(reps) if reps else 0} repetition(s) per benchmark; "
          "cv = stddev/mean over the repetitions.")
    if missing:
        print("missing from the report: " + ", ".join(missing), file=sys.stderr)
        return 2
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
