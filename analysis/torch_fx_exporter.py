"""The torch.fx graph walker of analysis/torch_export.py: each fx node of a traced model (with ShapeProp
shapes) becomes npusim trace operators, the way npusim's zoo builds models."""

import math
import sys


class ExportError(Exception):
    """Bad input: printed as one line, exit code 2."""


def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


class FxExporter:
    """Walks an fx graph with shape metadata and builds trace operators."""

    def __init__(self, gm, dtype, allow_unsupported):
        import torch  # noqa: F401  (imported by the caller; kept local for the exit-77 path)
        self.gm = gm
        self.modules = dict(gm.named_modules())
        self.dtype = dtype
        self.allow_unsupported = allow_unsupported
        self.ops = []
        self.producers = {}  # fx node -> list of producer operator indices
        self.fusable = {}  # fx node -> operator index whose unchanged output the node is
        self.unsupported = {}  # label -> count
        self.names = set()

    # ---- helpers -----------------------------------------------------------------------------------------
    @staticmethod
    def shape(node):
        meta = node.meta.get("tensor_meta")
        if meta is None or not hasattr(meta, "shape"):
            raise ExportError(f"node '{node.name}': no tensor shape (ShapeProp gave none)")
        return [int(d) for d in meta.shape]

    def inputs_of(self, node):
        import torch.fx
        seen = []
        def visit(arg):
            if isinstance(arg, torch.fx.Node):
                for p in self.producers.get(arg, []):
                    if p not in seen:
                        seen.append(p)
            elif isinstance(arg, (list, tuple)):
                for a in arg:
                    visit(a)
            elif isinstance(arg, dict):
                for a in arg.values():
                    visit(a)
        visit(node.args)
        visit(node.kwargs)
        return seen

    def unique_name(self, name):
        name = str(name)
        candidate, k = name, 1
        while candidate in self.names:
            candidate, k = f"{name}_{k}", k + 1
        self.names.add(candidate)
        return candidate

    def emit(self, node, op, fields, activation="none", name=None):
        entry = {"name": self.unique_name(name or (node.target if node.op == "call_module" else node.name)),
                 "op": op}
        if self.dtype:
            entry["dtype"] = self.dtype
        entry["batch"] = fields.pop("batch", 1)
        entry["inputs"] = self.inputs_of(node)
        entry.update(fields)
        entry["activation"] = activation
        self.ops.append(entry)
        index = len(self.ops) - 1
        self.producers[node] = [index]
        self.fusable[node] = index
        return index

    def pass_through(self, node, keep_fusable=False):
        self.producers[node] = self.inputs_of(node)
        first = node.args[0] if node.args else None
        if keep_fusable and first is not None and len(first.users) == 1 and first in self.fusable:
            self.fusable[node] = self.fusable[first]

    @staticmethod
    def batch_split(shape):
        """(batch, elements per item): the leading dimension is the batch for rank >= 2."""
        total = math.prod(shape)
        if len(shape) < 2:
            return 1, total
        return shape[0], total // shape[0]

    def activation(self, node, act, function):
        source = node.args[0]
        index = self.fusable.get(source)
        if (index is not None and len(source.users) == 1 and self.ops[index]["activation"] == "none"
                and self.ops[index]["op"] in ("conv2d", "fc", "matmul", "eltwise")):
            self.ops[index]["activation"] = act
            self.producers[node] = [index]
            return
        batch, elements = self.batch_split(self.shape(node))
        self.emit(node, "eltwise", {"batch": batch, "function": function, "elements": elements, "operands": 1})

    def eltwise(self, node, function):
        import torch.fx
        tensors = [a for a in node.args if isinstance(a, torch.fx.Node)]
        batch, elements = self.batch_split(self.shape(node))
        self.emit(node, "eltwise", {"batch": batch, "function": function, "elements": elements,
                                    "operands": max(1, len(tensors))})

    @staticmethod
    def window(in_size, kernel, stride, pad, ceil_mode):
        """Begin and end pads so that floor division gives PyTorch's output size."""
        end = pad
        if ceil_mode:
            padded = in_size + 2 * pad
            out = -(-(padded - kernel) // stride) + 1
            if (out - 1) * stride >= in_size + pad:
                out -= 1
            end += max(0, (out - 1) * stride + kernel - padded)
        return pad, end

    # ---- modules -----------------------------------------------------------------------------------------
    def conv(self, node, m):
        n, c, h, w = self.shape(node.args[0])
        if any(d != 1 for d in _pair(m.dilation)):
            return self.unsupported_node(node, "Conv2d(dilation>1)")
        kh, kw = _pair(m.kernel_size)
        sh, sw = _pair(m.stride)
        if isinstance(m.padding, str):
            if m.padding == "valid":
                pads = [0, 0, 0, 0]
            else:  # 'same' (stride 1): the extra pad goes at the end, as PyTorch does
                th, tw = kh - 1, kw - 1
                pads = [th // 2, tw // 2, th - th // 2, tw - tw // 2]
        else:
            ph, pw = _pair(m.padding)
            pads = [ph, pw, ph, pw]
        self.emit(node, "conv2d", {"batch": n, "input": [h, w, c], "out_channels": m.out_channels,
                                   "kernel": [kh, kw], "stride": [sh, sw], "pads": pads,
                                   "groups": m.groups, "bias": m.bias is not None})

    def linear(self, node, m):
        shape = self.shape(node.args[0])
        batch = shape[0] if len(shape) >= 2 else 1
        rows = math.prod(shape[1:-1]) if len(shape) >= 2 else 1
        self.emit(node, "fc", {"batch": batch, "m": rows, "n": m.out_features, "k": m.in_features,
                               "b_is_weight": True, "bias": m.bias is not None, "tied_weights": False})

    def pool(self, node, op, kernel, stride, padding, ceil_mode, global_pool=False):
        n, c, h, w = self.shape(node.args[0])
        kh, kw = _pair(kernel)
        sh, sw = _pair(stride if stride is not None else kernel)
        ph, pw = _pair(padding)
        top, bottom = self.window(h, kh, sh, ph, ceil_mode)
        left, right = self.window(w, kw, sw, pw, ceil_mode)
        self.emit(node, op, {"batch": n, "input": [h, w, c], "global": global_pool, "kernel": [kh, kw],
                             "stride": [sh, sw], "pads": [top, left, bottom, right]})

    def adaptive_pool(self, node, op, output_size):
        n, c, h, w = self.shape(node.args[0])
        oh, ow = _pair(output_size)
        oh, ow = oh or h, ow or w
        if (oh, ow) == (1, 1):
            return self.pool(node, op, (h, w), (h, w), 0, False, global_pool=True)
        if h % oh or w % ow:
            return self.unsupported_node(node, "AdaptivePool(non-divisible)")
        return self.pool(node, op, (h // oh, w // ow), (h // oh, w // ow), 0, False)

    def rows(self, node, op, width):
        shape = self.shape(node.args[0])
        total = math.prod(shape)
        batch = shape[0] if len(shape) >= 2 else 1
        self.emit(node, op, {"batch": batch, "rows": total // width // batch, "width": width})

    def attention(self, node, m):
        if not m.batch_first:
            return self.unsupported_node(node, "MultiheadAttention(batch_first=False)")
        b, s, e = self.shape(node.args[0])
        heads = m.num_heads
        self.emit(node, "fc", {"batch": b, "m": s, "n": 3 * e, "k": e, "b_is_weight": True,
                               "bias": m.in_proj_bias is not None, "tied_weights": False},
                  name=f"{node.target}.in_proj")
        self.emit(node, "attention", {"batch": b, "heads": heads, "kv_heads": heads, "head_dim": e // heads,
                                      "q_len": s, "past_len": 0, "causal": False, "kv_cache": False,
                                      "fused": True}, name=f"{node.target}.attention")
        self.ops[-1]["inputs"] = [len(self.ops) - 2]
        self.emit(node, "fc", {"batch": b, "m": s, "n": e, "k": e, "b_is_weight": True,
                               "bias": m.out_proj.bias is not None, "tied_weights": False},
                  name=f"{node.target}.out_proj")
        self.ops[-1]["inputs"] = [len(self.ops) - 2]

    def call_module(self, node):
        import torch.nn as nn
        m = self.modules[node.target]
        acts = {nn.ReLU: ("relu", "relu"), nn.ReLU6: ("relu6", "relu6"), nn.SiLU: ("silu", "silu"),
                nn.GELU: ("gelu", "gelu"), nn.Sigmoid: ("sigmoid", "sigmoid"),
                nn.Hardswish: ("hard_swish", "hard_swish"), nn.Hardsigmoid: ("hard_sigmoid", "hard_sigmoid"),
                nn.Tanh: ("tanh", "sigmoid")}
        if isinstance(m, nn.Conv2d):
            self.conv(node, m)
        elif isinstance(m, nn.Linear):
            self.linear(node, m)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.Dropout, nn.Identity)):
            self.pass_through(node, keep_fusable=True)  # folded into the producer / inference no-ops
        elif isinstance(m, (nn.Flatten, nn.Unflatten)):
            self.pass_through(node)
        elif type(m) in acts:
            self.activation(node, *acts[type(m)])
        elif isinstance(m, nn.MaxPool2d):
            if any(d != 1 for d in _pair(m.dilation)):
                return self.unsupported_node(node, "MaxPool2d(dilation>1)")
            self.pool(node, "maxpool", m.kernel_size, m.stride, m.padding, m.ceil_mode)
        elif isinstance(m, nn.AvgPool2d):
            self.pool(node, "avgpool", m.kernel_size, m.stride, m.padding, m.ceil_mode)
        elif isinstance(m, nn.AdaptiveAvgPool2d):
            self.adaptive_pool(node, "avgpool", m.output_size)
        elif isinstance(m, nn.AdaptiveMaxPool2d):
            self.adaptive_pool(node, "maxpool", m.output_size)
        elif isinstance(m, nn.LayerNorm):
            self.rows(node, "layernorm", math.prod(m.normalized_shape))
        elif isinstance(m, nn.Softmax):
            self.rows(node, "softmax", self.shape(node.args[0])[m.dim if m.dim is not None else -1])
        elif isinstance(m, nn.MultiheadAttention):
            self.attention(node, m)
        elif isinstance(m, nn.Upsample):
            batch, elements = self.batch_split(self.shape(node))
            self.emit(node, "eltwise", {"batch": batch, "function": "copy", "elements": elements, "operands": 1})
        else:
            self.unsupported_node(node, type(m).__name__)

    # ---- functions and methods ---------------------------------------------------------------------------
    DATA_MOVEMENT = {"flatten", "reshape", "view", "permute", "transpose", "contiguous", "squeeze", "unsqueeze",
                     "expand", "cat", "concat", "getitem", "getattr", "size", "chunk", "split", "narrow",
                     "select", "to", "type", "float", "half", "clone", "detach", "dim", "_assert"}

    def call_function(self, node, name):
        import torch.fx
        if name in ("add", "iadd", "sub", "mul", "imul", "truediv", "div"):
            tensors = [a for a in node.args if isinstance(a, torch.fx.Node) and "tensor_meta" in a.meta]
            if not tensors or "tensor_meta" not in node.meta:  # scalar arithmetic on sizes
                return self.pass_through(node)
            return self.eltwise(node, "mul" if name in ("mul", "imul", "truediv", "div") else "add")
        acts = {"relu": ("relu", "relu"), "relu_": ("relu", "relu"), "relu6": ("relu6", "relu6"),
                "hardtanh": ("relu6", "relu6"), "silu": ("silu", "silu"), "gelu": ("gelu", "gelu"),
                "sigmoid": ("sigmoid", "sigmoid"), "hardswish": ("hard_swish", "hard_swish"),
                "hardsigmoid": ("hard_sigmoid", "hard_sigmoid"), "tanh": ("tanh", "sigmoid")}
        if name in acts:
            return self.activation(node, *acts[name])
        if name in ("adaptive_avg_pool2d", "adaptive_max_pool2d"):
            size = node.args[1] if len(node.args) > 1 else node.kwargs["output_size"]
            return self.adaptive_pool(node, "avgpool" if "avg" in name else "maxpool", size)
        if name == "softmax":
            dim = node.args[1] if len(node.args) > 1 else node.kwargs.get("dim", -1)
            return self.rows(node, "softmax", self.shape(node.args[0])[dim])
        if name in ("matmul", "bmm"):
            a, b = self.shape(node.args[0]), self.shape(node.args[1])
            out = self.shape(node)
            batch = math.prod(out[:-2]) if len(out) > 2 else 1
            return self.emit(node, "matmul", {"batch": batch, "m": a[-2] if len(a) > 1 else 1,
                                              "n": b[-1] if len(b) > 1 else 1, "k": a[-1], "b_is_weight": False,
                                              "bias": False, "tied_weights": False})
        if name in self.DATA_MOVEMENT:
            return self.pass_through(node)
        return self.unsupported_node(node, name)

    def unsupported_node(self, node, label):
        self.unsupported[label] = self.unsupported.get(label, 0) + 1
        self.pass_through(node)

    def run(self):
        for node in self.gm.graph.nodes:
            if node.op in ("placeholder", "get_attr"):
                self.producers[node] = []
            elif node.op == "output":
                continue
            elif node.op == "call_module":
                self.call_module(node)
            else:
                name = getattr(node.target, "__name__", str(node.target)) if node.op == "call_function" \
                    else str(node.target)
                self.call_function(node, name)
        if self.unsupported:
            listing = ", ".join(f"{k} x{v}" for k, v in self.unsupported.items())
            if not self.allow_unsupported:
                raise ExportError(f"unsupported modules/functions: {listing}; expected only what "
                                  "analysis/torch_export.py maps, or --allow-unsupported to skip these")
            print(f"torch_export: warning: skipped {listing}", file=sys.stderr)
        if not self.ops:
            raise ExportError("expected at least one compute operator, found none")
        return self.ops
