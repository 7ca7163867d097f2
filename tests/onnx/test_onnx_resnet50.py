#!/usr/bin/env python3
"""ctest: torchvision's ResNet-50 exported to ONNX with torch.onnx.export imports with zero unsupported
compute operators and exactly the built-in resnet50's MACs, whether batch norms are folded by the
exporter or left as BatchNormalization nodes; a dynamic batch axis needs --batch. Skips (77) without
python3-torch and python3-torchvision."""

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "trace"))
import harness  # noqa: E402


def main():
    args = harness.parse_args()
    torch, torchvision = harness.require_modules("torch", "torchvision",
                                                 packages="python3-torch python3-torchvision")
    model = torchvision.models.resnet50(weights=None).eval()
    x = torch.zeros(1, 3, 224, 224)
    with tempfile.TemporaryDirectory(prefix="npusim_onnx_r50_") as tmp:
        harness.require_onnx_support(args.npusim, tmp)
        zoo = harness.simulate(args.npusim, "resnet50", os.path.join(tmp, "zoo"))["totals"]
        variants = {
            "folded": dict(do_constant_folding=True),  # the exporter folds BN into the convs
            "batchnorm": dict(training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False),
        }
        for name, options in variants.items():
            path = os.path.join(tmp, f"resnet50_{name}.onnx")
            start = time.monotonic()
            torch.onnx.export(model, x, path, opset_version=13, input_names=["input"], **options)
            print(f"{name}: torch.onnx.export {time.monotonic() - start:.1f} s")
            # No --allow-unsupported: any unsupported operator would fail the run.
            result = harness.simulate(args.npusim, path, os.path.join(tmp, name))
            totals = result["totals"]
            harness.check("warnings" not in result["workloads"][0], f"{name}: no unsupported operators")
            harness.check(totals["macs"] == zoo["macs"] == 4089184256,
                          f"{name}: MACs {totals['macs']} == built-in resnet50 {zoo['macs']}")
            harness.check(totals["layers"] == zoo["layers"],
                          f"{name}: {totals['layers']} layers == built-in {zoo['layers']}")
            print(f"{name}: cycles {totals['cycles']} vs built-in {zoo['cycles']}")

        path = os.path.join(tmp, "resnet50_dynamic.onnx")
        torch.onnx.export(model, x, path, opset_version=13, input_names=["input"],
                          dynamic_axes={"input": {0: "batch"}})
        proc = harness.run([args.npusim, "run", "--quiet", "--workload", path], expect=2)
        harness.check(proc.stdout.strip().count("\n") == 0 and "input 'input': dim 0 ('batch') is dynamic" in proc.stdout,
                      f"dynamic batch without --batch: {proc.stdout.strip()}")
        batch2 = harness.simulate(args.npusim, path, os.path.join(tmp, "dynamic"), "--batch", "2")["totals"]
        harness.check(batch2["macs"] == 2 * zoo["macs"], f"--batch 2: MACs {batch2['macs']} == 2 x built-in")
    return 0


if __name__ == "__main__":
    sys.exit(main())
