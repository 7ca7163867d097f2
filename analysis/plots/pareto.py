#!/usr/bin/env python3
"""Pareto plot of a sweep's results.csv (`npusim sweep`): every finished point for two metrics, the
non-dominated ones joined and labelled with their axis values. A metric is better larger when its name
says so (utilization, tops, inferences per s or J, speed-up, x_over_y ratios), smaller otherwise.

    python3 analysis/plots/pareto.py sweeps/x/results.csv --x energy_per_inference_j --y time_s --out pareto.png
"""

import argparse

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results_csv")
    parser.add_argument("--x", default="energy_per_inference_j")
    parser.add_argument("--y", default="time_s")
    parser.add_argument("--out", default="pareto.png")
    args = parser.parse_args()
    pd, plt = plot_common.imports()
    frame = plot_common.load_csv(pd, args.results_csv, [args.x, args.y])
    if "status" in frame.columns:
        frame = frame[frame["status"] == "ok"]
    frame = frame.dropna(subset=[args.x, args.y])
    if frame.empty:
        plot_common.fail(f"{args.results_csv}: no finished points with {args.x} and {args.y}")
    axes = [c for c in frame.columns if "." in c or c in ("workload", "batch", "dtype")]
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
        ax.annotate(label, points[i], fontsize=6, xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel(f"{args.x} ({'higher' if max_x else 'lower'} is better)")
    ax.set_ylabel(f"{args.y} ({'higher' if max_y else 'lower'} is better)")
    ax.set_title(f"Pareto front: {args.results_csv}")
    ax.legend()
    ax.grid(True, alpha=0.3)
    plot_common.save(fig, args.out)


if __name__ == "__main__":
    main()
