// Traces and ONNX through the CLI: every zoo model exported with `npusim export-trace` and replayed gives
// the same result.json (but for the workload's source) and layers.csv; bad traces and ONNX files are
// one-line errors with exit code 2 and no result files.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/cli_harness.h"
#include "workloads/zoo/model_zoo.h"

#ifdef NPUSIM_HAVE_ONNX
#include <onnx/onnx_pb.h>
#endif

using namespace npusim_test;

namespace {

// The spec each zoo entry is exported with: its defaults, plus the parameters an entry requires.
std::string zoo_spec(const std::string& name) {
  if (name == "gemm" || name == "matmul") return name + ":m=64,n=48,k=32,batch=2";
  if (name == "conv") return "conv:h=17,w=13,c=8,k=16,r=3,s=5,stride=2,pad=1,groups=4";
  if (name == "fc") return "fc:in=300,out=17";
  // Two layers of the largest models over a 128-token sequence: their layers are alike and the round trip
  // does not depend on the sizes; the whole 405B at its default sequence takes minutes to map.
  for (const char* large : {"llama3.1-70b", "llama3.1-405b", "mixtral-8x7b", "qwen3-30b-a3b"}) {
    if (name == large) return name + ":layers=2,seq=128";
  }
  return name;
}

nlohmann::json without_sources(nlohmann::json result) {
  for (auto& workload : result["workloads"]) workload.erase("source");
  return result;
}

#ifdef NPUSIM_HAVE_ONNX
// A one-conv ONNX model; `batch` < 0 makes the batch dimension dynamic, `extra_op` appends a node.
std::string onnx_model(int64_t batch, const std::string& extra_op = "") {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  auto* graph = model.mutable_graph();
  auto* input = graph->add_input();
  input->set_name("x");
  auto* shape = input->mutable_type()->mutable_tensor_type()->mutable_shape();
  for (int64_t d : {batch, int64_t{8}, int64_t{16}, int64_t{16}}) {
    if (d < 0) {
      shape->add_dim()->set_dim_param("batch");
    } else {
      shape->add_dim()->set_dim_value(d);
    }
  }
  auto* weight = graph->add_initializer();
  weight->set_name("w");
  weight->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : {16, 8, 3, 3}) weight->add_dims(d);
  weight->set_raw_data(std::string(16 * 8 * 3 * 3 * 4, '\0'));
  auto* conv = graph->add_node();
  conv->set_op_type("Conv");
  conv->set_name("conv");
  conv->add_input("x");
  conv->add_input("w");
  conv->add_output("y");
  if (!extra_op.empty()) {
    auto* extra = graph->add_node();
    extra->set_op_type(extra_op);
    extra->set_name("extra");
    extra->add_input("y");
    extra->add_output("z");
  }
  return model.SerializeAsString();
}
#endif

}  // namespace

TEST_CASE("trace cli: every zoo model -> export-trace -> replay gives identical result files") {
  const std::string dir = fresh_dir("trace_roundtrip");
  for (const auto& entry : npusim::zoo_entries()) {
    const std::string spec = zoo_spec(entry.name);
    CAPTURE(spec);
    const std::string trace = dir + "/" + entry.name + ".json";
    REQUIRE(run_npusim("export-trace --workload " + spec + " --out " + trace).exit_code == 0);
    const std::string zoo_out = dir + "/" + entry.name + "_zoo";
    const std::string replay_out = dir + "/" + entry.name + "_replay";
    const std::string run = "run --npu edge-int8 --quiet --workload ";
    REQUIRE(run_npusim(run + spec + " --out " + zoo_out).exit_code == 0);
    REQUIRE(run_npusim(run + trace + " --out " + replay_out).exit_code == 0);
    const auto zoo = nlohmann::json::parse(read_file(zoo_out + "/result.json"));
    const auto replay = nlohmann::json::parse(read_file(replay_out + "/result.json"));
    CHECK(replay["workloads"][0]["source"] == trace);
    CHECK(zoo["workloads"][0]["source"] != trace);
    CHECK(without_sources(zoo) == without_sources(replay));
    CHECK(read_file(zoo_out + "/layers.csv") == read_file(replay_out + "/layers.csv"));
  }
}

TEST_CASE("trace cli: export-trace writes to stdout, and --schema the format's schema") {
  const CommandResult trace = run_npusim("export-trace --workload fc:in=16,out=4");
  REQUIRE(trace.exit_code == 0);
  const auto json = nlohmann::json::parse(trace.output);
  CHECK(json["format"] == "npusim-trace");
  CHECK(json["operators"][0]["op"] == "fc");
  const CommandResult schema = run_npusim("export-trace --schema");
  REQUIRE(schema.exit_code == 0);
  CHECK(
      nlohmann::json::parse(schema.output) ==
      nlohmann::json::parse(read_file(std::string(NPUSIM_SOURCE_DIR) + "/traces/npusim-trace.schema.json")));
  CHECK(run_npusim("export-trace --help").exit_code == 0);
}

