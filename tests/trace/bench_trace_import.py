#!/usr/bin/env python3
"""Benchmark and ctest: a 10,000-operator npusim trace is imported and replayed; as a benchmark
(`--limit-s 2`) it also checks that this takes under 2 s beyond the simulation itself. Generates the trace (a mix of every op kind with residual dependencies, small shapes so
the simulation stays short), runs `npusim run --host-stats` and reports wall, load (parse + validate +
dependency order), map, simulate and report times; also times `npusim export-trace` of the same file
(import + export).

    python3 tests/trace/bench_trace_import.py --npusim build/npusim [--operators 10000] [--keep DIR] [--limit-s 2]

The ctest runs it without --limit-s: it checks that every operator comes back as a layer and that the
exported trace replays, never a wall time (which depends on the machine and its load).
"""

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

def block(i):
    """Ten operators: conv, pool, fc, matmul, softmax, layernorm, rmsnorm, rotary, attention, residual add."""
    p = f"b{i}."
    prev = f"b{i - 1}.add" if i > 0 else None
    inputs = [prev] if prev else []
    return [
        {"name": p + "conv", "op": "conv2d", "inputs": inputs, "input": [8, 8, 16], "out_channels": 16,
         "kernel": [3, 3], "pads": [1, 1, 1, 1], "activation": "relu"},
        {"name": p + "pool", "op": "maxpool", "inputs": [p + "conv"], "input": [8, 8, 16], "kernel": [2, 2],
         "stride": [2, 2]},
        {"name": p + "fc", "op": "fc", "inputs": [p + "pool"], "m": 16, "n": 64, "k": 64, "bias": True},
        {"name": p + "qk", "op": "matmul", "inputs": [p + "fc"], "batch": 2, "m": 16, "n": 16, "k": 32,
         "b_is_weight": False},
        {"name": p + "softmax", "op": "softmax", "inputs": [p + "qk"], "rows": 32, "width": 16},
        {"name": p + "ln", "op": "layernorm", "inputs": [p + "fc"], "rows": 16, "width": 64},
        {"name": p + "rms", "op": "rmsnorm", "inputs": [p + "ln"], "rows": 16, "width": 64},
        {"name": p + "rope", "op": "rotary", "inputs": [p + "rms"], "tokens": 16, "heads": 2, "head_dim": 32},
        {"name": p + "att", "op": "attention", "inputs": [p + "rope", p + "softmax"], "heads": 2, "head_dim": 32,
         "q_len": 16, "causal": True},
        {"name": p + "add", "op": "eltwise", "inputs": [p + "att"] + inputs, "function": "add", "elements": 1024,
         "operands": 2},
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--npusim", required=True)
    parser.add_argument("--operators", type=int, default=10000)
    parser.add_argument("--keep", help="write the trace and results here instead of a temporary folder")
    parser.add_argument("--limit-s", type=float,
                        help="benchmark mode: fail when import and replay beyond the simulation take longer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="npusim_bench_") as tmp:
        work = args.keep or tmp
        os.makedirs(work, exist_ok=True)
        ops = []
        i = 0
        while len(ops) < args.operators:
            ops.extend(block(i))
            i += 1
        ops = ops[: args.operators]
        trace = {"format": "npusim-trace", "version": 1, "name": f"synthetic-{len(ops)}", "operators": ops,
                 "requests": [{"arrival_ns": 1000 * r, "batch": 1} for r in range(100)]}
        path = os.path.join(work, "big.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(trace, f)
        stats_path = os.path.join(work, "host_stats.json")
        start = time.monotonic()
        harness.run([args.npusim, "run", "--npu", "edge-int8", "--quiet", "--workload", path,
                     "--host-stats", stats_path, "--out", os.path.join(work, "out")])
        wall = time.monotonic() - start
        with open(stats_path, encoding="utf-8") as f:
            stats = json.load(f)
        start = time.monotonic()
        harness.run([args.npusim, "export-trace", "--workload", path, "--out", os.path.join(work, "again.json")])
        export_wall = time.monotonic() - start
        simulate = stats.get("simulate_s", 0.0)
        print(f"trace: {len(ops)} operators, {os.path.getsize(path) / 1e6:.1f} MB")
        print(f"npusim run: wall {wall:.3f} s = load {stats.get('load_s', 0):.3f} + map {stats.get('map_s', 0):.3f} + "
              f"simulate {simulate:.3f} + report {stats.get('report_s', 0):.3f} (+ process start, writing files); "
              f"{stats.get('simulated_cycles', 0)} cycles, peak RSS {stats.get('peak_rss_bytes', 0) / 1e6:.0f} MB")
        print(f"npusim export-trace (import + write): wall {export_wall:.3f} s")
        with open(os.path.join(work, "out", "result.json"), encoding="utf-8") as f:
            layers = json.load(f)["layers"]
        harness.check(len(layers) == len(ops), f"{len(layers)} layers for {len(ops)} operators")
        harness.check([layer["name"] for layer in layers] == [op["name"] for op in ops],
                      "layers in trace order, named after their operators")
        with open(os.path.join(work, "again.json"), encoding="utf-8") as f:
            harness.check(len(json.load(f)["operators"]) == len(ops), "export-trace keeps every operator")
        if args.limit_s is not None:
            harness.check(wall - simulate < args.limit_s,
                          f"import and replay beyond the simulation: {wall - simulate:.3f} s < {args.limit_s} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
