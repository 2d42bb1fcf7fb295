#!/usr/bin/env python3
"""Checks snapshot files from outside the library: strict JSON, valid against docs/snapshot.schema.json,
fields in the schema's order, file name matching the frame.

  validate_snapshots.py --schema SCHEMA --writer SNAPSHOT_WRITER --work DIR

1. runs `SNAPSHOT_WRITER write DIR/written` and validates every file it wrote;
2. runs `SNAPSHOT_WRITER crash DIR/crashed`, kills it with SIGKILL while a temporary file is being
   written (several times), and validates every *.json left: a crash never leaves a torn snapshot.
Exit 77 (ctest: skipped) when the jsonschema module is missing (Debian: python3-jsonschema).
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed (scripts/install-deps.sh installs it): skipped")
    sys.exit(77)

NAME = re.compile(r"^snapshot_([0-9]{20})\.json$")
TEMP = re.compile(r"^\.snapshot_[0-9]{20}\.[0-9]+\.[0-9]+\.tmp$")


def reject_constant(token):
    raise ValueError(f"non-standard JSON constant {token}")


def load_strict(path):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")  # strict: invalid UTF-8 raises
    # object_pairs_hook keeps order and catches duplicate keys; parse_constant refuses NaN/Infinity.
    def pairs(items):
        keys = [k for k, _ in items]
        if len(keys) != len(set(keys)):
            raise ValueError(f"duplicate keys in {path}")
        return dict(items)

    doc = json.loads(text, parse_constant=reject_constant, object_pairs_hook=pairs)
    return doc


def check_order(doc, schema_node, defs, where):
    """Every object's members come in the schema's property order."""
    if "$ref" in schema_node:
        schema_node = defs[schema_node["$ref"].split("/")[-1]]
    if "oneOf" in schema_node:
        for alt in schema_node["oneOf"]:
            if alt.get("type") == "null" and doc is None:
                return
        for alt in schema_node["oneOf"]:
            if "$ref" in alt:
                check_order(doc, alt, defs, where)
        return
    if isinstance(doc, dict) and "properties" in schema_node:
        expected = list(schema_node["properties"].keys())
        got = list(doc.keys())
        if got != expected:
            raise ValueError(f"{where}: members {got} not in schema order {expected}")
        for k, sub in schema_node["properties"].items():
            check_order(doc[k], sub, defs, f"{where}.{k}")
    elif isinstance(doc, list) and "items" in schema_node:
        for i, item in enumerate(doc):
            check_order(item, schema_node["items"], defs, f"{where}[{i}]")


def validate_dir(directory, validator, schema):
    names = sorted(os.listdir(directory))
    checked = 0
    for name in names:
        if not name.endswith(".json"):
            if not TEMP.match(name) and name != "snapshot.request":
                raise ValueError(f"unexpected file {name} in {directory}")
            continue
        m = NAME.match(name)
        if not m:
            raise ValueError(f"badly named snapshot {name}")
        doc = load_strict(os.path.join(directory, name))
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            raise ValueError(f"{name}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5]))
        check_order(doc, schema, schema["$defs"], name)
        if doc["frame"] != int(m.group(1)):
            raise ValueError(f"{name}: frame {doc['frame']} does not match the file name")
        checked += 1
    return checked


def size_or_zero(path):
    try:
        return os.path.getsize(path)
    except FileNotFoundError:  # renamed into place between listdir and stat
        return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schema", required=True)
    ap.add_argument("--writer", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()

    with open(args.schema) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())

    written = os.path.join(args.work, "written")
    out = subprocess.run([args.writer, "write", written], check=True, capture_output=True, text=True)
    expected = int(out.stdout.strip())
    n = validate_dir(written, validator, schema)
    leftovers = [x for x in os.listdir(written) if not x.endswith(".json")]
    if leftovers:
        raise ValueError(f"files left beside the snapshots: {leftovers}")
    if n != expected or n < 6:
        raise ValueError(f"{n} snapshot files for {expected} writes (each of another frame)")
    print(f"written: {n} files valid ({expected} writes)")

    # The schema is not vacuous: broken variants of a real snapshot are refused.
    sample = load_strict(os.path.join(written, sorted(x for x in os.listdir(written) if NAME.match(x))[0]))
    mutations = {
        "missing field": lambda d: d.pop("summary"),
        "unknown field": lambda d: d.__setitem__("surprise", 1),
        "negative bytes": lambda d: d["summary"].__setitem__("frame_bytes", -1),
        "float count": lambda d: d["transfers"].__setitem__("pending", 1.5),
        "wrong version": lambda d: d.__setitem__("version", 1),
        "bad timestamp": lambda d: d.__setitem__("timestamp", "yesterday"),
        "missing nested field": lambda d: d["resources"]["heap"].pop("live_bytes"),
    }
    for what, mutate in mutations.items():
        doc = json.loads(json.dumps(sample))
        mutate(doc)
        if validator.is_valid(doc):
            raise ValueError(f"the schema accepts a snapshot with a {what}")

    crashed = os.path.join(args.work, "crashed")
    subprocess.run(["rm", "-rf", crashed], check=True)
    kills_mid_write = 0
    for attempt in range(2):
        proc = subprocess.Popen([args.writer, "crash", crashed])
        deadline = time.time() + 60
        try:
            while time.time() < deadline and proc.poll() is None:
                names = os.listdir(crashed) if os.path.isdir(crashed) else []
                partial = [x for x in names if TEMP.match(x) and size_or_zero(os.path.join(crashed, x)) > 0]
                if partial and any(NAME.match(x) for x in names):
                    proc.send_signal(signal.SIGKILL)
                    kills_mid_write += 1
                    break
                time.sleep(0.001)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        n = validate_dir(crashed, validator, schema)
        print(f"crash {attempt}: {n} snapshot files valid after SIGKILL")
    if kills_mid_write == 0:
        raise ValueError("never caught the writer mid-write")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, subprocess.CalledProcessError, json.JSONDecodeError, UnicodeDecodeError) as e:
        print(f"FAILED: {e}")
        sys.exit(1)
