// libFuzzer target: the command line. The input is argv after "npusim", split at NUL and newline bytes:
// the subcommand, then its arguments. Each subcommand's arguments are parsed and validated
// (sim/cli/command_args.h) and nothing runs. Any input either parses (or asks for --help) or raises
// InputError, as main would report it; an unknown subcommand is main's InputError and not looked at here.
#include <cstdint>
#include <string>
#include <vector>

#include "arch/spec/input_error.h"
#include "sim/cli/command_args.h"

namespace {

struct Parser {
  const char* name;
  void (*parse)(const npusim::Args&);
};

// The subcommands of sim/main.cpp's table, each with its parse-and-validate step.
constexpr Parser kParsers[] = {
    {"run", [](const npusim::Args& a) { npusim::parse_run_args(a); }},
    {"list", [](const npusim::Args& a) { npusim::parse_list_args(a); }},
    {"validate", [](const npusim::Args& a) { npusim::parse_validate_args(a); }},
    {"validate-gpu", [](const npusim::Args& a) { npusim::parse_validate_gpu_args(a); }},
    {"bench", [](const npusim::Args& a) { npusim::parse_bench_args(a); }},
    {"export-trace", [](const npusim::Args& a) { npusim::parse_export_trace_args(a); }},
    {"sweep", [](const npusim::Args& a) { npusim::parse_sweep_args(a); }},
    {"pareto", [](const npusim::Args& a) { npusim::parse_pareto_args(a); }},
    {"serve", [](const npusim::Args& a) { npusim::parse_serve_args(a); }},
    {"fleet", [](const npusim::Args& a) { npusim::parse_fleet_args(a); }},
    {"regress", [](const npusim::Args& a) { npusim::parse_regress_args(a); }},
};

npusim::Args split_arguments(const std::string& text) {
  npusim::Args args(1);
  for (const char c : text) {
    if (c == '\0' || c == '\n') {
      args.emplace_back();
    } else {
      args.back() += c;
    }
  }
  return args;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const npusim::Args args = split_arguments(std::string(reinterpret_cast<const char*>(data), size));
  for (const Parser& parser : kParsers) {
    if (args.front() != parser.name) continue;
    try {
      parser.parse(args);
    } catch (const npusim::InputError&) {
    }
  }
  return 0;
}
