#!/usr/bin/env python3
"""Per-layer time breakdown from an npusim layers.csv: compute (engine busy) vs memory stall vs other
stalls (dependencies, drain), one stacked bar per layer, as a share of total cycles in the title.

    python3 analysis/plots/layer_breakdown.py out/layers.csv --out breakdown.png
"""

import plot_common

COLUMNS = ["index", "workload", "name", "cycles", "engine_busy_cycles", "stall_memory_cycles",
           "stall_dependency_cycles", "stall_drain_cycles"]


def main():
    parser = plot_common.argument_parser(__doc__, "layers_csv", "layer_breakdown.png")
    parser.add_argument("--workload", help="plot this workload only (default: the first in the file)")
    args = parser.parse_args()
    pd, plt = plot_common.imports()
    frame = plot_common.load_csv(pd, args.layers_csv, COLUMNS)
    workload = args.workload or frame["workload"].iloc[0]
    frame = frame[frame["workload"] == workload]
    if frame.empty:
        plot_common.fail(f"{args.layers_csv}: no layers of workload '{workload}'")

    compute = frame["engine_busy_cycles"]
    memory = frame["stall_memory_cycles"]
    other = (frame["cycles"] - compute - memory).clip(lower=0)  # dependency waits and store drains
    total = frame["cycles"].sum()
    fig, ax = plt.subplots(figsize=(max(8, 0.18 * len(frame) + 4), 5))
    x = range(len(frame))
    ax.bar(x, compute, label=f"compute ({100 * compute.sum() / total:.1f}%)", color="#4477aa")
    ax.bar(x, memory, bottom=compute, label=f"memory stall ({100 * memory.sum() / total:.1f}%)", color="#ee6677")
    ax.bar(x, other, bottom=compute + memory, label=f"other stall ({100 * other.sum() / total:.1f}%)",
           color="#ccbb44")
    ax.set_xlabel("layer")
    ax.set_ylabel("cycles")
    ax.set_title(f"{workload}: per-layer cycles, {total:,} in total")
    if len(frame) <= 80:
        ax.set_xticks(list(x))
        ax.set_xticklabels(frame["name"], rotation=90, fontsize=6)
    ax.legend()
    plot_common.save(fig, args.out)


if __name__ == "__main__":
    main()
