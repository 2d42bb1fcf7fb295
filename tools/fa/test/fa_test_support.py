"""Shared by fa's test scripts: run fa, parse the common arguments."""
import argparse
import json
import os
import subprocess


def arguments(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--fa", required=True, help="the fa executable")
    p.add_argument("--build", required=True, help="the build folder holding compile_commands.json")
    p.add_argument("--source", required=True, help="the project's source folder")
    p.add_argument("--schema", help="a JSON schema the test needs")
    p.add_argument("--work", help="a scratch folder")
    args = p.parse_args()
    args.fa, args.build, args.source = (os.path.abspath(x) for x in (args.fa, args.build, args.source))
    return args


def run_fa(fa, *args, cwd=None):
    """Runs fa; returns (exit status, stdout, stderr)."""
    r = subprocess.run([fa, *args], capture_output=True, text=True, cwd=cwd, timeout=600)
    return r.returncode, r.stdout, r.stderr


def run_json(fa, *args, cwd=None):
    rc, out, err = run_fa(fa, *args, "--format", "json", cwd=cwd)
    if rc not in (0, 1):
        raise SystemExit(f"fa {' '.join(args)} failed with {rc}:\n{err}")
    return rc, json.loads(out)


class checker:
    """Counts checks; prints each failure. A script exits non-zero when any failed."""

    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: " + what)
