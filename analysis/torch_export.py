#!/usr/bin/env python3
"""Export a PyTorch model (a torchvision name or any module:function) as an npusim op trace (traces/README.md).

The model is a torchvision.models builder name, or MODULE:FUNCTION, a Python callable (importable from
the current directory or PYTHONPATH) that returns an nn.Module, run on a zero input of --input-shape.
It is traced with torch.fx (symbolic_trace) and its tensor shapes propagated with ShapeProp on that
input; each node then maps to trace operators the way npusim's zoo builds models: convolutions and
linear layers on the array, batch norms folded into the preceding convolution, activations fused into
their producer when it is their only consumer, pools, elementwise ops, softmax and layer norms on the
vector unit, and reshapes, flattens, transposes and concatenations as data movement (no operator; the
dependencies pass through).

    python3 analysis/torch_export.py resnet50 --out resnet50.trace.json
    python3 analysis/torch_export.py mymodels:tiny_transformer --input-shape 1,128,256 --out tiny.json
    npusim run --workload resnet50.trace.json

Code torch.fx cannot trace (control flow on tensor values or shapes) falls back to torch.onnx.export:
the model is written as OUT with the suffix .onnx, for npusim's ONNX importer (which fuses the
subgraphs the exporter decomposes), and the script says so; --no-onnx-fallback makes it an error.

Needs Debian's python3-torch (and python3-torchvision for torchvision names). Exit codes: 0 written,
2 bad input (a module that cannot be imported or called, an input shape the model rejects) or an
unsupported module (listed by type and count), 77 torch not installed.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


from torch_fx_exporter import ExportError, FxExporter  # noqa: E402  (same folder)


class FxUntraceable(Exception):
    """torch.fx cannot trace the model (or propagate shapes through it): the ONNX fallback applies."""


def parse_shape(text):
    """'1,3,224,224' -> [1, 3, 224, 224]; ExportError unless positive integers."""
    try:
        shape = [int(part) for part in text.split(",")]
    except ValueError:
        shape = []
    if not shape or any(d < 1 for d in shape):
        raise ExportError(f"--input-shape '{text}': expected positive integers separated by commas, e.g. 1,3,224,224")
    return shape


def build_model(spec):
    """(module, description) for a torchvision.models name or MODULE:FUNCTION returning an nn.Module."""
    import importlib
    import torch
    if ":" in spec:
        module_name, function_name = spec.split(":", 1)
        try:
            module = importlib.import_module(module_name)
        except Exception as error:  # ImportError, or the module's own code failing
            raise ExportError(f"cannot import module '{module_name}': {type(error).__name__}: {error}") from None
        function = getattr(module, function_name, None)
        if function is None or not callable(function):
            raise ExportError(f"module '{module_name}' has no callable '{function_name}'; expected "
                              "MODULE:FUNCTION, a function returning an nn.Module")
        try:
            model = function()
        except Exception as error:
            raise ExportError(f"calling {spec}() failed: {type(error).__name__}: {error}") from None
        if not isinstance(model, torch.nn.Module):
            raise ExportError(f"{spec}() returned {type(model).__name__}; expected a torch.nn.Module")
        return model.eval(), f"{spec}()"
    import torchvision
    builder = getattr(torchvision.models, spec, None)
    if builder is None or not callable(builder):
        raise ExportError(f"'{spec}' is not a torchvision.models builder (resnet50, mobilenet_v2, ...) "
                          "nor MODULE:FUNCTION")
    return builder(weights=None).eval(), f"torchvision.models.{spec} (torchvision {torchvision.__version__})"


def fx_trace(model, example):
    """The fx graph with shapes on `example`; FxUntraceable when fx cannot follow the Python code, and
    ExportError when the model rejects the input shape."""
    import torch
    from torch.fx import symbolic_trace
    from torch.fx.passes.shape_prop import ShapeProp
    with torch.no_grad():
        try:
            model(example)
        except Exception as error:  # the input does not fit the model (rank, channels, size)
            raise ExportError(f"the model rejects an input of shape {list(example.shape)}: "
                              f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}; "
                              "expected the shape its forward() takes (--input-shape)") from None
        try:
            gm = symbolic_trace(model)
            ShapeProp(gm).propagate(example)
        except Exception as error:  # data-dependent control flow, shapes used as Python values
            first = str(error).splitlines()[0].split(". ")[0] if str(error) else ""
            raise FxUntraceable(f"{type(error).__name__}: {first}") from None
    return gm


def export_onnx(model, example, path):
    """torch.onnx.export of the model on `example` (static shapes), written whole or not at all."""
    import os
    import torch
    import warnings
    tmp = path + ".tmp"
    # With gradients enabled: nn.MultiheadAttention's inference fast path (a fused kernel ONNX cannot
    # express) is off whenever its weights require grad, so it exports as MatMuls and a Softmax.
    with torch.enable_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on Python control flow: the shapes are static here
        torch.onnx.export(model, (example,), tmp, opset_version=13, do_constant_folding=True)
    os.replace(tmp, path)


def export_model(model_name, batch=1, resolution=224, dtype=None, allow_unsupported=False, name=None,
                 input_shape=None):
    """The trace (a dict) of a torchvision name or MODULE:FUNCTION on a zero input of `input_shape`
    (default batch x 3 x resolution x resolution). Raises FxUntraceable when torch.fx cannot trace it."""
    import torch
    model, description = build_model(model_name)
    shape = input_shape or [batch, 3, resolution, resolution]
    gm = fx_trace(model, torch.zeros(*shape))
    ops = FxExporter(gm, dtype, allow_unsupported).run()
    return {
        "format": "npusim-trace",
        "version": 1,
        "name": name or model_name.replace(":", "."),
        "origin": f"{description}, input {'x'.join(str(d) for d in shape)}, traced with torch.fx",
        "generator": "analysis/torch_export.py",
        "operators": ops,
    }


def trace_text(trace):
    """Header fields one per line, one operator per line (as `npusim export-trace` writes)."""
    head = {k: v for k, v in trace.items() if k != "operators"}
    lines = ["{"] + [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
    ops = ",\n".join("    " + json.dumps(op, separators=(",", ":")) for op in trace["operators"])
    return "\n".join(lines) + '\n  "operators": [\n' + ops + "\n  ]\n}\n"


def onnx_path_for(out):
    import os
    return os.path.splitext(out)[0] + ".onnx"


def write_atomically(path, text):
    import os
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)


def export(args):
    """Writes the trace (or, when fx cannot trace the model, the ONNX fallback); returns the exit code."""
    shape = parse_shape(args.input_shape) if args.input_shape else None
    if shape is None and ":" in args.model:
        raise ExportError("MODULE:FUNCTION needs --input-shape (e.g. 1,3,224,224 or 1,128,768)")
    try:
        text = trace_text(export_model(args.model, args.batch, args.resolution, args.dtype,
                                       args.allow_unsupported, args.name, shape))
    except FxUntraceable as reason:
        if args.no_onnx_fallback:
            raise ExportError(f"torch.fx cannot trace it ({reason}); drop --no-onnx-fallback to export ONNX") from None
        if not args.out:
            raise ExportError(f"torch.fx cannot trace it ({reason}); give --out to write the ONNX fallback") from None
        import torch
        model, _ = build_model(args.model)
        path = onnx_path_for(args.out)
        export_onnx(model, torch.zeros(*(shape or [args.batch, 3, args.resolution, args.resolution])), path)
        print(f"torch_export: torch.fx cannot trace {args.model} ({reason}); exported ONNX instead: {path} "
              f"(npusim run --workload {path})", file=sys.stderr)
        return 0
    if args.out:
        write_atomically(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="torchvision.models builder name (resnet50, vit_b_16) or MODULE:FUNCTION "
                                      "returning an nn.Module")
    parser.add_argument("--out", help="trace file to write (default: stdout)")
    parser.add_argument("--input-shape", help="example input shape, e.g. 1,3,224,224 (needed for MODULE:FUNCTION; "
                                              "default for torchvision: BATCH,3,RES,RES)")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--resolution", type=int, default=224)
    parser.add_argument("--dtype", choices=["int8", "fp16", "bf16", "fp32"],
                        help="operator dtype (default: none written; npusim uses the run's --dtype)")
    parser.add_argument("--name", help="workload name (default: the model name)")
    parser.add_argument("--allow-unsupported", action="store_true",
                        help="skip unmapped modules/functions with a warning instead of failing")
    parser.add_argument("--no-onnx-fallback", action="store_true",
                        help="fail instead of exporting ONNX when torch.fx cannot trace the model")
    args = parser.parse_args(argv)
    try:
        import torch  # noqa: F401
        if ":" not in args.model:
            import torchvision  # noqa: F401
    except ImportError as error:
        print(f"torch_export: {error}; install python3-torch python3-torchvision", file=sys.stderr)
        return 77
    if args.batch < 1 or args.resolution < 1:
        print("torch_export: error: --batch and --resolution must be positive", file=sys.stderr)
        return 2
    try:
        return export(args)
    except ExportError as error:
        message = " ".join(str(error).split())
        print(f"torch_export: error: {args.model}: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
