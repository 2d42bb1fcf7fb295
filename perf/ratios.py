#!/usr/bin/env python3
"""Ratios of framealloc_arena_bench, framealloc_pool_bench or framealloc_threading_bench against their baselines, with the targets they are held to.

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
  perf/ratios.py --suite pool                      # runs build/release/perf/framealloc_pool_bench
  perf/ratios.py --suite threading                 # runs build/release/perf/framealloc_threading_bench

Suites: arena (the default), pool and threading (transfers, a frame of TBB systems, barriers; real time). The suite follows from --bench (an executable named *pool*) or from
the benchmark names in a --json report; --suite overrides. The pool suite compares multi-thread
benchmarks in real time whatever --time says (throughput is objects per wall-clock second; CPU time
leaves out the time the threads waited for each other), shows each ratio in the other time and between
the fastest repetitions too, repeats the single-thread targets on the allocator's share alone (the
floor benchmark's time subtracted from both sides), and ends with a memory table for producer/consumer:
the bytes each pool held from its upstream at peak, and the peak RSS growth of a process that runs that
contender alone (one extra short run per contender, unless --no-memory-pass).

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
    time: str = None  # "real" or "cpu" to compare that time whatever --time says; None: --time
    minus: str = None  # a benchmark whose time is subtracted from both sides first (the pool suite's floor)


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
    Comparison("   info: smart_alloc::thread_frame().alloc<64 B> / raw bump, 1024",
               "frame_alloc/thread_frame/1024", "frame_alloc/raw_bump/1024", "", None),
    Comparison("   info: smart_alloc::thread_frame().alloc<64 B> / raw bump, 8192",
               "frame_alloc/thread_frame/8192", "frame_alloc/raw_bump/8192", "", None),
    Comparison("   info: raw bump on the heap / raw bump on the stack, 8192",
               "frame_alloc/raw_bump_heap/8192", "frame_alloc/raw_bump/8192", "", None),
    Comparison("   info: smart_alloc::frame_alloc / raw bump on the heap, 8192",
               "frame_alloc/smart_alloc/8192", "frame_alloc/raw_bump_heap/8192", "", None),
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



# framealloc_pool_bench (perf/pool/). Every ratio is time(baseline) / time(framealloc): a speed-up, bigger is
# better. "On par" is judged as within 5% (>= 0.95): closer than that, these shared machines cannot tell.
ON_PAR = 0.95


def pool_row(label, bench, baseline, target="", passes=None, time=None):
    return Comparison(label, f"{bench}/{baseline}/", f"{bench}/framealloc/", target, passes, time)


POOL_COMPARISONS = [
    # 1a: the pool pair against the cheapest pool with the same duties (contenders.hpp's ideal_checked:
    # bounded caches, the release pool's free-time check, the diagnostics' counts): framealloc's time at
    # most 1.15x its time. glibc / framealloc follows as information.
    pool_row("1a 1 thread, 16-256 B: ideal_checked / framealloc (within 15 %)", "alloc_free", "ideal_checked",
             ">= 0.87", lambda r: r >= 1 / 1.15),
    pool_row("   info: glibc malloc / framealloc", "alloc_free", "glibc"),
    pool_row("1b 1 thread: std unsynchronized_pool / framealloc", "alloc_free", "std_unsync", ">= 2.00", lambda r: r >= 2.00),
    pool_row("1c 1 thread: mimalloc / framealloc", "alloc_free", "mimalloc", "> 1.00", lambda r: r > 1.00),
    Comparison("   info: 1a on the allocator's share only (floor subtracted)", "alloc_free/glibc/",
               "alloc_free/framealloc/", "", None, None, "alloc_free/floor/"),
    Comparison("   info: 1b on the allocator's share only", "alloc_free/std_unsync/",
               "alloc_free/framealloc/", "", None, None, "alloc_free/floor/"),
    Comparison("   info: 1c on the allocator's share only", "alloc_free/mimalloc/",
               "alloc_free/framealloc/", "", None, None, "alloc_free/floor/"),
    pool_row("   info: jemalloc / framealloc", "alloc_free", "jemalloc"),
    pool_row("   info: tbbmalloc / framealloc", "alloc_free", "tbbmalloc"),
    pool_row("   info: Boost unsynchronized_pool / framealloc", "alloc_free", "boost_unsync"),
    pool_row("   info: foonathan memory_pool (one 256 B node size) / framealloc", "alloc_free", "foonathan"),
    pool_row("   info: std synchronized_pool / framealloc", "alloc_free", "std_sync"),
    pool_row("   info: Boost synchronized_pool / framealloc", "alloc_free", "boost_sync"),
    pool_row("   info: floor (no allocator: the benchmark's own cost) / framealloc", "alloc_free", "floor"),
    pool_row("   info: ideal pool (one thread, no checks, no stats) / framealloc", "alloc_free", "ideal"),
    Comparison("   info: glibc malloc / ideal pool: the most 1a can show here", "alloc_free/glibc/",
               "alloc_free/ideal/", "", None),
    Comparison("   info: glibc malloc / ideal_checked: the most 1a can show with those duties", "alloc_free/glibc/",
               "alloc_free/ideal_checked/", "", None),
    pool_row("2a 2 threads, one resource: std synchronized_pool / framealloc", "shared_2_threads", "std_sync",
             ">= 5.00", lambda r: r >= 5.00, "real"),
    pool_row("2b 2 threads: mimalloc / framealloc", "shared_2_threads", "mimalloc",
             f"on par (>= {ON_PAR:.2f})", lambda r: r >= ON_PAR, "real"),
    pool_row("   info: glibc malloc / framealloc", "shared_2_threads", "glibc", time="real"),
    pool_row("   info: jemalloc / framealloc", "shared_2_threads", "jemalloc", time="real"),
    pool_row("   info: tbbmalloc / framealloc", "shared_2_threads", "tbbmalloc", time="real"),
    pool_row("   info: Boost synchronized_pool / framealloc", "shared_2_threads", "boost_sync", time="real"),
    pool_row("   info: foonathan memory_pool + std::mutex / framealloc", "shared_2_threads", "foonathan", time="real"),
    pool_row("3  producer/consumer, remote frees, 64 B: mimalloc / framealloc", "producer_consumer", "mimalloc",
             f"on par (>= {ON_PAR:.2f})", lambda r: r >= ON_PAR, "real"),
    pool_row("   info: glibc malloc / framealloc", "producer_consumer", "glibc", time="real"),
    pool_row("   info: jemalloc / framealloc", "producer_consumer", "jemalloc", time="real"),
    pool_row("   info: tbbmalloc / framealloc", "producer_consumer", "tbbmalloc", time="real"),
    pool_row("   info: std synchronized_pool / framealloc", "producer_consumer", "std_sync", time="real"),
    pool_row("   info: Boost synchronized_pool / framealloc", "producer_consumer", "boost_sync", time="real"),
    pool_row("   info: foonathan memory_pool (64 B) + std::mutex / framealloc", "producer_consumer", "foonathan", time="real"),
]

# Producer/consumer contenders, in the order of the memory table.
POOL_MEMORY_CONTENDERS = ["framealloc", "mimalloc", "glibc", "jemalloc", "tbbmalloc", "std_sync", "boost_sync", "foonathan"]

# framealloc_threading_bench (perf/threading/). Every ratio is time(baseline) / time(framealloc), a speed-up,
# in real time (the partners' work is part of every iteration).
def threading_row(label, baseline, framealloc, target="", passes=None):
    return Comparison(label, baseline, framealloc, target, passes, "real")


THREADING_COMPARISONS = [
    threading_row("1a transfer round trip: unique_ptr + mutex queue / transfer_handle + spsc",
                  "transfer/unique_ptr_mutex_queue/", "transfer/framealloc_spsc/", "> 1.00", lambda r: r > 1.00),
    threading_row("1b like for like, both through the mutex queue: unique_ptr / transfer_handle",
                  "transfer/unique_ptr_mutex_queue/", "transfer/framealloc_mutex_queue/",
                  f"on par (>= {ON_PAR:.2f})", lambda r: r >= ON_PAR),
    threading_row("   info: like for like through the spsc queue: unique_ptr / transfer_handle",
                  "transfer/unique_ptr_spsc/", "transfer/framealloc_spsc/"),
    threading_row("   info: pool box without statistics / transfer_handle (the statistics' cost)",
                  "transfer/pool_box_spsc/", "transfer/framealloc_spsc/"),
    threading_row("2a frame of 4 TBB systems: new/delete / framealloc run_frame",
                  "systems/new_delete/4/", "systems/framealloc/4/", "> 1.00 (fastest)", lambda r: r > 1.00),
    threading_row("2b frame of 4 TBB systems: tbb::scalable_memory_resource / framealloc",
                  "systems/tbbmalloc/4/", "systems/framealloc/4/", "> 1.00 (fastest)", lambda r: r > 1.00),
    threading_row("2c frame of 16 TBB systems: new/delete / framealloc run_frame",
                  "systems/new_delete/16/", "systems/framealloc/16/", "> 1.00 (fastest)", lambda r: r > 1.00),
    threading_row("2d frame of 16 TBB systems: tbb::scalable_memory_resource / framealloc",
                  "systems/tbbmalloc/16/", "systems/framealloc/16/", "> 1.00 (fastest)", lambda r: r > 1.00),
    threading_row("   info: 16 systems, plain tbb::task_group on frame memory / run_frame",
                  "systems/framealloc_raw_tbb/16/", "systems/framealloc/16/"),
    threading_row("3a barrier per frame, 2 threads: std::barrier / frame_barrier",
                  "barrier/std_barrier/2/", "barrier/frame_barrier/2/", f"on par (>= {ON_PAR:.2f})", lambda r: r >= ON_PAR),
    threading_row("3b barrier per frame, 4 threads: std::barrier / frame_barrier",
                  "barrier/std_barrier/4/", "barrier/frame_barrier/4/", f"on par (>= {ON_PAR:.2f})", lambda r: r >= ON_PAR),
]

SUITES = {"arena": ("framealloc_arena_bench", COMPARISONS), "pool": ("framealloc_pool_bench", POOL_COMPARISONS),
          "threading": ("framealloc_threading_bench", THREADING_COMPARISONS)}
POOL_PREFIXES = ("alloc_free/", "shared_2_threads/", "producer_consumer/")
THREADING_PREFIXES = ("transfer/", "systems/", "barrier/")


@dataclass
class Measurement:
    name: str
    ns: float  # median over repetitions (or the single run)
    cv: float  # coefficient of variation over repetitions, None without repetitions
    repetitions: int
    best: float = None  # the fastest repetition (ns), None without individual runs


def default_bench(suite="arena"):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(root, "build", "release", "perf", SUITES[suite][0])


def load_report(args):
    if args.json:
        with open(args.json, encoding="utf-8") as f:
            return json.load(f)
    bench = args.bench or default_bench(args.suite or "arena")
    if not os.path.exists(bench):
        target = os.path.basename(bench) if args.bench else SUITES[args.suite or "arena"][0]
        sys.exit(f"ratios.py: {bench} not found; build it first "
                 f"(cmake --preset release && cmake --build --preset release --target {target})")
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
        result[name] = Measurement(name, ns, cvs.get(name), len(runs), min(runs))
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


def counters(report, key):
    """Median of a user counter per benchmark (run_name), else the mean of its runs."""
    runs, medians = {}, {}
    for entry in report.get("benchmarks", []):
        if entry.get("error_occurred") or key not in entry:
            continue
        name = entry.get("run_name", entry["name"])
        if entry.get("run_type") == "aggregate":
            if entry.get("aggregate_name") == "median":
                medians[name] = entry[key]
        else:
            runs.setdefault(name, []).append(entry[key])
    result = {name: sum(v) / len(v) for name, v in runs.items()}
    result.update(medians)
    return result


def find_value(values, prefix):
    matches = [v for name, v in values.items() if name.startswith(prefix.rstrip("/") + "/")]
    return matches[0] if len(matches) == 1 else None


def detect_suite(args, report):
    if args.suite:
        return args.suite
    names = [e.get("run_name", e.get("name", "")) for e in report.get("benchmarks", [])]
    if any(n.startswith(THREADING_PREFIXES) for n in names):
        return "threading"
    return "pool" if any(n.startswith(POOL_PREFIXES) for n in names) else "arena"


def format_bytes(n):
    if n is None:
        return "-"
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if abs(n) >= scale:
            v = n / scale
            return f"{v:.0f} {unit}" if abs(v) >= 100 else f"{v:.3g} {unit}"
    return f"{n:.0f} B"


def format_rate(n):
    if n is None:
        return "-"
    for unit, scale in (("G/s", 1e9), ("M/s", 1e6), ("k/s", 1e3)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n:.3g}/s"


def print_table(headers, rows):
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())


def memory_pass(args, bench):
    """Runs producer_consumer/<contender> alone in a fresh process per contender: its counters (the peak RSS
    growth is process-wide, so only such a process tells one contender's). Returns {contender: entry}."""
    result = {}
    for name in POOL_MEMORY_CONTENDERS:
        command = [bench, "--benchmark_format=json", f"--benchmark_filter=^producer_consumer/{name}/"] + args.bench_args
        print("memory pass:", " ".join(command), file=sys.stderr)
        done = subprocess.run(command, stdout=subprocess.PIPE, check=True)
        entries = [e for e in json.loads(done.stdout).get("benchmarks", []) if not e.get("error_occurred")]
        if entries:
            result[name] = entries[-1]
    return result


def print_memory(args, report, suite_bench):
    """Producer/consumer: throughput and peak memory per contender."""
    rates = counters(report, "items_per_second")
    held = counters(report, "peak_held_bytes")
    fresh = {} if (args.json or args.no_memory_pass) else memory_pass(args, suite_bench)
    rows = []
    for name in POOL_MEMORY_CONTENDERS:
        prefix = f"producer_consumer/{name}/"
        entry = fresh.get(name, {})
        peak_held = entry.get("peak_held_bytes", find_value(held, prefix))
        rss = entry.get("rss_peak_growth")
        rows.append((name, format_rate(find_value(rates, prefix)), format_bytes(peak_held),
                     format_bytes(rss) if fresh else "(not run)"))
    print("\nproducer/consumer, 64 B objects through a 1024-slot ring (all frees remote): throughput and peak memory")
    print_table(("contender", "objects/s (median)", "peak held from upstream", "peak RSS growth (own process)"), rows)
    print("peak held from upstream: framealloc pool_stats::peak_slab_bytes; std/Boost pools: bytes from a counting "
          "upstream;\n  foonathan: its blocks; '-': a general-purpose malloc has no upstream to count.")
    print("peak RSS growth: VmHWM minus the RSS at the start of main() in a process that ran only that contender's "
          "benchmark\n  (includes the benchmark's own ring, thread stack and harness: an upper bound, the same for all).")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--bench", help="benchmark executable to run (default: build/release/perf/framealloc_arena_bench, "
                                        "or framealloc_pool_bench with --suite pool)")
    source.add_argument("--json", help="read this JSON report instead of running the benchmark")
    parser.add_argument("--suite", choices=sorted(SUITES),
                        help="which comparisons (default: from the executable's name or the report's benchmarks; arena)")
    parser.add_argument("--repetitions", type=int, default=3, help="--benchmark_repetitions when running (default 3)")
    parser.add_argument("--time", choices=("real", "cpu"), default="cpu",
                        help="which time to compare (default cpu: on a shared machine it leaves out the time the "
                             "benchmark thread waited for a core; end_frame always uses its manual time, the pool "
                             "suite's multi-thread rows always real time)")
    parser.add_argument("--no-interleave", action="store_true",
                        help="run the repetitions in order instead of --benchmark_enable_random_interleaving")
    parser.add_argument("--no-memory-pass", action="store_true",
                        help="pool suite: skip the fresh process per producer/consumer contender that measures peak RSS")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("bench_args", nargs="*", help="after --: more arguments for the benchmark")
    args = parser.parse_args()
    if args.suite is None and args.bench and "pool" in os.path.basename(args.bench):
        args.suite = "pool"
    if args.suite is None and args.bench and "threading" in os.path.basename(args.bench):
        args.suite = "threading"

    report = load_report(args)
    suite = detect_suite(args, report)
    context = report.get("context", {})
    found = {field: measurements(report, f"{field}_time") for field in ("cpu", "real")}

    print(f"host {context.get('host_name', '?')}, {context.get('num_cpus', '?')} CPUs at "
          f"{context.get('mhz_per_cpu', '?')} MHz, load {context.get('load_avg', '?')}, {context.get('date', '')}")
    if suite == "pool" and "baselines" in context:
        print(f"baselines: {context['baselines']}; process allocator: {context.get('process_allocator', '?')}")
    warnings = []
    if context.get("framealloc_debug", "OFF") != "OFF":
        warnings.append("the library was built with FRAMEALLOC_DEBUG: these numbers say nothing about release")
    if "debug" in context.get("framealloc_bench_build", ""):
        warnings.append("the benchmark was built without NDEBUG (not the release preset)")
    if context.get("process_allocator", "").startswith("REPLACED"):
        warnings.append("a baseline replaced the process's malloc or operator new: the glibc row and the pools' "
                        "upstream are not what they say (" + context["process_allocator"] + ")")
    for w in warnings:
        print(f"WARNING: {w}")

    rows, missing, missed = [], [], False
    for c in SUITES[suite][1]:
        field = c.time or args.time
        num, den = find(found[field], c.numerator), find(found[field], c.denominator)
        if num is None or den is None:
            missing.append(c.numerator if num is None else c.denominator)
            continue
        floor = find(found[field], c.minus) if c.minus else None
        if c.minus and floor is None:
            missing.append(c.minus)
            continue
        if floor is not None:
            ratio = (num.ns - floor.ns) / (den.ns - floor.ns)
        else:
            ratio = num.ns / den.ns
        verdict = "" if c.passes is None else ("PASS" if c.passes(ratio) else "MISS")
        missed |= verdict == "MISS"
        row = [c.label, f"{ratio:.2f}x", c.target, verdict]
        if suite in ("pool", "threading"):
            other = "cpu" if field == "real" else "real"
            onum, oden = find(found[other], c.numerator), find(found[other], c.denominator)
            if floor is None:
                best = f"; best {num.best / den.best:.2f}x" if num.best and den.best and num.repetitions > 1 else ""
                other_ratio = "" if onum is None or oden is None else f"; {other} {onum.ns / oden.ns:.2f}x"
            else:
                best = other_ratio = ""
            row.append(f"{field}{best}{other_ratio}")
        if floor is not None:
            f = format_ns(floor.ns)
            row.append(f"({format_ns(num.ns)} - {f}) / ({format_ns(den.ns)} - {f}) per batch")
        else:
            row.append(f"{describe(num)} / {describe(den)}")
        rows.append(tuple(row))

    headers = ["comparison", "ratio", "target", "result"]
    if suite in ("pool", "threading"):
        headers.append("time compared; best runs; other time")
    headers.append("numerator / denominator (median)")
    print_table(headers, rows)
    reps = {m.repetitions for m in found[args.time].values()}
    if suite == "pool":
        print(f"\nmedian of {max(reps) if reps else 0} repetition(s) per benchmark; cv = stddev/mean over the repetitions. "
              "Ratios are baseline time / framealloc time (speed-ups); 1 thread compared in "
              f"{args.time} time, 2 threads and producer/consumer in real time.\n'best runs': the ratio of the "
              "fastest repetitions, the least disturbed by other load (two threads that wait for each other are "
              "slowed several-fold whenever\nanother process takes one of the cores; the median then measures "
              "the scheduler).")
        print_memory(args, report, args.bench or default_bench("pool"))
    elif suite == "threading":
        print(f"\nreal time, median of {max(reps) if reps else 0} repetition(s) per benchmark; cv = stddev/mean over "
              "the repetitions. Ratios are baseline time / framealloc time (speed-ups). Transfers: one iteration is 64 "
              "round trips in flight;\nsystems: one frame of N TBB tasks; barrier: one rendezvous of all threads. "
              "'best runs': the ratio of the fastest repetitions. On a shared 2-core machine, threads that wait for\n"
              "each other measure the scheduler too: a partner that loses its core stalls the other side, and the "
              "median then says more about the neighbours than about the code.")
    else:
        print(f"\n{args.time} time, median of {max(reps) if reps else 0} repetition(s) per benchmark; "
              "cv = stddev/mean over the repetitions.")
    if missing:
        print("missing from the report: " + ", ".join(missing), file=sys.stderr)
        return 2
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
