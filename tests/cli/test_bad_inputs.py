"""The bad-input suite: every class of bad input the CLI can meet, run through the real `npusim`.

Each case must end with exit code 2, exactly one line on stderr naming the file, field or flag (the
expected text below), nothing on stdout, a folder passed as --out left exactly as it was, and no hang
(a case still running after HANG_S seconds fails). Cases set up their own files in a scratch folder.

usage: test_bad_inputs.py --npusim PATH [--only NAME] [--list]
"""

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bad_input_cases import CASES  # noqa: E402

HANG_S = 30  # generous for a loaded CI machine; every case takes well under a second when it works


def snapshot(folder):
    """Every entry under folder with its type, size and content: what 'untouched' compares."""
    state = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            info = os.lstat(path)
            content = None
            if stat.S_ISREG(info.st_mode):
                with open(path, "rb") as f:
                    content = f.read()
            state[os.path.relpath(path, folder)] = (stat.S_IFMT(info.st_mode), info.st_size, content)
    return state


def prepare(case, scratch):
    """Writes the case's files, runs its setup, and returns argv with {dir} and {out} filled in."""
    out = os.path.join(scratch, "out")
    os.makedirs(out)
    with open(os.path.join(out, "result.json"), "w", encoding="utf-8") as f:
        f.write('{"sentinel": true}\n')  # an earlier run's result that a failed run must not touch
    for name, content in case.get("files", {}).items():
        path = os.path.join(scratch, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(path, mode) as f:
            f.write(content if isinstance(content, (bytes, str)) else json.dumps(content))
    if "setup" in case:
        case["setup"](scratch)
    return [arg.format(dir=scratch, out=out) for arg in case["args"]], out


def run_case(npusim, case):
    scratch = tempfile.mkdtemp(prefix="npusim-bad-")
    try:
        argv, out = prepare(case, scratch)
        before = snapshot(out)
        started = time.monotonic()
        try:
            proc = subprocess.run([npusim, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  errors="replace", timeout=HANG_S, cwd=scratch)
        except subprocess.TimeoutExpired:
            return [f"hung: still running after {HANG_S} s"], HANG_S
        wall_s = time.monotonic() - started
        problems = []
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        if proc.returncode != 2:
            problems.append(f"exit {proc.returncode}, expected 2")
        if len(lines) != 1:
            problems.append(f"{len(lines)} lines on stderr, expected 1")
        for expected in case["expect"] if isinstance(case["expect"], list) else [case["expect"]]:
            if expected not in proc.stderr:
                problems.append(f"stderr lacks {expected!r}")
        if proc.stdout.strip():
            problems.append("wrote to stdout")
        if snapshot(out) != before:
            problems.append("--out folder changed")
        if problems:
            problems.append(f"stderr: {proc.stderr.strip()[:400]!r}")
        return problems, wall_s
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--npusim", required=True)
    parser.add_argument("--only")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    names = [case["name"] for case in CASES]
    if len(set(names)) != len(names):
        print("FAIL: duplicate case names")
        return 1
    if args.list:
        print("\n".join(names))
        return 0
    failed, slowest = 0, (0.0, "")
    for case in CASES:
        if args.only and case["name"] != args.only:
            continue
        problems, wall_s = run_case(os.path.abspath(args.npusim), case)
        slowest = max(slowest, (wall_s, case["name"]))
        if problems:
            failed += 1
            print(f"FAIL {case['name']}: " + "; ".join(problems))
        else:
            print(f"ok   {case['name']} ({wall_s:.2f} s)")
    print(f"{len(CASES) - failed} of {len(CASES)} bad-input classes handled; slowest {slowest[1]} {slowest[0]:.2f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
