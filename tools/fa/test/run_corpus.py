#!/usr/bin/env python3
"""The corpus: every `// expect: FAnnn` comment must be matched by exactly that finding on that line,
every `// fa: allow FAnnn -- reason` line by that finding suppressed with that reason, and nothing else
may be reported. Each code the corpus covers needs at least three files that raise it and two
near-miss files (named faNNN_ok_*) that must stay clean of it."""
import collections
import os
import re
import sys

from fa_test_support import arguments, run_json

EXPECT = re.compile(r"//\s*expect:\s*((?:FA\d{3}\s*)+)")
ALLOW = re.compile(r"//\s*fa:\s*allow\s+(FA\d{3})\s+--\s+(.*\S)\s*$")


def expectations(cases):
    expected, suppressed = collections.Counter(), {}
    for name in sorted(os.listdir(cases)):
        if not name.endswith(".cpp"):
            continue
        path = os.path.realpath(os.path.join(cases, name))
        with open(path) as f:
            for n, line in enumerate(f, 1):
                m = EXPECT.search(line)
                if m:
                    for code in m.group(1).split():
                        expected[(path, n, code)] += 1
                a = ALLOW.search(line)
                if a:
                    suppressed[(path, n, a.group(1))] = a.group(2)
    return expected, suppressed


def main():
    args = arguments(__doc__)
    cases = os.path.join(args.source, "tools", "fa", "test", "cases")
    files = sorted(os.path.join(cases, f) for f in os.listdir(cases) if f.endswith(".cpp"))
    expected, suppressed = expectations(cases)
    rc, report = run_json(args.fa, "check", "--all", "-p", args.build, "--config", os.path.join(cases, ".fa.toml"),
                          "-j", "2", *files)
    errors = []
    if rc != 0:
        errors.append(f"exit status {rc} with no --deny")
    if report["errors"]:
        errors.append(f"analysis errors: {report['errors']}")
    got = collections.Counter()
    for f in report["findings"]:
        key = (f["file"], f["line"], f["code"])
        if f["suppressed"]:
            if suppressed.get(key) != f["suppression_reason"]:
                errors.append(f"unexpected suppressed finding {key} (reason {f['suppression_reason']!r})")
            suppressed.pop(key, None)
        else:
            got[key] += 1
    for key in sorted(set(expected) | set(got)):
        if got[key] < expected[key]:
            errors.append(f"missing: {os.path.basename(key[0])}:{key[1]}: {key[2]}")
        elif got[key] > expected[key]:
            errors.append(f"extra:   {os.path.basename(key[0])}:{key[1]}: {key[2]}")
    for key in sorted(suppressed):
        errors.append(f"suppression not reported: {os.path.basename(key[0])}:{key[1]}: {key[2]}")

    # Coverage: >= 3 raising files and >= 2 near misses per code.
    raising = collections.defaultdict(set)
    for (path, _, code) in expected:
        raising[code].add(path)
    for code in sorted(raising):
        near = [f for f in files if os.path.basename(f).startswith(code.lower() + "_ok_")]
        if len(raising[code]) < 3:
            errors.append(f"{code}: {len(raising[code])} raising files, need 3")
        if len(near) < 2:
            errors.append(f"{code}: {len(near)} near-miss files, need 2")
        for f in near:
            if any(k[0] == os.path.realpath(f) and k[2] == code for k in expected):
                errors.append(f"{os.path.basename(f)} is a near miss but expects {code}")

    n = sum(expected.values())
    print(f"fa corpus: {len(files)} files, {n} expected findings, {len(raising)} codes")
    for e in errors:
        print("  " + e)
    print(f"{n + len(suppressed) - len([e for e in errors if e.startswith('missing')])} passed, {len(errors)} failed")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
