#!/usr/bin/env python3
"""Bad input is a clear one-line error and exit status 2, with nothing half-written: a missing compile
database, a path outside it, a file that does not compile, a missing and a stale BMI, a missing module
map, bad .fa.toml files, bad command lines."""
import json
import os
import re
import shlex
import sys
import tempfile
import time

from fa_test_support import arguments, run_fa, checker


def expect_error(check, fa, what, pattern, *args, cwd=None, report=None):
    rc, out, err = run_fa(fa, *args, cwd=cwd)
    lines = err.strip().splitlines()
    check(rc == 2, f"{what}: exit 2 (got {rc}; {err.strip()})")
    check(len(lines) >= 1 and lines[0].startswith("fa: error: ") and re.search(pattern, lines[0]),
          f"{what}: one clear line matching {pattern!r}: {err.strip()!r}")
    check(out == "", f"{what}: nothing on stdout")
    if report is not None:
        check(not os.path.exists(report), f"{what}: no report written")


def corpus_command(build, name):
    with open(os.path.join(build, "compile_commands.json")) as f:
        for entry in json.load(f):
            if entry["file"].endswith("/cases/" + name):
                return entry
    raise SystemExit(f"{name} is not in the compile database: build fa_corpus first")


def write_db(work, entries):
    with open(os.path.join(work, "compile_commands.json"), "w") as f:
        json.dump(entries, f)


def main():
    args = arguments(__doc__)
    check = checker()
    fa = args.fa
    with tempfile.TemporaryDirectory() as work:
        report = os.path.join(work, "report.json")
        out = ["--format", "json", "-o", report]
        expect_error(check, fa, "missing compile database", r"no compile database", "check", "-p",
                     os.path.join(work, "nowhere"), *out, report=report)

        stray = os.path.join(work, "stray.cpp")
        with open(stray, "w") as f:
            f.write("import framealloc;\nint main() {}\n")
        expect_error(check, fa, "path outside the database", r"not in the compile database", "check", "-p", args.build,
                     stray, *out, report=report)

        # A file that does not compile, with the corpus's own command (its module map, its BMIs).
        good = corpus_command(args.build, "fa601_global_pointer.cpp")
        broken = os.path.join(work, "broken.cpp")
        with open(broken, "w") as f:
            f.write("import framealloc;\nvoid f(framealloc::smart_alloc& a) { a.no_such_member(); }\n")
        db = os.path.join(work, "db")
        os.mkdir(db)
        write_db(db, [dict(good, file=broken, command=good["command"].replace(good["file"], broken))])
        expect_error(check, fa, "file that does not compile", r"does not compile: .*broken\.cpp:2:.*no_such_member",
                     "check", "-p", db, broken, *out, report=report)

        # BMIs: one missing, one older than the interface that produces it.
        iface = os.path.join(work, "fake.cppm")
        bmi = os.path.join(work, "fake.pcm")
        with open(bmi, "w") as f:
            f.write("not really a BMI")
        past = time.time() - 3600
        os.utime(bmi, (past, past))
        with open(iface, "w") as f:
            f.write("export module fake;\n")
        user = os.path.join(work, "user.cpp")
        with open(user, "w") as f:
            f.write("import fake;\n")
        compiler = shlex.split(good["command"])[0]
        writer = {"directory": work, "file": iface, "output": "CMakeFiles/fake_lib.dir/fake.cppm.o",
                  "command": f"{compiler} -std=c++20 -x c++-module -fmodule-output={bmi} -c {iface} -o CMakeFiles/fake_lib.dir/fake.cppm.o"}
        reader = {"directory": work, "file": user, "output": "user.o",
                  "command": f"{compiler} -std=c++20 -fmodule-file=fake={bmi} -c {user} -o user.o"}
        write_db(work, [writer, reader])
        expect_error(check, fa, "stale BMI", r"BMI of module 'fake' is stale.*build target 'fake_lib' first",
                     "check", "-p", work, user, *out, report=report)
        os.remove(bmi)
        expect_error(check, fa, "missing BMI", r"BMI of module 'fake' is missing.*build target 'fake_lib' first",
                     "check", "-p", work, user, *out, report=report)
        reader["command"] = f"{compiler} -std=c++20 @CMakeFiles/user_app.dir/user.cpp.o.modmap -c {user} -o user.o"
        write_db(work, [reader])
        expect_error(check, fa, "missing module map", r"module map .* is missing.*build target 'user_app' first",
                     "check", "-p", work, user, *out, report=report)

        # .fa.toml: syntax and meaning errors carry the file's line and column.
        bad = os.path.join(work, "bad.toml")
        for text, pattern in [("[check]\nfamilies = [\"dirtymem\"\n", r"bad\.toml:\d+:\d+: "),
                              ("[check]\nfamilies = [\"dirtymemory\"]\n", r"bad\.toml:2:\d+: unknown family 'dirtymemory'"),
                              ("[check]\ndeny = [\"FA6\"]\n", r"bad\.toml:2:\d+: 'FA6' is not a code"),
                              ("[tags]\nphysics = \"src/**\"\n", r"bad\.toml:2:\d+: tag 'physics' must map to an array"),
                              ("[threading]\nrequire_thread_budget = \"yes\"\n", r"bad\.toml:2:\d+: 'require_thread_budget' must be true or false"),
                              ("[[rules]]\npaths = [\"src/**\"]\nforbid = [\"stack\"]\n", r"bad\.toml:3:\d+: unknown memory kind 'stack'"),
                              ("[budgets]\nx = 1\n", r"bad\.toml:1:\d+: unknown table 'budgets'")]:
            with open(bad, "w") as f:
                f.write(text)
            expect_error(check, fa, f"bad .fa.toml {text!r}", pattern, "check", "-p", args.build, "--config", bad, *out,
                         report=report)

        # Command lines.
        expect_error(check, fa, "unknown option", r"unknown option '--frobnicate'", "check", "--frobnicate")
        expect_error(check, fa, "bad --deny", r"'FA6' is not a code", "check", "--deny", "FA6")
        expect_error(check, fa, "bad --format", r"unknown format 'xml'", "check", "--format", "xml")
        expect_error(check, fa, "unknown verb", r"unknown command 'lint'", "lint")
        expect_error(check, fa, "unknown code", r"FA999", "explain", "FA999")

    print(f"fa bad input: {check.passed} passed, {check.failed} failed")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
