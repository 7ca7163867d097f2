#!/usr/bin/env python3
"""ctest: traces/npusim-trace.schema.json is a valid JSON Schema (draft 2020-12) that accepts every trace
npusim writes (all zoo models), the examples in traces/examples and the fuzz seeds, and rejects what the
importer rejects (an unknown field, a missing shape field, a negative dimension, an unknown op). Skips (77)
without python3-jsonschema."""

import copy
import glob
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

REQUIRED_PARAMS = {"gemm": "gemm:m=64,n=48,k=32", "matmul": "matmul:m=64,n=48,k=32",
                   "conv": "conv:h=17,w=13,c=8,k=16,r=3", "fc": "fc:in=300,out=17"}


def zoo_names(npusim):
    text = harness.run([npusim, "list"]).stdout
    section = text.split("Workloads (zoo", 1)[1].split("\n\n", 1)[0]
    return [m.group(1) for m in re.finditer(r"^  (\S+)\s", section, re.MULTILINE)]


def main():
    args = harness.parse_args(source_dir=True)
    (jsonschema,) = harness.require_modules("jsonschema", packages="python3-jsonschema")
    with open(os.path.join(args.source_dir, "traces", "npusim-trace.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    traces = {}
    with tempfile.TemporaryDirectory(prefix="npusim_schema_") as tmp:
        names = zoo_names(args.npusim)
        harness.check(len(names) >= 7, f"zoo models: {', '.join(names)}")
        for name in names:
            path = os.path.join(tmp, name + ".json")
            harness.run([args.npusim, "export-trace", "--workload", REQUIRED_PARAMS.get(name, name), "--out", path])
            traces["zoo " + name] = path
        for path in sorted(glob.glob(os.path.join(args.source_dir, "traces", "examples", "*.json")) +
                           glob.glob(os.path.join(args.source_dir, "tests", "fuzz", "seeds_trace", "*.json"))):
            traces[os.path.relpath(path, args.source_dir)] = path
        for label, path in traces.items():
            with open(path, encoding="utf-8") as f:
                trace = json.load(f)
            errors = [e.message for e in validator.iter_errors(trace)]
            harness.check(not errors, f"{label} validates{': ' + errors[0] if errors else ''}")
            # Each accepted trace also replays.
            harness.run([args.npusim, "export-trace", "--workload", path, "--out", os.path.join(tmp, "again.json")])

        with open(traces["zoo resnet50"], encoding="utf-8") as f:
            base = json.load(f)
        bad = {
            "an unknown field": lambda t: t["operators"][0].update(dilation=[2, 2]),
            "a missing shape field": lambda t: t["operators"][0].pop("kernel"),
            "a negative dimension": lambda t: t["operators"][0]["input"].__setitem__(1, -224),
            "an unknown op": lambda t: t["operators"][0].update(op="conv3d"),
            "a wrong version": lambda t: t.update(version=2),
        }
        for label, mutate in bad.items():
            trace = copy.deepcopy(base)
            mutate(trace)
            harness.check(not validator.is_valid(trace), f"schema rejects {label}")

    # Stream traffic files (npusim serve): the examples validate against their own schema, which rejects a
    # rate of 0 and an unknown field.
    with open(os.path.join(args.source_dir, "traces", "npusim-traffic.schema.json"), encoding="utf-8") as f:
        traffic_schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(traffic_schema)
    traffic_validator = jsonschema.Draft202012Validator(traffic_schema)
    examples = sorted(glob.glob(os.path.join(args.source_dir, "traces", "examples", "streams", "*.json")))
    harness.check(len(examples) >= 1, "stream traffic examples found")
    for path in examples:
        with open(path, encoding="utf-8") as f:
            traffic = json.load(f)
        errors = [e.message for e in traffic_validator.iter_errors(traffic)]
        harness.check(not errors, f"{os.path.relpath(path, args.source_dir)} validates{': ' + errors[0] if errors else ''}")
        for label, mutate in {"a rate of 0": lambda t: t["streams"][0].update(rate_hz=0),
                              "an unknown stream field": lambda t: t["streams"][0].update(fps=30)}.items():
            bad_traffic = copy.deepcopy(traffic)
            mutate(bad_traffic)
            harness.check(not traffic_validator.is_valid(bad_traffic), f"traffic schema rejects {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
