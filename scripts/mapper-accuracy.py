#!/usr/bin/env python3
"""The mapper's cycle estimate against its simulation, per layer, over zoo models x NPU presets.

Runs `npusim run --npu PRESET --workload MODEL --gpu none --out TMP` for each pair and compares each
layer row's `mapper_estimated_cycles` (the closed form the mapper ranks candidates with) with its
simulated `cycles`. Prints, per preset and over all, the share of layers within 5/10/20% and the
median/P90/P99 of the relative error |estimate - simulated| / simulated, then the worst layers.

  scripts/mapper-accuracy.py --npusim build/npusim [--presets a,b] [--workloads m1,m2] [--jobs 2] [--json FILE]
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

PRESETS = ["edge-int8", "datacenter-bf16", "tpu-v1", "tpu-v4", "scalesim-google", "furiosa-warboy",
           "furiosa-rngd", "rebellions-atom", "rebellions-rebel-quad", "deepx-dx-m1", "mobilint-aries"]
# Every zoo network at its default shape (transformers at their default sequence length).
WORKLOADS = ["resnet50", "mobilenetv2", "yolov5s", "bert-base", "bert-large", "gpt2", "vit-b16",
             "llama2-7b", "llama3.1-8b"]


def run_layers(npusim, preset, workload, extra):
    with tempfile.TemporaryDirectory(prefix="npusim_acc_") as out:
        cmd = [npusim, "run", "--npu", preset, "--workload", workload, "--gpu", "none", "--quiet",
               "--out", out, *extra]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return preset, workload, None, done.stderr.strip().splitlines()[-1:] or ["exit %d" % done.returncode]
        with open(os.path.join(out, "result.json"), encoding="utf-8") as f:
            result = json.load(f)
    rows = [(row["name"], row["cycles"], row["mapper_estimated_cycles"]) for row in result["layers"]]
    return preset, workload, rows, None


def quantile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def summary(errors):
    errors = sorted(errors)
    n = len(errors)
    share = lambda limit: sum(1 for e in errors if e <= limit) / n if n else float("nan")  # noqa: E731
    return {"layers": n, "within_5pct": share(0.05), "within_10pct": share(0.10), "within_20pct": share(0.20),
            "p50": quantile(errors, 0.5), "p90": quantile(errors, 0.9), "p99": quantile(errors, 0.99),
            "max": errors[-1] if errors else float("nan")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npusim", default="build/npusim")
    parser.add_argument("--presets", default=",".join(PRESETS))
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--worst", type=int, default=10, help="worst layers to list")
    parser.add_argument("--json", help="write the per-preset summaries here")
    parser.add_argument("extra", nargs="*", help="more npusim run arguments, after --")
    args = parser.parse_args()
    pairs = [(p, w) for p in args.presets.split(",") for w in args.workloads.split(",")]
    per_preset, every, worst, failures = {}, [], [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for preset, workload, rows, error in pool.map(lambda pw: run_layers(args.npusim, *pw, args.extra), pairs):
            if rows is None:
                failures.append(f"{preset} {workload}: {error[0] if error else '?'}")
                continue
            for name, cycles, estimate in rows:
                err = abs(estimate - cycles) / cycles if cycles > 0 else 0.0
                per_preset.setdefault(preset, []).append(err)
                every.append(err)
                worst.append((err, preset, workload, name, cycles, estimate))
    report = {preset: summary(errs) for preset, errs in per_preset.items()}
    report["all"] = summary(every)
    print(f"{'preset':<24} {'layers':>6} {'<=5%':>6} {'<=10%':>6} {'<=20%':>6} {'p50':>7} {'p90':>7} {'p99':>7} {'max':>7}")
    for name, s in report.items():
        print(f"{name:<24} {s['layers']:>6} {s['within_5pct']:>6.1%} {s['within_10pct']:>6.1%} "
              f"{s['within_20pct']:>6.1%} {s['p50']:>7.1%} {s['p90']:>7.1%} {s['p99']:>7.1%} {s['max']:>7.1%}")
    print("worst layers (error, preset, workload, layer, simulated, estimate):")
    for err, preset, workload, name, cycles, estimate in sorted(worst, reverse=True)[: args.worst]:
        print(f"  {err:7.1%} {preset} {workload} {name} {cycles} {estimate}")
    for line in failures:
        print("failed:", line, file=sys.stderr)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