TEST_CASE("trace cli: bad traces: exit 2, one line naming the file, the operator or line, the expectation") {
  const std::string dir = fresh_dir("trace_bad");
  const std::string head = R"({"format": "npusim-trace", "version": 1, "operators": [)";
  const std::string fc_a = R"({"name": "a", "op": "fc", "n": 8, "k": 8, "inputs": ["b"]})";
  const std::string fc_b = R"({"name": "b", "op": "fc", "n": 8, "k": 8, "inputs": ["a"]})";
  check_rejected("run --workload " + write_file(dir, "truncated.json", head + fc_a.substr(0, 20)),
                 "truncated.json: line 1, column 76: expected valid JSON");
  check_rejected(
      "run --workload " + write_file(dir, "cycle.json", head + fc_a + "," + fc_b + "]}"),
      "cycle.json: operators[0].inputs: expected dependencies without cycles, found 'a' -> 'b' -> 'a'");
  check_rejected(
      "run --workload " + write_file(dir, "unknown.json", head + R"({"name": "x", "op": "lstm"}]})"),
      "unknown.json: operators[0].op: \"lstm\" is not one of: conv2d, fc,");
  check_rejected(
      "run --workload " +
          write_file(dir, "missing.json", head + R"({"name": "x", "op": "maxpool", "input": [4, 4, 2]}]})"),
      "missing.json: operators[0].kernel: missing; expected a list of 2 positive integers (operator 'x')");
  check_rejected(
      "run --workload " + write_file(dir, "negative.json",
                                     head + R"({"name": "x", "op": "softmax", "rows": -4, "width": 8}]})"),
      "negative.json: operators[0].rows: expected a positive integer up to 1099511627776, got -4 "
      "(operator 'x')");
  check_rejected("run --workload " + write_file(dir, "config.json", R"({"array": {"rows": 8}})"),
                 "config.json: format: missing; expected \"npusim-trace\" (is this an npusim op trace?)");
  check_rejected("run --workload " + dir + "/absent.json", "absent.json: workload file not found");
  // export-trace's --out is a file, so the harness's --out folder does not apply.
  const CommandResult exported = run_npusim("export-trace --workload " + dir + "/cycle.json --out " + dir + "/x.json");
  CHECK(exported.exit_code == 2);
  CHECK(exported.output.find("cycle.json: operators[0].inputs") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/x.json"));
}

TEST_CASE("trace cli: bad ONNX files: truncated, not ONNX, dynamic shapes, unsupported operators") {
  const std::string dir = fresh_dir("onnx_bad");
#ifndef NPUSIM_HAVE_ONNX
  check_rejected("run --workload " + write_file(dir, "text.onnx", "this is not a model\n"),
                 "text.onnx: this npusim was built without ONNX support");
#else
  const std::string not_onnx = "protobuf parsing failed: the file is truncated or not ONNX";
  check_rejected("run --workload " + write_file(dir, "text.onnx", "this is not a model\n"),
                 "text.onnx: expected an ONNX model");
  check_rejected("run --workload " + write_file(dir, "empty.onnx", ""), "empty.onnx: expected an ONNX model");
  const std::string good = onnx_model(1);
  const std::string cut = write_file(dir, "cut.onnx", "");
  std::ofstream(cut, std::ios::binary) << good.substr(0, good.size() / 2);
  check_rejected("run --workload " + cut,
                 "cut.onnx: expected an ONNX model (a serialized onnx.ModelProto); " + not_onnx);
  const std::string dynamic = write_file(dir, "dynamic.onnx", "");
  std::ofstream(dynamic, std::ios::binary) << onnx_model(-1);
  check_rejected("run --workload " + dynamic, "dynamic.onnx: input 'x': dim 0 ('batch') is dynamic");
  CHECK(run_npusim("run --quiet --workload " + dynamic + " --batch 2").exit_code == 0);
  const std::string unsupported = write_file(dir, "unsupported.onnx", "");
  std::ofstream(unsupported, std::ios::binary) << onnx_model(1, "NonMaxSuppression");
  check_rejected("run --workload " + unsupported,
                 "unsupported.onnx: unsupported operators: NonMaxSuppression x1");
  // Skipped with --allow-unsupported: a warning on stderr and in result.json.
  const std::string out = fresh_dir("onnx_allowed");
  const CommandResult allowed =
      run_npusim("run --quiet --allow-unsupported --workload " + unsupported + " --out " + out);
  CAPTURE(allowed.output);
  REQUIRE(allowed.exit_code == 0);
  CHECK(allowed.output.find("npusim: warning: skipped 1 unsupported ONNX operator") != std::string::npos);
  const auto result = nlohmann::json::parse(read_file(out + "/result.json"));
  REQUIRE(result["workloads"][0].contains("warnings"));
  CHECK(result["workloads"][0]["warnings"][0].get<std::string>().find("NonMaxSuppression x1") !=
        std::string::npos);
  CHECK(result["layers"].size() == 1);
#endif
}
