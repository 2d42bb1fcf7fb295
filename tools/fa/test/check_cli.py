#!/usr/bin/env python3
"""The verbs besides check: explain prints the library's registry entry (framealloc::explain), list
names every code with its family, show explains each finding of one file, init writes a .fa.toml that
parses and declares the tags the code uses."""
import os
import re
import sys
import tempfile
import tomllib

from fa_test_support import arguments, run_fa, checker


ANALYZER_CODES = ["FA210", "FA211", "FA212", "FA213", "FA214", "FA301", "FA601", "FA602", "FA603", "FA604", "FA605", "FA606", "FA607", "FA701", "FA702", "FA801", "FA802", "FA803"]


def main():
    args = arguments(__doc__)
    check = checker()
    fa = args.fa
    cases = os.path.join(args.source, "tools", "fa", "test", "cases")

    for code in ANALYZER_CODES + ["FA201", "FA510"]:
        rc, out, err = run_fa(fa, "explain", code)
        lines = out.splitlines()
        check(rc == 0 and len(lines) == 3 and re.match(code + r" \S", lines[0]) and lines[2].startswith("hint: "),
              f"explain {code}: title, explanation, hint ({out!r})")
    rc, out, _ = run_fa(fa, "explain", "FA601")
    check(out.startswith("FA601 frame memory stored in a global or static\n"), "explain FA601 prints the registry's title")

    rc, out, _ = run_fa(fa, "list")
    rows = {l.split()[0]: l for l in out.splitlines()[1:]}
    check(rc == 0 and all(c in rows and "static" in rows[c] for c in ANALYZER_CODES), "list shows every analyzer code as static")
    check("runtime" in rows.get("FA201", "") and "fa-threading" in rows.get("FA201", ""),
          "FA201 is the runtime's (FA201-209 runtime, FA210+ static)")

    rc, out, _ = run_fa(fa, "show", "-p", args.build, os.path.join(cases, "fa604_return_skips_end.cpp"))
    check(rc == 0 and out.count("warning: FA604") == 2, "show reports the file's findings")
    check("FA604 frame-loop path skips end_frame(): Static analysis" in out and "  hint: " in out,
          "show adds the explanation and the fix")

    with tempfile.TemporaryDirectory() as work:
        files = [os.path.join(cases, f) for f in ("fa802_ok_ai_paths.cpp", "fa801_undeclared_scoped_tag.cpp")]
        rc, out, err = run_fa(fa, "init", "-p", args.build, *files, cwd=work)
        check(rc == 0 and os.path.exists(os.path.join(work, ".fa.toml")), f"init exits 0 and writes .fa.toml ({rc} {out} {err})")
        with open(os.path.join(work, ".fa.toml"), "rb") as f:
            written = tomllib.load(f)
        check(sorted(written["tags"]) == ["ai", "audio", "pathfinding", "physics"], f"init declares the tags: {written.get('tags')}")
        check(written["check"]["families"] == ["all"], "init enables every family")
        rc, out, err = run_fa(fa, "check", "-p", args.build, *files, cwd=work)
        check(rc == 0 and "FA801" not in out, "the written file is read back: its tags are declared")
        rc, out, err = run_fa(fa, "init", "-p", args.build, *files, cwd=work)
        check(rc == 2 and "exists" in err, "init does not overwrite without --force")

    print(f"fa cli: {check.passed} passed, {check.failed} failed")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
