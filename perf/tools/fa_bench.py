#!/usr/bin/env python3
"""fa against the compiler's own front end, side by side in one run: `fa check --all -j N` over the
project's files that import framealloc, then `clang++-19 -fsyntax-only` with the same compile commands,
N at a time. Prints files/second, the time ratio (the target: fa at most 1.5x) and each side's peak
resident memory. Build the project first (fa reads its BMIs).

    perf/tools/fa_bench.py --fa build/release/tools/fa/fa --build build/release [-j 2] [examples perf test]
"""
import argparse
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
import time

IMPORT = re.compile(r"^\s*import\s+framealloc(\.\w+)?\s*;", re.M)
MODULE_UNIT = re.compile(r"^\s*(export\s+)?module\s+\w", re.M)


def project_commands(build, source):
    """The compile command of every project file fa analyses (the first one of a file built twice)."""
    seen, out = set(), []
    with open(os.path.join(build, "compile_commands.json")) as f:
        for e in json.load(f):
            path = e["file"]
            rel = os.path.relpath(path, source)
            if path in seen or path.endswith(".cppm") or rel.startswith(("tools", "..")):
                continue
            with open(path) as src:
                text = src.read()
            if MODULE_UNIT.search(text) or not IMPORT.search(text):
                continue
            seen.add(path)
            out.append(e)
    return out


def run_measured(argv, cwd):
    """(wall seconds, peak RSS in MiB, exit status) of one process."""
    start = time.monotonic()
    p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    return time.monotonic() - start, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def syntax_only(entry):
    argv = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    cleaned, skip = [], False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD"):
            continue
        cleaned.append(a)
    return run_measured(cleaned + ["-fsyntax-only"], entry["directory"])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--fa", required=True)
    p.add_argument("--build", required=True)
    p.add_argument("--source", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("only", nargs="*", help="folders of the project to measure (default: all of it)")
    a = p.parse_args()
    build, source = os.path.abspath(a.build), os.path.abspath(a.source)
    entries = project_commands(build, source)
    if a.only:
        prefixes = tuple(os.path.join(source, o).rstrip("/") + "/" for o in a.only)
        entries = [e for e in entries if e["file"].startswith(prefixes)]
    files = [e["file"] for e in entries]
    if not files:
        sys.exit("no project file imports framealloc in this build's compile database")

    fa_wall, fa_peak, fa_rc = run_measured([os.path.abspath(a.fa), "check", "--all", "-p", build, "-j", str(a.jobs), *files],
                                           source)
    if fa_rc not in (0, 1):
        sys.exit(f"fa failed ({fa_rc}): run it by hand to see why (are the BMIs built?)")

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        results = list(pool.map(syntax_only, entries))
    cc_wall = time.monotonic() - start
    cc_peak = max(r[1] for r in results)
    failed = sum(1 for r in results if r[2] != 0)

    n = len(files)
    print(f"{n} files, {a.jobs} at a time ({time.strftime('%Y-%m-%d')})")
    print(f"  clang++ -fsyntax-only  {cc_wall:7.1f} s  {n / cc_wall:6.2f} files/s  peak {cc_peak:7.1f} MiB per process"
          + (f"  ({failed} failed)" if failed else ""))
    print(f"  fa check --all         {fa_wall:7.1f} s  {n / fa_wall:6.2f} files/s  peak {fa_peak:7.1f} MiB (one process, {a.jobs} threads)")
    print(f"  ratio fa / syntax-only {fa_wall / cc_wall:7.2f}x  (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
