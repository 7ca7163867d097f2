#!/usr/bin/env python3
"""Roofline of an npusim run with each layer placed: operational intensity (ops per DRAM byte) against
achieved ops/s, under the array's peak (2 ops per MAC per PE per cycle) and the DRAM bandwidth roof.
Array layers count 2 x MACs; vector-unit layers count their vector ops and are drawn with crosses.

    python3 analysis/plots/roofline.py out/result.json --out roofline.png
"""

import plot_common


def main():
    parser = plot_common.argument_parser(__doc__, "result_json", "roofline.png")
    args = parser.parse_args()
    pd, plt = plot_common.imports()
    result = plot_common.load_json(args.result_json)
    try:
        config = result["npu"]["config"]
        peak_ops = result["totals"]["peak_tops"] * 1e12
        bandwidth = config["dram"]["bandwidth_gbytes_per_s"] * 1e9
        layers = pd.DataFrame(result["layers"])
    except (KeyError, TypeError) as error:
        plot_common.fail(f"{args.result_json}: expected an npusim result.json (missing {error})")
    for column in ("macs", "vector_ops", "time_s", "dram_read_bytes", "dram_write_bytes", "bound", "name"):
        if column not in layers.columns:
            plot_common.fail(f"{args.result_json}: layers lack '{column}'")
    layers = layers[layers["time_s"] > 0]
    dram = (layers["dram_read_bytes"] + layers["dram_write_bytes"]).clip(lower=1)
    array = layers["macs"] > 0
    ops = (2 * layers["macs"]).where(array, layers["vector_ops"])
    intensity = ops / dram
    achieved = ops / layers["time_s"]

    fig, ax = plt.subplots(figsize=(8, 6))
    lo = max(min(intensity[ops > 0].min(), peak_ops / bandwidth) / 10, 1e-3) if (ops > 0).any() else 1e-2
    hi = max(intensity.max(), peak_ops / bandwidth) * 10
    xs = [lo, peak_ops / bandwidth, hi]
    ax.plot(xs, [min(peak_ops, bandwidth * x) for x in xs], color="black", linewidth=1.5,
            label=f"roof: {peak_ops / 1e12:.2f} TOPS, {bandwidth / 1e9:.1f} GB/s")
    for bound, color in (("compute", "#4477aa"), ("memory", "#ee6677")):
        sel = array & (layers["bound"] == bound) & (ops > 0)
        ax.scatter(intensity[sel], achieved[sel], s=18, color=color, label=f"array layers, {bound}-bound")
    vec = (~array) & (ops > 0)
    if vec.any():
        ax.scatter(intensity[vec], achieved[vec], s=18, marker="x", color="#228833", label="vector-unit layers")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("operational intensity (ops per DRAM byte)")
    ax.set_ylabel("achieved ops/s")
    names = ", ".join(w["name"] for w in result.get("workloads", []))
    ax.set_title(f"Roofline: {names} on {config.get('name', 'npu')}")
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    plot_common.save(fig, args.out)


if __name__ == "__main__":
    main()
