#!/usr/bin/env python3
"""ctest: analysis/torch_export.py on any PyTorch module: MODULE:FUNCTION with --input-shape (MACs by
hand), shape-dependent code that torch.fx cannot trace falling back to torch.onnx.export + npusim's ONNX
importer, torchvision's ViT-B/16 (MACs by hand), hard-swish exported as hard_swish, and torchvision's
MobileNetV3-Small through ONNX and through the op trace agreeing exactly in MACs and within 2% in
cycles; bad modules and input shapes exit 2 with one line. Skips (77) without python3-torch and
python3-torchvision."""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

MODULES = '''
import torch
import torch.nn as nn


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 32)
        self.act = nn.Hardswish()

    def forward(self, x):
        return self.act(self.fc(x))


class ShapeDependent(nn.Module):
    """Control flow on a shape: torch.fx cannot trace it, torch.onnx.export can."""
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(64, 64)
        self.b = nn.Linear(64, 10)

    def forward(self, x):
        if x.shape[1] > 8:
            x = torch.relu(self.a(x))
        return self.b(x)


def tiny():
    return Tiny()


def shape_dependent():
    return ShapeDependent()


def not_a_module():
    return 42
'''


def export(source_dir, tmp, *argv, expect=0):
    env = dict(os.environ, PYTHONPATH=tmp)
    script = os.path.join(os.path.abspath(source_dir), "analysis", "torch_export.py")
    return harness.run([sys.executable, script, *argv],
                       expect=expect, env=env, cwd=tmp)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def check_modules(npusim, source_dir, tmp):
    with open(os.path.join(tmp, "mymodels.py"), "w", encoding="utf-8") as f:
        f.write(MODULES)
    # Linear 64 -> 32 on 4 rows of a [1, 4, 64] input: 4 x 64 x 32 = 8192 MACs; hard-swish fuses into it.
    tiny = os.path.join(tmp, "tiny.json")
    export(source_dir, tmp, "mymodels:tiny", "--input-shape", "1,4,64", "--out", tiny)
    ops = load(tiny)["operators"]
    harness.check(len(ops) == 1 and ops[0]["activation"] == "hard_swish", f"tiny: one fc with hard_swish: {ops}")
    result = harness.simulate(npusim, tiny, os.path.join(tmp, "tiny_run"))
    harness.check(result["totals"]["macs"] == 4 * 64 * 32, f"tiny: {result['totals']['macs']} MACs == 8192")

    # fx cannot trace the shape test; the ONNX fallback is written next to --out and imports.
    out = os.path.join(tmp, "dynamic.json")
    proc = export(source_dir, tmp, "mymodels:shape_dependent", "--input-shape", "2,16,64", "--out", out)
    onnx_path = os.path.join(tmp, "dynamic.onnx")
    harness.check(os.path.exists(onnx_path) and not os.path.exists(out) and "exported ONNX instead" in proc.stdout,
                  f"fx fallback to ONNX: {proc.stdout.strip()}")
    # Both linears run on 2 x 16 rows: 32 x 64 x 64 + 32 x 64 x 10 = 151552 MACs.
    result = harness.simulate(npusim, onnx_path, os.path.join(tmp, "dynamic_run"))
    harness.check(result["totals"]["macs"] == 32 * 64 * 64 + 32 * 64 * 10,
                  f"fallback ONNX: {result['totals']['macs']} MACs == 151552")

    for argv, expected in ((["nosuchmodule:f", "--input-shape", "1,4"], "cannot import module 'nosuchmodule'"),
                           (["mymodels:missing", "--input-shape", "1,4"], "has no callable 'missing'"),
                           (["mymodels:not_a_module", "--input-shape", "1,4"], "expected a torch.nn.Module"),
                           (["mymodels:tiny"], "needs --input-shape"),
                           (["mymodels:tiny", "--input-shape", "1,4,x"], "expected positive integers"),
                           (["mymodels:tiny", "--input-shape", "4,63"], "rejects an input of shape [4, 63]"),
                           (["resnet50", "--input-shape", "1,3,224"], "rejects an input of shape [1, 3, 224]")):
        proc = export(source_dir, tmp, *argv, "--out", os.path.join(tmp, "bad.json"), expect=2)
        text = proc.stdout.strip()
        harness.check("\n" not in text and text.startswith("torch_export: error: ") and expected in text,
                      f"bad input {argv}: {text}")


