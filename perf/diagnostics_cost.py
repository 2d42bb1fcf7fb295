#!/usr/bin/env python3
"""The cost of diagnostics on the fast paths: framealloc_diag_bench (diagnostics compiled in) against
framealloc_diag_bench_off (the same benchmarks, library built with FRAMEALLOC_DIAGNOSTICS=0).

Both executables run in alternation, `--rounds` times each, so that both see the same machine; the
median CPU time of each benchmark over all rounds is compared. Rows: compiled in but idle (no tag),
tags active (every allocation counted on a tag), tags + behaviour filter on, each over compiled out.
The target: tags and statistics on the frame path cost at most 15 % (ratio <= 1.15).

  perf/diagnostics_cost.py                       # build/release/perf/framealloc_diag_bench{,_off}
  perf/diagnostics_cost.py --dir build/rel-own/perf --rounds 5

Exit status: 0, or 1 with --strict when a target is missed. Standard library only.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

ROWS = [
    # (label, benchmark, mode, target or None)
    ("frame_alloc<64 B>: compiled in, idle", "diag/frame_alloc", 0, None),
    ("frame_alloc<64 B>: tags + stats", "diag/frame_alloc", 1, 1.15),
    ("frame_alloc<64 B>: tags + stats + behaviour filter", "diag/frame_alloc", 2, 1.15),
    ("thread_frame().alloc<64 B>: compiled in, idle", "diag/thread_frame", 0, None),
    ("thread_frame().alloc<64 B>: tags + stats", "diag/thread_frame", 1, 1.15),
    ("thread_frame().alloc<64 B>: tags + stats + filter", "diag/thread_frame", 2, 1.15),
    ("pool pair 16-256 B: compiled in, idle", "diag/pool_pairs", 0, None),
    ("pool pair 16-256 B: tags + stats", "diag/pool_pairs", 1, None),
    ("pool pair 16-256 B: tags + stats + filter", "diag/pool_pairs", 2, None),
]


def run(exe, repetitions, extra):
    cmd = [exe, "--benchmark_format=json", f"--benchmark_repetitions={repetitions}"] + extra
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    report = json.loads(out)
    times = {}
    for b in report["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        times.setdefault(b["run_name"], []).append(b["cpu_time"] * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")])
    return report.get("context", {}), times


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", default=os.path.join(root, "build", "release", "perf"))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--repetitions", type=int, default=3)
    p.add_argument("--strict", action="store_true")
    p.add_argument("bench_args", nargs="*")
    args = p.parse_args()
    on_exe = os.path.join(args.dir, "framealloc_diag_bench")
    off_exe = os.path.join(args.dir, "framealloc_diag_bench_off")
    on, off = {}, {}
    context = {}
    for _ in range(args.rounds):
        for exe, into in ((on_exe, on), (off_exe, off)):
            ctx, times = run(exe, args.repetitions, args.bench_args)
            context.setdefault(os.path.basename(exe), ctx)
            for k, v in times.items():
                into.setdefault(k, []).extend(v)
    ctx_on = context["framealloc_diag_bench"]
    ctx_off = context["framealloc_diag_bench_off"]
    if ctx_on.get("framealloc_diagnostics") != "ON" or ctx_off.get("framealloc_diagnostics") != "OFF":
        print("the executables were not built as expected (diagnostics ON / OFF)", file=sys.stderr)
        return 2
    if ctx_on.get("framealloc_debug") == "ON":
        print("warning: FRAMEALLOC_DEBUG build; numbers are not representative", file=sys.stderr)
    print(f"host {ctx_on.get('host_name', '?')}, {ctx_on.get('num_cpus', '?')} CPUs, load {ctx_on.get('load_avg', '?')}; "
          f"{args.rounds} rounds x {args.repetitions} repetitions, median CPU time")
    print(f"{'comparison (over compiled out, idle)':52} {'ratio':>6} {'target':>7} {'result':7} on / off (median)")
    missed = False
    for label, bench, mode, target in ROWS:
        num = on.get(f"{bench}/{mode}")
        den = off.get(f"{bench}/0")
        if not num or not den:
            print(f"{label:52} missing benchmark {bench}/{mode}", file=sys.stderr)
            return 2
        a, b = statistics.median(num), statistics.median(den)
        ratio = a / b
        result = "" if target is None else ("PASS" if ratio <= target else "MISS")
        missed |= result == "MISS"
        tgt = "" if target is None else f"<= {target:.2f}"
        print(f"{label:52} {ratio:5.2f}x {tgt:>7} {result:7} {a / 1e3:.1f} us / {b / 1e3:.1f} us")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
