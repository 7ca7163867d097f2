#!/usr/bin/env python3
"""Fleet sizing from `npusim fleet SPEC --out DIR`: per candidate, the cost over the spec's years
(capex and energy stacked) and the devices and kW it takes, from DIR/fleet.json. Infeasible candidates
(some demand unreachable on them) are listed in the title, not drawn.

    python3 analysis/plots/fleet_cost.py out/fleet.json --out fleet.png
"""

import plot_common


def rows(fleet, path):
    candidates = fleet.get("candidates")
    if not isinstance(candidates, list) or not candidates or "fleet_schema_version" not in fleet:
        plot_common.fail(f"{path}: expected an npusim fleet.json (fleet_schema_version, candidates)")
    feasible, infeasible = [], []
    for i, c in enumerate(candidates):
        if not isinstance(c, dict) or "name" not in c:
            plot_common.fail(f"{path}: candidates[{i}]: expected an object with a name")
        if c.get("feasible"):
            for key in ("devices", "capex", "cost_over_years", "total_power_w"):
                if not isinstance(c.get(key), (int, float)):
                    plot_common.fail(f"{path}: candidates[{i}].{key}: expected a number")
            feasible.append(c)
        else:
            infeasible.append(c["name"])
    return feasible, infeasible


def main():
    parser = plot_common.argument_parser(__doc__, "fleet_json", "fleet.png")
    args = parser.parse_args()
    _, plt = plot_common.imports()
    fleet = plot_common.load_json(args.fleet_json)
    feasible, infeasible = rows(fleet, args.fleet_json)
    if not feasible:
        plot_common.skip(f"{args.fleet_json}: no feasible candidate to draw")
    years = fleet.get("economics", {}).get("years", 0)
    names = [c["name"] for c in feasible]
    capex = [c["capex"] / 1e6 for c in feasible]
    energy = [(c["cost_over_years"] - c["capex"]) / 1e6 for c in feasible]
    fig, (cost, size) = plt.subplots(1, 2, figsize=(11, 4.5))
    cost.bar(names, capex, color="#4477aa", label="capex")
    cost.bar(names, energy, bottom=capex, color="#ee6677", label=f"energy over {years:g} years")
    cost.set_ylabel("million USD")
    cost.set_title(f"cost over {years:g} years")
    cost.legend(fontsize=8)
    size.bar(names, [c["devices"] for c in feasible], color="#228833")
    size.set_ylabel("devices")
    power = size.twinx()
    power.plot(names, [c["total_power_w"] / 1e3 for c in feasible], "o", color="#aa3377")
    power.set_ylabel("total board power (kW, dots)")
    power.set_ylim(bottom=0)
    size.set_title("devices and power")
    for ax in (cost, size):
        ax.tick_params(axis="x", labelrotation=30)
    title = "fleet sizing: " + ", ".join(f"{d['name']} {d['amount']:g} {d['unit']}" for d in fleet.get("demands", []))
    if infeasible:
        title += f" (cannot carry it: {', '.join(infeasible)})"
    fig.suptitle(title, fontsize=10)
    plot_common.save(fig, args.out)


if __name__ == "__main__":
    main()
