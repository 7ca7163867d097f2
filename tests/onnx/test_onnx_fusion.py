#!/usr/bin/env python3
"""ctest: ONNX graphs as exporters write them (hard-swish and hard-sigmoid decomposed, LayerNorm at opset
13, Softmax as Exp/ReduceSum/Div, Erf GELU, MatMul + bias Add, Sigmoid * x) import fused, as compilers
run them: a MobileNetV3-style CNN and a transformer block, each next to the npusim op trace of the same
network written by hand, agree exactly in MACs and within 2% in cycles; result.json says which fusions
were applied. ReduceMean is a reduction (output-sized writes). With --allow-unsupported, a shape error
downstream of a skipped LSTM names the skipped node. Skips (77) without python3-onnx."""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "trace"))
import harness  # noqa: E402

OPSET = 13  # before HardSwish (14), LayerNormalization (17) and Gelu (20): exporters decompose them


def zeros(helper, name, dims):
    count = 1
    for d in dims:
        count *= d
    return helper.make_tensor(name, 1, dims, [0.0] * count)


def scalars(helper, TP, **values):
    return [helper.make_tensor(name, TP.FLOAT, [], [value]) for name, value in values.items()]


def mobilenet_v3_block(onnx, helper):
    """Stem conv + hard-swish (x * clip(x + 3, 0, 6) / 6), depthwise conv + ReLU, squeeze-excite with a
    decomposed hard-sigmoid gate, 1x1 projection, residual add, pooled head with HardSigmoid * x (how
    torch exports hardswish before opset 14) between two Gemms."""
    TP = onnx.TensorProto
    n = helper.make_node
    inits = [zeros(helper, name, dims) for name, dims in
             [("w_stem", [16, 3, 3, 3]), ("w_dw", [16, 1, 3, 3]), ("w_se1", [8, 16, 1, 1]), ("b_se1", [8]),
              ("w_se2", [16, 8, 1, 1]), ("b_se2", [16]), ("w_pj", [16, 16, 1, 1]), ("w_fc1", [32, 16]),
              ("b_fc1", [32]), ("w_fc2", [10, 32]), ("b_fc2", [10])]]
    inits += scalars(helper, TP, three=3.0, zero=0.0, six=6.0)
    nodes = [
        n("Conv", ["x", "w_stem"], ["c1"], name="stem", strides=[2, 2], pads=[1, 1, 1, 1]),
        n("Add", ["c1", "three"], ["c1_3"]), n("Clip", ["c1_3", "zero", "six"], ["c1_clip"]),
        n("Mul", ["c1", "c1_clip"], ["c1_mul"]), n("Div", ["c1_mul", "six"], ["hs1"]),
        n("Conv", ["hs1", "w_dw"], ["dw"], name="dw", group=16, pads=[1, 1, 1, 1]),
        n("Relu", ["dw"], ["d1"]),
        n("GlobalAveragePool", ["d1"], ["sq"], name="se_pool"),
        n("Conv", ["sq", "w_se1", "b_se1"], ["se1"], name="se_fc1"), n("Relu", ["se1"], ["se1r"]),
        n("Conv", ["se1r", "w_se2", "b_se2"], ["se2"], name="se_fc2"),
        n("Add", ["se2", "three"], ["se2_3"]), n("Clip", ["se2_3", "zero", "six"], ["se2_clip"]),
        n("Div", ["se2_clip", "six"], ["gate"]),
        n("Mul", ["d1", "gate"], ["excited"], name="se_scale"),
        n("Conv", ["excited", "w_pj"], ["pj"], name="project"),
        n("Add", ["hs1", "pj"], ["res"], name="residual"),
        n("GlobalAveragePool", ["res"], ["pooled"], name="pool"), n("Flatten", ["pooled"], ["flat"]),
        n("Gemm", ["flat", "w_fc1", "b_fc1"], ["fc1"], name="fc1", transB=1),
        n("HardSigmoid", ["fc1"], ["fc1_gate"], alpha=1.0 / 6, beta=0.5), n("Mul", ["fc1", "fc1_gate"], ["fc1_hs"]),
        n("Gemm", ["fc1_hs", "w_fc2", "b_fc2"], ["y"], name="fc2", transB=1),
    ]
    graph = helper.make_graph(nodes, "mbv3", [helper.make_tensor_value_info("x", TP.FLOAT, [1, 3, 32, 32])],
                              [helper.make_tensor_value_info("y", TP.FLOAT, [1, 10])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])


