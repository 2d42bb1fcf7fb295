#!/usr/bin/env python3
"""fa lsp end to end with a real editor: Neovim, headless, is the client (lsp/neovim_client.lua). It
opens corpus files and a header outside the compile database; the diagnostics must carry the codes the
files' `// expect:` comments name, at the columns `fa check` reports, with severity from the
configuration (FA6xx denied: errors), a link to the code's section of docs/analyzer.md and the
allocation as related information; hovers explain; code actions suppress or fix, and the edited
buffer (never saved) is analysed again. Shutdown and exit leave the server with status 0."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from fa_test_support import arguments, run_json, checker

FILES = ["fa601_global_pointer.cpp", "fa603_pointer_after_end.cpp", "fa605_discarded_scope.cpp",
         "fa701_detached_thread.cpp", "coro_support.hpp"]


def expected_codes(path):
    out = set()
    with open(path) as f:
        for n, line in enumerate(f, 1):
            for code in re.findall(r"expect: (FA\d{3})", line):
                out.add((n, code))
    return out


def anchors(analyzer_md):
    out = set()
    with open(analyzer_md) as f:
        for line in f:
            if line.startswith("### FA"):
                heading = line[4:].strip()
                out.add("".join(c.lower() if c.isalnum() or c in "-_" else "-" if c == " " else "" for c in heading))
    return out


def main():
    args = arguments(__doc__)
    check = checker()
    nvim = shutil.which("nvim")
    if nvim is None:
        print("nvim not found: install Debian's neovim (scripts/install-deps.sh does)")
        return 1
    cases = os.path.join(args.source, "tools", "fa", "test", "cases")
    paths = [os.path.join(cases, f) for f in FILES]
    doc_anchors = anchors(os.path.join(args.source, "docs", "analyzer.md"))
    with tempfile.TemporaryDirectory() as work:
        config = os.path.join(work, ".fa.toml")
        with open(config, "w") as f:
            f.write('[check]\nfamilies = ["all"]\ndeny = ["FA6xx"]\n')
        out_file = os.path.join(work, "out.json")
        env = dict(os.environ, FA=args.fa, FA_BUILD=args.build, FA_CONFIG=config, FA_ROOT=args.source,
                   FA_LSP_FILES=":".join(paths), FA_LSP_OUT=out_file)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsp", "neovim_client.lua")
        r = subprocess.run([nvim, "--headless", "--clean", "-n", "-c", "luafile " + script, "-c", "qall!"], env=env, cwd=work,
                           capture_output=True, text=True, timeout=240)
        if not os.path.exists(out_file):
            print(f"neovim wrote nothing (status {r.returncode}):\n{r.stdout}\n{r.stderr}")
            return 1
        with open(out_file) as f:
            seen = json.load(f)
        _, oracle = run_json(args.fa, "check", "-p", args.build, "--config", config, *paths[:-1])

    check("error" not in seen, f"the client ran through: {seen.get('error')}")
    by_path = {r["path"]: r for r in seen["files"]}
    for path in paths[:-1]:
        name = os.path.basename(path)
        record = by_path.get(path)
        ok = record is not None and "diagnostics" in record
        check(ok, f"{name}: diagnostics published")
        if not ok:
            continue
        diags = record["diagnostics"]
        lines = open(path).read().split("\n")
        got = {(d["range"]["start"]["line"] + 1, d.get("code")) for d in diags}
        check(got == expected_codes(path), f"{name}: codes and lines {sorted(got)} == {sorted(expected_codes(path))}")
        columns = {(f["line"], f["code"]): f for f in oracle["findings"] if f["file"] == path}
        for d in diags:
            start, end = d["range"]["start"], d["range"]["end"]
            where = f"{name}:{start['line'] + 1} {d.get('code')}"
            finding = columns.get((start["line"] + 1, d.get("code")))
            check(finding is not None and start["character"] == finding["column"] - 1,
                  f"{where}: starts at fa check's column ({start}, {finding and finding['column']})")
            text = lines[start["line"]][start["character"]:end["character"]]
            is_name = re.fullmatch(r"[A-Za-z_]\w*((::|\.|->)[A-Za-z_]\w*)*", text)
            rest = lines[start["line"]][start["character"]:].split(";")[0].rstrip()
            check(end["line"] == start["line"] and (is_name or (text == rest and not text[0].isalnum())),
                  f"{where}: the range covers a name, or from an operator the rest of the statement ({text!r})")
            check(d.get("severity") == (1 if d["code"].startswith("FA6") else 2), f"{where}: severity from deny ({d.get('severity')})")
            href = d.get("codeDescription", {}).get("href", "")
            check(href.startswith("file://") and href.split("#")[-1] in doc_anchors and d["code"].lower() in href,
                  f"{where}: documentation link to its section ({href})")
            check(d.get("source") == "fa", f"{where}: source fa")
            if finding is not None and finding.get("origin"):
                related = d.get("relatedInformation") or [{}]
                loc = related[0].get("location", {})
                check(loc.get("range", {}).get("start", {}).get("line") == finding["origin"]["line"] - 1
                      and related[0].get("message", "") == finding["origin"].get("note"),
                      f"{where}: the finding's origin (the allocation, the loop...) as related information ({related})")
        code = sorted(expected_codes(path))[0][1]
        title = next(f["title"] for f in oracle["findings"] if f["code"] == code)
        hover = (record.get("hover") or {}).get("result") or {}
        check(code in hover.get("contents", {}).get("value", "") and title in hover["contents"]["value"]
              and "**Fix:**" in hover["contents"]["value"], f"{name}: hover on the diagnostic explains {code}")
        comment = (record.get("comment_hover") or {}).get("result") or {}
        check(title in comment.get("contents", {}).get("value", ""), f"{name}: hover on {code} in the first comment")
        actions = [a["title"] for a in (record.get("actions") or {}).get("result") or []]
        check(any(t.startswith("Suppress " + code) for t in actions), f"{name}: a suppression action ({actions})")
        after = record.get("after_edit")
        check(after is not None, f"{name}: diagnostics after applying '{record.get('applied')}'")
        if after is None:
            continue
        edited = record["edited_lines"]
        if code == "FA605":
            check(record["applied"].startswith("Name the scope guard") and after == []
                  and any(l.strip() == "auto scope = alloc.frame_scope();  // expect: FA605" for l in edited),
                  f"{name}: the fix names the guard and the finding goes ({after}, {edited})")
        else:
            first = diags[0]
            check(record["applied"].startswith("Suppress") and len(after) == len(diags) - 1
                  and f"// fa: allow {code} -- " in edited[first["range"]["start"]["line"]],
                  f"{name}: the suppression comment silences the finding in the unsaved buffer ({len(after)} left)")

    header = by_path.get(paths[-1], {})
    check(header.get("diagnostics") == [], "a header outside the compile database: no diagnostics")
    check(any(m["type"] == 2 and "not in the compile database" in m["message"] for m in seen["messages"]),
          f"... and a warning saying why ({seen['messages']})")
    check(seen.get("exit_code") == 0, f"shutdown then exit: status 0 ({seen.get('exit_code')})")
    print(f"{check.passed} passed, {check.failed} failed")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
