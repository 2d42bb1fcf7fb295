#!/usr/bin/env python3
"""fa lsp's latency, side by side with its peers in one run: from didSave (and from didChange: the
unsaved buffer is analysed) to the publishDiagnostics of a project file, against `fa check FILE` (a
fresh process: what an editor that runs the command line on save would wait for) and
`clang++-19 -fsyntax-only` of the same compile command (the front end alone). Medians of --rounds
rounds, the range beside them, and the ratios. Build the project first (fa reads its BMIs).

    perf/tools/fa_lsp_latency.py --fa build/release/tools/fa/fa --build build/release [--file examples/frame_demo.cpp]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fa_bench import run_measured, syntax_only  # noqa: E402


class server:
    """fa lsp over pipes; reads one message at a time."""

    def __init__(self, fa, build, root):
        self.p = subprocess.Popen([fa, "lsp", "-p", build], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, cwd=root)
        self.next_id = 1

    def send(self, method, params, request=False):
        m = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            m["id"] = self.next_id
            self.next_id += 1
        body = json.dumps(m).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def receive(self):
        length = None
        while True:
            line = self.p.stdout.readline()
            if not line:
                sys.exit("fa lsp ended unexpectedly")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(length))

    def diagnostics_of(self, uri):
        while True:
            m = self.receive()
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                return m["params"]["diagnostics"]
            if m.get("method") == "window/showMessage":
                sys.exit("fa lsp: " + m["params"]["message"])

    def close(self):
        self.send("shutdown", None, request=True)
        self.send("exit", None)
        self.p.wait(timeout=60)


def summary(samples):
    return statistics.median(samples), min(samples), max(samples)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--fa", required=True)
    p.add_argument("--build", required=True)
    p.add_argument("--source", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    p.add_argument("--file", default="examples/frame_demo.cpp", help="the project file (relative to --source)")
    p.add_argument("--rounds", type=int, default=9)
    a = p.parse_args()
    fa, build, source = os.path.abspath(a.fa), os.path.abspath(a.build), os.path.abspath(a.source)
    path = os.path.realpath(os.path.join(source, a.file))
    with open(os.path.join(build, "compile_commands.json")) as f:
        entry = next((e for e in json.load(f) if os.path.realpath(e["file"]) == path), None)
    if entry is None:
        sys.exit(f"{path} is not in {build}/compile_commands.json")
    with open(path) as f:
        text = f.read()
    uri = "file://" + path

    lsp = server(fa, build, source)
    lsp.send("initialize", {"processId": os.getpid(), "rootUri": "file://" + source, "capabilities": {}}, request=True)
    lsp.receive()
    lsp.send("initialized", {})
    start = time.monotonic()
    lsp.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "cpp", "version": 1, "text": text}})
    diagnostics = lsp.diagnostics_of(uri)
    failed = [d["message"] for d in diagnostics if "code" not in d]
    if failed:
        sys.exit(f"fa lsp: {failed[0]}")
    found = len(diagnostics)
    first_open = time.monotonic() - start

    saves, changes, checks, fronts = [], [], [], []
    for r in range(a.rounds):  # interleaved, so the machine's load falls on every side alike
        start = time.monotonic()
        lsp.send("textDocument/didSave", {"textDocument": {"uri": uri}})
        lsp.diagnostics_of(uri)
        saves.append(time.monotonic() - start)
        start = time.monotonic()
        edited = text + f"\n// edit {r}\n"
        lsp.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": r + 2}, "contentChanges": [{"text": edited}]})
        lsp.diagnostics_of(uri)
        changes.append(time.monotonic() - start)
        wall, _, rc = run_measured([fa, "check", "--all", "-p", build, path], source)
        if rc not in (0, 1):
            sys.exit(f"fa check failed ({rc}): run it by hand to see why (are the BMIs built?)")
        checks.append(wall)
        wall, _, rc = syntax_only(entry)
        fronts.append(wall)
    lsp.close()

    load = os.getloadavg()[0]
    print(f"{os.path.relpath(path, source)}: {found} diagnostics, {a.rounds} rounds ({time.strftime('%Y-%m-%d')}, load {load:.1f})")
    print(f"  first open -> diagnostics       {first_open * 1000:7.0f} ms")
    rows = [("didSave -> diagnostics", saves), ("didChange -> diagnostics", changes),
            ("fa check FILE (new process)", checks), ("clang++ -fsyntax-only", fronts)]
    for name, samples in rows:
        med, lo, hi = summary(samples)
        print(f"  {name:30s}  {med * 1000:7.0f} ms  (range {lo * 1000:.0f}-{hi * 1000:.0f})")
    base = statistics.median(fronts)
    print(f"  ratio save / syntax-only        {statistics.median(saves) / base:7.2f}x")
    print(f"  ratio save / fa check           {statistics.median(saves) / statistics.median(checks):7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
