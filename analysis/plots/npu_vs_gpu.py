#!/usr/bin/env python3
"""NPU vs GPU bars from an npusim result.json: inferences/s, inferences/J (GPU at modelled average power
and at TDP) and TOPS/W per workload, from each workload's "comparison" section. Skips (exit 0, no file)
when the run has no GPU comparison.

    python3 analysis/plots/npu_vs_gpu.py out/result.json --out npu_vs_gpu.png
"""

import plot_common


def main():
    parser = plot_common.argument_parser(__doc__, "result_json", "npu_vs_gpu.png")
    args = parser.parse_args()
    _, plt = plot_common.imports()
    result = plot_common.load_json(args.result_json)
    rows = [w for w in result.get("workloads", []) if isinstance(w.get("comparison"), dict)
            and isinstance(w["comparison"].get("gpu"), dict)]
    if not rows:
        plot_common.skip(f"{args.result_json} has no NPU-vs-GPU comparison")
    gpu_name = rows[0]["comparison"]["gpu"].get("gpu", "GPU")
    npu_name = result.get("npu", {}).get("config", {}).get("name", "NPU")
    panels = [("inferences_per_s", "inferences/s"), ("inferences_per_j", "inferences/J"), ("tops_per_w", "TOPS/W")]
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4.5))
    width = 0.27
    for ax, (key, label) in zip(axes, panels):
        xs = range(len(rows))
        npu = [w["totals"].get(key, 0) for w in rows]
        gpu = [w["comparison"]["gpu"].get(key, 0) for w in rows]
        ax.bar([x - width for x in xs], npu, width, label=npu_name, color="#4477aa")
        ax.bar(list(xs), gpu, width, label=f"{gpu_name} (modelled power)", color="#ee6677")
        at_tdp = [w["comparison"]["gpu"].get(key + "_at_tdp") for w in rows]
        if all(v is not None for v in at_tdp):
            ax.bar([x + width for x in xs], at_tdp, width, label=f"{gpu_name} at TDP", color="#ccbb44")
        ax.set_xticks(list(xs))
        ax.set_xticklabels([w["name"] for w in rows], rotation=30)
        ax.set_title(label)
        ax.set_yscale("log")
    handles, labels = max((ax.get_legend_handles_labels() for ax in axes), key=lambda hl: len(hl[1]))
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8, bbox_to_anchor=(0.5, -0.12))
    fig.suptitle(f"{npu_name} vs {gpu_name}")
    plot_common.save(fig, args.out)


if __name__ == "__main__":
    main()
