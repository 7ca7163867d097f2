"""The classes of bad input test_bad_inputs.py runs: name, argv ({dir}: the case's scratch folder, {out}:
an --out folder holding an earlier result), files to write first, optional setup, and the text the one
error line must contain (the file, field path, line or flag it names)."""

import os

RUN = ["run", "--quiet", "--npu", "edge-int8"]


def npu(**fields):
    """A config file that layers fields over the edge-int8 preset."""
    return {"base": "npu/edge-int8.json", **fields}


def config_case(name, fields, expect, raw=None):
    text = raw if raw is not None else npu(**fields)
    return {"name": name, "files": {"c.json": text},
            "args": ["run", "--quiet", "--npu", "{dir}/c.json", "--workload", "fc:in=64,out=64", "--out", "{out}"],
            "expect": ["c.json", expect]}


def set_case(name, assignment, expect):
    return {"name": name, "args": RUN + ["--workload", "fc:in=64,out=64", "--set", assignment, "--out", "{out}"],
            "expect": expect}


def workload_case(name, workload, expect, files=None):
    return {"name": name, "files": files or {}, "args": RUN + ["--workload", workload, "--out", "{out}"],
            "expect": expect}


def deep_nesting(levels):
    return '{"base": "npu/edge-int8.json", "sources": ' + '{"a": ' * levels + "1" + "}" * levels + "}"


def make_fifo(scratch):
    os.mkfifo(os.path.join(scratch, "fifo"))


def make_symlink_out(scratch):
    os.makedirs(os.path.join(scratch, "real"))
    os.symlink(os.path.join(scratch, "real"), os.path.join(scratch, "link"))


def make_symlink_file(scratch):
    with open(os.path.join(scratch, "target.json"), "w", encoding="utf-8") as f:
        f.write("keep me\n")
    os.symlink(os.path.join(scratch, "target.json"), os.path.join(scratch, "timeline.json"))


SWEEP = {"npu": "edge-int8", "axes": [{"path": "npu.array.rows", "values": [16]}], "workloads": ["fc:in=64,out=64"]}
REQUESTS = '{"arrival_s": 1.0, "input_tokens": 16, "output_tokens": 4}\n{"arrival_s": 0.5, "input_tokens": 16, "output_tokens": 4}\n'
STREAMS = ["serve", "--npu", "edge-int8", "--gpu", "none", "--traffic", "{dir}/t.json", "--duration-s", "0.1",
           "--out", "{out}"]


def streams_file(**fields):
    """A stream traffic file of one camera stream, with `fields` replacing or adding to it."""
    return {"streams": [{"name": "cam", "model": "mobilenetv2", "rate_hz": 10, **fields}]}


SERVE = ["serve", "--npu", "edge-int8", "--model", "gpt2", "--gpu", "none", "--out", "{out}"]
MULTICHIP = ["run", "--quiet", "--system", "rngd-server-8", "--gpu", "none", "--workload", "llama3.1-70b", "--decode",
             "2", "--out", "{out}"]
FLEET_CANDIDATE = {"name": "edge", "npu": "edge-int8", "unit_price_usd": 100, "board_power_w": 5}
FLEET_STREAMS = {"name": "cams", "streams": {"model": "fc:in=64,out=64", "rate_hz": 10, "count": 4}}
FLEET = {"years": 3, "electricity_usd_per_kwh": 0.1, "demands": [FLEET_STREAMS], "candidates": [FLEET_CANDIDATE]}


def fleet_case(name, expect, **fields):
    return {"name": name, "files": {"f.json": {**FLEET, **fields}},
            "args": ["fleet", "--quiet", "{dir}/f.json", "--out", "{out}"], "expect": ["f.json", *expect]}


