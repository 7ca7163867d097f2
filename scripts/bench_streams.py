#!/usr/bin/env python3
"""Benchmark of `npusim serve` streams (issue 15): one simulated hour of 64 cameras at 30 fps on an edge
preset, timed wall to wall (target <= 30 s). Frame costs are simulated once per distinct (model, batch,
core count) in worker processes and reused for all 6.9 M frames; the figure printed is the whole command.

    scripts/bench_streams.py --npusim build/npusim [--npu mobilint-aries] [--model mobilenetv2] [--hours 1]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npusim", default="build/npusim")
    parser.add_argument("--npu", default="mobilint-aries")
    parser.add_argument("--model", default="mobilenetv2")
    parser.add_argument("--cameras", type=int, default=64)
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--policy", default="edf")
    parser.add_argument("--frame-batch", default="8")
    parser.add_argument("--gpu", default="jetson-agx-orin")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        traffic = os.path.join(scratch, "cameras.json")
        with open(traffic, "w") as f:
            json.dump({"streams": [{"name": "cam", "model": args.model, "rate_hz": args.fps,
                                    "count": args.cameras, "jitter_s": 0.002}]}, f)
        out = os.path.join(scratch, "out")
        command = [args.npusim, "serve", "--npu", args.npu, "--gpu", args.gpu, "--traffic", traffic,
                   "--policy", args.policy, "--frame-batch", args.frame_batch,
                   "--duration-s", str(3600.0 * args.hours), "--out", out]
        start = time.monotonic()
        subprocess.run(command, check=True)
        wall = time.monotonic() - start
        with open(os.path.join(out, "result.json")) as f:
            result = json.load(f)
    frames = sum(s["frames"] for s in result["streams"]) + sum(s["frames"] for s in result.get("gpu_streams", []))
    print(f"{args.cameras} cameras x {args.fps:g} fps x {args.hours:g} h of {args.model} on {args.npu} "
          f"(and {args.gpu}): {frames} frames in {wall:.1f} s wall (target <= 30 s)")
    return 0 if wall <= 30.0 else 1


if __name__ == "__main__":
    sys.exit(main())
