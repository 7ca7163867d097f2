"""kill -9 at random points of `npusim run --out DIR` never leaves a mixed or partial result set.

Two workloads with different layer counts alternate into one folder; each run is killed at a random
point (seeded, so the test is repeatable) drawn from the second half of a full run's wall time, where
the result files are written. After every kill the folder must hold either no result.json and no
layers.csv, or a pair from one run: result.json parses, and layers.csv has one row per entry of its
`layers` array for the workload that result.json names. A final full run must leave no staging folder.

usage: test_kill_result_set.py --npusim PATH [--tries N]
"""

import argparse
import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

WORKLOADS = ["resnet50:batch=2", "mobilenetv2"]


def command(npusim, workload, out):
    return [npusim, "run", "--quiet", "--npu", "edge-int8", "--workload", workload, "--out", out]


def check_set(out):
    """'' when out holds no set or a consistent one, else what is wrong."""
    result_path, layers_path = os.path.join(out, "result.json"), os.path.join(out, "layers.csv")
    has_result, has_layers = os.path.exists(result_path), os.path.exists(layers_path)
    if not has_result and not has_layers:
        return ""
    if has_result != has_layers:
        return f"partial set: result.json {has_result}, layers.csv {has_layers}"
    with open(result_path, encoding="utf-8") as f:
        result = json.load(f)
    with open(layers_path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != len(result["layers"]):
        return f"mixed set: layers.csv has {len(rows)} rows, result.json {len(result['layers'])} layers"
    names = {row["workload"] for row in rows}
    wanted = {layer["workload"] for layer in result["layers"]}
    return "" if names == wanted else f"mixed set: layers.csv of {names}, result.json of {wanted}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--npusim", required=True)
    parser.add_argument("--tries", type=int, default=20)
    args = parser.parse_args()
    npusim = os.path.abspath(args.npusim)
    scratch = tempfile.mkdtemp(prefix="npusim-kill-")
    try:
        out = os.path.join(scratch, "out")
        started = time.monotonic()
        subprocess.run(command(npusim, WORKLOADS[0], out), check=True, stdout=subprocess.DEVNULL)
        full_s = time.monotonic() - started
        rng = random.Random(20261206)
        for attempt in range(args.tries):
            proc = subprocess.Popen(command(npusim, WORKLOADS[attempt % 2], out), stdout=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.5, 1.1) * full_s)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            problem = check_set(out)
            if problem:
                print(f"FAIL: try {attempt}: {problem}")
                return 1
            print(f"ok: try {attempt} (exit {proc.returncode}): consistent")
        subprocess.run(command(npusim, WORKLOADS[1], out), check=True, stdout=subprocess.DEVNULL)
        leftovers = [name for name in os.listdir(scratch) if name != "out"]
        if leftovers or check_set(out):
            print(f"FAIL: after a full run: leftovers {leftovers}, {check_set(out)}")
            return 1
        print(f"ok: {args.tries} kills, every set consistent; a full run ({full_s:.2f} s) cleaned up")
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
