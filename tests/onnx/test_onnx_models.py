#!/usr/bin/env python3
"""ctest: small ONNX models written at test time with Debian's python3-onnx (onnx.helper, checked by
onnx.checker) run through `npusim run`: a transformer block (LayerNormalization, MatMul, Reshape and
Transpose, Softmax), a detector-style CNN (Resize, Concat, Sigmoid*Mul), and bad files (truncated, not
ONNX, a dynamic sequence length, unsupported operators with and without --allow-unsupported). Skips (77)
without python3-onnx."""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "trace"))
import harness  # noqa: E402


def weight(helper, numpy_like, name, dims):
    del numpy_like
    count = 1
    for d in dims:
        count *= d
    return helper.make_tensor(name, 1, dims, [0.0] * count)  # FLOAT


def transformer_block(onnx, helper, seq_len=16):
    """Pre-norm block: d_model 64, 4 heads of 16, FFN 256. seq_len None makes the sequence dynamic."""
    TP = onnx.TensorProto
    d, h, hd, ffn = 64, 4, 16, 256
    seq = seq_len if seq_len is not None else "seq"
    inits = [weight(helper, None, n, dims) for n, dims in
             [("ln1_g", [d]), ("ln1_b", [d]), ("wq", [d, d]), ("wk", [d, d]), ("wv", [d, d]), ("wo", [d, d]),
              ("ln2_g", [d]), ("ln2_b", [d]), ("w1", [d, ffn]), ("w2", [ffn, d])]]
    inits.append(helper.make_tensor("heads_shape", TP.INT64, [4], [1, seq_len or 16, h, hd]))
    inits.append(helper.make_tensor("model_shape", TP.INT64, [3], [1, seq_len or 16, d]))
    inits.append(helper.make_tensor("scale", TP.FLOAT, [], [0.25]))
    n = helper.make_node
    nodes = [
        n("LayerNormalization", ["x", "ln1_g", "ln1_b"], ["ln1"], name="ln1", axis=-1),
        n("MatMul", ["ln1", "wq"], ["q"], name="q_proj"),
        n("MatMul", ["ln1", "wk"], ["k"], name="k_proj"),
        n("MatMul", ["ln1", "wv"], ["v"], name="v_proj"),
        n("Reshape", ["q", "heads_shape"], ["q4"]), n("Transpose", ["q4"], ["qh"], perm=[0, 2, 1, 3]),
        n("Reshape", ["k", "heads_shape"], ["k4"]), n("Transpose", ["k4"], ["kt"], perm=[0, 2, 3, 1]),
        n("Reshape", ["v", "heads_shape"], ["v4"]), n("Transpose", ["v4"], ["vh"], perm=[0, 2, 1, 3]),
        n("MatMul", ["qh", "kt"], ["scores"], name="qk"),
        n("Mul", ["scores", "scale"], ["scaled"], name="scale"),
        n("Softmax", ["scaled"], ["probs"], name="softmax", axis=-1),
        n("MatMul", ["probs", "vh"], ["ctx"], name="av"),
        n("Transpose", ["ctx"], ["ctx_t"], perm=[0, 2, 1, 3]), n("Reshape", ["ctx_t", "model_shape"], ["ctx_m"]),
        n("MatMul", ["ctx_m", "wo"], ["attn"], name="o_proj"),
        n("Add", ["x", "attn"], ["res1"], name="res1"),
        n("LayerNormalization", ["res1", "ln2_g", "ln2_b"], ["ln2"], name="ln2", axis=-1),
        n("MatMul", ["ln2", "w1"], ["up"], name="ffn_up"),
        n("Relu", ["up"], ["act"]),
        n("MatMul", ["act", "w2"], ["down"], name="ffn_down"),
        n("Add", ["res1", "down"], ["y"], name="res2"),
    ]
    graph = helper.make_graph(nodes, "block", [helper.make_tensor_value_info("x", TP.FLOAT, [1, seq, d])],
                              [helper.make_tensor_value_info("y", TP.FLOAT, [1, seq, d])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def detector(onnx, helper, extra_node=None):
    """Conv -> SiLU (Sigmoid*Mul) -> 2x nearest Resize, concatenated with a skip branch, -> 1x1 conv."""
    TP = onnx.TensorProto
    inits = [weight(helper, None, "w1", [16, 3, 3, 3]), weight(helper, None, "w2", [8, 32, 1, 1]),
             helper.make_tensor("scales", TP.FLOAT, [4], [1, 1, 2, 2])]
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w1"], ["c1"], name="conv1", strides=[2, 2], pads=[1, 1, 1, 1]),
        n("Sigmoid", ["c1"], ["s1"], name="sigmoid"), n("Mul", ["c1", "s1"], ["a1"], name="silu"),
        n("Resize", ["a1", "", "scales"], ["up"], name="upsample", mode="nearest"),
        n("Conv", ["x", "w1"], ["skip"], name="skip", pads=[1, 1, 1, 1]),
        n("Concat", ["up", "skip"], ["cat"], axis=1),
        n("Conv", ["cat", "w2"], ["y"], name="head"),
    ]
    output = helper.make_tensor_value_info("y", TP.FLOAT, [1, 8, 32, 32])
    if extra_node:
        nodes.append(n(extra_node, ["y"], ["extra"], name="extra"))
        output = helper.make_tensor_value_info("extra", TP.INT64, [4, "nonzero"])
    graph = helper.make_graph(nodes, "det", [helper.make_tensor_value_info("x", TP.FLOAT, [1, 3, 32, 32])],
                              [output], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def rejected(npusim, path, expected, *extra):
    proc = harness.run([npusim, "run", "--quiet", "--workload", path, *extra], expect=2)
    text = proc.stdout.strip()
    harness.check("\n" not in text and text.startswith("npusim: error: ") and expected in text,
                  f"rejected {os.path.basename(path)}: {text}")


def main():
    args = harness.parse_args()
    (onnx,) = harness.require_modules("onnx", packages="python3-onnx")
    from onnx import helper

    with tempfile.TemporaryDirectory(prefix="npusim_onnx_") as tmp:
        harness.require_onnx_support(args.npusim, tmp)
        block = transformer_block(onnx, helper)
        onnx.checker.check_model(block, full_check=True)
        path = os.path.join(tmp, "block.onnx")
        onnx.save(block, path)
        result = harness.simulate(args.npusim, path, os.path.join(tmp, "block"))
        ops = {row["name"]: row for row in result["layers"]}
        # q, k, v: 3 x 16*64*64; QK^T and AV: 4 heads x 16*16*16 each; o: 16*64*64; FFN: 2 x 16*64*256.
        expected = 3 * 16 * 64 * 64 + 2 * 4 * 16 * 16 * 16 + 16 * 64 * 64 + 2 * 16 * 64 * 256
        harness.check(result["totals"]["macs"] == expected, f"block MACs {result['totals']['macs']} == {expected}")
        harness.check(ops["ln1"]["op"] == "layernorm" and ops["softmax"]["op"] == "softmax",
                      "LayerNormalization -> layernorm, Softmax -> softmax")
        harness.check(ops["qk"]["op"] == "matmul" and ops["q_proj"]["op"] == "fc", "MatMul -> matmul / fc")
        harness.check("scale" in ops and ops["scale"]["op"] == "eltwise", "Mul by a constant -> eltwise")
        harness.check(len(result["layers"]) == 14,
                      f"14 operators (Reshape/Transpose fold away, Relu fuses): {sorted(ops)}")

        det = detector(onnx, helper)
        onnx.checker.check_model(det, full_check=True)
        path = os.path.join(tmp, "det.onnx")
        onnx.save(det, path)
        result = harness.simulate(args.npusim, path, os.path.join(tmp, "det"))
        ops = {row["name"]: row for row in result["layers"]}
        # conv1: 16x16 x 16 x 27; skip: 32x32 x 16 x 27; head: 32x32 x 8 x 32.
        expected = 16 * 16 * 16 * 27 + 32 * 32 * 16 * 27 + 32 * 32 * 8 * 32
        harness.check(result["totals"]["macs"] == expected, f"detector MACs {result['totals']['macs']} == {expected}")
        harness.check(ops["upsample"]["op"] == "eltwise" and "head" in ops, "Resize -> eltwise copy; Concat folds")

        # Bad input: one line naming the file and what was expected, exit code 2.
        data = block.SerializeToString()
        truncated = os.path.join(tmp, "truncated.onnx")
        with open(truncated, "wb") as f:
            f.write(data[: len(data) // 2])
        rejected(args.npusim, truncated, "truncated.onnx: expected an ONNX model")
        text = os.path.join(tmp, "notes.onnx")
        with open(text, "w", encoding="utf-8") as f:
            f.write("not a model\n")
        rejected(args.npusim, text, "notes.onnx: expected an ONNX model")
        dynamic = os.path.join(tmp, "dynamic.onnx")
        onnx.save(transformer_block(onnx, helper, seq_len=None), dynamic)
        rejected(args.npusim, dynamic, "dynamic.onnx: input 'x': dim 1 ('seq') is dynamic")
        unsupported = os.path.join(tmp, "unsupported.onnx")
        onnx.save(detector(onnx, helper, extra_node="NonZero"), unsupported)
        rejected(args.npusim, unsupported, "unsupported.onnx: unsupported operators: NonZero x1")
        out = os.path.join(tmp, "allowed")
        proc = harness.run([args.npusim, "run", "--quiet", "--allow-unsupported", "--workload", unsupported,
                            "--out", out])
        harness.check("npusim: warning: skipped 1 unsupported ONNX operator" in proc.stdout,
                      f"--allow-unsupported warns: {proc.stdout.strip()}")
        with open(os.path.join(out, "result.json"), encoding="utf-8") as f:
            warnings = json.load(f)["workloads"][0].get("warnings", [])
        harness.check(len(warnings) == 1 and "NonZero x1" in warnings[0], f"result.json warnings: {warnings}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
