#include "workloads/importers/scalesim_topology.h"

#include <array>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "arch/spec/input_error.h"
#include "arch/spec/input_file.h"

namespace npusim {
namespace {

constexpr std::array<const char*, 9> kConvFields{"Layer name",    "IFMAP Height", "IFMAP Width",
                                                 "Filter Height", "Filter Width", "Channels",
                                                 "Num Filter",    "Strides",      "Stride width"};
constexpr std::array<const char*, 4> kGemmFields{"Layer", "M", "N", "K"};
constexpr const char* kConvExpect =
    "8 or 9 fields (Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
    "Num Filter, Strides[, Stride width])";
constexpr const char* kGemmExpect = "4 fields (Layer, M, N, K)";

enum class Form : uint8_t { kUnknown, kConv, kGemm };

std::string trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return std::string(s.substr(begin, s.find_last_not_of(kSpace) - begin + 1));
}

// Comma-separated fields, each trimmed; trailing empty fields (the customary trailing comma) dropped.
std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::string_view rest(line);
  while (true) {
    const auto comma = rest.find(',');
    fields.push_back(trim(rest.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  while (!fields.empty() && fields.back().empty()) fields.pop_back();
  return fields;
}

bool is_uint(const std::string& s) {
  if (s.empty()) return false;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

class RowReader {
 public:
  RowReader(const std::string& file, size_t line_no)
      : file_(file), where_("line " + std::to_string(line_no)) {}

  [[noreturn]] void fail(const std::string& message) const { throw InputError(file_, where_, message); }

  uint32_t positive(const std::vector<std::string>& fields, size_t index, const char* label) const {
    const std::string& text = fields[index];
    const std::string what = "field " + std::to_string(index + 1) + " (" + label + "): ";
    if (!is_uint(text) || text.size() > 10 || std::stoull(text) == 0 ||
        std::stoull(text) > std::numeric_limits<uint32_t>::max()) {
      fail(what + "expected a positive integer below 2^32, got '" + text + "'");
    }
    return static_cast<uint32_t>(std::stoull(text));
  }

  // Newer SCALE-Sim rows may end in an N:M sparsity ratio; only the dense ratio is modelled.
  void drop_sparsity_ratio(std::vector<std::string>& fields) const {
    if (fields.size() < 2 || fields.back().find(':') == std::string::npos) return;
    const std::string ratio = fields.back();
    const auto colon = ratio.find(':');
    const std::string n = trim(ratio.substr(0, colon));
    const std::string m = trim(ratio.substr(colon + 1));
    if (!is_uint(n) || !is_uint(m) || n.size() > 9 || m.size() > 9 || std::stoul(n) == 0 ||
        std::stoul(n) != std::stoul(m)) {
      fail("field " + std::to_string(fields.size()) +
           " (sparsity ratio): expected a dense ratio N:M with N == M, got '" + ratio +
           "' (npusim models dense layers only)");
    }
    fields.pop_back();
  }

  // topology_utils.append_topo_arrays() asserts the filter fits the ifmap (ISSUE #9).
  void require_fits(const char* filter_label, uint32_t filter, const char* ifmap_label,
                    uint32_t ifmap) const {
    if (filter <= ifmap) return;
    fail(std::string("expected ") + filter_label + " (" + std::to_string(filter) + ") <= " + ifmap_label +
         " (" + std::to_string(ifmap) + ")");
  }

 private:
  const std::string& file_;
  std::string where_;
};

uint32_t overhang(uint32_t in, uint32_t filter, uint32_t stride) {
  return (stride - (in - filter) % stride) % stride;
}

Operator conv_op(std::string name, DType dtype, uint32_t in_h, uint32_t in_w, uint32_t kernel_h,
                 uint32_t kernel_w, uint32_t channels, uint32_t filters, uint32_t stride_h,
                 uint32_t stride_w) {
  ConvParams p;
  p.in_h = in_h;
  p.in_w = in_w;
  p.in_c = channels;
  p.out_c = filters;
  p.kernel_h = kernel_h;
  p.kernel_w = kernel_w;
  p.stride_h = stride_h;
  p.stride_w = stride_w;
  p.pad_bottom = overhang(in_h, kernel_h, stride_h);  // conv_out_h == scalesim_ofmap_extent
  p.pad_right = overhang(in_w, kernel_w, stride_w);
  Operator op;
  op.name = std::move(name);
  op.kind = OpKind::kConv2d;
  op.dtype = dtype;
  op.batch = 1;
  op.params = p;
  return op;
}

void add_conv_row(const RowReader& row, const std::vector<std::string>& f, DType dtype, Workload& workload) {
  uint32_t v[9] = {};
  for (size_t i = 1; i < f.size(); ++i) v[i] = row.positive(f, i, kConvFields[i]);
  const uint32_t stride_w = f.size() == 9 ? v[8] : v[7];
  row.require_fits(kConvFields[3], v[3], kConvFields[1], v[1]);
  row.require_fits(kConvFields[4], v[4], kConvFields[2], v[2]);
  const std::string name = f[0].empty() ? "layer" + std::to_string(workload.ops.size()) : f[0];
  if (name.find("DP") != std::string::npos) {  // topology_utils.load_arrays_conv(): one layer per channel
    for (uint32_t c = 0; c < v[5]; ++c) {
      workload.ops.push_back(conv_op(name + "Channel_" + std::to_string(c), dtype, v[1], v[2], v[3], v[4], 1,
                                     v[6], v[7], stride_w));
    }
    return;
  }
  workload.ops.push_back(conv_op(name, dtype, v[1], v[2], v[3], v[4], v[5], v[6], v[7], stride_w));
}

void add_gemm_row(const RowReader& row, const std::vector<std::string>& f, DType dtype, Workload& workload) {
  const uint32_t m = row.positive(f, 1, kGemmFields[1]);
  const uint32_t n = row.positive(f, 2, kGemmFields[2]);
  const uint32_t k = row.positive(f, 3, kGemmFields[3]);
  const std::string name = f[0].empty() ? "layer" + std::to_string(workload.ops.size()) : f[0];
  // load_arrays_gemm(): [name, m, k, 1, k, 1, n, 1, 1] = ifmap m x k, filter 1 x k, 1 channel, n filters.
  workload.ops.push_back(conv_op(name, dtype, m, k, 1, k, 1, n, 1, 1));
}

Form form_of(size_t field_count) {
  if (field_count == kGemmFields.size()) return Form::kGemm;
  if (field_count == 8 || field_count == 9) return Form::kConv;
  return Form::kUnknown;
}

}  // namespace

uint32_t scalesim_ofmap_extent(uint32_t in, uint32_t filter, uint32_t stride) {
  return (in - filter + stride - 1) / stride + 1;
}

Workload parse_scalesim_topology(const std::string& text, const std::string& file, const std::string& name,
                                 DType dtype) {
  Workload workload;
  workload.name = name;
  workload.source = file;
  std::istringstream lines(text);
  std::string line;
  size_t line_no = 0;
  bool seen_first = false;
  Form form = Form::kUnknown;
  size_t form_line = 0;
  while (std::getline(lines, line)) {
    ++line_no;
    if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 byte order mark
    if (trim(line).empty()) continue;
    std::vector<std::string> fields = split_fields(line);
    const RowReader row(file, line_no);
    if (!seen_first) {
      seen_first = true;
      // SCALE-Sim always skips the first row; here it is skipped only if it looks like a header.
      if (fields.size() < 2 || !is_uint(fields[1])) continue;
    }
    row.drop_sparsity_ratio(fields);
    if (form == Form::kUnknown) {
      form = form_of(fields.size());
      form_line = line_no;
      if (form == Form::kUnknown) {
        row.fail(std::string("expected ") + kGemmExpect + " or " + kConvExpect + ", got " +
                 std::to_string(fields.size()));
      }
    }
    if (form_of(fields.size()) != form) {
      row.fail(std::string("expected ") + (form == Form::kGemm ? kGemmExpect : kConvExpect) + " like line " +
               std::to_string(form_line) + ", got " + std::to_string(fields.size()));
    }
    if (form == Form::kGemm) {
      add_gemm_row(row, fields, dtype, workload);
    } else {
      add_conv_row(row, fields, dtype, workload);
    }
  }
  if (workload.ops.empty()) throw InputError(file, "", "expected at least one layer row");
  return workload;
}

Workload load_scalesim_topology(const std::string& path, DType dtype) {
  // SCALE-Sim names the topology after the file: "resnet18.csv" -> "resnet18".
  return parse_scalesim_topology(read_input_file(path, "SCALE-Sim topology file"), path,
                                 std::filesystem::path(path).stem().string(), dtype);
}

}  // namespace npusim
