#!/usr/bin/env python3
"""The DSL's command-line verbs on real files (docs/dsl.md sections 5 and 6).

Usage: cli_test.py FLEETFLOW_BINARY
"""
import os
import subprocess
import sys
import tempfile

COMMENTED = """# Dock the robot.
task Dock fleetflow:mqtt:publish   # MQTT
  # The command.
  args
    command:   "dock"
  next Done   # falls through anyway

succeed Done
# The end.
"""

FORMATTED = """# Dock the robot.
task Dock fleetflow:mqtt:publish  # MQTT
  # The command.
  args
    command: "dock"

# falls through anyway
succeed Done

# The end.
"""


def run(*cmd, cwd=None):
    env = {k: v for k, v in os.environ.items() if k != "FLEETFLOW_PATH"}
    return subprocess.run(list(cmd), capture_output=True, text=True, timeout=60, cwd=cwd, env=env)


def check_fmt_keeps_comments(binary, tmp):
    path = os.path.join(tmp, "commented.flow")
    with open(path, "w") as f:
        f.write(COMMENTED)
    checked = run(binary, "fmt", "--check", path)
    if checked.returncode != 1:
        return f"fmt --check on a non-canonical file: exit {checked.returncode} {checked.stderr}"
    formatted = run(binary, "fmt", path)
    if formatted.returncode != 0:
        return f"fmt failed: {formatted.stderr}"
    with open(path) as f:
        text = f.read()
    if text != FORMATTED:
        return f"fmt wrote:\n{text}\nexpected:\n{FORMATTED}"
    again = run(binary, "fmt", "--check", path)
    if again.returncode != 0:
        return f"fmt --check after fmt: exit {again.returncode} {again.stderr}"
    return None


def check_import_path(binary, tmp):
    lib = os.path.join(tmp, "vendor", "lib")
    app = os.path.join(tmp, "app")
    os.makedirs(lib)
    os.makedirs(app)
    with open(os.path.join(lib, "child.flow"), "w") as f:
        f.write("succeed Done\n")
    with open(os.path.join(app, "main.flow"), "w") as f:
        f.write("import child\n\nrun Start child\n  end\n")
    without = run(binary, "validate", "app/main.flow", cwd=tmp)
    if without.returncode != 2 or "no machine 'child' to import" not in without.stdout:
        return f"validate without --import-path: exit {without.returncode} {without.stdout}"
    for verb in (["validate"], ["export", "--asl"], ["fmt", "--check"], ["graph"]):
        done = run(binary, *verb, "--import-path", "nowhere", "--import-path", "vendor/lib",
                   "app/main.flow", cwd=tmp)
        if done.returncode != 0:
            return f"{verb[0]} --import-path: exit {done.returncode} {done.stdout} {done.stderr}"
    return None


CHECKS = [check_fmt_keeps_comments, check_import_path]


def main():
    binary = os.path.abspath(sys.argv[1])
    failures = 0
    for check in CHECKS:
        with tempfile.TemporaryDirectory() as tmp:
            problem = check(binary, tmp)
        if problem:
            failures += 1
            print(f"FAIL {check.__name__}: {problem}")
    print(f"dsl cli: {len(CHECKS) - failures}/{len(CHECKS)} passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
