#!/usr/bin/env python3
"""ctest: the plot scripts (analysis/plots) render headless (MPLBACKEND=Agg) from a real run and a real
sweep: each writes a PNG of a sensible size and at least 400x300 pixels; the energy and GPU plots skip
cleanly (exit 0, no file) when their sections are absent; bad input is a one-line error with exit 2.
Skips (77) without python3-pandas and python3-matplotlib."""

import json
import os
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

MIN_BYTES = 8000


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def check_png(path):
    harness.check(os.path.exists(path), f"{os.path.basename(path)} written")
    size = png_size(path)
    nbytes = os.path.getsize(path)
    harness.check(size is not None and size[0] >= 400 and size[1] >= 300 and nbytes > MIN_BYTES,
                  f"{os.path.basename(path)}: PNG {size}, {nbytes} bytes")


def check_gpu_sweep_pareto(npusim, tmp, plot):
    """A 100-point sweep with a GPU baseline: its results.csv has ~30 comparison.* columns, which must not
    become labels. The figure is 8 x 6 in at 120 dpi (960 x 720 before tight cropping), so it stays
    within 1000 x 800 pixels, and only the varying design axes label the points."""
    spec = os.path.join(tmp, "sweep100.json")
    with open(spec, "w", encoding="utf-8") as f:
        json.dump({"name": "plots100", "npu": "edge-int8", "gpu": "a100-sxm4-80gb",
                   "workloads": ["gemm:m=64,n=64,k=128"],
                   "axes": [{"zip": [{"path": "npu.array.rows", "values": [4, 8, 16, 32, 64]},
                                     {"path": "npu.array.cols", "values": [4, 8, 16, 32, 64]}]},
                            {"path": "npu.dram.bandwidth_gbytes_per_s", "values": [3.2, 6.4, 12.8, 25.6, 51.2]},
                            {"path": "npu.sram.capacity_bytes", "values": [131072, 262144, 524288, 1048576]}]}, f)
    sweep_dir = os.path.join(tmp, "sweep100")
    harness.run([npusim, "sweep", spec, "--out", sweep_dir, "-j", "2"])
    with open(os.path.join(sweep_dir, "results.csv"), encoding="utf-8") as f:
        header = f.readline().strip().split(",")
        rows = sum(1 for _ in f)
    harness.check(rows == 100 and any(c.startswith("comparison.gpu.") for c in header),
                  f"100-point sweep with a GPU baseline: {rows} rows")
    out = os.path.join(tmp, "pareto100.png")
    proc = plot("pareto.py", os.path.join(sweep_dir, "results.csv"), "--x", "energy_per_inference_j", "--y",
                "inferences_per_s", "--out", out)
    axes_line = next((line for line in proc.stdout.splitlines() if line.startswith("design axes: ")), "")
    harness.check(axes_line == "design axes: npu.array.rows, npu.array.cols, npu.dram.bandwidth_gbytes_per_s, "
                  "npu.sram.capacity_bytes", f"labels use the design axes only: {axes_line}")
    size = png_size(out)
    harness.check(size is not None and 400 <= size[0] <= 1000 and 300 <= size[1] <= 800,
                  f"pareto of 100 points with a GPU baseline: PNG {size}")


def main():
    args = harness.parse_args(source_dir=True)
    plot = harness.plot_runner(args.source_dir)

    with tempfile.TemporaryDirectory(prefix="npusim_plots_") as tmp:
        run_dir = os.path.join(tmp, "run")
        harness.run([args.npusim, "run", "--npu", "edge-int8", "--quiet", "--workload", "resnet50",
                     "--workload", "gemm:m=256,n=256,k=256", "--out", run_dir])
        result = os.path.join(run_dir, "result.json")
        outputs = {}
        for script, source in (("layer_breakdown.py", os.path.join(run_dir, "layers.csv")),
                               ("roofline.py", result), ("energy_breakdown.py", result), ("npu_vs_gpu.py", result)):
            out = os.path.join(tmp, script.replace(".py", ".png"))
            plot(script, source, "--out", out)
            outputs[script] = out

        # A real sweep when this build has one; its results.csv feeds the Pareto plot.
        spec = os.path.join(tmp, "sweep.json")
        with open(spec, "w", encoding="utf-8") as f:
            json.dump({"name": "plots", "npu": "edge-int8", "workloads": ["gemm:m=128,n=128,k=512"],
                       "axes": [{"zip": [{"path": "npu.array.rows", "values": [8, 16, 32]},
                                         {"path": "npu.array.cols", "values": [8, 16, 32]}]},
                                {"path": "npu.dram.bandwidth_gbytes_per_s", "values": [6.4, 25.6]}]}, f)
        sweep_dir = os.path.join(tmp, "sweep")
        harness.run([args.npusim, "sweep", spec, "--out", sweep_dir, "-j", "2"])
        out = os.path.join(tmp, "pareto.png")
        plot("pareto.py", os.path.join(sweep_dir, "results.csv"), "--x", "energy_per_inference_j", "--y",
             "inferences_per_s", "--out", out)
        outputs["pareto.py"] = out
        check_gpu_sweep_pareto(args.npusim, tmp, plot)
        for path in outputs.values():
            check_png(path)

        # Optional sections absent: skipped, nothing written.
        with open(result, encoding="utf-8") as f:
            bare = json.load(f)
        bare.pop("energy", None)
        bare.pop("gpu", None)
        for w in bare["workloads"]:
            w.pop("comparison", None)
        bare_path = os.path.join(tmp, "bare.json")
        with open(bare_path, "w", encoding="utf-8") as f:
            json.dump(bare, f)
        for script in ("energy_breakdown.py", "npu_vs_gpu.py"):
            out = os.path.join(tmp, "bare_" + script.replace(".py", ".png"))
            proc = plot(script, bare_path, "--out", out)
            harness.check("skipped" in proc.stdout and not os.path.exists(out), f"{script} skips: {proc.stdout.strip()}")

        # Bad input: one line, exit 2.
        proc = plot("layer_breakdown.py", result, "--out", os.path.join(tmp, "bad.png"), expect=2)
        harness.check(proc.stdout.strip().count("\n") == 0 and ": error: " in proc.stdout and "expected" in proc.stdout,
                      f"bad input: {proc.stdout.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
