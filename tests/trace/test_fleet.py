#!/usr/bin/env python3
"""ctest `fleet`: `npusim fleet configs/fleet/small.json` end to end. Checks the sizing arithmetic in
fleet.json against the closed forms written below (devices = ceil(amount / per-device capacity) per demand
pool, summed; power, energy and cost from the count), the stream capacity against a plain `npusim run` of
one frame (floor(period / latency)), fleet.csv against fleet.json, the example specs against the schema file, and
renders the plot (analysis/plots/fleet_cost.py) headless. Skips (77) without pandas/matplotlib."""

import csv
import json
import math
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from test_plots import check_png  # noqa: E402

# The presets' TDPs, the board power when a candidate gives none: furiosa-rngd 150 W, L4 72 W.
TDP_W = {"furiosa-rngd": 150.0, "l4": 72.0}


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def check_pools(fleet, spec):
    amounts = {d["name"]: (d["streams"]["count"] if "streams" in d else d["llm"]["rate_per_s"])
               for d in spec["demands"]}
    for c in fleet["candidates"]:
        total = 0
        for pool in c["pools"]:
            harness.check(pool["per_device"] > 0, f"{c['name']}/{pool['demand']}: capacity {pool['per_device']:.4g} > 0")
            expected = math.ceil(amounts[pool["demand"]] / pool["per_device"])
            harness.check(pool["devices"] == expected,
                          f"{c['name']}/{pool['demand']}: {pool['devices']} devices == ceil({amounts[pool['demand']]} / "
                          f"{pool['per_device']:.6g}) = {expected}")
            total += pool["devices"]
        harness.check(c["devices"] == total, f"{c['name']}: {c['devices']} devices == sum of pools {total}")
        harness.check(c["board_power_w"] == TDP_W[c["device"]], f"{c['name']}: board power defaults to the TDP")
        power_w = total * c["board_power_w"]
        energy_kwh = power_w * spec.get("pue", 1.0) * 8760 / 1000
        capex = total * c["unit_price_usd"]
        cost = capex + spec["years"] * energy_kwh * spec["electricity_usd_per_kwh"]
        harness.check(close(c["total_power_w"], power_w) and close(c["energy_per_year_kwh"], energy_kwh)
                      and close(c["capex"], capex) and close(c["cost_over_years"], cost),
                      f"{c['name']}: {power_w:.0f} W, {energy_kwh:.1f} kWh/yr, capex {capex:.0f}, cost {cost:.0f}")


def frame_latency_s(npusim, model, tmp):
    out = os.path.join(tmp, "run-rngd")
    harness.run([npusim, "run", "--npu", "furiosa-rngd", "--quiet", "--workload", model, "--out", out])
    with open(os.path.join(out, "result.json"), encoding="utf-8") as f:
        return json.load(f)["workloads"][0]["totals"]["time_s"]


def check_stream_capacity(npusim, fleet, spec, spec_path, tmp):
    """One camera alone on an idle NPU has `npusim run`'s latency; time-shared without batching (EDF,
    frame_batch 1), the most cameras with no missed deadline is floor(period / latency), +-1 at the
    boundary (issue 15). Method serial_latency gives exactly floor(min(period, deadline) / latency)."""
    streams = spec["demands"][0]["streams"]
    latency_s = frame_latency_s(npusim, streams["model"], tmp)
    period_s = 1 / streams["rate_hz"]
    bound = math.floor(min(streams.get("deadline_s", period_s), period_s) / latency_s)
    rngd = next(c for c in fleet["candidates"] if c["device"] == "furiosa-rngd")
    pool = rngd["pools"][0]
    harness.check(pool["method"] == "find_max_streams" and abs(pool["per_device"] - bound) <= 1,
                  f"serve --find-max-streams {pool['per_device']} cameras == floor({period_s:.4g} / {latency_s:.4g}) "
                  f"= {bound} +- 1")
    serial = dict(spec, demands=[{"name": "cameras", "streams": dict(streams, method="serial_latency")}],
                  candidates=[c for c in spec["candidates"] if c.get("npu") == "furiosa-rngd"])
    serial_path = os.path.join(tmp, "serial.json")
    with open(serial_path, "w", encoding="utf-8") as f:
        json.dump(serial, f)
    out = os.path.join(tmp, "serial")
    harness.run([npusim, "fleet", serial_path, "--quiet", "--out", out])
    with open(os.path.join(out, "fleet.json"), encoding="utf-8") as f:
        pool = json.load(f)["candidates"][0]["pools"][0]
    harness.check(pool["method"] == "serial_latency" and close(pool["frame_latency_s"], latency_s),
                  f"frame latency {pool['frame_latency_s']:.6g} s == npusim run's {latency_s:.6g} s")
    harness.check(pool["per_device"] == bound, f"serial_latency: {pool['per_device']} cameras == {bound}")


def check_csv(fleet, path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    harness.check(len(rows) == len(fleet["candidates"]), "fleet.csv: one row per candidate")
    for row, c in zip(rows, fleet["candidates"]):
        harness.check(row["candidate"] == c["name"] and int(row["devices"]) == c["devices"]
                      and close(float(row["cost_over_years"]), c["cost_over_years"]), f"fleet.csv row {c['name']}")


def check_schema(source_dir):
    try:
        import jsonschema
    except ImportError:
        print("note: python3-jsonschema missing, example specs not checked against the schema")
        return
    folder = os.path.join(source_dir, "configs", "fleet")
    with open(os.path.join(folder, "fleet-spec.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json") and name != "fleet-spec.schema.json":
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                jsonschema.validate(json.load(f), schema)
            harness.check(True, f"{name} validates against fleet-spec.schema.json")


def main():
    args = harness.parse_args(source_dir=True)
    plot = harness.plot_runner(args.source_dir)
    spec_path = os.path.join(args.source_dir, "configs", "fleet", "small.json")
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    check_schema(args.source_dir)
    with tempfile.TemporaryDirectory(prefix="npusim_fleet_") as tmp:
        out = os.path.join(tmp, "fleet")
        proc = harness.run([args.npusim, "fleet", spec_path, "--quiet", "--out", out])
        harness.check("candidate" in proc.stdout and "rngd" in proc.stdout, "the table is on stdout")
        with open(os.path.join(out, "fleet.json"), encoding="utf-8") as f:
            fleet = json.load(f)
        harness.check(fleet["fleet_schema_version"] == 1 and all(c["feasible"] for c in fleet["candidates"]),
                      "fleet.json: every candidate carries both demands")
        check_pools(fleet, spec)
        check_stream_capacity(args.npusim, fleet, spec, spec_path, tmp)
        check_csv(fleet, os.path.join(out, "fleet.csv"))
        png = os.path.join(tmp, "fleet.png")
        plot("fleet_cost.py", os.path.join(out, "fleet.json"), "--out", png)
        check_png(png)
        proc = plot("fleet_cost.py", os.path.join(out, "fleet.csv"), "--out", os.path.join(tmp, "bad.png"), expect=2)
        harness.check(": error: " in proc.stdout and not os.path.exists(os.path.join(tmp, "bad.png")),
                      f"bad input: {proc.stdout.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
