#!/usr/bin/env python3
"""Runs the demo as a user would and checks what it promises (ctest: frame_demo).

  check_demo.py --demo FRAME_DEMO --schema SCHEMA --work DIR [--frames N]

- the demo exits 0 (under the sanitizer presets a report makes it fail);
- its per-tag table names the systems' tags (physics, ai, ai::pathfinding, ai::spawn, render,
  render::particles) with frame allocations;
- the snapshots it says it wrote are on disk, valid against the schema (when python3-jsonschema is
  installed; otherwise only strict JSON is checked), and list the same tags;
- its last line is the one command that opens the viewer on those snapshots (fa-insight serve DIR),
  naming this build's launcher when the viewer is built.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "report"))

TAGS = ["physics", "ai", "ai::pathfinding", "ai::spawn", "render", "render::particles"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--demo", required=True)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--frames", type=int, default=32)
    args = ap.parse_args()

    snapshots = os.path.join(args.work, "snapshots")
    shutil.rmtree(snapshots, ignore_errors=True)
    run = subprocess.run([args.demo, str(args.frames), "--snapshots", snapshots], capture_output=True, text=True,
                         timeout=120)
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    if run.returncode != 0:
        raise ValueError(f"the demo exited with {run.returncode}")

    # The table of the last frame: one row per tag with frame allocations (column 2).
    table = run.stdout[run.stdout.rindex("by tag"):]
    rows = {m.group(1): int(m.group(2)) for m in re.finditer(r"^  (\S+)\s+(\d+)\s", table, re.M)}
    for tag in TAGS:
        if tag not in rows:
            raise ValueError(f"tag {tag} missing from the per-tag table")
    for tag in ["physics", "ai::pathfinding", "render::particles"]:
        if rows[tag] == 0:
            raise ValueError(f"tag {tag} shows no frame allocations")

    last_line = run.stdout.rstrip("\n").rsplit("\n", 1)[-1]
    prefix = "view them in the browser: "
    command = shlex.split(last_line[len(prefix):]) if last_line.startswith(prefix) else []
    if len(command) != 3 or command[1] != "serve":
        raise ValueError(f"the last line does not tell how to open the viewer: {last_line!r}")
    launcher, _, directory = command
    if directory != os.path.abspath(snapshots):
        raise ValueError(f"the viewer command names {directory}, the snapshots are in {os.path.abspath(snapshots)}")
    if os.path.isabs(launcher) and not os.access(launcher, os.X_OK):
        raise ValueError(f"the viewer command names {launcher}, which is not an executable")

    said = re.search(r"snapshots: (\d+) written", run.stdout)
    expected = args.frames // 30 + (0 if args.frames % 30 == 0 else 1)
    if not said or int(said.group(1)) != expected:
        raise ValueError(f"expected {expected} snapshots written, the demo says {said.group(0) if said else 'nothing'}")
    files = sorted(f for f in os.listdir(snapshots) if f.endswith(".json"))
    if len(files) != expected:
        raise ValueError(f"{len(files)} snapshot files on disk for {expected} written")

    import validate_snapshots as vs
    try:
        import jsonschema
        with open(args.schema) as f:
            schema = json.load(f)
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        vs.validate_dir(snapshots, validator, schema)
        how = "valid against the schema"
    except ImportError:
        how = "strict JSON (python3-jsonschema missing: schema not checked)"
    last = vs.load_strict(os.path.join(snapshots, files[-1]))
    paths = json.dumps(last)
    for tag in TAGS:
        if f'"{tag}"' not in paths:
            raise ValueError(f"tag {tag} missing from {files[-1]}")
    print(f"check_demo: per-tag table and {len(files)} snapshots ({how}) as promised")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, subprocess.SubprocessError, json.JSONDecodeError) as e:
        print(f"FAILED: {e}")
        sys.exit(1)