CASES = [
    # ---- configs: numbers out of physical range, overflow, structure ----
    config_case("clock tiny", {"clock_mhz": 1e-300}, "clock_mhz"),
    config_case("clock huge", {"clock_mhz": 1e308}, "clock_mhz"),
    config_case("number overflows double", None, "line 1", raw='{"base": "npu/edge-int8.json", "clock_mhz": 1e400}'),
    config_case("nesting 100000 deep", None, "nesting deeper", raw=deep_nesting(100000)),
    config_case("duplicate key", None, "duplicate key 'clock_mhz'",
                raw='{"base": "npu/edge-int8.json", "clock_mhz": 500, "clock_mhz": 900}'),
    config_case("unknown field", {"clock_mhzz": 500}, "clock_mhzz"),
    config_case("string for number", {"clock_mhz": "fast"}, "clock_mhz"),
    config_case("negative sram", {"sram": {"capacity_bytes": -1}}, "sram.capacity_bytes"),
    config_case("sram 2^64-1 bytes", {"sram": {"capacity_bytes": 18446744073709551615}}, "sram.capacity_bytes"),
    config_case("array 1e6 a side", {"array": {"rows": 1000000, "cols": 1000000}}, "array.rows"),
    config_case("vector lanes 2^32-1", {"vector": {"lanes": 4294967295}}, "vector.lanes"),
    config_case("dram latency 1e20 ns", {"dram": {"latency_ns": 1e20}}, "dram.latency_ns"),
    config_case("zero cores", {"cores": 0}, "cores"),
    config_case("100000 cores", {"cores": 100000}, "cores"),
    config_case("unknown dataflow", {"array": {"dataflow": "diagonal"}}, "array.dataflow"),
    config_case("unknown noc kind", {"cores": 4, "noc": {"kind": "torus"}}, "noc.kind"),
    config_case("missing base", None, "base", raw='{"base": "npu/no-such-preset.json"}'),
    config_case("truncated json", None, "line", raw='{"base": "npu/edge-int8.json", "clock_mhz": '),
    config_case("root is an array", None, "expected a JSON object", raw="[1, 2, 3]"),
    config_case("empty config file", None, "line", raw=""),
    config_case("empty dtypes", {"array": {"dtypes": []}}, "array.dtypes"),
    {"name": "base cycle", "files": {"a.json": {"base": "b.json"}, "b.json": {"base": "a.json"}},
     "args": ["run", "--quiet", "--npu", "{dir}/a.json", "--workload", "fc:in=64,out=64", "--out", "{out}"],
     "expect": "base"},
    {"name": "npu is a directory", "args": ["run", "--quiet", "--npu", "{dir}/", "--workload", "resnet50", "--out", "{out}"],
     "expect": "is a directory"},
    {"name": "npu is /dev/zero", "args": ["run", "--quiet", "--npu", "/dev/zero", "--workload", "resnet50", "--out", "{out}"],
     "expect": ["/dev/zero", "not a regular file"]},
    {"name": "npu unknown preset", "args": ["run", "--quiet", "--npu", "no-such-chip", "--workload", "resnet50"],
     "expect": "--npu"},
    {"name": "npu file missing", "args": ["run", "--quiet", "--npu", "{dir}/absent.json", "--workload", "resnet50"],
     "expect": ["absent.json", "No such file"]},
    # ---- --set ----
    set_case("--set without =", "npu.clock_mhz", "--set"),
    set_case("--set empty name", "npu.=mesh", "--set npu."),
    set_case("--set outside npu and gpu", "chip.clock_mhz=5", "--set"),
    set_case("--set unknown field", "npu.array.depth=5", "array.depth"),
    set_case("--set channels 4e9", "npu.dram.channels=4000000000", "dram.channels"),
    set_case("--set lanes 0", "npu.vector.lanes=0", "vector.lanes"),
    set_case("--set bank width 2e12", "npu.sram.bank_width_bytes=2000000000000", "sram.bank_width_bytes"),
    set_case("--set unknown dram preset", "npu.dram.preset=hbm9", "dram.preset"),
    # ---- workloads: sizes that would hang the tiling search or exhaust memory ----
    workload_case("batch 1e9 in the workload", "resnet50:batch=1000000000", "batch"),
    workload_case("gemm 2^31 a side", "gemm:m=2147483647,n=2147483647,k=2147483647", "gemm"),
    workload_case("unknown zoo model", "resnet5000", "resnet5000"),
    workload_case("unknown zoo parameter", "resnet50:bogus=1", "bogus"),
    workload_case("non-numeric zoo parameter", "gemm:m=big,n=4,k=4", "m"),
    workload_case("topology gemm 2^32-1", "{dir}/t.csv", "t.csv",
                  files={"t.csv": "Layer,M,N,K,\nfc1,4294967295,4294967295,4294967295,\n"}),
    workload_case("topology conv 4e9", "{dir}/t.csv", "t.csv",
                  files={"t.csv": "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
                                  "c1,4000000000,4000000000,3,3,4000000000,64,1,\n"}),
    workload_case("topology 1e8 channels", "{dir}/t.csv", "t.csv",
                  files={"t.csv": "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
                                  "c1,56,56,3,3,100000000,100000000,1,\n"}),
    workload_case("topology missing column", "{dir}/t.csv", "t.csv", files={"t.csv": "Layer,M,N,K,\nfc1,64,64,\n"}),
    workload_case("topology negative", "{dir}/t.csv", "t.csv", files={"t.csv": "Layer,M,N,K,\nfc1,64,-64,64,\n"}),
    workload_case("trace malformed", "{dir}/t.json", "t.json", files={"t.json": '{"format": "npusim-trace", '}),
    workload_case("trace unknown op", "{dir}/t.json", "t.json",
                  files={"t.json": {"format": "npusim-trace", "version": 1, "name": "x",
                                    "operators": [{"name": "a", "op": "teleport"}]}}),
    workload_case("trace missing producer", "{dir}/t.json", "t.json",
                  files={"t.json": {"format": "npusim-trace", "version": 1, "name": "x",
                                    "operators": [{"name": "a", "op": "fc", "in": 8, "out": 8, "inputs": ["ghost"]}]}}),
    workload_case("onnx garbage", "{dir}/m.onnx", "m.onnx", files={"m.onnx": b"\x08\x07garbage"}),
    workload_case("workload file missing", "{dir}/absent.csv", "absent.csv"),
    # ---- CLI flags ----
    {"name": "--batch 0", "args": RUN + ["--workload", "resnet50", "--batch", "0"], "expect": "--batch"},
    {"name": "--batch too large", "args": RUN + ["--workload", "resnet50", "--batch", "2000000"], "expect": "--batch"},
    {"name": "--dtype unknown", "args": RUN + ["--workload", "resnet50", "--dtype", "int3"], "expect": "int3"},
    {"name": "unknown flag", "args": RUN + ["--workload", "resnet50", "--turbo"], "expect": "turbo"},
    {"name": "--out empty", "args": RUN + ["--workload", "resnet50", "--out", ""], "expect": "--out"},
    {"name": "--out a regular file", "files": {"f": "x"}, "args": RUN + ["--workload", "resnet50", "--out", "{dir}/f"],
     "expect": ["--out", "is a regular file; expected a directory"]},
    {"name": "--out a symlink", "setup": make_symlink_out, "args": RUN + ["--workload", "resnet50", "--out", "{dir}/link"],
     "expect": ["--out", "symbolic link"]},
    {"name": "--timeline a FIFO", "setup": make_fifo,
     "args": RUN + ["--workload", "fc:in=64,out=64", "--timeline", "{dir}/fifo", "--out", "{out}"],
     "expect": ["--timeline", "FIFO"]},
    {"name": "--timeline a device", "args": RUN + ["--workload", "fc:in=64,out=64", "--timeline", "/dev/null", "--out", "{out}"],
     "expect": ["--timeline", "device"]},
    {"name": "--timeline a symlink", "setup": make_symlink_file,
     "args": RUN + ["--workload", "fc:in=64,out=64", "--timeline", "{dir}/timeline.json", "--out", "{out}"],
     "expect": ["--timeline", "symbolic link"]},
    {"name": "--host-stats unwritable", "args": RUN + ["--workload", "fc:in=64,out=64", "--host-stats", "/proc/npusim-x",
                                                        "--out", "{out}"],
     "expect": "/proc/npusim-x"},
    {"name": "--timeline-max-spans 0", "args": RUN + ["--workload", "resnet50", "--timeline-max-spans", "0"],
     "expect": "--timeline-max-spans"},
    {"name": "--prefill without --decode", "args": RUN + ["--workload", "gpt2", "--prefill", "16"], "expect": "--prefill"},
    {"name": "--decode beyond context", "args": RUN + ["--workload", "gpt2", "--prefill", "16", "--decode", "1000000"],
     "expect": "--decode"},
    {"name": "--decode-samples negative", "args": RUN + ["--workload", "gpt2", "--prefill", "16", "--decode", "4",
                                                         "--decode-samples", "-1"],
     "expect": "--decode-samples"},
    {"name": "--gpu unknown", "args": RUN + ["--workload", "resnet50", "--gpu", "rtx9090"], "expect": "--gpu"},
    # Boost's message for a bad value replaced "%value%" with the value forever (a hang found by fuzz_cli).
    {"name": "flag value holding a message placeholder", "args": ["serve", "--requests", "24%value%"],
     "expect": ["--requests", "is invalid"]},
    {"name": "validate missing file", "args": ["validate", "{dir}/absent.json"], "expect": "absent.json"},
    {"name": "export-trace to a directory", "args": ["export-trace", "--workload", "resnet50", "--out", "{dir}"],
     "expect": ["--out", "directory"]},
    # ---- sweeps and regress ----
    {"name": "regress results missing", "args": ["regress", "--golden", "{dir}/g", "--results", "{dir}/nothing"],
     "expect": "--results"},
    # A golden nested past the JSON depth limit (fed to fuzz_golden, one overflowed the stack of --update).
    {"name": "regress golden nested too deep",
     "files": {"s.json": {"points": [{"name": "p", "npu": "edge-int8", "workload": "fc:in=8,out=8"}]},
               "g/p.json": '{"point": {}, "metrics": {"cycles": ' + "[" * 100000 + "]" * 100000 + "}}"},
     "args": ["regress", "--suite", "{dir}/s.json", "--golden", "{dir}/g"], "expect": ["p.json", "nesting deeper"]},
    {"name": "sweep name escapes", "files": {"s.json": {**SWEEP, "name": "../../../../tmp/x"}},
     "args": ["sweep", "{dir}/s.json", "--out", "{out}"], "expect": ["s.json", "name"]},
    {"name": "sweep unknown key", "files": {"s.json": {**SWEEP, "axis": []}},
     "args": ["sweep", "{dir}/s.json", "--out", "{out}"], "expect": ["s.json", "axis"]},
    {"name": "sweep axis bad value", "files": {"s.json": {**SWEEP, "axes": [{"path": "npu.array.rows", "values": [0]}]}},
     "args": ["sweep", "{dir}/s.json", "--out", "{out}"], "expect": "array.rows"},
    # ---- serving ----
    {"name": "serve rate 0", "args": SERVE + ["--rate", "0", "--requests", "4"], "expect": "--rate"},
    {"name": "serve bad distribution", "args": SERVE + ["--rate", "1", "--requests", "4", "--input-tokens", "zipf:3"],
     "expect": "--input-tokens"},
    {"name": "serve unsorted arrivals", "files": {"r.jsonl": REQUESTS}, "args": SERVE + ["--traffic", "{dir}/r.jsonl"],
     "expect": ["r.jsonl", "line 2"]},
    {"name": "serve block tokens 0", "args": SERVE + ["--rate", "1", "--requests", "4", "--block-tokens", "0"],
     "expect": "--block-tokens"},
    {"name": "serve unknown slo key", "args": SERVE + ["--rate", "1", "--requests", "4", "--slo", "ttft_p42_s=1"],
     "expect": "--slo"},
    # ---- multi-chip plans and systems (issue 13) ----
    {"name": "plan --tp not dividing heads", "args": MULTICHIP + ["--tp", "3"],
     "expect": "--tp: expected a divisor of the model's heads (64), got 3"},
    {"name": "plan --tp not dividing hidden", "args": ["run", "--quiet", "--gpu", "none", "--system", "rngd-server-8",
                                                       "--workload", "llama3.1-8b:heads=5,kv_heads=5,head_dim=128",
                                                       "--decode", "2", "--tp", "5", "--out", "{out}"],
     "expect": "--tp: expected a divisor of the model's hidden size (4096), got 5"},
    {"name": "plan --pp more than layers", "args": MULTICHIP + ["--pp", "81", "--chips", "128"],
     "expect": "--pp: expected at most the model's layers (80), got 81"},
    {"name": "plan --ep not dividing experts",
     "args": ["run", "--quiet", "--gpu", "none", "--system", "rngd-server-8", "--workload", "mixtral-8x7b:experts=6",
              "--decode", "2", "--tp", "4", "--ep", "4", "--out", "{out}"],
     "expect": "--ep: expected a divisor of the model's experts (6), got 4"},
    {"name": "plan over chip memory", "args": ["run", "--quiet", "--gpu", "none", "--system", "rngd-server-8",
                                               "--workload", "llama3.1-405b", "--dtype", "bf16", "--prefill", "16",
                                               "--decode", "2", "--tp", "8", "--out", "{out}"],
     "expect": "--tp: the plan does not fit each chip's memory by 49.93 GB"},
    {"name": "plan more chips than the system", "args": MULTICHIP + ["--tp", "8", "--pp", "2"],
     "expect": "the plan needs tp*pp*dp = 16 chips, the system has 8"},
    {"name": "system ring without ports", "files": {"s.json": {"npu": "furiosa-rngd", "chips": 8, "topology": "ring"}},
     "args": MULTICHIP[:3] + ["{dir}/s.json"] + MULTICHIP[4:], "expect": ["s.json", "system.link.ports"]},
    {"name": "system unknown link kind",
     "files": {"s.json": {"npu": "furiosa-rngd", "chips": 8, "link": {"kind": "carrier-pigeon"}}},
     "args": MULTICHIP[:3] + ["{dir}/s.json"] + MULTICHIP[4:], "expect": ["s.json", "system.link.kind"]},
    {"name": "plan without --system", "args": SERVE + ["--requests", "2", "--tp", "2"],
     "expect": "--tp: plan options need --system"},
    {"name": "serve plan --micro-batches", "args": SERVE + ["--requests", "2", "--system", "rngd-server-8", "--pp", "2",
                                                            "--micro-batches", "2"],
     "expect": "--micro-batches"},
    {"name": "sweep plan axis on a run workload",
     "files": {"s.json": {**SWEEP, "axes": [{"path": "tp", "values": [2]}]}},
     "args": ["sweep", "{dir}/s.json", "--out", "{out}"], "expect": ["s.json", "axes[0].path", "serve points only"]},
    # ---- streams ----
    {"name": "streams rate 0", "files": {"t.json": streams_file(rate_hz=0)}, "args": STREAMS,
     "expect": ["t.json", "streams[0].rate_hz"]},
    {"name": "streams deadline negative", "files": {"t.json": streams_file(deadline_s=-0.01)}, "args": STREAMS,
     "expect": ["t.json", "streams[0].deadline_s"]},
    {"name": "streams unknown pipeline model", "files": {"t.json": streams_file(pipeline=[{"model": "nosuchnet", "objects": 2}])},
     "args": STREAMS, "expect": ["t.json", "streams[0].pipeline[0].model"]},
    {"name": "streams cores beyond the chip", "files": {"t.json": streams_file(cores=9)},
     "args": STREAMS + ["--policy", "partition"], "expect": ["t.json", "streams[0].cores"]},
    {"name": "streams unknown policy", "files": {"t.json": streams_file()}, "args": STREAMS + ["--policy", "rr"],
     "expect": "--policy"},
    {"name": "streams find-max unknown stream", "files": {"t.json": streams_file()},
     "args": STREAMS + ["--find-max-streams", "nosuch"], "expect": "--find-max-streams"},
    # ---- fleet sizing ----
    fleet_case("fleet missing price", ["candidates[0].unit_price_usd", "missing"],
               candidates=[{"npu": "edge-int8", "board_power_w": 5}]),
    fleet_case("fleet unknown device", ["candidates[0].npu", "nope"],
               candidates=[{**FLEET_CANDIDATE, "npu": "nope"}]),
    fleet_case("fleet impossible demand", ["demands[0]", "no candidate can meet", "deadline"],
               demands=[{"name": "cams", "streams": {"model": "fc:in=64,out=64", "rate_hz": 10, "count": 4,
                                                    "deadline_s": 1e-12}}]),
    fleet_case("fleet rate 0", ["demands[0].streams.rate_hz"],
               demands=[{"name": "cams", "streams": {"model": "fc:in=64,out=64", "rate_hz": 0, "count": 4}}]),
    fleet_case("fleet unknown model", ["demands[0].streams.model", "unknown workload"],
               demands=[{"name": "cams", "streams": {"model": "yolov9", "rate_hz": 10, "count": 4}}]),
    fleet_case("fleet llm without slo", ["demands[0].llm.slo", "missing"],
               demands=[{"name": "chat", "llm": {"model": "llama3.1-8b", "rate_per_s": 10}}]),
    {"name": "fleet missing years", "files": {"f.json": {k: v for k, v in FLEET.items() if k != "years"}},
     "args": ["fleet", "--quiet", "{dir}/f.json", "--out", "{out}"], "expect": ["f.json", "years", "missing"]},
]
