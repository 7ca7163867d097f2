#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora: small npusim traces (every op kind) and small ONNX models (python3-onnx;
weights without values, so each file is a few hundred bytes). Run from the repository root after changing
the formats:  python3 tests/fuzz/make_seeds.py  (needs build/npusim for the traces; --text-only writes
just the text seeds: config, SCALE-Sim, workload-string, sweep-file, traffic, fleet, golden and CLI)."""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def traces(npusim):
    specs = {"conv": "conv:h=8,w=8,c=4,k=8,r=3,pad=1,groups=2", "fc": "fc:in=16,out=8",
             "gemm": "gemm:m=8,n=8,k=8", "gpt2": "gpt2:layers=1,seq=8",
             "llama": "llama2-7b:layers=1,seq=8", "resnet50": "resnet50:resolution=32"}
    for name, spec in specs.items():
        subprocess.run([npusim, "export-trace", "--workload", spec, "--out",
                        os.path.join(HERE, "seeds_trace", name + ".json")], check=True)


def onnx_models():
    import onnx
    from onnx import helper, TensorProto as TP

    def w(name, dims):  # shape only: the importer never reads float weights
        t = onnx.TensorProto()
        t.name = name
        t.data_type = TP.FLOAT
        t.dims.extend(dims)
        return t

    def save(name, nodes, inputs, inits, opset=13):
        graph = helper.make_graph(nodes, name, inputs, [helper.make_tensor_value_info(nodes[-1].output[0], TP.FLOAT, None)],
                                  inits)
        onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)]),
                  os.path.join(HERE, "seeds_onnx", name + ".onnx"))

    n = helper.make_node
    x = helper.make_tensor_value_info("x", TP.FLOAT, [1, 4, 8, 8])
    save("cnn", [n("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1], group=2), n("Relu", ["c"], ["r"]),
                 n("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
                 n("GlobalAveragePool", ["p"], ["g"]), n("Flatten", ["g"], ["f"]),
                 n("Gemm", ["f", "fc"], ["y"], transB=1)],
         [x], [w("w", [8, 2, 3, 3]), w("fc", [10, 8])])
    t = helper.make_tensor_value_info("t", TP.FLOAT, [2, 4, 16])
    save("block", [n("LayerNormalization", ["t", "g", "b"], ["l"], axis=-1), n("MatMul", ["l", "wq"], ["q"]),
                   n("Reshape", ["q", "shape"], ["q4"]), n("Transpose", ["q4"], ["qt"], perm=[0, 2, 1, 3]),
                   n("Transpose", ["q4"], ["kt"], perm=[0, 2, 3, 1]), n("MatMul", ["qt", "kt"], ["s"]), n("Softmax", ["s"], ["y"], axis=-1)],
         [t], [w("g", [16]), w("b", [16]), w("wq", [16, 4]), helper.make_tensor("shape", TP.INT64, [4], [2, 4, 2, 2])],
         opset=17)
    s = helper.make_tensor_value_info("s", TP.FLOAT, [1, 3, 4, 4])
    save("shapes", [n("Shape", ["s"], ["sh"]), n("Gather", ["sh", "i0"], ["n0"], axis=0),
                    n("Concat", ["n0", "m1"], ["target"], axis=0), n("Reshape", ["s", "target"], ["r"]),
                    n("Unsqueeze", ["r", "ax"], ["u"]), n("Resize", ["s", "", "sc"], ["up"], mode="nearest"),
                    n("Sigmoid", ["up"], ["y"])],
         [s], [helper.make_tensor("i0", TP.INT64, [1], [0]), helper.make_tensor("m1", TP.INT64, [1], [-1]),
               helper.make_tensor("ax", TP.INT64, [1], [0]), helper.make_tensor("sc", TP.FLOAT, [4], [1, 1, 2, 2])])


def write_seed(folder, name, data):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    with open(os.path.join(HERE, folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def read(path):
    with open(os.path.join(HERE, "..", "..", path), "rb") as f:
        return f.read()


def text_seeds():
    """Seeds of the config, SCALE-Sim, workload-string and sweep-file targets, from the repository's own files."""
    edge = read("configs/npu/edge-int8.json")
    write_seed("seeds_config", "edge", b"\n" + edge)
    write_seed("seeds_config", "edge-set", b"npu.clock_mhz=500;npu.array.rows=16;npu.noc.kind=mesh\n" + edge)
    write_seed("seeds_config", "tpu-v4", b"\n" + read("configs/npu/tpu-v4.json"))
    write_seed("seeds_scalesim", "google-cfg", b"\x00" + read("tests/data/scalesim/google.cfg"))
    write_seed("seeds_scalesim", "user-cfg", b"\x00" + read("tests/data/scalesim/scale_user.cfg"))
    write_seed("seeds_scalesim", "resnet18-csv", b"\x01" + read("tests/data/scalesim-topologies/Resnet18.csv"))
    write_seed("seeds_scalesim", "ncf-csv", b"\x01" + read("tests/data/scalesim-topologies/NCF.csv"))
    for name, spec in {"resnet": "resnet50:batch=2", "gemm": "gemm:m=8,n=8,k=8", "conv": "conv:h=8,w=8,c=4,k=8,r=3",
                       "llama": "llama2-7b:layers=1,seq=8", "gpt2": "gpt2:layers=1,seq=4,past=4",
                       "bert": "bert-base:layers=1,seq=16"}.items():
        write_seed("seeds_workload_spec", name, spec)
    write_seed("seeds_sweep_files", "spec", b"\x00" + read("configs/sweeps/array-sram-dram.json"))
    write_seed("seeds_sweep_files", "suite", b"\x02" + read("tests/regression/suite.json"))
    write_seed("seeds_sweep_files", "results", b"\x01" + b'{"id": "a1", "index": 0, "status": "ok", '
               b'"axes": {"npu.array.rows": 16}, "workload": "gemm:m=8,n=8,k=8", "totals": {"cycles": 10}}\n')

    new_target_seeds()