# The same network as an op trace: what a compiler runs (activations fused into their producers).
MOBILENET_V3_TRACE = [
    {"name": "stem", "op": "conv2d", "input": [32, 32, 3], "out_channels": 16, "kernel": [3, 3], "stride": [2, 2],
     "pads": [1, 1, 1, 1], "activation": "hard_swish"},
    {"name": "dw", "op": "conv2d", "inputs": ["stem"], "input": [16, 16, 16], "out_channels": 16, "kernel": [3, 3],
     "pads": [1, 1, 1, 1], "groups": 16, "activation": "relu"},
    {"name": "se_pool", "op": "avgpool", "inputs": ["dw"], "input": [16, 16, 16], "global": True},
    {"name": "se_fc1", "op": "conv2d", "inputs": ["se_pool"], "input": [1, 1, 16], "out_channels": 8,
     "kernel": [1, 1], "bias": True, "activation": "relu"},
    {"name": "se_fc2", "op": "conv2d", "inputs": ["se_fc1"], "input": [1, 1, 8], "out_channels": 16,
     "kernel": [1, 1], "bias": True, "activation": "hard_sigmoid"},
    {"name": "se_scale", "op": "eltwise", "inputs": ["dw", "se_fc2"], "function": "mul", "elements": 4096,
     "operands": 2},
    {"name": "project", "op": "conv2d", "inputs": ["se_scale"], "input": [16, 16, 16], "out_channels": 16,
     "kernel": [1, 1]},
    {"name": "residual", "op": "eltwise", "inputs": ["stem", "project"], "function": "add", "elements": 4096,
     "operands": 2},
    {"name": "pool", "op": "avgpool", "inputs": ["residual"], "input": [16, 16, 16], "global": True},
    {"name": "fc1", "op": "fc", "inputs": ["pool"], "k": 16, "n": 32, "bias": True, "activation": "hard_swish"},
    {"name": "fc2", "op": "fc", "inputs": ["fc1"], "k": 32, "n": 10, "bias": True},
]


def layer_norm(n, x, gamma, beta, out, tag):
    """LayerNorm over the last axis as exported at opset < 17."""
    return [
        n("ReduceMean", [x], [f"{tag}_mean"], name=f"{tag}", axes=[-1]),
        n("Sub", [x, f"{tag}_mean"], [f"{tag}_d"]), n("Pow", [f"{tag}_d", "two"], [f"{tag}_sq"]),
        n("ReduceMean", [f"{tag}_sq"], [f"{tag}_var"], axes=[-1]), n("Add", [f"{tag}_var", "eps"], [f"{tag}_ve"]),
        n("Sqrt", [f"{tag}_ve"], [f"{tag}_std"]), n("Div", [f"{tag}_d", f"{tag}_std"], [f"{tag}_n"]),
        n("Mul", [f"{tag}_n", gamma], [f"{tag}_g"]), n("Add", [f"{tag}_g", beta], [out]),
    ]


def linear(n, x, w, b, out, name):
    return [n("MatMul", [x, w], [f"{name}_mm"], name=name), n("Add", [f"{name}_mm", b], [out])]


