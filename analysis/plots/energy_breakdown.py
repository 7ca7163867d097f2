#!/usr/bin/env python3
"""Energy by component from an npusim result.json (its "energy" section and the *_energy_j totals):
total per component, and per layer stacked for the most energy-hungry layers. Skips (exit 0, no file)
when the run has no energy model.

    python3 analysis/plots/energy_breakdown.py out/result.json --out energy.png
"""

import plot_common


def main():
    parser = plot_common.argument_parser(__doc__, "result_json", "energy_breakdown.png")
    parser.add_argument("--top", type=int, default=20, help="layers in the per-layer panel")
    args = parser.parse_args()
    pd, plt = plot_common.imports()
    result = plot_common.load_json(args.result_json)
    totals = result.get("totals", {})
    components = [k for k in totals if k.endswith("_energy_j")]
    if "energy" not in result or not components:
        plot_common.skip(f"{args.result_json} has no energy section")
    names = [k[: -len("_energy_j")] for k in components]
    values_mj = [1e3 * totals[k] for k in components]

    layers = pd.DataFrame(result.get("layers", []))
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5), gridspec_kw={"width_ratios": [1, 2]})
    left.bar(names, values_mj, color="#4477aa")
    left.set_ylabel("energy (mJ)")
    left.set_title(f"total {1e3 * totals.get('energy_j', sum(totals[k] for k in components)):.3f} mJ")
    left.tick_params(axis="x", rotation=45)
    per_layer = [k for k in components if k in layers.columns]
    if per_layer:
        top = layers.assign(_e=layers[per_layer].sum(axis=1)).nlargest(args.top, "_e")
        bottom = 0
        for key, name in zip(per_layer, names):
            right.bar(top["name"], 1e3 * top[key], bottom=bottom, label=name)
            bottom = bottom + 1e3 * top[key]
        right.set_title(f"the {len(top)} layers using the most energy")
        right.tick_params(axis="x", rotation=90, labelsize=6)
        right.set_ylabel("energy (mJ)")
        right.legend(fontsize=7)
    else:
        right.axis("off")
    workloads = ", ".join(w["name"] for w in result.get("workloads", []))
    fig.suptitle(f"Energy by component: {workloads}")
    plot_common.save(fig, args.out)


if __name__ == "__main__":
    main()
