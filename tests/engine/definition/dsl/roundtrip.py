#!/usr/bin/env python3
"""Round trip of every conformance definition through the DSL (docs/dsl.md section 6).

For each tests/conformance/cases/**.json: `fleetflow import` its ASL definition to .flow,
`fleetflow export --asl` the .flow back, and check that
  1. the exported ASL equals the original after the normalisation below,
  2. `fleetflow validate` accepts the .flow file,
  3. `fleetflow fmt --check` finds the imported text canonical (DSL -> ASL -> DSL is the
     same text), and importing the exported ASL gives the same text again.
Normalisation (what the DSL does not keep, docs/dsl.md 4.1 and 4.7): the legacy Map fields
Iterator and Parameters become ItemProcessor and ItemSelector, and Comment members of
retriers, catchers, choice rules, branches and item processors are dropped. Cases equal
without it count as exact; number kinds count (1 and 1.0 differ).
Usage: roundtrip.py FLEETFLOW_BINARY [CASE_FILE_OR_DIR ...]
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "..", "..", "conformance", "cases")


def case_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, files in os.walk(path):
                for name in sorted(files):
                    if name.endswith(".json"):
                        yield os.path.join(root, name)
        else:
            yield path


def normalise_block(block):
    for state in block.get("States", {}).values():
        normalise_state(state)


def normalise_state(state):
    if state.get("Type") == "Map":
        if "Iterator" in state:
            state["ItemProcessor"] = state.pop("Iterator")
        if "Parameters" in state:
            state["ItemSelector"] = state.pop("Parameters")
        processor = state.get("ItemProcessor", {})
        processor.pop("Comment", None)
        normalise_block(processor)
    for branch in state.get("Branches", []):
        branch.pop("Comment", None)
        normalise_block(branch)
    for key in ("Retry", "Catch"):
        for item in state.get(key, []):
            item.pop("Comment", None)
    for rule in state.get("Choices", []):
        strip_rule_comments(rule)


def strip_rule_comments(rule):
    rule.pop("Comment", None)
    for key in ("And", "Or"):
        for child in rule.get(key, []):
            strip_rule_comments(child)
    if isinstance(rule.get("Not"), dict):
        strip_rule_comments(rule["Not"])


def canonical(value):
    return json.dumps(value, sort_keys=True)


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def check(binary, path, tmp):
    with open(path) as f:
        case = json.load(f)
    definition = case["definition"]
    # Invalid definitions cannot be imported (errors_test.cc has the DSL's own diagnostics).
    if "invalid" in case.get("expect", {}):
        return "skipped", None
    asl = os.path.join(tmp, "machine.asl.json")
    flow = os.path.join(tmp, "machine.flow")
    with open(asl, "w") as f:
        json.dump(definition, f)
    imported = run([binary, "import", asl])
    if imported.returncode != 0:
        return None, f"import failed: {imported.stderr.strip()}"
    with open(flow, "w") as f:
        f.write(imported.stdout)
    exported = run([binary, "export", "--asl", flow])
    if exported.returncode != 0:
        return None, f"export failed:\n{exported.stderr}\n{imported.stdout}"
    back = json.loads(exported.stdout)
    exact = canonical(back) == canonical(definition)
    if not exact:
        normalised = json.loads(json.dumps(definition))
        normalise_block(normalised)
        if canonical(back) != canonical(normalised):
            return None, f"exported ASL differs:\n{canonical(back)}\n!=\n{canonical(normalised)}"
    validated = run([binary, "validate", flow])
    if validated.returncode != 0:
        return None, f"validate failed: {validated.stdout.strip()}"
    fmt = run([binary, "fmt", "--check", flow])
    if fmt.returncode != 0:
        return None, f"not canonical: {fmt.stderr.strip()}"
    with open(asl, "w") as f:
        f.write(exported.stdout)
    again = run([binary, "import", asl])
    if again.stdout != imported.stdout:
        return None, "importing the exported ASL gives another text"
    return exact, None


def main():
    binary, args = sys.argv[1], sys.argv[2:]
    paths = args or [CASES]
    total = exact = failures = skipped = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in case_files(paths):
            total += 1
            try:
                is_exact, problem = check(binary, path, tmp)
            except Exception as e:  # a broken case file is a failure too
                is_exact, problem = None, f"{type(e).__name__}: {e}"
            if problem:
                failures += 1
                print(f"FAIL {os.path.relpath(path, CASES)}: {problem}")
            elif is_exact == "skipped":
                skipped += 1
            elif is_exact:
                exact += 1
    print(f"dsl round trip: {total - skipped - failures}/{total - skipped} passed, {exact} exactly "
          f"equal, {skipped} skipped (invalid definitions)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
