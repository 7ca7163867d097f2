#!/usr/bin/env python3
"""The knee of `npusim serve --find-max-rate`: output tokens/s and P99 latencies (TTFT, TPOT, E2E) against
the arrival rate, NPU and GPU, from result.json's find_max_rate.*.knee, with each device's max rate
meeting the SLO marked. Skips (exit 0, no file) when the run made no capacity search.

    python3 analysis/plots/serving_knee.py out/result.json --out knee.png
"""

import plot_common

COLORS = {"npu": "#4477aa", "gpu": "#ee6677"}
LATENCIES = [("ttft_p99_s", "TTFT P99", "-"), ("tpot_p99_s", "TPOT P99", "--"), ("e2e_p99_s", "E2E P99", ":")]


def knees(result, path):
    search = result.get("find_max_rate")
    if not isinstance(search, dict) or not search:
        plot_common.skip(f"{path} has no find_max_rate section (run serve with --find-max-rate)")
    out = {}
    for device, entry in search.items():
        knee = entry.get("knee") if isinstance(entry, dict) else None
        if not isinstance(knee, dict) or not isinstance(knee.get("rate_per_s"), list) or not knee["rate_per_s"]:
            plot_common.fail(f"{path}: find_max_rate.{device}.knee: expected lists of rates and metrics")
        out[device] = (entry.get("max_rate_per_s"), knee)
    return out


def main():
    parser = plot_common.argument_parser(__doc__, "result_json", "knee.png")
    args = parser.parse_args()
    _, plt = plot_common.imports()
    result = plot_common.load_json(args.result_json)
    by_device = knees(result, args.result_json)
    fig, (throughput, latency) = plt.subplots(1, 2, figsize=(11, 4.5))
    for device, (max_rate, knee) in by_device.items():
        color = COLORS.get(device, "#228833")
        name = result.get("gpu_serving" if device == "gpu" else "serving", {}).get("device", device)
        throughput.plot(knee["rate_per_s"], knee["output_tokens_per_s"], "o-", color=color, label=name)
        for key, label, style in LATENCIES:
            latency.plot(knee["rate_per_s"], knee[key], style, marker="o", color=color, label=f"{name} {label}")
        if max_rate:
            for ax in (throughput, latency):
                ax.axvline(max_rate, color=color, alpha=0.4, linewidth=1)
    slo = result.get("slo", {})
    for key, style in (("ttft_p90_s", "-"), ("tpot_p99_s", "--")):
        if key in slo:
            latency.axhline(slo[key], color="grey", linestyle=style, linewidth=0.8, label=f"SLO {key}")
    throughput.set_xlabel("arrival rate (requests/s)")
    throughput.set_ylabel("output tokens/s")
    throughput.set_title("throughput")
    latency.set_xlabel("arrival rate (requests/s)")
    latency.set_ylabel("seconds")
    latency.set_yscale("log")
    latency.set_title("P99 latency (vertical lines: max rate meeting the SLO)")
    throughput.legend(fontsize=8)
    latency.legend(fontsize=7, ncol=2)
    fig.suptitle(f"{result.get('model', '')} serving: the knee")
    plot_common.save(fig, args.out)


if __name__ == "__main__":
    main()
