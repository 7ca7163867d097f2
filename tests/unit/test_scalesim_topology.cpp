// SCALE-Sim topology CSVs: every shipped file (scale-sim-v2, MIT; copied into tests/data/scalesim-topologies),
// SCALE-Sim's ofmap formula ceil((H - R + S) / S), the GEMM-form conversion and malformed rows.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "arch/timing/scalesim_timing.h"
#include "arch/spec/input_error.h"
#include "workloads/importers/scalesim_topology.h"

namespace npusim {
namespace {

std::string topology(const std::string& file) {
  return std::string(NPUSIM_SOURCE_DIR) + "/tests/data/scalesim-topologies/" + file;
}

Workload parse(const std::string& text) { return parse_scalesim_topology(text, "t.csv", "t", DType::kInt8); }

// The error a malformed text raises: "line N" and a message fragment.
void check_error(const std::string& text, const std::string& where, const std::string& fragment) {
  try {
    parse(text);
    FAIL("expected an InputError for: " << text);
  } catch (const InputError& error) {
    CHECK(error.file() == "t.csv");
    CHECK(error.where() == where);
    CHECK_MESSAGE(std::string(error.what()).find(fragment) != std::string::npos, error.what());
  }
}

const ConvParams& conv(const Workload& w, size_t i) { return std::get<ConvParams>(w.ops.at(i).params); }

}  // namespace

TEST_CASE("scalesim ofmap extent is ceil((in - filter + stride) / stride)") {
  CHECK(scalesim_ofmap_extent(224, 11, 4) == 55);  // 213/4 = 53.25 -> 54 + 1 (floor would give 54)
  CHECK(scalesim_ofmap_extent(224, 7, 2) == 110);  // 217/2 = 108.5 -> 109 + 1
  CHECK(scalesim_ofmap_extent(13, 3, 1) == 11);
  CHECK(scalesim_ofmap_extent(7, 7, 1) == 1);
}

TEST_CASE("scalesim topology: every shipped file imports") {
  const std::map<std::string, size_t> layers{{"NCF.csv", 12},
                                             {"Resnet18.csv", 21},
                                             {"alexnet.csv", 5},
                                             {"gpt2.csv", 6},
                                             {"mobilenet.csv", 27},
                                             {"test_mnk_input.csv", 1},
                                             {"transformer_partial.csv", 6},
                                             {"vit_s.csv", 5},
                                             {"yolo_tiny.csv", 9}};
  for (const auto& [file, count] : layers) {
    CAPTURE(file);
    const Workload w = load_scalesim_topology(topology(file), DType::kInt8);
    CHECK(w.ops.size() == count);
    CHECK(w.name == file.substr(0, file.size() - 4));
    // Every layer is a valid conv whose output matches SCALE-Sim's extent and whose MACs are
    // Ho*Wo * R*S*C * N (topo_calc_hyperparams' num_mac).
    uint64_t macs = 0;
    for (const Operator& op : w.ops) {
      const ConvParams& p = std::get<ConvParams>(op.params);
      CHECK(op.kind == OpKind::kConv2d);
      CHECK(op.batch == 1);
      CHECK(op.inputs.empty());
      CHECK(conv_out_h(p) == scalesim_ofmap_extent(p.in_h, p.kernel_h, p.stride_h));
      CHECK(conv_out_w(p) == scalesim_ofmap_extent(p.in_w, p.kernel_w, p.stride_w));
      macs += uint64_t{conv_out_h(p)} * conv_out_w(p) * p.kernel_h * p.kernel_w * p.in_c * p.out_c;
    }
    CHECK(workload_macs(w) == macs);
  }
}

TEST_CASE("scalesim topology: conv rows") {
  const Workload alexnet = load_scalesim_topology(topology("alexnet.csv"), DType::kInt8);
  // Conv1 224,224,11,11,3,96,4 (padded columns): 55x55 outputs; GEMM M=3025, N=96, K=11*11*3=363.
  CHECK(alexnet.ops[0].name == "Conv1");
  CHECK(conv_out_h(conv(alexnet, 0)) == 55);
  CHECK(conv(alexnet, 0).pad_bottom == 3);  // 213 + 3 = 216 = 4 * 54
  const GemmView v = gemm_view(alexnet.ops[0]);
  CHECK(v.m == 3025);
  CHECK(v.n == 96);
  CHECK(v.k == 363);
  // Conv1 3025*363*96 = 105,415,200; Conv2 23*23*2400*256 = 325,017,600; Conv3 121*2304*384 =
  // 107,053,056; Conv4 121*3456*384 = 160,579,584; Conv5 121*3456*256 = 107,053,056.
  CHECK(workload_macs(alexnet) == 805118496);

  const Workload resnet = load_scalesim_topology(topology("Resnet18.csv"), DType::kInt8);
  // Conv1 224,224,7,7,3,64,2: ceil(219/2) = 110 (not 109): pad_bottom = pad_right = 1.
  CHECK(conv_out_w(conv(resnet, 0)) == 110);
  CHECK(conv(resnet, 0).pad_right == 1);
  CHECK(resnet.ops[20].name == "FC");  // 1,1,1,1,512,1000,1: a 1x1 conv, K=512, N=1000
  CHECK(gemm_view(resnet.ops[20]).k == 512);

  // yolo_tiny Conv7 ends in "1, " (a space after the trailing comma): 11x11 3x3 stride 1 -> 9x9.
  const Workload yolo = load_scalesim_topology(topology("yolo_tiny.csv"), DType::kInt8);
  CHECK(conv_out_h(conv(yolo, 6)) == 9);
  CHECK(conv(yolo, 6).out_c == 1024);
}

TEST_CASE("scalesim topology: GEMM rows convert as SCALE-Sim converts them") {
  const Workload gpt2 = load_scalesim_topology(topology("gpt2.csv"), DType::kInt8);
  // Linear1,1024,4800,1600 -> ifmap 1024 x 1600, filter 1 x 1600, 1 channel, 4800 filters.
  const ConvParams& p = conv(gpt2, 2);
  CHECK(p.in_h == 1024);
  CHECK(p.in_w == 1600);
  CHECK(p.kernel_h == 1);
  CHECK(p.kernel_w == 1600);
  CHECK(p.in_c == 1);
  CHECK(p.out_c == 4800);
  const GemmView v = gemm_view(gpt2.ops[2]);
  CHECK(v.m == 1024);
  CHECK(v.n == 4800);
  CHECK(v.k == 1600);
  // 2 * 1024*1024*64 + 1024*4800*1600 + 1024*1600*1600 + 2 * 1024*3072*1600
  // = 134,217,728 + 7,864,320,000 + 2,621,440,000 + 10,066,329,600
  CHECK(workload_macs(gpt2) == 20686307328ULL);
  // vit_s: 196*192*384 + 2 * 196*1176*64 + 2 * 196*1536*384 = 14,450,688 + 29,503,488 + 231,211,008
  CHECK(workload_macs(load_scalesim_topology(topology("vit_s.csv"), DType::kInt8)) == 275165184);
  // NCF (CRLF, layer names "1".."12", last row without a newline): 12,2048,128,1 -> K = 1.
  const Workload ncf = load_scalesim_topology(topology("NCF.csv"), DType::kInt8);
  CHECK(ncf.ops[11].name == "12");
  CHECK(gemm_view(ncf.ops[11]).k == 1);
  const Workload one = load_scalesim_topology(topology("test_mnk_input.csv"), DType::kInt8);
  CHECK(one.ops[0].name == "Test 1");
  CHECK(op_macs(one.ops[0]) == 128 * 64 * 256);
}

TEST_CASE("scalesim topology: optional columns, headers and depthwise splitting") {
  // No header row: the first row is data. 9 fields: stride width 1 next to stride height 2.
  const Workload w = parse("C,10,9,3,3,2,4,2,1,\nD,5,5,1,1,1,1,1");
  CHECK(w.ops.size() == 2);
  CHECK(conv_out_h(conv(w, 0)) == 5);  // ceil(7/2) + 1 (floor would give 4)
  CHECK(conv_out_w(conv(w, 0)) == 7);
  CHECK(conv(w, 0).stride_w == 1);
  CHECK(conv(w, 1).stride_w == 1);  // 8 fields: stride width = stride height
  // A dense sparsity ratio (newer SCALE-Sim) is accepted.
  CHECK(parse("Layer,M,N,K,Sparsity,\nL,2,3,4,1:1,\n").ops.size() == 1);
  // "DP" layers: one single-channel layer per channel, as load_arrays_conv() does.
  const Workload dp = parse("name,H,W,R,S,C,N,S,\nDP1,8,8,3,3,3,1,1,\n");
  CHECK(dp.ops.size() == 3);
  CHECK(dp.ops[2].name == "DP1Channel_2");
  CHECK(conv(dp, 2).in_c == 1);
}

TEST_CASE("scalesim topology: malformed rows name the line and the expectation") {
  check_error("Layer,M,N,K,\nL0,12,x,4,\n", "line 2", "field 3 (N): expected a positive integer");
  check_error("Layer,M,N,K,\nL0,1,2,\n", "line 2", "expected 4 fields (Layer, M, N, K) or 8 or 9 fields");
  check_error("Layer,M,N,K,\n\nL0,1,2,3,\nL1,1,2,3,4,5,6,7,\n", "line 4",
              "expected 4 fields (Layer, M, N, K) like line 3");
  check_error("Layer,M,N,K,\nL0,1,0,3,\n", "line 2", "field 3 (N): expected a positive integer");
  check_error("h,h,h,h,h,h,h,h,\nC,5,5,7,3,1,1,1,\n", "line 2",
              "expected Filter Height (7) <= IFMAP Height (5)");
  check_error("h,h,h,h,h,h,h,h,\nC,5,5,3,3,1,1,-1,\n", "line 2", "field 8 (Strides)");
  check_error("Layer,M,N,K,\nL,1,2,,\n", "line 2",
              "4 fields (Layer, M, N, K) or");  // empty K dropped as trailing
  check_error("Layer,M,N,K,\nL,1,,3,\n", "line 2",
              "field 3 (N): expected a positive integer below 2^32, got ''");
  check_error("Layer,M,N,K,\nL,1,2,3,2:4,\n", "line 2", "expected a dense ratio");
  check_error("Layer,M,N,K,\nL,1,2,99999999999,\n", "line 2", "below 2^32");
  check_error("Layer,M,N,K,\n\n", "", "expected at least one layer row");
  CHECK_THROWS_AS(load_scalesim_topology("/nonexistent/x.csv", DType::kInt8), InputError);
}

TEST_CASE("scalesim topology to timing: alexnet Conv1 on a 32x32 array") {
  const Workload alexnet = load_scalesim_topology(topology("alexnet.csv"), DType::kInt8);
  const GemmView v = gemm_view(alexnet.ops[0]);  // M=3025, N=96, K=363
  const GemmShape g{v.m, v.n, v.k};
  // OS: ceil(3025/32)=95 x ceil(96/32)=3 = 285 folds, L = 363+32+32-2 = 425: 285*425-1 = 121124.
  const ScaleSimLayerTiming os = scalesim_layer_timing({32, 32}, Dataflow::kOutputStationary, g);
  CHECK(os.compute_cycles == 121124);
  CHECK(os.mapping_efficiency == doctest::Approx(3025.0 * 96 / (285 * 1024)).epsilon(1e-12));
  // WS: ceil(363/32)=12 x 3 = 36 folds, L = 3025+64+32-2 = 3119: 36*3119-1 = 112283. Rows used
  // 32 (x11) and 11: per column fold 11 + 11/32 = 11.34375, exact; mean 34.03125/36 = 0.9453125.
  const ScaleSimLayerTiming ws = scalesim_layer_timing({32, 32}, Dataflow::kWeightStationary, g);
  CHECK(ws.compute_cycles == 112283);
  CHECK(ws.mapping_efficiency == 0.9453125);
  // C = 3025 + 64 + 64 - 3 = 3150
  CHECK(ws.compute_utilisation == doctest::Approx(0.9453125 * 3025 / 3150).epsilon(1e-12));
  // IS: 12 x ceil(3025/32)=95 = 1140 folds, L = 96+64+32-2 = 190: 1140*190-1 = 216599.
  const ScaleSimLayerTiming is = scalesim_layer_timing({32, 32}, Dataflow::kInputStationary, g);
  CHECK(is.compute_cycles == 216599);
  CHECK(is.compute_utilisation ==
        doctest::Approx(363.0 * 3025 * 96 / (1140.0 * 1024 * (96 + 64 + 64 - 3))).epsilon(1e-12));
}

}  // namespace npusim
