#!/usr/bin/env python3
"""Latency CDFs of an `npusim serve` run: TTFT, TPOT and end-to-end latency, one curve per device, from
requests.csv (one row per request and device).

    python3 analysis/plots/latency_cdf.py out/requests.csv --out latency_cdf.png
"""

import plot_common

COLORS = {"npu": "#4477aa", "gpu": "#ee6677"}
PANELS = [("ttft_s", "TTFT"), ("tpot_s", "TPOT (time between tokens)"), ("e2e_s", "end-to-end latency")]


def main():
    parser = plot_common.argument_parser(__doc__, "requests_csv", "latency_cdf.png")
    args = parser.parse_args()
    pd, plt = plot_common.imports()
    frame = plot_common.load_csv(pd, args.requests_csv, ["device", "output_tokens", "ttft_s", "tpot_s", "e2e_s"],
                                  "an npusim serve requests.csv")
    fig, axes = plt.subplots(1, len(PANELS), figsize=(5 * len(PANELS), 4.2))
    for ax, (column, title) in zip(axes, PANELS):
        for device, rows in frame.groupby("device", sort=True):
            # A request with one output token has no time between tokens.
            values = rows[rows["output_tokens"] > 1][column] if column == "tpot_s" else rows[column]
            values = values.sort_values().to_numpy()
            if len(values) == 0:
                continue
            fraction = [(i + 1) / len(values) for i in range(len(values))]
            ax.step(values, fraction, where="post", color=COLORS.get(device, "#228833"), label=device.upper())
        ax.set_xscale("log")
        ax.set_xlabel("seconds")
        ax.set_ylabel("fraction of requests")
        ax.set_ylim(0, 1.01)
        for q in (0.5, 0.9, 0.99):
            ax.axhline(q, color="grey", linewidth=0.5, linestyle=":")
        ax.set_title(title)
        ax.legend(fontsize=8)
    fig.suptitle("latency CDFs")
    plot_common.save(fig, args.out)


if __name__ == "__main__":
    main()
