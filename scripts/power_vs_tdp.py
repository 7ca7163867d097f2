#!/usr/bin/env python3
"""Modeled average and peak power of every NPU preset on its reference workloads against its TDP, and
modeled vs published die area: a Markdown table for the README (issue 11's acceptance numbers).

usage: scripts/power_vs_tdp.py [--npusim build/npusim] [--presets a,b] [--extra-set npu.x=v ...]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

WORKLOADS = [
    ("resnet50 b8", ["--workload", "resnet50", "--batch", "8"]),
    ("bert-base", ["--workload", "bert-base"]),
    ("llama3.1-8b decode b32", ["--workload", "llama3.1-8b:seq=1,past=511", "--batch", "32"]),
]


def run(npusim, preset, args, extra, out):
    command = [npusim, "run", "--npu", preset, "--gpu", "none", "--quiet", "--out", out] + args
    for assignment in extra:
        command += ["--set", assignment]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return None, done.stdout.strip() + done.stderr.strip()
    return json.loads(pathlib.Path(out, "result.json").read_text()), ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--npusim", default="build/npusim")
    parser.add_argument("--presets", default="")
    parser.add_argument("--extra-set", action="append", default=[])
    options = parser.parse_args()
    presets = options.presets.split(",") if options.presets else sorted(
        p.stem for p in pathlib.Path("configs/npu").glob("*.json") if p.stem != "scalesim-google")
    print("| preset | die mm2 (published, error) | idle W | TDP W | workload | average W | peak W | vs TDP |")
    print("|---|---|---|---|---|---|---|---|")
    for preset in presets:
        for name, args in WORKLOADS:
            with tempfile.TemporaryDirectory() as out:
                result, error = run(options.npusim, preset, args, options.extra_set, out)
            if result is None:
                print(f"| {preset} | | | | {name} | error: {error[:80]} | | |")
                continue
            totals, power = result["totals"], result["power"]
            published = power["published_die_mm2"]
            area = f"{power['die_area_mm2']:.0f}" + (
                f" ({published:.0f}, {power['die_area_error_percent']:+.0f}%)" if published else "")
            tdp = totals["tdp_w"]
            worst = max(totals["average_power_w"], totals["peak_power_w"])
            verdict = "no TDP" if tdp is None else (
                "within" if worst <= tdp else f"exceeds by {worst - tdp:.3g} W ({100 * (worst / tdp - 1):.0f}%)")
            print(f"| {preset} | {area} | {power['idle_power_w']:.3g} | {tdp if tdp is not None else '-'} | {name} | "
                  f"{totals['average_power_w']:.3g} | {totals['peak_power_w']:.3g} | {verdict} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
