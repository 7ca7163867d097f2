#!/usr/bin/env python3
"""Pareto plot of a sweep's results.csv (`npusim sweep`): every finished point for two metrics, the
non-dominated ones joined and labelled with the design axes that vary (the columns between `id` and
`status`; metrics and the GPU baseline's comparison.* columns are never labels). A metric is better
larger when its name says so (utilization, tops, inferences per s or J, speed-up, x_over_y ratios),
smaller otherwise. The figure is 8 x 6 inches at 120 dpi whatever the labels.

    python3 analysis/plots/pareto.py sweeps/x/results.csv --x energy_per_inference_j --y time_s --out pareto.png
"""

import plot_common

HIGHER_IS_BETTER = ("utilization", "tops", "inferences_per_s", "inferences_per_j", "speedup", "_over_")


def higher_is_better(metric):
    return any(word in metric for word in HIGHER_IS_BETTER) and not metric.endswith("_j_per_inference")


def pareto_front(points, max_x, max_y):
    """Indices of non-dominated points, by x from best to worst."""
    def better(a, b, maximize):
        return a > b if maximize else a < b
    def no_worse(a, b, maximize):
        return a >= b if maximize else a <= b
    front = []
    for i, (xi, yi) in enumerate(points):
        dominated = any(no_worse(xj, xi, max_x) and no_worse(yj, yi, max_y)
                        and (better(xj, xi, max_x) or better(yj, yi, max_y)) for xj, yj in points)
        if not dominated:
            front.append(i)
    return sorted(front, key=lambda i: -points[i][0] if max_x else points[i][0])


def design_axes(frame):
    """The design axes of a results.csv: the columns between id and status (npusim sweep writes id, axes,
    status, error, NPU metrics, then comparison.* baseline metrics); without that layout, the dotted
    config paths other than comparison.* and the run options workload, batch and dtype."""
    columns = list(frame.columns)
    if columns and columns[0] == "id" and "status" in columns:
        return columns[1:columns.index("status")]
    return [c for c in columns if ("." in c and not c.startswith("comparison.")) or c in ("workload", "batch", "dtype")]


def varying(frame, columns):
    return [c for c in columns if frame[c].nunique(dropna=False) > 1]


def main():
    parser = plot_common.argument_parser(__doc__, "results_csv", "pareto.png")
    parser.add_argument("--x", default="energy_per_inference_j")
    parser.add_argument("--y", default="time_s")
    args = parser.parse_args()
    pd, plt = plot_common.imports()
    frame = plot_common.load_csv(pd, args.results_csv, [args.x, args.y])
    if "status" in frame.columns:
        frame = frame[frame["status"] == "ok"]
    frame = frame.dropna(subset=[args.x, args.y])
    if frame.empty:
        plot_common.fail(f"{args.results_csv}: no finished points with {args.x} and {args.y}")
    axes = varying(frame, design_axes(frame))
    print("design axes: " + (", ".join(axes) if axes else "(none vary)"))
    max_x, max_y = higher_is_better(args.x), higher_is_better(args.y)
    points = list(zip(frame[args.x], frame[args.y]))
    front = pareto_front(points, max_x, max_y)

    fig, ax = plt.subplots(figsize=(8, 6))
    ax.scatter(frame[args.x], frame[args.y], s=16, color="#bbbbbb", label=f"{len(frame)} design points")
    fx = [points[i][0] for i in front]
    fy = [points[i][1] for i in front]
    ax.plot(fx, fy, "o-", color="#ee6677", label=f"Pareto front ({len(front)})")
    for i in front:
        row = frame.iloc[i]
        label = ", ".join(f"{c.split('.')[-1]}={row[c]}" for c in axes if c != "workload")
        note = ax.annotate(label, points[i], fontsize=6, xytext=(4, 4), textcoords="offset points")
        note.set_in_layout(False)  # a long label must not widen the saved figure
        note.set_clip_on(True)
    ax.set_xlabel(f"{args.x} ({'higher' if max_x else 'lower'} is better)")
    ax.set_ylabel(f"{args.y} ({'higher' if max_y else 'lower'} is better)")
    ax.set_title(f"Pareto front: {args.results_csv}")
    ax.legend()
    ax.grid(True, alpha=0.3)
    plot_common.save(fig, args.out)


if __name__ == "__main__":
    main()