def check_vit(npusim, source_dir, tmp):
    """ViT-B/16 at 224: 196 patches + 1 class token = 197 tokens, d 768, 12 heads of 64, MLP 3072, 12 layers.
    patch embedding 196 x 768 x 768; per layer QKV 197 x 768 x 2304, QK^T and AV 2 x 12 x 197 x 197 x 64,
    out proj 197 x 768 x 768, MLP 2 x 197 x 768 x 3072; head 768 x 1000."""
    path = os.path.join(tmp, "vit.json")
    export(source_dir, tmp, "vit_b_16", "--out", path)
    if not os.path.exists(path):  # torch.fx cannot trace its shape unpacking: the ONNX fallback
        path = os.path.join(tmp, "vit.onnx")
        harness.check(os.path.exists(path), "ViT-B/16 exported through torch.fx or the ONNX fallback")
    per_layer = 197 * 768 * 2304 + 2 * 12 * 197 * 197 * 64 + 197 * 768 * 768 + 2 * 197 * 768 * 3072
    expected = 196 * 768 * 768 + 12 * per_layer + 768 * 1000
    result = harness.simulate(npusim, path, os.path.join(tmp, "vit_run"), "--gpu", "none")
    harness.check(result["totals"]["macs"] == expected, f"ViT-B/16: {result['totals']['macs']} MACs == {expected}")


def check_mobilenet_v3(npusim, source_dir, tmp, torch, torchvision):
    """MobileNetV3-Small exported both ways: ONNX (opset 13, hard-swish decomposed by the exporter, fused by
    npusim) and the op trace (hard_swish fused by torch_export)."""
    trace = os.path.join(tmp, "mbv3.json")
    export(source_dir, tmp, "mobilenet_v3_small", "--out", trace)
    activations = {op.get("activation") for op in load(trace)["operators"]}
    functions = {op.get("function") for op in load(trace)["operators"]}
    harness.check("hard_swish" in activations and "silu" not in activations | functions,
                  f"hard-swish is hard_swish, not SiLU: {sorted(a for a in activations if a)}")
    onnx_path = os.path.join(tmp, "mbv3.onnx")
    model = torchvision.models.mobilenet_v3_small(weights=None).eval()
    with torch.no_grad():
        torch.onnx.export(model, (torch.zeros(1, 3, 224, 224),), onnx_path, opset_version=13)
    via_onnx = harness.simulate(npusim, onnx_path, os.path.join(tmp, "mbv3_onnx"), "--gpu", "none")
    via_trace = harness.simulate(npusim, trace, os.path.join(tmp, "mbv3_trace"), "--gpu", "none")
    macs = (via_onnx["totals"]["macs"], via_trace["totals"]["macs"])
    harness.check(macs[0] == macs[1], f"MobileNetV3-Small MACs, ONNX vs op trace: {macs}")
    cycles = (via_onnx["totals"]["cycles"], via_trace["totals"]["cycles"])
    harness.check(abs(cycles[0] - cycles[1]) <= 0.02 * cycles[1],
                  f"MobileNetV3-Small cycles, ONNX vs op trace, within 2%: {cycles} "
                  f"({100 * (cycles[0] - cycles[1]) / cycles[1]:+.2f}%)")
    notes = " ".join(via_onnx["workloads"][0].get("notes", []))
    harness.check("hard_swish" in notes, f"fusions named in result.json: {notes}")


def main():
    args = harness.parse_args(source_dir=True)
    torch, torchvision = harness.require_modules("torch", "torchvision",
                                                 packages="python3-torch python3-torchvision")
    with tempfile.TemporaryDirectory(prefix="npusim_torch_modules_") as tmp:
        harness.require_onnx_support(args.npusim, tmp)
        check_modules(args.npusim, args.source_dir, tmp)
        check_mobilenet_v3(args.npusim, args.source_dir, tmp, torch, torchvision)
        check_vit(args.npusim, args.source_dir, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
