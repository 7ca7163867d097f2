#!/usr/bin/env python3
"""ctest: torchvision's ResNet-50 exported by analysis/torch_export.py (torch.fx) and npusim's built-in
resnet50 agree on MACs and weight bytes exactly and on simulated cycles within 1%. Skips (77) without
python3-torch and python3-torchvision."""

import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def main():
    args = harness.parse_args(source_dir=True)
    torch, torchvision = harness.require_modules("torch", "torchvision",
                                                 packages="python3-torch python3-torchvision")
    sys.path.insert(0, os.path.join(args.source_dir, "analysis"))
    import torch_export

    with tempfile.TemporaryDirectory(prefix="npusim_torch_") as tmp:
        start = time.monotonic()
        fx_path = os.path.join(tmp, "resnet50.fx.json")
        harness.run([sys.executable, os.path.join(args.source_dir, "analysis", "torch_export.py"), "resnet50",
                     "--out", fx_path])
        print(f"torch.fx export: {time.monotonic() - start:.1f} s")
        zoo_path = os.path.join(tmp, "resnet50.zoo.json")
        harness.run([args.npusim, "export-trace", "--workload", "resnet50", "--out", zoo_path])
        with open(fx_path, encoding="utf-8") as f:
            fx = json.load(f)
        with open(zoo_path, encoding="utf-8") as f:
            zoo = json.load(f)

        # Weight bytes (int8: one byte per weight). The zoo counts conv and FC weight matrices; the torch
        # trace also carries torchvision's FC bias, which the zoo leaves out (tests/unit/test_zoo.cpp).
        fx_weights, fx_bias = harness.trace_weight_bytes(fx)
        zoo_weights, zoo_bias = harness.trace_weight_bytes(zoo)
        model = torchvision.models.resnet50(weights=None)
        torch_weights = sum(m.weight.numel() for m in model.modules()
                            if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)))
        torch_bias = sum(m.bias.numel() for m in model.modules()
                         if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)) and m.bias is not None)
        harness.check(fx_weights == zoo_weights == torch_weights == 25502912,
                      f"weight bytes: torch trace {fx_weights}, zoo {zoo_weights}, torchvision {torch_weights}")
        harness.check(fx_bias == torch_bias == 1000 and zoo_bias == 0,
                      f"bias bytes: torch trace {fx_bias} (torchvision's fc bias {torch_bias}), zoo {zoo_bias}")

        fx_result = harness.simulate(args.npusim, fx_path, os.path.join(tmp, "fx"))
        zoo_result = harness.simulate(args.npusim, "resnet50", os.path.join(tmp, "zoo"))
        fx_totals, zoo_totals = fx_result["totals"], zoo_result["totals"]
        harness.check(fx_totals["macs"] == zoo_totals["macs"] == 4089184256,
                      f"MACs: torch trace {fx_totals['macs']}, zoo {zoo_totals['macs']}")
        harness.check(fx_totals["layers"] == zoo_totals["layers"],
                      f"layers: torch trace {fx_totals['layers']}, zoo {zoo_totals['layers']}")
        deviation = abs(fx_totals["cycles"] - zoo_totals["cycles"]) / zoo_totals["cycles"]
        harness.check(deviation <= 0.01,
                      f"cycles: torch trace {fx_totals['cycles']}, zoo {zoo_totals['cycles']} "
                      f"({100 * deviation:.3f}% apart, at most 1%)")
        print(f"total: {time.monotonic() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
