#!/usr/bin/env python3
"""fa check --all over the project's own examples/, test/ and perf/: zero findings. A false positive
here is a bug of the analyzer; a true one is fixed or suppressed with its reason in the code."""
import os
import sys

from fa_test_support import arguments, run_fa


def main():
    args = arguments(__doc__)
    # From the source folder, so the repository's .fa.toml applies (it excludes the analyzer's corpus).
    rc, out, err = run_fa(args.fa, "check", "--all", "-p", args.build, "-j", "2", cwd=args.source)
    print(out, end="")
    print(err, end="", file=sys.stderr)
    findings = sum(1 for line in out.splitlines() if ": warning: FA" in line or ": error: FA" in line)
    ok = rc == 0 and findings == 0 and not err.strip()
    print(f"fa project: {findings} findings, exit status {rc}")
    print(f"{1 if ok else 0} passed, {0 if ok else 1} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
