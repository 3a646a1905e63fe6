#!/usr/bin/env python3
"""Runs the conformance cases (tests/conformance/cases/**.json) through `fleetflow run`.

Each case holds a definition, an input, optional mocks, and the expected output or
error/cause. Prints one line per failing case and a summary; exits 1 on any failure.
Usage: run.py FLEETFLOW_BINARY [--via-dsl] [RUN_FLAGS ...] [CASE_FILE_OR_DIR ...]
--via-dsl imports each definition to a .flow file (`fleetflow import`) and runs that file.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def case_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, files in os.walk(path):
                for name in sorted(files):
                    if name.endswith(".json"):
                        yield os.path.join(root, name)
        else:
            yield path


def run_case(binary, path, tmp, extra_flags, via_dsl=False):
    with open(path) as f:
        case = json.load(f)
    definition = os.path.join(tmp, "definition.json")
    with open(definition, "w") as f:
        json.dump(case["definition"], f)
    if via_dsl:
        imported = subprocess.run([binary, "import", definition], capture_output=True, text=True,
                                  timeout=60)
        if imported.returncode != 0:
            if "invalid" in case["expect"]:
                return None  # rejected before it could be written in the DSL
            return f"fleetflow import failed: {imported.stderr.strip()}"
        definition = os.path.join(tmp, "definition.flow")
        with open(definition, "w") as f:
            f.write(imported.stdout)
    cmd = [binary, "run", "--definition", definition, "--name", "Machine", "--virtual-time",
           "--seed", "1", "--input", json.dumps(case.get("input", {}))] + extra_flags
    if "mocks" in case:
        mocks = os.path.join(tmp, "mocks.json")
        with open(mocks, "w") as f:
            json.dump(case["mocks"], f)
        cmd += ["--mocks", mocks, "--test-case", case["testCase"]]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    expect = case["expect"]
    if "invalid" in expect:
        if proc.returncode != 2:
            return f"expected an invalid definition (exit 2), got exit {proc.returncode}: {proc.stdout.strip()}"
        return None
    if proc.returncode == 2:
        return f"rejected: {proc.stderr.strip()}"
    try:
        got = json.loads(proc.stdout)
    except ValueError:
        return f"exit {proc.returncode}, unreadable stdout {proc.stdout!r}, stderr {proc.stderr.strip()!r}"
    if "output" in expect:
        if proc.returncode != 0:
            return f"expected success, got {proc.stdout.strip()}"
        if got != expect["output"]:
            return f"output {json.dumps(got)} != expected {json.dumps(expect['output'])}"
        return None
    if proc.returncode != 1:
        return f"expected error {expect['error']}, got success {proc.stdout.strip()}"
    if got.get("error") != expect["error"]:
        return f"error {got.get('error')!r} != expected {expect['error']!r} (cause: {got.get('cause')!r})"
    if "cause" in expect and got.get("cause") != expect["cause"]:
        return f"cause {got.get('cause')!r} != expected {expect['cause']!r}"
    return None


def main():
    args = sys.argv[1:]
    # Flags for `fleetflow run` come after the binary, before any case paths.
    binary, args = args[0], args[1:]
    via_dsl = "--via-dsl" in args
    extra_flags = [a for a in args if a.startswith("--") and a != "--via-dsl"]
    paths = [a for a in args if not a.startswith("--")] or [os.path.join(HERE, "cases")]
    failures = 0
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in case_files(paths):
            total += 1
            try:
                problem = run_case(binary, path, tmp, extra_flags, via_dsl)
            except Exception as e:  # a broken case file is a failure too
                problem = f"{type(e).__name__}: {e}"
            if problem:
                failures += 1
                print(f"FAIL {os.path.relpath(path, HERE)}: {problem}")
    print(f"conformance: {total - failures}/{total} passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
