#!/usr/bin/env python3
"""Every output format, read by a real consumer: SARIF 2.1.0 against the official schema (shipped by an
npm package, installed from tools/fa/test/sarif_schema's lock file), json against docs/fa.schema.json,
JUnit and checkstyle XML parsed with xml.etree and shape-checked as their readers expect, and text in
clang's format. Also: --deny makes the finding an error and the exit status 1; -o writes the report."""
import json
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET

import jsonschema

from fa_test_support import arguments, run_fa, checker

CASES = ["fa601_global_pointer.cpp", "fa601_ok_lookalike.cpp", "fa211_wait_without_signal.cpp"]


def main():
    args = arguments(__doc__)
    check = checker()
    cases = os.path.join(args.source, "tools", "fa", "test", "cases")
    files = [os.path.join(cases, c) for c in CASES]
    common = ["check", "--all", "-p", args.build, "--config", os.path.join(cases, ".fa.toml"), *files]

    # json: our schema; the numbers agree with the findings.
    rc, out, err = run_fa(args.fa, *common, "--format", "json")
    check(rc == 0, f"json run exits 0 (got {rc}: {err})")
    report = json.loads(out)
    with open(os.path.join(args.source, "docs", "fa.schema.json")) as f:
        jsonschema.Draft7Validator(json.load(f)).validate(report)
    shown = [f for f in report["findings"] if not f["suppressed"]]
    hidden = [f for f in report["findings"] if f["suppressed"]]
    check(len(shown) == 3 and report["summary"]["findings"] == 3, f"3 findings shown: {report['summary']}")
    check(len(hidden) == 1 and hidden[0]["code"] == "FA601" and "frame hook" in hidden[0]["suppression_reason"],
          "the suppressed finding is reported with its reason")
    check(all(f["origin"]["line"] > 0 for f in shown if f["code"] == "FA601"), "lifetime findings point at the allocation")
    check(all(f["origin"] is None for f in shown if f["code"] == "FA211"), "FA211 has no origin")
    check(len(report["files"]) == len(files), "every analysed file is listed")

    # SARIF 2.1.0 against the official schema.
    rc, out, err = run_fa(args.fa, *common, "--format", "sarif")
    sarif = json.loads(out)
    with open(args.schema) as f:
        schema = json.load(f)
    sarif_validator = jsonschema.validators.validator_for(schema)(schema)  # the schema says its draft
    sarif_validator.validate(sarif)
    results = sarif["runs"][0]["results"]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    check(len(results) == 4, f"4 SARIF results (one suppressed), got {len(results)}")
    check(all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results), "ruleIndex names the rule")
    check(sum(1 for r in results if r.get("suppressions")) == 1, "one result carries an inSource suppression")
    check(all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("file:///") for r in results),
          "locations are file URIs")

    # JUnit: testsuites > testsuite > testcase (> failure), counts consistent.
    rc, out, err = run_fa(args.fa, *common, "--format", "junit")
    root = ET.fromstring(out)
    check(root.tag == "testsuites", "JUnit root is <testsuites>")
    suites = root.findall("testsuite")
    failures = root.findall("./testsuite/testcase/failure")
    check(len(suites) == len(files), f"one <testsuite> per file, got {len(suites)}")
    check(int(root.get("failures")) == len(failures) == 3, "failures counted: 3")
    check(int(root.get("tests")) == len(root.findall("./testsuite/testcase")), "tests counted")
    for s in suites:
        check(int(s.get("tests")) == len(s.findall("testcase")) and int(s.get("failures")) == len(s.findall("./testcase/failure")),
              f"suite {s.get('name')} counts its cases")
    check(all(re.fullmatch(r"FA\d{3}", f.get("type")) and f.get("message") for f in failures), "failures name their code")

    # checkstyle: <checkstyle><file name><error line column severity message source/></file></checkstyle>.
    rc, out, err = run_fa(args.fa, *common, "--format", "checkstyle")
    root = ET.fromstring(out)
    check(root.tag == "checkstyle" and root.get("version"), "checkstyle root with a version")
    errors = root.findall("./file/error")
    check(len(root.findall("file")) == len(files), "one <file> per analysed file")
    check(len(errors) == 3, f"3 <error>s, got {len(errors)}")
    for e in errors:
        check(int(e.get("line")) > 0 and int(e.get("column")) > 0 and e.get("severity") in ("error", "warning", "info")
              and e.get("message").startswith("FA") and e.get("source").startswith("fa.FA"), f"error shape: {e.attrib}")

    # text: clang's shape, a note at the allocation, a hint; --deny turns the code into an error, exit 1.
    rc, out, err = run_fa(args.fa, *common, "--deny", "FA6xx")
    check(rc == 1, f"--deny FA6xx exits 1 (got {rc})")
    diag = re.compile(r"^(/[^:]+):(\d+):(\d+): (warning|error): (FA\d{3}) .+ \[(fa-[a-z-]+)\]$")
    lines = out.splitlines()
    heads = [m for m in map(diag.match, lines) if m]
    check(len(heads) == 3, f"3 diagnostics in text, got {len(heads)}")
    check(all(m.group(4) == ("error" if m.group(5).startswith("FA6") else "warning") for m in heads), "denied codes are errors")
    check(sum(1 for l in lines if re.match(r"^/[^:]+:\d+:\d+: note: ", l)) == 2, "a note per lifetime finding")
    check(sum(1 for l in lines if l.startswith("  hint: ")) == 3, "a hint per finding")
    rc, out, err = run_fa(args.fa, *common, "--deny", "FA6xx", "--allow", "FA601")
    check(rc == 0 and "FA601" not in out and "FA211" in out, "--allow removes a code (nothing denied is left: exit 0)")

    with tempfile.TemporaryDirectory() as work:
        target = os.path.join(work, "report.sarif")
        rc, out, err = run_fa(args.fa, *common, "--format", "sarif", "-o", target)
        check(rc == 0 and out == "" and os.path.exists(target), "-o writes the report to the file")
        with open(target) as f:
            sarif_validator.validate(json.load(f))

    print(f"fa formats: {check.passed} passed, {check.failed} failed")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
