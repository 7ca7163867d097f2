"""Shared helpers for the Python ctest scripts (tests/trace, tests/onnx): run npusim, read its results,
skip with exit code 77 when an optional Debian package is missing."""

import argparse
import json
import os
import subprocess
import sys

SKIP = 77


def parse_args(source_dir=False):
    """The arguments ctest passes a script: --npusim, and --source-dir for the scripts that read the tree."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--npusim", required=True)
    if source_dir:
        parser.add_argument("--source-dir", required=True)
    return parser.parse_args()


def skip(message):
    print(f"SKIP: {message}")
    sys.exit(SKIP)


def require_modules(*names, packages=""):
    """Imports the modules or skips the test, naming the Debian packages that provide them."""
    modules = []
    for name in names:
        try:
            modules.append(__import__(name))
        except ImportError as error:
            skip(f"{error} (install {packages or 'python3-' + name})")
    return modules


def require_onnx_support(npusim, scratch_dir):
    """Skips the test when this npusim was built without libonnx-dev."""
    probe = os.path.join(scratch_dir, "probe.onnx")
    with open(probe, "wb") as f:
        f.write(b"not a model")
    proc = subprocess.run([npusim, "run", "--quiet", "--workload", probe], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if "without ONNX support" in proc.stdout:
        skip("this npusim was built without ONNX support (install libonnx-dev libprotobuf-dev, reconfigure)")


def run(argv, expect=0, **kwargs):
    """Runs a command; fails the test (exit 1) with its output when the exit code is not `expect`."""
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)
    if expect is not None and proc.returncode != expect:
        print(f"FAIL: {' '.join(argv)} exited {proc.returncode}, expected {expect}\n{proc.stdout}")
        sys.exit(1)
    return proc


def simulate(npusim, workload, out_dir, *extra):
    """`npusim run --npu edge-int8 --quiet --workload W --out DIR` and its parsed result.json."""
    run([npusim, "run", "--npu", "edge-int8", "--quiet", "--workload", workload, "--out", out_dir, *extra])
    with open(os.path.join(out_dir, "result.json"), encoding="utf-8") as f:
        return json.load(f)


DTYPE_BYTES = {"int8": 1, "fp8": 1, "fp16": 2, "bf16": 2, "fp32": 4}


def trace_weight_bytes(trace, default_dtype="int8"):
    """(weight bytes, bias bytes) of an npusim trace, as the IR counts them (workloads/ir/operator.cpp):
    conv kernels and the B matrix of fc/matmul operators that read weights."""
    weights = biases = 0
    for op in trace["operators"]:
        size = DTYPE_BYTES[op.get("dtype", default_dtype)]
        if op["op"] == "conv2d":
            kh, kw = op["kernel"]
            weights += kh * kw * (op["input"][2] // op.get("groups", 1)) * op["out_channels"] * size
            biases += op["out_channels"] * size if op.get("bias") else 0
        elif op["op"] in ("fc", "matmul") and op.get("b_is_weight", True):
            weights += op["k"] * op["n"] * size
            biases += op["n"] * size if op.get("bias") else 0
    return weights, biases


def check(condition, message):
    if not condition:
        print(f"FAIL: {message}")
        sys.exit(1)
    print(f"ok: {message}")


def plot_runner(source_dir):
    """Skips without pandas/matplotlib; else a function that runs analysis/plots/SCRIPT headless."""
    require_modules("pandas", "matplotlib", packages="python3-pandas python3-matplotlib")
    plots = os.path.join(source_dir, "analysis", "plots")
    env = dict(os.environ, MPLBACKEND="Agg")

    def plot(script, *argv, expect=0):
        return run([sys.executable, os.path.join(plots, script), *argv], expect=expect, env=env)

    return plot
