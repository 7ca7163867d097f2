// SCALE-Sim topology CSV importer: conv rows and the GEMM (M, N, K) form, read as scale-sim-v2's
// scalesim/topology_utils.py reads them (@18975c2), into batch-1 convolutions of the operator IR.
#pragma once

#include <cstdint>
#include <string>

#include "arch/spec/dtype.h"
#include "workloads/ir/operator.h"

namespace npusim {

// SCALE-Sim's ofmap extent, topo_calc_hyperparams(): ceil((in - filter + stride) / stride), which is
// ceil((in - filter) / stride) + 1, one more than floor((in - filter) / stride) + 1 when the stride
// does not divide in - filter (its last window hangs over the edge and reads nothing there).
uint32_t scalesim_ofmap_extent(uint32_t in, uint32_t filter, uint32_t stride);

// Reads a topology CSV. Rows, comma separated, free spacing, trailing commas optional, blank lines
// skipped, CRLF accepted; an optional first header row is recognised by a non-integer second field.
//  conv: Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter,
//        Strides[, Stride width]        -> Conv2d, no padding except pad_bottom/pad_right chosen so
//        that conv_out_h/w equal scalesim_ofmap_extent (zero-filled overhang, as SCALE-Sim's -1 reads).
//        A layer name containing "DP" is split, as SCALE-Sim does, into Channels layers
//        "<name>Channel_<i>" with one channel each.
//  GEMM: Layer, M, N, K                 -> SCALE-Sim's conversion: ifmap M x K, filter 1 x K, 1 channel,
//        N filters, stride 1, so the GEMM view is exactly (M, N, K).
// The form is set by the first data row (4 fields: GEMM; 8 or 9: conv); a trailing N:M sparsity field
// (newer SCALE-Sim) is accepted when dense (N == M). Layers are independent (no producer inputs):
// SCALE-Sim runs every layer cold from DRAM. Errors: InputError(path, "line N", expectation).
Workload load_scalesim_topology(const std::string& path, DType dtype);

// The same from CSV text; `file` names it in errors and `name` becomes the workload name.
Workload parse_scalesim_topology(const std::string& text, const std::string& file, const std::string& name,
                                 DType dtype);

}  // namespace npusim