def transformer_block(onnx, helper):
    """Pre-norm block, d_model 64, 4 heads of 16, FFN 256 with Erf GELU, seq 16, everything decomposed."""
    TP = onnx.TensorProto
    n = helper.make_node
    d, ffn = 64, 256
    inits = [zeros(helper, name, dims) for name, dims in
             [("g1", [d]), ("b1", [d]), ("wq", [d, d]), ("bq", [d]), ("wk", [d, d]), ("bk", [d]), ("wv", [d, d]),
              ("bv", [d]), ("wo", [d, d]), ("bo", [d]), ("g2", [d]), ("b2", [d]), ("w1", [d, ffn]), ("bf1", [ffn]),
              ("w2", [ffn, d]), ("bf2", [d])]]
    inits += scalars(helper, TP, two=2.0, eps=1e-5, scale=0.25, sqrt2=2 ** 0.5, one=1.0, half=0.5)
    inits += [helper.make_tensor("heads_shape", TP.INT64, [4], [1, 16, 4, 16]),
              helper.make_tensor("model_shape", TP.INT64, [3], [1, 16, d]),
              helper.make_tensor("last_axis", TP.INT64, [1], [-1])]
    nodes = layer_norm(n, "x", "g1", "b1", "ln1", "ln1")
    nodes += linear(n, "ln1", "wq", "bq", "q", "q_proj") + linear(n, "ln1", "wk", "bk", "k", "k_proj")
    nodes += linear(n, "ln1", "wv", "bv", "v", "v_proj")
    nodes += [
        n("Reshape", ["q", "heads_shape"], ["q4"]), n("Transpose", ["q4"], ["qh"], perm=[0, 2, 1, 3]),
        n("Reshape", ["k", "heads_shape"], ["k4"]), n("Transpose", ["k4"], ["kt"], perm=[0, 2, 3, 1]),
        n("Reshape", ["v", "heads_shape"], ["v4"]), n("Transpose", ["v4"], ["vh"], perm=[0, 2, 1, 3]),
        n("MatMul", ["qh", "kt"], ["scores"], name="qk"), n("Mul", ["scores", "scale"], ["scaled"], name="scale"),
        n("ReduceMax", ["scaled"], ["smax"], name="softmax", axes=[-1]), n("Sub", ["scaled", "smax"], ["shifted"]),
        n("Exp", ["shifted"], ["e"]), n("ReduceSum", ["e", "last_axis"], ["esum"]), n("Div", ["e", "esum"], ["probs"]),
        n("MatMul", ["probs", "vh"], ["ctx"], name="av"),
        n("Transpose", ["ctx"], ["ctx_t"], perm=[0, 2, 1, 3]), n("Reshape", ["ctx_t", "model_shape"], ["ctx_m"]),
    ]
    nodes += linear(n, "ctx_m", "wo", "bo", "attn", "o_proj") + [n("Add", ["x", "attn"], ["res1"], name="res1")]
    nodes += layer_norm(n, "res1", "g2", "b2", "ln2", "ln2") + linear(n, "ln2", "w1", "bf1", "up", "ffn_up")
    nodes += [n("Div", ["up", "sqrt2"], ["up_s"], name="gelu"), n("Erf", ["up_s"], ["up_erf"]),
              n("Add", ["up_erf", "one"], ["up_1"]), n("Mul", ["up", "up_1"], ["up_x"]),
              n("Mul", ["up_x", "half"], ["act"])]
    nodes += linear(n, "act", "w2", "bf2", "down", "ffn_down") + [n("Add", ["res1", "down"], ["y"], name="res2")]
    graph = helper.make_graph(nodes, "block", [helper.make_tensor_value_info("x", TP.FLOAT, [1, 16, d])],
                              [helper.make_tensor_value_info("y", TP.FLOAT, [1, 16, d])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])


def fc(name, inputs, k, n, **extra):
    return {"name": name, "op": "fc", "inputs": inputs, "m": 16, "k": k, "n": n, "bias": True, **extra}


TRANSFORMER_TRACE = [
    {"name": "ln1", "op": "layernorm", "rows": 16, "width": 64},
    fc("q_proj", ["ln1"], 64, 64), fc("k_proj", ["ln1"], 64, 64), fc("v_proj", ["ln1"], 64, 64),
    {"name": "qk", "op": "matmul", "inputs": ["q_proj", "k_proj"], "batch": 4, "m": 16, "n": 16, "k": 16,
     "b_is_weight": False},
    {"name": "scale", "op": "eltwise", "inputs": ["qk"], "function": "mul", "elements": 1024, "operands": 1},
    {"name": "softmax", "op": "softmax", "inputs": ["scale"], "rows": 64, "width": 16},
    {"name": "av", "op": "matmul", "inputs": ["softmax", "v_proj"], "batch": 4, "m": 16, "n": 16, "k": 16,
     "b_is_weight": False},
    fc("o_proj", ["av"], 64, 64),
    {"name": "res1", "op": "eltwise", "inputs": ["o_proj"], "function": "add", "elements": 1024, "operands": 2},
    {"name": "ln2", "op": "layernorm", "inputs": ["res1"], "rows": 16, "width": 64},
    fc("ffn_up", ["ln2"], 64, 256, activation="gelu"), fc("ffn_down", ["ffn_up"], 256, 64),
    {"name": "res2", "op": "eltwise", "inputs": ["res1", "ffn_down"], "function": "add", "elements": 1024,
     "operands": 2},
]


def write_trace(path, name, operators):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"format": "npusim-trace", "version": 1, "name": name, "operators": operators}, f)


