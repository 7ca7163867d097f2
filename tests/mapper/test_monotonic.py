#!/usr/bin/env python3
"""ctest: more of a resource is never slower. For every zoo network (at a reduced size that keeps all of
its layer kinds: CNNs at a lower resolution, transformers with one block) on every NPU preset, doubles
the scratchpad (npu.sram.capacity_bytes), the DRAM bandwidth (npu.dram.bandwidth_gbytes_per_s) and the
MAC arrays per core (npu.array.count) one at a time, and fails when the simulated cycles rise by more
than 1% over the preset's own. SCALE-Sim timing mode models one array, so scalesim-google skips the
array step. `--presets`/`--workloads` narrow it; `--jobs` runs that many simulations at once."""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

PRESETS = ["edge-int8", "datacenter-bf16", "tpu-v1", "tpu-v4", "scalesim-google", "furiosa-warboy",
           "furiosa-rngd", "rebellions-atom", "rebellions-rebel-quad", "deepx-dx-m1", "mobilint-aries"]
WORKLOADS = ["resnet50:resolution=128", "mobilenetv2:resolution=128", "yolov5s:resolution=256",
             "bert-base:layers=1", "bert-large:layers=1", "gpt2:layers=1", "vit-b16:layers=1",
             "llama2-7b:layers=1,seq=128", "llama3.1-8b:layers=1,seq=128"]
TOLERANCE = 0.01


def resolved(npusim, preset):
    with tempfile.TemporaryDirectory(prefix="npusim_mono_") as out:
        path = os.path.join(out, "resolved.json")
        with open(path, "w", encoding="utf-8") as f:
            subprocess.run([npusim, "validate", preset, "--print"], stdout=f, check=True)
        with open(path, encoding="utf-8") as f:
            resolved_config = json.load(f)
    return resolved_config.get("npu", resolved_config)  # `validate --print` nests the NPU under "npu"


def steps(config):
    """(label, --set assignment) for each resource doubled."""
    out = [("sram x2", f"npu.sram.capacity_bytes={2 * config['sram']['capacity_bytes']}"),
           ("dram bandwidth x2", f"npu.dram.bandwidth_gbytes_per_s={2 * config['dram']['bandwidth_gbytes_per_s']}")]
    if config["timing"]["mode"] != "scalesim":
        out.append(("arrays x2", f"npu.array.count={2 * config['array'].get('count', 1)}"))
    return out


def cycles(npusim, preset, workload, assignment):
    extra = ["--set", assignment] if assignment else []
    with tempfile.TemporaryDirectory(prefix="npusim_mono_") as out:
        done = subprocess.run([npusim, "run", "--npu", preset, "--workload", workload, "--gpu", "none",
                               "--quiet", "--out", out, *extra], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return None, (done.stderr or done.stdout).strip()
        with open(os.path.join(out, "result.json"), encoding="utf-8") as f:
            return json.load(f)["totals"]["cycles"], ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--npusim", required=True)
    parser.add_argument("--presets", default=",".join(PRESETS))
    parser.add_argument("--workloads", default=";".join(WORKLOADS), help="separated by ;")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    jobs = []
    for preset in args.presets.split(","):
        config = resolved(args.npusim, preset)
        for workload in args.workloads.split(";"):
            jobs.append((preset, workload, "base", ""))
            jobs += [(preset, workload, label, assignment) for label, assignment in steps(config)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda j: cycles(args.npusim, j[0], j[1], j[3]), jobs))
    base, failures, checked = {}, [], 0
    for (preset, workload, label, _), (value, error) in zip(jobs, results):
        if value is None:
            failures.append(f"{preset} {workload} {label}: {error}")
        elif label == "base":
            base[(preset, workload)] = value
    for (preset, workload, label, assignment), (value, _) in zip(jobs, results):
        reference = base.get((preset, workload))
        if label == "base" or value is None or reference is None:
            continue
        checked += 1
        if value > reference * (1 + TOLERANCE):
            failures.append(f"{preset} {workload}: {label} ({assignment}) takes {value} cycles, "
                            f"{value / reference - 1:+.1%} over {reference}")
    for line in failures:
        print("FAIL:", line)
    print(f"{checked} resource steps checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
