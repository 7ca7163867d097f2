// libFuzzer target: the ONNX importer on arbitrary bytes, strict and with --allow-unsupported. Any input
// either imports or raises InputError.
#include <cstdint>
#include <string>

#include "arch/spec/input_error.h"
#include "workloads/importers/onnx_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (bool allow_unsupported : {false, true}) {
    npusim::OnnxImportOptions options;
    options.batch = allow_unsupported ? 2 : 0;
    options.allow_unsupported = allow_unsupported;
    try {
      npusim::parse_onnx_model(bytes, "fuzz.onnx", "fuzz", options);
    } catch (const npusim::InputError&) {
    }
  }
  return 0;
}