def compare(npusim, tmp, name, model, trace_ops, onnx, expected_fusions):
    """The ONNX export and the hand-written trace of one network: MACs equal, cycles within 2%."""
    onnx.checker.check_model(model, full_check=True)
    onnx_path, trace_path = os.path.join(tmp, name + ".onnx"), os.path.join(tmp, name + ".json")
    onnx.save(model, onnx_path)
    write_trace(trace_path, name, trace_ops)
    via_onnx = harness.simulate(npusim, onnx_path, os.path.join(tmp, name + "_onnx"), "--gpu", "none")
    via_trace = harness.simulate(npusim, trace_path, os.path.join(tmp, name + "_trace"), "--gpu", "none")
    macs = (via_onnx["totals"]["macs"], via_trace["totals"]["macs"])
    harness.check(macs[0] == macs[1], f"{name}: MACs through ONNX and the op trace agree exactly: {macs}")
    layers = (len(via_onnx["layers"]), len(trace_ops))
    harness.check(layers[0] == layers[1], f"{name}: {layers[0]} layers after fusion, the trace has {layers[1]}: "
                  f"{[row['name'] + ':' + row['op'] for row in via_onnx['layers']]}")
    cycles = (via_onnx["totals"]["cycles"], via_trace["totals"]["cycles"])
    harness.check(abs(cycles[0] - cycles[1]) <= 0.02 * cycles[1],
                  f"{name}: cycles through ONNX and the op trace within 2%: {cycles}")
    notes = " ".join(via_onnx["workloads"][0].get("notes", []))
    harness.check(all(fusion in notes for fusion in expected_fusions),
                  f"{name}: result.json names the fusions {expected_fusions}: {notes}")


def check_reduction(npusim, tmp, onnx, helper):
    """ReduceMean over H and W of [1, 32, 8, 8] (int8): reads 2048 bytes, writes the 32-byte output,
    not an input-sized tensor as an elementwise op would."""
    TP = onnx.TensorProto
    n = helper.make_node
    graph = helper.make_graph(
        [n("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
         n("ReduceMean", ["c"], ["y"], name="mean", axes=[2, 3], keepdims=1)], "reduce",
        [helper.make_tensor_value_info("x", TP.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TP.FLOAT, [1, 32, 1, 1])], [zeros(helper, "w", [32, 3, 3, 3])])
    path = os.path.join(tmp, "reduce.onnx")
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)]), path)
    rows = {row["name"]: row for row in harness.simulate(npusim, path, os.path.join(tmp, "reduce"), "--gpu", "none")["layers"]}
    mean = rows["mean"]
    harness.check(mean["op"] == "avgpool" and mean["dram_write_bytes"] <= 32,
                  f"ReduceMean is a reduction: {mean['op']}, {mean['dram_write_bytes']} bytes written (<= 32)")


def check_skipped_lstm(npusim, tmp, onnx, helper):
    """An LSTM (unsupported) skipped with --allow-unsupported takes its input's shape [4, 1, 8]; the MatMul
    after its Transpose expects K = 16 and fails; the message says the input came from the skipped node."""
    TP = onnx.TensorProto
    n = helper.make_node
    graph = helper.make_graph(
        [n("LSTM", ["x", "W", "R"], ["seq"], name="lstm", hidden_size=16),
         n("Transpose", ["seq"], ["seq_t"], perm=[1, 0, 2]),
         n("MatMul", ["seq_t", "w_out"], ["y"], name="head")], "lstm",
        [helper.make_tensor_value_info("x", TP.FLOAT, [4, 1, 8])],
        [helper.make_tensor_value_info("y", TP.FLOAT, [1, 4, 10])],
        [zeros(helper, "W", [1, 64, 8]), zeros(helper, "R", [1, 64, 16]), zeros(helper, "w_out", [16, 10])])
    path = os.path.join(tmp, "lstm.onnx")
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)]), path)
    proc = harness.run([npusim, "run", "--quiet", "--allow-unsupported", "--workload", path], expect=2)
    text = proc.stdout.strip().splitlines()[-1]
    harness.check(text.startswith("npusim: error: ") and "comes from skipped unsupported node 'lstm'" in text,
                  f"downstream of a skipped node: {text}")


def main():
    args = harness.parse_args()
    (onnx,) = harness.require_modules("onnx", packages="python3-onnx")
    from onnx import helper

    with tempfile.TemporaryDirectory(prefix="npusim_onnx_fusion_") as tmp:
        harness.require_onnx_support(args.npusim, tmp)
        compare(args.npusim, tmp, "mbv3", mobilenet_v3_block(onnx, helper), MOBILENET_V3_TRACE, onnx,
                ["hard_sigmoid x1", "hard_swish x2"])
        compare(args.npusim, tmp, "block", transformer_block(onnx, helper), TRANSFORMER_TRACE, onnx,
                ["gelu x1", "layernorm x2", "softmax x1", "matmul_bias x6"])
        check_reduction(args.npusim, tmp, onnx, helper)
        check_skipped_lstm(args.npusim, tmp, onnx, helper)
    return 0


if __name__ == "__main__":
    sys.exit(main())