# Command lines from the README's examples, one argument per NUL-separated part (fuzz_cli splits there).
CLI_SEEDS = {
    "run": "run --npu edge-int8 --workload resnet50:batch=4 --gpu none --set npu.sram.banks=8 --layers all -q",
    "run-llm": "run --npu edge-int8 --workload llama2-7b:layers=2 --prefill 16 --decode 8 --decode-samples 2",
    "run-system": "run --system rngd-server-8 --workload llama3.1-8b --decode 4 --tp 4 --pp 2 --all-reduce tree",
    "serve": "serve --npu furiosa-rngd --model llama3.1-8b:layers=2 --rate 50 --requests 24 --input-tokens "
             "uniform:16:160 --output-tokens fixed:8 --scheduler sarathi --slo ttft_p90_s=0.01,tpot_p99_s=0.002",
    "serve-streams": "serve --npu edge-int8 --traffic traces/examples/streams/cameras.json --policy edf "
                     "--duration-s 1 --find-max-streams cam",
    "sweep": "sweep configs/sweeps/array-sram-dram.json -j 2 --slurm-script --partition debug --array-tasks 4",
    "pareto": "pareto sweeps/x --x cycles --y energy_j --maximize-y --where inferences_per_s>=240 --rate 100",
    "regress": "regress --golden tests/regression/golden --jobs 2 --set npu.clock_mhz=500 --scale npu.sram.banks=2",
    "fleet": "fleet small --quiet",
    "validate": "validate edge-int8 --set npu.clock_mhz=500 --print",
    "validate-gpu": "validate-gpu --gpu a100-sxm4-80gb --json",
    "bench": "bench --case edge-int8:gemm:m=8,n=8,k=8 --repeat 1",
    "export-trace": "export-trace --workload gemm:m=8,n=8,k=8 --batch 2 --dtype fp16",
    "list": "list",
}


def new_target_seeds():
    """Seeds of the traffic, fleet, golden and CLI targets, from the repository's own examples."""
    write_seed("seeds_traffic", "chat-jsonl", b"\x00" + read("traces/examples/chat-requests.jsonl"))
    write_seed("seeds_traffic", "cameras", b"\x01" + read("traces/examples/streams/cameras.json"))
    write_seed("seeds_traffic", "gpt2-serving", b"\x01" + read("traces/examples/gpt2-serving.json"))
    for name in ("small", "robots", "city-cameras-and-chat"):
        write_seed("seeds_fleet", name, read(f"configs/fleet/{name}.json"))
    import json
    with open(os.path.join(HERE, "..", "regression", "suite.json"), encoding="utf-8") as f:
        points = [p["name"] for p in json.load(f)["points"]]
    for index, name in enumerate(points):  # the first byte picks the suite point
        write_seed("seeds_golden", name, bytes([index]) + read(f"tests/regression/golden/{name}.json"))
    for name, line in CLI_SEEDS.items():
        write_seed("seeds_cli", name, "\0".join(line.split(" ")))


if __name__ == "__main__":
    npusim = sys.argv[1] if len(sys.argv) > 1 else "build/npusim"
    text_seeds()
    if "--text-only" not in sys.argv:
        traces(npusim)
        onnx_models()
