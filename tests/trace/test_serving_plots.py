#!/usr/bin/env python3
"""ctest: the serving plots (analysis/plots/serving_knee.py, latency_cdf.py) render headless from a real
`npusim serve --find-max-rate` run: each writes a PNG of at least 400x300 pixels; the knee plot skips
(exit 0, no file) for a run without a capacity search; bad input is a one-line error with exit 2.
Skips (77) without python3-pandas and python3-matplotlib."""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from test_plots import check_png  # noqa: E402


def main():
    args = harness.parse_args(source_dir=True)
    plot = harness.plot_runner(args.source_dir)

    with tempfile.TemporaryDirectory(prefix="npusim_serving_plots_") as tmp:
        out = os.path.join(tmp, "serve")
        # A 2-layer Llama-3.1-8B on RNGD and the H100: small tables, the real shapes.
        harness.run([args.npusim, "serve", "--npu", "furiosa-rngd", "--model", "llama3.1-8b:layers=2", "--quiet",
                     "--rate", "20", "--requests", "200", "--input-tokens", "uniform:32:256",
                     "--output-tokens", "uniform:8:64", "--max-num-seqs", "32", "--max-batched-tokens", "1024",
                     "--validation-steps", "4", "--slo", "ttft_p90_s=0.2,tpot_p99_s=0.02", "--find-max-rate",
                     "--out", out])
        result = os.path.join(out, "result.json")
        knee = os.path.join(tmp, "knee.png")
        plot("serving_knee.py", result, "--out", knee)
        cdf = os.path.join(tmp, "cdf.png")
        plot("latency_cdf.py", os.path.join(out, "requests.csv"), "--out", cdf)
        check_png(knee)
        check_png(cdf)

        # No capacity search: the knee plot skips and writes nothing.
        with open(result, encoding="utf-8") as f:
            bare = json.load(f)
        bare.pop("find_max_rate")
        bare_path = os.path.join(tmp, "bare.json")
        with open(bare_path, "w", encoding="utf-8") as f:
            json.dump(bare, f)
        skipped = os.path.join(tmp, "skipped.png")
        proc = plot("serving_knee.py", bare_path, "--out", skipped)
        harness.check("skipped" in proc.stdout and not os.path.exists(skipped), f"knee skips: {proc.stdout.strip()}")

        # Bad input: result.json where requests.csv is expected; one line, exit 2.
        proc = plot("latency_cdf.py", result, "--out", os.path.join(tmp, "bad.png"), expect=2)
        harness.check(proc.stdout.strip().count("\n") == 0 and ": error: " in proc.stdout,
                      f"bad input: {proc.stdout.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
